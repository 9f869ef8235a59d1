"""Stage 1: raw scraped text -> paragraphs with character offsets.

Scrapers produce blank-line paragraphs, one block per line (menus, link lists), hard-wrapped prose, ``\\r\\n``,
non-breaking and zero-width spaces, and sometimes the page's HTML instead of its text. Segmentation never
changes a character: a paragraph is a span ``text[start:end]`` with only the surrounding whitespace trimmed,
so the cleaner can return paragraphs byte for byte.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

from .config import DEFAULT_CONFIG, FilterConfig
from .types import Paragraph

__all__ = ["segment", "segment_spans", "looks_like_html", "html_to_blocks", "html_to_text"]

# Characters that render as nothing or as a space; a line made only of them is blank. str.isspace() covers
# NBSP and the other Unicode spaces but not the zero-width ones or the BOM.
_INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff\u00ad"
_TERMINAL = tuple(".!?:;\"'”’)»…|")


#: Every character that renders as blank: Unicode white space plus the zero-width ones (for str.strip).
_BLANKS = "".join(chr(c) for c in range(0x3100) if chr(c).isspace()) + _INVISIBLE


def _is_hard_wrapped(text: str, lines: list[tuple[int, int]]) -> bool:
    """A block of similar-length lines that mostly do not end a sentence is one wrapped paragraph.

    The numbers follow how text is hard-wrapped (at 72-80 columns, so body lines run ~45-110 characters
    and differ by less than one long word plus slack); they were set by judgement, not tuned on data.
    Menus and link lists fail the length test, which is what matters most.
    """
    if len(lines) < 2:
        return False
    body = lines[:-1]
    lengths = [e - s for s, e in body]
    if min(lengths) < 45 or max(lengths) > 110:
        return False
    if max(lengths) - min(lengths) > 30:
        return False
    open_ends = sum(1 for s, e in body if not text[s:e].endswith(_TERMINAL))
    return open_ends * 2 >= len(body)


def _continues(text: str, cur: tuple[int, int], nxt: tuple[int, int]) -> bool:
    """Line ``nxt`` continues the sentence of ``cur`` (a soft break inside a paragraph).

    Only a line of 30+ characters without a sentence end, followed by a lower-case start, is joined: short
    lines are menu items or headings, whose next line may well start lower-case. Judgement, not tuned.
    """
    s, e = cur
    if e - s < 30 or text[s:e].endswith(_TERMINAL):
        return False
    first = text[nxt[0] : nxt[0] + 1]
    return first.islower()


def _flush_block(text: str, block: list[tuple[int, int]], spans: list[tuple[int, int]]) -> None:
    if len(block) == 1:
        spans.append(block[0])
    elif _is_hard_wrapped(text, block):
        spans.append((block[0][0], block[-1][1]))
    else:
        cur = block[0]
        for nxt in block[1:]:
            if _continues(text, cur, nxt):
                cur = (cur[0], nxt[1])
            else:
                spans.append(cur)
                cur = nxt
        spans.append(cur)


def _segment_plain(text: str) -> list[tuple[int, int]]:
    """Blank-line blocks, split into lines unless the lines continue one another (hard-wrapped prose).

    One loop over ``str.splitlines`` with C-level stripping: this runs for every document, so it avoids
    per-character Python work (line breaks are white space, so one strip removes both).
    """
    spans: list[tuple[int, int]] = []
    block: list[tuple[int, int]] = []
    blanks = _BLANKS
    pos = 0
    for line in text.splitlines(True):
        n = len(line)
        stripped = line.strip(blanks)
        if stripped:
            start = pos + n - len(line.lstrip(blanks))
            block.append((start, start + len(stripped)))
        elif block:
            _flush_block(text, block, spans)
            block = []
        pos += n
    if block:
        _flush_block(text, block, spans)
    return spans


# --------------------------------------------------------------------------------------------------- HTML

_HTML_START_RE = re.compile(
    r"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html[\s>]|head[\s>]|body[\s>])",
    re.IGNORECASE | re.DOTALL,
)
_TAG_RE = re.compile(
    r"</?(?:p|div|br|li|ul|ol|span|a|td|tr|table|h[1-6]|section|article|nav|header|footer|img|meta|script)\b[^>]{0,500}>",
    re.IGNORECASE,
)


def looks_like_html(text: str) -> bool:
    """True for a page's markup pasted as text; a news story that merely mentions ``<p>`` stays text."""
    head = text[:4096].lstrip(_INVISIBLE + " \t\r\n")
    if _HTML_START_RE.match(head):
        return True
    sample = text[:200_000]
    tags = _TAG_RE.findall(sample)
    # At least 6 common tags, 2 of them closing, making up 3% of the first 200k characters: a page's
    # markup is far denser (tags are usually most of its bytes), while a story quoting "<p>" has one or
    # two. Set by judgement; the tests cover both sides.
    if len(tags) < 6:
        return False
    closing = sum(1 for t in tags if t.startswith("</"))
    tag_chars = sum(len(t) for t in tags)
    return closing >= 2 and tag_chars >= 0.03 * len(sample)


_BLOCK_TAGS = frozenset(
    "address article aside blockquote body br caption dd details dialog div dl dt fieldset figcaption figure "
    "footer form h1 h2 h3 h4 h5 h6 header hr li main nav ol option p pre section summary table tbody td tfoot "
    "th thead title tr ul".split()
)
_SKIP_TAGS = frozenset(
    "script style noscript template svg math head iframe object select textarea button".split()
)
_VOID_TAGS = frozenset("area base br col embed hr img input link meta param source track wbr".split())
_WS_RE = re.compile(r"[\s" + _INVISIBLE + r"]+")


