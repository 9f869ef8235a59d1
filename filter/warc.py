"""WARC and WET files (Common Crawl): the text of each page record, cleaned, as JSONL-ready rows.

Why: Common Crawl's WET files are the largest public source of exactly this product's input -- text
extracted from web pages -- and its WARC files hold the pages' HTML. :func:`iter_records` reads either
(plain, gzip per record as Common Crawl ships them, or bz2/xz/zstd via :mod:`filter.compress`):

- WET ``conversion`` records: their text as it is;
- WARC ``response`` records with a 2xx status and an HTML (or XHTML) content type: the payload (chunked
  transfer and content encodings undone by warcio) decoded with the HTTP charset, else detected as files
  are (:func:`filter.io.decode_bytes`), then rendered to text with the converters the importers use
  (:func:`filter.training.converters.render`: ``html_text``, else ``inscriptis`` with the ``corpora`` extra, else the
  standard library's block renderer of :mod:`filter.segment`);
- every other record (``warcinfo``, ``request``, ``metadata``, non-HTML or non-2xx responses) is skipped and
  counted by kind in :class:`WarcStats`.

A bad record (undecodable, too large, a converter crash) is reported -- ``on_error`` callback and/or
``stats.errors`` -- and skipped; a broken archive (bad framing, truncated gzip) is reported once and ends
that file, because WARC has no sync marker to resume from. Nothing raises out of the iteration except a
missing ``warc`` extra (one-line :class:`~filter._extras.MissingExtraError`) or an unreadable path.

Parsing uses ``warcio`` (the ``warc`` extra; see pyproject.toml for why not fastwarc).
"""

from __future__ import annotations

import re
import warnings
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO, NamedTuple

from ._extras import have, require

if TYPE_CHECKING:
    from .api import ArticleFilter

__all__ = [
    "WarcText",
    "WarcError",
    "WarcStats",
    "iter_records",
    "clean_records",
    "write_wet",
    "default_converter",
    "MAX_RECORD_BYTES",
    "is_warc_name",
]

#: Largest payload read from one record. Common Crawl truncates payloads at 1 MiB, and the largest news
#: page of the Dragnet corpus renders to 247k characters, so 10 MiB only stops pathological records.
MAX_RECORD_BYTES = 10 * 1024 * 1024
_HTML_TYPES = ("text/html", "application/xhtml+xml")
_CHARSET_RE = re.compile(r"charset\s*=\s*[\"']?([\w.:-]+)", re.I)


class WarcText(NamedTuple):
    """One page's text from a WARC/WET record (``language_hint`` is the record's own, e.g. ``"eng,fra"``)."""

    uri: str | None
    date: str | None
    record_id: str | None
    language_hint: str | None
    content_type: str | None
    text: str


@dataclass(frozen=True)
class WarcError:
    """A record (or the rest of a file) that could not be read; ``offset`` is the record's position in the
    uncompressed stream when known."""

    file: str
    record_id: str | None
    offset: int | None
    error: str
    message: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "record_id": self.record_id,
            "offset": self.offset,
            "error": self.error,
            "message": self.message,
        }


@dataclass
class WarcStats:
    """Counts of one or more :func:`iter_records` runs: records seen, texts yielded, skips by kind, errors."""

    records: int = 0
    texts: int = 0
    skipped: Counter[str] = field(default_factory=Counter)
    errors: list[WarcError] = field(default_factory=list)


def is_warc_name(path: str | Path) -> bool:
    """True for ``*.warc``, ``*.wet``, ``*.warc.wet`` names, compressed or not (how the CLI picks the reader)."""
    from .compress import strip_compression_suffix

    return strip_compression_suffix(str(path)).lower().endswith((".warc", ".wet", ".arc"))


def default_converter() -> str:
    """The first of the importers' default converters that is installed, else ``"stdlib"`` (no extra)."""
    from .training.converters import DEFAULT_CONVERTERS

    modules = {"html_text": "html_text", "inscriptis": "inscriptis"}
    for name in DEFAULT_CONVERTERS:
        if have(modules.get(name, name)):
            return name
    return "stdlib"


def _charset(content_type: str | None) -> str | None:
    m = _CHARSET_RE.search(content_type or "")
    return m.group(1) if m else None


def _decode(payload: bytes, content_type: str | None, name: str) -> str:
    from .io import decode_bytes

    charset = _charset(content_type)
    if charset:
        try:
            return payload.decode(charset)
        except (LookupError, UnicodeDecodeError):
            pass  # a wrong or unknown declared charset: detect as for files
    return decode_bytes(payload, name)


