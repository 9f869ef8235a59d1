"""article-filter: keep only the factual reporting in scraped news text.

>>> from filter import clean, classify
>>> clean(raw_text)                    # core paragraphs only, unchanged, in order
>>> classify(raw_text)[0].label        # Label.CORE, Label.PROMOTION, Label.FILLER or Label.BOILERPLATE
>>> analyse(raw_text).warnings         # document verdict: language, article_score, warnings, cleaned text
"""

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
]
__version__ = "0.1.0"
