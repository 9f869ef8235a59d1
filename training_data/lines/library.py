"""Families of labelled lines and the loop that turns their templates into distinct lines.

A *family* is one kind of line (a newsletter pitch, an ad marker, a significance sentence ...). Its templates
are written to differ in structure, not only in nouns, and the generator cycles through them round-robin so
that every structure is represented, then applies the family's surface styles (casing, leading glyphs,
trailing punctuation). Held-out-family evaluation removes whole families, so a family must be a coherent
kind of line, and two families must not share wording (near-duplicates across families are dropped).
"""

from __future__ import annotations

import random
import sys
from dataclasses import dataclass, field
from pathlib import Path

from grammar import Slots

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from filter.training.data import line_key  # noqa: E402

__all__ = ["Family", "Template", "T", "near_key", "style_line", "GLYPHS", "EMOJI"]

GLYPHS = ["▶", "»", "→", "•", "★", ">>", "|", "–", "·", "►", "›", "■", "+", "*"]
EMOJI = ["📩", "🔔", "👉", "🎧", "📱", "📰", "🔥", "✅", "⚡", "🎁", "💬", "📣", "👀", "⭐"]


@dataclass(frozen=True)
class Template:
    text: str
    position: str = "any"


@dataclass
class Family:
    """One family of lines. ``sentences`` > 1 joins that many templates (filler paragraphs)."""

    name: str
    label: str
    templates: list[Template]
    slots: Slots = field(default_factory=dict)
    #: probabilities of the surface styles; the defaults leave the text as written
    p_upper: float = 0.0
    p_title: float = 0.0
    p_lower: float = 0.0
    p_glyph: float = 0.0
    p_emoji: float = 0.0
    p_strip_stop: float = 0.0
    min_words: int = 1
    max_words: int = 40
    #: filler: number of sentences per line is drawn from these weights (1, 2, 3, 4 sentences)
    sentence_weights: tuple[float, ...] = (1.0,)
    target: int = 260


def T(text: str, position: str = "any") -> Template:  # noqa: N802 - reads like a table row
    return Template(text, position)


_SMALL = {"a", "an", "the", "of", "in", "on", "at", "to", "for", "and", "or", "by", "with", "your", "our"}


def _title(s: str) -> str:
    out = []
    for i, w in enumerate(s.split(" ")):
        if w.startswith(("@", "http", "www")) or (i and w.lower() in _SMALL):
            out.append(w)
        else:
            out.append(w[:1].upper() + w[1:])
    return " ".join(out)


def _upper(s: str) -> str:
    # Keep URLs and handles as typed: sites upper-case the label, not the link.
    return " ".join(
        w if w.startswith(("@", "http", "www")) or ".co" in w else w.upper() for w in s.split(" ")
    )


def style_line(text: str, fam: Family, rng: random.Random) -> str:
    """Apply one family's surface styles; each style is an independent draw."""
    r = rng.random()
    if r < fam.p_upper:
        text = _upper(text)
    elif r < fam.p_upper + fam.p_title:
        text = _title(text)
    elif r < fam.p_upper + fam.p_title + fam.p_lower:
        text = text.lower()
    if text and text[-1] in ".!" and rng.random() < fam.p_strip_stop:
        text = text[:-1]
    if rng.random() < fam.p_glyph:
        text = f"{rng.choice(GLYPHS)} {text}"
    elif rng.random() < fam.p_emoji:
        e = rng.choice(EMOJI)
        text = rng.choice([f"{e} {text}", f"{e} {text}", f"{text} {e}", f"{e}{text}"])
    return text


def near_key(text: str) -> str:
    """The project's near-duplicate key (:func:`filter.data.line_key`), so generator and checker agree."""
    return line_key(text)
