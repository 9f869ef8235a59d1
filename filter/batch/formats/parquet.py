"""Parquet: read by record batches with pyarrow, text columns as raw bytes so one bad value fails one row."""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ...io import InputError, decode
from ..records import Row, encode_text, fs_name
from .common import FAILED, MISSING, added_fields, clash_message, clean_columns, set_text

if TYPE_CHECKING:
    from ..job import BatchJob
    from ..records import ChunkTask, Source
    from .registry import ChunkPlanner, Fail

__all__ = ["clean_part", "count_rows", "paragraph_part", "parse", "plan_chunks", "write_records"]


def count_rows(path: str) -> int | None:
    """Rows from the file's metadata (cheap); 0 when unreadable (the failure is reported when it is read)."""
    try:
        import pyarrow.parquet as pq

        return int(pq.ParquetFile(path).metadata.num_rows)
    except Exception:  # noqa: BLE001 - reported when the file is read
        return 0


def _text_type_ok(t: Any) -> bool:
    import pyarrow as pa

    return bool(
        pa.types.is_string(t)
        or pa.types.is_large_string(t)
        or pa.types.is_binary(t)
        or pa.types.is_large_binary(t)
        or pa.types.is_null(t)
    )


def _open(ctx: ChunkPlanner, s: Source) -> Any:
    """The checked ``ParquetFile``, or None after reporting why it cannot be used."""
    import pyarrow.parquet as pq

    tf = ctx.job.text_field
    try:
        pf = pq.ParquetFile(s.path)
        schema = pf.schema_arrow
    except Exception as exc:  # noqa: BLE001 - any pyarrow failure means "not a readable Parquet file"
        ctx.file_error(s, None, f"{s.path}: not a readable Parquet file: {exc}", "BadParquet")
        return None
    if tf not in schema.names:
        ctx.file_error(
            s,
            None,
            f"no column {tf!r} (columns: {', '.join(schema.names)}); use --text-field",
            "MissingField",
        )
        return None
    clash = [f for f in added_fields(ctx.job) if f in schema.names and f != tf]
    if clash and ctx.job.command == "clean":
        ctx.file_error(s, None, clash_message(clash), "OutputFieldExists")
        return None
    t = schema.field(tf).type
    if not _text_type_ok(t):
        ctx.file_error(s, None, f"column {tf!r} has type {t}, not text", "BadField")
        return None
    return pf


def _tables(pf: Any, cs: int) -> Iterator[Any]:
    """The file as tables of exactly ``cs`` rows (the last one shorter), whatever its row groups are."""
    import pyarrow as pa

    pending: list[Any] = []
    have = 0
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
            yield chunk
        if batch is None:
            return


def plan_chunks(ctx: ChunkPlanner, s: Source, folder: Path) -> Iterator[ChunkTask]:
    pf = _open(ctx, s)
    if pf is None:
        return
    cs = ctx.job.chunk_size
    total = pf.metadata.num_rows
    if all(ctx.done(s, folder, k) for k in range(-(-total // cs))):
        ctx.skip(total)
        return
    k, row = 0, 1
    try:
        for chunk in _tables(pf, cs):
            if ctx.done(s, folder, k):
                ctx.skip(chunk.num_rows)
            else:
                yield ctx.chunk(s, folder, k, table=chunk.combine_chunks(), first_row=row)
            k, row = k + 1, row + chunk.num_rows
    except Exception as exc:  # noqa: BLE001 - a corrupt row group fails the rest of this file only
        ctx.file_error(s, row, f"{s.path}: unreadable Parquet data from row {row}: {exc}", "BadParquet")


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


def parse(job: BatchJob, task: ChunkTask, fail: Fail) -> list[Row]:
    tf, idf = job.text_field, job.id_field
    table = task.table
    col = _binary_values(table.column(tf))
    ids = _parquet_ids(table, idf) if idf and idf in table.column_names else [None] * len(col)
    rows: list[Row] = []
    for i, (raw, rid) in enumerate(zip(col, ids, strict=True)):
        row = Row(task.first_row + i, None, record_id=rid)
        value: Any = MISSING
        if raw is not None:
            try:
                d = decode(raw, f"{fs_name(task.src)}:row {row.line}")
                value, row.decoding = d.text, (d.encoding if d.fallback else None)
            except InputError as exc:
                fail(row.line, rid, type(exc).__name__, str(exc))
                value = FAILED
        if value is not FAILED:
            set_text(row, value, tf, fail)
        rows.append(row)
    return rows


def clean_part(
    job: BatchJob,
    task: ChunkTask,
    rows: list[Row],
    cleaned: Sequence[str | None],
    explained: Sequence[list[dict[str, Any]] | None],
) -> bytes:
    """The chunk's Arrow table as read, with the added columns as text columns."""
    import pyarrow as pa

    table = task.table
    for name, values in clean_columns(job, rows, cleaned, explained):
        texts = _explain_json(job, name, values)
        arr = pa.array(
            [None if v is None else encode_text(v).decode("utf-8") for v in texts], type=pa.string()
        )
        if name in table.column_names:
            table = table.set_column(table.column_names.index(name), name, arr)
        else:
            table = table.append_column(name, arr)
    return _parquet_bytes(table)


def _explain_json(job: BatchJob, name: str, values: Sequence[Any]) -> Sequence[Any]:
    """The values of column ``name``; the ``--explain`` paragraphs as JSON text (null stays null)."""
    if name == job.explain_field and job.explain:
        return [None if v is None else json.dumps(v, ensure_ascii=False) for v in values]
    return values


def paragraph_part(rows: list[dict[str, Any]]) -> bytes:
    """Per-paragraph rows with typed columns (probabilities as a struct, cues as a list)."""
    import pyarrow as pa

    from ...types import LABELS

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
    """Rows whose strings Arrow can store (UTF-8): lone surrogates replaced, see :func:`encode_text`."""

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


def _column(values: Sequence[Any]) -> Any:
    """An Arrow array of ``values``; a column Arrow cannot type as one (mixed types, empty objects) holds JSON
    text instead, so one odd record never fails its chunk."""
    import pyarrow as pa

    from .jsonl import json_value

    try:
        arr = pa.array([_fix(v) for v in values])
        if not pa.types.is_struct(arr.type) or arr.type.num_fields:
            return arr
    except (pa.ArrowInvalid, pa.ArrowTypeError, TypeError, ValueError, OverflowError):
        pass
    return pa.array(
        [None if v is None else json.dumps(v, ensure_ascii=False, default=json_value) for v in values],
        type=pa.string(),
    )


def _fix(v: Any) -> Any:
    return _arrow_safe([{"v": v}])[0]["v"]


def write_records(
    job: BatchJob, task: ChunkTask, rows: Sequence[Row], records: list[dict[str, Any]]
) -> bytes:
    """``clean --format parquet`` from any input: one column per key (union, in order of first appearance);
    ``<output-field>_paragraphs`` as JSON text, as in Parquet parts of Parquet inputs."""
    import pyarrow as pa

    columns: dict[str, None] = {}
    for rec in records:
        columns.update(dict.fromkeys(rec))
    arrays = [_column(_explain_json(job, c, [rec.get(c) for rec in records])) for c in columns]
    return _parquet_bytes(pa.Table.from_arrays(arrays, names=list(columns)))
