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


def test_small_batches_look_bigrams_up_like_the_table() -> None:
    """Small batches skip the bigram table (cold start, issue 12); the ids must be the table's exactly."""
    import random

    from filter.api import load_model
    from filter.features import lexical

    vocab = load_model().model.vocabulary
    rng = random.Random(5)
    words = [w for w in vocab if " " not in w][:3000] + ["zqxjunknown", "\x01", "READ", "More:", "»", "—"]
    heads = [" ".join(rng.choice(words) for _ in range(rng.randint(0, 60))) for _ in range(300)]
    pairs = [g for g in vocab if g.count(" ") == 1]
    heads += [" ".join(rng.sample(pairs, 20)) for _ in range(50)]  # runs of known bigrams
    heads += ["Sign up for our newsletter", "", "Only time will tell.", "a \x01 b \x01\x01 c"]
    toks = lexical._GRAM_TOKEN_RE.findall(lexical._ROW_SEP.join(heads).lower())
    small_uni, small_bi = lexical._small_batch_ids(toks, vocab)
    table_uni, table_bi = lexical._table_ids(toks, vocab)
    assert (small_bi >= 0).sum() > 1000  # the texts do contain known bigrams
    np.testing.assert_array_equal(small_uni, table_uni)
    np.testing.assert_array_equal(small_bi, table_bi)
