"""The format registry and the interface a format module implements.

Adding a format is one module plus one :func:`register` call (built-ins are listed in ``_BUILTIN``; a
plug-in calls ``register`` when it is imported, e.g. from ``filter/_extras.py``). The module is imported
only when a file of that format is met, by name (``importlib``), so optional dependencies (pyarrow,
warcio, ...) stay optional and the format modules never import the batch machinery that calls them.

A **reader** module provides (see :class:`TableReader`)::

    plan_chunks(ctx, source, folder) -> Iterator[ChunkTask]   # main process: stream the file into chunks
    parse(job, task, fail) -> list[Row]                        # worker: a chunk's rows with their text
    clean_part(job, task, rows, cleaned, explained) -> bytes   # worker: `clean` output part of a chunk
    count_rows(path) -> int | None                             # rows when known cheaply (progress bar)

``plan_chunks`` cuts the file into chunks of ``ctx.job.chunk_size`` records, asks ``ctx.done(...)`` to skip
finished ones (counting them with ``ctx.skip``) and reports a file-level failure with ``ctx.file_error``;
``ChunkTask.rows`` carries whatever ``parse`` needs (raw lines, CSV fields, an Arrow table). ``parse``
reports a bad record with ``fail(line, record_id, error, message)`` and drops it (or keeps it with
``text=None`` when it can still be copied to the output). A **writer** module provides
``paragraph_part(rows) -> bytes`` for ``classify`` rows (``doc_id, index, start, end, text, label,
probability, probabilities, cues``). The output suffix of a format is its first registered suffix.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, cast

if TYPE_CHECKING:
    from ..job import BatchJob
    from ..records import ChunkTask, Row, Source

__all__ = [
    "ChunkPlanner",
    "Fail",
    "FormatEntry",
    "RowWriter",
    "TableReader",
    "entry",
    "format_for_path",
    "reader",
    "register",
    "writer",
    "writer_names",
]


class Fail(Protocol):
    def __call__(self, line: int | None, record_id: Any, error: str, message: str) -> None: ...


class ChunkPlanner(Protocol):
    """What the planner offers a reader's ``plan_chunks``."""

    @property
    def job(self) -> BatchJob: ...

    def done(self, s: Source, folder: Path, k: int) -> bool: ...

    def chunk(self, s: Source, folder: Path, k: int, **kw: Any) -> ChunkTask: ...

    def file_error(self, s: Source, line: int | None, exc: BaseException | str, error: str = "") -> None: ...

    def skip(self, n: int) -> None: ...


class TableReader(Protocol):
    def plan_chunks(self, ctx: ChunkPlanner, s: Source, folder: Path) -> Iterator[ChunkTask]: ...

    def parse(self, job: BatchJob, task: ChunkTask, fail: Fail) -> list[Row]: ...

    def clean_part(
        self,
        job: BatchJob,
        task: ChunkTask,
        rows: list[Row],
        cleaned: Sequence[str | None],
        explained: Sequence[list[dict[str, Any]] | None],
    ) -> bytes: ...

    def count_rows(self, path: str) -> int | None: ...


class RowWriter(Protocol):
    def paragraph_part(self, rows: list[dict[str, Any]]) -> bytes: ...


@dataclass(frozen=True)
class FormatEntry:
    name: str
    suffixes: tuple[str, ...]
    module: str
    reads: bool = True
    writes: bool = True
    #: Suffix of the parts written for this format's inputs, when not its own (WARC input -> JSONL parts).
    out_ext: str | None = None

    @property
    def ext(self) -> str:
        return self.out_ext or self.suffixes[0]


_ENTRIES: dict[str, FormatEntry] = {}

#: The formats that ship with the batch: name, suffixes (lower case), module.
_BUILTIN = (
    # Compressed JSONL and CSV are read through filter.compress; outputs take their compression from
    # --compress (default: the input's), see filter/batch/output.py.
    FormatEntry(
        "jsonl",
        (".jsonl", ".ndjson", ".jsonl.gz", ".jsonl.bz2", ".jsonl.xz", ".jsonl.zst", ".ndjson.gz"),
        "filter.batch.formats.jsonl",
    ),
    FormatEntry(
        "csv", (".csv", ".csv.gz", ".csv.bz2", ".csv.xz", ".csv.zst"), "filter.batch.formats.csvfile"
    ),
    FormatEntry("parquet", (".parquet",), "filter.batch.formats.parquet"),
    # WARC/WET (the 'warc' extra, warcio): page records in, JSONL rows out.
    # Every name filter.warc.is_warc_name accepts, so `-o` never takes a compressed archive for one document.
    FormatEntry(
        "warc",
        tuple(
            base + comp
            for base in (".warc.wet", ".warc", ".wet", ".arc")
            for comp in (".gz", "", ".bz2", ".xz", ".zst", ".gzip", ".zstd")
        ),
        "filter.batch.formats.warcfile",
        out_ext=".jsonl",
    ),
    # WET-style output of `clean --format wet` (filter/batch/formats/wet.py): written, never read as a table
    # (a .warc.wet input is the "warc" format above) and not a paragraph-row format.
    FormatEntry("wet", (".warc.wet",), "filter.batch.formats.wet", reads=False, writes=False),
)


def register(
    name: str, suffixes: Sequence[str], module: str, *, reads: bool = True, writes: bool = True
) -> FormatEntry:
    """Make ``module`` the format ``name`` for files ending in ``suffixes`` (replacing an older entry)."""
    if not suffixes or any(not s.startswith(".") for s in suffixes):
        raise ValueError(f"format {name!r}: suffixes must start with '.', got {list(suffixes)}")
    e = FormatEntry(name, tuple(s.lower() for s in suffixes), module, reads, writes)
    _ENTRIES[name] = e
    return e


for _e in _BUILTIN:
    _ENTRIES[_e.name] = _e


def entry(name: str) -> FormatEntry:
    return _ENTRIES[name]


def format_for_path(path: str) -> str | None:
    """The table format a file name stands for (longest suffix wins), or None for a text document."""
    low = path.lower()
    best: tuple[int, str] | None = None
    for e in _ENTRIES.values():
        if not e.reads:
            continue
        for s in e.suffixes:
            if low.endswith(s) and (best is None or len(s) > best[0]):
                best = (len(s), e.name)
    return best[1] if best else None


def reader(name: str) -> TableReader:
    e = _ENTRIES[name]
    if not e.reads:
        raise KeyError(f"format {name!r} cannot be read")
    return cast(TableReader, importlib.import_module(e.module))


def writer(name: str) -> RowWriter:
    e = _ENTRIES[name]
    if not e.writes:
        raise KeyError(f"format {name!r} cannot be written")
    return cast(RowWriter, importlib.import_module(e.module))


def writer_names() -> tuple[str, ...]:
    return tuple(e.name for e in _ENTRIES.values() if e.writes)
