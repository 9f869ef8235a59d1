"""The hash behind :mod:`filter.hashgrams` and the batch as one array of code points.

The hash is a polynomial over mixed code points modulo 2**64, finished with the murmur3 64-bit finaliser;
it depends only on the text, ``n`` and the fixed salts below, so a model trained in one process scores the
same in any other. :func:`char_gram_feature` and :func:`word_gram_feature` compute one feature index in
pure Python; the vectorised featurisers in :mod:`filter.hashgrams` compute the same values.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

__all__ = [
    "Spans", "HASH_VERSION", "char_gram_feature", "word_gram_feature", "fmix", "classify", "stream", "Stream",
    "check_bits", "top_bits", "U64", "BASE", "BASE_INV", "SALT_CHAR", "SALT_WORD", "SALT_BIGRAM", "SPACE",
]  # fmt: skip

U64 = np.uint64
_MASK64 = (1 << 64) - 1
# Fixed odd 64-bit constants (from splitmix64 / murmur3). Changing any of them changes every feature index,
# so they are part of the model format: a model records HASH_VERSION and refuses another.
BASE = U64(0x9E3779B97F4A7C15)  # polynomial base (odd, so it has an inverse modulo 2**64)
BASE_INV = U64(pow(0x9E3779B97F4A7C15, -1, 1 << 64))
_M1 = U64(0xFF51AFD7ED558CCD)
_M2 = U64(0xC4CEB9FE1A85EC53)
SALT_CHAR = 0x2545F4914F6CDD1D
SALT_WORD = 0x94D049BB133111EB
SALT_BIGRAM = 0xBF58476D1CE4E5B9
#: Bumped whenever the hash or the tokenisation changes; models store it and check it on load.
HASH_VERSION = 1
SPACE = 32


@dataclass(frozen=True)
class Spans:
    """Featurise a text whole when it has at most ``max_whole`` characters, else only its head and tail."""

    max_whole: int
    head: int
    tail: int

    def __post_init__(self) -> None:
        if self.max_whole < 0 or self.head < 0 or self.tail < 0:
            raise ValueError(f"span lengths must be non-negative, got {self}")
        if self.head + self.tail > self.max_whole:
            # Otherwise a text just above max_whole would be featurised on more characters than it has.
            raise ValueError(f"head + tail must not exceed max_whole, got {self}")


def _fmix_int(x: int) -> int:
    x ^= x >> 33
    x = (x * int(_M1)) & _MASK64
    x ^= x >> 33
    x = (x * int(_M2)) & _MASK64
    x ^= x >> 33
    return x


def char_gram_feature(gram: str, bits: int) -> int:
    """The feature index of one character n-gram (as :func:`char_ngrams` emits it, e.g. ``" sub"``).

    Pure Python, for explanations (map a heavy feature back to the n-grams of a paragraph that hit it) and
    for tests; the vectorised code computes the same value.
    """
    check_bits(bits)
    h = 0
    for ch in gram:
        h = (h * int(BASE) + _fmix_int((ord(ch) + SALT_CHAR) & _MASK64)) & _MASK64
    return _fmix_int(h ^ (len(gram) * 0x100000001B3)) >> (64 - bits)


def _token_hash(token: str) -> int:
    h = 0
    for ch in token:
        h = (h * int(BASE) + _fmix_int((ord(ch) + SALT_WORD) & _MASK64)) & _MASK64
    return _fmix_int(h ^ SALT_WORD)


def word_gram_feature(tokens: Sequence[str], bits: int) -> int:
    """The feature index of a lower-cased unigram ``[tok]`` or bigram ``[tok1, tok2]`` of :func:`word_ngrams`."""
    check_bits(bits)
    if len(tokens) == 1:
        return _token_hash(tokens[0]) >> (64 - bits)
    if len(tokens) == 2:
        a, b = _token_hash(tokens[0]), _token_hash(tokens[1])
        return _fmix_int((a * int(BASE) + (b ^ SALT_BIGRAM)) & _MASK64) >> (64 - bits)
    raise ValueError("word n-grams are unigrams or bigrams")


def fmix(x: np.ndarray) -> np.ndarray:
    """murmur3's 64-bit finaliser: every input bit affects every output bit (in place on a uint64 array)."""
    x ^= x >> U64(33)
    x *= _M1
    x ^= x >> U64(33)
    x *= _M2
    x ^= x >> U64(33)
    return x


