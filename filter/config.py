"""One configuration object for every threshold and option of the pipeline.

Each threshold says next to it how its value was chosen, so that a later change can be argued with data.
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from typing import Any


@dataclass(frozen=True)
class FilterConfig:
    """Thresholds and options for segmentation, classification and cleaning."""

    #: Keep a paragraph when P(core) is at least this. Every trained model records its own value in its card
    #: (chosen on held-out data by word-weighted core F1, see ``training.choose_threshold``; 0.35 for the
    #: shipped model) and ``load_model`` uses that; this default applies only to a card without one. 0.40 is
    #: in the flat top of the shipped model's sweep (held-out word F1 0.9316 at 0.35, 0.9326 at 0.40).
    #: Raise it for stricter output, lower it to lose less text.
    min_core_probability: float = 0.40

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

    def with_options(self, **changes: Any) -> FilterConfig:
        """Copy with some options changed; unknown names raise ``TypeError`` (catches typos early)."""
        known = {f.name for f in fields(self)}
        unknown = set(changes) - known
        if unknown:
            raise TypeError(f"unknown FilterConfig option(s): {', '.join(sorted(unknown))}")
        return replace(self, **changes)


DEFAULT_CONFIG = FilterConfig()
