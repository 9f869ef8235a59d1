"""Helpers shared by the table formats: the added columns, the text field check, the paragraph columns.

The record layout of ``clean`` outputs is defined here once: :func:`clean_columns` names the columns
``clean`` adds and their order, :func:`record_dicts` puts them into each row's input record. Every table
output is built from them: a part in the input's own format (``clean_part`` of CSV, Parquet, JSONL, WARC)
and a part in another format (``clean --format``, :mod:`filter.batch.output`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ..job import BatchJob
    from ..records import ChunkTask, Row

__all__ = [
    "FAILED",
    "MISSING",
    "PARA_COLUMNS",
    "added_fields",
    "clash_message",
    "clean_columns",
    "record_dicts",
    "set_text",
]

#: The columns of ``classify`` rows, in order (the feedback format filter/data.py reads back).
PARA_COLUMNS = ["doc_id", "index", "start", "end", "text", "label", "probability", "probabilities", "cues"]

MISSING = object()
FAILED = object()


def added_fields(job: BatchJob) -> list[str]:
    """The columns ``clean`` adds to every table row; an input that already has one of them is refused (in
    this order in the message; the order in the outputs is :func:`clean_columns`')."""
    return [job.output_field, job.decoding_field] + ([job.explain_field] if job.explain else [])


def clean_columns(
    job: BatchJob,
    rows: Sequence[Row],
    cleaned: Sequence[str | None],
    explained: Sequence[list[dict[str, Any]] | None],
) -> list[tuple[str, Sequence[Any]]]:
    """The columns ``clean`` adds to a chunk's rows, as (name, one value per row), in the order every table
    output holds them: the cleaned text (``--output-field``), with ``--explain`` the paragraphs
    (``<output-field>_paragraphs``), then how the text was decoded (``<output-field>_decoding``)."""
    columns: list[tuple[str, Sequence[Any]]] = [(job.output_field, cleaned)]
    if job.explain:
        columns.append((job.explain_field, explained))
    columns.append((job.decoding_field, [r.decoding for r in rows]))
    return columns


def _source_records(task: ChunkTask, rows: Sequence[Row]) -> list[dict[str, Any]]:
    """A copy of each row's input record (Parquet rows carry none: they are taken from the chunk's table)."""
    if task.table is not None:
        table_rows = task.table.to_pylist()
        return [dict(table_rows[r.line - task.first_row]) for r in rows]
    return [dict(r.record or {}) for r in rows]


def record_dicts(
    job: BatchJob,
    task: ChunkTask,
    rows: Sequence[Row],
    cleaned: Sequence[str | None],
    explained: Sequence[list[dict[str, Any]] | None],
) -> list[dict[str, Any]]:
    """Each row's input record with the :func:`clean_columns` added (a column the input has already, the
    text field, keeps its place)."""
    records = _source_records(task, rows)
    for name, values in clean_columns(job, rows, cleaned, explained):
        for rec, value in zip(records, values, strict=True):
            rec[name] = value
    return records


def clash_message(clash: list[str]) -> str:
    return (
        f"the input already has {', '.join(repr(c) for c in clash)}, which clean would overwrite; "
        "choose another output name with --output-field"
    )


def set_text(row: Row, value: Any, tf: str, fail: Any) -> None:
    if value is MISSING or value is None:
        fail(row.line, row.record_id, "MissingField", f"no text field {tf!r} (or it is null)")
    elif not isinstance(value, str):
        fail(row.line, row.record_id, "BadField", f"text field {tf!r} holds {type(value).__name__}, not text")
    else:
        row.text = value
