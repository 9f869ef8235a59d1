"""A clickbait score in [0, 1] for headline-like lines: logistic regression over hashed char + word n-grams.

Why: teasers and related-story links injected into articles carry headlines, and a reader recognises the
clickbait ones ("You won't believe ...", "21 things ...") by their wording. The score is trained on the
clickbait/news headline corpus of Chakraborty et al. (2016; MIT licence), so it is only meaningful for
lines shaped like a headline: attach it where :func:`is_headline_like` is true and nowhere else (a long
reporting sentence is neither a news headline nor a clickbait one, and its score says nothing).

Prediction is numpy only and vectorised over the batch (features from :mod:`filter.hashgrams`, then one
``bincount``). The model is plain arrays (:meth:`ClickbaitModel.to_arrays`), saved with ``np.savez`` and
loaded with ``allow_pickle=False``: no pickle, no scikit-learn at prediction time. scikit-learn is imported
inside :func:`train_clickbait` only.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import re
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
    "train_clickbait",
    "load_headlines",
    "split_is_test",
    "reporting_check",
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


def _normalise(text: str) -> str:
    return " ".join(text.lower().split())


def split_is_test(texts: Sequence[str], *, salt: str = "clickbait-split-v1", fraction: int = 5) -> np.ndarray:
    """Deterministic 1-in-``fraction`` test membership by a BLAKE2b hash of the normalised text.

    Hashing the normalised headline (not its position) keeps repeated or re-cased headlines on one side,
    and the split does not change when the corpus file is reordered.
    """

    def bucket(t: str) -> int:
        return int.from_bytes(
            hashlib.blake2b(f"{salt}\0{_normalise(t)}".encode(), digest_size=8).digest(), "big"
        )

    return np.fromiter((bucket(t) % fraction == 0 for t in texts), dtype=bool, count=len(texts))


def load_headlines(corpus_dir: str | Path) -> tuple[list[str], np.ndarray]:
    """Headlines and labels (1 = clickbait) of ``headlines.jsonl.gz`` in the corpus folder."""
    path = Path(corpus_dir) / "headlines.jsonl.gz"
    texts: list[str] = []
    labels: list[int] = []
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        for line in fh:
            rec = json.loads(line)
            if rec["label"] not in ("clickbait", "news"):
                raise ValueError(f"{path}: unknown label {rec['label']!r}")
            texts.append(rec["text"])
            labels.append(int(rec["label"] == "clickbait"))
    return texts, np.array(labels, dtype=np.int64)


def _roc_auc(y: np.ndarray, p: np.ndarray) -> float:
    """Mann-Whitney AUC with mid-ranks for ties (numpy, so metrics need no sklearn)."""
    order = np.argsort(p, kind="stable")
    ranks = np.empty(p.shape[0], dtype=np.float64)
    sp = p[order]
    # Mid-rank per tie group.
    starts = np.flatnonzero(np.diff(sp, prepend=np.nan) != 0)
    ends = np.append(starts[1:], sp.shape[0])
    mid = (starts + ends + 1) / 2.0
    ranks[order] = np.repeat(mid, ends - starts)
    n_pos = int(y.sum())
    n_neg = y.shape[0] - n_pos
    return float((ranks[y == 1].sum() - n_pos * (n_pos + 1) / 2) / (n_pos * n_neg))


def _calibration(y: np.ndarray, p: np.ndarray, n_bins: int = 5) -> dict[str, Any]:
    edges = np.linspace(0.0, 1.0, n_bins + 1)
    b = np.clip(np.searchsorted(edges, p, side="right") - 1, 0, n_bins - 1)
    bins = []
    ece = 0.0
    for k in range(n_bins):
        m = b == k
        cnt = int(m.sum())
        if cnt:
            mp, fr = float(p[m].mean()), float(y[m].mean())
            ece += cnt / y.shape[0] * abs(mp - fr)
            bins.append(
                {
                    "range": [float(edges[k]), float(edges[k + 1])],
                    "n": cnt,
                    "mean_p": mp,
                    "frac_clickbait": fr,
                }
            )
        else:
            bins.append({"range": [float(edges[k]), float(edges[k + 1])], "n": 0})
    return {"bins": bins, "ece": ece}


def evaluate(model: ClickbaitModel, texts: Sequence[str], y: np.ndarray) -> dict[str, Any]:
    p = model.score(texts)
    return {
        "n": int(y.shape[0]),
        "accuracy": float(((p >= 0.5) == (y == 1)).mean()),
        "roc_auc": _roc_auc(y, p),
        "log_loss": float(
            -np.mean(y * np.log(np.clip(p, 1e-12, 1)) + (1 - y) * np.log(np.clip(1 - p, 1e-12, 1)))
        ),
        "calibration": _calibration(y, p),
    }


def reporting_check(model: ClickbaitModel, sentences: Sequence[str]) -> dict[str, Any]:
    """How the score and :func:`is_headline_like` behave on lines that are not headlines (reporting prose)."""
    p = model.score(sentences)
    hl = is_headline_like(sentences)
    return {
        "n": len(sentences),
        "headline_like_fraction": float(hl.mean()),
        "mean_score_all": float(p.mean()),
        "fraction_score_over_0.5_all": float((p > 0.5).mean()),
        "fraction_score_over_0.5_headline_like": float((p[hl] > 0.5).mean()) if hl.any() else None,
    }


_SENTENCE_SPLIT = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"'])")


def load_reporting_sentences(bbc_dir: str | Path, limit: int = 5000) -> list[str]:
    """Sentences of BBC body paragraphs (``bbc_articles.jsonl.gz``), the first ``limit`` in file order."""
    out: list[str] = []
    with gzip.open(Path(bbc_dir) / "bbc_articles.jsonl.gz", "rt", encoding="utf-8") as fh:
        for line in fh:
            for para in json.loads(line)["paragraphs"]:
                out.extend(s for s in _SENTENCE_SPLIT.split(para.strip()) if s)
            if len(out) >= limit:
                break
    return out[:limit]


#: Inverse regularisation strength, chosen on an inner split of the training part (see train_clickbait).
DEFAULT_C_GRID = (4.0, 16.0, 64.0, 256.0)


def fit(
    texts: Sequence[str],
    y: np.ndarray,
    *,
    c: float,
    char_bits: int = 17,
    word_bits: int = 17,
    char_n: Sequence[int] = hg.DEFAULT_CHAR_N,
    spans: hg.Spans | None = hg.PARAGRAPH_SPANS,
) -> ClickbaitModel:
    """Logistic regression on the hashed features (scikit-learn imported here, for training only)."""
    from sklearn.linear_model import LogisticRegression

    proto = ClickbaitModel(
        coef=np.zeros((1 << char_bits) + (1 << word_bits), dtype=np.float32),
        intercept=0.0,
        char_n=tuple(char_n),
        char_bits=char_bits,
        word_bits=word_bits,
        spans=spans,
    )
    x = proto.features(texts).to_scipy()
    lr = LogisticRegression(C=c, solver="liblinear", max_iter=1000, random_state=0)  # liblinear shuffles
    lr.fit(x, np.asarray(y))
    return ClickbaitModel(
        coef=lr.coef_[0].astype(np.float32),
        intercept=float(lr.intercept_[0]),
        char_n=proto.char_n,
        char_bits=char_bits,
        word_bits=word_bits,
        spans=spans,
    )


def train_clickbait(
    corpus_dir: str | Path,
    *,
    c_grid: Sequence[float] = DEFAULT_C_GRID,
    char_bits: int = 17,
    word_bits: int = 17,
    reporting_dir: str | Path | None = None,
) -> tuple[ClickbaitModel, dict[str, Any]]:
    """Train on 80% of the corpus (hash split), pick C on an inner 1-in-5 split of that, refit, evaluate on 20%.

    Returns the model (refit on the whole 80% with the chosen C) and metrics: held-out accuracy, ROC AUC,
    log loss, calibration in 5 bins with ECE, the C search, and, when ``reporting_dir`` (the BBC full-text
    corpus folder) is given, :func:`reporting_check` on its sentences.
    """
    texts, y = load_headlines(corpus_dir)
    test = split_is_test(texts)
    tr_idx, te_idx = np.flatnonzero(~test), np.flatnonzero(test)
    tr_texts = [texts[i] for i in tr_idx.tolist()]
    te_texts = [texts[i] for i in te_idx.tolist()]
    inner = split_is_test(tr_texts, salt="clickbait-inner-v1")
    fit_texts = [t for t, v in zip(tr_texts, inner) if not v]
    val_texts = [t for t, v in zip(tr_texts, inner) if v]
    search = []
    for c in c_grid:
        m = fit(fit_texts, y[tr_idx][~inner], c=c, char_bits=char_bits, word_bits=word_bits)
        ev = evaluate(m, val_texts, y[tr_idx][inner])
        search.append({"C": c, "val_log_loss": ev["log_loss"], "val_accuracy": ev["accuracy"]})
    best = min(search, key=lambda r: r["val_log_loss"])["C"]
    model = fit(tr_texts, y[tr_idx], c=best, char_bits=char_bits, word_bits=word_bits)
    import sklearn

    metrics: dict[str, Any] = {
        "split": "test = blake2b('clickbait-split-v1\\0' + normalised headline) % 5 == 0",
        "n_train": len(tr_texts),
        "c_search": search,
        "C": best,
        "held_out": evaluate(model, te_texts, y[te_idx]),
        "held_out_headline_like_fraction": float(is_headline_like(te_texts).mean()),
        "sklearn_version": sklearn.__version__,
    }
    if reporting_dir is not None:
        metrics["reporting_check"] = reporting_check(model, load_reporting_sentences(reporting_dir))
    model = ClickbaitModel(
        coef=model.coef,
        intercept=model.intercept,
        char_n=model.char_n,
        char_bits=model.char_bits,
        word_bits=model.word_bits,
        spans=model.spans,
        info=metrics,
    )
    return model, metrics
