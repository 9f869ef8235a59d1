"""The lexical features: word/punctuation unigrams and bigrams of a paragraph's head, looked up in the
model's vocabulary, and the cue-lexicon column of each vocabulary entry."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from itertools import repeat

import numpy as np

from .words import _GRAM_TOKEN_RE, ALL_LEXICON_GRAMS, LEXICONS

__all__ = ["GRAM_HEAD", "Vocabulary", "grams", "build_vocabulary", "lexicon_columns", "gram_rows"]

#: Word n-grams use at most this many characters of a paragraph: cues sit at the start ("READ MORE:",
#: "By ..."), and it bounds the cost of pathological single-line inputs. 99.6% of the 20,545 paragraphs of
#: the clean BBC and Dragnet-2020 articles are at most 2,000 characters (measured with the importers).
GRAM_HEAD = 2_000


def grams(text: str) -> list[str]:
    """Lower-cased word/punctuation unigrams and bigrams of a paragraph's head (as :func:`extract` sees them)."""
    toks = _GRAM_TOKEN_RE.findall(text[:GRAM_HEAD].lower())
    return toks + [a + " " + b for a, b in zip(toks, toks[1:])]


Vocabulary = dict[str, int]


def build_vocabulary(paragraphs: Iterable[str], max_features: int = 150_000, min_df: int = 3) -> Vocabulary:
    """The most frequent n-grams (by paragraphs containing them) seen at least ``min_df`` times.

    A vocabulary instead of feature hashing: lookups are plain dict hits at inference (no scikit-learn
    import, which alone takes ~2 s), and 150k entries keep the model file a few MB. ``min_df=3`` drops
    one-off names and numbers, which cannot generalise to other sites anyway.
    """
    df: Counter[str] = Counter()
    for text in paragraphs:
        df.update(set(grams(text)))
    common = [(g, c) for g, c in df.items() if c >= min_df]
    common.sort(key=lambda gc: (-gc[1], gc[0]))
    vocab = {g: i for i, (g, _) in enumerate(common[:max_features])}
    # Cue phrases are always in the vocabulary: cue counts are computed from vocabulary ids.
    for g in sorted(ALL_LEXICON_GRAMS):
        vocab.setdefault(g, len(vocab))
    return vocab


_LEX_CACHE: dict[int, tuple[Vocabulary, np.ndarray]] = {}


def lexicon_columns(vocabulary: Vocabulary) -> np.ndarray:
    """Per vocabulary id, the cue lexicon it belongs to (-1 for none; the first lexicon wins on overlap).

    Cached per vocabulary object: it is built once per loaded model, not once per batch.
    """
    cached = _LEX_CACHE.get(id(vocabulary))
    if cached is not None and cached[0] is vocabulary:
        return cached[1]
    cols = np.full(len(vocabulary), -1, dtype=np.int64)
    for j in reversed(range(len(LEXICONS))):
        for g in LEXICONS[j]:
            i = vocabulary.get(g)
            if i is not None:
                cols[i] = j
    _LEX_CACHE[id(vocabulary)] = (vocabulary, cols)
    return cols


#: Placed between paragraphs when the whole batch is tokenised in one regex pass; it is a token of its
#: own (a non-word character between newlines), so row boundaries can be recovered from the token stream.
_ROW_SEP = "\n\x01\n"
_ROW_TOKEN = "\x01"
_LOOKUP_CACHE: dict[int, tuple[Vocabulary, dict[str, int], np.ndarray, np.ndarray, int, np.ndarray]] = {}


