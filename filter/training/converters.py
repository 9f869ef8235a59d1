"""HTML -> text converters: a page rendered the way common scrapers render it.

Users give the filter *text* produced by a scraper's HTML-to-text step, so the model is trained and measured
on renderings of real pages (:mod:`filter.training.corpora`) made with several converters
(:data:`CONVERTERS`). The WARC reader (:mod:`filter.warc`) renders HTML records with the same functions.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from .._extras import EXTRA_OF, PACKAGE_OF, MissingExtraError
from ..segment import html_to_text

__all__ = ["CONVERTERS", "DEFAULT_CONVERTERS", "render"]

DEFAULT_CONVERTERS = ("html_text", "inscriptis")


def _conv_html_text(html: str) -> str:
    import html_text

    return str(html_text.extract_text(html, guess_layout=True))


def _conv_inscriptis(html: str) -> str:
    from inscriptis import get_text

    return str(get_text(html))


def _conv_bs4(html: str) -> str:
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(html, "lxml")
    for tag in soup(["script", "style", "noscript"]):
        tag.decompose()
    return str(soup.get_text("\n"))


#: HTML -> text the way common scrapers do it; training on several keeps one converter's line breaking from
#: being learnt as a signal.
CONVERTERS: dict[str, Callable[[str], str]] = {
    "html_text": _conv_html_text,
    "inscriptis": _conv_inscriptis,
    "bs4": _conv_bs4,
    "stdlib": html_to_text,
}

_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff]")


def render(html: str, converter: str) -> str:
    """Page text as ``converter`` renders it; ``""`` when the markup defeats it (the caller skips the page).

    Control characters and lone surrogates are removed first because lxml rejects them outright, which would
    lose whole pages for a single stray byte. A missing optional library raises
    :class:`~filter._extras.MissingExtraError` naming the extra.
    """
    try:
        fn = CONVERTERS[converter]
    except KeyError:
        raise ValueError(f"unknown converter {converter!r} (known: {', '.join(CONVERTERS)})") from None
    clean = _CONTROL_RE.sub(" ", html or "")
    try:
        return fn(clean) or ""
    except ModuleNotFoundError as exc:
        top = (exc.name or "").split(".")[0]
        if top not in EXTRA_OF:
            raise
        raise MissingExtraError(
            f"article-filter converter {converter!r} needs {PACKAGE_OF.get(top, top)}: "
            f"pip install 'article-filter[{EXTRA_OF[top]}]'",
            module=top,
            extra=EXTRA_OF[top],
        ) from exc
    except Exception:  # noqa: BLE001 - any converter failure on bad markup means "no text for this page"
        return ""
