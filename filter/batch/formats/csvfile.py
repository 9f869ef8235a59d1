"""CSV: strict ``csv`` reader over lines decoded with ``surrogateescape``; a refused row is one error.

Why byte-level lines: a file may mix UTF-8 and cp1252 rows; each field that is not UTF-8 is decoded on its
own by :func:`filter.io.decode` and reported on its own row, and a refused multi-line record can be re-read
from the line after its start (byte offsets are tracked per line). Compressed tables (``.csv.gz``, ``.bz2``,
``.xz``, ``.zst``, found by magic bytes) are read the same way through :class:`_Reopening`.

What a bad row reports: ``line`` in ``errors.jsonl`` is the **physical line** (1-based, the header is line
1) on which the refused record *starts*, counted in the decompressed text; a record whose quoted field
spans lines counts every line, so it is not the record number. A wrong field count, an unclosed quote and a
field that is not UTF-8 (decoded, listed in ``decoding.jsonl``) are each reported on that line.

Why not pandas (issue 13 asked to use it "if it makes it more robust"): measured with pandas 2 on small
files, it does not. ``read_csv`` decodes a whole file with one encoding (a single cp1252 byte in a UTF-8
file raises ``UnicodeDecodeError`` for the file, or needs ``encoding_errors`` that replace it silently);
an unclosed quote stops the whole file (``ParserError: EOF inside string starting at row 3``) instead of
one error and reading on; and ``on_bad_lines="warn"`` names the bad row by a count that is neither the
physical line nor the record number once a quoted field spans lines ("Skipping line 3" for a record on
line 4), as a warning the batch would have to parse. The ``csv`` module with a strict reader gives all three
per row, and keeps pandas an extra that the batch does not need.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..._extras import MissingExtraError
from ...compress import compression_of, open_input
from ...io import decode, detect_encoding, looks_binary
from ..records import Row, encode_text, fs_name
from .common import PARA_COLUMNS, added_fields, clash_message, clean_columns, set_text

if TYPE_CHECKING:
    from ..job import BatchJob
    from ..records import ChunkTask, Source
    from .registry import ChunkPlanner, Fail

__all__ = ["clean_part", "count_rows", "paragraph_part", "parse", "plan_chunks", "write_records"]

#: Restarts after a refused multi-line CSV record, per file (see :func:`plan_chunks`): each rereads
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
            raw = fb.fh if isinstance(fb, _Reopening) else fb
            self._text = io.TextIOWrapper(raw, encoding=encoding, errors="surrogateescape", newline="")

    def mark(self, line: int) -> None:
        self._mark_line, self.mark_offset = line, None

    def rewind(self, line_before: int) -> None:
        """Continue with the line after ``line_before`` (whose start was marked)."""
        assert self.mark_offset is not None
        self.fb.seek(self.mark_offset)  # a compressed input seeks in its decompressed bytes (_Reopening)
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


_SURROGATE_RE = re.compile("[\udc80-\udcff]")


def _has_surrogate(s: str) -> bool:
    """True if decoding with ``surrogateescape`` met bytes the detected encoding cannot represent."""
    return _SURROGATE_RE.search(s) is not None


def _decode_field(value: str, enc: str, where: str) -> tuple[str, str | None]:
    """A CSV field read with ``surrogateescape``: unchanged, or its bytes decoded by :func:`filter.io.decode`.

    Returns the text and how it was decoded when that was a fallback (None for UTF-8 and for ASCII, which
    reads the same in every encoding the file could be in).
    """
    if not _has_surrogate(value):
        return value, (None if enc in ("utf-8", "utf-8-sig", "utf-16", "utf-32") or value.isascii() else enc)
    d = decode(value.encode(enc, errors="surrogateescape"), where)
    return d.text, d.encoding


def count_rows(path: str) -> int | None:
    return None  # unknown without reading the file


class _Reopening:
    """The decompressed lines of a ``.csv.gz`` / ``.bz2`` / ``.xz`` / ``.zst``, with ``tell``/``seek`` in the
    decompressed bytes: a seek backwards reopens the file and reads forward to the offset (as ``GzipFile``
    does itself; zstd streams cannot seek at all). Seeks happen only after a refused multi-line record, at
    most ``_CSV_MAX_RESTARTS`` times per file."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.fh = open_input(path)
        self.pos = 0

    def readline(self) -> bytes:
        line = self.fh.readline()
        self.pos += len(line)
        return bytes(line)

    def read(self, n: int) -> bytes:
        data = self.fh.read(n)
        self.pos += len(data)
        return bytes(data)

    def tell(self) -> int:
        return self.pos

    def seek(self, offset: int) -> None:
        if offset < self.pos:
            self.fh.close()
            self.fh, self.pos = open_input(self.path), 0
        while self.pos < offset:
            if not self.read(min(offset - self.pos, 1 << 20)):
                break

    def close(self) -> None:
        self.fh.close()

    def __enter__(self) -> _Reopening:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()


