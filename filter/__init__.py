"""article-filter: keep only the factual reporting in scraped news text.

>>> from filter import clean, classify
>>> clean(raw_text)                    # core paragraphs only, unchanged, in order
>>> classify(raw_text)[0].label        # Label.CORE, Label.PROMOTION, Label.FILLER or Label.BOILERPLATE
>>> analyse(raw_text).warnings         # document verdict: language, article_score, warnings, cleaned text
>>> clean_frame(df, column="text")     # pandas (the 'pandas' extra; imported only when used)
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ._extras import MissingExtraError
    from .api import ArticleFilter, analyse, classify, clean, load_model
    from .config import FilterConfig
    from .frame import classify_frame, clean_frame
    from .store import ModelIntegrityError
    from .types import LABELS, Label, Paragraph
    from .verdict import Document

__all__ = [
    "clean",
    "classify",
    "analyse",
    "Document",
    "load_model",
    "ArticleFilter",
    "FilterConfig",
    "Label",
    "LABELS",
    "Paragraph",
    "ModelIntegrityError",
    "clean_frame",
    "classify_frame",
    "MissingExtraError",
]

__version__ = "0.1.0"

#: Public name -> module, imported on first use (PEP 562): ``import filter.cli`` (and so
#: ``article-filter --help``) must not pay for numpy and the model code.
_LAZY = {
    "clean": "api",
    "classify": "api",
    "analyse": "api",
    "load_model": "api",
    "ArticleFilter": "api",
    "FilterConfig": "config",
    "ModelIntegrityError": "store",
    "LABELS": "types",
    "Label": "types",
    "Paragraph": "types",
    "Document": "verdict",
    "MissingExtraError": "_extras",
    # pandas is an optional extra: imported only when these are used
    "clean_frame": "frame",
    "classify_frame": "frame",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        value = getattr(importlib.import_module(f"{__name__}.{_LAZY[name]}"), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
