"""The two small value types every stage passes around: a paragraph label and a paragraph."""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any


class Label(str, enum.Enum):
    """What a paragraph is. Only ``CORE`` survives cleaning.

    A ``str`` enum so that labels serialise to JSON/CSV as their plain names and compare equal to them,
    which keeps training files and CLI output readable without a custom encoder.
    """

    CORE = "core"
    PROMOTION = "promotion"
    FILLER = "filler"
    BOILERPLATE = "boilerplate"

    def __str__(self) -> str:  # pragma: no cover - trivial
        return self.value

    @classmethod
    def parse(cls, value: str | Label) -> Label:
        """Accept a label name in any case; raise ``ValueError`` naming the allowed labels otherwise."""
        if isinstance(value, Label):
            return value
        try:
            return cls(str(value).strip().lower())
        except ValueError:
            allowed = ", ".join(label.value for label in cls)
            raise ValueError(f"unknown label {value!r} (allowed: {allowed})") from None


#: Fixed label order used for probability vectors and model classes everywhere.
LABELS: tuple[Label, ...] = (Label.CORE, Label.PROMOTION, Label.FILLER, Label.BOILERPLATE)


@dataclass(frozen=True)
class Paragraph:
    """One paragraph of the input and, after classification, what the model thinks of it.

    ``start``/``end`` are character offsets into the text that was given, so that ``text[start:end]`` is
    exactly ``paragraph.text`` for plain-text input: callers can map decisions back onto their own data.
    For HTML given as text, the offsets span the source markup the block came from and ``text`` is the
    rendered block (see :mod:`filter.segment`).
    """

    text: str
    start: int
    end: int
    index: int = 0
    label: Label | None = None
    probabilities: Mapping[Label, float] = field(default_factory=dict)
    cues: tuple[str, ...] = ()
    #: Clickbait score in [0, 1] of a headline-shaped line (teasers, related links), else None.
    clickbait: float | None = None

    @property
    def probability(self) -> float:
        """Probability of the assigned label (0.0 when unclassified)."""
        if self.label is None:
            return 0.0
        return float(self.probabilities.get(self.label, 0.0))

    def with_prediction(
        self, label: Label, probabilities: Mapping[Label, float], cues: tuple[str, ...] = ()
    ) -> Paragraph:
        return replace(self, label=label, probabilities=dict(probabilities), cues=cues)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form; also the row format that label corrections are written in."""
        return {
            "index": self.index,
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "label": self.label.value if self.label is not None else None,
            "probability": round(self.probability, 6),
            "probabilities": {lab.value: round(float(p), 6) for lab, p in self.probabilities.items()},
            "cues": list(self.cues),
            "clickbait": self.clickbait,
        }
