"""Features that carry page structure: repeated paragraphs and the page's main block of reporting."""

from __future__ import annotations

import numpy as np

from filter.context import BLOCK_NAMES, block_columns
from filter.features import DENSE_NAMES, build_vocabulary, extract
from filter.types import LABELS, Label

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


def _p1(core: list[float]) -> np.ndarray:
    p = np.zeros((len(core), len(LABELS)))
    p[:, LABELS.index(Label.CORE)] = core
    p[:, LABELS.index(Label.BOILERPLATE)] = 1 - np.asarray(core)
    return p


def test_main_block_is_the_heaviest_run_of_long_core_paragraphs() -> None:
    long = "The council said the plan would cost 4 million and take two years to finish, officials said."
    comment = "I have lived here for years and I think this is a terrible idea for everyone who uses it."
    doc = ["Home", "News", long, long, "Share this", long, "Comments (3)", "x", "y", "z", "w", comment]
    vocab = build_vocabulary(doc, min_df=1)
    fs = extract([doc], vocab)
    core = [0.1, 0.1, 0.9, 0.9, 0.2, 0.9, 0.1, 0.1, 0.1, 0.1, 0.1, 0.8]
    cols = block_columns(_p1(core), fs)
    col = {name: cols[:, i] for i, name in enumerate(BLOCK_NAMES)}
    # rows 2-5 form the block (the share line is a gap of one); the comment is a separate, lighter run
    np.testing.assert_array_equal(col["in_main_block"], [0, 0, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0])
    assert col["log_rows_before_block"][0] == np.log1p(2)
    assert col["log_rows_after_block"][11] == np.log1p(6)
    assert col["log_rows_after_block"][3] == 0
    assert np.all(col["has_main_block"] == 1)
    assert 0 < col["main_block_share"][0] < 1
    assert col["core_mass_before"][0] == 0 and col["core_mass_before"][11] > 0.7


def test_a_page_without_reporting_has_no_main_block() -> None:
    doc = ["Home", "News", "Sport"]
    fs = extract([doc], build_vocabulary(doc, min_df=1))
    cols = block_columns(_p1([0.9, 0.9, 0.9]), fs)  # core-looking, but all short
    block = [i for i, name in enumerate(BLOCK_NAMES) if name != "core_mass_before"]
    assert not cols[:, block].any()
    np.testing.assert_allclose(cols[:, BLOCK_NAMES.index("core_mass_before")], [0, 1 / 3, 2 / 3])
