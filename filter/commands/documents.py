"""``clean`` and ``classify``: one document to stdout (or one file), or the batch (filter/batch/)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from .common import (
    EXIT_FAILURES,
    EXIT_OK,
    EXIT_USAGE,
    BatchOptions,
    ModelSpec,
    fail,
    missing_single,
    read_single,
    resolved,
    say,
)

__all__ = ["clean", "classify", "CLASSIFY_FORMATS"]

#: ``classify --format`` values. text and json describe one document; jsonl, csv and parquet are rows per
#: paragraph (the batch writes those); html is a review page. No --format: text on stdout, jsonl rows in files.
CLASSIFY_FORMATS = ("text", "json", "jsonl", "csv", "parquet", "html")
_ROW_FORMATS = ("jsonl", "csv", "parquet")
_ONE_DOCUMENT_FORMATS = ("text", "json")


def _parquet_written(command: str, out_format: str | None, inputs: list[str], globs: tuple[str, ...]) -> bool:
    """Whether ``--format parquet`` writes a Parquet file: always for ``classify`` (paragraph rows), but
    for ``clean`` only for table inputs (text documents stay text), named or matched by a ``--glob``."""
    from ..batch.formats import format_for_path
    from ..compress import strip_compression_suffix

    if out_format != "parquet":
        return False
    names = [n for n in inputs if not Path(n).is_dir()] + list(globs)
    return command == "classify" or any(
        format_for_path(n) is not None or format_for_path(strip_compression_suffix(n)) is not None
        for n in names
    )


def _require_batch_extras(
    command: str, inputs: list[str], out_format: str | None, batch: BatchOptions
) -> None:
    """Check the extras a batch run needs before it starts, so a missing one is one line (exit 2) instead of
    one failure per file in ``errors.jsonl``: pyarrow for Parquet in or out, dask for ``--engine dask``."""
    from .._extras import require
    from ..compress import strip_compression_suffix
    from ..warc import is_warc_name

    engine, compress = batch.engine, batch.compress
    if _parquet_written(command, out_format, inputs, batch.globs) or any(
        strip_compression_suffix(name).lower().endswith(".parquet") for name in inputs
    ):
        require("pyarrow", "parquet", feature="Parquet input/output")
    if any(is_warc_name(name) for name in inputs):
        require("warcio", "warc", feature="WARC/WET input")
    if compress == "zst":
        require("zstandard", "zstd", feature="zstd (.zst) output")
    if engine == "dask":
        require("dask", "dask", feature="--engine dask")
        require("distributed", "dask", feature="--engine dask")


def _run_batch(
    command: str,
    inputs: list[str],
    output: str | None,
    model: ModelSpec,
    batch: BatchOptions,
    out_format: str | None,
) -> int:
    """The batch form of ``clean`` / ``classify``: a :class:`BatchJob` from the options, run by the runner."""
    from ..batch.job import BatchJob
    from ..batch.runner import run_batch

    _require_batch_extras(command, inputs, out_format, batch)
    job = BatchJob(
        command=command,
        model=resolved(model),
        text_field=batch.text_field,
        output_field=batch.output_field,
        explain=batch.explain,
        id_field=batch.id_field,
        out_format=out_format,
        chunk_size=batch.chunk_size,
        batch_size=batch.batch_size,
        doc_timeout=batch.doc_timeout,
        max_doc_mb=batch.max_doc_mb,
        compress=batch.compress,
    )
    return run_batch(
        job,
        inputs,
        output,
        globs=batch.globs,
        jobs=batch.jobs,
        engine=batch.engine,
        scheduler=batch.scheduler,
        overwrite=batch.overwrite,
        quiet=batch.quiet,
    )


# -------------------------------------------------------------------------------------------- clean
def _clean_warc_to_stdout(name: str, model: ModelSpec, batch: BatchOptions) -> int:
    """``clean crawl.warc.wet.gz`` without ``-o``: one JSONL row per page record on stdout, one line per
    bad record on stderr (exit 1 when there were any). With ``-o`` the batch command handles WARC input."""
    from ..warc import WarcStats, clean_records

    stats = WarcStats()
    rows = clean_records(
        name,
        model.load(),
        explain=batch.explain,
        output_field=batch.output_field or "clean_text",
        stats=stats,
        on_error=lambda e: say(f"{name}: {e.message}"),
    )
    for row in rows:
        sys.stdout.write(json.dumps(row, ensure_ascii=False) + "\n")
    if not batch.quiet:
        skipped = ", ".join(f"{n} {k}" for k, n in sorted(stats.skipped.items()))
        say(
            f"{name}: {stats.texts} records cleaned, {len(stats.errors)} failed"
            + (f"; skipped {skipped}" if skipped else "")
        )
    return EXIT_FAILURES if stats.errors else EXIT_OK


def clean(
    *, inputs: list[str], output: str | None, out_format: str | None, model: ModelSpec, batch: BatchOptions
) -> int:
    """``article-filter clean``: the cleaned text of one document on stdout, or the batch into ``output``."""
    from ..batch.plan import decide
    from ..warc import is_warc_name

    if missing_single(inputs, output):
        return EXIT_USAGE
    if output is None and len(inputs) == 1 and is_warc_name(inputs[0]):
        return _clean_warc_to_stdout(inputs[0], model, batch)
    if decide(inputs, output).to_stdout:
        name = inputs[0]
        document = model.load().analyse(read_single(name), explain=False)  # clean()'s text, plus warnings
        cleaned = document.text
        if document.notice(name):
            print(document.notice(name), file=sys.stderr)
        sys.stdout.write(cleaned + ("\n" if cleaned and not cleaned.endswith("\n") else ""))
        return EXIT_OK
    return _run_batch("clean", inputs, output, model, batch, out_format=out_format)


# ----------------------------------------------------------------------------------------- classify
def _doc_id(name: str) -> str:
    """The ``doc_id`` of a single input: the name the batch gives it (``a.txt`` for ``crawl/a.txt``,
    ``stdin`` for ``-``), so a document has the same id on stdout and in ``-o`` files."""
    return "stdin" if name == "-" else Path(name).name


def _document_text(name: str, model: ModelSpec, out_format: str) -> str:
    """One text document classified: ``text`` (label, probability, text per line), ``json`` (one object:
    the verdict and its paragraphs) or ``jsonl`` (a row per paragraph, with the verdict fields)."""
    document = model.load().analyse(read_single(name))
    doc_id = _doc_id(name)
    if out_format == "text":
        return "".join(
            f"{p.label.value if p.label else '?':<11} {p.probability:5.2f}  {p.text}\n"
            for p in document.paragraphs
        )
    if out_format == "json":
        return json.dumps({"doc_id": doc_id, **document.to_dict()}, ensure_ascii=False, indent=2) + "\n"
    return "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in document.rows(doc_id))


def _one_file_refusal(inputs: list[str], output: str, overwrite: bool) -> str | None:
    """Why ``-o OUTPUT`` cannot take a one-file output (a document's text/json, or a review page), refused
    as the batch refuses it (a folder, an input itself, an existing file without --overwrite), or None."""
    out = Path(output)
    if output.endswith(("/", "\\")) or out.is_dir():
        return f"{output} is a folder: this output is one file, give -o FILE"
    if any(name != "-" and out.resolve() == Path(name).resolve() for name in inputs):
        return f"output {out} is the input file"
    if out.exists() and not overwrite:
        return f"output {out} exists; add --overwrite to replace it"
    return None


def _write_one(name: str, output: str, model: ModelSpec, out_format: str, overwrite: bool) -> int:
    """``classify FILE --format text|json -o OUT``: OUT written atomically, checked before the model loads."""
    from ..store import atomic_write_text

    refusal = _one_file_refusal([name], output, overwrite)
    if refusal is not None:
        return fail(refusal)
    atomic_write_text(Path(output), _document_text(name, model, out_format))
    return EXIT_OK


def _review_one(name: str, output: str | None, model: ModelSpec) -> int:
    """One text document as a review page, to stdout or to ``output``."""
    from ..cleaner import keep_core
    from ..report import model_note, render_review, write_review

    flt = model.load()
    paragraphs = flt.classify(read_single(name))
    items = [(name, paragraphs)]
    cleaned = [keep_core(paragraphs, flt.config)]
    if output is None:
        sys.stdout.write(render_review(items, cleaned, note=model_note(flt)))
    else:
        write_review(items, output, cleaned, note=model_note(flt))
    return EXIT_OK


def _review_many(inputs: list[str], output: str | None, model: ModelSpec, batch: BatchOptions) -> int:
    from ..batch.job import UsageError
    from ..batch.review import review_page

    try:
        return review_page(inputs, output, model, batch.globs)
    except UsageError as exc:
        return fail(exc)


def _format_refusal(out_format: str | None, output: str | None, single: bool, to_file: bool) -> str | None:
    """Why this ``--format`` cannot be written where the inputs and ``-o`` say, or None when it can."""
    if out_format in ("csv", "parquet") and output is None:
        return f"--format {out_format} writes files: add -o OUT (a file such as labels.{out_format}, or a folder)"
    if out_format in _ONE_DOCUMENT_FORMATS and not single:
        return (
            f"--format {out_format} describes one document; for several inputs, a folder or a table "
            "use --format jsonl, csv or parquet"
        )
    if out_format in _ONE_DOCUMENT_FORMATS and output is not None and not to_file:
        return f"--format {out_format} writes one file: give -o FILE (with a suffix, e.g. labels.txt)"
    return None


def classify(
    *,
    inputs: list[str],
    output: str | None,
    out_format: str | None,
    model: ModelSpec,
    batch: BatchOptions,
) -> int:
    """``article-filter classify``: one document to stdout or to one file, a review page, or the batch."""
    from ..batch.plan import decide

    if missing_single(inputs, output):
        return EXIT_USAGE
    mode = decide(inputs, output)
    refusal = _format_refusal(out_format, output, mode.single_document, mode.single_file)
    if refusal is not None:
        return fail(refusal)
    if out_format == "html":
        refusal = None if output is None else _one_file_refusal(inputs, output, batch.overwrite)
        if refusal is not None:
            return fail(refusal)
        if mode.single_document:
            return _review_one(inputs[0], output, model)
        return _review_many(inputs, output, model, batch)
    if mode.to_stdout and out_format in (None, "text", "json", "jsonl"):
        sys.stdout.write(_document_text(inputs[0], model, out_format or "text"))
        return EXIT_OK
    if out_format in _ONE_DOCUMENT_FORMATS and output is not None:
        return _write_one(inputs[0], output, model, out_format, batch.overwrite)
    return _run_batch("classify", inputs, output, model, batch, out_format=out_format)
