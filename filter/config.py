"""One configuration object for every threshold and option of the pipeline.

Each threshold says next to it how its value was chosen, so that a later change can be argued with data.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, fields, replace
from typing import Any

__all__ = ["FilterConfig", "DEFAULT_CONFIG", "FALLBACK_MIN_CORE_PROBABILITY"]

#: Keep threshold for a model whose card records none. 0.40 is in the flat top of the shipped model's sweep
#: (held-out word F1 0.9316 at 0.35, 0.9326 at 0.40).
FALLBACK_MIN_CORE_PROBABILITY = 0.40


@dataclass(frozen=True)
class FilterConfig:
    """Thresholds and options for segmentation, classification and cleaning."""

    #: Keep a paragraph when P(core) is at least this. ``None`` (the default) means the model's own threshold:
    #: every trained model records one in its card (chosen on held-out data by word-weighted core F1, see
    #: ``training.choose_threshold``; 0.35 for the shipped model) and ``ArticleFilter`` resolves ``None`` to
    #: it, so ``load_model(config=FilterConfig(joiner="\n"))`` keeps the tuned value. A card without one
    #: gets :data:`FALLBACK_MIN_CORE_PROBABILITY`. Raise it for stricter output, lower it to lose less text.
    min_core_probability: float | None = None

    #: Text placed between kept paragraphs. Paragraphs themselves are returned byte for byte.
    joiner: str = "\n\n"

    #: Treat input as HTML when it looks like markup (see ``segment.looks_like_html``). Off gives the raw
    #: markup to the model as text, which is rarely what anyone wants.
    detect_html: bool = True

    #: A paragraph longer than this is split at line breaks or sentence ends for classification only, so one
    #: pathological line cannot blow up feature extraction time. The longest of the 20,545 paragraphs of the
    #: clean BBC and Dragnet-2020 articles has 14,308 characters (99th percentile 1,451), so 20k truncates
    #: no real paragraph.
    max_paragraph_chars: int = 20_000

    #: Documents above this many characters are processed in windows of this size (paragraph-aligned), which
    #: bounds memory for "enormous" inputs. The largest Dragnet 2013 page renders to 247k characters
    #: (median 6.7k), so only inputs 8x larger than that are windowed.
    max_document_chars: int = 2_000_000

    #: How many top cues to attach to each classified paragraph.
    n_cues: int = 3

    # ------------------------------------------------------------------ document verdicts (filter.verdict)
    #: What ``clean``/``analyse`` do with a document in a language the model was not trained on (the card's
    #: ``languages``; English only for the shipped model). On such text the shipped model labels nearly every
    #: paragraph filler or boilerplate, so filtering it deletes the article. ``"keep"`` (default) returns the
    #: whole text unfiltered with a warning: losing an article silently is worse for a user than keeping its
    #: chrome. ``"filter"`` applies the model anyway (with a warning), ``"empty"`` drops the document (with a
    #: warning) for pipelines that want English only. ``classify`` always returns the model's labels.
    unsupported_language: str = "keep"

    #: Languages the model handles; ``None`` means the model card's ``languages`` list, or ``("en",)`` for a card
    #: without one (every training source of the shipped model is English, see its card's ``sources``).
    supported_languages: tuple[str, ...] | None = None

    #: Characters of the longest paragraphs given to language identification. 2,500 characters is several
    #: sentences of running text, far more than py3langid needs (it is reliable from about 100), and bounds
    #: its cost to about 1 ms for the documents that reach it (see ``filter.language``).
    language_sample_chars: int = 2_500

    #: Below this py3langid confidence the language is ``"und"`` and treated as supported (never flagged).
    #: 0.5 is a majority of the normalised probability; hand-written French, Italian and German articles of
    #: ``tests/test_verdicts.py`` score above 0.99, a lone menu word such as "Home" 0.01.
    language_min_confidence: float = 0.5

    #: Inputs with at most this many paragraphs whose every paragraph would be dropped keep the paragraphs
    #: that are not confidently promotion/boilerplate (``short_input_floor``). Why: the model learnt that
    #: a page is mostly chrome around a body, so a lone plain report ("The town's oldest cafe closed ...")
    #: looks like filler to it (P(filler) 0.89) and was cleaned to nothing. 0 turns the rule off.
    short_input_max_paragraphs: int = 2

    #: The short-input rule keeps a paragraph when P(core) + P(filler) (= 1 - P(promotion) - P(boilerplate))
    #: is at least this. Measured with the shipped model on ``tests/cases/short_inputs.json``
    #: (``bench/measure_verdicts.py``): the 14 one-paragraph and 3 two-paragraph reports that would be dropped
    #: have P(core) + P(filler) from 0.297 to 1.0, the 12 one-line promotion/chrome inputs at most 0.014. P(core)
    #: alone does not separate them (0.009 for a report, 0.007 for a promotion line). 0.10 sits between
    #: with a factor of 3 to 7 of margin either way; filler counts as "keep" because a lone input made only of
    #: filler is rare and keeping it costs the user one paragraph, while losing a report loses everything.
    short_input_floor: float = 0.10

    def __post_init__(self) -> None:
        """Refuse values that would silently disable a stage (a NaN threshold keeps nothing and says nothing)."""
        p = self.min_core_probability
        if p is not None and (
            isinstance(p, bool)
            or not isinstance(p, (int, float))
            or not math.isfinite(p)
            or not 0.0 <= p <= 1.0
        ):
            raise ValueError(f"min_core_probability must be a number in [0, 1] or None, got {p!r}")
        if self.unsupported_language not in UNSUPPORTED_LANGUAGE_POLICIES:
            allowed = ", ".join(UNSUPPORTED_LANGUAGE_POLICIES)
            raise ValueError(
                f"unsupported_language must be one of {allowed}, got {self.unsupported_language!r}"
            )

    @property
    def keep_threshold(self) -> float:
        """The threshold to apply: the set one, or the fallback when it was left to the model (``None``)."""
        p = self.min_core_probability
        return FALLBACK_MIN_CORE_PROBABILITY if p is None else float(p)

    def with_options(self, **changes: Any) -> FilterConfig:
        """Copy with some options changed; unknown names raise ``TypeError`` (catches typos early)."""
        known = {f.name for f in fields(self)}
        unknown = set(changes) - known
        if unknown:
            raise TypeError(f"unknown FilterConfig option(s): {', '.join(sorted(unknown))}")
        return replace(self, **changes)


#: Allowed values of ``FilterConfig.unsupported_language``.
UNSUPPORTED_LANGUAGE_POLICIES = ("keep", "filter", "empty")


DEFAULT_CONFIG = FilterConfig()
