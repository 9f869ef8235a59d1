"""A tiny slot-filling template engine.

Templates are plain strings with ``{slot}`` fields. A slot value is a string (fixed for the story, e.g. the
main person's name), a list (one item drawn per use) or a callable taking the RNG (a fresh value per use,
e.g. a number). Keeping story facts fixed while numbers vary per sentence gives documents that read as one
story without repeating the same figure everywhere.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable, Mapping

SlotValue = str | list[str] | Callable[[random.Random], str]
Slots = Mapping[str, SlotValue]

_FIELD = re.compile(r"\{(\w+)\}")


def fill(template: str, slots: Slots, rng: random.Random, capitalize: bool = True) -> str:
    """Replace every ``{slot}``; a list or callable value is drawn afresh for each occurrence.

    Filled values may themselves contain slots (a drawn phrase like ``"the {town} depot"``), so filling is
    repeated a few times until no field is left.
    """

    def one(m: re.Match[str]) -> str:
        key = m.group(1)
        if key not in slots:
            raise KeyError(f"template slot {{{key}}} has no value in: {template!r}")
        value = slots[key]
        if isinstance(value, str):
            return value
        if isinstance(value, list):
            return rng.choice(value)
        return value(rng)

    text = template
    for _ in range(4):
        if "{" not in text:
            break
        text = _FIELD.sub(one, text)
    return cap(text) if capitalize else text


def cap(text: str) -> str:
    """Upper-case the first letter (after any opening quote), leave the rest alone."""
    for i, ch in enumerate(text):
        if ch.isalpha():
            return text[:i] + ch.upper() + text[i + 1 :]
        if ch not in "\"'“‘(":
            return text
    return text


def pick(rng: random.Random, items: list[str], k: int) -> list[str]:
    """``k`` distinct items (fewer if the list is shorter), in random order."""
    return rng.sample(items, min(k, len(items)))
