"""Document verdicts: what is kept of a whole document, why, and whether it looks like an article at all.

The paragraph model decides paragraph by paragraph. Three things only make sense for the whole document, and
this module is the one place that decides them, so that ``clean``, ``analyse`` and (later) batch output agree:

(a) *Unsupported language* (``FilterConfig.unsupported_language``): a document in a language the model was not
    trained on is kept unfiltered with a warning (default), filtered with a warning, or emptied with a warning.
    Never silently emptied: the shipped English model labels French or Italian text filler/boilerplate throughout.
(b) *Nothing kept*: a document with real text whose every paragraph would be dropped gets a warning. Inputs of at
    most ``short_input_max_paragraphs`` paragraphs keep the paragraphs that are not confidently promotion or
    boilerplate (``short_input_floor``, measured on hand-written cases; see ``FilterConfig``), with a warning.
(c) ``article_score`` in [0, 1]: how much the document looks like an article (see :func:`article_score`).

:func:`decide_document` works on plain arrays so that ``clean_many`` (which never builds ``Paragraph`` objects)
and ``analyse_many`` call exactly the same code.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from .config import FilterConfig
from .language import UNDETERMINED, LanguageGuess
from .types import LABELS, Label, Paragraph

__all__ = ["Document", "DocumentDecision", "decide_document", "article_score", "REAL_TEXT_WORDS"]

_CORE = LABELS.index(Label.CORE)
_PROMOTION = LABELS.index(Label.PROMOTION)
_FILLER = LABELS.index(Label.FILLER)
_BOILERPLATE = LABELS.index(Label.BOILERPLATE)

#: A paragraph of at least this many words is running text, not a menu item, caption or teaser line. 20 words
#: is about one full news sentence; in the clean BBC articles 80% of paragraphs reach it while menu and link
#: lines of the CleanEval pages rarely do. Used for "has real text" (b) and for ``article_score`` (c).
REAL_TEXT_WORDS = 20

#: ``article_score`` saturates with this many probability-weighted words of core running text:
#: score = 1 - exp(-words / ARTICLE_WORDS_SCALE), so 150 words (a short news item) give 0.63 and 450 words
#: (a typical article body) 0.95. Chosen with ``bench/measure_verdicts.py`` (AUCs in the README section).
ARTICLE_WORDS_SCALE = 150.0


@dataclass(frozen=True)
class DocumentDecision:
    """Which paragraphs a document keeps, its warnings and its article score (no text, no Paragraph objects)."""

    kept: tuple[int, ...]
    warnings: tuple[str, ...]
    article_score: float


def article_score(word_counts: Sequence[int], core_probabilities: Sequence[float]) -> float:
    """A page-level "looks like an article" score in [0, 1].

    ``1 - exp(-W / 150)`` where ``W`` is the number of words in paragraphs of at least ``REAL_TEXT_WORDS`` words,
    each weighted by its P(core). Why this shape: an article is a run of substantive core paragraphs; menus,
    listings and link lists are many short lines and teasers the model does not call core, so they add little
    however long the page is. Weighting by P(core) instead of a threshold keeps the score smooth (a better
    ranking) and independent of the keep threshold. It is a function of the model's probabilities, so for a
    language the model does not support it is not meaningful (such documents carry a language warning).
    """
    w = sum(
        n * float(p) for n, p in zip(word_counts, core_probabilities, strict=True) if n >= REAL_TEXT_WORDS
    )
    return round(1.0 - math.exp(-w / ARTICLE_WORDS_SCALE), 4)


def _words(text: str) -> int:
    return len(text.split())


def supported_languages(card: Mapping[str, Any], config: FilterConfig) -> tuple[str, ...]:
    """The config's override, else the card's ``languages``, else English (see ``FilterConfig``)."""
    if config.supported_languages is not None:
        return tuple(config.supported_languages)
    langs = card.get("languages")
    if isinstance(langs, (list, tuple)) and all(isinstance(x, str) for x in langs) and langs:
        return tuple(langs)
    return ("en",)


def decide_document(
    texts: Sequence[str],
    probabilities: np.ndarray,
    labels: Sequence[Label],
    language: LanguageGuess,
    supported: Sequence[str],
    config: FilterConfig,
) -> DocumentDecision:
    """The document policy (a)-(c) of the module docstring for one document's paragraphs.

    ``probabilities`` has one row per paragraph in ``LABELS`` order and ``labels`` are the model's decisions
    (``cleaner.decide``); the model's labels are never changed, only which paragraphs are kept.
    """
    n = len(texts)
    words = [_words(t) for t in texts]
    p_core = [float(x) for x in probabilities[:, _CORE]] if n else []
    score = article_score(words, p_core)
    kept = [i for i, lab in enumerate(labels) if lab is Label.CORE]
    warnings: list[str] = []
    if n == 0:
        return DocumentDecision((), (), score)

    unsupported = language.code != UNDETERMINED and language.code not in supported
    if unsupported:
        policy = config.unsupported_language
        prefix = f"language {language.code!r} is not supported by this model"
        if policy == "keep":
            return DocumentDecision(tuple(range(n)), (f"{prefix}: text kept unfiltered",), score)
        if policy == "empty":
            return DocumentDecision((), (f"{prefix}: text dropped",), score)
        warnings.append(f"{prefix}: filtered anyway, labels are unreliable")

    if not kept:
        if n <= config.short_input_max_paragraphs:
            rest = probabilities[:, _CORE] + probabilities[:, _FILLER]
            kept = [i for i in range(n) if float(rest[i]) >= config.short_input_floor]
            if kept:
                labs = ", ".join(labels[i].value for i in kept)
                warnings.append(
                    f"short input: kept {len(kept)} of {n} paragraph(s) that the model labelled {labs} "
                    "(not confidently promotion or boilerplate)"
                )
        if not kept and max(words) >= REAL_TEXT_WORDS:
            warnings.append("no paragraph looked like core reporting: cleaned text is empty")
    return DocumentDecision(tuple(kept), tuple(warnings), score)


@dataclass(frozen=True)
class Document:
    """The verdict on one input text: its labelled paragraphs, the cleaned text and document-level notes.

    ``paragraphs`` carry the model's own labels (the same as ``classify``); ``kept`` lists the indices of the
    paragraphs that make up ``text``. They differ from "the core paragraphs" only when a warning says why.
    ``language_confidence`` is described in :class:`filter.language.LanguageGuess` (``language_method``).
    """

    paragraphs: tuple[Paragraph, ...]
    text: str
    language: str
    language_confidence: float
    article_score: float
    warnings: tuple[str, ...] = ()
    kept: tuple[int, ...] = ()
    language_method: str = ""

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form (the paragraphs in ``Paragraph.to_dict`` form); :meth:`from_dict` reads it back."""
        return {
            "language": self.language,
            "language_confidence": self.language_confidence,
            "language_method": self.language_method,
            "article_score": self.article_score,
            "warnings": list(self.warnings),
            "kept": list(self.kept),
            "text": self.text,
            "paragraphs": [p.to_dict() for p in self.paragraphs],
        }

    @classmethod
    def from_dict(cls, row: Mapping[str, Any]) -> Document:
        """Inverse of :meth:`to_dict` (probabilities come back rounded to 6 decimals, as written)."""
        paragraphs = tuple(
            Paragraph(
                text=str(p["text"]),
                start=int(p["start"]),
                end=int(p["end"]),
                index=int(p["index"]),
                label=Label.parse(p["label"]) if p.get("label") is not None else None,
                probabilities={Label.parse(k): float(v) for k, v in p.get("probabilities", {}).items()},
                cues=tuple(p.get("cues", ())),
                clickbait=p.get("clickbait"),
            )
            for p in row.get("paragraphs", ())
        )
        return cls(
            paragraphs=paragraphs,
            text=str(row["text"]),
            language=str(row["language"]),
            language_confidence=float(row["language_confidence"]),
            article_score=float(row["article_score"]),
            warnings=tuple(str(w) for w in row.get("warnings", ())),
            kept=tuple(int(i) for i in row.get("kept", ())),
            language_method=str(row.get("language_method", "")),
        )

    def rows(self, doc_id: str) -> list[dict[str, Any]]:
        """One row per paragraph (the ``classify --format jsonl`` / correction-file format) with the document's
        ``language``, ``warnings`` and ``article_score`` on every row, so each row stands on its own."""
        extra = {
            "language": self.language,
            "warnings": list(self.warnings),
            "article_score": self.article_score,
        }
        return [{"doc_id": doc_id, **p.to_dict(), **extra} for p in self.paragraphs]

    def notice(self, name: str) -> str | None:
        """A one-line message for stderr when a warning applies (``clean`` on a single file), else ``None``."""
        if not self.warnings:
            return None
        return f"article-filter: {name}: " + "; ".join(self.warnings)
