"""filter.hashgrams: exact char_wb n-grams, deterministic hashes, rows and spans respected."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

import numpy as np
import pytest

from filter import hashgrams as hg

REPO = Path(__file__).resolve().parents[1]

TEXTS = [
    "Sign up for our newsletter",
    "",
    "   \t\n  ",
    "The council voted 7 to 2 on Tuesday, officials said.",
    "Ünïcode ŞTRASSE straße İstanbul",
    "emoji 😀 and math 𝐀𝐁 (non-BMP)",
    "lone \ud800 surrogate \udfff here",
    "x",
    "READ MORE: » Stocks tumble | ▶ Watch",
]

M64 = (1 << 64) - 1


def _fmix_py(x: int) -> int:
    x ^= x >> 33
    x = (x * 0xFF51AFD7ED558CCD) & M64
    x ^= x >> 33
    x = (x * 0xC4CEB9FE1A85EC53) & M64
    x ^= x >> 33
    return x


def _char_feature_py(gram: str, bits: int) -> int:
    """Pure-Python reference of the char n-gram hash (documents it, and checks the vectorised version)."""
    h = 0
    for ch in gram:
        h = (h * 0x9E3779B97F4A7C15 + _fmix_py((ord(ch) + 0x2545F4914F6CDD1D) & M64)) & M64
    return _fmix_py(h ^ (len(gram) * 0x100000001B3)) >> (64 - bits)


def _sk_char_wb(text: str) -> Counter[str]:
    """scikit-learn's char_wb analyzer (lowercase, n = 2..5): the definition hashgrams follows."""
    from sklearn.feature_extraction.text import HashingVectorizer

    return Counter(HashingVectorizer(analyzer="char_wb", ngram_range=(2, 5)).build_analyzer()(text))


def _row(x: hg.HashedRows, i: int) -> dict[int, float]:
    s = slice(x.offsets[i], x.offsets[i + 1])
    return dict(zip(x.features[s].tolist(), x.weights[s].tolist()))


@pytest.mark.parametrize("i", range(len(TEXTS)))
def test_char_ngrams_are_exactly_char_wb(i: int) -> None:
    bits = 31  # wide enough that the few grams of one text do not collide
    text = TEXTS[i]
    ref = _sk_char_wb(text)
    expected: Counter[int] = Counter()
    for gram, c in ref.items():
        expected[_char_feature_py(gram, bits)] += c
    norm = float(np.sqrt(sum(v * v for v in expected.values()))) or 1.0
    got = _row(hg.char_ngrams([text], bits=bits), 0)
    assert set(got) == set(expected)
    assert all(hg.char_gram_feature(g, bits) == _char_feature_py(g, bits) for g in ref)
    for f, w in got.items():
        assert w == pytest.approx(expected[f] / norm, rel=1e-6)


def test_word_ngrams_match_features_tokens() -> None:
    tok = re.compile(r"\w+|[^\w\s]")
    x = hg.word_ngrams(TEXTS, bits=31)
    for i, text in enumerate(TEXTS):
        toks = tok.findall(text.lower())
        grams = Counter(toks + [a + " " + b for a, b in zip(toks, toks[1:])])
        row = _row(x, i)
        assert len(row) == len(grams)  # no collisions at 31 bits for a handful of grams
        assert set(row) == {hg.word_gram_feature(g.split(" ") if " " in g else [g], 31) for g in grams}
        norm = float(np.sqrt(sum(c * c for c in grams.values()))) or 1.0
        assert sorted(row.values()) == pytest.approx(sorted(c / norm for c in grams.values()), rel=1e-6)


def test_structure_sorted_normalised_and_empty_rows() -> None:
    for x in (hg.char_ngrams(TEXTS), hg.word_ngrams(TEXTS)):
        assert x.n_rows == len(TEXTS)
        assert x.offsets[0] == 0 and x.offsets[-1] == x.features.shape[0]
        assert np.all(np.diff(x.rows) >= 0)
        assert np.array_equal(x.rows, np.repeat(np.arange(x.n_rows), np.diff(x.offsets)))
        for i in range(x.n_rows):
            f = x.features[x.offsets[i] : x.offsets[i + 1]]
            assert np.all(np.diff(f) > 0)  # sorted, no duplicates left
        sq = np.bincount(x.rows, weights=x.weights.astype(np.float64) ** 2, minlength=x.n_rows)
        nonempty = np.diff(x.offsets) > 0
        assert np.allclose(sq[nonempty], 1.0)
        assert not nonempty[1] and not nonempty[2]  # "" and whitespace-only
        assert np.all((x.features >= 0) & (x.features < x.n_features))
    assert hg.char_ngrams([]).n_rows == 0
    assert hg.word_ngrams([""]).offsets.tolist() == [0, 0]


