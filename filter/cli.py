"""Command line: parses arguments and calls the library. No filtering logic lives here.

Exit codes: 0 success, 1 some records failed (batch) or a check found problems, 2 usage error,
3 retrain candidate rejected, 4 a model or data file was refused, 5 the model registry is locked.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from .batch.job import CLEAN_FORMATS, COMPRESS_CHOICES, DEFAULT_GLOBS, ENGINES, BatchJob

if TYPE_CHECKING:
    from .training.registry import Registry

__all__ = ["main", "build_parser"]

EXIT_OK = 0
EXIT_FAILURES = 1
EXIT_USAGE = 2
EXIT_REJECTED = 3
EXIT_REFUSED = 4


def _add_model_options(p: argparse.ArgumentParser) -> None:
    g = p.add_mutually_exclusive_group()
    g.add_argument(
        "--model",
        metavar="DIR",
        help="model directory (weights.npz, model.json, card.json); default: shipped",
    )
    g.add_argument("--registry", metavar="DIR", help="use the current model of this registry")
    p.add_argument(
        "--min-core-probability",
        type=_bounded_float(0.0, 1.0),
        default=None,
        metavar="P",
        help="keep a paragraph when P(core) >= P (default: the model's tuned threshold)",
    )


def _load(args: argparse.Namespace):
    from .api import load_model

    flt = load_model(args.model, registry=args.registry)
    if args.min_core_probability is not None:
        flt = flt.with_config(flt.config.with_options(min_core_probability=args.min_core_probability))
    return flt


class _SingleInputError(Exception):
    """A single file that cannot be read as text: one line on stderr, exit 1 (like a failed batch record)."""


def _read_single(path: str) -> str:
    """The text of one input file (or stdin); a decoding fallback is announced in one line on stderr."""
    from .compress import maybe_decompress
    from .io import InputError, decode

    name = "<stdin>" if path == "-" else path
    try:
        raw = sys.stdin.buffer.read() if path == "-" else Path(path).read_bytes()
        decoded = decode(maybe_decompress(raw, name), name)
    except (InputError, ValueError) as exc:
        raise _SingleInputError(str(exc)) from None
    if decoded.fallback:
        print(f"article-filter: {name}: {decoded.note}", file=sys.stderr)
    return decoded.text


#: Inputs that are tables, not one text, even when compressed (``export.jsonl.gz``): they go to the batch.
_TABLE_SUFFIXES = (".jsonl", ".ndjson", ".csv", ".parquet")


def _is_table(name: str) -> bool:
    from .compress import strip_compression_suffix

    return strip_compression_suffix(name).lower().endswith(_TABLE_SUFFIXES)


def _bounded_float(lo: float, hi: float) -> Callable[[str], float]:
    """An argparse type: a finite float in [lo, hi]. ``float()`` alone accepts nan and inf, and a NaN
    threshold or tolerance silently disables the comparison it feeds (every ``x < nan`` is false)."""

    def parse(value: str) -> float:
        try:
            x = float(value)
        except ValueError:
            raise argparse.ArgumentTypeError(f"not a number: {value!r}") from None
        if not math.isfinite(x) or not lo <= x <= hi:
            raise argparse.ArgumentTypeError(f"must be a finite number from {lo:g} to {hi:g}, got {value}")
        return x

    return parse


def _bounded_int(lo: int, hi: int) -> Callable[[str], int]:
    """argparse type: an integer in [lo, hi], with a usage error (exit 2) that says so otherwise."""

    def parse(value: str) -> int:
        try:
            n = int(value)
        except ValueError:
            raise argparse.ArgumentTypeError(f"must be a whole number, got {value!r}") from None
        if not lo <= n <= hi:
            raise argparse.ArgumentTypeError(f"must be between {lo} and {hi}, got {n}")
        return n

    return parse


def _positive_float(hi: float) -> Callable[[str], float]:
    """argparse type: a finite number > 0 and <= hi (nan and inf are refused)."""

    def parse(value: str) -> float:
        try:
            x = float(value)
        except ValueError:
            raise argparse.ArgumentTypeError(f"must be a number, got {value!r}") from None
        if not (math.isfinite(x) and 0 < x <= hi):
            raise argparse.ArgumentTypeError(
                f"must be a finite number above 0 and at most {hi:g}, got {value}"
            )
        return x

    return parse


def _seed(value: str) -> int:
    """A training seed: numpy and scikit-learn accept 0 .. 2**32-1."""
    try:
        n = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not an integer: {value!r}") from None
    if not 0 <= n < 2**32:
        raise argparse.ArgumentTypeError(f"must be from 0 to {2**32 - 1}, got {n}")
    return n


#: Upper bounds of the numeric batch options: far above any sensible value, low enough to catch typos
#: (an extra zero or two) before they allocate or spawn anything.
_MAX_ROWS = 10_000_000
_MAX_JOBS = 1024
_positive_int = _bounded_int(1, _MAX_ROWS)


def _add_batch_options(p: argparse.ArgumentParser, command: str) -> None:
    """Options of the batch form (folders, tables, several inputs); layout and resuming: filter/batch/."""
    g = p.add_argument_group("batch (folders, .jsonl/.csv/.parquet, several inputs; resumable)")
    g.add_argument(
        "--glob",
        action="append",
        metavar="PATTERN",
        help=f"files to take from folders, repeatable (default: {' '.join(DEFAULT_GLOBS)})",
    )
    g.add_argument(
        "--text-field",
        default=BatchJob.text_field,
        metavar="NAME",
        help="column/field holding the text (tables)",
    )
    if command == "clean":
        g.add_argument(
            "--output-field",
            default=BatchJob.output_field,
            metavar="NAME",
            help=f"column added with the cleaned text (tables; default {BatchJob.output_field})",
        )
        g.add_argument(
            "--explain",
            action="store_true",
            help="also add <output-field>_paragraphs: each paragraph, its label and probabilities",
        )
    g.add_argument(
        "--id-field",
        default=None,
        metavar="NAME",
        help="column/field identifying a record (doc_id and error reports; default <file>:<line>)",
    )
    g.add_argument(
        "--chunk-size",
        type=_bounded_int(1, _MAX_ROWS),
        default=BatchJob.chunk_size,
        metavar="ROWS",
        help=f"table rows per output part file (default {BatchJob.chunk_size})",
    )
    g.add_argument(
        "--batch-size",
        type=_bounded_int(1, 100_000),
        default=BatchJob.batch_size,
        metavar="DOCS",
        help=f"documents per worker task (default {BatchJob.batch_size})",
    )
    g.add_argument(
        "--jobs",
        type=_bounded_int(1, _MAX_JOBS),
        default=None,
        metavar="N",
        help="worker processes (default: one per core)",
    )
    g.add_argument(
        "--doc-timeout",
        type=_positive_float(86_400.0),
        default=BatchJob.doc_timeout,
        metavar="SECONDS",
        help=f"time budget per document, per started million characters (default {BatchJob.doc_timeout:g}); "
        "a document over it fails in errors.jsonl",
    )
    g.add_argument(
        "--max-doc-mb",
        type=_positive_float(1_000_000.0),
        default=BatchJob.max_doc_mb,
        metavar="MB",
        help=f"size budget per document (default {BatchJob.max_doc_mb:g}); a larger one fails in errors.jsonl unread",
    )
    g.add_argument(
        "--engine",
        choices=list(ENGINES),
        default=ENGINES[0],
        help="local processes (default) or a Dask cluster",
    )
    g.add_argument(
        "--scheduler",
        metavar="ADDRESS",
        default=None,
        help="Dask scheduler address (default: start a local cluster)",
    )
    g.add_argument(
        "--compress",
        choices=list(COMPRESS_CHOICES),
        default="keep",
        help="compression of the outputs: keep (default) each input's, none, or one for all",
    )
    g.add_argument("--overwrite", action="store_true", help="redo outputs that exist instead of resuming")
    g.add_argument("--quiet", action="store_true", help="no progress bar (the summary still shows failures)")


# -------------------------------------------------------------------------------------------- clean
def _add_clean(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("clean", help="print or write the cleaned text (core paragraphs only)")
    p.add_argument(
        "inputs", nargs="+", metavar="INPUT", help="file, folder, .jsonl/.csv/.parquet, or - for stdin"
    )
    p.add_argument("-o", "--output", metavar="OUT", help="output file or folder (batch mode)")
    p.add_argument(
        "--format",
        choices=list(CLEAN_FORMATS),
        default=None,
        help="format of table outputs (default: the input's; WARC/WET give jsonl); text stays text",
    )
    _add_model_options(p)
    _add_batch_options(p, "clean")
    p.set_defaults(func=_cmd_clean)


def _missing_single(args: argparse.Namespace) -> bool:
    """One named input that does not exist: say so (the batch form would ask for --output instead)."""
    if (
        args.output is None
        and len(args.inputs) == 1
        and args.inputs[0] != "-"
        and not Path(args.inputs[0]).exists()
    ):
        print(f"article-filter: no such file: {args.inputs[0]}", file=sys.stderr)
        return True
    return False


def _require_batch_extras(args: argparse.Namespace) -> None:
    """Check the extras a batch run needs before it starts, so a missing one is one line (exit 2) instead of
    one failure per file in ``errors.jsonl``: pyarrow for Parquet in or out, dask for ``--engine dask``."""
    from ._extras import require
    from .compress import strip_compression_suffix

    if getattr(args, "format", None) == "parquet" or any(
        strip_compression_suffix(name).lower().endswith(".parquet") for name in args.inputs
    ):
        require("pyarrow", "parquet", feature="Parquet input/output")
    from .warc import is_warc_name

    if any(is_warc_name(name) for name in args.inputs):
        require("warcio", "warc", feature="WARC/WET input")
    if getattr(args, "compress", None) == "zst":
        require("zstandard", "zstd", feature="zstd (.zst) output")
    if getattr(args, "engine", None) == "dask":
        require("dask", "dask", feature="--engine dask")
        require("distributed", "dask", feature="--engine dask")


def _clean_warc_to_stdout(args: argparse.Namespace) -> int:
    """``clean crawl.warc.wet.gz`` without ``-o``: one JSONL row per page record on stdout, one line per
    bad record on stderr (exit 1 when there were any). With ``-o`` the batch command handles WARC input."""
    from .warc import WarcStats, clean_records

    name = args.inputs[0]
    stats = WarcStats()
    rows = clean_records(
        name,
        _load(args),
        explain=bool(getattr(args, "explain", False)),
        output_field=getattr(args, "output_field", None) or "clean_text",
        stats=stats,
        on_error=lambda e: print(f"article-filter: {name}: {e.message}", file=sys.stderr),
    )
    for row in rows:
        sys.stdout.write(json.dumps(row, ensure_ascii=False) + "\n")
    if not getattr(args, "quiet", False):
        skipped = ", ".join(f"{n} {k}" for k, n in sorted(stats.skipped.items()))
        print(
            f"article-filter: {name}: {stats.texts} records cleaned, {len(stats.errors)} failed"
            + (f"; skipped {skipped}" if skipped else ""),
            file=sys.stderr,
        )
    return EXIT_FAILURES if stats.errors else EXIT_OK


def _cmd_clean(args: argparse.Namespace) -> int:
    from .batch.plan import decide
    from .warc import is_warc_name

    if _missing_single(args):
        return EXIT_USAGE
    if args.output is None and len(args.inputs) == 1 and is_warc_name(args.inputs[0]):
        return _clean_warc_to_stdout(args)
    if decide(args.inputs, args.output).to_stdout:
        text = _read_single(args.inputs[0])
        document = _load(args).analyse(text, explain=False)  # same text as clean(), plus its warnings
        cleaned = document.text
        if document.notice(args.inputs[0]):
            print(document.notice(args.inputs[0]), file=sys.stderr)
        sys.stdout.write(cleaned + ("\n" if cleaned and not cleaned.endswith("\n") else ""))
        return EXIT_OK
    _require_batch_extras(args)
    return _run_batch(args, _batch_job(args, "clean", out_format=args.format))


def _model_spec(args: argparse.Namespace, resolve: bool = True):  # -> ModelSpec
    from .batch.job import ModelSpec

    def where(p: str | None) -> str | None:
        return str(Path(p).resolve()) if p and resolve else p

    return ModelSpec(where(args.model), where(args.registry), args.min_core_probability)


def _batch_job(args: argparse.Namespace, command: str, out_format: str | None) -> BatchJob:
    """The batch options of the command line as a :class:`BatchJob` (defaults come from BatchJob itself)."""
    return BatchJob(
        command=command,
        model=_model_spec(args),
        text_field=args.text_field,
        output_field=getattr(args, "output_field", BatchJob.output_field),
        explain=bool(getattr(args, "explain", False)),
        id_field=args.id_field,
        out_format=out_format,
        chunk_size=args.chunk_size,
        batch_size=args.batch_size,
        doc_timeout=args.doc_timeout,
        max_doc_mb=args.max_doc_mb,
        compress=args.compress,
    )


def _run_batch(args: argparse.Namespace, job: BatchJob) -> int:
    from .batch.runner import run_batch

    return run_batch(
        job,
        args.inputs,
        args.output,
        globs=tuple(args.glob or DEFAULT_GLOBS),
        jobs=args.jobs,
        engine=args.engine,
        scheduler=args.scheduler,
        overwrite=args.overwrite,
        quiet=args.quiet,
    )


# ----------------------------------------------------------------------------------------- classify
def _add_classify(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("classify", help="label every paragraph (core, promotion, filler, boilerplate)")
    p.add_argument(
        "inputs", nargs="+", metavar="INPUT", help="file, folder, .jsonl/.csv/.parquet, or - for stdin"
    )
    p.add_argument(
        "--format",
        choices=["text", "json", "jsonl", "csv", "parquet", "html"],
        default="text",
        help="batch outputs: jsonl (default), csv or parquet rows per paragraph",
    )
    p.add_argument("-o", "--output", metavar="OUT", help="output file or folder")
    _add_model_options(p)
    _add_batch_options(p, "classify")
    p.set_defaults(func=_cmd_classify)


def _classify_one(args: argparse.Namespace) -> int:
    """One text document to stdout: paragraphs as classify() plus the document verdict."""
    name = args.inputs[0]
    document = _load(args).analyse(_read_single(name))
    if args.format == "text":
        for p in document.paragraphs:
            sys.stdout.write(f"{p.label.value if p.label else '?':<11} {p.probability:5.2f}  {p.text}\n")
    elif args.format == "json":
        json.dump({"doc_id": name, **document.to_dict()}, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        for row in document.rows(name):
            sys.stdout.write(json.dumps(row, ensure_ascii=False) + "\n")
    return EXIT_OK


def _review_one(args: argparse.Namespace) -> int:
    """One text document as a review page, to stdout or to --output."""
    from .cleaner import keep_core
    from .report import model_note, render_review, write_review

    name = args.inputs[0]
    flt = _load(args)
    paragraphs = flt.classify(_read_single(name))
    items = [(name, paragraphs)]
    cleaned = [keep_core(paragraphs, flt.config)]
    if args.output is None:
        sys.stdout.write(render_review(items, cleaned, note=model_note(flt)))
    else:
        write_review(items, args.output, cleaned, note=model_note(flt))
    return EXIT_OK


def _review_many(args: argparse.Namespace) -> int:
    from .batch.job import UsageError
    from .batch.review import review_page

    try:
        return review_page(
            args.inputs, args.output, _model_spec(args, resolve=False), tuple(args.glob or DEFAULT_GLOBS)
        )
    except UsageError as exc:
        print(f"article-filter: {exc}", file=sys.stderr)
        return EXIT_USAGE


def _cmd_classify(args: argparse.Namespace) -> int:
    from .batch.plan import decide

    if _missing_single(args):
        return EXIT_USAGE
    mode = decide(args.inputs, args.output)
    single = mode.single_document
    if mode.to_stdout and args.format in ("text", "json", "jsonl"):
        return _classify_one(args)
    if args.format == "html":
        return _review_one(args) if single else _review_many(args)
    if args.format == "json":
        print(
            "article-filter: batch classify writes rows: use --format jsonl, csv or parquet", file=sys.stderr
        )
        return EXIT_USAGE
    _require_batch_extras(args)
    out_format = args.format if args.format in ("jsonl", "csv", "parquet") else None
    return _run_batch(args, _batch_job(args, "classify", out_format))


# -------------------------------------------------------------------------------------------- train
def _add_train(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "train", help="train a model from labelled data (project JSONL, feedback, real corpora)"
    )
    p.add_argument(
        "--data",
        action="append",
        required=True,
        metavar="PATH",
        help="labelled JSONL file/folder, feedback file, or a corpus folder (repeatable)",
    )
    p.add_argument("--output", required=True, metavar="DIR", help="model directory to write")
    p.add_argument("--converters", default=None, help="HTML-to-text converters for corpora, comma separated")
    p.add_argument("--seed", type=_seed, default=0)
    p.set_defaults(func=_cmd_train)


def _require_train(command: str) -> None:
    """Fail before reading any data when the ``train`` extra is missing (one line, exit 2)."""
    from ._extras import require

    require("sklearn", "train", feature=command)
    require("scipy.sparse", "train", feature=command)


def _cmd_train(args: argparse.Namespace) -> int:
    _require_train("train")
    from .model import ModelParams
    from .store import save_model_dir
    from .training.data import DataError
    from .training.train import card_markdown, train_model

    converters = args.converters.split(",") if args.converters else None
    try:
        model, card, _ = train_model(args.data, params=ModelParams(seed=args.seed), converters=converters)
    except DataError as exc:
        print(f"article-filter: bad training data: {exc}", file=sys.stderr)
        return EXIT_REFUSED
    digest = save_model_dir(model, args.output, card, card_markdown)
    m = card["metrics"]
    print(
        f"model written to {args.output} (sha256 {digest[:12]}); held-out macro F1 {m['macro_f1']}, "
        f"core recall {m['core_recall']}, threshold {m['min_core_probability']}"
    )
    return EXIT_OK


# ---------------------------------------------------------------------------------- retrain / models
EXIT_LOCKED = 5


def _registry_option(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--registry",
        metavar="DIR",
        default=None,
        help="model registry folder (default: $ARTICLE_FILTER_REGISTRY or ./registry)",
    )


def _add_retrain(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "retrain",
        help="train a candidate and promote it into a registry if it is not worse",
        description="Exit codes: 0 promoted or nothing to do, 3 candidate rejected, "
        "4 bad data or refused model, 5 registry locked, 2 usage.",
    )
    p.add_argument(
        "--data",
        action="extend",
        nargs="+",
        required=True,
        metavar="PATH",
        help="labelled JSONL file/folder, feedback file, or corpus folder (repeatable)",
    )
    _registry_option(p)
    p.add_argument("--force", action="store_true", help="retrain even if the data is unchanged")
    p.add_argument(
        "--tolerance",
        type=_bounded_float(0.0, 1.0),
        default=None,
        metavar="F1",
        # the number lives in filter/registry.py, which imports numpy: not read while building the parser
        help="largest allowed drop in held-out macro F1 (default: filter.registry.DEFAULT_F1_TOLERANCE)",
    )
    p.add_argument("--converters", default=None, help="HTML-to-text converters for corpora, comma separated")
    p.add_argument("--seed", type=_seed, default=0, help="training seed (fixed, so reruns are comparable)")
    p.add_argument(
        "--feedback-in-eval",
        action="store_true",
        help="split feedback files by group like other data (default: always train on them)",
    )
    p.set_defaults(func=_cmd_retrain)


def _cmd_retrain(args: argparse.Namespace) -> int:
    _require_train("retrain")
    from .training.data import DataError
    from .training.registry import RegistryLockedError, default_registry
    from .training.retrain import DEFAULT_F1_TOLERANCE, retrain

    registry = args.registry or default_registry()
    tolerance = DEFAULT_F1_TOLERANCE if args.tolerance is None else args.tolerance
    try:
        result = retrain(
            registry,
            args.data,
            force=args.force,
            tolerance=tolerance,
            seed=args.seed,
            converters=args.converters.split(",") if args.converters else None,
            feedback_in_eval=args.feedback_in_eval,
            progress=lambda msg: print(f"retrain: {msg}", file=sys.stderr, flush=True),
        )
    except RegistryLockedError as exc:
        print(f"article-filter: {exc}", file=sys.stderr)
        return EXIT_LOCKED
    except DataError as exc:
        print(f"article-filter: bad training data, nothing was trained: {exc}", file=sys.stderr)
        return EXIT_REFUSED
    print(result.report())
    return result.exit_code


def _add_models(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("models", help="list, show or roll back the versions in a model registry")
    msub = p.add_subparsers(dest="models_command", metavar="ACTION")
    msub.required = True
    ls = msub.add_parser("list", help="all versions, the current one marked, tampered ones flagged")
    _registry_option(ls)
    ls.set_defaults(func=_cmd_models_list)
    show = msub.add_parser("show", help="a version's card summary and integrity check")
    show.add_argument("version", nargs="?", default=None, help="e.g. v0003 or 3 (default: current)")
    show.add_argument("--json", action="store_true", help="print the full card as JSON")
    _registry_option(show)
    show.set_defaults(func=_cmd_models_show)
    rb = msub.add_parser("rollback", help="make another version current (default: the one current replaced)")
    rb.add_argument("version", nargs="?", default=None, help="version to switch to")
    _registry_option(rb)
    rb.set_defaults(func=_cmd_models_rollback)
    conv = msub.add_parser(
        "convert",
        help="convert an old pickled model directory (model.joblib) to the safe format; TRUSTED input only",
        description="Unpickles OLD_DIR/model.joblib, which runs any code the file contains: only for a model "
        "you trust (e.g. one you trained). Writes weights.npz, model.json, card.json and card.md to NEW_DIR "
        "and checks that the converted model's arrays and predictions equal the old one's.",
    )
    conv.add_argument("old_dir", metavar="OLD_DIR", help="directory holding model.joblib + card.json")
    conv.add_argument("new_dir", metavar="NEW_DIR", help="empty or new directory to write")
    conv.set_defaults(func=_cmd_models_convert)
    rep = msub.add_parser("report", help="the model card as an HTML page with plots (PNGs written beside it)")
    rep.add_argument("version", nargs="?", default=None, help="registry version (default: current)")
    rep.add_argument(
        "--model",
        metavar="DIR",
        default=None,
        help="report on this model directory instead of a registry version",
    )
    rep.add_argument("-o", "--output", required=True, metavar="HTML", help="page to write, e.g. report.html")
    _registry_option(rep)
    rep.set_defaults(func=_cmd_models_report)


def _open_registry(args: argparse.Namespace) -> Registry:
    from .training.registry import Registry, RegistryError, default_registry

    reg = Registry(args.registry or default_registry())
    if not reg.root.is_dir():
        raise RegistryError(f"no model registry at {reg.root}")
    return reg


def _cmd_models_list(args: argparse.Namespace) -> int:
    from .training.registry import RegistryError

    try:
        reg = _open_registry(args)
    except RegistryError as exc:
        print(f"article-filter: {exc}", file=sys.stderr)
        return EXIT_USAGE
    from .store import ModelIntegrityError

    try:
        reg.pointer()
        pointer_ok = True
    except ModelIntegrityError as exc:  # still list the versions: that is how the user picks one to repair
        print(f"article-filter: {exc}", file=sys.stderr)
        pointer_ok = False
    infos = reg.versions()
    if not infos:
        print(f"registry {reg.root} has no versions yet")
        return EXIT_OK if pointer_ok else EXIT_FAILURES
    print(f"  {'version':<9}{'created':<27}{'core rec':>9}{'macro F1':>9}  {'data':<13}{'parent':<8}status")
    for v in infos:
        m = v.metrics
        print(
            f"{'*' if v.is_current else ' '} {v.name:<9}{str(v.card.get('created', '?'))[:26]:<27}"
            f"{_num(m.get('core_recall')):>9.4f}{_num(m.get('macro_f1')):>9.4f}  "
            f"{str(v.card.get('data_hash', ''))[:12]:<13}{v.parent or '-':<8}{v.status}"
        )
    return EXIT_OK if pointer_ok and all(v.ok for v in infos) else EXIT_FAILURES


def _num(value: object) -> float:
    """A card value as a number for display; NaN for anything else (cards may be hand-edited or hostile)."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    return float("nan")