def _open(ctx: ChunkPlanner, s: Source) -> tuple[Any, str] | None:
    """The file and the encoding to read its lines with, or None after reporting why it cannot be read.

    A compressed CSV (detected by its magic bytes, like every input) is read through :class:`_Reopening`.
    """
    try:
        compressed = compression_of(s.path) is not None
        fb: Any = _Reopening(s.path) if compressed else open(s.path, "rb")
        head = fb.read(1 << 16)
        fb.seek(0)
    except (OSError, EOFError, ValueError, MissingExtraError) as exc:  # also corrupt compressed data
        if isinstance(exc, MissingExtraError):
            ctx.file_error(s, None, str(exc), "MissingExtra")
        else:
            ctx.file_error(s, None, exc)
        return None
    if looks_binary(head):
        fb.close()
        ctx.file_error(s, None, f"{fs_name(s.path)}: binary data, not CSV text (skipped)", "BinaryInputError")
        return None
    enc = detect_encoding(head)
    if enc == "cp1252":
        # Read as UTF-8 anyway: fields that are not UTF-8 are then decoded one by one by the order of
        # filter.io (which tries cp1252 early), so one cp1252 row among UTF-8 rows -- or the other
        # way round -- is decoded right and reported on its own row only.
        enc = "utf-8"
    return fb, enc


def _header(ctx: ChunkPlanner, s: Source, reader: Any) -> list[str] | None:
    """The checked header row, or None (an empty file, or a header problem already reported)."""
    tf = ctx.job.text_field
    try:
        header = next(reader)
    except StopIteration:
        return None
    except (csv.Error, UnicodeError) as exc:
        ctx.file_error(s, 1, f"unreadable CSV header: {exc}", "BadCsvRow")
        return None
    header = [h.lstrip("\ufeff") if i == 0 else h for i, h in enumerate(header)]
    if tf not in header:
        ctx.file_error(
            s, 1, f"no column {tf!r} (columns: {', '.join(header)}); use --text-field", "MissingField"
        )
        return None
    clash = [f for f in added_fields(ctx.job) if f in header and f != tf]
    if clash and ctx.job.command == "clean":
        ctx.file_error(s, 1, clash_message(clash), "OutputFieldExists")
        return None
    return list(header)


class _Rows:
    """The data rows after the header as (line, fields or an error message), restarting after a bad record."""

    def __init__(self, lines: _Lines, reader: Any) -> None:
        self.lines, self.reader, self.restarts = lines, reader, 0
        self.start = 0  # line of the record being read

    def __iter__(self) -> Iterator[tuple[int, Any]]:
        lines = self.lines
        while True:
            start = self.start = lines.line + 1
            lines.mark(start + 1)
            try:
                row: Any = next(self.reader)
            except StopIteration:
                return
            except csv.Error as exc:
                row = self._refused(start, exc)
            if row != []:  # [] is a blank line
                yield start, row

    def _refused(self, start: int, exc: csv.Error) -> str:
        lines = self.lines
        spanned = lines.line > start
        msg = f"unreadable CSV row: {exc}" + (
            f" (a quoted field opened on line {start} is not closed where it should be; "
            f"reading goes on at line {start + 1})"
            if spanned
            else ""
        )
        if spanned and lines.mark_offset is not None and self.restarts < _CSV_MAX_RESTARTS:
            self.restarts += 1
            lines.rewind(start)
            self.reader = csv.reader(lines, strict=True)
        return msg


