"""Hashed character and word n-grams for a whole batch of strings at once, in numpy only.

Why hashing: the model needs no vocabulary file, unseen wordings still land on features the model has
weights for ("subscribe" and "subscription" share "subscr"), and the feature space has a fixed size chosen
up front. Why vectorised: prediction must not loop over paragraphs in Python (issue 12), so the whole batch
is lower-cased and encoded once into one array of code points, and every n-gram of every text is hashed
with a handful of array operations.

Determinism: Python's ``hash()`` is salted per process, so it is never used. The hash (:mod:`filter.hashing`)
is a polynomial over mixed code points modulo 2**64, finished with the murmur3 64-bit finaliser; it depends
only on the text, ``n`` and fixed salts, so a model trained in one process scores the same in any other.

Character n-grams follow scikit-learn's ``analyzer="char_wb"``: the text is lower-cased, every run of
whitespace counts as one space, each word is padded with one space on both sides, and an n-gram never
contains a space except as its first or last character. For ``n >= 2`` this yields exactly the n-grams
that ``char_wb`` yields (only the hash function differs), which the tests check against sklearn's analyzer.

Word n-grams use the tokens of ``filter.features`` (``\\w+`` runs and single non-space, non-word
characters, so "|", ":" and "\u00bb" are tokens), lower-cased, as unigrams plus bigrams.

Spans: a long reporting paragraph costs a lot and carries its promotion/filler cues at its start and end,
so with ``spans=Spans(S, H, T)`` a text longer than ``S`` characters is featurised only on its first ``H``
and last ``T`` characters, as two separate pieces (no n-gram joins the head to the tail; the cut word at
either cut is treated like a word end).

Output is CSR-like (:class:`HashedRows`): entries sorted by row and, within a row, by feature, duplicates
summed to counts, and each row scaled to unit L2 norm (empty rows stay empty).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from .hashing import (
    BASE,
    BASE_INV,
    HASH_VERSION,
    SALT_BIGRAM,
    SALT_CHAR,
    SALT_WORD,
    SPACE,
    U64,
    Spans,
    char_gram_feature,
    check_bits,
    classify,
    fmix,
    stream,
    top_bits,
    word_gram_feature,
)

__all__ = [
    "Spans",
    "HashedRows",
    "PARAGRAPH_SPANS",
    "DEFAULT_CHAR_N",
    "char_ngrams",
    "word_ngrams",
    "hstack",
    "char_gram_feature",
    "word_gram_feature",
    "HASH_VERSION",
    "CHUNK_CHARS",
]

#: Character n-gram lengths: 2-grams carry punctuation and glyph cues ("| ", "\u25b6 "), 3-5-grams carry
#: word stems that survive inflection; 5 is sklearn's usual upper bound and longer grams mostly repeat words.
DEFAULT_CHAR_N: tuple[int, ...] = (2, 3, 4, 5)

#: Span setting for paragraphs: every headline-like line is seen whole (99.9% of the 32,000 headlines of
#: the clickbait corpus have <= 115 characters), and a longer paragraph is seen on its first and last 64
#: characters, where "READ MORE:", "By ...", "Sign up ..." and closing filler sit. About 70% of BBC
#: paragraphs are longer than 160 characters, so this keeps the cost per paragraph bounded (measured in
#: bench/bench_hashgrams.py). Not yet tuned against classification quality: the lead's feature stage decides.
PARAGRAPH_SPANS = Spans(max_whole=160, head=64, tail=64)


@dataclass(frozen=True)
class HashedRows:
    """A batch of sparse rows: entries of row ``r`` are ``features[offsets[r]:offsets[r+1]]`` / ``weights``.

    ``rows`` repeats the row index per entry (so a linear score is one ``bincount``); ``features`` are in
    ``[0, n_features)`` and sorted within each row; ``weights`` are float32, each row with unit L2 norm.
    """

    rows: np.ndarray  # int64, non-decreasing
    features: np.ndarray  # int32
    weights: np.ndarray  # float32
    offsets: np.ndarray  # int64, length n_rows + 1
    n_features: int

    @property
    def n_rows(self) -> int:
        return int(self.offsets.shape[0] - 1)

    def dot(self, coef: np.ndarray) -> np.ndarray:
        """``X @ coef`` for a dense weight vector of length ``n_features``, without scipy (float64 result)."""
        if coef.shape != (self.n_features,):
            raise ValueError(f"coef has shape {coef.shape}, expected ({self.n_features},)")
        contrib = coef[self.features].astype(np.float64) * self.weights
        return np.bincount(self.rows, weights=contrib, minlength=self.n_rows)

    def to_scipy(self) -> Any:
        """As a ``scipy.sparse.csr_matrix`` (imported here only: training uses it, prediction does not)."""
        from ._extras import require

        csr_matrix = require("scipy.sparse", "train", feature="training").csr_matrix
        return csr_matrix(
            (self.weights, self.features, self.offsets), shape=(self.n_rows, self.n_features), copy=False
        )


def hstack(blocks: Sequence[HashedRows]) -> HashedRows:
    """Side-by-side blocks (same rows): block ``k``'s features are shifted by the widths of blocks before it.

    Why separate blocks instead of one shared space: char and word n-grams are normalised separately, so
    neither drowns the other (a 60-character line has ~200 char n-grams but ~20 word n-grams).
    """
    if not blocks:
        raise ValueError("hstack needs at least one block")
    n = blocks[0].n_rows
    if any(b.n_rows != n for b in blocks):
        raise ValueError("all blocks must have the same number of rows")
    shifts = np.cumsum([0] + [b.n_features for b in blocks])
    rows = np.concatenate([b.rows for b in blocks])
    feats = np.concatenate([b.features + np.int32(shifts[k]) for k, b in enumerate(blocks)]).astype(np.int32)
    weights = np.concatenate([b.weights for b in blocks])
    # Stable sort by row keeps each row's blocks in order, and so features sorted within the row.
    order = np.argsort(rows, kind="stable")
    rows = rows[order]
    return HashedRows(
        rows=rows,
        features=feats[order],
        weights=weights[order],
        offsets=_offsets(rows, n),
        n_features=int(shifts[-1]),
    )


def _offsets(rows: np.ndarray, n_rows: int) -> np.ndarray:
    out = np.zeros(n_rows + 1, dtype=np.int64)
    np.cumsum(np.bincount(rows, minlength=n_rows), out=out[1:])
    return out


_SENTINEL = np.uint32(0xFFFFFFFF)  # above every feature (bits <= 31): pads a row's slots after its entries
_MIN_WIDTH = 8


def _per_row(owner: np.ndarray, valid: np.ndarray, n_rows: int) -> np.ndarray:
    """Entries per row, from the row of each slot group (``owner``) and its valid mask (one row per group)."""
    return np.bincount(owner, weights=valid.sum(axis=1), minlength=n_rows).astype(np.int64)


def _aggregate(per_row: np.ndarray, feats: np.ndarray, bits: int, n_rows: int) -> HashedRows:
    """Sum duplicate features within each row to counts, sort features within rows, L2-normalise rows.

    ``feats`` holds the entries of row 0, then of row 1, ... (every featuriser emits them in text order);
    ``per_row`` says how many each row has. Why not ``np.unique``
    on ``row << bits | feature``: one global sort of a million 64-bit keys took ~30-50 ms here, the largest
    cost of the featuriser, while rows only need sorting *within* themselves. So rows are grouped by their
    entry count into power-of-two widths, each group is laid out as a padded 2-D array and sorted along
    axis 1, which numpy does as many small in-cache sorts: ~1.5 ms instead of 30-50 ms for that million
    (timed on this 2-core machine; the whole featuriser got ~2x faster). Padding costs at most 2x the
    entries' memory.
    """
    n_entries = feats.shape[0]
    if n_entries == 0:
        empty_i = np.zeros(0, dtype=np.int64)
        return HashedRows(
            rows=empty_i,
            features=np.zeros(0, dtype=np.int32),
            weights=np.zeros(0, dtype=np.float32),
            offsets=np.zeros(n_rows + 1, dtype=np.int64),
            n_features=1 << bits,
        )
    width = np.left_shift(1, np.ceil(np.log2(np.maximum(per_row, 1))).astype(np.int64))
    width = np.maximum(width, _MIN_WIDTH)
    width[per_row == 0] = 0
    # Rows ordered by width (stable, so by row inside a width), and their entries gathered in that order.
    order = np.argsort(width, kind="stable")
    order = order[width[order] > 0]
    row_start = np.cumsum(per_row) - per_row
    cnt_o = per_row[order]
    new_start = np.cumsum(cnt_o) - cnt_o
    gather = np.repeat(row_start[order] - new_start, cnt_o) + np.arange(n_entries)
    feats_o = feats[gather]
    w_o = width[order]
    bounds = np.flatnonzero(np.diff(w_o, prepend=-1, append=-1))
    uniq_per_row = np.zeros(n_rows, dtype=np.int64)
    pieces: list[tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]] = []
    for b0, b1 in zip(bounds[:-1], bounds[1:]):
        w = int(w_o[b0])
        shift = w.bit_length() - 1
        rows_b = order[b0:b1]
        cnt_b = cnt_o[b0:b1]
        e0, e1 = int(new_start[b0]), int(new_start[b1 - 1] + cnt_b[-1])
        nr = rows_b.shape[0]
        # Entry i of local row r goes to slot r * w + (i - start of r): one repeat, one add.
        slot = np.arange(e1 - e0) + np.repeat((np.arange(nr) << shift) - (new_start[b0:b1] - e0), cnt_b)
        flat = np.full(nr << shift, _SENTINEL, dtype=np.uint32)
        flat[slot] = feats_o[e0:e1]
        flat.reshape(nr, w).sort(axis=1)
        first = np.empty(flat.shape[0], dtype=bool)
        first[0] = True
        np.not_equal(flat[1:], flat[:-1], out=first[1:])
        first[::w] = True
        gidx = np.flatnonzero(first)
        gcnt = np.diff(gidx, append=flat.shape[0])
        keep = flat[gidx] != _SENTINEL  # the padding run at the end of a row
        gidx, gcnt = gidx[keep], gcnt[keep]
        lrow = gidx >> shift
        # Rank of a group inside its row: its ordinal minus the ordinal of the row's first group (slot 0 of
        # every row is a group, as every row here has at least one entry).
        ordinal = np.arange(gidx.shape[0])
        row_first = ordinal[(gidx & (w - 1)) == 0]
        rank = ordinal - row_first[lrow]
        uniq_per_row[rows_b] = np.diff(row_first, append=gidx.shape[0])
        pieces.append((rows_b[lrow], flat[gidx], gcnt.astype(np.float32), rank))
    offsets = np.zeros(n_rows + 1, dtype=np.int64)
    np.cumsum(uniq_per_row, out=offsets[1:])
    total = int(offsets[-1])
    out_rows = np.empty(total, dtype=np.int64)
    out_feats = np.empty(total, dtype=np.int32)
    counts = np.empty(total, dtype=np.float32)
    for grow, gfeat, gcnt, rank in pieces:
        at = offsets[grow] + rank
        out_rows[at] = grow
        out_feats[at] = gfeat
        counts[at] = gcnt
    nonempty = np.flatnonzero(uniq_per_row)
    sq = np.add.reduceat(counts.astype(np.float64) ** 2, offsets[nonempty])
    norm = np.zeros(n_rows, dtype=np.float32)
    norm[nonempty] = np.sqrt(sq)
    return HashedRows(
        rows=out_rows,
        features=out_feats,
        weights=counts / norm[out_rows],
        offsets=offsets,
        n_features=1 << bits,
    )


#: Characters (after span cutting) featurised per chunk. Every step makes a few arrays of 4-16 bytes per
#: n-gram; kept small, they stay in cache and are reused by the allocator instead of being page-faulted in
#: fresh each time. Timed on 10,000 headlines and 2,513 BBC paragraphs (spans on): one chunk for the whole
#: batch spent ~40% of its time in page faults; chunks of ~30-60k characters ran 1.5x faster overall,
#: 10k-character chunks slower again (per-call overhead).
CHUNK_CHARS = 48_000


def _chunked(
    texts: Sequence[str], spans: Spans | None, bits: int, fn: Callable[[Sequence[str]], HashedRows]
) -> HashedRows:
    """Apply a featuriser to consecutive runs of texts holding ~CHUNK_CHARS kept characters each."""
    n = len(texts)
    lens = np.fromiter(map(len, texts), dtype=np.int64, count=n)
    if spans is not None:
        lens = np.where(lens > spans.max_whole, spans.head + spans.tail, lens)
    total = int(lens.sum())
    if total <= CHUNK_CHARS:
        return fn(texts)
    ends = np.searchsorted(np.cumsum(lens), np.arange(CHUNK_CHARS, total, CHUNK_CHARS), side="right")
    bounds = np.unique(np.concatenate(([0], ends, [n])))
    parts = [fn(texts[int(a) : int(b)]) for a, b in zip(bounds[:-1], bounds[1:])]
    return _concat(parts, bounds[:-1], n, 1 << bits)


def _concat(parts: Sequence[HashedRows], first_rows: np.ndarray, n_rows: int, n_features: int) -> HashedRows:
    """Stack row blocks (part k starts at row ``first_rows[k]``) into one batch."""
    entry_base = np.cumsum([0] + [p.features.shape[0] for p in parts])
    offsets = np.concatenate([[0]] + [p.offsets[1:] + entry_base[k] for k, p in enumerate(parts)])
    if offsets.shape[0] != n_rows + 1:
        raise AssertionError("chunks do not cover the batch")
    return HashedRows(
        rows=np.concatenate([p.rows + first_rows[k] for k, p in enumerate(parts)]),
        features=np.concatenate([p.features for p in parts]),
        weights=np.concatenate([p.weights for p in parts]),
        offsets=offsets.astype(np.int64),
        n_features=n_features,
    )


def _check_texts(texts: Sequence[str]) -> None:
    if isinstance(texts, str):
        raise TypeError("pass a sequence of strings, not one string")


# --------------------------------------------------------------------------------------------- public API


def char_ngrams(
    texts: Sequence[str],
    *,
    n: Sequence[int] = DEFAULT_CHAR_N,
    bits: int = 18,
    spans: Spans | None = None,
) -> HashedRows:
    """Hashed ``char_wb`` n-grams of every text, one row per text, in a space of ``2**bits`` features.

    Whole texts by default; with ``spans`` (e.g. :data:`PARAGRAPH_SPANS`) long texts are read only at their
    head and tail. Empty and whitespace-only texts give empty rows.
    """
    _check_texts(texts)
    check_bits(bits)
    ns = sorted(set(int(k) for k in n))
    if not ns or ns[0] < 2:
        raise ValueError(f"n-gram lengths must be >= 2 (char_wb pads words with spaces), got {list(n)}")
    return _chunked(texts, spans, bits, lambda chunk: _char_chunk(chunk, ns, bits, spans))


def _char_chunk(texts: Sequence[str], ns: list[int], bits: int, spans: Spans | None) -> HashedRows:
    st = stream(texts, spans)
    cp, piece = st.cp, st.piece
    _, is_space = classify(cp)
    # Pad each piece with a space at both ends, then collapse whitespace runs to one space: the result is
    # " word word ... " per piece, which is what char_wb windows over (word by word).
    m = cp.shape[0]
    p_count = st.piece_row.shape[0]
    pstart = np.cumsum(st.piece_len) - st.piece_len
    out_len = m + 2 * p_count
    pos = np.arange(m, dtype=np.int64) + 2 * piece + 1
    chars = np.full(out_len, SPACE, dtype=np.uint64)
    chars[pos] = np.where(is_space, SPACE, cp)
    seg = np.empty(out_len, dtype=np.int64)
    seg[pos] = piece
    lead = pstart + 2 * np.arange(p_count) if p_count else np.zeros(0, dtype=np.int64)
    seg[lead] = np.arange(p_count)
    trail = np.append(lead[1:] - 1, out_len - 1) if p_count else lead
    seg[trail] = np.arange(p_count)
    space = chars == SPACE
    dup = np.zeros(out_len, dtype=bool)
    dup[1:] = space[1:] & space[:-1] & (seg[1:] == seg[:-1])
    if dup.any():
        keep = ~dup
        chars, seg, space = chars[keep], seg[keep], space[keep]
    L = chars.shape[0]
    # Polynomial hash of every window, grown one character at a time: h_k(p) = h_{k-1}(p) * B + c[p+k-1].
    mixed = fmix(chars + U64(SALT_CHAR))
    spaces_before = np.concatenate(([0], np.cumsum(space, dtype=np.int64)))  # spaces in [0, i)
    # Entries are laid out position-major (all n at position p, then p + 1, ...), so each row's entries
    # are contiguous, as _aggregate needs.
    prow = st.piece_row[seg]
    feats = np.zeros((L, len(ns)), dtype=np.uint32)
    valid = np.zeros((L, len(ns)), dtype=bool)
    h = mixed.copy()
    j = 0
    for k in range(2, ns[-1] + 1):
        w = L - k + 1  # windows of length k
        if w <= 0:
            break
        h = h[:w] * BASE + mixed[k - 1 : k - 1 + w]
        if k not in ns:
            continue
        # Valid: inside one piece, and no space strictly inside the window.
        ok = seg[:w] == seg[k - 1 : k - 1 + w]
        if k > 2:
            ok &= spaces_before[k - 1 : k - 1 + w] == spaces_before[1 : 1 + w]
        valid[:w, j] = ok
        feats[:w, j] = top_bits(fmix(h ^ U64(k * 0x100000001B3)), bits)
        j += 1
    return _aggregate(_per_row(prow, valid, st.n_rows), feats[valid], bits, st.n_rows)


def word_ngrams(
    texts: Sequence[str],
    *,
    bits: int = 18,
    bigrams: bool = True,
    spans: Spans | None = None,
) -> HashedRows:
    """Hashed lower-cased word unigrams (+ bigrams) of every text, one row per text, ``2**bits`` features.

    Tokens are ``\\w+`` runs and single characters that are neither word characters nor whitespace, as in
    ``filter.features``. A bigram never joins two texts, nor the head and tail pieces of a span-cut text.
    """
    _check_texts(texts)
    check_bits(bits)
    return _chunked(texts, spans, bits, lambda chunk: _word_chunk(chunk, bits, bigrams, spans))


def _word_chunk(texts: Sequence[str], bits: int, bigrams: bool, spans: Spans | None) -> HashedRows:
    st = stream(texts, spans)
    cp, piece = st.cp, st.piece
    m = cp.shape[0]
    is_word, is_space = classify(cp)
    tok_char = ~is_space
    same_piece_prev = np.zeros(m, dtype=bool)
    same_piece_prev[1:] = piece[1:] == piece[:-1]
    prev_word = np.zeros(m, dtype=bool)
    prev_word[1:] = is_word[:-1]
    # A token starts at every punctuation character and at a word character not preceded by one.
    tstart = tok_char & ~(is_word & prev_word & same_piece_prev)
    starts = np.flatnonzero(tstart)
    if starts.shape[0] == 0:
        return _aggregate(np.zeros(st.n_rows, dtype=np.int64), np.zeros(0, dtype=np.uint32), bits, st.n_rows)
    # Token ends: a punctuation token is one character; a word token runs to the end of its word run.
    tid = np.cumsum(tstart) - 1
    # Every non-space character belongs to exactly one token, and a token's characters are contiguous, so
    # a token ends after its last character (the last non-space position carrying its token id).
    mpos = np.flatnonzero(tok_char)
    last = np.flatnonzero(np.diff(np.append(tid[mpos], -1)) != 0)
    ends = mpos[last] + 1
    # Hash of each token's code points with prefix sums: sum_k c[k] * B^(e-1-k) = B^(e-1) * sum c[k] * B^-k.
    c = fmix(cp.astype(np.uint64) + U64(SALT_WORD))
    pow_b = np.empty(m, dtype=np.uint64)
    pow_b[0] = 1
    pow_b[1:] = BASE
    np.cumprod(pow_b, out=pow_b)
    pow_inv = np.empty(m, dtype=np.uint64)
    pow_inv[0] = 1
    pow_inv[1:] = BASE_INV
    np.cumprod(pow_inv, out=pow_inv)
    q = np.zeros(m + 1, dtype=np.uint64)
    np.cumsum(c * pow_inv, out=q[1:])
    th = pow_b[ends - 1] * (q[ends] - q[starts])
    th = fmix(th ^ U64(SALT_WORD))
    tpiece = piece[starts]
    trow = st.piece_row[tpiece]
    if not bigrams:
        return _aggregate(np.bincount(trow, minlength=st.n_rows), top_bits(th, bits), bits, st.n_rows)
    # Unigram t then bigram (t, t + 1), token by token, so each row's entries are contiguous.
    t_count = starts.shape[0]
    feats = np.zeros((t_count, 2), dtype=np.uint32)
    valid = np.ones((t_count, 2), dtype=bool)
    feats[:, 0] = top_bits(th, bits)
    valid[-1, 1] = False
    if t_count > 1:
        valid[:-1, 1] = tpiece[1:] == tpiece[:-1]
        feats[:-1, 1] = top_bits(fmix(th[:-1] * BASE + (th[1:] ^ U64(SALT_BIGRAM))), bits)
    return _aggregate(_per_row(trow, valid, st.n_rows), feats[valid], bits, st.n_rows)
