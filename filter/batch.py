"""Batch cleaning and classification: folders, stdin and large tables in; mirrored, resumable outputs out.

Why it is built this way
------------------------
* Work is cut into small independent *units* -- one text file, or one chunk of ``--chunk-size`` rows of a
  table -- and each unit's output is committed by an atomic rename (temporary file in the same folder, then
  ``os.replace``). An output that exists is therefore complete. That is all resuming needs: rerunning the
  same command skips every unit whose output exists and redoes the rest, so an interrupted run (Ctrl-C,
  ``kill -9``, a reboot) followed by a rerun leaves exactly the files an uninterrupted run leaves.
* Bad input is data, not an exception. A binary or undecodable file, a malformed JSONL line, a bad CSV row,
  a missing text field: each becomes one record in ``OUT/errors.jsonl`` and the batch goes on. Exit status
  is 0 when everything succeeded, 1 when some records failed, 2 for usage errors (bad options, missing input,
  an output path that conflicts with the input).
* Tables are streamed: JSONL is read line by line (so a malformed line is one error, not a crash), CSV with
  the ``csv`` module, Parquet with ``pyarrow`` record batches; only the chunks in flight are in memory, so
  memory does not grow with file size.
* Workers (``--jobs N``, joblib's loky processes) load the model once each and get batches of documents, so
  features are vectorised over ``--batch-size`` documents at a time (:meth:`ArticleFilter.clean_many`).

Output layout
-------------
Text inputs (files, folders searched recursively with ``--glob``, ``-`` for stdin)::

    OUT/<rel>                    clean: the cleaned text; "a/b.txt" -> "a/b.txt", "a/b.html" -> "a/b.html.txt"
    OUT/<rel minus .txt>.jsonl   classify: one row per paragraph (.csv / .parquet with --format)

``<rel>`` is the path relative to the folder when a single folder is given; with several inputs each input
contributes its own name (``OUT/<folder name>/...``, ``OUT/<file name>``, ``OUT/stdin.txt``). A single text
input with an output path that has a suffix and is not a folder (``-o cleaned.txt``) writes just that file.

Tabular inputs (``.jsonl``/``.ndjson``, ``.csv``, ``.parquet``)::

    OUT/part-00000.jsonl ...     one part per input chunk, same format as the input (a single table input)
    OUT/<rel>/part-00000.csv     tables among several inputs, or found in folders with --glob

``clean`` parts hold every input row and column plus ``--output-field`` (default ``clean_text``; ``null``/
empty when that row failed) and, with ``--explain``, ``<output-field>_paragraphs``: a list of
``{text, label, probabilities}`` (a JSON string in CSV and Parquet). Lines that cannot be parsed at all
cannot be copied and are only reported. ``classify`` parts hold per-paragraph rows ``doc_id, index, start,
end, text, label, probability, probabilities, cues`` -- the feedback format :mod:`filter.data` reads back.

Bookkeeping, always in folder mode::

    OUT/errors.jsonl             one JSON object per failure: file, line, record_id, error, message
    OUT/.batch/manifest.json     the options the outputs were made with; a rerun with other options is refused
    OUT/.batch/errors/*.json     per-unit failure records; errors.jsonl is rebuilt from them after each run
    OUT/.batch/lock              held while a run writes to OUT, so two runs cannot interleave

``errors.jsonl`` is appended to while the run goes (``tail -f`` works) and rewritten in a canonical order
(by file, line) when it ends, so that resumed and uninterrupted runs agree on it too. A unit's error records
are saved *before* its output is committed, so a kill in between cannot lose them; a failed text file has no
output and is retried by the next run (a fixed file then succeeds).
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import io
import itertools
import json
import os
import re
import sys
import threading
import time
from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from .io import InputError, decode_bytes, detect_encoding, looks_binary
from .store import atomic_write_bytes, atomic_write_text

if TYPE_CHECKING:
    from .api import ArticleFilter
    from .types import Paragraph

__all__ = [
    "run_batch",
    "run",
    "BatchJob",
    "ModelSpec",
    "Summary",
    "UsageError",
    "resolve_inputs",
    "DEFAULT_GLOBS",
    "TABULAR_FORMATS",
]

EXIT_OK = 0
EXIT_FAILURES = 1
EXIT_USAGE = 2

#: Input suffix -> tabular format. Anything else is read as a text document.
TABULAR_FORMATS = {".jsonl": "jsonl", ".ndjson": "jsonl", ".csv": "csv", ".parquet": "parquet"}
_EXT = {"jsonl": ".jsonl", "csv": ".csv", "parquet": ".parquet"}

#: Files taken from a folder when no ``--glob`` is given: scraped text and saved pages, at any depth.
DEFAULT_GLOBS = ("**/*.txt", "**/*.text", "**/*.htm", "**/*.html")

STATE_DIR = ".batch"
ERRORS_FILE = "errors.jsonl"

#: Characters of text per worker task and per ``clean_many`` call, besides the document count: one task of
#: 32 enormous documents would otherwise hold them all (and their features) in memory at once.
_TASK_CHARS = 8_000_000

#: Temporary files of :func:`filter.store.atomic_write_bytes` (``.<name>.<8 random>.tmp``), left behind only
#: when a process is killed mid-write; removed at the start of the next run.
_TMP_RE = re.compile(r"^\..+\.[A-Za-z0-9_]{8}\.tmp$")


class UsageError(Exception):
    """Bad options or paths: reported in one line and exit status 2, before anything is written."""


# ============================================================================================== the model
@dataclass(frozen=True)
class ModelSpec:
    """How to load the model, small enough to send to every worker (which then loads it once)."""

    path: str | None = None
    registry: str | None = None
    min_core_probability: float | None = None

    def load(self) -> ArticleFilter:
        from .api import load_model

        flt = load_model(self.path, registry=self.registry)
        if self.min_core_probability is not None:
            flt = flt.with_config(flt.config.with_options(min_core_probability=self.min_core_probability))
        return flt


#: One loaded model per worker process, keyed by how it was loaded: loading (hash checks + arrays) costs far
#: more than cleaning a batch, so a worker must never load it per task.
_FILTERS: dict[ModelSpec, ArticleFilter] = {}


def filter_for(spec: ModelSpec) -> ArticleFilter:
    flt = _FILTERS.get(spec)
    if flt is None:
        flt = _FILTERS[spec] = spec.load()
    return flt


def warm_worker(spec: ModelSpec) -> int:
    """Worker initializer (loky) / ``client.run`` target (Dask): load the model before the first task."""
    filter_for(spec)
    return os.getpid()


# ================================================================================================ the job
@dataclass(frozen=True)
class BatchJob:
    """What to compute; the same object goes to every worker. Fields that shape outputs go in the manifest."""

    command: str  # "clean" or "classify"
    model: ModelSpec = field(default_factory=ModelSpec)
    text_field: str = "text"
    output_field: str = "clean_text"
    explain: bool = False
    id_field: str | None = None
    #: classify: "jsonl", "csv" or "parquet"; None means jsonl for text inputs, the input's format for tables.
    out_format: str | None = None
    chunk_size: int = 1000
    batch_size: int = 32
    #: ``OUT/.batch`` (None in single-file mode, where failures are only printed).
    state_dir: str | None = None

    @property
    def explain_field(self) -> str:
        return f"{self.output_field}_paragraphs"

    def manifest_options(self) -> dict[str, Any]:
        return {
            "command": self.command,
            "text_field": self.text_field,
            "output_field": self.output_field,
            "explain": self.explain,
            "id_field": self.id_field,
            "format": self.out_format,
            "chunk_size": self.chunk_size,
        }


@dataclass(frozen=True)
class Source:
    """One input document stream: a text file, stdin, or a table."""

    kind: str  # "text", "stdin", "jsonl", "csv", "parquet"
    path: str  # "" for stdin
    rel: str  # name relative to the output folder (posix separators); the doc_id prefix
    direct: bool = False  # named on the command line (not found in a folder)


@dataclass
class TextItem:
    src: str
    dst: str
    rel: str
    data: bytes | None = None  # stdin's bytes (read once by the main process)
    stale_errors: bool = False


@dataclass
class TextTask:
    items: list[TextItem]


@dataclass
class ChunkTask:
    fmt: str
    src: str
    rel: str
    index: int
    part: str
    #: jsonl: (line, raw bytes); csv: (line, fields, or an error message for a row the csv reader refused)
    rows: list[tuple[int, Any]] = field(default_factory=list)
    header: list[str] | None = None
    table: Any = None  # parquet: a pyarrow.Table
    first_row: int = 1
    stale_errors: bool = False

    @property
    def unit(self) -> str:
        return f"chunk:{self.rel}:{self.index}"


Task = TextTask | ChunkTask


@dataclass
class TaskResult:
    done: int = 0
    failed: int = 0
    chars: int = 0
    errors: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class Summary:
    done: int = 0
    skipped: int = 0
    failed: int = 0
    seconds: float = 0.0
    chars: int = 0
    output: str = ""

    @property
    def exit_code(self) -> int:
        return EXIT_FAILURES if self.failed else EXIT_OK


def error_record(file: str, line: int | None, record_id: Any, error: str, message: str) -> dict[str, Any]:
    """One line of ``errors.jsonl``. ``line`` is 1-based (the row number for Parquet; null for text files)."""
    rid = None if record_id is None else (record_id if isinstance(record_id, (int, str)) else str(record_id))
    return {"file": file, "line": line, "record_id": rid, "error": error, "message": message}


# ======================================================================================= worker side
_TLS = threading.local()


def _limit_threads() -> None:
    """One OpenMP/BLAS thread per worker thread, set once: parallelism comes from worker processes.

    Nested thread pools oversubscribe the cores: on a busy 2-core machine the model's OpenMP predict ran
    about 100x slower with 2 threads than with 1 (64 s vs 0.6 s for the same 15 rows).
    """
    if not getattr(_TLS, "limited", False):
        from threadpoolctl import threadpool_limits

        threadpool_limits(limits=1)
        _TLS.limited = True


def run_task(job: BatchJob, task: Task) -> TaskResult:
    """Process one task in a worker (loky or Dask): limits native threads, then :func:`_run_task`."""
    _limit_threads()
    return _run_task(job, task)


def _run_task(job: BatchJob, task: Task) -> TaskResult:
    flt = filter_for(job.model)
    if isinstance(task, TextTask):
        return _run_text_task(flt, job, task)
    return _run_chunk_task(flt, job, task)


def _size_batches(texts: Sequence[str], n: int) -> Iterator[tuple[int, int]]:
    """(start, end) ranges of at most ``n`` texts and about ``_TASK_CHARS`` characters."""
    start, chars = 0, 0
    for i, t in enumerate(texts):
        if i > start and (i - start >= n or chars + len(t) > _TASK_CHARS):
            yield start, i
            start, chars = i, 0
        chars += len(t)
    if start < len(texts):
        yield start, len(texts)


def _analyse(flt: ArticleFilter, job: BatchJob, texts: Sequence[str]) -> list[Any]:
    """Per text: cleaned text (clean), labelled paragraphs (classify, --explain), or the exception it raised.

    Vectorised over a batch; if a batch raises, its texts are retried one by one, so one pathological
    document fails alone instead of taking its 31 neighbours with it.
    """

    def once(batch: Sequence[str]) -> list[Any]:
        if job.command == "classify":
            return list(flt.classify_many(batch, explain=True))
        if job.explain:
            return list(flt.classify_many(batch, explain=False))
        return list(flt.clean_many(batch))

    out: list[Any] = []
    for a, b in _size_batches(texts, job.batch_size):
        try:
            out.extend(once(texts[a:b]))
        except Exception:  # noqa: BLE001 - isolate the failing document below
            for t in texts[a:b]:
                try:
                    out.extend(once([t]))
                except Exception as exc:  # noqa: BLE001 - recorded as this document's failure
                    out.append(exc)
    return out


def _cleaned(flt: ArticleFilter, result: Any) -> str:
    if isinstance(result, str):
        return result
    from .cleaner import keep_core

    return keep_core(result, flt.config)


def _explained(paragraphs: Sequence[Paragraph]) -> list[dict[str, Any]]:
    out = []
    for p in paragraphs:
        d = p.to_dict()
        out.append({"text": d["text"], "label": d["label"], "probabilities": d["probabilities"]})
    return out


def _errors_path(state_dir: str, unit: str) -> Path:
    return Path(state_dir) / "errors" / (hashlib.sha1(unit.encode("utf-8")).hexdigest()[:24] + ".json")


def _save_unit_errors(state_dir: str | None, unit: str, errors: list[dict[str, Any]], stale: bool) -> None:
    """Record a unit's failures (or clear old ones) *before* its output is committed; see module docs."""
    if state_dir is None:
        return
    path = _errors_path(state_dir, unit)
    if errors:
        atomic_write_text(path, json.dumps({"unit": unit, "errors": errors}, ensure_ascii=False))
    elif stale:
        path.unlink(missing_ok=True)