def _cmd_models_show(args: argparse.Namespace) -> int:
    from .training.registry import RegistryError

    try:
        reg = _open_registry(args)
        name = reg.resolve(args.version) if args.version else reg.current_version()
        if name is None:
            raise RegistryError(f"registry {reg.root} has no current model")
    except RegistryError as exc:
        print(f"article-filter: {exc}", file=sys.stderr)
        return EXIT_USAGE
    v = reg.info(name)
    if args.json:
        print(json.dumps(v.card, indent=2, sort_keys=True, default=str))
    else:
        m = v.metrics
        print(f"{v.name}{' (current)' if v.is_current else ''}: {v.path}")
        print(
            f"  integrity:   {'ok (files match the card, card matches the registry record)' if v.ok else v.status}"
        )
        for key, title in (("created", "created"), ("data_hash", "data hash"), ("data_paths", "data")):
            print(f"  {title + ':':<13}{v.card.get(key)}")
        print(f"  {'replaced:':<13}{v.parent or '-'}")
        print(
            f"  {'held-out:':<13}core recall {m.get('core_recall')}, macro F1 {m.get('macro_f1')}, "
            f"threshold {m.get('min_core_probability')}, {m.get('n_documents')} documents"
        )
        per_label = m.get("per_label")
        for lab, st in (per_label if isinstance(per_label, dict) else {}).items():
            st = st if isinstance(st, dict) else {}
            print(
                f"  {'':<13}{lab:<12} P {_num(st.get('precision')):.4f}  R {_num(st.get('recall')):.4f}  "
                f"F1 {_num(st.get('f1')):.4f}  n {st.get('support')}"
            )
        print(f"  {'labels:':<13}{v.card.get('label_counts')}")
        print(f"  {'versions:':<13}{v.card.get('versions')}")
    if not v.ok:
        print(f"article-filter: {v.name} fails verification and will not be loaded", file=sys.stderr)
    return EXIT_OK if v.ok else EXIT_FAILURES


