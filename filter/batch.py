"""Batch cleaning and classification: folders, stdin and large tables in; mirrored, resumable outputs out.

Why it is built this way
------------------------
* Work is cut into small independent *units* -- one text file, or one chunk of ``--chunk-size`` rows of a
  table -- and each unit's output is committed by an atomic rename (temporary file in the same folder, then
  ``os.replace``). An output that exists is therefore complete. Before it is written, a journal line
  records the input's size and mtime and the options it is made from (:func:`_commit`); rerunning the same
  command skips a unit only if its output exists and its latest journal line matches, and redoes the rest,
  so an interrupted run (Ctrl-C, ``kill -9``, a reboot) followed by a rerun leaves exactly the files an
  uninterrupted run leaves, and a changed input is never mistaken for a finished one.
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
    OUT/decoding.jsonl           same fields, one per document that was not plain UTF-8 (error = encoding)
    OUT/.batch/done.jsonl        journal: unit, output, input size + mtime, options hash (see _commit)
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
import math
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

from .io import Decoded, InputError, decode, detect_encoding, looks_binary
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
#: One line per document that needed a decoding fallback (see :mod:`filter.io`); rebuilt like errors.jsonl.
DECODING_FILE = "decoding.jsonl"
#: Append-only record of committed units: what input (size, mtime) and options each output was made from.
JOURNAL_FILE = "done.jsonl"

#: Default per-document time budget, in seconds per started million characters (``--doc-timeout``). Normal
#: documents take milliseconds per MB; 60 s leaves a 50x margin for a loaded machine while a pathological
#: document still fails within a minute instead of stalling its task.
DEFAULT_DOC_TIMEOUT = 60.0
#: Default largest document, in MB of input (``--max-doc-mb``). Large enough for whole books and saved
#: archives (a 200 MB document peaks well under 2 GB, see :func:`_clean_huge`), small enough that one
#: mistaken multi-GB file fails at once instead of exhausting memory.
DEFAULT_MAX_DOC_MB = 512.0
#: Environment variable for tests only: a worker handling a unit whose name contains its value kills
#: itself with SIGKILL (as the out-of-memory killer would), to test that a dead worker fails only its task.
TEST_KILL_ENV = "ARTICLE_FILTER_TEST_KILL_WORKER"

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
    #: seconds per started million characters a document may take (see DEFAULT_DOC_TIMEOUT)
    doc_timeout: float = DEFAULT_DOC_TIMEOUT
    #: largest document in MB (see DEFAULT_MAX_DOC_MB)
    max_doc_mb: float = DEFAULT_MAX_DOC_MB

    @property
    def decoding_field(self) -> str:
        return f"{self.output_field}_decoding"

    @property
    def max_doc_chars(self) -> int:
        return int(self.max_doc_mb * 1_000_000)

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

    def options_key(self) -> str:
        """A short hash of everything that shapes an output, recorded per unit in the journal."""
        opts = {**self.manifest_options(), "model": self.model.path, "registry": self.model.registry}
        opts["min_core_probability"] = self.model.min_core_probability
        return hashlib.sha256(json.dumps(opts, sort_keys=True).encode("utf-8")).hexdigest()[:16]


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
    #: the input's size and mtime when planned, recorded in the journal once the output is committed
    stat: tuple[int, int] | None = None

    @property
    def unit(self) -> str:
        return f"text:{self.rel}"


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
    stat: tuple[int, int] | None = None
    encoding: str = "utf-8"  # csv: the encoding the rows were read with (surrogateescape)

    @property
    def unit(self) -> str:
        return f"chunk:{self.rel}:{self.index}"

    def row_lines(self) -> list[int]:
        """Line (row) numbers of the records in this chunk, for reporting them all as failed."""
        if self.table is not None:
            return list(range(self.first_row, self.first_row + self.table.num_rows))
        return [line for line, _ in self.rows]


Task = TextTask | ChunkTask


@dataclass
class TaskResult:
    done: int = 0
    failed: int = 0
    chars: int = 0
    errors: list[dict[str, Any]] = field(default_factory=list)
    #: documents decoded with a fallback: error_record-shaped, ``error`` = the encoding used
    notices: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class Summary:
    done: int = 0
    skipped: int = 0
    failed: int = 0
    seconds: float = 0.0
    chars: int = 0
    output: str = ""
    #: documents that needed a decoding fallback in this run (listed in OUT/decoding.jsonl)
    decoded_with_fallback: int = 0

    @property
    def exit_code(self) -> int:
        return EXIT_FAILURES if self.failed else EXIT_OK


def error_record(file: str, line: int | None, record_id: Any, error: str, message: str) -> dict[str, Any]:
    """One line of ``errors.jsonl``. ``line`` is 1-based (the row number for Parquet; null for text files)."""
    rid = None if record_id is None else (record_id if isinstance(record_id, (int, str)) else str(record_id))
    return {"file": _fs_name(file), "line": line, "record_id": rid, "error": error, "message": message}


def json_line(obj: Any) -> str:
    """One JSON line that can always be written as UTF-8.

    Text may hold lone surrogates (``"\\ud800"`` in a JSON input, or a file name that is not UTF-8, which
    Python carries as surrogate escapes). Those cannot be encoded as UTF-8, so such a line is written with
    ASCII escapes instead (``\\ud800``): valid JSON that reads back to exactly the same string.
    """
    line = json.dumps(obj, ensure_ascii=False)
    try:
        line.encode("utf-8")
    except UnicodeEncodeError:
        line = json.dumps(obj, ensure_ascii=True)
    return line + "\n"


def _encode_text(text: str) -> bytes:
    """Output text as UTF-8; lone surrogates (see :func:`json_line`) become U+FFFD, the one lossy spot.

    Only text outputs and CSV cells take this route, and decoded input never holds surrogates (the decoding
    order of :mod:`filter.io` maps every byte to a character), so this only concerns strings that came in
    as JSON escapes and then went to a CSV or text output.
    """
    return text.encode("utf-8", errors="replace")


def _fs_name(path: str) -> str:
    """A path for messages: undecodable bytes of a file name shown as \\xNN escapes (never an exception)."""
    return os.fsencode(path).decode("utf-8", errors="backslashreplace") if path else path


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
    marker = os.environ.get(TEST_KILL_ENV)
    if marker and any(marker in name for name in _task_names(task)):  # test-only, see TEST_KILL_ENV
        import signal

        os.kill(os.getpid(), signal.SIGKILL)
    return _run_task(job, task)


def _task_names(task: Task) -> list[str]:
    return [i.rel for i in task.items] if isinstance(task, TextTask) else [task.rel]


class DocumentTimeout(Exception):
    """A document (or batch) ran past its time budget (``--doc-timeout``)."""


class _Deadline:
    """Raise :class:`DocumentTimeout` in the current thread after ``seconds``.

    In the main thread (in-process and loky workers) a SIGALRM timer does it. In other threads (Dask runs
    tasks in a thread pool) a timer thread injects the exception with ``PyThreadState_SetAsyncExc``. Both
    take effect between Python bytecodes, which is where pathological work spins (parser loops); a long
    native call finishes first.
    """

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self._timer: threading.Timer | None = None
        self._old: Any = None

    def __enter__(self) -> _Deadline:
        import signal

        if threading.current_thread() is threading.main_thread() and hasattr(signal, "setitimer"):

            def on_alarm(signum: int, frame: Any) -> None:
                raise DocumentTimeout()

            self._old = signal.signal(signal.SIGALRM, on_alarm)
            signal.setitimer(signal.ITIMER_REAL, self.seconds)
        else:
            import ctypes

            tid = threading.get_ident()

            def fire() -> None:
                ctypes.pythonapi.PyThreadState_SetAsyncExc(
                    ctypes.c_ulong(tid), ctypes.py_object(DocumentTimeout)
                )

            self._timer = threading.Timer(self.seconds, fire)
            self._timer.daemon = True
            self._timer.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        import signal

        if self._timer is not None:
            self._timer.cancel()
            self._timer.join()
        else:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, self._old)


def _budget(job: BatchJob, chars: int) -> float:
    """Seconds a batch of ``chars`` characters may take: ``--doc-timeout`` per started million."""
    return job.doc_timeout * max(1.0, -(-chars // 1_000_000))


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

    def bounded(batch: Sequence[str]) -> list[Any]:
        chars = sum(len(t) for t in batch)
        with _Deadline(_budget(job, chars)):
            if len(batch) == 1 and chars > _HUGE_CHARS and job.command == "clean" and not job.explain:
                return [_clean_huge(flt, batch[0])]
            return once(batch)

    out: list[Any] = []
    for a, b in _size_batches(texts, job.batch_size):
        try:
            out.extend(bounded(texts[a:b]))
        except Exception:  # noqa: BLE001 - isolate the failing document below
            for t in texts[a:b]:
                try:
                    out.extend(bounded([t]))
                except DocumentTimeout:
                    out.append(
                        DocumentTimeout(
                            f"took longer than its time budget of {_budget(job, len(t)):.0f} s "
                            f"(--doc-timeout {job.doc_timeout:g} s per million characters); not processed"
                        )
                    )
                except Exception as exc:  # noqa: BLE001 - recorded as this document's failure
                    out.append(exc)
    return out


#: Documents longer than this are cleaned window group by window group (:func:`_clean_huge`) instead of in
#: one vectorised call, whose paragraph list and feature matrices grow with the document (a 200 MB text
#: file peaked at 14.8 GB that way). Four model windows: below it the one-call path is cheaper.
_HUGE_CHARS = 8_000_000


def _clean_huge(flt: ArticleFilter, text: str) -> str:
    """``flt.clean(text)`` for an enormous document with memory bounded by a few windows, not the document.

    The pipeline of :meth:`ArticleFilter._predict`, applied to groups of the same paragraph-aligned windows
    the model sees anyway (``config.max_document_chars``; the features of a window do not depend on other
    windows), so the result is identical to the one-call path. Plain text keeps only (start, end) offsets
    per paragraph; HTML is rendered to blocks first (its text is far smaller than its markup).
    """
    from . import cleaner, features, segment
    from .types import Label

    cfg = flt.config
    if cfg.detect_html and segment.looks_like_html(text):
        spans: Sequence[tuple[int, int]] | None = None
        blocks = segment.html_to_blocks(text)
        lengths = [len(b[0]) for b in blocks]
    else:
        spans = segment._segment_plain(text)
        blocks = []
        lengths = [e - s for s, e in spans]

    def para(i: int) -> str:
        if spans is None:
            return blocks[i][0]
        s, e = spans[i]
        return text[s:e]

    # window boundaries exactly as filter.api._windows draws them
    windows: list[tuple[int, int]] = []
    start, size = 0, 0
    for i, n in enumerate(lengths):
        if i > start and size + n > cfg.max_document_chars:
            windows.append((start, i))
            start, size = i, 0
        size += n
    windows.append((start, len(lengths)))
    kept: list[str] = []
    group = max(1, _HUGE_CHARS // max(cfg.max_document_chars, 1))
    for g in range(0, len(windows), group):
        docs = [[para(i) for i in range(a, b)] for a, b in windows[g : g + group]]
        fs = features.extract(docs, flt.model.vocabulary)
        labels = cleaner.decide(flt.model.predict_proba(fs), cfg)
        flat = [p for doc in docs for p in doc]
        kept.extend(p for p, label in zip(flat, labels, strict=True) if label is Label.CORE)
    return cfg.joiner.join(kept)


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
    # surrogatepass: a unit named after a file whose name is not UTF-8 still hashes (and is never skipped)
    digest = hashlib.sha1(unit.encode("utf-8", errors="surrogatepass")).hexdigest()[:24]
    return Path(state_dir) / "errors" / (digest + ".json")


def _save_unit_errors(
    state_dir: str | None,
    unit: str,
    errors: list[dict[str, Any]],
    stale: bool,
    notices: list[dict[str, Any]] | None = None,
) -> None:
    """Record a unit's failures and decoding notices (or clear old ones) *before* its output is committed."""
    if state_dir is None:
        return
    path = _errors_path(state_dir, unit)
    if errors or notices:
        record = {"unit": unit, "errors": errors, "notices": notices or []}
        atomic_write_text(path, json.dumps(record, ensure_ascii=True))
    elif stale:
        path.unlink(missing_ok=True)


