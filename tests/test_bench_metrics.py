"""The benchmark's token-F1 metric (bench/common.py) on hand-made strings with hand-computed values."""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import PRF, aggregate, shingle_prf, shingles, tokens, wrap_paragraphs_html  # noqa: E402


def _approx(got: PRF, p: float, r: float, f1: float) -> None:
    assert got.precision == pytest.approx(p)
    assert got.recall == pytest.approx(r)
    assert got.f1 == pytest.approx(f1)


def test_tokens_lowercase_and_ignore_punctuation() -> None:
    assert tokens("The CAT, sat... on\nthe mat!") == ["the", "cat", "sat", "on", "the", "mat"]


def test_shingles_are_a_multiset_of_four_grams() -> None:
    # a b c d a b c d -> abcd, bcda, cdab, dabc, abcd: 5 shingles, abcd twice
    got = shingles("a b c d a b c d")
    assert sum(got.values()) == 5
    assert got[("a", "b", "c", "d")] == 2
    assert shingles("a b c d e") == Counter({("a", "b", "c", "d"): 1, ("b", "c", "d", "e"): 1})


def test_short_text_is_one_shingle_and_empty_text_none() -> None:
    assert shingles("hello world") == Counter({("hello", "world"): 1})
    assert shingles("  ... ") == Counter()


def test_identical_texts_score_one_whatever_case_and_punctuation() -> None:
    _approx(shingle_prf("The cat, sat on the MAT.", "the cat sat on the mat"), 1.0, 1.0, 1.0)


def test_prediction_missing_the_last_word() -> None:
    # pred: 3 shingles, all in gold; gold: 4 shingles -> P = 1, R = 3/4, F1 = 2 * 3/4 / (7/4) = 6/7
    _approx(shingle_prf("the cat sat on the mat", "the cat sat on the mat today"), 1.0, 0.75, 6 / 7)


def test_prediction_with_extra_text() -> None:
    # pred "x y z w the cat sat on" -> 5 shingles, 1 of them (the cat sat on) in gold (1 shingle)
    _approx(shingle_prf("x y z w the cat sat on", "the cat sat on"), 0.2, 1.0, 1 / 3)


def test_repeated_text_is_not_rewarded_twice() -> None:
    # multiset: pred has abcd x2 + 3 others (5); gold has abcd x1 -> overlap 1: P = 1/5, R = 1, F1 = 1/3
    _approx(shingle_prf("a b c d a b c d", "a b c d"), 0.2, 1.0, 1 / 3)


def test_empty_sides() -> None:
    _approx(shingle_prf("", ""), 1.0, 1.0, 1.0)
    _approx(shingle_prf("", "a b c d"), 0.0, 0.0, 0.0)
    _approx(shingle_prf("a b c d", ""), 0.0, 0.0, 0.0)
    _approx(shingle_prf("hello", "hello world"), 0.0, 0.0, 0.0)


def test_aggregate_is_macro_and_reports_both_f1s() -> None:
    agg = aggregate([PRF(1.0, 0.5, 2 / 3), PRF(0.5, 1.0, 2 / 3)])
    assert agg["n"] == 2
    assert agg["precision"] == pytest.approx(0.75)
    assert agg["recall"] == pytest.approx(0.75)
    assert agg["f1"] == pytest.approx(0.75)
    assert agg["mean_doc_f1"] == pytest.approx(2 / 3)
    assert aggregate([])["n"] == 0


def test_wrap_paragraphs_escapes_markup() -> None:
    page = wrap_paragraphs_html(["a < b & c", "<script>x</script>"])
    assert "<p>a &lt; b &amp; c</p>" in page
    assert "<p>&lt;script&gt;x&lt;/script&gt;</p>" in page