def _cmd_models_rollback(args: argparse.Namespace) -> int:
    from .training.registry import RegistryError, RegistryLockedError

    try:
        reg = _open_registry(args)
        old, new = reg.rollback(args.version)
    except RegistryLockedError as exc:
        print(f"article-filter: {exc}", file=sys.stderr)
        return EXIT_LOCKED
    except RegistryError as exc:  # ModelIntegrityError (exit 4) is reported by main()
        print(f"article-filter: {exc}", file=sys.stderr)
        return EXIT_USAGE
    print(f"rolled back: current model is now {new} (was {old or 'an unverifiable pointer'})")
    return EXIT_OK


def _cmd_models_convert(args: argparse.Namespace) -> int:
    """Thin wrapper over :func:`filter.store.convert_legacy_dir` (prints the loud warning)."""
    from .store import convert_legacy_dir
    from .training.train import card_markdown

    print(
        f"article-filter: WARNING: unpickling {args.old_dir}: this runs any code the file contains. "
        "Convert only models you trust.",
        file=sys.stderr,
    )
    try:
        report = convert_legacy_dir(args.old_dir, args.new_dir, card_markdown)
    except FileExistsError as exc:
        print(f"article-filter: {exc}", file=sys.stderr)
        return EXIT_USAGE
    print(report)
    return EXIT_OK