def _paragraph_rows(doc_id: str, paragraphs: Sequence[Paragraph]) -> list[dict[str, Any]]:
    return [{"doc_id": doc_id, **p.to_dict()} for p in paragraphs]


_PARA_COLUMNS = ["doc_id", "index", "start", "end", "text", "label", "probability", "probabilities", "cues"]


def _paragraph_bytes(rows: list[dict[str, Any]], fmt: str) -> bytes:
    """Per-paragraph rows in JSONL, CSV (probabilities and cues as JSON) or Parquet (typed columns)."""
    if fmt == "jsonl":
        return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows).encode("utf-8")
    if fmt == "csv":
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        w.writerow(_PARA_COLUMNS)
        for r in rows:
            w.writerow(
                [
                    json.dumps(r[c], ensure_ascii=False) if c in ("probabilities", "cues") else r[c]
                    for c in _PARA_COLUMNS
                ]
            )
        return buf.getvalue().encode("utf-8")
    import pyarrow as pa

    from .types import LABELS

    schema = pa.schema(
        [
            ("doc_id", pa.string()),
            ("index", pa.int64()),
            ("start", pa.int64()),
            ("end", pa.int64()),
            ("text", pa.string()),
            ("label", pa.string()),
            ("probability", pa.float64()),
            ("probabilities", pa.struct([(lab.value, pa.float64()) for lab in LABELS])),
            ("cues", pa.list_(pa.string())),
        ]
    )
    return _parquet_bytes(pa.Table.from_pylist(rows, schema=schema))


