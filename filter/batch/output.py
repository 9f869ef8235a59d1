"""What a batch writes besides its content: the output compression (``--compress``) and, for ``clean``, an
output format other than the input's (``--format jsonl|csv|parquet|wet``).

Compression. ``--compress keep`` (the default) writes each output in its input's compression, found by the
input's magic bytes (:func:`filter.compress.compression_of`, so a mislabelled ``.gz`` holding plain text is
plain): ``export.jsonl.gz`` -> ``part-00000.jsonl.gz``, ``a.txt.gz`` -> ``a.txt.gz``, ``crawl.warc.wet.gz`` ->
``part-00000.jsonl.gz``, and an uncompressed input gives exactly the outputs it always gave. ``none``,
``gz``, ``bz2``, ``xz``, ``zst`` choose one compression for every output. Parquet parts are never wrapped:
the format compresses its columns inside the file. The output is compressed in memory
(:func:`compress_bytes`) and then committed like any other output (journal line, temporary file, rename),
so outputs stay atomic and resuming works unchanged; gzip output carries no time stamp, so a resumed run
writes the same bytes as an uninterrupted one. A single output file (``-o cleaned.txt.gz``) takes the
compression its name says unless ``--compress`` names one.

Output format of ``clean`` (tables only; text documents are always written as cleaned text): by default a
table's parts are in its own format (WARC/WET inputs give JSONL). With ``--format``, every part is built
from the same records -- the input row with ``--output-field``, with ``--explain``
``<output-field>_paragraphs``, and ``<output-field>_decoding``
(:func:`filter.batch.formats.common.record_dicts`, the one layout of every table output) -- by the output
format's ``write_records``.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from ..compress import (
    compression_from_magic,
    compression_from_name,
    compression_of,
    compression_suffix,
    wrap_output,
)
from .formats.common import record_dicts
from .job import CLEAN_FORMATS, COMPRESS_CHOICES, BatchJob

if TYPE_CHECKING:
    from .records import ChunkTask, Row

__all__ = [
    "CLEAN_FORMATS",
    "compress_bytes",
    "compressed_by_writer",
    "compression_suffix",
    "input_compression",
    "output_compression",
    "record_dicts",
    "single_file_compression",
    "write_clean_records",
]

#: ``--compress`` value -> the name :mod:`filter.compress` uses (None: uncompressed).
_COMP = {"none": None, "gz": "gzip", "bz2": "bz2", "xz": "xz", "zst": "zstd"}
#: ``clean --format`` value -> its writer module (``write_records(job, task, rows, records) -> bytes``).
_WRITERS = {
    "jsonl": "filter.batch.formats.jsonl",
    "csv": "filter.batch.formats.csvfile",
    "parquet": "filter.batch.formats.parquet",
    "wet": "filter.batch.formats.wet",
}
assert set(COMPRESS_CHOICES) == {"keep", *_COMP} and set(CLEAN_FORMATS) == set(_WRITERS)


def input_compression(path: str | None, data: bytes | None = None) -> str | None:
    """The compression of an input file (magic bytes; its name if it cannot be read), or of stdin's bytes."""
    if data is not None:
        return compression_from_magic(data[:6])
    if not path:
        return None
    try:
        return compression_of(path)
    except OSError:
        return compression_from_name(path)


def output_compression(job: BatchJob, input_comp: str | None, out_format: str | None = None) -> str | None:
    """The compression of an output made from an input compressed with ``input_comp``."""
    if out_format == "parquet":
        return None  # compressed inside the format
    if job.compress == "keep":
        return input_comp
    return _COMP[job.compress]


def single_file_compression(job: BatchJob, out: Path, out_format: str | None = None) -> str | None:
    """A single output file (``-o cleaned.txt.gz``): the compression its name says, or ``--compress``."""
    if out_format == "parquet":
        return None
    return compression_from_name(out) if job.compress == "keep" else _COMP[job.compress]


def compressed_by_writer(job: BatchJob, task: ChunkTask) -> bool:
    """True when the part's writer compressed it already (WET with gzip: one gzip member per record)."""
    return job.command == "clean" and job.out_format == "wet" and task.compression == "gzip"


def compress_bytes(data: bytes, comp: str | None) -> bytes:
    """``data`` compressed with ``comp`` (deterministic: no time stamp or name in gzip), or unchanged."""
    if comp is None:
        return data
    buf = io.BytesIO()
    w = wrap_output(cast(Any, buf), comp)
    try:
        w.write(data)
    finally:
        w.close()
    return buf.getvalue()


def write_clean_records(
    job: BatchJob,
    task: ChunkTask,
    rows: list[Row],
    cleaned: Sequence[str | None],
    explained: Sequence[list[dict[str, Any]] | None],
) -> bytes:
    """A ``clean`` part in ``job.out_format`` (``--format``), whatever the input format."""
    import importlib

    assert job.out_format is not None
    module = importlib.import_module(_WRITERS[job.out_format])
    records = record_dicts(job, task, rows, cleaned, explained)
    return cast(bytes, module.write_records(job, task, rows, records))
