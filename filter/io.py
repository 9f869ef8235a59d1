"""Reading user input safely: bytes -> text without silent guesses, and clear errors for non-text.

Bad input must never crash a batch, lose characters or be mis-decoded without a word. The decoding order
(:func:`decode`) is fixed and documented, and every result says which step produced it, so callers can
report each document that needed a fallback:

1. A byte-order mark declares the encoding (UTF-8, UTF-16, UTF-32); the text must then decode strictly.
2. Strict UTF-8: most text is UTF-8, and valid UTF-8 is almost never anything else.
3. *Mixed*: UTF-8 with a few stray bytes (one pasted cp1252 "é" in a UTF-8 article). When the valid
   multi-byte UTF-8 sequences are at least as many as the invalid bytes, the valid UTF-8 is kept as UTF-8
   and only each invalid byte is decoded as cp1252. Decoding the whole document as a legacy code page
   instead would turn every curly quote into mojibake (``Sunday’s`` -> ``SundayвЂ™s``). Text really in a
   legacy code page practically never contains valid multi-byte UTF-8 sequences, so the rule rarely
   misfires the other way.
4. cp1252, when it decodes and the result is *plausible Western text* (see :func:`_plausible_western`).
   cp1252 is what most non-UTF-8 English and Western European news is; statistical detectors, given one
   short line, pick other code pages that fit the bytes as well (charset_normalizer guessed cp775 and
   cp864 for cp1252 lines), so cp1252 is tried before any detector.
5. charset_normalizer's guess, strictly decoded: for non-Western legacy encodings (cp1251, Shift-JIS ...).
6. cp1252 even though implausible (it decodes every byte but five).
7. Last resort: cp1252 with U+FFFD for its five undefined bytes (0x81 0x8D 0x8F 0x90 0x9D).

Characters are never dropped (no ``errors="ignore"``); replacement characters appear only in step 7 and
for those five byte values among stray bytes in step 3, and :attr:`Decoded.replaced` counts them.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass
from pathlib import Path

__all__ = [
    "InputError",
    "BinaryInputError",
    "Decoded",
    "decode",
    "decode_bytes",
    "detect_encoding",
    "read_text_file",
    "read_text",
    "looks_binary",
]


class InputError(ValueError):
    """An input that cannot be turned into text; the message says which and why."""


class BinaryInputError(InputError):
    pass


_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)

#: Magic numbers of common binary formats people point a text tool at by mistake.
_MAGIC = (
    b"%PDF",
    b"PK\x03\x04",
    b"\x89PNG",
    b"\xff\xd8\xff",
    b"GIF8",
    b"\x1f\x8b",
    b"BZh",
    b"\x7fELF",
    b"PAR1",
    b"SQLite format 3",
)

#: Encodings that need no report: the bytes were UTF-8 or declared their encoding with a BOM.
_DECLARED = frozenset({"utf-8", "utf-8-sig", "utf-16", "utf-32"})


@dataclass(frozen=True)
class Decoded:
    """Decoded text and how it was obtained (step of the module's decoding order)."""

    text: str
    #: "utf-8", "utf-8-sig", "utf-16", "utf-32" (no fallback), "utf-8+cp1252" (mixed), "cp1252",
    #: a detected codec name, or "cp1252+replacement".
    encoding: str
    #: invalid bytes decoded individually as cp1252 (mixed decoding)
    stray_bytes: int = 0
    #: bytes replaced with U+FFFD
    replaced: int = 0

    @property
    def fallback(self) -> bool:
        """True when the text was not plain UTF-8 (or BOM-declared): the document must be reported."""
        return self.encoding not in _DECLARED

    @property
    def note(self) -> str:
        """One line for reports: empty when no fallback was needed."""
        if not self.fallback:
            return ""
        if self.encoding == "utf-8+cp1252":
            msg = f"mostly UTF-8; {self.stray_bytes} stray byte(s) not valid UTF-8 decoded as cp1252"
        elif self.encoding == "cp1252+replacement":
            msg = "not UTF-8 and no encoding fits every byte; decoded as cp1252"
        else:
            msg = f"not valid UTF-8; decoded as {self.encoding}"
        if self.replaced:
            msg += f", {self.replaced} undecodable byte(s) replaced with U+FFFD"
        return msg


def looks_binary(head: bytes) -> bool:
    """True for data that is not text in any encoding we would guess (NUL bytes, control characters, magic)."""
    if not head:
        return False
    if any(head.startswith(bom) for bom, _ in _BOMS):
        return False
    if head.startswith(_MAGIC):
        return True
    if b"\x00" in head:
        return True
    controls = sum(1 for b in head if b < 9 or 13 < b < 32)
    return controls > 0.05 * len(head)


_ESCAPED_RUN = re.compile("[\udc80-\udcff]+")
_NON_ASCII = re.compile(r"[^\x00-\x7f]")

#: Share of letters that may be non-ASCII for a cp1252 reading to count as Western text. Accented letters
#: are a few percent of the letters of French, German, Spanish or Portuguese prose (about 10% in Icelandic),
#: while Cyrillic, Greek, Arabic or Hebrew text in its own code page read as cp1252 is nearly all accented
#: Latin letters ("Ïðèâåò"). 0.3 sits well between the two; judgement, checked by the tests on both sides.
_MAX_NON_ASCII_LETTER_SHARE = 0.3

#: Characters of decoded text the plausibility test looks at: enough for a verdict, cheap on 200 MB inputs.
_PLAUSIBILITY_SAMPLE = 1_000_000


def _plausible_western(text: str) -> bool:
    """A cp1252 reading that looks like Western text: mostly ASCII letters, no C0 control characters."""
    sample = text[:_PLAUSIBILITY_SAMPLE]
    non_ascii = _NON_ASCII.findall(sample)
    na_letters = sum(1 for c in non_ascii if c.isalpha())
    ascii_letters = len(re.findall(r"[A-Za-z]", sample))
    letters = ascii_letters + na_letters
    if letters == 0:
        return not non_ascii  # only digits/punctuation: plausible only without exotic characters
    return na_letters <= _MAX_NON_ASCII_LETTER_SHARE * letters


def _cp1252_bytes(run: str) -> tuple[str, int]:
    """Surrogate-escaped bytes decoded as cp1252 (U+FFFD for its undefined bytes) and how many were replaced."""
    raw = bytes(ord(c) - 0xDC00 for c in run)
    text = raw.decode("cp1252", errors="replace")
    return text, text.count("\ufffd")  # cp1252 has no U+FFFD of its own: every one is a replacement


def _mixed(escaped: str) -> tuple[str, int, int]:
    """UTF-8 text with surrogate-escaped stray bytes -> text with each stray byte read as cp1252."""
    stray = replaced = 0

    def sub(m: re.Match[str]) -> str:
        nonlocal stray, replaced
        text, r = _cp1252_bytes(m.group(0))
        stray += len(m.group(0))
        replaced += r
        return text

    return _ESCAPED_RUN.sub(sub, escaped), stray, replaced


def _mostly_utf8(data: bytes) -> str | None:
    """The surrogate-escaped UTF-8 reading when valid multi-byte sequences outnumber invalid bytes."""
    escaped = data.decode("utf-8", errors="surrogateescape")
    bad = len(escaped) - len(data.decode("utf-8", errors="ignore"))
    non_ascii = len(escaped) - len(escaped.encode("ascii", errors="ignore"))
    multibyte = non_ascii - bad
    return escaped if multibyte > 0 and multibyte >= bad else None


def decode(data: bytes, name: str = "<input>") -> Decoded:
    """Bytes -> :class:`Decoded` by the module's decoding order; :class:`InputError` for binary or bad BOM."""
    for bom, enc in _BOMS:
        if data.startswith(bom):
            try:
                return Decoded(data.decode(enc), enc)
            except UnicodeDecodeError as exc:
                raise InputError(
                    f"{name}: starts with a {enc} byte-order mark but is not {enc}: {exc}"
                ) from None
    if looks_binary(data[:8192]):
        raise BinaryInputError(f"{name}: binary data, not text (skipped)")
    try:
        return Decoded(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError:
        pass
    escaped = _mostly_utf8(data)
    if escaped is not None:
        text, stray, replaced = _mixed(escaped)
        return Decoded(text, "utf-8+cp1252", stray_bytes=stray, replaced=replaced)
    try:
        cp = data.decode("cp1252")
    except UnicodeDecodeError:
        cp = None
    if cp is not None and _plausible_western(cp):
        return Decoded(cp, "cp1252")
    try:
        guess = _guess_encoding(data[:1_000_000])
        if guess and codecs.lookup(guess).name not in ("cp1252", "utf-8"):
            return Decoded(data.decode(guess), codecs.lookup(guess).name)
    except (ImportError, UnicodeDecodeError, LookupError):
        pass
    if cp is not None:
        return Decoded(cp, "cp1252")
    text = data.decode("cp1252", errors="replace")
    return Decoded(text, "cp1252+replacement", replaced=text.count("\ufffd"))


def decode_bytes(data: bytes, name: str = "<input>") -> str:
    """The text of :func:`decode` (for callers that do not report fallbacks; prefer :func:`decode`)."""
    return decode(data, name).text


def _guess_encoding(data: bytes) -> str | None:
    """charset_normalizer's best guess (step 5 of the decoding order)."""
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    return str(best.encoding) if best is not None and best.encoding else None


def detect_encoding(head: bytes) -> str:
    """Encoding to read a stream with, judged from its first bytes by the same order as :func:`decode`.

    For inputs that are read incrementally (CSV rows), where :func:`decode` cannot see the whole file.
    Mostly-UTF-8 heads give "utf-8". Callers decode with ``errors="surrogateescape"``, so bytes the chosen
    encoding cannot read survive as surrogates; re-encoding such a field with the same encoding and
    ``surrogateescape`` gives its bytes back, to be decoded on their own with :func:`decode` (and reported).
    """
    for bom, enc in _BOMS:
        if head.startswith(bom):
            return enc
    try:
        codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
        return "utf-8"
    except UnicodeDecodeError:
        pass
    if _mostly_utf8(head) is not None:
        return "utf-8"
    try:
        if _plausible_western(head.decode("cp1252")):
            return "cp1252"
    except UnicodeDecodeError:
        pass
    try:
        guess = _guess_encoding(head)
        if guess:
            return codecs.lookup(guess).name
    except (ImportError, LookupError):
        pass
    return "cp1252"


def read_text(path: Path) -> Decoded:
    """A file's decoded text; :class:`InputError` for binary or undecodable files, OSError as it comes.

    gzip / bz2 / xz / zstd files (detected by their magic bytes, :mod:`filter.compress`) are decompressed
    first, so ``article.txt.gz`` reads as the text inside it.
    """
    from .compress import maybe_decompress

    try:
        data = maybe_decompress(Path(path).read_bytes(), str(path))
    except ValueError as exc:
        raise InputError(str(exc)) from None
    return decode(data, str(path))


def read_text_file(path: Path) -> str:
    """A file's text (see :func:`read_text`, which also says how it was decoded)."""
    return read_text(path).text
