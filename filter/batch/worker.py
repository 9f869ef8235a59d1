"""The worker side: one task in, its outputs committed and a :class:`TaskResult` out.

Runs in loky worker processes, Dask workers, or in-process (``--jobs 1``). Everything format-specific is
asked of the format modules (:mod:`filter.batch.formats`); this module only loads the model once per
process, bounds time and memory per document, and turns failures into records.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..io import Decoded
from ..verdict import Document
from . import formats
from .formats.text import DocumentTooLarge, clean_text_bytes, read_document
from .huge import HUGE_CHARS, clean_huge
from .job import _TASK_CHARS, TEST_KILL_ENV, BatchJob, ModelSpec
from .output import compress_bytes, compressed_by_writer, write_clean_records
from .records import (
    ChunkTask,
    Row,
    Task,
    TaskFailure,
    TaskResult,
    TextItem,
    TextTask,
    error_record,
)
from .state import commit, save_unit_errors

if TYPE_CHECKING:
    from ..api import ArticleFilter
    from ..types import Paragraph

__all__ = [
    "DocumentTimeout",
    "DocumentTooLarge",
    "failed_task",
    "filter_for",
    "remember_filter",
    "run_task",
    "run_task_here",
    "warm_worker",
]

#: One loaded model per worker process, keyed by how it was loaded: loading (hash checks + arrays) costs far
#: more than cleaning a batch, so a worker must never load it per task.
_FILTERS: dict[ModelSpec, ArticleFilter] = {}


def filter_for(spec: ModelSpec) -> ArticleFilter:
    flt = _FILTERS.get(spec)
    if flt is None:
        flt = _FILTERS[spec] = spec.load()
    return flt


def remember_filter(spec: ModelSpec, flt: ArticleFilter) -> None:
    """The main process loaded the model already (to fail fast on a bad one): in-process tasks reuse it."""
    _FILTERS[spec] = flt


def warm_worker(spec: ModelSpec) -> int:
    """Worker initializer (loky) / ``client.run`` target (Dask): load the model before the first task."""
    filter_for(spec)
    return os.getpid()


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
    return run_task_here(job, task)


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


def run_task_here(job: BatchJob, task: Task) -> TaskResult:
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
        return list(flt.analyse_many(batch, explain=False))  # the cleaned text and its verdict

    def bounded(batch: Sequence[str]) -> list[Any]:
        chars = sum(len(t) for t in batch)
        with _Deadline(_budget(job, chars)):
            if len(batch) == 1 and chars > HUGE_CHARS and job.command == "clean" and not job.explain:
                return [clean_huge(flt, batch[0])]
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


def _cleaned(flt: ArticleFilter, result: Any) -> str:
    if isinstance(result, str):
        return result
    if isinstance(result, Document):
        return result.text
    from ..cleaner import keep_core

    return keep_core(result, flt.config)


def _explained(paragraphs: Sequence[Paragraph]) -> list[dict[str, Any]]:
    out = []
    for p in paragraphs:
        d = p.to_dict()
        out.append({"text": d["text"], "label": d["label"], "probabilities": d["probabilities"]})
    return out


def _paragraph_rows(doc_id: str, paragraphs: Sequence[Paragraph]) -> list[dict[str, Any]]:
    return [{"doc_id": doc_id, **p.to_dict()} for p in paragraphs]


def _warning(file: str, line: int | None, rid: Any, result: Any) -> list[dict[str, Any]]:
    """The verdict's warnings of one document as one warnings.jsonl record (none for a plain document)."""
    if not isinstance(result, Document) or not result.warnings:
        return []
    rec = error_record(file, line, rid, "warning", "; ".join(result.warnings))
    rec["language"] = result.language
    return [rec]


def _decoding_notice(file: str, line: int | None, rid: Any, decoded: Decoded) -> dict[str, Any]:
    return error_record(file, line, rid, decoded.encoding, decoded.note)


