"""Command line: parses arguments and calls the library. No filtering logic lives here.

Exit codes: 0 success, 1 some records failed (batch) or a check found problems, 2 usage error,
3 retrain candidate rejected, 4 a model or data file was refused.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

__all__ = ["main", "build_parser"]

EXIT_OK = 0
EXIT_FAILURES = 1
EXIT_USAGE = 2
EXIT_REJECTED = 3
EXIT_REFUSED = 4


def _add_model_options(p: argparse.ArgumentParser) -> None:
    g = p.add_mutually_exclusive_group()
    g.add_argument("--model", metavar="DIR", help="model directory (model.joblib + card.json); default: shipped")
    g.add_argument("--registry", metavar="DIR", help="use the current model of this registry")
    p.add_argument("--min-core-probability", type=float, default=None, metavar="P",
                   help="keep a paragraph when P(core) >= P (default: the model's tuned threshold)")


def _load(args: argparse.Namespace):  # type: ignore[no-untyped-def]
    from .api import load_model

    flt = load_model(args.model, registry=args.registry)
    if args.min_core_probability is not None:
        flt = flt.with_config(flt.config.with_options(min_core_probability=args.min_core_probability))
    return flt


def _read_single(path: str) -> str:
    from .io import read_text_file

    if path == "-":
        data = sys.stdin.buffer.read()
        from .io import decode_bytes

        return decode_bytes(data, "<stdin>")
    return read_text_file(Path(path))


# -------------------------------------------------------------------------------------------- clean
def _add_clean(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("clean", help="print or write the cleaned text (core paragraphs only)")
    p.add_argument("inputs", nargs="+", metavar="INPUT", help="file, folder, .jsonl/.csv/.parquet, or - for stdin")
    p.add_argument("-o", "--output", metavar="OUT", help="output file or folder (batch mode)")
    _add_model_options(p)
    p.set_defaults(func=_cmd_clean)


def _cmd_clean(args: argparse.Namespace) -> int:
    if args.output is None and len(args.inputs) == 1 and (args.inputs[0] == "-" or Path(args.inputs[0]).is_file()) \
            and not args.inputs[0].endswith((".jsonl", ".ndjson", ".csv", ".parquet")):
        text = _read_single(args.inputs[0])
        cleaned = _load(args).clean(text)
        sys.stdout.write(cleaned + ("\n" if cleaned and not cleaned.endswith("\n") else ""))
        return EXIT_OK
    from .batch import run_batch

    return run_batch("clean", args)


# ----------------------------------------------------------------------------------------- classify
def _add_classify(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("classify", help="label every paragraph (core, promotion, filler, boilerplate)")
    p.add_argument("inputs", nargs="+", metavar="INPUT", help="file, folder, .jsonl/.csv/.parquet, or - for stdin")
    p.add_argument("--format", choices=["text", "json", "jsonl", "html"], default="text")
    p.add_argument("-o", "--output", metavar="OUT", help="output file or folder")
    _add_model_options(p)
    p.set_defaults(func=_cmd_classify)


def _cmd_classify(args: argparse.Namespace) -> int:
    single = len(args.inputs) == 1 and (args.inputs[0] == "-" or Path(args.inputs[0]).is_file()) \
        and not args.inputs[0].endswith((".jsonl", ".ndjson", ".csv", ".parquet"))
    if single and args.format in ("text", "json", "jsonl") and args.output is None:
        name = args.inputs[0]
        paragraphs = _load(args).classify(_read_single(name))
        if args.format == "text":
            for p in paragraphs:
                sys.stdout.write(f"{p.label.value if p.label else '?':<11} {p.probability:5.2f}  {p.text}\n")
        elif args.format == "json":
            json.dump([p.to_dict() for p in paragraphs], sys.stdout, ensure_ascii=False, indent=2)
            sys.stdout.write("\n")
        else:
            for p in paragraphs:
                row = {"doc_id": name, **p.to_dict()}
                sys.stdout.write(json.dumps(row, ensure_ascii=False) + "\n")
        return EXIT_OK
    from .batch import run_batch

    return run_batch("classify", args)


# -------------------------------------------------------------------------------------------- train
def _add_train(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("train", help="train a model from labelled data (project JSONL, feedback, real corpora)")
    p.add_argument("--data", action="append", required=True, metavar="PATH",
                   help="labelled JSONL file/folder, feedback file, or a corpus folder (repeatable)")
    p.add_argument("--output", required=True, metavar="DIR", help="model directory to write")
    p.add_argument("--converters", default=None, help="HTML-to-text converters for corpora, comma separated")
    p.add_argument("--seed", type=int, default=0)
    p.set_defaults(func=_cmd_train)


def _cmd_train(args: argparse.Namespace) -> int:
    from .data import DataError
    from .model import ModelParams
    from .store import save_model_dir
    from .training import card_markdown, train_model

    converters = args.converters.split(",") if args.converters else None
    try:
        model, card, _ = train_model(args.data, params=ModelParams(seed=args.seed), converters=converters)
    except DataError as exc:
        print(f"article-filter: bad training data: {exc}", file=sys.stderr)
        return EXIT_REFUSED
    digest = save_model_dir(model, args.output, card)
    card["sha256"] = digest
    (Path(args.output) / "card.md").write_text(card_markdown(card), encoding="utf-8")
    m = card["metrics"]
    print(f"model written to {args.output} (sha256 {digest[:12]}); held-out macro F1 {m['macro_f1']}, "
          f"core recall {m['core_recall']}, threshold {m['min_core_probability']}")
    return EXIT_OK


# --------------------------------------------------------------------------------------------- main
def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="article-filter",
        description="Keep only the factual reporting in scraped news text.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True
    _add_clean(sub)
    _add_classify(sub)
    _add_train(sub)
    # Further command groups register here (one line each): retrain/models, data.
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse exits 2 on usage errors and 0 on --help
        return int(exc.code) if isinstance(exc.code, int) else EXIT_USAGE
    from .store import ModelIntegrityError

    try:
        return int(args.func(args))
    except ModelIntegrityError as exc:
        print(f"article-filter: {exc}", file=sys.stderr)
        return EXIT_REFUSED
    except (FileNotFoundError, IsADirectoryError, PermissionError) as exc:
        print(f"article-filter: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("article-filter: interrupted; rerun the same command to resume", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return EXIT_OK


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