def test_rows_never_share_ngrams_across_boundary() -> None:
    # "ab" + "cd" concatenated would give "bc"; each text alone must equal its row in the batch.
    texts = ["ab", "cd", "abcd", "ab cd"]
    batch = hg.char_ngrams(texts, bits=31)
    for i, t in enumerate(texts):
        assert _row(batch, i) == _row(hg.char_ngrams([t], bits=31), 0)
    assert _char_feature_py("bc", 31) not in _row(batch, 0) | _row(batch, 1)
    wb = hg.word_ngrams(["alpha", "beta"], bits=31)
    assert len(_row(wb, 0)) == 1 and len(_row(wb, 1)) == 1  # no "alpha beta" bigram


def test_equal_texts_give_equal_rows_anywhere_in_batch() -> None:
    rng = np.random.default_rng(0)
    base = TEXTS + ["A long paragraph " * 30]
    batch = [base[int(j)] for j in rng.integers(0, len(base), 60)]
    for fn in (hg.char_ngrams, hg.word_ngrams):
        x = fn(batch, spans=hg.PARAGRAPH_SPANS)
        first: dict[str, dict[int, float]] = {}
        for i, t in enumerate(batch):
            row = _row(x, i)
            assert first.setdefault(t, row) == row


def test_spans_head_and_tail_only() -> None:
    sp = hg.Spans(max_whole=20, head=6, tail=6)
    short = "short text here"  # 15 chars: whole
    long_ = "HEADWD " + "middle " * 10 + "TAILWD"
    x = hg.char_ngrams([short, long_], bits=31, spans=sp)
    assert _row(x, 0) == _row(hg.char_ngrams([short], bits=31), 0)
    # The long text is featurised as the pieces "headwd" and "tailwd" with no n-gram joining them.
    expected = hg.char_ngrams([long_[:6].strip(), long_[-6:]], bits=31)
    got = _row(x, 1)
    assert set(got) == set(_row(expected, 0)) | set(_row(expected, 1))
    assert _char_feature_py("mid", 31) not in got
    assert _char_feature_py("wd t", 31) not in got  # head does not run into tail
    w = hg.word_ngrams([long_], bits=31, spans=sp)
    assert len(_row(w, 0)) == 2  # "headwd", "tailwd"; no bigram across the cut
    with pytest.raises(ValueError):
        hg.Spans(max_whole=10, head=8, tail=8)


def test_hstack_and_dot() -> None:
    c = hg.char_ngrams(TEXTS, bits=10)
    w = hg.word_ngrams(TEXTS, bits=8)
    x = hg.hstack([c, w])
    assert x.n_features == (1 << 10) + (1 << 8)
    dense = x.to_scipy().toarray()
    assert np.allclose(dense[:, : 1 << 10], c.to_scipy().toarray())
    assert np.allclose(dense[:, 1 << 10 :], w.to_scipy().toarray())
    coef = np.random.default_rng(1).normal(size=x.n_features).astype(np.float32)
    assert np.allclose(x.dot(coef), dense @ coef, atol=1e-5)


_CHILD = """
import json, sys
from filter import hashgrams as hg
texts = json.loads(sys.stdin.read())
c = hg.char_ngrams(texts, spans=hg.PARAGRAPH_SPANS)
w = hg.word_ngrams(texts)
print(json.dumps([c.features.tolist(), c.offsets.tolist(), w.features.tolist(), w.offsets.tolist()]))
"""


def test_deterministic_across_processes() -> None:
    runs = []
    for seed in ("1", "12345"):
        env = dict(os.environ, PYTHONHASHSEED=seed, PYTHONPATH=str(REPO))
        out = subprocess.run(
            [sys.executable, "-c", _CHILD],
            input=json.dumps(TEXTS),
            capture_output=True,
            text=True,
            env=env,
            check=True,
        ).stdout
        runs.append(json.loads(out))
    assert runs[0] == runs[1]
    here = hg.char_ngrams(TEXTS, spans=hg.PARAGRAPH_SPANS)
    assert runs[0][0] == here.features.tolist()


def test_rejects_bad_arguments() -> None:
    with pytest.raises(TypeError):
        hg.char_ngrams("not a list")
    with pytest.raises(ValueError):
        hg.char_ngrams(["a"], n=(1, 2))
    with pytest.raises(ValueError):
        hg.word_ngrams(["a"], bits=40)


def test_chunked_batches_equal_one_chunk(monkeypatch: pytest.MonkeyPatch) -> None:
    texts = TEXTS * 5 + ["A long paragraph " * 30] * 3
    whole = [fn(texts, spans=hg.PARAGRAPH_SPANS) for fn in (hg.char_ngrams, hg.word_ngrams)]
    monkeypatch.setattr(hg, "CHUNK_CHARS", 40)  # many chunks, some of a single text
    chunked = [fn(texts, spans=hg.PARAGRAPH_SPANS) for fn in (hg.char_ngrams, hg.word_ngrams)]
    for a, b in zip(whole, chunked):
        for field in ("rows", "features", "weights", "offsets"):
            assert np.array_equal(getattr(a, field), getattr(b, field)), field