def _run_text_task(flt: ArticleFilter, job: BatchJob, task: TextTask) -> TaskResult:
    res = TaskResult()
    items: list[TextItem] = []
    texts: list[str] = []
    notices: dict[str, dict[str, Any]] = {}
    for item in task.items:
        try:
            decoded = read_document(job, item)
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
                data = formats.writer(job.out_format or "jsonl").paragraph_part(
                    _paragraph_rows(item.rel, result)
                )
            else:
                data = clean_text_bytes(_cleaned(flt, result))
            data = compress_bytes(data, item.compression)
            notice = [notices[item.rel]] if item.rel in notices else []
            warned = _warning(item.src or "<stdin>", None, None, result)
            save_unit_errors(job.state_dir, item.unit, [], item.stale_errors, notice, warned)
            commit(job, item.unit, item.dst, item.stat, data)
        except Exception as exc:  # noqa: BLE001 - e.g. an unwritable output: this file's failure
            _fail_text(job, item, res, exc)
            continue
        res.notices.extend(notice)
        res.warnings.extend(warned)
        res.done += 1
        res.chars += len(text)
    return res


def _fail_text(job: BatchJob, item: TextItem, res: TaskResult, exc: BaseException) -> None:
    # Remove an older output first (possible with --overwrite): a file that fails now must not look done.
    try:
        Path(item.dst).unlink(missing_ok=True)
    except OSError:
        pass
    error = exc.error if isinstance(exc, TaskFailure) else type(exc).__name__
    rec = error_record(item.src or "<stdin>", None, None, error, str(exc) or repr(exc))
    save_unit_errors(job.state_dir, item.unit, [rec], item.stale_errors)
    res.errors.append(rec)
    res.failed += 1


def failed_task(job: BatchJob, task: Task, error: str, message: str) -> TaskResult:
    """Every document of a task recorded as failed, from the main process (the worker died or raised)."""
    res = TaskResult()
    if isinstance(task, TextTask):
        for item in task.items:
            _fail_text(job, item, res, TaskFailure(error, message))
        return res
    for line in task.row_lines():
        res.errors.append(error_record(task.src, line, None, error, message))
        res.failed += 1
    save_unit_errors(job.state_dir, task.unit, res.errors, task.stale_errors)
    return res


def _run_chunk_task(flt: ArticleFilter, job: BatchJob, task: ChunkTask) -> TaskResult:
    res = TaskResult()
    file = task.src

    def fail(line: int | None, record_id: Any, error: str, message: str) -> None:
        res.errors.append(error_record(file, line, record_id, error, message))
        res.failed += 1

    fmt = formats.reader(task.fmt)
    rows = fmt.parse(job, task, fail)
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
            res.warnings.extend(_warning(file, row.line, row.record_id, result))
            res.done += 1
            res.chars += len(row.text or "")
    data = _chunk_bytes(flt, job, task, rows)
    if not compressed_by_writer(job, task):
        data = compress_bytes(data, task.compression)
    res.errors.sort(key=lambda e: e["line"] or 0)
    res.notices = [
        error_record(
            file, r.line, r.record_id, r.decoding, _ROW_NOTE.get(r.decoding, f"decoded as {r.decoding}")
        )
        for r in rows
        if r.decoding
    ]
    save_unit_errors(job.state_dir, task.unit, res.errors, task.stale_errors, res.notices, res.warnings)
    commit(job, task.unit, task.part, task.stat, data)
    return res


def _chunk_bytes(flt: ArticleFilter, job: BatchJob, task: ChunkTask, rows: list[Row]) -> bytes:
    """A chunk's output part: the input rows plus the cleaned text (clean), or paragraph rows (classify)."""
    if job.command == "classify":
        prows: list[dict[str, Any]] = []
        for r in rows:
            if r.result is not None:
                doc_id = str(r.record_id) if r.record_id is not None else f"{task.rel}:{r.line}"
                prows.extend(_paragraph_rows(doc_id, r.result))
        return formats.writer(job.out_format or task.fmt).paragraph_part(prows)
    cleaned = [_cleaned(flt, r.result) if r.result is not None else None for r in rows]
    explained = [_explained(r.result) if job.explain and r.result is not None else None for r in rows]
    if job.out_format is not None and job.out_format != task.fmt:  # clean --format: another output format
        return write_clean_records(job, task, rows, cleaned, explained)
    return formats.reader(task.fmt).clean_part(job, task, rows, cleaned, explained)


_ROW_NOTE = {
    "utf-8+cp1252": "mostly UTF-8; stray bytes not valid UTF-8 decoded as cp1252",
    "cp1252": "not valid UTF-8; decoded as cp1252",
}