class _BlockParser(HTMLParser):
    """Collects text blocks split at block-level tags, with the source span each came from."""

    def __init__(self, source: str, stand_in: str | None = None) -> None:
        super().__init__(convert_charrefs=True)
        self._stand_in = stand_in
        self._line_starts = [0] + [m.end() for m in re.finditer(r"\n", source)]
        self.blocks: list[tuple[str, int, int]] = []
        self._parts: list[str] = []
        self._start: int | None = None
        self._end = 0
        self._skip = 0
        self._title_seen = False

    def _offset(self) -> int:
        line, col = self.getpos()
        return self._line_starts[line - 1] + col

    def _flush(self) -> None:
        text = _WS_RE.sub(" ", "".join(self._parts)).strip()
        if self._stand_in is not None:
            text = text.replace(self._stand_in, "<")
        if text and self._start is not None:
            self.blocks.append((text, self._start, max(self._end, self._start)))
        self._parts = []
        self._start = None

    def _mark_end(self) -> None:
        if self._start is not None:
            self._end = self._offset()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._mark_end()
        if tag in _SKIP_TAGS and tag not in _VOID_TAGS:
            if tag == "head":
                return  # <title> inside <head> is still wanted; its contents are handled below
            self._skip += 1
            return
        if tag in _BLOCK_TAGS:
            self._flush()

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._mark_end()
        if tag in _BLOCK_TAGS:
            self._flush()

    def handle_endtag(self, tag: str) -> None:
        self._mark_end()
        if tag in _SKIP_TAGS and tag != "head":
            self._skip = max(0, self._skip - 1)
            return
        if tag in _BLOCK_TAGS:
            self._flush()

    def handle_data(self, data: str) -> None:
        if self._skip:
            return
        if self._start is None:
            if not data.strip(" \t\r\n" + _INVISIBLE):
                return
            self._start = self._offset()
        self._parts.append(data)
        self._end = self._offset() + len(data)

    def close(self) -> None:
        super().close()
        self._flush()


#: Private-use characters a stray ``<`` is swapped for before parsing (the first one absent from the page).
_STAND_INS = [chr(c) for c in range(0xE000, 0xF900)]


def _neutralise_stray_lt(html: str) -> tuple[str, str | None]:
    """``html`` with every ``<`` that cannot start a complete tag replaced by a one-character stand-in.

    Why: ``html.parser`` retries an unfinished construct (``<a`` with no ``>`` after it) from each later
    ``<``, rescanning to the end of the input every time, which is quadratic: ``'<html>' + '<a' * 300000``
    ran for over ten minutes. Here a ``<`` counts as markup only if a ``>`` follows it before the next ``<``
    (comments: if ``-->`` follows at all); anything else is text, which is also what a browser shows for it.
    The stand-in keeps every offset, and :class:`_BlockParser` turns it back into ``<`` in the text it
    collects. One left-to-right pass with remembered search results: linear time.
    """
    if "<" not in html:
        return html, None
    stand_in = next((c for c in _STAND_INS if c not in html), None)
    if stand_in is None:  # pragma: no cover - a page using all 6400 private-use characters
        return html.replace("<", " "), None
    out: list[str] = []
    pos = 0  # html[:pos] is already in out
    next_gt = -2  # cached html.find(">", ...) result; -1 when there is none at all
    comment_end = -2
    i = html.find("<")
    n = len(html)
    while i >= 0:
        nxt = html.find("<", i + 1)
        if html.startswith("<!--", i):
            if comment_end != -1 and comment_end < i + 4:
                comment_end = html.find("-->", i + 4)
            if comment_end >= 0:  # a whole comment: skip it, "<" inside it included
                i = html.find("<", comment_end + 3)
                continue
        else:
            if next_gt != -1 and next_gt < i:
                next_gt = html.find(">", i + 1)
            if next_gt >= 0 and (nxt < 0 or next_gt < nxt):
                i = nxt
                continue
        out.append(html[pos:i])
        out.append(stand_in)
        pos = i + 1
        i = nxt
    if not out:
        return html, None
    out.append(html[pos:n])
    return "".join(out), stand_in


def html_to_blocks(html: str) -> list[tuple[str, int, int]]:
    """Rendered text blocks of an HTML page with the span of source markup each came from.

    Uses only the standard library's parser: the product must not need an HTML stack for its main path.
    Stray ``<`` are neutralised first (:func:`_neutralise_stray_lt`), so parsing takes linear time.
    """
    markup, stand_in = _neutralise_stray_lt(html)
    parser = _BlockParser(markup, stand_in)
    try:
        parser.feed(markup)
        parser.close()
    except Exception:  # noqa: BLE001 - html.parser is lenient, but never let markup crash a batch
        parser._flush()
    return parser.blocks


def html_to_text(html: str) -> str:
    """The page as block-separated text (one blank line between blocks)."""
    return "\n\n".join(text for text, _, _ in html_to_blocks(html))


def segment_spans(text: str, config: FilterConfig = DEFAULT_CONFIG) -> list[tuple[str, int, int]]:
    """``(paragraph text, start, end)`` triples: :func:`segment` without building objects (the hot path)."""
    if not text:
        return []
    if config.detect_html and looks_like_html(text):
        return html_to_blocks(text)
    return [(text[s:e], s, e) for s, e in _segment_plain(text)]


def segment(text: str, config: FilterConfig = DEFAULT_CONFIG) -> list[Paragraph]:
    """Split raw text (or HTML pasted as text) into paragraphs with offsets into ``text``."""
    return [
        Paragraph(text=t, start=s, end=e, index=i) for i, (t, s, e) in enumerate(segment_spans(text, config))
    ]
