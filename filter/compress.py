"""Compressed inputs and outputs: gzip, bz2, xz (standard library) and zstd (the ``zstd`` extra).

Why: scraped text at scale is stored compressed (``export.jsonl.gz``, Common Crawl's ``*.warc.wet.gz``), and
refusing it as "binary data" made users decompress to disk first. Detection trusts the **magic bytes** first
and the name second: a ``.gz`` that is really plain text is read as text, and a compressed file without a
suffix is still recognised. Outputs are deterministic (gzip header without time stamp or file name), so a
resumed batch writes byte-identical files to an uninterrupted one.

Only the standard library is imported here; ``zstandard`` is imported through :func:`filter._extras.require`
when a zstd stream is met, so its absence is a one-line message naming the extra.
"""

from __future__ import annotations

import bz2
import gzip
import io
import lzma
import sys
from pathlib import Path
from typing import IO, Any, BinaryIO, cast

from ._extras import require

__all__ = [
    "COMPRESSIONS",
    "compression_of",
    "compression_from_magic",
    "compression_from_name",
    "compression_suffix",
    "open_input",
    "open_output",
    "wrap_output",
    "maybe_decompress",
    "strip_compression_suffix",
    "with_compression_suffix",
]

#: Supported compressions, their magic numbers and file suffixes (the first suffix is the one written).
_MAGIC: dict[str, bytes] = {
    "gzip": b"\x1f\x8b",
    "bz2": b"BZh",
    "xz": b"\xfd7zXZ\x00",
    "zstd": b"\x28\xb5\x2f\xfd",
}
_SUFFIXES: dict[str, tuple[str, ...]] = {
    "gzip": (".gz", ".gzip"),
    "bz2": (".bz2",),
    "xz": (".xz",),
    "zstd": (".zst", ".zstd"),
}
COMPRESSIONS: tuple[str, ...] = tuple(_MAGIC)
#: gzip level 6 is gzip(1)'s default: within a few percent of level 9's size at about a third of its time.
GZIP_LEVEL = 6
#: zstd level 3 is the zstd library's default, the usual choice for crawl data (better than gzip -6, faster).
ZSTD_LEVEL = 3
_HEAD = 6  # longest magic number above


def compression_from_magic(head: bytes) -> str | None:
    """``"gzip"``, ``"bz2"``, ``"xz"``, ``"zstd"`` for a stream starting with ``head``, else ``None``.

    bz2's magic is followed by the block size digit 1-9; checking it keeps a text file that starts "BZh"
    from being taken for bz2.
    """
    for name, magic in _MAGIC.items():
        if head.startswith(magic):
            if name == "bz2" and (len(head) < 4 or head[3:4] not in b"123456789"):
                continue
            return name
    return None


def compression_from_name(path: str | Path) -> str | None:
    """The compression a file name's last suffix promises (``a.jsonl.gz`` -> ``"gzip"``), else ``None``."""
    name = str(path).lower()
    for comp, suffixes in _SUFFIXES.items():
        if name.endswith(suffixes):
            return comp
    return None


def compression_of(path: str | Path) -> str | None:
    """The compression of ``path``: its magic bytes when it exists and is readable, else its name.

    An existing file's content wins over its name in both directions (a mislabelled ``.gz`` holding plain
    text is plain; a compressed file without a suffix is compressed).
    """
    p = Path(path)
    try:
        with p.open("rb") as fh:
            head = fh.read(_HEAD)
    except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
        return compression_from_name(p)
    return compression_from_magic(head)


def strip_compression_suffix(path: str | Path) -> str:
    """The name without its compression suffix (``crawl.warc.wet.gz`` -> ``crawl.warc.wet``), so callers
    choose the reader by the inner format."""
    name = str(path)
    comp = compression_from_name(name)
    if comp is None:
        return name
    for suffix in _SUFFIXES[comp]:
        if name.lower().endswith(suffix):
            return name[: -len(suffix)]
    return name  # pragma: no cover - compression_from_name matched one of the suffixes


def compression_suffix(compression: str | None) -> str:
    """The file-name suffix written for ``compression`` (``"gzip"`` -> ``".gz"``; ``""`` for none)."""
    return "" if compression is None else _SUFFIXES[_check(compression)][0]


def with_compression_suffix(path: str | Path, compression: str | None) -> str:
    """``path`` with the suffix of ``compression`` (replacing any compression suffix it had)."""
    return strip_compression_suffix(path) + compression_suffix(compression)


def _check(compression: str) -> str:
    if compression not in _MAGIC:
        raise ValueError(f"unknown compression {compression!r} (known: {', '.join(COMPRESSIONS)})")
    return compression


def _zstd() -> Any:
    return require("zstandard", "zstd", feature="zstd (.zst) support")


def _decompressing(raw: Any, compression: str | None) -> Any:
    if compression is None:
        return raw
    if compression == "gzip":
        return gzip.GzipFile(fileobj=raw, mode="rb")  # reads concatenated members (per-record WARC gzip)
    if compression == "bz2":
        return bz2.BZ2File(raw, "rb")  # multi-stream files too
    if compression == "xz":
        return lzma.LZMAFile(raw, "rb")
    reader = _zstd().ZstdDecompressor().stream_reader(raw, read_across_frames=True, closefd=True)
    return io.BufferedReader(reader)  # readline/peek for line-based readers


