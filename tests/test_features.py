"""Features that carry page structure: repeated paragraphs of a document."""

from __future__ import annotations

import numpy as np

from filter.features import DENSE_NAMES, build_vocabulary, extract

STORY = [
    "Halvik council voted 7 to 2 on Tuesday to close the Marrow Street library in March.",
    "Also Check Out: Ten Gadgets Every Kitchen Needs Right Now",
    "The library opened in 1911 and lends about 40,000 books a year, according to Ottersey figures.",
]


def _columns(documents: list[list[str]]) -> np.ndarray:
    vocab = build_vocabulary([p for d in documents for p in d], min_df=1)
    return extract(documents, vocab).dense


def test_a_story_pasted_twice_keeps_its_novel_specifics() -> None:
    """Each copy of a paragraph has the same novel-specifics count as in the single story."""
    once = _columns([STORY])
    twice = _columns([STORY + STORY])
    for name in ("novel_specifics", "shared_specific_share"):
        j = DENSE_NAMES.index(name)
        np.testing.assert_array_equal(twice[:3, j], once[:, j], err_msg=name)
        np.testing.assert_array_equal(twice[3:, j], once[:, j], err_msg=name)
    # and the promotion line's specifics (Gadgets, Kitchen) are new to the story, not shared with it
    assert once[1, DENSE_NAMES.index("novel_specifics")] > 0
