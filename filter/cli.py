"""Command line: builds the argparse parser and hands the parsed options to :mod:`filter.commands`.

This is the only module that knows argparse. :func:`main` parses, turns the namespace into keyword arguments
(:func:`_plain`: the model options become a :class:`ModelSpec`, the batch options a :class:`BatchOptions`)
and calls the command function, which returns the exit code; the errors every command can meet (a refused
model, a missing file or extra, Ctrl-C) are reported here in one line. No filtering logic lives here.

Exit codes: 0 success, 1 some records failed (batch) or a check found problems, 2 usage error,
3 retrain candidate rejected, 4 a model or data file was refused, 5 the model registry is locked.
"""

from __future__ import annotations

import argparse
import math
import sys
from collections.abc import Callable, Sequence
from dataclasses import fields
from typing import Any, TypeVar

from .batch.job import CLEAN_FORMATS, COMPRESS_CHOICES, DEFAULT_GLOBS, ENGINES, BatchJob, ModelSpec
from .commands import data, documents, models, review, train
from .commands.common import EXIT_FAILURES, EXIT_OK, EXIT_REFUSED, EXIT_USAGE, BatchOptions

__all__ = ["main", "build_parser"]

_N = TypeVar("_N", int, float)


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


def _checked(
    convert: Callable[[str], _N], not_a_number: str, ok: Callable[[_N], bool], rule: str
) -> Callable[[str], _N]:
    """An argparse type: ``convert(value)`` if ``ok`` says it is in range, else a usage error (exit 2) that
    says why. Messages are formats of ``value`` (the text given) and ``x`` (the number read)."""

    def parse(value: str) -> _N:
        try:
            x = convert(value)
        except ValueError:
            raise argparse.ArgumentTypeError(not_a_number.format(value=value)) from None
        if not ok(x):
            raise argparse.ArgumentTypeError(rule.format(value=value, x=x))
        return x

    return parse


def _bounded_float(lo: float, hi: float) -> Callable[[str], float]:
    """A finite float in [lo, hi]. ``float()`` alone accepts nan and inf, and a NaN threshold or tolerance
    silently disables the comparison it feeds (every ``x < nan`` is false)."""
    rule = f"must be a finite number from {lo:g} to {hi:g}, got {{value}}"
    return _checked(float, "not a number: {value!r}", lambda x: math.isfinite(x) and lo <= x <= hi, rule)


def _bounded_int(lo: int, hi: int) -> Callable[[str], int]:
    """An integer in [lo, hi]."""
    rule = f"must be between {lo} and {hi}, got {{x}}"
    return _checked(int, "must be a whole number, got {value!r}", lambda n: lo <= n <= hi, rule)


def _positive_float(hi: float) -> Callable[[str], float]:
    """A finite number > 0 and <= hi (nan and inf are refused)."""
    rule = f"must be a finite number above 0 and at most {hi:g}, got {{value}}"
    return _checked(
        float, "must be a number, got {value!r}", lambda x: math.isfinite(x) and 0 < x <= hi, rule
    )


#: A training seed: numpy and scikit-learn accept 0 .. 2**32-1.
_seed = _checked(
    int, "not an integer: {value!r}", lambda n: 0 <= n < 2**32, f"must be from 0 to {2**32 - 1}, got {{x}}"
)


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
    g.add_argument(
        "--quiet", action="store_true", help="no progress bar and no summary (failures are still counted)"
    )


