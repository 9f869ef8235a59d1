"""What both pages share: label colours and descriptions, the Content-Security-Policy, escaping."""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

from .._extras import MissingExtraError
from ..types import Label, Paragraph

if TYPE_CHECKING:  # pragma: no cover - typing only
    pass

#: Flags for a headless Chromium that never reaches the network (this machine's is closed): used by the
#: browser test and by bench/make_screenshots.py to look at the review page as a person would.
HEADLESS_CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--hide-scrollbars",
    "--virtual-time-budget=3000",
)

__all__ = [
    "HEADLESS_CHROMIUM_FLAGS",
    "LABEL_COLOURS",
    "ReportDependencyError",
    "_CSP",
    "_DESCRIPTIONS",
    "_e",
    "_label_of",
]

#: (tint, accent) per label: pale backgrounds keep the text readable; the accent marks the left edge and
#: the legend so labels stay distinguishable in greyscale print-outs (the label name is also written out).
LABEL_COLOURS: dict[Label, tuple[str, str]] = {
    Label.CORE: ("#e3f4e6", "#2e7d32"),
    Label.PROMOTION: ("#fff0dc", "#e65100"),
    Label.FILLER: ("#f4e6f7", "#8e24aa"),
    Label.BOILERPLATE: ("#eceff1", "#546e7a"),
}

_DESCRIPTIONS: dict[Label, str] = {
    Label.CORE: "factual reporting: kept in the cleaned text",
    Label.PROMOTION: "injected links and calls to action: dropped",
    Label.FILLER: "generic editorial padding: dropped",
    Label.BOILERPLATE: "site chrome (menus, footers, sharing): dropped",
}

# No script may run on either page, whatever the input contains; images only from data: URIs.
_CSP = "default-src 'none'; img-src data:; style-src 'unsafe-inline'"


class ReportDependencyError(MissingExtraError):
    """The model report needs matplotlib, which is the optional ``report`` extra."""


def _e(value: object) -> str:
    """Escape anything for HTML text and attribute values (quotes included)."""
    return html.escape(str(value), quote=True)


def _label_of(p: Paragraph) -> str:
    return p.label.value if p.label is not None else "unlabelled"
