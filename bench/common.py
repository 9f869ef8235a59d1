"""Metrics and helpers shared by the benchmarks (pure Python: no model, no corpora needed to import this).

Token F1 (the extraction metric)
--------------------------------
A text becomes its lowercased word tokens (NFKC-normalised ``\\w+`` runs, so punctuation, quotes and line
wrapping never matter), then its **multiset** of word 4-shingles (4 consecutive tokens; a repeated shingle
counts as often as it occurs). A text with 1-3 tokens has a single shingle made of all its tokens.

For one document, with ``overlap = sum(min(pred[s], gold[s]))`` over shingles ``s``::

    precision = overlap / |pred|      recall = overlap / |gold|      f1 = 2PR / (P + R)

Conventions for empty sides: both empty -> P = R = F1 = 1; empty prediction and non-empty gold -> P = R = 0
(dropping everything is a failure, never a perfect precision); non-empty prediction and empty gold ->
P = R = 0 (benchmarks skip pages with an empty gold anyway). Corpus scores are macro averages over documents;
:func:`aggregate` reports both F1 of the averaged P and R and the mean of the per-document F1.
"""

from __future__ import annotations

import html
import re
import statistics
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

__all__ = [
    "SHINGLE_SIZE",
    "PRF",
    "tokens",
    "shingles",
    "shingle_prf",
    "aggregate",
    "wrap_paragraphs_html",
]

SHINGLE_SIZE = 4
_WORD_RE = re.compile(r"\w+")


@dataclass(frozen=True)
class PRF:
    precision: float
    recall: float
    f1: float


def tokens(text: str) -> list[str]:
    """Lowercased word tokens (NFKC-normalised ``\\w+`` runs)."""
    return _WORD_RE.findall(unicodedata.normalize("NFKC", text).lower())


def shingles(text: str, n: int = SHINGLE_SIZE) -> Counter[tuple[str, ...]]:
    """Multiset of word ``n``-shingles; a text with 1..n-1 tokens is one shingle of all of them."""
    toks = tokens(text)
    if not toks:
        return Counter()
    if len(toks) < n:
        return Counter([tuple(toks)])
    return Counter(tuple(toks[i : i + n]) for i in range(len(toks) - n + 1))


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r > 0 else 0.0


def shingle_prf(predicted: str, gold: str, n: int = SHINGLE_SIZE) -> PRF:
    """Precision, recall and F1 of ``predicted`` against ``gold`` on word ``n``-shingle multisets."""
    pred, ref = shingles(predicted, n), shingles(gold, n)
    if not pred and not ref:
        return PRF(1.0, 1.0, 1.0)
    if not pred or not ref:
        return PRF(0.0, 0.0, 0.0)
    overlap = sum(min(c, ref[s]) for s, c in pred.items())
    p = overlap / sum(pred.values())
    r = overlap / sum(ref.values())
    return PRF(p, r, _f1(p, r))


def aggregate(scores: Iterable[PRF]) -> dict[str, float]:
    """Macro averages: mean P, mean R, F1 of those means, and the mean of per-document F1 (plus the count)."""
    items = list(scores)
    if not items:
        return {
            "n": 0,
            "precision": float("nan"),
            "recall": float("nan"),
            "f1": float("nan"),
            "mean_doc_f1": float("nan"),
        }
    p = statistics.fmean(s.precision for s in items)
    r = statistics.fmean(s.recall for s in items)
    return {
        "n": len(items),
        "precision": p,
        "recall": r,
        "f1": _f1(p, r),
        "mean_doc_f1": statistics.fmean(s.f1 for s in items),
    }


def wrap_paragraphs_html(paragraphs: Sequence[str]) -> str:
    """A minimal HTML page with one html-escaped ``<p>`` per paragraph (input for HTML extractors)."""
    body = "\n".join(f"<p>{html.escape(p, quote=False)}</p>" for p in paragraphs)
    head = '<!DOCTYPE html>\n<html><head><meta charset="utf-8"><title></title></head>'
    return f"{head}<body>\n{body}\n</body></html>"
