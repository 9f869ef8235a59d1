"""Helpers shared by the table formats: the added columns, the text field check, the paragraph columns."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ..job import BatchJob
    from ..records import Row

__all__ = ["FAILED", "MISSING", "PARA_COLUMNS", "added_fields", "clash_message", "set_text"]

#: The columns of ``classify`` rows, in order (the feedback format filter/data.py reads back).
PARA_COLUMNS = ["doc_id", "index", "start", "end", "text", "label", "probability", "probabilities", "cues"]

MISSING = object()
FAILED = object()


def added_fields(job: BatchJob) -> list[str]:
    """The columns ``clean`` adds to every table row; an input that already has one of them is refused."""
    return [job.output_field, job.decoding_field] + ([job.explain_field] if job.explain else [])


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