def _cmd_models_report(args: argparse.Namespace) -> int:
    """Thin wrapper over :func:`filter.report.write_model_report` (matplotlib is the optional extra)."""
    from .report import ReportDependencyError, write_model_report
    from .training.registry import default_registry

    if args.model is not None and args.version is not None:
        print("article-filter: give a VERSION or --model DIR, not both", file=sys.stderr)
        return EXIT_USAGE
    registry = args.registry if args.model is not None else (args.registry or default_registry())
    if args.model is None and not Path(registry).is_dir():
        print(
            f"article-filter: no model registry at {registry} (use --registry DIR, or --model DIR for a "
            "model directory)",
            file=sys.stderr,
        )
        return EXIT_USAGE
    try:
        written = write_model_report(args.model or args.version, args.output, registry=registry)
    except ReportDependencyError as exc:
        print(
            exc, file=sys.stderr
        )  # already "article-filter models report needs matplotlib: pip install ..."
        return EXIT_USAGE
    print("wrote " + ", ".join(str(path) for path in written.values()))
    return EXIT_OK


# ------------------------------------------------------------------------------------ serve / uncertain
def _add_serve(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "serve",
        help="HTTP service: /clean, /classify, /health and a review page that saves label corrections",
        description="Binds to 127.0.0.1 by default; another host needs --allow-remote and --token "
        "(or $ARTICLE_FILTER_TOKEN). Needs the 'serve' extra. Details: filter/serve.py.",
    )
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    p.add_argument("--port", type=int, default=8765, help="port (default 8765)")
    _add_model_options(p)
    p.add_argument(
        "--feedback", metavar="DIR", default=None, help="folder the review page saves corrections to"
    )
    p.add_argument("--allow-remote", action="store_true", help="allow a non-loopback --host (needs --token)")
    p.add_argument("--token", default=None, help="bearer token every API request must send")
    p.add_argument(
        "--max-body-bytes", type=_positive_int, default=None, metavar="N", help="request size limit"
    )
    p.set_defaults(func=_cmd_serve)


