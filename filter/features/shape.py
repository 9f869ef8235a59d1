"""Shape features: per-paragraph character statistics in one vectorised pass over the batch, and the
pattern (price, percent, code, handle, emoji, number), specifics and first-word columns from one regex pass."""

from __future__ import annotations

import re
from collections.abc import Sequence
from itertools import chain

import numpy as np

from .words import COMMON_CAPITALISED, IMPERATIVE_OPENERS

__all__ = ["PATTERN_HEAD", "char_stats", "shape_columns"]

# Character classes for the vectorised shape statistics: bit flags per code point.
_UP, _LO, _DI, _SP, _PU, _QU, _SE, _END, _CLOSE = 1, 2, 4, 8, 16, 32, 64, 128, 256
_TABLE_SIZE = 0x3000


def _char_class(cp: int) -> int:
    c = chr(cp)
    flags = 0
    if c.isupper():
        flags |= _UP
    elif c.isalpha() or c == "_":
        flags |= _LO
    if c.isdigit():
        flags |= _DI
    if c.isspace() or c in "\u200b\u200c\u200d\u2060\ufeff":
        flags |= _SP
    elif not c.isalnum() and c != "_":
        flags |= _PU
    if c in '"\u201c\u201d\u00ab\u00bb\u201e':
        flags |= _QU
    if c in "\u00bb\u00ab|\u2192\u2022\u00b7>\u203a\u25b6\u25ba":
        flags |= _SE
    if c in ".!?\u2026":
        flags |= _END
    if c in "\"'\u201d\u2019)]":
        flags |= _CLOSE
    return flags


_CLASS_TABLE = np.array([_char_class(cp) for cp in range(_TABLE_SIZE)], dtype=np.uint16)
_N_STATS = 13


