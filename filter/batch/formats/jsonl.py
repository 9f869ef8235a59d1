"""JSON Lines (``.jsonl``, ``.ndjson``): read line by line, so a malformed line is one error, not a crash."""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ...compress import open_input
from ...io import InputError, decode
from ..records import Row, fs_name, json_line
from .common import MISSING, added_fields, clash_message, record_dicts, set_text

if TYPE_CHECKING:
    from ..job import BatchJob
    from ..records import ChunkTask, Source
    from .registry import ChunkPlanner, Fail

__all__ = [
    "clean_part",
    "count_rows",
    "json_value",
    "paragraph_part",
    "parse",
    "plan_chunks",
    "write_records",
]


def count_rows(path: str) -> int | None:
    return None  # unknown without reading the file


def plan_chunks(ctx: ChunkPlanner, s: Source, folder: Path) -> Iterator[ChunkTask]:
    """Chunks of ``chunk_size`` lines (blank lines count, so chunk k always starts at the same line)."""
    cs = ctx.job.chunk_size
    line = 0
    try:
        with open_input(s.path) as fh:  # .jsonl.gz / .bz2 / .xz / .zst read as the JSONL inside
            k, n, rows, done = 0, 0, [], ctx.done(s, folder, 0)
            for raw in fh:
                line += 1
                n += 1
                if raw.strip():
                    if done:
                        ctx.skip(1)
                    else:
                        rows.append((line, raw))
                if n == cs:
                    if not done:
                        yield ctx.chunk(s, folder, k, rows=rows)
                    k, n, rows = k + 1, 0, []
                    done = ctx.done(s, folder, k)
            if n and not done:
                yield ctx.chunk(s, folder, k, rows=rows)
    except OSError as exc:
        ctx.file_error(s, line or None, exc)


def _record(task: ChunkTask, line: int, raw: bytes, fail: Fail) -> tuple[dict[str, Any], str | None] | None:
    """The JSON object of one line and how it was decoded (None: UTF-8), or None after reporting it."""
    decoding = None
    try:
        try:
            s = raw.decode("utf-8")
        except UnicodeDecodeError:
            d = decode(raw, f"{fs_name(task.src)}:{line}")
            s, decoding = d.text, d.encoding
        rec = json.loads(s.lstrip("\ufeff"))
    except InputError as exc:
        fail(line, None, type(exc).__name__, str(exc))
        return None
    except ValueError as exc:
        fail(line, None, "MalformedLine", f"not a JSON line: {exc}")
        return None
    if not isinstance(rec, dict):
        fail(line, None, "MalformedLine", f"a line must hold a JSON object, not {type(rec).__name__}")
        return None
    return rec, decoding


def parse(job: BatchJob, task: ChunkTask, fail: Fail) -> list[Row]:
    tf, idf = job.text_field, job.id_field
    taken = [f for f in added_fields(job) if f != tf]
    rows: list[Row] = []
    for line, raw in task.rows:
        got = _record(task, line, raw, fail)
        if got is None:
            continue
        rec, decoding = got
        row = Row(line, rec, record_id=rec.get(idf) if idf else None, decoding=decoding)
        clash = [f for f in taken if f in rec]
        if clash and job.command == "clean":
            fail(line, row.record_id, "OutputFieldExists", clash_message(clash))
            continue
        set_text(row, rec.get(tf, MISSING), tf, fail)
        rows.append(row)
    return rows


def clean_part(
    job: BatchJob,
    task: ChunkTask,
    rows: list[Row],
    cleaned: Sequence[str | None],
    explained: Sequence[list[dict[str, Any]] | None],
) -> bytes:
    """Each row's record with the added fields (:func:`~.common.record_dicts`), one JSON line each."""
    return write_records(job, task, rows, record_dicts(job, task, rows, cleaned, explained))


def paragraph_part(rows: list[dict[str, Any]]) -> bytes:
    return "".join(json_line(r) for r in rows).encode("utf-8")


def json_value(v: Any) -> Any:
    """A value JSON cannot hold as it is (from a Parquet input: bytes, dates, decimals) in a form it can."""
    if isinstance(v, (bytes, bytearray)):
        return bytes(v).decode("utf-8", errors="replace")
    if hasattr(v, "isoformat"):
        return v.isoformat()
    return str(v)


def write_records(
    job: BatchJob, task: ChunkTask, rows: Sequence[Row], records: list[dict[str, Any]]
) -> bytes:
    """``clean --format jsonl`` from any input: one JSON line per record (see filter/batch/output.py)."""
    out = []
    for rec in records:
        try:
            out.append(json_line(rec))
        except TypeError:  # a value JSON cannot hold: converted, the rest unchanged
            out.append(json_line(json.loads(json.dumps(rec, default=json_value))))
    return "".join(out).encode("utf-8")