def _cmd_serve(args: argparse.Namespace) -> int:
    import os

    try:
        from .serve import DEFAULT_MAX_BODY_BYTES, ServeConfigError, check_bind, run_server
    except ImportError as exc:  # the optional extra is missing: one line naming it
        print(f"article-filter: {exc}", file=sys.stderr)
        return EXIT_USAGE
    token = args.token or os.environ.get("ARTICLE_FILTER_TOKEN") or None
    try:
        check_bind(args.host, args.allow_remote, token)  # before loading the model: fail fast
        run_server(
            _load(args),
            host=args.host,
            port=args.port,
            feedback_dir=Path(args.feedback) if args.feedback else None,
            allow_remote=args.allow_remote,
            token=token,
            max_body_bytes=args.max_body_bytes or DEFAULT_MAX_BODY_BYTES,
        )
    except ServeConfigError as exc:
        print(f"article-filter: {exc}", file=sys.stderr)
        return EXIT_USAGE
    return EXIT_OK


def _add_uncertain(sub: argparse._SubParsersAction) -> None:
    from .uncertain import DEFAULT_PER_DOCUMENT, MEASURES

    p = sub.add_parser(
        "uncertain",
        help="the paragraphs the model is least sure about, spread over sites, as rows to review",
        description="Writes feedback rows (the model's guess as label) for the review page of "
        "'serve'; after correction 'retrain --data' reads them. Details: filter/uncertain.py.",
    )
    p.add_argument("inputs", nargs="+", metavar="INPUT", help="text/HTML file, folder, or .jsonl table")
    p.add_argument("-n", type=_positive_int, default=200, help="paragraphs to pick (default 200)")
    p.add_argument("-o", "--output", required=True, metavar="JSONL", help="file to write")
    p.add_argument("--by", choices=MEASURES, default="margin", help="uncertainty measure (default margin)")
    p.add_argument(
        "--per-document",
        type=_positive_int,
        default=DEFAULT_PER_DOCUMENT,
        metavar="K",
        help=f"at most K paragraphs from one document (default {DEFAULT_PER_DOCUMENT})",
    )
    p.add_argument("--glob", action="append", metavar="PATTERN", help="files to take from folders")
    p.add_argument("--text-field", default="text", metavar="NAME", help="text field of .jsonl records")
    p.add_argument("--id-field", default=None, metavar="NAME", help="id field of .jsonl records")
    p.add_argument("--site-field", default="site", metavar="NAME", help="site field of .jsonl records")
    _add_model_options(p)
    p.set_defaults(func=_cmd_uncertain)