class _Reporter:
    """Where a bad record goes: ``stats.errors``, then ``on_error``, else (with neither) a ``RuntimeWarning``."""

    def __init__(self, name: str, stats: WarcStats, on_error: Callable[[WarcError], None] | None, warn: bool):
        self.name = name
        self.stats = stats
        self.on_error = on_error
        self.warn = warn
        self.archive: Any = None  # the ArchiveIterator, for the record offset

    def __call__(self, record_id: str | None, error: str, message: str, *, stacklevel: int = 3) -> None:
        # The offset is asked for only here: warcio's get_record_offset() reads the current record to its end.
        err = WarcError(self.name, record_id, _offset(self.archive), error, message)
        self.stats.errors.append(err)
        if self.on_error is not None:
            self.on_error(err)
        elif self.warn:
            warnings.warn(f"{self.name}: {message}", RuntimeWarning, stacklevel=stacklevel)


class _BadRecord(Exception):
    """A record that is read no further: its error kind and message."""

    def __init__(self, error: str, message: str) -> None:
        super().__init__(message)
        self.error = error
        self.message = message


def iter_records(
    source: str | Path | BinaryIO,
    *,
    converter: str | None = None,
    on_error: Callable[[WarcError], None] | None = None,
    stats: WarcStats | None = None,
    max_record_bytes: int = MAX_RECORD_BYTES,
) -> Iterator[WarcText]:
    """The page texts of a WARC or WET file (see the module docstring for what is read and skipped).

    ``converter`` renders HTML of WARC responses (default :func:`default_converter`). Errors go to
    ``on_error`` and to ``stats.errors``; with neither, each is a ``RuntimeWarning`` (never silent).
    """
    require("warcio", "warc", feature="WARC/WET input")
    from warcio.archiveiterator import ArchiveIterator

    from .io import InputError

    conv = converter or default_converter()
    name = str(source) if isinstance(source, (str, Path)) else getattr(source, "name", "<stream>")
    st = stats if stats is not None else WarcStats()
    report = _Reporter(str(name), st, on_error, warn=stats is None)
    stream = _open(source)
    try:
        report.archive = ArchiveIterator(stream, check_digests=False)
        for record in _records(report.archive, report, st):
            st.records += 1
            content_type, skip = _text_content_type(record)
            if skip is not None:
                st.skipped[skip] += 1
                continue
            headers = record.rec_headers
            record_id = headers.get_header("WARC-Record-ID")
            try:
                text = _record_text(
                    record, content_type, f"{name}: record {record_id}", conv, max_record_bytes
                )
            except _BadRecord as exc:
                report(record_id, exc.error, f"record {record_id}: {exc.message}")
                continue
            except InputError as exc:
                report(record_id, "decode", str(exc))
                continue
            except ImportError:
                raise  # a missing converter extra is the user's to fix, not a bad record
            except Exception as exc:  # noqa: BLE001 - one bad record never stops the file
                report(record_id, type(exc).__name__, f"record {record_id}: {exc}")
                continue
            st.texts += 1
            yield WarcText(
                uri=headers.get_header("WARC-Target-URI"),
                date=headers.get_header("WARC-Date"),
                record_id=record_id,
                language_hint=headers.get_header("WARC-Identified-Content-Language"),
                content_type=content_type,
                text=text,
            )
    finally:
        if isinstance(source, (str, Path)):  # a caller's stream stays open for the caller to close
            stream.close()


def _records(archive: Any, report: _Reporter, st: WarcStats) -> Iterator[Any]:
    """The archive's records; a broken archive or a file that is not WARC is reported once and ends it."""
    records = iter(archive)
    while True:
        try:
            record = next(records)
        except StopIteration:
            return
        except Exception as exc:  # noqa: BLE001 - warcio raises ArchiveLoadFailed, zlib, EOF, ValueError...
            report(None, "archive", f"unreadable archive after {st.records} records: {exc}", stacklevel=4)
            return
        if not str(record.format).startswith("warc"):
            report(
                None, "format", f"not a WARC/WET file (read as {record.format!r}); file skipped", stacklevel=4
            )
            return
        yield record


def _text_content_type(record: Any) -> tuple[str | None, str | None]:
    """(content type, None) for a record whose text is read; (None, the skip kind) for any other record."""
    kind = record.rec_type
    if kind == "conversion":
        return record.rec_headers.get_header("Content-Type"), None
    if kind != "response":
        return None, str(kind)
    http = record.http_headers
    status = http.get_statuscode() if http is not None else None
    content_type = http.get_header("Content-Type") if http is not None else None
    if not status or not str(status).startswith("2"):
        return None, f"response (status {status or 'none'})"
    mime = (content_type or "").split(";")[0].strip().lower()
    if mime not in _HTML_TYPES:
        return None, f"response ({mime or 'no content type'})"
    return content_type, None


def _record_text(record: Any, content_type: str | None, where: str, conv: str, max_record_bytes: int) -> str:
    """The record's text: its payload decoded, and a response's HTML rendered with ``conv``."""
    from .training.converters import render

    payload = record.content_stream().read(max_record_bytes + 1)
    if len(payload) > max_record_bytes:
        raise _BadRecord("too_large", f"over {max_record_bytes} bytes")
    if _truncated(record):
        raise _BadRecord("truncated", "the file ends inside it (truncated)")
    text = _decode(payload, content_type, where)
    if record.rec_type == "response":
        text = render(text, conv)
    return text


