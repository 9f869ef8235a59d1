"""Input and output formats of the batch: one small module per format, found through a registry.

A *table format* is a module that reads rows (JSONL, CSV, Parquet; later ``.jsonl.gz``, WARC/WET) and/or
writes per-paragraph rows. It is registered by name with its file suffixes (:func:`register`); the batch
asks the registry for it by name (``--format``) or by a file's suffix (longest match, so ``.jsonl.gz``
wins over ``.gz``) and never names a format itself. The interface is :class:`TableReader` /
:class:`RowWriter` in :mod:`filter.batch.formats.registry`; plain text documents are the fallback for any
other file (:mod:`filter.batch.formats.text`).
"""

from __future__ import annotations

from .registry import (
    ChunkPlanner,
    Fail,
    FormatEntry,
    RowWriter,
    TableReader,
    entry,
    format_for_path,
    reader,
    register,
    writer,
    writer_names,
)

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