def _parquet_bytes(table: Any) -> bytes:
    import pyarrow as pa
    import pyarrow.parquet as pq

    sink = pa.BufferOutputStream()
    pq.write_table(table, sink)
    return bytes(sink.getvalue().to_pybytes())


# ---------------------------------------------------------------------------------------- text files
def _run_text_task(flt: ArticleFilter, job: BatchJob, task: TextTask) -> TaskResult:
    res = TaskResult()
    items: list[TextItem] = []
    texts: list[str] = []
    for item in task.items:
        name = item.src or item.rel
        try:
            data = item.data if item.data is not None else Path(item.src).read_bytes()
            texts.append(decode_bytes(data, name))
            items.append(item)
        except (InputError, OSError) as exc:
            _fail_text(job, item, res, exc)
    for item, text, result in zip(items, texts, _analyse(flt, job, texts), strict=True):
        if isinstance(result, BaseException):
            _fail_text(job, item, res, result)
            continue
        if job.command == "classify":
            data = _paragraph_bytes(_paragraph_rows(item.rel, result), job.out_format or "jsonl")
        else:
            cleaned = _cleaned(flt, result)
            data = (cleaned + ("\n" if cleaned and not cleaned.endswith("\n") else "")).encode("utf-8")
        _save_unit_errors(job.state_dir, f"text:{item.rel}", [], item.stale_errors)
        atomic_write_bytes(item.dst, data)
        res.done += 1
        res.chars += len(text)
    return res


def _fail_text(job: BatchJob, item: TextItem, res: TaskResult, exc: BaseException) -> None:
    # Remove an older output first (possible with --overwrite): a file that fails now must not look done.
    Path(item.dst).unlink(missing_ok=True)
    rec = error_record(item.src or "<stdin>", None, None, type(exc).__name__, str(exc) or repr(exc))
    _save_unit_errors(job.state_dir, f"text:{item.rel}", [rec], item.stale_errors)
    res.errors.append(rec)
    res.failed += 1


# -------------------------------------------------------------------------------------------- tables
@dataclass
class _Row:
    line: int
    record: dict[str, Any] | None  # jsonl: the object; csv: field -> value; parquet: None
    fields: list[str] | None = None  # csv: the row as read
    text: str | None = None
    record_id: Any = None
    result: Any = None


def _run_chunk_task(flt: ArticleFilter, job: BatchJob, task: ChunkTask) -> TaskResult:
    res = TaskResult()
    file = task.src

    def fail(line: int | None, rid: Any, error: str, message: str) -> None:
        res.errors.append(error_record(file, line, rid, error, message))
        res.failed += 1

    rows = _parse_chunk(job, task, fail)
    todo = [r for r in rows if r.text is not None]
    for row, result in zip(todo, _analyse(flt, job, [r.text or "" for r in todo]), strict=True):
        if isinstance(result, BaseException):
            fail(row.line, row.record_id, type(result).__name__, str(result) or repr(result))
            row.text = None
        else:
            row.result = result
            res.done += 1
            res.chars += len(row.text or "")
    out_fmt = (job.out_format or task.fmt) if job.command == "classify" else task.fmt
    if job.command == "classify":
        prows: list[dict[str, Any]] = []
        for r in rows:
            if r.result is not None:
                doc_id = str(r.record_id) if r.record_id is not None else f"{task.rel}:{r.line}"
                prows.extend(_paragraph_rows(doc_id, r.result))
        data = _paragraph_bytes(prows, out_fmt)
    else:
        data = _clean_part_bytes(flt, job, task, rows)
    res.errors.sort(key=lambda e: e["line"] or 0)
    _save_unit_errors(job.state_dir, task.unit, res.errors, task.stale_errors)
    atomic_write_bytes(task.part, data)
    return res


