"""Calibration of the paragraph model's final probabilities: pass 2 blended with pass 1 and
temperature-scaled, the two parameters fitted on held-out groups."""

from __future__ import annotations

import numpy as np

__all__ = [
    "CALIBRATION_SHARE",
    "OWN_WEIGHTS",
    "TEMPERATURES",
    "calibration_rows",
    "calibrated",
    "fit_calibration",
]

#: Share of training groups (sites/articles) held out of pass 2's training to fit the calibration: 10%
#: leaves pass 2 90% of the rows and gives the two calibration parameters tens of thousands of rows.
CALIBRATION_SHARE = 0.1
#: Grids searched by :func:`fit_calibration` (coarse on purpose: two parameters, held-out NLL is flat
#: near its minimum, and a coarse grid cannot overfit the calibration rows).
OWN_WEIGHTS = (0.0, 0.15, 0.3, 0.45, 0.6)
TEMPERATURES = (0.5, 0.7, 0.85, 1.0, 1.2, 1.5, 2.0, 2.5, 3.0)


def calibration_rows(groups: np.ndarray) -> np.ndarray:
    """Rows whose group hashes into the calibration share (stable across runs: crc32 of the group name)."""
    import zlib

    uniq, inverse = np.unique(np.asarray(groups).astype(str), return_inverse=True)
    picked = np.array([zlib.crc32(("calib:" + g).encode()) % 1000 < CALIBRATION_SHARE * 1000 for g in uniq])
    return picked[inverse.ravel()] if len(uniq) > 1 else np.zeros(len(groups), dtype=bool)


def calibrated(p2: np.ndarray, p1: np.ndarray, own_weight: float, temperature: float) -> np.ndarray:
    """Pass 2's probabilities blended with pass 1's own-text ones (geometrically) and temperature-scaled.

    Why blend: pass 2 judges a paragraph by its neighbours too, and must not overrule strong evidence in
    the paragraph's own text (a newsletter prompt among reporting paragraphs is still a prompt); a
    geometric blend lets a confident pass 1 veto a context-driven flip. Why a temperature: a small
    perceptron trained on log loss over many near-duplicate rows is over-confident (nearly every
    paragraph of the seed article showed P = 1.00).
    """
    if own_weight == 0.0 and temperature == 1.0:
        return p2
    eps = 1e-9
    z = (
        (1.0 - own_weight) * np.log(np.maximum(p2, eps)) + own_weight * np.log(np.maximum(p1, eps))
    ) / temperature
    z -= z.max(axis=1, keepdims=True)
    e = np.exp(z)
    e[(p2 <= 0) & (p1 <= 0)] = 0.0  # a label neither pass can produce stays impossible
    return e / e.sum(axis=1, keepdims=True)


def fit_calibration(p2: np.ndarray, p1: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    """(own_weight, temperature) minimising the mean negative log-likelihood of held-out rows."""
    best = (0.0, 1.0)
    best_nll = np.inf
    rows = np.arange(len(y))
    for w in OWN_WEIGHTS:
        for t in TEMPERATURES:
            p = calibrated(p2, p1, w, t)
            nll = float(-np.mean(np.log(np.maximum(p[rows, y], 1e-12))))
            if nll < best_nll - 1e-6:
                best, best_nll = (w, t), nll
    return best
