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


DEFAULT_CONFIG = FilterConfig()