def _open(source: str | Path | BinaryIO) -> BinaryIO:
    """The archive as warcio should read it: plain and gzip streams as they are (warcio reads gzip member by
    member, so the records before a truncated or corrupt member are still read), bz2 / xz / zstd
    decompressed by :func:`filter.compress.open_input`."""
    import io

    from .compress import compression_from_magic, open_input

    if isinstance(source, (str, Path)):
        raw: Any = Path(source).open("rb")
    else:
        raw = source
    peekable = raw if hasattr(raw, "peek") else io.BufferedReader(raw)
    if compression_from_magic(peekable.peek(6)[:6]) in (None, "gzip"):
        return peekable
    return open_input(peekable)


def _truncated(record: Any) -> bool:
    """True when the file ended before the record's declared ``Content-Length``: warcio then returns the
    bytes it has without complaint, and a half page must not pass for a whole one."""
    raw = record.raw_stream
    left = getattr(raw, "limit", None)
    if not left:
        return False
    while raw.read(min(int(raw.limit), 1 << 16)):  # what the content reader left (e.g. after a last chunk)
        if not raw.limit:
            return False
    return bool(raw.limit)


def _offset(it: Any) -> int | None:
    try:
        return int(it.get_record_offset())
    except Exception:  # noqa: BLE001 - best effort: only for the error message
        return None


def clean_records(
    records: str | Path | BinaryIO | Iterable[WarcText],
    model: ArticleFilter | str | Path | None = None,
    *,
    explain: bool = False,
    batch_size: int = 64,
    output_field: str = "clean_text",
    **iter_options: Any,
) -> Iterator[dict[str, Any]]:
    """JSONL-ready rows, one per text record, in file order: ``uri``, ``date``, ``record_id``, ``language``
    (detected by the filter), ``language_hint`` (the record's), ``warnings``, ``article_score`` and
    ``output_field`` (the cleaned text, equal to ``clean_many`` of the record's text); with ``explain`` also
    ``paragraphs`` (each with label, probabilities and cues, as ``classify --format json``).

    ``records`` is a WARC/WET path or stream (read with :func:`iter_records`; ``iter_options`` are passed
    on: ``stats``, ``on_error``, ``converter``) or already-read :class:`WarcText` items. ``batch_size``
    records go to the model per call (64: the batch command's default ``--batch-size`` order, where
    per-call overhead is already under a few percent).
    """
    from .frame import _resolve_model

    flt = _resolve_model(model)
    if isinstance(records, (str, Path)) or hasattr(records, "read"):
        items: Iterable[WarcText] = iter_records(records, **iter_options)  # type: ignore[arg-type]
    else:
        if iter_options:
            raise TypeError(f"options {sorted(iter_options)} only apply when reading a file")
        items = records
    batch: list[WarcText] = []

    def flush() -> Iterator[dict[str, Any]]:
        for rec, doc in zip(batch, flt.analyse_many([r.text for r in batch], explain=explain)):
            row: dict[str, Any] = {
                "uri": rec.uri,
                "date": rec.date,
                "record_id": rec.record_id,
                "language": doc.language,
                "language_hint": rec.language_hint,
                "warnings": list(doc.warnings),
                "article_score": doc.article_score,
                output_field: doc.text,
            }
            if explain:
                row["paragraphs"] = [p.to_dict() for p in doc.paragraphs]
            yield row
        batch.clear()

    for rec in items:
        batch.append(rec)
        if len(batch) >= batch_size:
            yield from flush()
    if batch:
        yield from flush()


def write_wet(
    rows: Iterable[dict[str, Any]],
    out: BinaryIO,
    *,
    text_field: str = "clean_text",
    gzip: bool = True,
) -> int:
    """Write rows from :func:`clean_records` as WET ``conversion`` records (the cleaned text as payload, the
    original URI, date and ``WARC-Refers-To`` = the source record id), for tools that read WET.

    ``gzip=True`` compresses per record, as Common Crawl does (each record seekable on its own). Returns the
    number of records written.
    """
    require("warcio", "warc", feature="WET output")
    import io

    from warcio.warcwriter import WARCWriter

    writer = WARCWriter(out, gzip=gzip)
    n = 0
    for row in rows:
        headers = {"WARC-Target-URI": row.get("uri") or "", "WARC-Date": row.get("date") or ""}
        if row.get("record_id"):
            headers["WARC-Refers-To"] = row["record_id"]
        if row.get("language"):
            headers["WARC-Identified-Content-Language"] = str(row["language"])
        headers = {k: v for k, v in headers.items() if v}
        payload = str(row.get(text_field) or "").encode("utf-8")
        record = writer.create_warc_record(
            headers.get("WARC-Target-URI", ""),
            "conversion",
            payload=io.BytesIO(payload),
            length=len(payload),
            warc_content_type="text/plain",
            warc_headers_dict=headers,
        )
        writer.write_record(record)
        n += 1
    return n