def plan_chunks(ctx: ChunkPlanner, s: Source, folder: Path) -> Iterator[ChunkTask]:
    """Rows of a CSV file in chunks; a row the csv module refuses is one error and reading goes on.

    The reader is strict, so a quote that is never closed is an error instead of a field that silently
    swallows every following row. When a refused record spanned several lines, reading restarts on the
    line after its first one, so the rows it had swallowed are read as rows again; at most
    ``_CSV_MAX_RESTARTS`` times per file, which bounds the work on a hostile file.
    """
    csv.field_size_limit(2**31 - 1)  # the default (128 KiB) would refuse every long article
    opened = _open(ctx, s)
    if opened is None:
        return
    fb, enc = opened
    with fb:
        lines = _Lines(fb, enc)
        reader = csv.reader(lines, strict=True)
        header = _header(ctx, s, reader)
        if header is None:
            return
        cs = ctx.job.chunk_size
        k, n, rows, done = 0, 0, [], ctx.done(s, folder, 0)
        records = _Rows(lines, reader)
        try:
            for start, row in records:
                n += 1
                if done:
                    ctx.skip(1)
                else:
                    rows.append((start, row))
                if n == cs:
                    if not done:
                        yield ctx.chunk(s, folder, k, rows=rows, header=header, encoding=enc)
                    k, n, rows = k + 1, 0, []
                    done = ctx.done(s, folder, k)
        except (UnicodeError, OSError, EOFError) as exc:  # EOFError: a truncated compressed file
            ctx.file_error(s, records.start, exc)
        if n and not done:
            yield ctx.chunk(s, folder, k, rows=rows, header=header, encoding=enc)


def _row(job: BatchJob, task: ChunkTask, header: list[str], line: int, fields: list[str]) -> Row:
    decodings = set()
    fixed = []
    for f in fields:
        text, how = _decode_field(f, task.encoding, f"{fs_name(task.src)}:{line}")
        fixed.append(text)
        if how:
            decodings.add(how)
    rec = dict(zip(header, fixed, strict=True))
    rid = rec.get(job.id_field) if job.id_field else None
    decoding = "+".join(sorted(decodings)) if decodings else None
    return Row(line, rec, fields=fixed, record_id=rid, decoding=decoding)


def parse(job: BatchJob, task: ChunkTask, fail: Fail) -> list[Row]:
    header = task.header or []
    rows: list[Row] = []
    for line, fields in task.rows:
        if isinstance(fields, str):
            fail(line, None, "BadCsvRow", fields)
            continue
        if len(fields) != len(header):
            fail(line, None, "BadCsvRow", f"expected {len(header)} fields, found {len(fields)}")
            continue
        row = _row(job, task, header, line, fields)
        set_text(row, (row.record or {})[job.text_field], job.text_field, fail)
        rows.append(row)
    return rows


def clean_part(
    job: BatchJob,
    task: ChunkTask,
    rows: list[Row],
    cleaned: Sequence[str | None],
    explained: Sequence[list[dict[str, Any]] | None],
) -> bytes:
    """The input's fields as read (so repeated column names stay), then the added columns as cells."""
    columns = clean_columns(job, rows, cleaned, explained)
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(list(task.header or []) + [name for name, _ in columns])
    for i, r in enumerate(rows):
        w.writerow(list(r.fields or []) + [_cell(values[i]) for _, values in columns])
    return encode_text(buf.getvalue())


def paragraph_part(rows: list[dict[str, Any]]) -> bytes:
    """Per-paragraph rows; probabilities and cues as JSON cells."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(PARA_COLUMNS)
    for r in rows:
        w.writerow(
            [
                json.dumps(r[c], ensure_ascii=False) if c in ("probabilities", "cues") else r[c]
                for c in PARA_COLUMNS
            ]
        )
    return encode_text(buf.getvalue())


def _cell(v: Any) -> str:
    """A value as a CSV cell: text as it is, null as an empty cell, anything else (lists, objects, numbers)
    as JSON."""
    if v is None:
        return ""
    if isinstance(v, str):
        return v
    if isinstance(v, (bytes, bytearray)):
        return bytes(v).decode("utf-8", errors="replace")
    from .jsonl import json_value

    return json.dumps(v, ensure_ascii=False, default=json_value)


def write_records(
    job: BatchJob, task: ChunkTask, rows: Sequence[Row], records: list[dict[str, Any]]
) -> bytes:
    """``clean --format csv`` from any input: the union of the records' keys as columns, in order of first
    appearance; lists, objects and numbers as JSON cells, null as an empty cell."""
    columns: dict[str, None] = {}
    for rec in records:
        columns.update(dict.fromkeys(rec))
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(list(columns))
    for rec in records:
        w.writerow([_cell(rec.get(c)) for c in columns])
    return encode_text(buf.getvalue())
