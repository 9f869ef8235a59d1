"""WET-style output (``clean --format wet``): one WARC/1.0 ``conversion`` record per cleaned row.

Why WET: it is what crawl tools already read (Common Crawl publishes page text this way, and warcio,
fastwarc and :func:`filter.warc.iter_records` read it back). Each record is a header block --
``WARC-Type: conversion``, ``WARC-Target-URI``, ``WARC-Date``, ``WARC-Record-ID``, ``WARC-Refers-To`` (the
source record, for WARC/WET inputs), ``WARC-Identified-Content-Language`` (the source's hint, when it
had one), ``Content-Type: text/plain``, ``WARC-Block-Digest``, ``Content-Length`` -- a blank line, the cleaned
text in UTF-8, and two CRLFs. Written with the standard library only (no extra needed).

Where the values come from: the URI is the row's ``uri`` or ``url`` field, else ``urn:article-filter:`` and
the row's id (``--id-field``, else ``<file>:<line>``); the date is the row's ``date`` field, else the input
file's modification time; the record id is a UUID derived from the input name and line, so a rerun writes
the same bytes. With gzip, each record is its own gzip member (as in Common Crawl's files). Rows that
failed are not written (they are in ``errors.jsonl``); ``--explain`` is refused with this format (WET has
no place for labels).
"""

from __future__ import annotations

import base64
import gzip
import hashlib
import uuid
from collections.abc import Sequence
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from ...compress import GZIP_LEVEL
from ..records import encode_text

if TYPE_CHECKING:
    from ..job import BatchJob
    from ..records import ChunkTask, Row

__all__ = ["write_records"]


def _date(rec: dict[str, Any], task: ChunkTask) -> str:
    d: Any = rec.get("date")
    if isinstance(d, str) and d:
        return d
    if hasattr(d, "isoformat"):
        return str(d.isoformat())
    ns = task.stat[1] if task.stat else 0
    return datetime.fromtimestamp(ns / 1e9, tz=timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def _header_value(v: Any) -> str:
    """One header line's value: no line breaks (they would end the header block)."""
    return " ".join(str(v).split())


def _record(job: BatchJob, task: ChunkTask, row: Row, rec: dict[str, Any], text: str) -> bytes:
    doc_id = str(row.record_id) if row.record_id is not None else f"{task.rel}:{row.line}"
    uri = rec.get("uri") or rec.get("url") or "urn:article-filter:" + quote(doc_id, safe=":/")
    payload = encode_text(text)
    rid = uuid.uuid5(uuid.NAMESPACE_URL, f"article-filter:{task.rel}:{row.line}")
    headers = [
        ("WARC-Type", "conversion"),
        ("WARC-Target-URI", uri),
        ("WARC-Date", _date(rec, task)),
        ("WARC-Record-ID", f"<urn:uuid:{rid}>"),
    ]
    if task.fmt == "warc" and rec.get("record_id"):
        headers.append(("WARC-Refers-To", rec["record_id"]))
    if task.fmt == "warc" and rec.get("language_hint"):
        headers.append(("WARC-Identified-Content-Language", rec["language_hint"]))
    digest = base64.b32encode(hashlib.sha1(payload).digest()).decode("ascii")
    headers += [
        ("Content-Type", "text/plain"),
        ("WARC-Block-Digest", f"sha1:{digest}"),
        ("Content-Length", str(len(payload))),
    ]
    head = "WARC/1.0\r\n" + "".join(f"{k}: {_header_value(v)}\r\n" for k, v in headers) + "\r\n"
    return encode_text(head) + payload + b"\r\n\r\n"


def write_records(
    job: BatchJob, task: ChunkTask, rows: Sequence[Row], records: list[dict[str, Any]]
) -> bytes:
    """The cleaned rows as WET records; gzip output is one gzip member per record, as Common Crawl writes it
    (WARC readers seek by record and refuse one gzip stream over many records), so the batch does not
    compress this part again (:func:`filter.batch.output.compressed_by_writer`)."""
    of = job.output_field
    out = []
    for row, rec in zip(rows, records, strict=True):
        if rec.get(of) is None:
            continue
        data = _record(job, task, row, rec, rec[of])
        out.append(
            gzip.compress(data, compresslevel=GZIP_LEVEL, mtime=0) if task.compression == "gzip" else data
        )
    return b"".join(out)