def _parse_chunk(job: BatchJob, task: ChunkTask, fail: Any) -> list[_Row]:
    """Rows of a chunk with their text, or a recorded failure. Unparseable rows are dropped."""
    rows: list[_Row] = []
    tf, idf = job.text_field, job.id_field
    if task.fmt == "jsonl":
        for line, raw in task.rows:
            try:
                try:
                    s = raw.decode("utf-8")
                except UnicodeDecodeError:
                    s = decode_bytes(raw, f"{task.src}:{line}")
                rec = json.loads(s.lstrip("\ufeff"))
            except InputError as exc:
                fail(line, None, type(exc).__name__, str(exc))
                continue
            except ValueError as exc:
                fail(line, None, "MalformedLine", f"not a JSON line: {exc}")
                continue
            if not isinstance(rec, dict):
                fail(line, None, "MalformedLine", f"a line must hold a JSON object, not {type(rec).__name__}")
                continue
            row = _Row(line, rec, record_id=rec.get(idf) if idf else None)
            _set_text(row, rec.get(tf, _MISSING), tf, fail)
            rows.append(row)
    elif task.fmt == "csv":
        header = task.header or []
        for line, fields in task.rows:
            if isinstance(fields, str):
                fail(line, None, "BadCsvRow", fields)
                continue
            if len(fields) != len(header):
                fail(line, None, "BadCsvRow", f"expected {len(header)} fields, found {len(fields)}")
                continue
            rec = dict(zip(header, fields, strict=True))
            rid = rec.get(idf) if idf else None
            if any(_has_surrogate(f) for f in fields):
                fail(
                    line,
                    rid,
                    "UndecodableBytes",
                    "row has bytes that are not valid in the file's detected encoding; nothing was dropped",
                )
                continue
            row = _Row(line, rec, fields=list(fields), record_id=rid)
            _set_text(row, rec[tf], tf, fail)
            rows.append(row)
    else:
        table = task.table
        col = table.column(tf).to_pylist()
        ids = table.column(idf).to_pylist() if idf and idf in table.column_names else [None] * len(col)
        for i, (value, rid) in enumerate(zip(col, ids, strict=True)):
            row = _Row(task.first_row + i, None, record_id=rid)
            if isinstance(value, (bytes, bytearray)):
                try:
                    value = decode_bytes(bytes(value), f"{task.src}:row {row.line}")
                except InputError as exc:
                    fail(row.line, rid, type(exc).__name__, str(exc))
                    value = _FAILED
            if value is not _FAILED:
                _set_text(row, _MISSING if value is None else value, tf, fail)
            rows.append(row)
    return rows


_MISSING = object()
_FAILED = object()


def _set_text(row: _Row, value: Any, tf: str, fail: Any) -> None:
    if value is _MISSING or value is None:
        fail(row.line, row.record_id, "MissingField", f"no text field {tf!r} (or it is null)")
    elif not isinstance(value, str):
        fail(row.line, row.record_id, "BadField", f"text field {tf!r} holds {type(value).__name__}, not text")
    else:
        row.text = value


_SURROGATE_RE = re.compile("[\udc80-\udcff]")


def _has_surrogate(s: str) -> bool:
    """True if decoding with ``surrogateescape`` met bytes the detected encoding cannot represent."""
    return _SURROGATE_RE.search(s) is not None


def _clean_part_bytes(flt: ArticleFilter, job: BatchJob, task: ChunkTask, rows: list[_Row]) -> bytes:
    """The input rows with the cleaned text (and explanations) added, in the input's format."""
    of, ef = job.output_field, job.explain_field
    cleaned = [_cleaned(flt, r.result) if r.result is not None else None for r in rows]
    explained = [_explained(r.result) if job.explain and r.result is not None else None for r in rows]
    if task.fmt == "jsonl":
        out = []
        for r, c, e in zip(rows, cleaned, explained, strict=True):
            rec = dict(r.record or {})
            rec[of] = c
            if job.explain:
                rec[ef] = e
            out.append(json.dumps(rec, ensure_ascii=False) + "\n")
        return "".join(out).encode("utf-8")
    if task.fmt == "csv":
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        w.writerow(list(task.header or []) + [of] + ([ef] if job.explain else []))
        for r, c, e in zip(rows, cleaned, explained, strict=True):
            extra = [json.dumps(e, ensure_ascii=False) if e is not None else ""] if job.explain else []
            w.writerow(list(r.fields or []) + ["" if c is None else c] + extra)
        return buf.getvalue().encode("utf-8")
    import pyarrow as pa

    table = task.table
    for name, values in [(of, cleaned)] + (
        [(ef, [json.dumps(e, ensure_ascii=False) if e is not None else None for e in explained])]
        if job.explain
        else []
    ):
        arr = pa.array(values, type=pa.string())
        if name in table.column_names:
            table = table.set_column(table.column_names.index(name), name, arr)
        else:
            table = table.append_column(name, arr)
    return _parquet_bytes(table)


# ======================================================================================== main process
def resolve_inputs(inputs: Sequence[str], globs: Sequence[str] = DEFAULT_GLOBS) -> list[Source]:
    """The documents named by the command line, in a deterministic order, with their output-relative names."""
    sources: list[Source] = []
    multi = len(inputs) > 1
    for inp in inputs:
        if inp == "-":
            sources.append(Source("stdin", "", "stdin", direct=True))
            continue
        p = Path(inp)
        if p.is_dir():
            prefix = f"{p.resolve().name}/" if multi else ""
            found: dict[str, Path] = {}
            for pattern in globs:
                for f in p.glob(pattern):
                    rel = f.relative_to(p).as_posix()
                    if f.is_file() and not any(part.startswith(".") for part in Path(rel).parts):
                        found[rel] = f
            for rel in sorted(found):
                f = found[rel]
                sources.append(Source(TABULAR_FORMATS.get(f.suffix.lower(), "text"), str(f), prefix + rel))
        elif p.is_file():
            sources.append(Source(TABULAR_FORMATS.get(p.suffix.lower(), "text"), str(p), p.name, direct=True))
        else:
            raise UsageError(f"no such input: {inp}")
    seen: dict[str, str] = {}
    for s in sources:
        if s.rel in seen:
            raise UsageError(
                f"two inputs map to the same output name {s.rel!r}: {seen[s.rel]} and "
                f"{s.path or '-'}; give them separately"
            )
        seen[s.rel] = s.path or "-"
    return sources


