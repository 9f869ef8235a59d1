"""Which language a document is in, cheaply, with a model that ships inside a PyPI wheel.

Why: the shipped paragraph model was trained on English only. Given French or Italian it labels every paragraph
filler or boilerplate and ``clean`` returned an empty string with no notice. Knowing the language lets
:mod:`filter.verdict` keep such text and say why, instead of silently deleting it.

Detector: ``py3langid`` (BSD-3-Clause; 4.6 MB wheel, 140 language labels, pure Python + numpy). Its naive-Bayes model is
``py3langid/data/model.npz.xz`` inside the wheel, read with ``numpy.load(allow_pickle=False)``: nothing is
downloaded and nothing is unpickled. Loading it takes about 0.6 s, so it is loaded lazily, once per process,
and only for documents that are not plainly English (below).

Two stages, because the filter itself is fast (about 1 ms per 2,000-character article, batched) and py3langid
walks its byte automaton in pure Python (about 0.45 microseconds per byte: 1.1 ms for a 2,500-character sample),
so running it on every document would double the cost of ``clean``:

1. *English function words*: if at least ``EN_SHARE`` of the sample's words are common English function words
   (``the``, ``of``, ``and``, ``said``...) the document is English. This costs tens of microseconds.
2. Otherwise py3langid decides on the same sample, which keeps every non-English document and every doubtful one
   (menus, lists, mixed text) on the real detector.

The sample is the longest paragraphs (up to ``FilterConfig.language_sample_chars``): long paragraphs are the
running text, short ones are menus, names and numbers that carry little language signal.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

__all__ = ["LanguageGuess", "detect_language", "language_sample", "english_share", "UNDETERMINED"]

#: Code used when the text is too short or the detector is not confident (ISO 639-2 "undetermined").
UNDETERMINED = "und"

#: English function words that are rare as words in other Latin-script languages. Left out on purpose: "a", "in",
#: "on", "an", "is", "was", "will", "for", "at", "to", "he", "her", "also" (common words in French, Italian,
#: German, Dutch, Danish, Norwegian, Polish or Finnish), so that a non-English text scores close to zero.
_EN_WORDS = frozenset(
    "the of and that with from this which have has had were been their there they would said says "
    "it its his she who what when about after than into but not our you your".split()
)

#: Stage-1 threshold, measured with ``bench/measure_verdicts.py`` (first 1,000 characters of the sample): English
#: function words make a median 0.21 of the words of real English articles (Dragnet 2020 held-out + BBC, minimum
#: 0.12) and of whole held-out L3S-GN1/CleanEval pages (5th percentile 0.10); the French, Italian, German, Spanish
#: and Dutch articles of ``tests/cases/foreign_articles.json`` score 0.0. Below the threshold py3langid decides,
#: so a miss here only costs time (about 5% of whole English pages go to py3langid).
EN_SHARE = 0.10

#: Stage 1 needs at least this many words: a share over fewer words is noise.
EN_MIN_WORDS = 30

#: Stage 1 looks at this many characters of the sample.
STAGE1_CHARS = 1_000

#: Punctuation stripped from whitespace-split words (str.split is about 5x faster than a Unicode word regex).
_PUNCT = "\"'()[]{}<>,.;:!?«»“”‘’-–—*/"


@dataclass(frozen=True)
class LanguageGuess:
    """A language code (ISO 639-1, or ``"und"``) with the detector's confidence and how it was decided.

    ``confidence`` is py3langid's normalised probability for ``method == "py3langid"``, and the share of
    English function words for ``method == "function-words"`` (a stage-1 decision: not a probability).
    """

    code: str
    confidence: float
    method: str


def language_sample(paragraphs: Sequence[str], max_chars: int) -> str:
    """The longest paragraphs, joined, up to ``max_chars`` characters (the running text, not the menus)."""
    picked: list[str] = []
    size = 0
    for text in sorted(paragraphs, key=len, reverse=True):
        if size >= max_chars:
            break
        piece = text[: max_chars - size]
        picked.append(piece)
        size += len(piece) + 1
    return "\n".join(picked)


def english_share(sample: str) -> tuple[float, int]:
    """Share of the sample's words that are English function words, and the number of words (stage 1)."""
    words = _words(sample)
    if not words:
        return 0.0, 0
    return sum(w in _EN_WORDS for w in words) / len(words), len(words)


def _words(sample: str) -> list[str]:
    """Lowercased words of the head of the sample, punctuation stripped (digits count as word characters)."""
    return [w for w in (t.strip(_PUNCT) for t in sample[:STAGE1_CHARS].lower().split()) if w]


@lru_cache(maxsize=1)
def _identifier() -> Any:
    """py3langid's shipped model, loaded once (0.6 s). Imported here so that ``import filter`` stays cheap."""
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def detect_language(
    paragraphs: Sequence[str], *, sample_chars: int = 2500, min_letters: int = 40, min_confidence: float = 0.5
) -> LanguageGuess:
    """Language of a document from a sample of its longest paragraphs (see the module docstring).

    ``"und"`` when the sample has fewer than ``min_letters`` letters (a lone "Home" is "sr" to py3langid at
    confidence 0.01) or py3langid's confidence is below ``min_confidence``: an undetermined document is treated
    like a supported one by the verdict policy, so a short English menu page is never flagged as foreign.
    """
    sample = language_sample(paragraphs, sample_chars)
    # Stage 1 reads only the head of the sample (about 170 words): enough for a stable share, and it keeps the
    # check at a few microseconds per document.
    words = _words(sample)
    if sum(map(len, words)) < min_letters:
        return LanguageGuess(UNDETERMINED, 0.0, "too-short")
    share = sum(w in _EN_WORDS for w in words) / len(words)
    if len(words) >= EN_MIN_WORDS and share >= EN_SHARE:
        return LanguageGuess("en", round(share, 4), "function-words")
    code, confidence = _identifier().classify(sample)
    if confidence < min_confidence:
        return LanguageGuess(UNDETERMINED, round(float(confidence), 4), "py3langid")
    return LanguageGuess(str(code), round(float(confidence), 4), "py3langid")
