"""Stage 3: features -> label probabilities, with a context pass that makes neighbours consistent.

Pass 1 is a linear model (SGD, logistic loss) over hashed words, hashed character n-grams and scaled
hand-made features: fast, small, and good at the lexical cues. Pass 2 is a gradient-boosted tree model that
sees pass 1's probabilities for the paragraph and its neighbours (+-3) plus the hand-made features, so a lone
short line among long reporting paragraphs, or a headline in a run of headlines, is judged in context.
Pass 2 is trained on *out-of-fold* pass-1 probabilities (grouped by site/article), otherwise it would learn
to trust pass 1's over-confident scores on its own training data.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import scipy.sparse as sp
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.linear_model import SGDClassifier
from sklearn.model_selection import GroupKFold
from sklearn.preprocessing import StandardScaler

from .features import DENSE_NAMES, FeatureSet, text_vectorizers
from .types import LABELS

__all__ = ["ParagraphModel", "ModelParams", "CONTEXT_OFFSETS"]

#: Neighbours whose pass-1 probabilities pass 2 sees. +-3 covers a related-links block of 3-6 lines from
#: its middle; wider windows added nothing on the held-out split in development runs.
CONTEXT_OFFSETS = (-3, -2, -1, 1, 2, 3)
N_LABELS = len(LABELS)


@dataclass(frozen=True)
class ModelParams:
    """Training parameters, recorded in the model card."""

    seed: int = 0
    #: L2 strength of pass 1; 2e-6 was best of {1e-6, 2e-6, 1e-5, 1e-4} on held-out macro F1 in development.
    alpha: float = 2e-6
    epochs: int = 8
    folds: int = 3
    #: Pass 2 boosting rounds/leaves: small, to keep prediction fast and the model file small.
    boost_iter: int = 150
    boost_leaves: int = 31
    boost_lr: float = 0.1
    #: Converter renderings of each HTML page used for training (0 = all); see training.thin_renderings.
    renderings_per_page: int = 1
    extra: dict[str, Any] = field(default_factory=dict)


def _stage1_matrix(fs: FeatureSet, scaler: StandardScaler) -> sp.csr_matrix:
    dense = np.nan_to_num(fs.dense, nan=0.0)
    scaled = scaler.transform(dense).astype(np.float32)
    np.clip(scaled, -5, 5, out=scaled)
    return sp.hstack([fs.words, fs.chars, sp.csr_matrix(scaled)], format="csr")


def _context_matrix(p1: np.ndarray, fs: FeatureSet) -> np.ndarray:
    n = p1.shape[0]
    doc_of = np.zeros(n, dtype=np.int64)
    for d in range(len(fs.doc_offsets) - 1):
        doc_of[fs.doc_offsets[d] : fs.doc_offsets[d + 1]] = d
    parts = [p1]
    for off in CONTEXT_OFFSETS:
        shifted = np.full_like(p1, np.nan)
        idx = np.arange(n) + off
        ok = (idx >= 0) & (idx < n)
        ok[ok] &= doc_of[idx[ok]] == doc_of[ok]
        shifted[ok] = p1[idx[ok]]
        parts.append(shifted)
    # Document-level means of pass-1 probabilities: a page that is mostly chrome vs mostly reporting.
    means = np.zeros_like(p1)
    for d in range(len(fs.doc_offsets) - 1):
        a, b = fs.doc_offsets[d], fs.doc_offsets[d + 1]
        if b > a:
            means[a:b] = p1[a:b].mean(axis=0)
    parts.append(means)
    parts.append(fs.dense)
    return np.hstack(parts)


class ParagraphModel:
    """The two-pass paragraph classifier. ``classes_`` follow :data:`filter.types.LABELS`."""

    def __init__(self, params: ModelParams | None = None) -> None:
        self.params = params or ModelParams()
        self.scaler = StandardScaler()
        self.stage1: SGDClassifier | None = None
        self.stage2: HistGradientBoostingClassifier | None = None
        self.feature_names = list(DENSE_NAMES)

    # ----------------------------------------------------------------------------------------- training
    def _new_stage1(self) -> SGDClassifier:
        return SGDClassifier(
            loss="log_loss",
            alpha=self.params.alpha,
            max_iter=self.params.epochs,
            tol=None,
            random_state=self.params.seed,
            average=True,
        )

    def fit(self, fs: FeatureSet, y: np.ndarray, groups: np.ndarray, sample_weight: np.ndarray | None = None
            ) -> ParagraphModel:
        """Fit both passes. ``y`` holds label indices into LABELS; ``groups`` are split keys per row."""
        y = np.asarray(y)
        self.scaler.fit(np.nan_to_num(fs.dense, nan=0.0))
        X1 = _stage1_matrix(fs, self.scaler)
        oof = np.zeros((X1.shape[0], N_LABELS))
        n_groups = len(np.unique(groups))
        folds = min(self.params.folds, n_groups)
        if folds >= 2:
            for train_idx, test_idx in GroupKFold(n_splits=folds).split(X1, y, groups):
                clf = self._new_stage1()
                clf.fit(X1[train_idx], y[train_idx],
                        sample_weight=None if sample_weight is None else sample_weight[train_idx])
                oof[test_idx] = self._proba_fixed(clf, X1[test_idx])
        self.stage1 = self._new_stage1()
        self.stage1.fit(X1, y, sample_weight=sample_weight)
        if folds < 2:
            oof = self._proba_fixed(self.stage1, X1)
        # Halve the memory and file size of the largest arrays; float32 loses nothing measurable here.
        self.stage1.coef_ = self.stage1.coef_.astype(np.float32)
        X2 = _context_matrix(oof, fs)
        self.stage2 = HistGradientBoostingClassifier(
            max_iter=self.params.boost_iter,
            max_leaf_nodes=self.params.boost_leaves,
            learning_rate=self.params.boost_lr,
            early_stopping=False,
            random_state=self.params.seed,
        )
        self.stage2.fit(X2, y, sample_weight=sample_weight)
        return self

    @staticmethod
    def _proba_fixed(clf: Any, X: Any) -> np.ndarray:
        """Probabilities in LABELS order even when a class was absent from the training fold."""
        proba = clf.predict_proba(X)
        out = np.zeros((X.shape[0], N_LABELS))
        out[:, np.asarray(clf.classes_, dtype=np.int64)] = proba
        return out

    # --------------------------------------------------------------------------------------- prediction
    def stage1_proba(self, fs: FeatureSet) -> np.ndarray:
        if self.stage1 is None:
            raise RuntimeError("model is not trained")
        if fs.n_rows == 0:
            return np.zeros((0, N_LABELS))
        return self._proba_fixed(self.stage1, _stage1_matrix(fs, self.scaler))

    def predict_proba(self, fs: FeatureSet) -> np.ndarray:
        """Probabilities (rows: paragraphs, columns: LABELS order)."""
        if self.stage2 is None:
            raise RuntimeError("model is not trained")
        if fs.n_rows == 0:
            return np.zeros((0, N_LABELS))
        p1 = self.stage1_proba(fs)
        return self._proba_fixed(self.stage2, _context_matrix(p1, fs))

    def word_contributions(self, text_tokens: Sequence[str], label_index: int) -> list[tuple[str, float]]:
        """Pass-1 weight of each word for one label: the lexical part of a paragraph's cues."""
        if self.stage1 is None:
            return []
        words_vec, _ = text_vectorizers()
        out = []
        coef = self.stage1.coef_[label_index]
        for tok in text_tokens:
            col = words_vec.transform([tok]).indices
            if len(col):
                out.append((tok, float(coef[col[0]])))
        return out
