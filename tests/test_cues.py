"""Cues name what a reader recognises on the page, never bare function words (filter.cues)."""

from __future__ import annotations

from filter import Label, load_model
from filter.cues import FUNCTION_WORDS

ARTICLE = """The Harrowgate council voted 7-2 on Tuesday to close the Mill Lane library from March, the mayor said.

Subscribe today and get 50% off your first year for just $4.99 a month with code READ50.

About 1,200 residents signed a petition against the closure, according to campaigners.

Only time will tell what this means for the town and everyone who calls it home."""


def test_cues_name_the_phrase_the_price_and_the_attribution() -> None:
    paragraphs = load_model().classify(ARTICLE)
    by_text = {p.text[:20]: p for p in paragraphs}
    promo = by_text["Subscribe today and "]
    assert promo.label is Label.PROMOTION
    assert any(c.startswith("opens with 'Subscribe'") for c in promo.cues)
    assert any(
        "price '$4.99'" == c or "percentage '50%'" == c or "promo code 'READ50'" == c for c in promo.cues
    )
    report = by_text["About 1,200 resident"]
    assert report.label is Label.CORE
    assert "attribution 'according to'" in report.cues
    for p in paragraphs:
        for cue in p.cues:
            if cue.startswith("word '"):
                assert cue[6:-1] not in FUNCTION_WORDS, cue


def test_clickbait_score_only_on_headline_shaped_lines() -> None:
    text = "You Won't Believe What This Council Did Next\n\n" + ARTICLE
    paragraphs = load_model().classify(text)
    assert paragraphs[0].clickbait is not None and paragraphs[0].clickbait > 0.5
    assert all(p.clickbait is None for p in paragraphs[1:])  # sentences, not headlines