def _paragraph_rows(doc_id: str, paragraphs: Sequence[Paragraph]) -> list[dict[str, Any]]:
    return [{"doc_id": doc_id, **p.to_dict()} for p in paragraphs]


_PARA_COLUMNS = ["doc_id", "index", "start", "end", "text", "label", "probability", "probabilities", "cues"]


def _paragraph_bytes(rows: list[dict[str, Any]], fmt: str) -> bytes:
    """Per-paragraph rows in JSONL, CSV (probabilities and cues as JSON) or Parquet (typed columns)."""
    if fmt == "jsonl":
        return "".join(json_line(r) for r in rows).encode("utf-8")
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
        return _encode_text(buf.getvalue())
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
    return _parquet_bytes(pa.Table.from_pylist(_arrow_safe(rows), schema=schema))


def _arrow_safe(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Rows whose strings Arrow can store (UTF-8): lone surrogates replaced, see :func:`_encode_text`."""

    def fix(v: Any) -> Any:
        if isinstance(v, str):
            return v.encode("utf-8", errors="replace").decode("utf-8")
        if isinstance(v, list):
            return [fix(x) for x in v]
        return v

    return [{k: fix(v) for k, v in r.items()} for r in rows]


def _parquet_bytes(table: Any) -> bytes:
    import pyarrow as pa
    import pyarrow.parquet as pq

    sink = pa.BufferOutputStream()
    pq.write_table(table, sink)
    return bytes(sink.getvalue().to_pybytes())


# ---------------------------------------------------------------------------------------- text files
def _commit(job: BatchJob, unit: str, dst: str, stat: tuple[int, int] | None, data: bytes) -> None:
    """Write a unit's output so that resuming can trust it: old output gone, journal entry, then new output.

    The journal (``OUT/.batch/done.jsonl``) says which input (size, mtime) and options each output was made
    from; a unit is skipped on a rerun only if its latest entry matches and its output exists. Writing the
    entry *before* the output (and removing an older output first) means an output never exists without an
    entry that describes it, whenever the process is killed: a kill in between leaves no output, and the unit
    is redone. Lines are appended with one ``write`` on an ``O_APPEND`` descriptor, so the worker processes
    of a run can share the journal; a line torn by a kill is ignored when the journal is read.
    """
    if job.state_dir is not None and stat is not None:
        Path(dst).unlink(missing_ok=True)
        entry = json_line({"unit": unit, "dst": dst, "stat": list(stat), "opts": job.options_key()})
        fd = os.open(Path(job.state_dir) / JOURNAL_FILE, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        try:
            os.write(fd, entry.encode("utf-8"))
        finally:
            os.close(fd)
    atomic_write_bytes(dst, data)


def _read_item(job: BatchJob, item: TextItem) -> Decoded:
    name = item.src or "<stdin>"
    if item.data is not None:
        data = item.data
    else:
        size = os.stat(item.src).st_size
        if size > job.max_doc_chars:
            raise DocumentTooLarge(
                f"{_fs_name(name)}: {size / 1e6:.1f} MB is over the size budget of {job.max_doc_mb:g} MB "
                "(--max-doc-mb); not processed"
            )
        data = Path(item.src).read_bytes()
    return decode(data, _fs_name(name))


class DocumentTooLarge(InputError):
    """A document over the size budget (``--max-doc-mb``)."""


def _decoding_notice(file: str, line: int | None, rid: Any, decoded: Decoded) -> dict[str, Any]:
    return error_record(file, line, rid, decoded.encoding, decoded.note)


def _run_text_task(flt: ArticleFilter, job: BatchJob, task: TextTask) -> TaskResult:
    res = TaskResult()
    items: list[TextItem] = []
    texts: list[str] = []
    notices: dict[str, dict[str, Any]] = {}
    for item in task.items:
        try:
            decoded = _read_item(job, item)
            texts.append(decoded.text)
            items.append(item)
            if decoded.fallback:
                notices[item.rel] = _decoding_notice(item.src or "<stdin>", None, None, decoded)
        except Exception as exc:  # noqa: BLE001 - InputError, OSError, anything: this file's failure
            _fail_text(job, item, res, exc)
    for item, text, result in zip(items, texts, _analyse(flt, job, texts), strict=True):
        if isinstance(result, BaseException):
            _fail_text(job, item, res, result)
            continue
        try:
            if job.command == "classify":
                data = _paragraph_bytes(_paragraph_rows(item.rel, result), job.out_format or "jsonl")
            else:
                cleaned = _cleaned(flt, result)
                # encoded first, newline after: no second copy of an enormous cleaned text
                data = _encode_text(cleaned) + (b"\n" if cleaned and not cleaned.endswith("\n") else b"")
                del cleaned
            notice = [notices[item.rel]] if item.rel in notices else []
            _save_unit_errors(job.state_dir, item.unit, [], item.stale_errors, notice)
            _commit(job, item.unit, item.dst, item.stat, data)
        except Exception as exc:  # noqa: BLE001 - e.g. an unwritable output: this file's failure
            _fail_text(job, item, res, exc)
            continue
        res.notices.extend(notice)
        res.done += 1
        res.chars += len(text)
    return res


def _fail_text(job: BatchJob, item: TextItem, res: TaskResult, exc: BaseException) -> None:
    # Remove an older output first (possible with --overwrite): a file that fails now must not look done.
    try:
        Path(item.dst).unlink(missing_ok=True)
    except OSError:
        pass
    error = exc.error if isinstance(exc, _TaskFailure) else type(exc).__name__
    rec = error_record(item.src or "<stdin>", None, None, error, str(exc) or repr(exc))
    _save_unit_errors(job.state_dir, item.unit, [rec], item.stale_errors)
    res.errors.append(rec)
    res.failed += 1


def failed_task(job: BatchJob, task: Task, error: str, message: str) -> TaskResult:
    """Every document of a task recorded as failed, from the main process (the worker died or raised)."""
    res = TaskResult()
    if isinstance(task, TextTask):
        for item in task.items:
            _fail_text(job, item, res, _TaskFailure(error, message))
        return res
    for line in task.row_lines():
        res.errors.append(error_record(task.src, line, None, error, message))
        res.failed += 1
    _save_unit_errors(job.state_dir, task.unit, res.errors, task.stale_errors)
    return res


class _TaskFailure(Exception):
    def __init__(self, error: str, message: str) -> None:
        super().__init__(message)
        self.error = error


# -------------------------------------------------------------------------------------------- tables
@dataclass
class _Row:
    line: int
    record: dict[str, Any] | None  # jsonl: the object; csv: field -> value; parquet: None
    fields: list[str] | None = None  # csv: the row as read
    text: str | None = None
    record_id: Any = None
    result: Any = None
    #: how the text was decoded when it needed a fallback (None: plain UTF-8)
    decoding: str | None = None


def _run_chunk_task(flt: ArticleFilter, job: BatchJob, task: ChunkTask) -> TaskResult:
    res = TaskResult()
    file = task.src

    def fail(line: int | None, rid: Any, error: str, message: str) -> None:
        res.errors.append(error_record(file, line, rid, error, message))
        res.failed += 1

    rows = _parse_chunk(job, task, fail)
    for r in rows:
        if r.text is not None and len(r.text) > job.max_doc_chars:
            fail(
                r.line,
                r.record_id,
                "DocumentTooLarge",
                f"{len(r.text) / 1e6:.1f} million characters is over the size budget of {job.max_doc_mb:g} MB "
                "(--max-doc-mb); not processed",
            )
            r.text = None
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
    res.notices = [
        error_record(
            file, r.line, r.record_id, r.decoding, _ROW_NOTE.get(r.decoding, f"decoded as {r.decoding}")
        )
        for r in rows
        if r.decoding
    ]
    _save_unit_errors(job.state_dir, task.unit, res.errors, task.stale_errors, res.notices)
    _commit(job, task.unit, task.part, task.stat, data)
    return res


_ROW_NOTE = {
    "utf-8+cp1252": "mostly UTF-8; stray bytes not valid UTF-8 decoded as cp1252",
    "cp1252": "not valid UTF-8; decoded as cp1252",
}


def _decode_field(value: str, enc: str, where: str) -> tuple[str, str | None]:
    """A CSV field read with ``surrogateescape``: unchanged, or its bytes decoded by :func:`filter.io.decode`.

    Returns the text and how it was decoded when that was a fallback (None for UTF-8 and for ASCII, which
    reads the same in every encoding the file could be in).
    """
    if not _has_surrogate(value):
        return value, (None if enc in ("utf-8", "utf-8-sig", "utf-16", "utf-32") or value.isascii() else enc)
    d = decode(value.encode(enc, errors="surrogateescape"), where)
    return d.text, d.encoding


def _parse_chunk(job: BatchJob, task: ChunkTask, fail: Any) -> list[_Row]:
    """Rows of a chunk with their text, or a recorded failure. Unparseable rows are dropped."""
    rows: list[_Row] = []
    tf, idf = job.text_field, job.id_field
    if task.fmt == "jsonl":
        taken = [f for f in _added_fields(job) if f != tf]
        for line, raw in task.rows:
            decoding = None
            try:
                try:
                    s = raw.decode("utf-8")
                except UnicodeDecodeError:
                    d = decode(raw, f"{_fs_name(task.src)}:{line}")
                    s, decoding = d.text, d.encoding
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
            row = _Row(line, rec, record_id=rec.get(idf) if idf else None, decoding=decoding)
            clash = [f for f in taken if f in rec]
            if clash and job.command == "clean":
                fail(line, row.record_id, "OutputFieldExists", _clash_message(clash))
                continue
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
            decodings = set()
            fixed = []
            for f in fields:
                text, how = _decode_field(f, task.encoding, f"{_fs_name(task.src)}:{line}")
                fixed.append(text)
                if how:
                    decodings.add(how)
            fields = fixed
            rec = dict(zip(header, fields, strict=True))
            rid = rec.get(idf) if idf else None
            decoding = "+".join(sorted(decodings)) if decodings else None
            row = _Row(line, rec, fields=list(fields), record_id=rid, decoding=decoding)
            _set_text(row, rec[tf], tf, fail)
            rows.append(row)
    else:
        table = task.table
        col = _binary_values(table.column(tf))
        ids = _parquet_ids(table, idf) if idf and idf in table.column_names else [None] * len(col)
        for i, (raw, rid) in enumerate(zip(col, ids, strict=True)):
            row = _Row(task.first_row + i, None, record_id=rid)
            value: Any = _MISSING
            if raw is not None:
                try:
                    d = decode(raw, f"{_fs_name(task.src)}:row {row.line}")
                    value, row.decoding = d.text, (d.encoding if d.fallback else None)
                except InputError as exc:
                    fail(row.line, rid, type(exc).__name__, str(exc))
                    value = _FAILED
            if value is not _FAILED:
                _set_text(row, value, tf, fail)
            rows.append(row)
    return rows


def _binary_values(column: Any) -> list[bytes | None]:
    """A string or binary Arrow column as raw bytes per row, without Arrow's UTF-8 check.

    Parquet writers do not all validate UTF-8; converting such a column to Python strings raises for the
    whole batch. As bytes, each value goes through :func:`filter.io.decode` and is reported on its own row.
    """
    import pyarrow as pa

    t = column.type
    if pa.types.is_null(t):
        return [None] * len(column)
    if pa.types.is_string(t):
        column = column.cast(pa.binary(), safe=False)
    elif pa.types.is_large_string(t):
        column = column.cast(pa.large_binary(), safe=False)
    return list(column.to_pylist())


def _parquet_ids(table: Any, idf: str) -> list[Any]:
    import pyarrow as pa

    col = table.column(idf)
    if pa.types.is_string(col.type) or pa.types.is_large_string(col.type):
        return [None if v is None else v.decode("utf-8", errors="replace") for v in _binary_values(col)]
    return list(col.to_pylist())


def _added_fields(job: BatchJob) -> list[str]:
    """The columns ``clean`` adds to every table row; an input that already has one of them is refused."""
    return [job.output_field, job.decoding_field] + ([job.explain_field] if job.explain else [])


def _clash_message(clash: list[str]) -> str:
    return (
        f"the input already has {', '.join(repr(c) for c in clash)}, which clean would overwrite; "
        "choose another output name with --output-field"
    )


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
    of, ef, df = job.output_field, job.explain_field, job.decoding_field
    cleaned = [_cleaned(flt, r.result) if r.result is not None else None for r in rows]
    explained = [_explained(r.result) if job.explain and r.result is not None else None for r in rows]
    if task.fmt == "jsonl":
        out = []
        for r, c, e in zip(rows, cleaned, explained, strict=True):
            rec = dict(r.record or {})
            rec[of] = c
            if job.explain:
                rec[ef] = e
            rec[df] = r.decoding
            out.append(json_line(rec))
        return "".join(out).encode("utf-8")
    if task.fmt == "csv":
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        w.writerow(list(task.header or []) + [of] + ([ef] if job.explain else []) + [df])
        for r, c, e in zip(rows, cleaned, explained, strict=True):
            extra = [json.dumps(e, ensure_ascii=False) if e is not None else ""] if job.explain else []
            w.writerow(list(r.fields or []) + ["" if c is None else c] + extra + [r.decoding or ""])
        return _encode_text(buf.getvalue())
    import pyarrow as pa

    table = task.table
    for name, values in (
        [(of, cleaned)]
        + (
            [(ef, [json.dumps(e, ensure_ascii=False) if e is not None else None for e in explained])]
            if job.explain
            else []
        )
        + [(df, [r.decoding for r in rows])]
    ):
        values = [None if v is None else _encode_text(v).decode("utf-8") for v in values]
        arr = pa.array(values, type=pa.string())
        if name in table.column_names:
            table = table.set_column(table.column_names.index(name), name, arr)
        else:
            table = table.append_column(name, arr)
    return _parquet_bytes(table)


# ======================================================================================== main process
def _glob_regex(pattern: str) -> re.Pattern[str]:
    """A ``Path.glob`` pattern as a regex over posix relative paths (``**/`` matches zero or more folders)."""
    out = []
    i = 0
    while i < len(pattern):
        if pattern.startswith("**/", i):
            out.append("(?:[^/]*/)*")
            i += 3
        elif pattern.startswith("**", i):
            out.append(".*")
            i += 2
        elif pattern[i] == "*":
            out.append("[^/]*")
            i += 1
        elif pattern[i] == "?":
            out.append("[^/]")
            i += 1
        elif pattern[i] == "[" and "]" in pattern[i + 2 :]:
            j = pattern.index("]", i + 2)
            body = pattern[i + 1 : j]
            out.append("[" + ("^" + re.escape(body[1:]) if body.startswith("!") else re.escape(body)) + "]")
            i = j + 1
        else:
            out.append(re.escape(pattern[i]))
            i += 1
    return re.compile("".join(out) + r"\Z")


def _walk(root: Path, globs: Sequence[str], problems: list[tuple[str, str]]) -> dict[str, Path]:
    """Files under ``root`` matching any glob, relative posix name -> path; hidden names are skipped.

    Why not ``Path.glob``: it silently skips folders it cannot list, and a batch must report those.
    ``os.walk`` reports them through ``onerror``; each becomes one error record. Symbolic links to folders
    are not followed (no cycles), as ``Path.glob("**/...")`` does not follow them either.
    """
    patterns = [_glob_regex(g) for g in globs]
    found: dict[str, Path] = {}

    def onerror(exc: OSError) -> None:
        problems.append((exc.filename or str(root), f"cannot list folder: {exc.strerror or exc}"))

    for dirpath, dirnames, filenames in os.walk(root, onerror=onerror):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        base = Path(dirpath)
        for name in filenames:
            if name.startswith("."):
                continue
            f = base / name
            rel = f.relative_to(root).as_posix()
            if any(p.match(rel) for p in patterns) and f.is_file():
                found[rel] = f
    return found


def resolve_inputs(
    inputs: Sequence[str],
    globs: Sequence[str] = DEFAULT_GLOBS,
    problems: list[tuple[str, str]] | None = None,
) -> list[Source]:
    """The documents named by the command line, in a deterministic order, with their output-relative names.

    Folders that cannot be listed are appended to ``problems`` as (path, message) for the caller to report.
    """
    sources: list[Source] = []
    problems = problems if problems is not None else []
    multi = len(inputs) > 1
    for inp in inputs:
        if inp == "-":
            sources.append(Source("stdin", "", "stdin", direct=True))
            continue
        p = Path(inp)
        if p.is_dir():
            prefix = f"{p.resolve().name}/" if multi else ""
            found = _walk(p, globs, problems)
            for rel in sorted(found):
                f = found[rel]
                sources.append(Source(TABULAR_FORMATS.get(f.suffix.lower(), "text"), str(f), prefix + rel))
        elif p.is_file():
            sources.append(Source(TABULAR_FORMATS.get(p.suffix.lower(), "text"), str(p), p.name, direct=True))
        else:
            raise UsageError(f"no such input: {_fs_name(inp)}")
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


#: Restarts after a refused multi-line CSV record, per file (see :meth:`_Planner._csv_chunks`): each rereads
#: up to the rest of the file, so a file of many unclosed quotes must not take quadratic time.
_CSV_MAX_RESTARTS = 100


class _Lines:
    """The lines of a binary file decoded with ``surrogateescape``, counting lines and remembering offsets.

    Fed to ``csv.reader``, which consumes whole lines, so ``line`` is the number of the last line read.
    ``mark(n)`` asks to remember where line ``n`` starts, so reading can go back there (:meth:`rewind`).
    """

    def __init__(self, fb: Any, encoding: str) -> None:
        self.fb, self.encoding = fb, encoding
        self.line = 0
        self._mark_line = -1
        self.mark_offset: int | None = None
        # UTF-16/32 are not line-addressable byte by byte: read them whole through a text wrapper instead.
        self._text: Any = None
        if encoding in ("utf-16", "utf-32"):
            self._text = io.TextIOWrapper(fb, encoding=encoding, errors="surrogateescape", newline="")

    def mark(self, line: int) -> None:
        self._mark_line, self.mark_offset = line, None

    def rewind(self, line_before: int) -> None:
        """Continue with the line after ``line_before`` (whose start was marked)."""
        assert self.mark_offset is not None
        self.fb.seek(self.mark_offset)
        self.line = line_before

    def __iter__(self) -> _Lines:
        return self

    def __next__(self) -> str:
        if self._text is not None:
            text = self._text.readline()
            if not text:
                raise StopIteration
            self.line += 1
            return str(text)
        offset = self.fb.tell()
        raw = self.fb.readline()
        if not raw:
            raise StopIteration
        self.line += 1
        if self.line == self._mark_line:
            self.mark_offset = offset
        return str(raw.decode(self.encoding, errors="surrogateescape"))


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
        journal: dict[str, dict[str, Any]] | None = None,
        problems: Sequence[tuple[str, str]] = (),
        protected: frozenset[str] = frozenset(),
    ) -> None:
        self.job, self.sources, self.out = job, sources, out
        self.single_file, self.overwrite, self.stale = single_file, overwrite, stale
        self.stdin = stdin
        self.journal = journal or {}
        self.opts = job.options_key()
        #: resolved paths of every input: never deleted or overwritten, whatever the options
        self.protected = protected
        self.skipped = 0
        self._stat: tuple[int, int] | None = None
        self.pending: deque[TaskResult] = deque()
        for path, message in problems:
            rec = error_record(path, None, None, "UnlistableFolder", message)
            _save_unit_errors(job.state_dir, f"list:{path}", [rec], True)
            self.pending.append(TaskResult(failed=1, errors=[rec]))
        self.dst, self.folders = self._assign_outputs()
        self.text_tasks = self._text_tasks()
        self.text_docs = sum(len(t.items) for t in self.text_tasks)

    def _assign_outputs(self) -> tuple[dict[str, Path], dict[str, Path]]:
        """Output file of every text input and part folder of every table, no two of them colliding.

        Natural names first (``a.txt`` -> ``a.txt``, ``a.html`` -> ``a.html.txt``, table ``a.jsonl`` ->
        folder ``a.jsonl/``). A name already taken by another output -- same file, or a file where a folder
        is needed, or the other way round, or the bookkeeping files -- gets the next free alternative in a
        fixed order (``<rel><ext>``, then ``<rel>.2<ext>`` ...), so reruns pick the same names. Example:
        ``classify --glob '**/*'`` over ``a.txt`` and ``a.jsonl`` writes ``a.txt.jsonl`` and ``a.jsonl/``.
        """
        job = self.job
        files: set[str] = {ERRORS_FILE, DECODING_FILE}
        dirs: set[str] = {STATE_DIR}

        def free(rel: str) -> bool:
            parents = [p.as_posix() for p in Path(rel).parents][:-1]
            return rel not in files and rel not in dirs and not any(p in files for p in parents)

        def take(rel: str, is_dir: bool) -> None:
            (dirs if is_dir else files).add(rel)
            dirs.update(p.as_posix() for p in list(Path(rel).parents)[:-1])

        folders: dict[str, Path] = {}
        for s in self.sources:
            if s.kind in TABULAR_FORMATS.values():
                if s.direct and len(self.sources) == 1:
                    folders[s.rel] = self.out
                    continue
                rel = next(
                    c
                    for c in itertools.chain([s.rel], (f"{s.rel}.{n}" for n in itertools.count(2)))
                    if free(c)
                )
                take(rel, True)
                folders[s.rel] = self.out / rel
        dst: dict[str, Path] = {}
        ext = ".txt" if job.command == "clean" else _EXT[job.out_format or "jsonl"]
        for s in self.sources:
            if s.kind not in ("text", "stdin"):
                continue
            if self.single_file:
                dst[s.rel] = self.out
                continue
            natural = _text_out_rel(s.rel, ext)
            options = itertools.chain(
                [natural, s.rel + ext], (f"{s.rel}.{n}{ext}" for n in itertools.count(2))
            )
            rel = next(c for c in options if free(c))
            take(rel, False)
            dst[s.rel] = self.out / rel
        return dst, folders

    def _journal_done(self, unit: str, dst: Path | str, stat: tuple[int, int] | None) -> bool:
        """A unit is done only if the journal says its output was made from this input with these options."""
        if self.overwrite or stat is None:
            return False
        entry = self.journal.get(unit)
        return (
            entry is not None
            and entry.get("opts") == self.opts
            and entry.get("stat") == list(stat)
            and entry.get("dst") == str(dst)
            and os.path.exists(dst)
        )

    # ---------------------------------------------------------------------------------------- text
    def _text_tasks(self) -> list[TextTask]:
        job = self.job
        tasks: list[TextTask] = []
        cur: list[TextItem] = []
        size = 0
        for s in self.sources:
            if s.kind not in ("text", "stdin"):
                continue
            dst = self.dst[s.rel]
            data = None
            stat: tuple[int, int] | None = None
            if s.kind == "stdin":
                stream = self.stdin or sys.stdin
                data = stream.buffer.read() if hasattr(stream, "buffer") else stream.read().encode("utf-8")
                nbytes = len(data)
            else:
                try:
                    st_in = os.stat(s.path)
                    nbytes = st_in.st_size
                    stat = (st_in.st_size, st_in.st_mtime_ns)
                    if self._journal_done(f"text:{s.rel}", dst, stat):
                        self.skipped += 1
                        continue
                except OSError:
                    nbytes = 0  # reported when the worker reads it
            item = TextItem(
                s.path, str(dst), s.rel, data, stale_errors=f"text:{s.rel}" in self.stale, stat=stat
            )
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
        return self.folders[s.rel]

    def _file_error(self, s: Source, line: int | None, exc: BaseException | str, error: str = "") -> None:
        msg = str(exc) if not isinstance(exc, str) else exc
        rec = error_record(s.path, line, None, error or type(exc).__name__, msg)
        _save_unit_errors(self.job.state_dir, f"file:{s.rel}", [rec], True)
        self.pending.append(TaskResult(failed=1, errors=[rec]))

    def _table_tasks(self, s: Source) -> Iterator[ChunkTask]:
        if f"file:{s.rel}" in self.stale and self.job.state_dir is not None:
            _errors_path(self.job.state_dir, f"file:{s.rel}").unlink(missing_ok=True)
        folder = self._part_folder(s)
        try:
            st = os.stat(s.path)
            self._stat = (st.st_size, st.st_mtime_ns)
            if self.overwrite and folder.is_dir():
                for old in folder.glob("part-*"):
                    if str(old.resolve()) not in self.protected:  # --overwrite never deletes an input
                        old.unlink()
        except OSError as exc:
            self._file_error(s, None, exc)
            return
        readers = {"jsonl": self._jsonl_chunks, "csv": self._csv_chunks, "parquet": self._parquet_chunks}
        try:
            yield from readers[s.kind](s, folder)
        except Exception as exc:  # noqa: BLE001 - whatever goes wrong reading this table fails it alone
            self._file_error(
                s, None, f"{_fs_name(s.path)}: could not be read to the end: {exc}", type(exc).__name__
            )

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
            stat=self._stat,
            **kw,
        )

    def _done(self, s: Source, folder: Path, k: int) -> bool:
        c = self._chunk(s, folder, k)
        return self._journal_done(c.unit, c.part, self._stat)

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
        """Rows of a CSV file in chunks; a row the csv module refuses is one error and reading goes on.

        The reader is strict, so a quote that is never closed is an error instead of a field that silently
        swallows every following row. When a refused record spanned several lines, reading restarts on the
        line after its first one (byte offsets are tracked per line), so the rows it had swallowed are read
        as rows again; at most ``_CSV_MAX_RESTARTS`` times per file, which bounds the work on a hostile file.
        """
        cs, tf = self.job.chunk_size, self.job.text_field
        csv.field_size_limit(2**31 - 1)  # the default (128 KiB) would refuse every long article
        try:
            fb = open(s.path, "rb")
        except OSError as exc:
            self._file_error(s, None, exc)
            return
        with fb:
            head = fb.read(1 << 16)
            fb.seek(0)
            if looks_binary(head):
                self._file_error(
                    s, None, f"{_fs_name(s.path)}: binary data, not CSV text (skipped)", "BinaryInputError"
                )
                return
            enc = detect_encoding(head)
            if enc == "cp1252":
                # Read as UTF-8 anyway: fields that are not UTF-8 are then decoded one by one by the order of
                # filter.io (which tries cp1252 early), so one cp1252 row among UTF-8 rows -- or the other
                # way round -- is decoded right and reported on its own row only.
                enc = "utf-8"
            lines = _Lines(fb, enc)
            reader = csv.reader(lines, strict=True)
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
            clash = [f for f in _added_fields(self.job) if f in header and f != tf]
            if clash and self.job.command == "clean":
                self._file_error(s, 1, _clash_message(clash), "OutputFieldExists")
                return
            k, rows, done = 0, [], self._done(s, folder, 0)
            n, restarts = 0, 0
            while True:
                start = lines.line + 1
                lines.mark(start + 1)
                try:
                    row: Any = next(reader)
                except StopIteration:
                    break
                except csv.Error as exc:
                    spanned = lines.line > start
                    row = f"unreadable CSV row: {exc}" + (
                        f" (a quoted field opened on line {start} is not closed where it should be; "
                        f"reading goes on at line {start + 1})"
                        if spanned
                        else ""
                    )
                    if spanned and lines.mark_offset is not None and restarts < _CSV_MAX_RESTARTS:
                        restarts += 1
                        lines.rewind(start)
                        reader = csv.reader(lines, strict=True)
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
                        yield self._chunk(s, folder, k, rows=rows, header=header, encoding=enc)
                    k, n, rows = k + 1, 0, []
                    done = self._done(s, folder, k)
            if n and not done:
                yield self._chunk(s, folder, k, rows=rows, header=header, encoding=enc)

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
        clash = [f for f in _added_fields(self.job) if f in schema.names and f != tf]
        if clash and self.job.command == "clean":
            self._file_error(s, None, _clash_message(clash), "OutputFieldExists")
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
def _task_crashed(job: BatchJob, task: Task, exc: BaseException) -> TaskResult:
    """A task that raised instead of returning (a bug, an unpicklable value): its documents fail, run goes on."""
    return failed_task(job, task, "TaskFailed", f"processing failed: {type(exc).__name__}: {exc}")


def _worker_died(job: BatchJob, task: Task) -> TaskResult:
    return failed_task(
        job,
        task,
        "WorkerDied",
        "the worker process died while handling this document's task (killed, e.g. out of memory); "
        "rerun to retry it, perhaps with a smaller --batch-size",
    )


def _loky_init(spec: ModelSpec) -> int:
    """Loky worker initializer: die with the parent process (Linux), then load the model.

    Without this a worker of a run killed with SIGKILL lingers, blocked on its pipe, until loky's idle
    timeout (minutes). ``PR_SET_PDEATHSIG`` makes the kernel send it SIGKILL when its parent goes.
    """
    if sys.platform.startswith("linux"):
        try:
            import ctypes
            import signal

            ctypes.CDLL(None, use_errno=True).prctl(1, int(signal.SIGKILL))  # 1 = PR_SET_PDEATHSIG
        except (OSError, AttributeError):  # pragma: no cover - no libc prctl: workers time out instead
            pass
    return warm_worker(spec)


def _execute_local(job: BatchJob, tasks: Iterable[Task], jobs: int) -> Iterator[TaskResult]:
    """Run tasks in this process (jobs=1) or on a loky pool, keeping only ~2 tasks per worker in flight.

    A task that raises fails its own documents. A worker that dies breaks the whole pool, and every task in
    flight then reports the same error, so those tasks are rerun one at a time on a fresh pool: the one that
    kills its worker again is recorded as failed (``WorkerDied``) and the others finish normally.
    """
    it = iter(tasks)
    first = list(itertools.islice(it, 2))
    tasks = itertools.chain(first, it)
    if jobs <= 1 or len(first) < 2:  # one task: starting worker processes would cost more than it saves
        from threadpoolctl import threadpool_limits

        with threadpool_limits(limits=1):  # scoped: the caller's own thread settings come back afterwards
            for t in tasks:
                try:
                    res = _run_task(job, t)
                except Exception as exc:  # noqa: BLE001 - this task's documents fail, the run goes on
                    res = _task_crashed(job, t, exc)
                yield res
        return
    from concurrent.futures import FIRST_COMPLETED, Future, wait

    from joblib.externals.loky import get_reusable_executor
    from joblib.externals.loky.process_executor import BrokenProcessPool

    def executor() -> Any:
        return get_reusable_executor(max_workers=jobs, initializer=_loky_init, initargs=(job.model,))

    inflight: dict[Future[TaskResult], Task] = {}
    suspects: list[Task] = []

    def collect(done: Iterable[Future[TaskResult]]) -> Iterator[TaskResult]:
        for f in done:
            task = inflight.pop(f)
            try:
                yield f.result()
            except BrokenProcessPool:
                suspects.append(task)
            except Exception as exc:  # noqa: BLE001 - this task's documents fail, the run goes on
                yield _task_crashed(job, task, exc)

    def isolate() -> Iterator[TaskResult]:
        """Rerun the tasks that were in flight when a worker died, one at a time, to find the culprit."""
        while suspects:
            task = suspects.pop(0)
            try:
                yield executor().submit(run_task, job, task).result()
            except BrokenProcessPool:
                yield _worker_died(job, task)
            except Exception as exc:  # noqa: BLE001
                yield _task_crashed(job, task, exc)

    ex = executor()
    try:
        for t in tasks:
            try:
                inflight[ex.submit(run_task, job, t)] = t
            except BrokenProcessPool:
                suspects.append(t)
            while inflight and (len(inflight) >= 2 * jobs or suspects):
                done, _ = wait(set(inflight), return_when=FIRST_COMPLETED)
                yield from collect(done)
            if suspects:
                yield from isolate()
                ex = executor()
        while inflight:
            done, _ = wait(set(inflight), return_when=FIRST_COMPLETED)
            yield from collect(done)
        yield from isolate()
    except BaseException:
        for f in inflight:
            f.cancel()
        ex.shutdown(wait=False, kill_workers=True)
        raise


def _merge_errors(out: Path) -> int:
    """Rebuild ``errors.jsonl`` and ``decoding.jsonl`` from the per-unit records, sorted; returns #errors."""
    records: list[dict[str, Any]] = []
    notices: list[dict[str, Any]] = []
    d = out / STATE_DIR / "errors"
    if d.is_dir():
        for f in d.glob("*.json"):
            try:
                saved = json.loads(f.read_text(encoding="utf-8"))
                records.extend(saved["errors"])
                notices.extend(saved.get("notices", []))
            except (OSError, ValueError, KeyError, TypeError):
                continue

    def key(r: dict[str, Any]) -> tuple[str, int, str, str]:
        return (str(r.get("file")), r.get("line") or 0, str(r.get("record_id")), str(r.get("message")))

    for name, recs in ((ERRORS_FILE, records), (DECODING_FILE, notices)):
        recs.sort(key=key)
        path = out / name
        if recs:
            atomic_write_text(path, "".join(json_line(r) for r in recs))
        else:
            path.unlink(missing_ok=True)
    return len(records)


def _read_journal(path: Path) -> dict[str, dict[str, Any]]:
    """unit -> its latest journal entry; a line torn by a kill is ignored (that unit is simply redone)."""
    entries: dict[str, dict[str, Any]] = {}
    try:
        with open(path, encoding="utf-8") as fh:
            for line in fh:
                try:
                    e = json.loads(line)
                    entries[e["unit"]] = e
                except (ValueError, KeyError, TypeError):
                    continue
    except FileNotFoundError:
        pass
    return entries


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
    if not (math.isfinite(job.doc_timeout) and job.doc_timeout > 0):
        raise UsageError(f"--doc-timeout must be a positive number of seconds, not {job.doc_timeout}")
    if not (math.isfinite(job.max_doc_mb) and job.max_doc_mb > 0):
        raise UsageError(f"--max-doc-mb must be a positive number, not {job.max_doc_mb}")
    problems: list[tuple[str, str]] = []
    sources = resolve_inputs(inputs, globs, problems)
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
    protected = frozenset(str(Path(s.path).resolve()) for s in sources if s.path)
    if single_file:
        if sources[0].path and out.resolve() == Path(sources[0].path).resolve():
            raise UsageError(f"output {out} is the input file")
        if out.exists() and not overwrite:
            raise UsageError(f"output {out} exists; add --overwrite to replace it")
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
        for path in sorted(protected):
            if _is_within(Path(path), ro):
                raise UsageError(
                    f"input {_fs_name(path)} is inside the output folder {out}, where outputs would overwrite "
                    "it; write the output somewhere else"
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
    journal: dict[str, dict[str, Any]] = {}
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
                (out / STATE_DIR / JOURNAL_FILE).unlink(missing_ok=True)
            journal = _read_journal(out / STATE_DIR / JOURNAL_FILE)
            for f in (out / STATE_DIR / "errors").glob("*.json"):
                try:
                    stale.add(json.loads(f.read_text(encoding="utf-8"))["unit"])
                except (OSError, ValueError, KeyError, TypeError):
                    f.unlink(missing_ok=True)
        else:
            for tmp in out.parent.glob(f".{out.name}.*.tmp"):
                tmp.unlink(missing_ok=True)
        for unit in [u for u in stale if u.startswith("list:")]:  # re-checked while listing, below
            _errors_path(str(out / STATE_DIR), unit).unlink(missing_ok=True)
        planner = _Planner(
            job, sources, out, single_file, overwrite, stale, stdin, journal, problems, protected
        )
        with _TerminationAsInterrupt():
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
        summary.decoded_with_fallback += len(res.notices)
        for rec in res.errors:
            if errors_fh is not None:
                errors_fh.write(json_line(rec))
            else:
                print(f"article-filter: {rec['file']}: {rec['message']}", file=sys.stderr)
        if single_file:
            for rec in res.notices:
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


class _TerminationAsInterrupt:
    """SIGTERM and SIGHUP raise KeyboardInterrupt while a batch runs, so that the worker pool is shut down
    (``kill_workers``) and the lock released exactly as for Ctrl-C, instead of the process vanishing and
    leaving its workers behind. Only in the main thread (signal handlers cannot be set elsewhere)."""

    def __enter__(self) -> _TerminationAsInterrupt:
        import signal

        self._old: dict[int, Any] = {}
        if threading.current_thread() is threading.main_thread():
            for name in ("SIGTERM", "SIGHUP"):
                sig = getattr(signal, name, None)
                if sig is not None:
                    self._old[sig] = signal.signal(sig, self._raise)
        return self

    @staticmethod
    def _raise(signum: int, frame: Any) -> None:
        raise KeyboardInterrupt(f"signal {signum}")

    def __exit__(self, *exc: Any) -> None:
        import signal

        for sig, old in self._old.items():
            signal.signal(sig, old)


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
            doc_timeout=getattr(args, "doc_timeout", None) or DEFAULT_DOC_TIMEOUT,
            max_doc_mb=getattr(args, "max_doc_mb", None) or DEFAULT_MAX_DOC_MB,
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
    if summary.decoded_with_fallback and Path(summary.output).is_dir():
        print(
            f"article-filter {command}: {summary.decoded_with_fallback} document(s) were not plain UTF-8 and "
            f"were decoded with a fallback (see {Path(summary.output) / DECODING_FILE})",
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
            decoded = decode(data, _fs_name(s.path) or "<stdin>")
            text = decoded.text
        except (InputError, OSError) as exc:
            print(f"article-filter: {exc}", file=sys.stderr)
            failed += 1
            continue
        if decoded.fallback:
            print(f"article-filter: {_fs_name(s.path) or '<stdin>'}: {decoded.note}", file=sys.stderr)
        paras = flt.classify(text)
        items.append((s.rel, paras))
        cleaned.append(_cleaned(flt, paras))
    write_review(items, args.output, cleaned, note=model_note(flt))
    return EXIT_FAILURES if failed else EXIT_OK
