"""A clickbait score in [0, 1] for headline-like lines: logistic regression over hashed char + word n-grams.

Why: teasers and related-story links injected into articles carry headlines, and a reader recognises the
clickbait ones ("You won't believe ...", "21 things ...") by their wording. The score is trained on the
clickbait/news headline corpus of Chakraborty et al. (2016; MIT licence), so it is only meaningful for
lines shaped like a headline: attach it where :func:`is_headline_like` is true and nowhere else (a long
reporting sentence is neither a news headline nor a clickbait one, and its score says nothing).

Prediction is numpy only and vectorised over the batch (features from :mod:`filter.hashgrams`, then one
``bincount``). The model is plain arrays (:meth:`ClickbaitModel.to_arrays`), saved with ``np.savez`` and
loaded with ``allow_pickle=False``: no pickle, no scikit-learn at prediction time. Training (scikit-learn,
the corpus split and the metrics) is :mod:`filter.training.clickbait`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from importlib import resources
from itertools import repeat
from pathlib import Path
from typing import Any

import numpy as np

from . import hashgrams as hg

__all__ = [
    "ClickbaitModel",
    "is_headline_like",
    "default_model_path",
    "load_default",
    "HEADLINE_MAX_CHARS",
    "HEADLINE_MIN_WORDS",
    "HEADLINE_MAX_WORDS",
]

FORMAT_VERSION = 1
MODEL_FILE = "clickbait.npz"

# Thresholds of is_headline_like, from the 32,000 headlines of the training corpus (measured with
# load_headlines): lengths 24 / 52 / 94 / 115 / 135 characters at the 1st / 50th / 99th / 99.9th / 100th
# percentile, 4 / 9 / 16 / 26 words at the 1st / 50th / 99th / 100th percentile, 0.3% end with ".".
# 150 characters and 20 words keep all but ~0.3% of the corpus while cutting most reporting sentences
# (BBC paragraphs have a median of 395 characters; see reporting_check in models/clickbait.json).
#: At most this many characters (after stripping): longer lines are prose, not headlines.
HEADLINE_MAX_CHARS = 150
#: At least this many words: one- and two-word lines are menu items or buttons ("Home", "Sign up").
HEADLINE_MIN_WORDS = 3
#: At most this many words.
HEADLINE_MAX_WORDS = 20
#: A headline does not end like a sentence or a lead-in, also inside a closing quote or bracket: on BBC
#: sentences, most short lines that passed the other checks were quotes ending '."'. An ellipsis ("...",
#: "…") marks a teaser and is allowed.
_STOPS = (".", ",", ";", ":")
_CLOSERS = ("", '"', "'", "\u201d", "\u2019", ")")
_SENTENCE_ENDS = tuple(s + c for s in _STOPS for c in _CLOSERS)
_ELLIPSES = ("...", "\u2026")


def is_headline_like(texts: Sequence[str]) -> np.ndarray:
    """True for lines shaped like a headline: one line, 3-20 words, <= 150 chars, no sentence-final stop.

    The pipeline should attach the clickbait score only to these lines (see the module docstring). The
    checks run as C-level ``map`` calls over the batch, without a Python loop per line.
    """
    n = len(texts)
    stripped = list(map(str.strip, texts))
    chars = np.fromiter(map(len, stripped), dtype=np.int64, count=n)
    words = np.fromiter(map(len, map(str.split, stripped)), dtype=np.int64, count=n)
    one_line = ~np.fromiter(map(str.__contains__, stripped, repeat("\n")), dtype=bool, count=n)
    stop = np.fromiter(map(str.endswith, stripped, repeat(_SENTENCE_ENDS)), dtype=bool, count=n)
    ellipsis = np.fromiter(map(str.endswith, stripped, repeat(_ELLIPSES)), dtype=bool, count=n)
    # "..." also ends with ".": allowed, but not '..."' (a quoted sentence trailing off is still prose).
    return (
        one_line
        & (chars <= HEADLINE_MAX_CHARS)
        & (words >= HEADLINE_MIN_WORDS)
        & (words <= HEADLINE_MAX_WORDS)
        & (~stop | ellipsis)
    )


@dataclass(frozen=True)
class ClickbaitModel:
    """Weights over ``[char n-grams (2**char_bits) | word 1-2-grams (2**word_bits)]``, rows L2-normalised each."""

    coef: np.ndarray  # float32, length 2**char_bits + 2**word_bits
    intercept: float
    char_n: tuple[int, ...] = hg.DEFAULT_CHAR_N
    char_bits: int = 17
    word_bits: int = 17
    spans: hg.Spans | None = hg.PARAGRAPH_SPANS
    info: Mapping[str, Any] = field(default_factory=dict, compare=False)

    def __post_init__(self) -> None:
        expected = (1 << self.char_bits) + (1 << self.word_bits)
        if self.coef.shape != (expected,) or self.coef.dtype != np.float32:
            raise ValueError(
                f"coef must be float32 of shape ({expected},), got {self.coef.dtype} {self.coef.shape}"
            )
        if not (np.isfinite(self.coef).all() and np.isfinite(self.intercept)):
            raise ValueError("coef and intercept must be finite")

    def features(self, texts: Sequence[str]) -> hg.HashedRows:
        c = hg.char_ngrams(texts, n=self.char_n, bits=self.char_bits, spans=self.spans)
        w = hg.word_ngrams(texts, bits=self.word_bits, spans=self.spans)
        return hg.hstack([c, w])

    def decision_function(self, texts: Sequence[str]) -> np.ndarray:
        return self.features(texts).dot(self.coef) + self.intercept

    def score(self, texts: Sequence[str]) -> np.ndarray:
        """P(clickbait) per line (float64 in [0, 1]); meaningful only where :func:`is_headline_like`."""
        z = self.decision_function(texts)
        return 0.5 * (1.0 + np.tanh(0.5 * z))  # the logistic function, without overflow for large |z|

    def score_lines(self, texts: Sequence[str]) -> np.ndarray:
        """Like :meth:`score`, but NaN where the line is not headline-like (what the pipeline should attach)."""
        out = np.full(len(texts), np.nan)
        mask = is_headline_like(texts)
        if mask.any():
            idx = np.flatnonzero(mask)
            out[idx] = self.score(list(map(texts.__getitem__, idx.tolist())))
        return out

    def to_arrays(self) -> dict[str, np.ndarray]:
        sp = self.spans
        return {
            "format_version": np.array([FORMAT_VERSION], dtype=np.int64),
            "hash_version": np.array([hg.HASH_VERSION], dtype=np.int64),
            "coef": self.coef,
            "intercept": np.array([self.intercept], dtype=np.float64),
            "char_n": np.array(self.char_n, dtype=np.int64),
            "bits": np.array([self.char_bits, self.word_bits], dtype=np.int64),
            # -1s mean "whole text" (no spans).
            "spans": np.array([sp.max_whole, sp.head, sp.tail] if sp else [-1, -1, -1], dtype=np.int64),
        }

    @classmethod
    def from_arrays(cls, arrays: Mapping[str, np.ndarray]) -> ClickbaitModel:
        """Rebuild from :meth:`to_arrays` (or an ``np.load`` of its file); refuses other format/hash versions."""
        missing = {"format_version", "hash_version", "coef", "intercept", "char_n", "bits", "spans"} - set(
            arrays
        )
        if missing:
            raise ValueError(f"clickbait model arrays lack {sorted(missing)}")
        if int(arrays["format_version"][0]) != FORMAT_VERSION:
            raise ValueError(
                f"clickbait model format {int(arrays['format_version'][0])}, expected {FORMAT_VERSION}"
            )
        if int(arrays["hash_version"][0]) != hg.HASH_VERSION:
            raise ValueError("clickbait model was built with another n-gram hash; retrain it")
        sp = [int(v) for v in arrays["spans"]]
        bits = [int(v) for v in arrays["bits"]]
        return cls(
            coef=np.asarray(arrays["coef"], dtype=np.float32),
            intercept=float(arrays["intercept"][0]),
            char_n=tuple(int(v) for v in arrays["char_n"]),
            char_bits=bits[0],
            word_bits=bits[1],
            spans=None if sp[0] < 0 else hg.Spans(*sp),
        )

    def save(self, path: str | Path) -> None:
        arrays: dict[str, Any] = self.to_arrays()  # typed loosely: np.savez's stubs mix kwargs with options
        with open(path, "wb") as fh:
            np.savez(fh, **arrays)  # uncompressed: loads without inflating, and it is ~1 MB anyway

    @classmethod
    def load(cls, path: str | Path) -> ClickbaitModel:
        with np.load(path, allow_pickle=False) as z:
            return cls.from_arrays({k: z[k] for k in z.files})


def default_model_path() -> Path:
    """The shipped model: inside the installed package, or ``models/`` of a source checkout."""
    try:
        candidate = Path(str(resources.files("filter.models"))) / MODEL_FILE
        if candidate.exists():
            return candidate
    except (ModuleNotFoundError, TypeError):
        pass
    return Path(__file__).resolve().parent.parent / "models" / MODEL_FILE


def load_default() -> ClickbaitModel:
    return ClickbaitModel.load(default_model_path())


# ------------------------------------------------------------------------------------------------ training