def _segment_sums(cols: list[np.ndarray], starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """Per segment ``[start, end)``, the number of True values in each boolean column.

    Several columns share one int64 cumulative sum, each in its own bit field wide enough for the whole
    batch: a segment's difference of packed sums is the packed differences, since none is negative.
    Three columns share one pass over the batch instead of one pass per column.
    """
    length = len(cols[0]) if cols else 0
    bits = max(length.bit_length(), 1)
    per_word = max(63 // bits, 1)
    out = np.zeros((len(starts), len(cols)), dtype=np.int64)
    mask = (1 << bits) - 1
    for g in range(0, len(cols), per_word):
        group = cols[g : g + per_word]
        packed = np.zeros(length, dtype=np.int64)
        for k, col in enumerate(group):
            packed |= col.astype(np.int64) << (k * bits)
        csum = np.concatenate([[0], np.cumsum(packed)])
        diff = csum[ends] - csum[starts]
        for k in range(len(group)):
            out[:, g + k] = (diff >> (k * bits)) & mask
    return out


def char_stats(texts: Sequence[str]) -> np.ndarray:
    """Per text: chars, upper, lower, digits, punct, quotes, separators, words, title-case words, sentence
    ends, ends with terminal punctuation, starts upper-case.

    One pass over the whole batch as an array of code points: Python loops per character (or a dozen
    regex passes per paragraph) made feature extraction slower than the whole jusText pipeline.
    """
    n = len(texts)
    out = np.zeros((n, _N_STATS))
    if n == 0:
        return out
    lengths = np.fromiter((len(t) for t in texts), dtype=np.int64, count=n)
    cps = np.frombuffer("".join(texts).encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    flags = np.empty(len(cps), dtype=np.uint16)
    low = cps < _TABLE_SIZE
    flags[low] = _CLASS_TABLE[cps[low]]
    if not low.all():
        high = np.flatnonzero(~low)
        uniq, inverse = np.unique(cps[high], return_inverse=True)
        flags[high] = np.array([_char_class(int(u)) if u < 0x110000 else _PU for u in uniq], dtype=np.uint16)[
            inverse
        ]
    ends = np.cumsum(lengths)
    starts = ends - lengths
    nonempty = lengths > 0
    is_last = np.zeros(len(cps) + 1, dtype=bool)
    is_last[ends[nonempty] - 1] = True
    is_last = is_last[:-1]
    alnum = (flags & (_UP | _LO | _DI)) > 0
    prev = np.concatenate([[False], alnum[:-1]])
    prev[starts[nonempty]] = False  # a text's first character has no predecessor
    word_start = alnum & ~prev
    upper = (flags & _UP) > 0
    # A sentence ends at . ! ? ... followed by white space, the end of the text, or a closing quote/bracket.
    nxt = np.concatenate([flags[1:], [_SP]])
    nxt_space = ((nxt & _SP) > 0) | is_last
    nxt_closer = ((nxt & _CLOSE) > 0) & ~is_last
    sent_end = ((flags & _END) > 0) & (nxt_space | nxt_closer)
    cols = [
        upper,
        (flags & _LO) > 0,
        (flags & _DI) > 0,
        (flags & _PU) > 0,
        (flags & _QU) > 0,
        (flags & _SE) > 0,
        word_start,
        word_start & upper,
        sent_end,
    ]
    out[:, 0] = lengths
    out[:, 1 : 1 + len(cols)] = _segment_sums(cols, starts, ends)
    idx_last = np.where(nonempty, ends - 1, 0)
    last_cp = cps[idx_last] if len(cps) else np.zeros(n, dtype=np.uint32)
    last_flags = flags[idx_last] if len(cps) else np.zeros(n, dtype=np.uint16)
    before_last = flags[np.maximum(idx_last - 1, 0)] if len(cps) else np.zeros(n, dtype=np.uint16)
    closer_last = (last_flags & _CLOSE) > 0
    terminal = ((last_flags & _END) > 0) | (closer_last & ((before_last & _END) > 0)) | (last_cp == ord(")"))
    out[:, 10] = terminal & nonempty
    first_flags = flags[np.where(nonempty, starts, 0)] if len(cps) else np.zeros(n, dtype=np.uint16)
    out[:, 11] = ((first_flags & _UP) > 0) & nonempty
    # Opens with a glyph (arrow, bullet, emoji, pipe) rather than a word or a quote: teaser and list shape.
    out[:, 12] = ((first_flags & _PU) > 0) & ((first_flags & _QU) == 0) & nonempty
    return out


#: Patterns that name what promotion sells and how it reaches the reader. One regex pass over the whole
#: batch (matches are mapped to rows by offset), so the cost does not grow with the number of patterns.
_PATTERN_RE = re.compile(
    # A one-character look-ahead first: only digits, currency signs, @/#, emoji and the letters that can
    # open "code"/"promo"/"per cent" or an upper-case promo code get to try the alternatives, which made
    # this pass ~4x faster (every alternative was tried at every character before).
    r"(?=[\d$\u20ac\u00a3\u00a5\u20b9@#\U0001F000-\U0001FAFF\u2600-\u27BF\u2B50\u2B55\u203C\u2049A-ZCPVcpv])"
    r"(?:(?P<price>[$\u20ac\u00a3\u00a5\u20b9]\s?\d[\d,.]*|\b\d[\d,.]*\s?(?i:usd|eur|gbp|dollars?|euros?|pounds?|cents?)\b)"
    r"|(?P<percent>\d[\d,.]*\s?%|\b(?i:per ?cent)\b)"
    r"|(?P<code>\b(?i:code|coupon|promo|voucher)\b|\b[A-Z]{2,}\d{2,}\b)"
    r"|(?P<handle>(?<!\w)[@#][A-Za-z_]\w{1,})"
    r"|(?P<emoji>[\U0001F000-\U0001FAFF\u2600-\u27BF\u2B50\u2B55\u203C\u2049])"
    r"|(?P<number>\b\d[\d,.:]*))",
)
_PATTERN_NAMES = ("price", "percent", "code", "handle", "emoji", "number")
#: A "specific": a capitalised word or a token with a digit, the raw material of checkable facts (names,
#: places, figures, dates). Filler restates the story's topic words and adds none of its own.
_SPECIFIC_RE = re.compile(r"\b(?:[A-Z][\w'\-]+|\w*\d[\w.,]*)")
_FIRST_WORD_RE = re.compile(r"[\W_]*([A-Za-z]+(?:'[a-z]+)?)")
#: Characters of a paragraph's head that the pattern and specifics passes read. 600 characters hold the
#: opening sentences, where offers and calls to action sit; it bounds the regex cost on long paragraphs.
PATTERN_HEAD = 600


_SEP = "\x01"
#: The pattern, specifics and first-word regexes each run once over the whole batch, with a sentinel
#: before every row, so ``findall`` (C-level) returns matches in row order and a cumulative count of
#: sentinels maps them to rows: a Python loop per match or per row cost 44% of cleaning time.
_PATTERN_SEP_RE = re.compile("(\x01)|" + _PATTERN_RE.pattern)
_SPECIFIC_SEP_RE = re.compile("\x01|" + _SPECIFIC_RE.pattern)
_FIRST_WORD_SEP_RE = re.compile(r"\x01(?:[^\w\x01]|_)*([A-Za-z]+(?:'[a-z]+)?)?")


def _rows_of(tokens: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """(is a match, row of each token) for a findall result over sentinel-led rows."""
    is_sep = np.fromiter(map(_SEP.__eq__, tokens), dtype=bool, count=len(tokens))
    return ~is_sep, np.cumsum(is_sep) - 1


def _first_copy(heads: Sequence[str], doc_of_row: np.ndarray) -> np.ndarray:
    """For each row, the first row of the same document with the same text (itself when unique)."""
    seen: dict[tuple[int, str], int] = {}
    return np.fromiter(
        (seen.setdefault(key, i) for i, key in enumerate(zip(doc_of_row.tolist(), heads))),
        dtype=np.int64,
        count=len(heads),
    )


def shape_columns(heads: Sequence[str], doc_of_row: np.ndarray) -> np.ndarray:
    """imperative_first, pattern counts (price ... number), specific density, novel specifics, shared share.

    Novel vs shared specifics: a specific that no other paragraph of the same document contains is new
    information; a paragraph whose specifics all recur elsewhere (the story's names, no figures of its
    own) is restating. Token identity only needs equality within one call, so Python's salted ``hash``
    is safe here (it never reaches a model file). Identical paragraphs of a document count as one: an
    article scraped twice (mobile and desktop copies, a paste repeated) must not make every specific
    look "shared", which turned the seed's promotion line into core when the seed was pasted twice.
    """
    n = len(heads)
    short = [h[:PATTERN_HEAD] for h in heads]
    joined = "".join(_SEP + h + "\n" for h in short)
    if joined.count(_SEP) != n:  # the text itself holds the sentinel: blank it out
        joined = "".join(_SEP + h.replace(_SEP, " ") + "\n" for h in short)
    # Pattern kinds: the first non-empty group of each match (group 1 is the sentinel).
    found = _PATTERN_SEP_RE.findall(joined)
    patterns = np.zeros((n, len(_PATTERN_NAMES)))
    if found:
        # Exactly one group of a match is non-empty (no alternative can match the empty string): its
        # index is the argmax of the groups' truth values, computed in C instead of a Python loop per
        # match (that loop was ~10% of the shape columns' time).
        width = len(found[0])
        nonempty = np.fromiter(map(bool, chain.from_iterable(found)), dtype=bool, count=width * len(found))
        kind = nonempty.reshape(len(found), width).argmax(axis=1).astype(np.int64)
        row = np.cumsum(kind == 0) - 1
        hit = kind > 0
        np.add.at(patterns, (row[hit], kind[hit] - 1), 1.0)
    tokens = _SPECIFIC_SEP_RE.findall(joined)
    is_tok, rows = _rows_of(tokens)
    toks = [t.lower() for t, ok in zip(tokens, is_tok.tolist()) if ok]
    rows = rows[is_tok]
    keep = np.fromiter(map(COMMON_CAPITALISED.__contains__, toks), dtype=bool, count=len(toks))
    rows = rows[~keep]
    hashes = np.fromiter(map(hash, toks), dtype=np.int64, count=len(toks))[~keep]
    n_spec: np.ndarray = np.zeros(n)
    novel: np.ndarray = np.zeros(n)
    shared_share: np.ndarray = np.zeros(n)
    if len(rows):
        n_spec = np.bincount(rows, minlength=n).astype(float)
        # distinct (row, token) pairs, then in how many rows of its document each token occurs; two
        # lexsorts instead of np.unique(axis=0), which sorts structured rows and was 3x slower
        order = np.lexsort((hashes, rows))
        r, h = rows[order], hashes[order]
        first = np.concatenate([[True], (r[1:] != r[:-1]) | (h[1:] != h[:-1])])
        pr, ph = r[first], h[first]
        d = doc_of_row[pr]
        c = _first_copy(heads, doc_of_row)[pr]
        order2 = np.lexsort((c, ph, d))
        d2, h2, c2 = d[order2], ph[order2], c[order2]
        new_group = np.concatenate([[True], (d2[1:] != d2[:-1]) | (h2[1:] != h2[:-1])])
        gid = np.cumsum(new_group) - 1
        new_copy = new_group | np.concatenate([[True], c2[1:] != c2[:-1]])
        in_rows = np.empty(len(pr), dtype=np.int64)
        in_rows[order2] = np.bincount(gid, weights=new_copy).astype(np.int64)[gid]
        distinct = np.bincount(pr, minlength=n).astype(float)
        novel = np.bincount(pr, weights=(in_rows == 1).astype(float), minlength=n)
        shared_share = np.divide(distinct - novel, distinct, out=np.zeros(n), where=distinct > 0)
    firsts = _FIRST_WORD_SEP_RE.findall(joined)
    imperative = np.fromiter(
        map(IMPERATIVE_OPENERS.__contains__, map(str.lower, firsts)), dtype=float, count=len(firsts)
    )
    return np.column_stack([imperative, np.minimum(patterns, 5), n_spec, np.minimum(novel, 10), shared_share])
