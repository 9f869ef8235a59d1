"""Pass 2 of the paragraph model: the context matrix (pass-1 probabilities of a paragraph, its neighbours
and its page, plus the dense features) and the compiled perceptron that reads it, with the probability
helpers both passes share. Plain numpy: scikit-learn is only used to train (see :mod:`filter.model`)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from .features import FeatureSet
from .persist import ArrayAttr, Persistent
from .types import LABELS

__all__ = [
    "CONTEXT_OFFSETS",
    "N_LABELS",
    "MISSING_COLS",
    "Perceptron",
    "context_matrix",
    "expit",
    "ovr_proba",
]

#: Neighbours whose pass-1 probabilities pass 2 sees. +-3 covers a related-links block of 3-6 lines from
#: its middle.
CONTEXT_OFFSETS = (-3, -2, -1, 1, 2, 3)
N_LABELS = len(LABELS)


def expit(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.clip(x, -500, 500)))


def ovr_proba(scores: np.ndarray) -> np.ndarray:
    """scikit-learn's one-vs-rest logistic probabilities: sigmoid per class, normalised to sum 1."""
    p = expit(scores)
    s = p.sum(axis=1, keepdims=True)
    s[s == 0] = 1.0
    return p / s


def _softmax(raw: np.ndarray) -> np.ndarray:
    z = raw - raw.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


def context_matrix(p1: np.ndarray, fs: FeatureSet) -> np.ndarray:
    n = p1.shape[0]
    lengths = np.diff(fs.doc_offsets)
    doc_of = np.repeat(np.arange(len(lengths)), lengths)
    parts = [p1]
    for off in CONTEXT_OFFSETS:
        shifted = np.full_like(p1, np.nan)
        idx = np.arange(n) + off
        ok = (idx >= 0) & (idx < n)
        ok[ok] &= doc_of[idx[ok]] == doc_of[ok]
        shifted[ok] = p1[idx[ok]]
        parts.append(shifted)
    # Document-level means of pass-1 probabilities: a page that is mostly chrome vs mostly reporting.
    sums = np.add.reduceat(p1, fs.doc_offsets[:-1][lengths > 0], axis=0) if n else np.zeros((0, N_LABELS))
    means = np.repeat(sums / lengths[lengths > 0, None], lengths[lengths > 0], axis=0)
    parts.append(means)
    parts.append(fs.dense)
    return np.hstack(parts)


@dataclass
class Perceptron(Persistent):
    """A scikit-learn MLPClassifier (ReLU, one hidden layer) plus its input scaling, as numpy arrays."""

    ARRAYS = (
        ArrayAttr("mean", "float64", ("context_inputs",)),
        ArrayAttr("scale", "float64", ("context_inputs",)),
        ArrayAttr("w1", "float64", ("context_inputs", "hidden")),
        ArrayAttr("b1", "float64", ("hidden",)),
        ArrayAttr("w2", "float64", ("hidden", "context_scores")),
        ArrayAttr("b2", "float64", ("context_scores",)),
        ArrayAttr("classes", "int64", ("context_classes",)),
    )

    mean: np.ndarray
    scale: np.ndarray
    w1: np.ndarray
    b1: np.ndarray
    w2: np.ndarray
    b2: np.ndarray
    classes: np.ndarray

    @staticmethod
    def prepare(X: np.ndarray) -> np.ndarray:
        """Missing neighbours (NaN) become 0 plus a per-column missing indicator."""
        missing = np.isnan(X)
        return np.hstack([np.nan_to_num(X, nan=0.0), missing[:, MISSING_COLS].astype(np.float64)])

    @classmethod
    def compile(cls, mlp: Any, mean: np.ndarray, scale: np.ndarray) -> Perceptron:
        return cls(
            mean=mean,
            scale=scale,
            w1=np.asarray(mlp.coefs_[0]),
            b1=np.asarray(mlp.intercepts_[0]),
            w2=np.asarray(mlp.coefs_[1]),
            b2=np.asarray(mlp.intercepts_[1]),
            classes=np.asarray(mlp.classes_, dtype=np.int64),
        )

    @classmethod
    def merge(cls, members: Sequence[Perceptron]) -> Perceptron:
        """One perceptron whose logits are the mean of the members' logits (members share the input
        scaling): hidden layers side by side, output weights divided by k. Exact, not an approximation,
        so the merged model is saved and loaded like any other."""
        if len(members) == 1:
            return members[0]
        first = members[0]
        return cls(
            mean=first.mean,
            scale=first.scale,
            w1=np.hstack([m.w1 for m in members]),
            b1=np.concatenate([m.b1 for m in members]),
            w2=np.vstack([m.w2 for m in members]) / len(members),
            b2=np.mean([m.b2 for m in members], axis=0),
            classes=first.classes,
        )

    def scaled(self, X: np.ndarray) -> np.ndarray:
        return np.clip((self.prepare(X) - self.mean) / self.scale, -8, 8)

    def proba(self, X: np.ndarray) -> np.ndarray:
        h = np.maximum(self.scaled(X) @ self.w1 + self.b1, 0.0)
        out = h @ self.w2 + self.b2
        if out.shape[1] == 1:
            p = expit(out[:, 0])
            return np.column_stack([1 - p, p])
        return _softmax(out)


# Columns of the context matrix whose NaN (no such neighbour) gets an indicator: the first label column
# of each neighbour offset.
MISSING_COLS = [N_LABELS * (1 + i) for i in range(len(CONTEXT_OFFSETS))]
