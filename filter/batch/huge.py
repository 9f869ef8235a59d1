"""Cleaning an enormous document with memory bounded by a few model windows, not by the document."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..api import ArticleFilter

__all__ = ["HUGE_CHARS", "clean_huge"]

#: Documents longer than this are cleaned window by window (:func:`clean_huge`) instead of in one
#: vectorised call, whose paragraph list and feature matrices grow with the document (a 200 MB text file
#: peaked at 14.8 GB that way). Four model windows: below it the one-call path is cheaper. Windows are
#: taken one at a time: with the character n-gram and shape features, groups of four windows peaked at
#: 2.6 GB on the 200 MB test file (tests/test_bad_input.py, marked slow), one at a time stays under 2 GB.
HUGE_CHARS = 8_000_000


def clean_huge(flt: ArticleFilter, text: str) -> str:
    """``flt.clean(text)`` for an enormous document with memory bounded by a few windows, not the document.

    The pipeline of :meth:`ArticleFilter._predict`, applied to groups of the same paragraph-aligned windows
    the model sees anyway (``config.max_document_chars``; the features of a window do not depend on other
    windows), so the result is identical to the one-call path. Plain text keeps only (start, end) offsets
    per paragraph; HTML is rendered to blocks first (its text is far smaller than its markup).
    """
    from .. import cleaner, segment
    from ..types import Label

    cfg = flt.config
    if cfg.detect_html and segment.looks_like_html(text):
        spans: Sequence[tuple[int, int]] | None = None
        blocks = segment.html_to_blocks(text)
        lengths = [len(b[0]) for b in blocks]
    else:
        spans = segment._segment_plain(text)
        blocks = []
        lengths = [e - s for s, e in spans]

    def para(i: int) -> str:
        if spans is None:
            return blocks[i][0]
        s, e = spans[i]
        return text[s:e]

    # window boundaries exactly as filter.api._windows draws them
    windows: list[tuple[int, int]] = []
    start, size = 0, 0
    for i, n in enumerate(lengths):
        if i > start and size + n > cfg.max_document_chars:
            windows.append((start, i))
            start, size = i, 0
        size += n
    windows.append((start, len(lengths)))
    kept: list[str] = []
    group = 1  # one window at a time: the features of a 2M-character window already cost ~0.5 GB
    for g in range(0, len(windows), group):
        docs = [[para(i) for i in range(a, b)] for a, b in windows[g : g + group]]
        labels = cleaner.decide(flt.model.predict_proba_features(flt.model.features(docs)), cfg)
        flat = [p for doc in docs for p in doc]
        kept.extend(p for p, label in zip(flat, labels, strict=True) if label is Label.CORE)
    return cfg.joiner.join(kept)
