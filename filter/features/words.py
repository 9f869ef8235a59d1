"""The word lists behind the cue features, read once from the data files in ``filter/lexicons/``.

Each file holds one phrase per line after ``# `` header lines that say what the list is and where it came
from (all were written by hand for this project). Cue phrases are stored as the unigrams/bigrams
:func:`filter.features.grams` produces, so a cue count is one set intersection with a paragraph's n-grams
(regex alternations over these lists ran at 2-5 MB/s, too slow).
"""

from __future__ import annotations

import re
from importlib import resources

__all__ = [
    "CUE_LEXICONS",
    "IMPERATIVE_OPENERS",
    "COMMON_CAPITALISED",
    "LEXICONS",
    "ALL_LEXICON_GRAMS",
    "load",
]

#: Words plus single punctuation marks, so that "\u00bb", "|", ":" and "\u00a9" become tokens the model can weigh.
_GRAM_TOKEN_RE = re.compile(r"\w+|[^\w\s]")


def load(name: str) -> list[str]:
    """The entries of ``filter/lexicons/<name>.txt`` in file order (header lines start with ``# ``)."""
    text = resources.files("filter").joinpath("lexicons", f"{name}.txt").read_text(encoding="utf-8")
    return [line.strip() for line in text.splitlines() if line.strip() and not line.startswith("# ")]


def _lexicon(*phrases: str) -> frozenset[str]:
    """Cue phrases as the unigrams/bigrams :func:`grams` produces, so a cue count is one set intersection
    with the paragraph's n-grams (regex alternations over these lists ran at 2-5 MB/s, too slow)."""
    out = set()
    for phrase in phrases:
        toks = _GRAM_TOKEN_RE.findall(phrase.lower())
        out.add(" ".join(toks))
    return frozenset(out)


_ATTRIB = _lexicon(*load("attribution"))
_CTA = _lexicon(*load("call_to_action"))
_CHROME = _lexicon(*load("chrome"))
_FILLER = _lexicon(*load("generic"))
_URLISH = _lexicon(*load("urlish"))
_TIMEISH = _lexicon(*load("timeish"))
#: Second-person words: promotion talks to the reader ("your inbox", "you'll love"), reporting rarely does
#: outside quotes.
_YOU = _lexicon(*load("second_person"))
#: Cue lexicons in the order of their count columns.
LEXICONS = (_ATTRIB, _CTA, _CHROME, _FILLER, _URLISH, _TIMEISH, _YOU)
#: Verbs that open a call to action when they are a paragraph's first word (imperative mood). A closed
#: list of English imperatives common in calls to action, written for this project; reporting opens with a
#: subject far more often than with a bare verb, so a hit is strong evidence whatever words follow.
IMPERATIVE_OPENERS = frozenset(load("imperative_openers"))
ALL_LEXICON_GRAMS = frozenset().union(*LEXICONS, IMPERATIVE_OPENERS)
#: The cue lexicons by name, for reader-facing cues (filter.cues).
CUE_LEXICONS: dict[str, frozenset[str]] = {
    "attribution": _ATTRIB,
    "call_to_action": _CTA,
    "chrome": _CHROME,
    "generic": _FILLER,
    "second_person": _YOU,
}
#: Capitalised only because they open a sentence: not specifics.
COMMON_CAPITALISED = frozenset(load("common_capitalised"))
