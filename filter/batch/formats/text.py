"""Text documents: any input that is not a registered table format (files, stdin), one document each.

Read whole (bounded by ``--max-doc-mb``) and decoded by :func:`filter.io.decode`; written as the cleaned
text (``clean``) or as per-paragraph rows in a registered writer format (``classify``).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from ...compress import maybe_decompress
from ...io import Decoded, InputError, decode
from ..records import encode_text, fs_name

if TYPE_CHECKING:
    from ..job import BatchJob
    from ..records import TextItem

__all__ = ["DocumentTooLarge", "clean_text_bytes", "read_document", "text_out_rel"]


class DocumentTooLarge(InputError):
    """A document over the size budget (``--max-doc-mb``)."""


def read_document(job: BatchJob, item: TextItem) -> Decoded:
    name = item.src or "<stdin>"
    if item.data is not None:
        data = item.data
    else:
        size = os.stat(item.src).st_size
        if size > job.max_doc_chars:
            raise DocumentTooLarge(
                f"{fs_name(name)}: {size / 1e6:.1f} MB is over the size budget of {job.max_doc_mb:g} MB "
                "(--max-doc-mb); not processed"
            )
        data = Path(item.src).read_bytes()
    try:  # article.txt.gz reads as the text inside it, within the same size budget
        data = maybe_decompress(data, fs_name(name), max_bytes=job.max_doc_chars)
    except ValueError as exc:
        raise DocumentTooLarge(str(exc)) from None
    return decode(data, fs_name(name))


def clean_text_bytes(cleaned: str) -> bytes:
    """The cleaned text as written: UTF-8, ending in a newline when not empty."""
    # encoded first, newline after: no second copy of an enormous cleaned text
    return encode_text(cleaned) + (b"\n" if cleaned and not cleaned.endswith("\n") else b"")


def text_out_rel(rel: str, ext: str) -> str:
    """Output name of a text input: "a.txt" -> "a" + ext; any other name gets ext appended (no collisions)."""
    return (rel[:-4] if rel.lower().endswith(".txt") else rel) + ext
