"""Reasons a reader recognises for a paragraph's label: the phrase, the price, the attribution, the opener.

Why a module of its own: cues are what the review page and ``classify`` show a person, so they name the
words on the page ("opens with 'Subscribe'", "price '$4.99'", "attribution 'said'"), not the model's
internal features, and never function words ("word 'using'" explained nothing). The model supplies the
dense feature row (which cue families fired) and, last, its most telling word n-grams.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping

from . import features
from .features.words import load
from .types import Label

__all__ = ["reader_cues", "telling", "FUNCTION_WORDS"]

_FIRST_TOKEN_RE = re.compile(r"\s*(\S+)")
_PRICE_RE = re.compile(
    r"[$\u20ac\u00a3\u00a5\u20b9]\s?\d[\d,.]*|\b\d[\d,.]*\s?(?:USD|EUR|GBP|dollars?|euros?|pounds?)\b", re.I
)
_PERCENT_RE = re.compile(r"\d[\d,.]*\s?%|\bper ?cent\b", re.I)
_CODE_RE = re.compile(r"\b[A-Z]{2,}\d{2,}\b")
_HANDLE_RE = re.compile(r"(?<!\w)[@#][A-Za-z_]\w{1,}")
_NUMBER_RE = re.compile(r"\b\d[\d,.:\-]*\d\b|\b\d\b")


def _found(pattern: re.Pattern[str], text: str) -> str | None:
    m = pattern.search(text[: features.PATTERN_HEAD])
    return m.group(0).strip() if m else None


def _phrase(lexicon: frozenset[str], grams: list[str]) -> str | None:
    """The longest cue phrase of ``lexicon`` that the paragraph contains (bigrams before unigrams)."""
    hits = [g for g in grams if g in lexicon]
    return max(hits, key=lambda g: (g.count(" "), len(g))) if hits else None


#: Never shown as a cue on their own: function words, and common words that carry weight in the model but
#: tell a reader nothing (``filter/lexicons/function_words.txt``).
FUNCTION_WORDS = frozenset(load("function_words"))


def telling(gram: str) -> bool:
    """A cue worth showing: every token has a letter and at least one is not a function word."""
    toks = gram.split(" ")
    return all(len(t) > 1 and any(c.isalpha() for c in t) for t in toks) and any(
        t not in FUNCTION_WORDS for t in toks
    )


_Add = Callable[[float, "str | None"], None]


def reader_cues(
    text: str,
    label: Label,
    f: Mapping[str, float],
    lexical: Callable[[list[str]], list[str]],
    n: int = 3,
) -> tuple[str, ...]:
    """Up to ``n`` cues for ``label`` from the paragraph's text and its dense features ``f`` (name -> value).

    ``lexical(grams)`` returns the model's most telling n-grams for the label, strongest first.
    """
    if n <= 0:
        return ()
    grams = features.grams(text[:600])
    named: list[tuple[float, str]] = []

    def add(weight: float, cue: str | None) -> None:
        if cue:
            named.append((weight, cue))

    if label is not Label.CORE:
        _promotion_cues(text, f, grams, add)
        _chrome_and_filler_cues(text, label, f, grams, add)
    else:
        _core_cues(text, f, grams, add)
    cues = [c for _, c in sorted(named, key=lambda wc: -wc[0])]
    seen = set(cues)
    for gram in lexical(grams):
        cue = f"words '{gram}'" if " " in gram else f"word '{gram}'"
        if cue not in seen and not any(gram in c for c in cues):
            cues.append(cue)
    return tuple(cues[:n])


def _promotion_cues(text: str, f: Mapping[str, float], grams: list[str], add: _Add) -> None:
    """Cues of a non-core paragraph, first part: the opener, calls to action, prices and codes, phrases."""
    if f.get("imperative_first", 0) > 0:
        m = _FIRST_TOKEN_RE.match(text)
        add(3.2, f"opens with '{m.group(1)}'" if m else None)
    if f.get("cta_count", 0) > 0:
        p = _phrase(features.CUE_LEXICONS["call_to_action"], grams)
        add(3.0, f"call to action '{p}'" if p else "call-to-action phrase")
    for name, pattern, weight in (
        ("price", _PRICE_RE, 2.8),
        ("percentage", _PERCENT_RE, 2.0),
        ("promo code", _CODE_RE, 2.7),
        ("handle", _HANDLE_RE, 2.4),
    ):
        hit = _found(pattern, text)
        add(weight, f"{name} '{hit}'" if hit else None)
    if f.get("filler_count", 0) > 0:
        p = _phrase(features.CUE_LEXICONS["generic"], grams)
        add(2.6, f"generic phrase '{p}'" if p else None)
    if f.get("you_count", 0) > 0:
        # "u" is in the lexicon for texting-style prompts, but "U.S." tokenises to "u" too: never shown
        p = _phrase(features.CUE_LEXICONS["second_person"] - {"u"}, grams)
        add(1.8, f"addresses the reader ('{p}')" if p else None)


def _chrome_and_filler_cues(
    text: str, label: Label, f: Mapping[str, float], grams: list[str], add: _Add
) -> None:
    """Cues of a non-core paragraph, second part: site chrome, glyphs, emoji, no specifics, short runs."""
    if f.get("chrome_count", 0) > 0:
        p = _phrase(features.CUE_LEXICONS["chrome"], grams)
        add(2.2, f"site chrome '{p}'" if p else None)
    if f.get("glyph_first", 0) > 0:
        m = _FIRST_TOKEN_RE.match(text)
        add(1.9, f"opens with '{m.group(1)[:3]}'" if m else None)
    if f.get("emoji_count", 0) > 0:
        add(1.2, "emoji")
    if label is Label.FILLER and f.get("novel_specifics", 0) == 0 and f.get("number_count", 0) == 0:
        add(1.7, "no names or figures of its own")
    if f.get("short_run", 0) >= 1.38:  # log1p(3): part of a run of 3+ short lines
        add(1.5, "in a run of short lines")


def _core_cues(text: str, f: Mapping[str, float], grams: list[str], add: _Add) -> None:
    """Cues of a core paragraph: attribution, quotation, figures, names new to the article."""
    if f.get("attrib_count", 0) > 0:
        p = _phrase(features.CUE_LEXICONS["attribution"], grams)
        add(2.5, f"attribution '{p}'" if p else None)
    if f.get("quote_count", 0) > 0:
        add(2.0, "quotation")
    hit = _found(_NUMBER_RE, text)
    add(1.6, f"figures '{hit}'" if hit else None)
    if f.get("novel_specifics", 0) >= 2:
        add(1.4, f"names or figures new to the article ({int(f['novel_specifics'])})")