def _cmd_uncertain(args: argparse.Namespace) -> int:
    from .batch.job import UsageError
    from .uncertain import write_uncertain

    try:
        counts = write_uncertain(
            _load(args),
            args.inputs,
            args.output,
            n=args.n,
            by=args.by,
            per_document=args.per_document,
            globs=args.glob,
            text_field=args.text_field,
            id_field=args.id_field,
            site_field=args.site_field,
        )
    except (UsageError, ValueError) as exc:
        print(f"article-filter: {exc}", file=sys.stderr)
        return EXIT_USAGE
    print(
        f"wrote {counts['rows']} paragraphs from {counts['chosen_documents']} documents and "
        f"{counts['sites']} sites (of {counts['documents']} documents read) to {args.output}"
    )
    return EXIT_OK


# --------------------------------------------------------------------------------------------- main
def _add_data(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    data = sub.add_parser("data", help="inspect labelled training data")
    dsub = data.add_subparsers(dest="data_command", metavar="SUBCOMMAND")
    dsub.required = True
    p = dsub.add_parser("check", help="validate training JSONL; exit 1 when errors are found")
    p.add_argument("paths", nargs="+", metavar="PATH", help="JSONL file(s) or folder(s) of training data")
    p.add_argument("--markdown", action="store_true", help="print the data-card count tables as markdown")
    p.add_argument("--max-warnings", type=int, default=50, metavar="N", help="show at most N warnings")
    p.add_argument(
        "--near-dup-threshold",
        type=_bounded_float(0.0, 1.0),
        default=None,
        metavar="J",
        help="Jaccard of word 5-gram shingles counted as near-duplicate "
        "(default: filter.datacheck.NEAR_DUP_THRESHOLD)",
    )
    p.set_defaults(func=_cmd_data_check)


def _cmd_data_check(args: argparse.Namespace) -> int:
    from .training.datareport import run_check  # validator and data-card counts live in datacheck

    return run_check(
        args.paths,
        markdown=args.markdown,
        max_warnings=args.max_warnings,
        near_dup_threshold=args.near_dup_threshold,
    )


# ------------------------------------------------------------------------------------------ clickbait
def _add_clickbait(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("clickbait", help="train or apply the clickbait score for headline-like lines")
    csub = p.add_subparsers(dest="clickbait_command", metavar="ACTION")
    csub.required = True
    tr = csub.add_parser("train", help="train on the clickbait/news headline corpus; write arrays + metrics")
    tr.add_argument("--corpus", required=True, metavar="DIR", help="folder with headlines.jsonl.gz")
    tr.add_argument("--out", required=True, metavar="FILE.npz", help="model arrays (loaded without pickle)")
    tr.add_argument(
        "--metrics", metavar="FILE.json", help="metrics and provenance (default: --out with .json suffix)"
    )
    tr.add_argument(
        "--reporting",
        metavar="DIR",
        help="BBC full-text corpus folder: also check the score on reporting prose",
    )
    tr.set_defaults(func=_cmd_clickbait_train)
    sc = csub.add_parser("score", help="print the clickbait score of each line (JSON lines)")
    sc.add_argument("lines", nargs="*", metavar="LINE", help="lines to score (default: stdin, one per line)")
    sc.add_argument(
        "--model", metavar="FILE.npz", help="model arrays (default: the shipped models/clickbait.npz)"
    )
    sc.set_defaults(func=_cmd_clickbait_score)


def _cmd_clickbait_train(args: argparse.Namespace) -> int:
    from .store import atomic_write_text, file_sha256
    from .training.clickbait import train_clickbait

    model, metrics = train_clickbait(args.corpus, reporting_dir=args.reporting)
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    model.save(out)
    arrays = model.to_arrays()
    card = {
        "model": "clickbait logistic regression over hashed char 2-5-grams + word 1-2-grams (filter/clickbait.py)",
        "file": out.name,
        "sha256": file_sha256(out),
        "corpus": {
            "name": "clickbait and news headlines (Chakraborty et al., Stop Clickbait, ASONAM 2016)",
            "licence": "MIT (Copyright 2016 Abhijnan Chakraborty, Bhargavi Paranjape, Sourya Kakarla, Niloy Ganguly)",
            "source": "github.com/bhargaviparanjape/clickbait, commit 203d979a81545ae6160ff45ffdac83e74469c97a",
            "note": "only hashed n-gram weights are stored, no headline text",
        },
        "features": {
            "char_n": list(model.char_n),
            "char_bits": model.char_bits,
            "word_bits": model.word_bits,
            "spans_max_whole_head_tail": arrays["spans"].tolist(),  # -1s: whole text
            "hash_version": int(arrays["hash_version"][0]),
        },
        "attach_only_where": "filter.clickbait.is_headline_like (one line, 3-20 words, <= 150 chars, no final stop)",
        "metrics": metrics,
    }
    metrics_path = Path(args.metrics) if args.metrics else out.with_suffix(".json")
    atomic_write_text(metrics_path, json.dumps(card, indent=2) + "\n")
    held = metrics["held_out"]
    print(
        f"held-out n={held['n']} accuracy={held['accuracy']:.4f} roc_auc={held['roc_auc']:.4f} "
        f"ece={held['calibration']['ece']:.4f} C={metrics['C']}; wrote {out} and {metrics_path}"
    )
    return EXIT_OK


def _cmd_clickbait_score(args: argparse.Namespace) -> int:
    from .clickbait import ClickbaitModel, is_headline_like, load_default

    model = ClickbaitModel.load(args.model) if args.model else load_default()
    lines = list(args.lines) or [ln.rstrip("\n") for ln in sys.stdin]
    scores = model.score(lines)
    shaped = is_headline_like(lines)
    for text, s, h in zip(lines, scores.tolist(), shaped.tolist()):
        sys.stdout.write(
            json.dumps({"text": text, "clickbait": round(s, 4), "headline_like": h}, ensure_ascii=False)
            + "\n"
        )
    return EXIT_OK


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
    _add_retrain(sub)
    _add_models(sub)
    _add_data(sub)
    _add_serve(sub)
    _add_uncertain(sub)
    _add_clickbait(sub)
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
    except _SingleInputError as exc:
        print(f"article-filter: {exc}", file=sys.stderr)
        return EXIT_FAILURES
    except ImportError as exc:
        # A missing optional package (filter._extras): one line naming the extra, never a traceback. An
        # ImportError of anything else is a real bug and keeps its traceback.
        from ._extras import missing_extra_message

        message = missing_extra_message(exc, feature=str(getattr(args, "command", "") or "") or None)
        if message is None:
            raise
        print(message, file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("article-filter: interrupted; rerun the same command to resume", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return EXIT_OK


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