@lru_cache(maxsize=1)
def _bmp_tables() -> tuple[np.ndarray, np.ndarray]:
    """Per-BMP-code-point flags (is ``\\w`` as Python's ``re`` sees it, is whitespace as ``str.split`` does).

    Built once with two regex substitutions over the 65,536 BMP characters (a few ms), so that the per-batch
    work is a table lookup. Characters outside the BMP are looked up per distinct code point (rare).
    """
    cps = np.arange(0x10000)
    cps = cps[(cps < 0xD800) | (cps > 0xDFFF)]  # lone surrogates: not word, not space
    allchars = "".join(map(chr, cps.tolist()))
    word = np.zeros(0x10000, dtype=bool)
    marked = re.sub(r"\w", "\x01", allchars).encode("utf-32-le")
    word[cps] = np.frombuffer(marked, dtype=np.uint32) == 1
    word[1] = False  # the marker itself is not a word character
    space = np.zeros(0x10000, dtype=bool)
    space[[ord(c) for c in allchars if c.isspace()]] = True
    return word, space


@lru_cache(maxsize=4096)
def _astral_is_word(cp: int) -> bool:
    return re.fullmatch(r"\w", chr(cp)) is not None


def classify(cp: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(is word character, is whitespace) per code point."""
    word_t, space_t = _bmp_tables()
    bmp = np.minimum(cp, 0xFFFF)
    is_word = word_t[bmp]
    is_space = space_t[bmp]
    astral = cp > 0xFFFF
    if astral.any():
        where = np.flatnonzero(astral)
        uniq, inv = np.unique(cp[where], return_inverse=True)
        flags = np.fromiter((_astral_is_word(int(c)) for c in uniq), dtype=bool, count=uniq.shape[0])
        is_word[where] = flags[inv]
        is_space[where] = False
    return is_word, is_space


@dataclass(frozen=True)
class Stream:
    """The batch as one array of lower-cased code points, split into pieces (one or two per non-empty text)."""

    cp: np.ndarray  # uint32 code points
    piece: np.ndarray  # int64 piece id per code point (non-decreasing)
    piece_row: np.ndarray  # int64 row of each piece
    piece_len: np.ndarray  # int64 length of each piece (>= 1)
    n_rows: int


def stream(texts: Sequence[str], spans: Spans | None) -> Stream:
    """Lower-case, encode and (with spans) cut the batch, touching only the kept characters in numpy."""
    n = len(texts)
    lowered = list(map(str.lower, texts))
    lens = np.fromiter(map(len, lowered), dtype=np.int64, count=n)
    raw = "".join(lowered).encode("utf-32-le", "surrogatepass")
    cp_all = np.frombuffer(raw, dtype=np.uint32)
    if cp_all.shape[0] != int(lens.sum()):  # cannot happen with surrogatepass; never misalign silently
        raise AssertionError("code point count does not match text lengths")
    starts = np.cumsum(lens) - lens
    rows = np.arange(n, dtype=np.int64)
    if spans is None:
        p_row, p_start, p_len = rows, starts, lens
    else:
        # Piece 0 of every text (whole or head) and piece 1 of long texts (tail), interleaved by row.
        long_ = lens > spans.max_whole
        head_len = np.where(long_, spans.head, lens)
        p_row = np.concatenate((rows, rows[long_]))
        p_start = np.concatenate((starts, starts[long_] + lens[long_] - spans.tail))
        p_len = np.concatenate((head_len, np.full(int(long_.sum()), spans.tail, dtype=np.int64)))
        order = np.argsort(p_row, kind="stable")
        p_row, p_start, p_len = p_row[order], p_start[order], p_len[order]
    nonempty = p_len > 0
    p_row, p_start, p_len = p_row[nonempty], p_start[nonempty], p_len[nonempty]
    if spans is None:
        cp = cp_all
    else:
        kept_start = np.cumsum(p_len) - p_len
        cp = cp_all[np.repeat(p_start - kept_start, p_len) + np.arange(int(p_len.sum()))]
    piece = np.repeat(np.arange(p_row.shape[0], dtype=np.int64), p_len)
    return Stream(cp=cp, piece=piece, piece_row=p_row, piece_len=p_len, n_rows=n)


def check_bits(bits: int) -> None:
    if not 1 <= bits <= 31:
        raise ValueError(f"bits must be in [1, 31], got {bits}")


def top_bits(hashes: np.ndarray, bits: int) -> np.ndarray:
    """The top ``bits`` bits of each hash (the best mixed ones), as uint32."""
    return (hashes >> U64(64 - bits)).astype(np.uint32)