def _text_out_rel(rel: str, ext: str) -> str:
    """Output name of a text input: "a.txt" -> "a" + ext; any other name gets ext appended (no collisions)."""
    return (rel[:-4] if rel.lower().endswith(".txt") else rel) + ext


def _is_within(child: Path, parent: Path) -> bool:
    try:
        child.relative_to(parent)
        return True
    except ValueError:
        return False


class _Planner:
    """Turns sources into tasks, skipping finished units; runs in the main process only."""

    def __init__(
        self,
        job: BatchJob,
        sources: list[Source],
        out: Path,
        single_file: bool,
        overwrite: bool,
        stale: set[str],
        stdin: TextIO | None = None,
    ) -> None:
        self.job, self.sources, self.out = job, sources, out
        self.single_file, self.overwrite, self.stale = single_file, overwrite, stale
        self.stdin = stdin
        self.skipped = 0
        self.pending: deque[TaskResult] = deque()
        self.text_tasks = self._text_tasks()
        self.text_docs = sum(len(t.items) for t in self.text_tasks)

    # ---------------------------------------------------------------------------------------- text
    def _text_tasks(self) -> list[TextTask]:
        job = self.job
        ext = ".txt" if job.command == "clean" else _EXT[job.out_format or "jsonl"]
        tasks: list[TextTask] = []
        cur: list[TextItem] = []
        size = 0
        outputs: dict[str, str] = {}
        for s in self.sources:
            if s.kind not in ("text", "stdin"):
                continue
            dst = self.out if self.single_file else self.out / _text_out_rel(s.rel, ext)
            if str(dst) in outputs:
                raise UsageError(f"{s.path} and {outputs[str(dst)]} would both write {dst}")
            outputs[str(dst)] = s.path
            data = None
            if s.kind == "stdin":
                stream = self.stdin or sys.stdin
                data = stream.buffer.read() if hasattr(stream, "buffer") else stream.read().encode("utf-8")
                nbytes = len(data)
            else:
                try:
                    st_in = os.stat(s.path)
                    nbytes = st_in.st_size
                    if not self.overwrite and os.stat(dst).st_mtime_ns >= st_in.st_mtime_ns:
                        self.skipped += 1
                        continue
                except OSError:
                    nbytes = 0
            item = TextItem(s.path, str(dst), s.rel, data, stale_errors=f"text:{s.rel}" in self.stale)
            if cur and (len(cur) >= job.batch_size or size + nbytes > _TASK_CHARS):
                tasks.append(TextTask(cur))
                cur, size = [], 0
            cur.append(item)
            size += nbytes
        if cur:
            tasks.append(TextTask(cur))
        return tasks

    def known_total(self) -> int | None:
        """Documents to process, when known without reading the tables (Parquet metadata has row counts)."""
        total = self.text_docs
        for s in self.sources:
            if s.kind in ("jsonl", "csv"):
                return None
            if s.kind == "parquet":
                try:
                    import pyarrow.parquet as pq

                    total += pq.ParquetFile(s.path).metadata.num_rows
                except Exception:  # noqa: BLE001 - reported when the file is read
                    pass
        return total

    def tasks(self) -> Iterator[Task]:
        yield from self.text_tasks
        for s in self.sources:
            if s.kind in TABULAR_FORMATS.values():
                yield from self._table_tasks(s)

    # -------------------------------------------------------------------------------------- tables
    def _part_folder(self, s: Source) -> Path:
        return self.out if (s.direct and len(self.sources) == 1) else self.out / s.rel

    def _file_error(self, s: Source, line: int | None, exc: BaseException | str, error: str = "") -> None:
        msg = str(exc) if not isinstance(exc, str) else exc
        rec = error_record(s.path, line, None, error or type(exc).__name__, msg)
        _save_unit_errors(self.job.state_dir, f"file:{s.rel}", [rec], True)
        self.pending.append(TaskResult(failed=1, errors=[rec]))

    def _table_tasks(self, s: Source) -> Iterator[ChunkTask]:
        if f"file:{s.rel}" in self.stale and self.job.state_dir is not None:
            _errors_path(self.job.state_dir, f"file:{s.rel}").unlink(missing_ok=True)
        folder = self._part_folder(s)
        if self.overwrite and folder.is_dir():
            for old in folder.glob("part-*"):
                old.unlink()
        readers = {"jsonl": self._jsonl_chunks, "csv": self._csv_chunks, "parquet": self._parquet_chunks}
        yield from readers[s.kind](s, folder)

    def _chunk(self, s: Source, folder: Path, k: int, **kw: Any) -> ChunkTask:
        ext = _EXT[(self.job.out_format or s.kind) if self.job.command == "classify" else s.kind]
        unit = f"chunk:{s.rel}:{k}"
        return ChunkTask(
            s.kind,
            s.path,
            s.rel,
            k,
            str(folder / f"part-{k:05d}{ext}"),
            stale_errors=unit in self.stale,
            **kw,
        )

    def _done(self, s: Source, folder: Path, k: int) -> bool:
        return not self.overwrite and Path(self._chunk(s, folder, k).part).exists()

    def _jsonl_chunks(self, s: Source, folder: Path) -> Iterator[ChunkTask]:
        cs = self.job.chunk_size
        line = 0
        try:
            with open(s.path, "rb") as fh:
                k, n, rows, done = 0, 0, [], self._done(s, folder, 0)
                for raw in fh:
                    line += 1
                    n += 1
                    if raw.strip():
                        if done:
                            self.skipped += 1
                        else:
                            rows.append((line, raw))
                    if n == cs:
                        if not done:
                            yield self._chunk(s, folder, k, rows=rows)
                        k, n, rows = k + 1, 0, []
                        done = self._done(s, folder, k)
                if n and not done:
                    yield self._chunk(s, folder, k, rows=rows)
        except OSError as exc:
            self._file_error(s, line or None, exc)

    def _csv_chunks(self, s: Source, folder: Path) -> Iterator[ChunkTask]:
        cs, tf = self.job.chunk_size, self.job.text_field
        csv.field_size_limit(2**31 - 1)  # the default (128 KiB) would refuse every long article
        try:
            with open(s.path, "rb") as fb:
                head = fb.read(1 << 16)
            if looks_binary(head):
                self._file_error(
                    s, None, f"{s.path}: binary data, not CSV text (skipped)", "BinaryInputError"
                )
                return
            fh = open(s.path, encoding=detect_encoding(head), errors="surrogateescape", newline="")
        except OSError as exc:
            self._file_error(s, None, exc)
            return
        with fh:
            reader = csv.reader(fh)
            try:
                header = next(reader)
            except StopIteration:
                return
            except (csv.Error, UnicodeError) as exc:
                self._file_error(s, 1, f"unreadable CSV header: {exc}", "BadCsvRow")
                return
            header = [h.lstrip("\ufeff") if i == 0 else h for i, h in enumerate(header)]
            if tf not in header:
                self._file_error(
                    s, 1, f"no column {tf!r} (columns: {', '.join(header)}); use --text-field", "MissingField"
                )
                return
            k, rows, done = 0, [], self._done(s, folder, 0)
            n = 0
            while True:
                start = reader.line_num + 1
                try:
                    row: Any = next(reader)
                except StopIteration:
                    break
                except csv.Error as exc:
                    row = f"unreadable CSV row: {exc}"
                except (UnicodeError, OSError) as exc:
                    self._file_error(s, start, exc)
                    break
                if row == []:
                    continue  # blank line
                n += 1
                if done:
                    self.skipped += 1
                else:
                    rows.append((start, row))
                if n == cs:
                    if not done:
                        yield self._chunk(s, folder, k, rows=rows, header=header)
                    k, n, rows = k + 1, 0, []
                    done = self._done(s, folder, k)
            if n and not done:
                yield self._chunk(s, folder, k, rows=rows, header=header)

    def _parquet_chunks(self, s: Source, folder: Path) -> Iterator[ChunkTask]:
        import pyarrow as pa
        import pyarrow.parquet as pq

        cs, tf = self.job.chunk_size, self.job.text_field
        try:
            pf = pq.ParquetFile(s.path)
            schema = pf.schema_arrow
        except Exception as exc:  # noqa: BLE001 - any pyarrow failure means "not a readable Parquet file"
            self._file_error(s, None, f"{s.path}: not a readable Parquet file: {exc}", "BadParquet")
            return
        if tf not in schema.names:
            self._file_error(
                s,
                None,
                f"no column {tf!r} (columns: {', '.join(schema.names)}); use --text-field",
                "MissingField",
            )
            return
        t = schema.field(tf).type
        if not (
            pa.types.is_string(t)
            or pa.types.is_large_string(t)
            or pa.types.is_binary(t)
            or pa.types.is_large_binary(t)
            or pa.types.is_null(t)
        ):
            self._file_error(s, None, f"column {tf!r} has type {t}, not text", "BadField")
            return
        total = pf.metadata.num_rows
        n_chunks = -(-total // cs)
        if all(self._done(s, folder, k) for k in range(n_chunks)):
            self.skipped += total
            return
        pending: list[Any] = []
        have, k, row = 0, 0, 1
        try:
            batches = pf.iter_batches(batch_size=cs)
            while True:
                batch = next(batches, None)
                if batch is not None:
                    pending.append(batch)
                    have += batch.num_rows
                while have >= cs or (batch is None and have > 0):
                    table = pa.Table.from_batches(pending, schema=pending[0].schema)
                    chunk, rest = table.slice(0, cs), table.slice(cs)
                    pending, have = rest.to_batches(), rest.num_rows
                    if self._done(s, folder, k):
                        self.skipped += chunk.num_rows
                    else:
                        yield self._chunk(s, folder, k, table=chunk.combine_chunks(), first_row=row)
                    k, row = k + 1, row + chunk.num_rows
                if batch is None:
                    break
        except Exception as exc:  # noqa: BLE001 - a corrupt row group fails the rest of this file only
            self._file_error(s, row, f"{s.path}: unreadable Parquet data from row {row}: {exc}", "BadParquet")


# -------------------------------------------------------------------------------------------- execution
def _execute_local(job: BatchJob, tasks: Iterable[Task], jobs: int) -> Iterator[TaskResult]:
    """Run tasks in this process (jobs=1) or on a loky pool, keeping only ~2 tasks per worker in flight."""
    it = iter(tasks)
    first = list(itertools.islice(it, 2))
    tasks = itertools.chain(first, it)
    if jobs <= 1 or len(first) < 2:  # one task: starting worker processes would cost more than it saves
        from threadpoolctl import threadpool_limits

        with threadpool_limits(limits=1):  # scoped: the caller's own thread settings come back afterwards
            for t in tasks:
                yield _run_task(job, t)
        return
    from concurrent.futures import FIRST_COMPLETED, Future, wait

    from joblib.externals.loky import get_reusable_executor

    ex = get_reusable_executor(max_workers=jobs, initializer=warm_worker, initargs=(job.model,))
    inflight: set[Future[TaskResult]] = set()
    try:
        for t in tasks:
            inflight.add(ex.submit(run_task, job, t))
            while len(inflight) >= 2 * jobs:
                done, inflight = wait(inflight, return_when=FIRST_COMPLETED)
                for f in done:
                    yield f.result()
        while inflight:
            done, inflight = wait(inflight, return_when=FIRST_COMPLETED)
            for f in done:
                yield f.result()
    except BaseException:
        for f in inflight:
            f.cancel()
        ex.shutdown(wait=False, kill_workers=True)
        raise


def _merge_errors(out: Path) -> int:
    """Rebuild ``errors.jsonl`` from the per-unit records, sorted; returns the number of records."""
    records: list[dict[str, Any]] = []
    d = out / STATE_DIR / "errors"
    if d.is_dir():
        for f in d.glob("*.json"):
            try:
                records.extend(json.loads(f.read_text(encoding="utf-8"))["errors"])
            except (OSError, ValueError, KeyError, TypeError):
                continue
    records.sort(
        key=lambda r: (str(r.get("file")), r.get("line") or 0, str(r.get("record_id")), str(r.get("message")))
    )
    path = out / ERRORS_FILE
    if records:
        atomic_write_text(path, "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records))
    else:
        path.unlink(missing_ok=True)
    return len(records)


def _remove_temp_files(out: Path) -> None:
    for root, _dirs, files in os.walk(out):
        for name in files:
            if _TMP_RE.match(name):
                Path(root, name).unlink(missing_ok=True)


def _check_manifest(
    out: Path, job: BatchJob, flt: ArticleFilter, sources: list[Source], overwrite: bool
) -> bool:
    """Refuse to mix outputs made with other options, another model or a changed table; returns existed."""
    path = out / STATE_DIR / "manifest.json"
    tables = {}
    for s in sources:
        if s.kind in TABULAR_FORMATS.values():
            st = os.stat(s.path)
            tables[s.rel] = {"size": st.st_size, "mtime_ns": st.st_mtime_ns}
    new: dict[str, Any] = {
        "version": 1,
        "options": job.manifest_options(),
        "model": {"sha256": flt.card.get("sha256"), "min_core_probability": flt.config.min_core_probability},
        "tables": tables,
    }
    existed = path.exists()
    if existed and not overwrite:
        try:
            old = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            old = {}
        problems = [
            f"{k} differ ({old.get(k)} then, {new[k]} now)"
            for k in ("options", "model")
            if old.get(k) != new[k]
        ]
        before = old.get("tables", {})
        changed = [rel for rel, st in tables.items() if rel in before and before[rel] != st]
        if changed:
            problems.append(f"input table(s) changed since: {', '.join(changed)}")
        if problems:
            raise UsageError(
                f"{out} holds outputs of another batch: {'; '.join(problems)}. "
                "Rerun with --overwrite to redo them, or choose another output folder"
            )
        new["tables"] = {**old.get("tables", {}), **tables}
    atomic_write_text(path, json.dumps(new, indent=2, sort_keys=True) + "\n")
    return existed


class _Lock:
    """An exclusive lock on ``OUT/.batch/lock`` (released by the OS even if the process is killed)."""

    def __init__(self, path: Path) -> None:
        self.fh = open(path, "a+b")
        try:
            import fcntl

            fcntl.flock(self.fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except ImportError:  # pragma: no cover - not POSIX: no protection against a concurrent run
            pass
        except OSError:
            self.fh.close()
            raise UsageError(f"another article-filter batch is writing to {path.parent.parent}") from None

    def release(self) -> None:
        self.fh.close()


def run(
    job: BatchJob,
    inputs: Sequence[str],
    output: str | None,
    *,
    globs: Sequence[str] = DEFAULT_GLOBS,
    jobs: int = 1,
    engine: str = "local",
    scheduler: str | None = None,
    overwrite: bool = False,
    quiet: bool = False,
    stdin: TextIO | None = None,
) -> Summary:
    """Clean or classify every input into ``output``; see the module docstring for layout and resuming.

    Raises :class:`UsageError` for bad options or paths (before writing anything) and
    :class:`filter.store.ModelIntegrityError` for a model that fails verification.
    """
    t0 = time.perf_counter()
    if output is None:
        raise UsageError("batch mode (folders, tables, several inputs) needs --output OUT")
    if inputs.count("-") > 1:
        raise UsageError("stdin (-) can be given once")
    if job.chunk_size < 1 or job.batch_size < 1 or jobs < 1:
        raise UsageError("--chunk-size, --batch-size and --jobs must be at least 1")
    sources = resolve_inputs(inputs, globs)
    out = Path(output)
    single_file = (
        len(inputs) == 1
        and len(sources) == 1
        and sources[0].kind in ("text", "stdin")
        and sources[0].direct
        and not out.is_dir()
        and bool(out.suffix)
        and not str(output).endswith(("/", os.sep))
    )
    if single_file:
        if sources[0].path and out.resolve() == Path(sources[0].path).resolve():
            raise UsageError(f"output {out} is the input file")
    else:
        if out.exists() and not out.is_dir():
            raise UsageError(f"output {out} is a file, but these inputs need an output folder")
        ro = out.resolve()
        for inp in inputs:
            if inp != "-" and Path(inp).is_dir():
                ri = Path(inp).resolve()
                if _is_within(ro, ri) or _is_within(ri, ro):
                    raise UsageError(
                        f"output folder {out} and input folder {inp} overlap; write the output somewhere else"
                    )
    if job.command == "classify" and job.out_format is None and single_file:
        fmt = {".csv": "csv", ".parquet": "parquet"}.get(out.suffix.lower(), "jsonl")
        job = _replace(job, out_format=fmt)
    if engine == "dask":
        from .batch_dask import _import_distributed

        _import_distributed()  # a missing optional extra is a usage error, reported before writing anything
    flt = job.model.load()  # fail fast (exit 4) on a bad model, before any output exists
    _FILTERS[job.model] = flt
    summary = Summary(output=str(out))
    if not sources:
        print(f"article-filter: no input files matched {', '.join(globs)}", file=sys.stderr)
        return summary

    lock: _Lock | None = None
    stale: set[str] = set()
    if not single_file:
        state = out / STATE_DIR
        (state / "errors").mkdir(parents=True, exist_ok=True)
        lock = _Lock(state / "lock")
        job = _replace(job, state_dir=str(state))
    try:
        if not single_file:
            existed = _check_manifest(out, job, flt, sources, overwrite)
            if existed:
                _remove_temp_files(out)
            if overwrite:
                for f in (out / STATE_DIR / "errors").glob("*.json"):
                    f.unlink()
                (out / ERRORS_FILE).unlink(missing_ok=True)
            for f in (out / STATE_DIR / "errors").glob("*.json"):
                try:
                    stale.add(json.loads(f.read_text(encoding="utf-8"))["unit"])
                except (OSError, ValueError, KeyError, TypeError):
                    f.unlink(missing_ok=True)
        else:
            for tmp in out.parent.glob(f".{out.name}.*.tmp"):
                tmp.unlink(missing_ok=True)
        planner = _Planner(job, sources, out, single_file, overwrite, stale, stdin)
        _consume(job, planner, summary, single_file, out, jobs, engine, scheduler, quiet)
    finally:
        if not single_file:
            _merge_errors(out)
        if lock is not None:
            lock.release()
        summary.seconds = time.perf_counter() - t0
    return summary


def _replace(job: BatchJob, **changes: Any) -> BatchJob:
    from dataclasses import replace

    return replace(job, **changes)


def _consume(
    job: BatchJob,
    planner: _Planner,
    summary: Summary,
    single_file: bool,
    out: Path,
    jobs: int,
    engine: str,
    scheduler: str | None,
    quiet: bool,
) -> None:
    from tqdm import tqdm

    if engine == "dask":
        from .batch_dask import execute_dask

        results: Iterator[TaskResult] = execute_dask(
            job, planner.tasks(), scheduler=scheduler, n_workers=jobs
        )
    else:
        results = _execute_local(job, planner.tasks(), jobs)
    errors_fh = None if single_file else open(out / ERRORS_FILE, "a", encoding="utf-8")
    bar = tqdm(
        total=planner.known_total(),
        unit="doc",
        disable=quiet,
        file=sys.stderr,
        mininterval=0.5,
        smoothing=0.2,
        desc=job.command,
    )
    last = 0.0
    t0 = time.perf_counter()

    def take(res: TaskResult) -> None:
        nonlocal last
        summary.done += res.done
        summary.failed += res.failed
        summary.chars += res.chars
        for rec in res.errors:
            if errors_fh is not None:
                errors_fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
            else:
                print(f"article-filter: {rec['file']}: {rec['message']}", file=sys.stderr)
        if errors_fh is not None and res.errors:
            errors_fh.flush()
        bar.update(res.done + res.failed)
        now = time.perf_counter()
        if now - last > 0.5:
            last = now
            bar.set_postfix(
                failed=summary.failed,
                skipped=planner.skipped,
                MB_s=f"{summary.chars / 1e6 / max(now - t0, 1e-9):.2f}",
                refresh=False,
            )

    try:
        for res in results:
            while planner.pending:
                take(planner.pending.popleft())
            take(res)
        while planner.pending:
            take(planner.pending.popleft())
    finally:
        summary.skipped = planner.skipped
        bar.close()
        if errors_fh is not None:
            errors_fh.close()


# ============================================================================================ CLI entry
def _default_jobs() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


def run_batch(command: str, args: argparse.Namespace) -> int:
    """Entry point of ``article-filter clean|classify`` in batch form; returns the exit status."""
    fmt = getattr(args, "format", None)
    try:
        if command == "classify" and fmt == "html":
            return _html_review(args)
        if command == "classify" and fmt == "json":
            raise UsageError("batch classify writes rows: use --format jsonl, csv or parquet")
        out_format = fmt if command == "classify" and fmt in ("jsonl", "csv", "parquet") else None
        model_path = getattr(args, "model", None)
        registry = getattr(args, "registry", None)
        spec = ModelSpec(
            str(Path(model_path).resolve()) if model_path else None,
            str(Path(registry).resolve()) if registry else None,
            getattr(args, "min_core_probability", None),
        )
        job = BatchJob(
            command=command,
            model=spec,
            text_field=getattr(args, "text_field", None) or "text",
            output_field=getattr(args, "output_field", None) or "clean_text",
            explain=bool(getattr(args, "explain", False)),
            id_field=getattr(args, "id_field", None),
            out_format=out_format,
            chunk_size=getattr(args, "chunk_size", None) or 1000,
            batch_size=getattr(args, "batch_size", None) or 32,
        )
        engine = getattr(args, "engine", None) or "local"
        scheduler = getattr(args, "scheduler", None)
        if scheduler and engine != "dask":
            raise UsageError("--scheduler needs --engine dask")
        jobs = getattr(args, "jobs", None) or _default_jobs()
        quiet = bool(getattr(args, "quiet", False))
        summary = run(
            job,
            list(args.inputs),
            getattr(args, "output", None),
            globs=tuple(getattr(args, "glob", None) or DEFAULT_GLOBS),
            jobs=jobs,
            engine=engine,
            scheduler=scheduler,
            overwrite=bool(getattr(args, "overwrite", False)),
            quiet=quiet,
        )
    except UsageError as exc:
        print(f"article-filter: {exc}", file=sys.stderr)
        return EXIT_USAGE
    if not quiet or summary.failed:
        rate = summary.done / summary.seconds if summary.seconds > 0 else 0.0
        errors_file = Path(summary.output) / ERRORS_FILE
        where = f" (see {errors_file})" if summary.failed and errors_file.exists() else ""
        print(
            f"article-filter {command}: {summary.done} done, {summary.skipped} skipped (already done), "
            f"{summary.failed} failed{where}; {summary.seconds:.1f} s, {rate:.1f} docs/s, "
            f"{summary.chars / 1e6 / max(summary.seconds, 1e-9):.2f} MB/s",
            file=sys.stderr,
        )
    return summary.exit_code


def _html_review(args: argparse.Namespace) -> int:
    """``classify --format html`` for several text inputs: one review page, written by filter.report."""
    try:
        from .report import model_note, write_review
    except ImportError:
        raise UsageError("--format html needs filter.report, which this installation does not have") from None
    if not getattr(args, "output", None):
        raise UsageError("--format html with several inputs needs --output PAGE.html")
    sources = resolve_inputs(args.inputs, tuple(getattr(args, "glob", None) or DEFAULT_GLOBS))
    if any(s.kind not in ("text", "stdin") for s in sources):
        raise UsageError(
            "--format html reviews text documents; classify tables with --format jsonl, csv or parquet"
        )
    flt = ModelSpec(
        getattr(args, "model", None),
        getattr(args, "registry", None),
        getattr(args, "min_core_probability", None),
    ).load()
    items, cleaned, failed = [], [], 0
    for s in sources:
        try:
            data = sys.stdin.buffer.read() if s.kind == "stdin" else Path(s.path).read_bytes()
            text = decode_bytes(data, s.path or "<stdin>")
        except (InputError, OSError) as exc:
            print(f"article-filter: {exc}", file=sys.stderr)
            failed += 1
            continue
        paras = flt.classify(text)
        items.append((s.rel, paras))
        cleaned.append(_cleaned(flt, paras))
    write_review(items, args.output, cleaned, note=model_note(flt))
    return EXIT_FAILURES if failed else EXIT_OK
