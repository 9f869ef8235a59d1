"""WARC and WET files (Common Crawl): one record per page, cleaned like a table row, written as JSONL.

The records are read by :func:`filter.warc.iter_records` (WET ``conversion`` records as they are, WARC
``response`` records with HTML rendered to text first; other record types are skipped and counted).
A record that cannot be read is one line in ``errors.jsonl`` (``line`` = its index in the file) and the run
goes on. Output rows carry the record's ``uri``, ``date``, ``record_id``, ``language_hint`` and
``content_type``, then the cleaned text (and ``--explain`` labels), like every other table.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from ..records import Row
from . import jsonl

if TYPE_CHECKING:
    from ..job import BatchJob
    from ..records import ChunkTask, Source
    from .registry import ChunkPlanner, Fail

__all__ = ["clean_part", "count_rows", "paragraph_part", "parse", "plan_chunks"]

_FIELDS = ("uri", "date", "record_id", "language_hint", "content_type")


def count_rows(path: str) -> int | None:
    return None  # unknown without reading the archive


def plan_chunks(ctx: ChunkPlanner, s: Source, folder: Path) -> Iterator[ChunkTask]:
    """Chunks of ``chunk_size`` page records, in file order (record k always falls in the same chunk)."""
    from ...warc import WarcError, iter_records

    def bad(e: WarcError) -> None:
        ctx.file_error(s, e.offset, e.message, "BadWarcRecord")

    cs = ctx.job.chunk_size
    k, rows, done = 0, [], ctx.done(s, folder, 0)
    try:
        for n, rec in enumerate(iter_records(s.path, on_error=bad), start=1):
            if done:
                ctx.skip(1)
            else:
                rows.append((n, rec))
            if n % cs == 0:
                if not done:
                    yield ctx.chunk(s, folder, k, rows=rows)
                k, rows = k + 1, []
                done = ctx.done(s, folder, k)
        if rows and not done:
            yield ctx.chunk(s, folder, k, rows=rows)
    except (OSError, ValueError) as exc:
        ctx.file_error(s, None, exc, "BadWarcFile")


def parse(job: BatchJob, task: ChunkTask, fail: Fail) -> list[Row]:
    rows = []
    for n, rec in task.rows:
        record = {name: getattr(rec, name) for name in _FIELDS}
        rows.append(Row(n, record, record_id=rec.record_id, text=rec.text))
    return rows


#: Parts of WARC/WET inputs are JSONL: the record fields above, then the added columns.
clean_part = jsonl.clean_part
paragraph_part = jsonl.paragraph_part
