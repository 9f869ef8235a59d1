"""article-filter: keep only the factual reporting in scraped news text.

>>> from filter import clean, classify
>>> clean(raw_text)                    # core paragraphs only, unchanged, in order
>>> classify(raw_text)[0].label        # Label.CORE, Label.PROMOTION, Label.FILLER or Label.BOILERPLATE
>>> analyse(raw_text).warnings         # document verdict: language, article_score, warnings, cleaned text
>>> clean_frame(df, column="text")     # pandas (the 'pandas' extra; imported only when used)
"""

from typing import Any

from ._extras import MissingExtraError
from .api import ArticleFilter, analyse, classify, clean, load_model
from .config import FilterConfig
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

#: Names resolved on first use, so that ``import filter`` never imports pandas (the optional extra).
_LAZY = {"clean_frame": "frame", "classify_frame": "frame"}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(f".{_LAZY[name]}", __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__version__ = "0.1.0"