class _Owned(io.BufferedIOBase):
    """A (de)compressing stream that also closes the file it wraps (the compressors leave it open)."""

    def __init__(self, inner: IO[bytes], owned: IO[bytes]) -> None:
        super().__init__()
        self._inner = inner
        self._owned = owned

    def readable(self) -> bool:
        return self._inner.readable()

    def writable(self) -> bool:
        return self._inner.writable()

    def read(self, size: int | None = -1) -> bytes:
        return self._inner.read(-1 if size is None else size)

    def read1(self, size: int = -1) -> bytes:
        return self._inner.read(size)

    def readline(self, size: int | None = -1) -> bytes:
        return self._inner.readline(-1 if size is None else size)

    def write(self, data: Any) -> int:
        return self._inner.write(data)

    def flush(self) -> None:
        if not self.closed and not getattr(self._inner, "closed", False):
            self._inner.flush()

    def close(self) -> None:
        if self.closed:
            return
        try:
            self._inner.close()
        finally:
            self._owned.close()
            super().close()


def open_input(source: str | Path | BinaryIO) -> BinaryIO:
    """A binary stream of the decompressed content of ``source`` (a path, ``"-"`` for stdin, or a stream).

    The compression is detected from the first bytes (a stream is wrapped so nothing is consumed); an
    uncompressed input is returned as it is. Close the result when done (it closes the file it opened).
    """
    if isinstance(source, (str, Path)):
        if str(source) == "-":
            raw: BinaryIO = sys.stdin.buffer
            owned = False
        else:
            raw = Path(source).open("rb")
            owned = True
    else:
        raw, owned = source, False
    peekable: Any = raw if hasattr(raw, "peek") else io.BufferedReader(raw)
    head = peekable.peek(_HEAD)[:_HEAD]
    comp = compression_from_magic(head)
    if comp is None:
        return peekable
    try:
        stream = _decompressing(peekable, comp)
    except BaseException:
        if owned:
            raw.close()
        raise
    return cast(BinaryIO, _Owned(stream, peekable) if owned else stream)


def wrap_output(raw: BinaryIO, compression: str | None, *, level: int | None = None) -> BinaryIO:
    """A compressing writer over ``raw`` (which stays open: close the writer, then ``raw``).

    For atomic writes: open the temporary file, wrap it, write, close both, rename. gzip output carries no
    time stamp or file name, so the same content always gives the same bytes.
    """
    if compression is None:
        return raw
    comp = _check(compression)
    if comp == "gzip":
        return gzip.GzipFile(  # type: ignore[return-value]
            filename="", mode="wb", fileobj=raw, mtime=0, compresslevel=GZIP_LEVEL if level is None else level
        )
    if comp == "bz2":
        return bz2.BZ2File(raw, "wb", compresslevel=9 if level is None else level)  # type: ignore[return-value]
    if comp == "xz":
        return lzma.LZMAFile(raw, "wb", preset=level)  # type: ignore[return-value]
    cctx = _zstd().ZstdCompressor(level=ZSTD_LEVEL if level is None else level)
    return cctx.stream_writer(raw, closefd=False)


def open_output(path: str | Path, compression: str | None = "infer", *, level: int | None = None) -> BinaryIO:
    """A binary writer for ``path``: ``compression="infer"`` (default) takes it from the name, ``None``
    writes plain bytes, or one of :data:`COMPRESSIONS`. Closing it closes the file."""
    comp = compression_from_name(path) if compression == "infer" else compression
    if comp is not None:
        _check(comp)
        if comp == "zstd":
            _zstd()  # fail before creating the file
    raw = Path(path).open("wb")
    if comp is None:
        return raw
    try:
        inner = wrap_output(raw, comp, level=level)
    except BaseException:
        raw.close()
        raise
    return _Owned(inner, raw)  # type: ignore[return-value]


def maybe_decompress(data: bytes, name: str = "<input>", max_bytes: int | None = None) -> bytes:
    """``data`` decompressed when it starts with a known magic number, else unchanged.

    ``max_bytes`` bounds the decompressed size (a small archive can expand enormously); more raises
    ``ValueError`` naming ``name``.
    """
    comp = compression_from_magic(data[:_HEAD])
    if comp is None:
        return data
    stream = _decompressing(io.BytesIO(data), comp)
    try:
        out = stream.read(-1 if max_bytes is None else max_bytes + 1)
    except (OSError, EOFError, lzma.LZMAError) as exc:
        raise ValueError(f"{name}: corrupt {comp} data ({exc})") from None
    except Exception as exc:  # zstandard.ZstdError is not an OSError
        raise ValueError(f"{name}: corrupt {comp} data ({exc})") from None
    finally:
        stream.close()
    if max_bytes is not None and len(out) > max_bytes:
        raise ValueError(f"{name}: decompresses to more than {max_bytes} bytes")
    return out
