"""The units of work and their results, as sent between the planner, the workers and the main process.

Plain dataclasses (picklable for loky and Dask); the record helpers shape one line of ``errors.jsonl``.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from typing import Any

__all__ = [
    "ChunkTask",
    "Row",
    "Source",
    "Task",
    "TaskFailure",
    "TaskResult",
    "TextItem",
    "TextTask",
    "encode_text",
    "error_record",
    "fs_name",
    "json_line",
]


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
    #: compression of the output (filter.compress name; None: plain), see filter/batch/output.py
    compression: str | None = None

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
    #: compression of the output part (filter.compress name; None: plain), see filter/batch/output.py
    compression: str | None = None

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
    #: documents whose verdict carries a warning (unsupported language kept unfiltered, nothing looked
    #: like reporting, short input rescued; see filter.verdict): error_record-shaped, ``error`` = "warning"
    warnings: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class Row:
    line: int
    record: dict[str, Any] | None  # jsonl: the object; csv: field -> value; parquet: None
    fields: list[str] | None = None  # csv: the row as read
    text: str | None = None
    record_id: Any = None
    result: Any = None
    #: how the text was decoded when it needed a fallback (None: plain UTF-8)
    decoding: str | None = None


class TaskFailure(Exception):
    def __init__(self, error: str, message: str) -> None:
        super().__init__(message)
        self.error = error


def error_record(file: str, line: int | None, record_id: Any, error: str, message: str) -> dict[str, Any]:
    """One line of ``errors.jsonl``. ``line`` is 1-based (the row number for Parquet; null for text files)."""
    rid = None if record_id is None else (record_id if isinstance(record_id, (int, str)) else str(record_id))
    return {"file": fs_name(file), "line": line, "record_id": rid, "error": error, "message": message}


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


def encode_text(text: str) -> bytes:
    """Output text as UTF-8; lone surrogates (see :func:`json_line`) become U+FFFD, the one lossy spot.

    Only text outputs and CSV cells take this route, and decoded input never holds surrogates (the decoding
    order of :mod:`filter.io` maps every byte to a character), so this only concerns strings that came in
    as JSON escapes and then went to a CSV or text output.
    """
    return text.encode("utf-8", errors="replace")


def fs_name(path: str) -> str:
    """A path for messages: undecodable bytes of a file name shown as \\xNN escapes (never an exception)."""
    return os.fsencode(path).decode("utf-8", errors="backslashreplace") if path else path