# -------------------------------------------------------------------------------------------- clean
def _add_clean(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("clean", help="print or write the cleaned text (core paragraphs only)")
    p.add_argument(
        "inputs", nargs="+", metavar="INPUT", help="file, folder, .jsonl/.csv/.parquet, or - for stdin"
    )
    p.add_argument("-o", "--output", metavar="OUT", help="output file or folder (batch mode)")
    p.add_argument(
        "--format",
        dest="out_format",
        choices=list(CLEAN_FORMATS),
        default=None,
        help="format of table outputs (default: the input's; WARC/WET give jsonl); text stays text",
    )
    _add_model_options(p)
    _add_batch_options(p, "clean")
    p.set_defaults(func=documents.clean)


# ----------------------------------------------------------------------------------------- classify
def _add_classify(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("classify", help="label every paragraph (core, promotion, filler, boilerplate)")
    p.add_argument(
        "inputs", nargs="+", metavar="INPUT", help="file, folder, .jsonl/.csv/.parquet, or - for stdin"
    )
    p.add_argument(
        "--format",
        dest="out_format",
        choices=documents.CLASSIFY_FORMATS,
        default=None,
        help="one document: text (default on stdout) or json, to stdout or -o FILE; rows per paragraph: "
        "jsonl (default in files), csv or parquet; html: a review page",
    )
    p.add_argument("-o", "--output", metavar="OUT", help="output file or folder")
    _add_model_options(p)
    _add_batch_options(p, "classify")
    p.set_defaults(func=documents.classify)


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
    p.set_defaults(func=train.train)


# ---------------------------------------------------------------------------------- retrain / models
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
        # the number lives in filter/training/retrain.py, which imports numpy: not read while building the parser
        help="largest allowed drop in held-out macro F1 (default: filter.training.retrain.DEFAULT_F1_TOLERANCE)",
    )
    p.add_argument("--converters", default=None, help="HTML-to-text converters for corpora, comma separated")
    p.add_argument("--seed", type=_seed, default=0, help="training seed (fixed, so reruns are comparable)")
    p.add_argument(
        "--feedback-in-eval",
        action="store_true",
        help="split feedback files by group like other data (default: always train on them)",
    )
    p.set_defaults(func=train.retrain)


def _add_models(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("models", help="list, show or roll back the versions in a model registry")
    msub = p.add_subparsers(dest="models_command", metavar="ACTION")
    msub.required = True
    ls = msub.add_parser("list", help="all versions, the current one marked, tampered ones flagged")
    _registry_option(ls)
    ls.set_defaults(func=models.models_list)
    show = msub.add_parser("show", help="a version's card summary and integrity check")
    show.add_argument("version", nargs="?", default=None, help="e.g. v0003 or 3 (default: current)")
    show.add_argument("--json", dest="as_json", action="store_true", help="print the full card as JSON")
    _registry_option(show)
    show.set_defaults(func=models.models_show)
    rb = msub.add_parser("rollback", help="make another version current (default: the one current replaced)")
    rb.add_argument("version", nargs="?", default=None, help="version to switch to")
    _registry_option(rb)
    rb.set_defaults(func=models.models_rollback)
    conv = msub.add_parser(
        "convert",
        help="convert an old pickled model directory (model.joblib) to the safe format; TRUSTED input only",
        description="Unpickles OLD_DIR/model.joblib, which runs any code the file contains: only for a model "
        "you trust (e.g. one you trained). Writes weights.npz, model.json, card.json and card.md to NEW_DIR "
        "and checks that the converted model's arrays and predictions equal the old one's.",
    )
    conv.add_argument("old_dir", metavar="OLD_DIR", help="directory holding model.joblib + card.json")
    conv.add_argument("new_dir", metavar="NEW_DIR", help="empty or new directory to write")
    conv.set_defaults(func=models.models_convert)
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
    rep.set_defaults(func=models.models_report)


# ------------------------------------------------------------------------------------ serve / uncertain
def _add_serve(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "serve",
        help="HTTP service: /clean, /classify, /health and a review page that saves label corrections",
        description="Binds to 127.0.0.1 by default; another host needs --allow-remote and --token "
        "(or $ARTICLE_FILTER_TOKEN). Needs the 'serve' extra. Details: filter/serve/.",
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
    p.set_defaults(func=review.serve)


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
    p.set_defaults(func=review.uncertain)


# ------------------------------------------------------------------------------------------------ data
def _add_data(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    group = sub.add_parser("data", help="inspect labelled training data")
    dsub = group.add_subparsers(dest="data_command", metavar="SUBCOMMAND")
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
        "(default: filter.training.datacheck.NEAR_DUP_THRESHOLD)",
    )
    p.set_defaults(func=data.data_check)


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
    tr.set_defaults(func=data.clickbait_train)
    sc = csub.add_parser("score", help="print the clickbait score of each line (JSON lines)")
    sc.add_argument("lines", nargs="*", metavar="LINE", help="lines to score (default: stdin, one per line)")
    sc.add_argument(
        "--model", metavar="FILE.npz", help="model arrays (default: the shipped models/clickbait.npz)"
    )
    sc.set_defaults(func=data.clickbait_score)


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


# ------------------------------------------------------------------------------------------------ main
#: Options every command parser sets that are not arguments of the command function.
_PARSER_ONLY = ("func", "command", "data_command", "models_command", "clickbait_command")
_MODEL_OPTIONS = ("model", "registry", "min_core_probability")


def _plain(args: argparse.Namespace) -> dict[str, Any]:
    """The parsed options as the command function's keyword arguments: the options of
    :func:`_add_model_options` as ``model=ModelSpec``, those of :func:`_add_batch_options` as
    ``batch=BatchOptions``, every other option under its own name."""
    kwargs = {k: v for k, v in vars(args).items() if k not in _PARSER_ONLY}
    if "min_core_probability" in kwargs:
        kwargs["model"] = ModelSpec(*(kwargs.pop(k) for k in _MODEL_OPTIONS))
    if "chunk_size" in kwargs:
        names = [f.name for f in fields(BatchOptions) if f.name in kwargs]
        kwargs["batch"] = BatchOptions(**{k: kwargs.pop(k) for k in names})
    return kwargs


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse exits 2 on usage errors and 0 on --help
        return int(exc.code) if isinstance(exc.code, int) else EXIT_USAGE
    from .commands.common import SingleInputError
    from .store import ModelIntegrityError

    try:
        return int(args.func(**_plain(args)))
    except ModelIntegrityError as exc:
        print(f"article-filter: {exc}", file=sys.stderr)
        return EXIT_REFUSED
    except (FileNotFoundError, IsADirectoryError, PermissionError) as exc:
        print(f"article-filter: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except SingleInputError as exc:
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
