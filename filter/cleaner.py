"""Stage 4: labelled paragraphs -> the cleaned text (core paragraphs only, in order, byte for byte)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from .config import FilterConfig
from .types import LABELS, Label, Paragraph

__all__ = ["decide", "keep_core"]

_CORE = LABELS.index(Label.CORE)


def decide(probabilities: np.ndarray, config: FilterConfig) -> list[Label]:
    """Label per row: core when P(core) reaches the keep threshold, else the most likely other label.

    A threshold on P(core) rather than a plain argmax because losing a real paragraph costs the user more
    than keeping one line of chrome; the threshold is the single knob that trades the two.
    """
    if len(probabilities) == 0:
        return []
    other = np.array(probabilities, dtype=np.float64, copy=True)
    other[:, _CORE] = -1.0
    best_other = np.argmax(other, axis=1)
    keep = probabilities[:, _CORE] >= config.keep_threshold
    return [Label.CORE if k else LABELS[int(b)] for k, b in zip(keep.tolist(), best_other.tolist())]


def keep_core(paragraphs: Sequence[Paragraph], config: FilterConfig) -> str:
    """Join the core paragraphs' exact text with the configured joiner."""
    return config.joiner.join(p.text for p in paragraphs if p.label is Label.CORE)