def _lookup(vocabulary: Vocabulary) -> tuple[dict[str, int], np.ndarray, np.ndarray, int, np.ndarray]:
    """Tables built once per model: unigram -> id (plus the row marker), and the bigrams as sorted numeric
    keys ``uid(a) * base + uid(b)`` with their ids, so bigram lookup is a numpy ``searchsorted`` on the
    unigram ids instead of a Python lookup per token pair (that lookup was the largest cost of cleaning).
    A bigram whose unigrams are not in the vocabulary can never be looked up; with ``min_df`` applied to
    both, that only happens when ``max_features`` cuts a unigram, which is rarer than any bigram with it.
    """
    cached = _LOOKUP_CACHE.get(id(vocabulary))
    if cached is not None and cached[0] is vocabulary:
        return cached[1], cached[2], cached[3], cached[4], cached[5]
    unigrams = {g: i for g, i in vocabulary.items() if " " not in g}
    base = max(vocabulary.values(), default=0) + 1
    keys: list[int] = []
    ids: list[int] = []
    for g, i in vocabulary.items():
        parts = g.split(" ")
        if len(parts) == 2 and parts[0] in unigrams and parts[1] in unigrams:
            keys.append(unigrams[parts[0]] * base + unigrams[parts[1]])
            ids.append(i)
    order = np.argsort(np.asarray(keys, dtype=np.int64))
    bigram_keys = np.asarray(keys, dtype=np.int64)[order]
    bigram_ids = np.asarray(ids, dtype=np.int64)[order]
    unigrams[_ROW_TOKEN] = -2
    # Unigram ids that start some bigram: most token pairs can be ruled out with this one array lookup.
    starts = np.zeros(base + 2, dtype=bool)  # ids -1 (unknown) and -2 (row marker) index the False tail
    starts[bigram_keys // base] = True
    _LOOKUP_CACHE[id(vocabulary)] = (vocabulary, unigrams, bigram_keys, bigram_ids, base, starts)
    return unigrams, bigram_keys, bigram_ids, base, starts


#: Until a process has tokenised this many tokens for a vocabulary, bigrams are looked up in the vocabulary
#: dict pair by pair instead of building :func:`_lookup`'s table, which costs ~0.11 s once per process, a
#: quarter of ``article-filter clean one.txt`` (issue 12). A pair lookup costs well under 1 us, so the table
#: pays only past ~100k pairs; counting the tokens across calls keeps a loop of ``clean()`` calls from paying
#: the pair loop forever (it builds the table after a few pages). Both paths give the same ids
#: (``tests/test_features.py``).
SMALL_BATCH_TOKENS = 50_000
_SMALL_TOKENS: dict[int, int] = {}


def _small_batch_ids(toks: list[str], vocabulary: Vocabulary) -> tuple[np.ndarray, np.ndarray]:
    """Unigram ids (-1 unknown, -2 row marker) and bigram ids per token pair, from the dict alone."""
    uni = np.fromiter(map(vocabulary.get, toks, repeat(-1)), dtype=np.int64, count=len(toks))
    uni[np.fromiter(map(_ROW_TOKEN.__eq__, toks), dtype=bool, count=len(toks))] = -2
    bi = np.full(max(len(toks) - 1, 0), -1, dtype=np.int64)
    get = vocabulary.get
    for i in np.flatnonzero((uni[:-1] >= 0) & (uni[1:] >= 0)).tolist():
        bi[i] = get(toks[i] + " " + toks[i + 1], -1)
    return uni, bi


def _table_ids(toks: list[str], vocabulary: Vocabulary) -> tuple[np.ndarray, np.ndarray]:
    """The same ids as :func:`_small_batch_ids`, with the bigram table of :func:`_lookup` (big batches)."""
    unigrams, bigram_keys, bigram_ids, base, starts = _lookup(vocabulary)
    uni = np.fromiter(map(unigrams.get, toks, repeat(-1)), dtype=np.int64, count=len(toks))
    first, second = uni[:-1], uni[1:]
    pair = (second >= 0) & starts[first]
    bi = np.full(len(first), -1, dtype=np.int64)
    if len(bigram_keys) and pair.any():
        keys = first[pair] * base + second[pair]
        pos = np.minimum(np.searchsorted(bigram_keys, keys), len(bigram_keys) - 1)
        bi[pair] = np.where(bigram_keys[pos] == keys, bigram_ids[pos], -1)
    return uni, bi


def gram_rows(heads: list[str], vocabulary: Vocabulary) -> tuple[np.ndarray, np.ndarray]:
    """(vocabulary id, row) of every in-vocabulary unigram and bigram of every paragraph head.

    The whole batch is lower-cased and tokenised in one regex pass and looked up with C-level ``map``;
    a per-paragraph Python loop cost more than the rest of the pipeline together.
    """
    if not heads:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    joined = _ROW_SEP.join(heads)
    if joined.count(_ROW_TOKEN) != len(heads) - 1:  # the input itself contains the marker: blank it out
        joined = _ROW_SEP.join(h.replace(_ROW_TOKEN, " ") for h in heads)
    toks = _GRAM_TOKEN_RE.findall(joined.lower())
    cached = _LOOKUP_CACHE.get(id(vocabulary))
    seen = _SMALL_TOKENS.get(id(vocabulary), 0) + len(toks)
    if seen <= SMALL_BATCH_TOKENS and (cached is None or cached[0] is not vocabulary):
        _SMALL_TOKENS[id(vocabulary)] = seen
        uni, bi = _small_batch_ids(toks, vocabulary)
    else:
        uni, bi = _table_ids(toks, vocabulary)
    row_of = np.cumsum(uni == -2)
    ids = np.concatenate([uni, bi])
    rows = np.concatenate([row_of, row_of[: len(bi)]])
    keep = ids >= 0
    ids, rows = ids[keep], rows[keep]
    order = np.argsort(rows, kind="stable")  # two sorted runs: a linear merge
    return ids[order], rows[order]
