"""A tiny template grammar, so that one written template yields many wordings without swapping only nouns.

Syntax (chosen to be readable inside long English templates):

* ``[a|b|c]``: one alternative, uniformly; ``[|x]`` makes ``x`` optional. Alternatives may nest.
* ``{slot}``: a value from the slot table (a list of strings, itself expanded, or a function of the RNG).
* ``⟦`` and ``⟧`` are literal square brackets in the output (``⟦Ad⟧`` -> ``[Ad]``).

Expansion is innermost-first and driven only by the ``random.Random`` passed in, so a seeded RNG gives the
same text on every machine and Python version.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable, Mapping, Sequence

__all__ = ["Slot", "Slots", "expand", "tidy"]

Slot = Sequence[str] | Callable[[random.Random], str]
Slots = Mapping[str, Slot]

_CHOICE = re.compile(r"\[([^\[\]]*)\]")
_SLOT = re.compile(r"\{([A-Za-z_0-9]+)\}")
_MAX_ROUNDS = 40


def expand(template: str, rng: random.Random, slots: Slots) -> str:
    """Resolve every choice and slot of ``template``; raise ``KeyError`` naming an unknown slot."""
    text = template
    for _ in range(_MAX_ROUNDS):
        before = text
        m = _CHOICE.search(text)
        while m:
            options = m.group(1).split("|")
            text = text[: m.start()] + rng.choice(options) + text[m.end() :]
            m = _CHOICE.search(text)
        m = _SLOT.search(text)
        if m:
            name = m.group(1)
            if name not in slots:
                raise KeyError(f"unknown slot {{{name}}} in template {template!r}")
            slot = slots[name]
            value = slot(rng) if callable(slot) else rng.choice(list(slot))
            text = text[: m.start()] + value + text[m.end() :]
        if text == before:
            break
    else:  # pragma: no cover - a recursive slot table
        raise ValueError(f"template did not converge: {template!r}")
    return tidy(text.replace("⟦", "[").replace("⟧", "]"))


_SPACES = re.compile(r"\s+")
_SPACE_BEFORE_PUNCT = re.compile(r"\s+([,.;:!?)])")


def tidy(text: str) -> str:
    """Collapse spaces left by empty optional parts, and drop a space before punctuation."""
    text = _SPACES.sub(" ", text).strip()
    text = _SPACE_BEFORE_PUNCT.sub(r"\1", text)
    text = text.replace("( ", "(").replace(" ,", ",").replace(",,", ",").replace("..", ".")
    return text
