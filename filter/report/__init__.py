"""Show what the filter did: a review page for classified articles and a report page for a model card.

Both pages are single self-contained HTML files (inline CSS, images as ``data:`` URIs, no JavaScript, no
network), so they can be mailed, archived or opened from a CI artefact without a server. Every piece of
input text goes through :func:`html.escape`: scraped text routinely contains markup and sometimes script,
and a review page must *show* it, never run it. A Content-Security-Policy that forbids scripts backs the
escaping up, in case a future edit forgets it.

The model report draws its plots with matplotlib, an optional extra (``pip install 'article-filter[report]'``)
imported only when a report is written, so the core library keeps its small dependency set.
"""

from __future__ import annotations

from .common import HEADLESS_CHROMIUM_FLAGS, LABEL_COLOURS, ReportDependencyError
from .model_report import registry_history, render_model_report, resolve_card, write_model_report
from .review import model_note, render_review, write_review

__all__ = [
    "HEADLESS_CHROMIUM_FLAGS",
    "LABEL_COLOURS",
    "ReportDependencyError",
    "render_review",
    "write_review",
    "model_note",
    "resolve_card",
    "registry_history",
    "render_model_report",
    "write_model_report",
]
