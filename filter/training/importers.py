"""Importers: the real corpora in ``shared/corpora`` -> labelled :class:`~filter.data.Document` objects.

Why this module exists: users give the filter *text* produced by a scraper's HTML-to-text step, so the
model must be trained and measured on renderings of real pages, not on the corpora's own block splits.
Every HTML page is rendered with several converters (:data:`CONVERTERS`), segmented exactly as the product
segments at inference (:func:`filter.segment.segment` with ``detect_html=False``), and each paragraph gets a
label from the corpus's gold. Nothing is written into the repository: documents live in memory or in a
cache outside git (``$ARTICLE_FILTER_CACHE/imports`` or ``~/.cache/article-filter/imports/``), because the
corpora are research-use only.

Labelling rules
---------------
Gold text alignment (:func:`align_labels`; dragnet2013, readability_testpages, cleaneval/*):
  * words are NFKC-lowercased ``\\w+`` tokens, so punctuation, quotes and line wrapping never matter;
  * a paragraph of >= 6 words is ``core`` when more than half of its word 3-grams occur in the gold;
  * a shorter paragraph is ``core`` only when it is not an interface word ("Reply", "Share", "Print":
    Dragnet golds keep comment threads), its phrase occurs in the gold (1-2 words: as a whole gold line)
    AND a ``core`` paragraph is within 2 positions (3-5 words may chain through other short core lines;
    1-2 words need a long core neighbour). Short lines ("Home", "World") otherwise match by accident.
Non-core paragraphs are split (:func:`split_noncore`), in this order:
  1. ``promotion`` when a paragraph of <= 25 words matches :data:`PROMO_RE` (read more, related, also
     read, see also, more from, recommended, most popular/read/viewed, trending, sponsored, promoted,
     "Advertisement" followed by text, subscribe, sign up, newsletter, follow us, download/get the app,
     watch, video:, photos:, gallery, click here, share on ...);
  2. ``promotion`` for runs of >= 3 consecutive headline-like lines (4-15 words, no final period, not
     chrome such as copyright/privacy/terms), i.e. related-story lists; a headline-like run directly after
     a promotion header ("Related stories", "More from ...") is promotion at any length;
  3. everything else non-core is ``boilerplate``.
``filler`` is never produced from HTML pages (no page gold distinguishes it).

L3S-GN1 (human block labels): the page's labelled blocks form a token stream (each token carries its
block's label); a rendering's paragraph tokens are aligned to it with :class:`difflib.SequenceMatcher`
(monotonic, so the block order disambiguates repeated short strings). A paragraph takes the majority label
of its matched tokens: headline/fulltext -> core, related_content -> promotion, supplemental/comments ->
boilerplate; not_content/unlabeled, or under half of its tokens matched -> non-core split by the rules
above. A few originals are damaged (unclosed ``<title>``); then the annotated copy is rendered instead.

Text corpora: bbc_fulltext and dragnet2020_gold -> every paragraph core (title first).
turku_line_quality: lines are joined with newlines and segmented; a paragraph's label is the majority (by
characters) of its lines: clean -> core, noise -> promotion/boilerplate by the rules. chatgpt_news_iu:
human texts -> core (texts without breaks are cut into 3-sentence paragraphs); generated texts -> only the
LAST paragraph, as ``filler`` when it hits :data:`FILLER_RE`, else nothing (AI body text is neither
factual core nor clearly filler). ghostbuster_*: the same rule for gpt/claude; human -> core.
mined_examples: human related_content lines -> promotion (pseudo-documents of 5 lines per source page);
derived lines -> promotion only with a regex hit and < 25 words; chatgpt filler candidates -> filler when
they are the closing paragraph; bbc (and the one human chatgpt) ones -> core (hard negatives).

Groups (the split key) are sites: ``site:<name>`` from the URL (``news.bbc.co.uk`` -> ``site:bbc``), so a
site never straddles train/eval even across corpora; pages without a URL use their canonical link, else
the page id. Text corpora use article ids shared by all versions of one article; mined examples reuse
their source page's group so that they never leak across the split.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from difflib import SequenceMatcher
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from .._extras import EXTRA_OF, PACKAGE_OF, MissingExtraError
from ..config import DEFAULT_CONFIG
from ..segment import html_to_text, segment
from ..types import Label
from .data import DataError, Document, read_documents, write_documents

__all__ = [
    "CONVERTERS",
    "CORPORA",
    "FILLER_RE",
    "PROMO_RE",
    "GoldPage",
    "align_labels",
    "cache_dir",
    "gold_coverage",
    "gold_pages",
    "import_corpus",
    "is_corpus",
    "render",
    "split_noncore",
]

_SEG_CONFIG = DEFAULT_CONFIG.with_options(detect_html=False)
DEFAULT_CONVERTERS = ("html_text", "inscriptis")


# --------------------------------------------------------------------------------------------- converters


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


def _paragraphs(text: str) -> list[str]:
    """Paragraphs exactly as the product will see them at inference time."""
    return [p.text for p in segment(text, _SEG_CONFIG)]


# ------------------------------------------------------------------------------------------------- rules

_WORD_RE = re.compile(r"\w+")

#: Calls to action and related-content markers (applied to non-core paragraphs of <= 25 words).
PROMO_RE = re.compile(
    r"\bread (?:more|full|the full|next|also)\b|\bcontinue reading\b|\brelated\b|\balso (?:read|see"
    r"|check out)\b"
    r"|\bsee also\b|\bmore (?:from|on|in|stories|news|headlines|articles|videos|coverage)\b|\brecommended\b"
    r"|\bmost (?:popular|read|viewed|emailed|e-mailed|shared|commented|watched)\b|\btrending\b|\bsponsored\b"
    r"|\bpromoted\b|\bpaid (?:content|post|partner)|^\W*advertisement\b\W*\w|\bsubscribe\b|\bsign up\b"
    r"|\bnewsletters?\b|\bfollow us\b|\bfollow \w+(?: \w+)? on (?:twitter|facebook|instagram)\b"
    r"|\blike us on\b|\b(?:download|get) (?:the|our)(?: free)?(?: \w+)? app\b|\bapp store\b|\bgoogle play\b"
    r"|^\W*watch\b|\bwatch (?:the )?(?:video|live)\b|^\W*videos?\s*:|^\W*photos?\s*:|\bgallery\b"
    r"|\bslideshow\b"
    r"|\bclick here\b|\bshare (?:this|on)\b|\byou (?:may|might) also\b|\bdon'?t miss\b|\beditor'?s picks?\b",
    re.IGNORECASE,
)
#: Headers that introduce a related-links list; headline-like lines right after them are promotion.
_PROMO_HEADER_RE = re.compile(
    r"^\W*(?:related|see also|also read|more (?:from|on|in|stories|news|headlines)|recommended"
    r"|you (?:may|might)"
    r" also|most (?:popular|read|viewed|emailed|shared)|trending|top stories|editor'?s picks?)\b",
    re.IGNORECASE,
)
#: Chrome that looks like a headline but is not a related link (kept boilerplate).
_CHROME_RE = re.compile(
    r"©|\(c\)|\bcopyright\b|all rights reserved|\bprivacy\b|\bterms of\b|\bcookies?\b|\bcontact us\b"
    r"|\babout us\b"
    r"|\blog ?in\b|\bsign in\b|\bregister\b|\bskip to\b|\|",
    re.IGNORECASE,
)
#: Interface words that a gold text may contain (Dragnet golds keep comment threads) but that are never
#: reporting; as a whole short paragraph they are not core.
_UI_RE = re.compile(
    r"^\W*(?:reply|share|comments?|print|e-?mail|tweet|like|permalink|report abuse|log in to reply"
    r"|top|back to top"
    r"|next|previous|more|home|menu|search)\W*$",
    re.IGNORECASE,
)
#: Closing-paragraph lexicon of generated news ("editorial filler").
FILLER_RE = re.compile(
    r"\bin conclusion\b|^\W*overall\b|\boverall,|\bonly time will tell\b|\btime will tell\b"
    r"|\bremains to be seen\b"
    r"|\bit is clear that\b|\bas the situation\b|\bhighlights? the (?:importance|need)\b|\bunderscores?\b"
    r"|\bin summary\b|\bultimately\b|\bmoving forward\b|\bit will be interesting to see\b|\blooking ahead\b"
    r"|\bserves? as a (?:reminder|testament)\b|\ba testament to\b|\bsheds? light\b|\bplays? a crucial role\b"
    r"|\bin the end\b|\ball in all\b|\bto sum up\b|\bit is (?:important|essential|crucial) (?:to|that)\b"
    r"|\bonly the future\b|\bwhat the future holds\b|\bin the coming (?:months|years|weeks)\b",
    re.IGNORECASE,
)
_SENT_RE = re.compile(r"(?<=[.!?])[\"'”’)]?\s+(?=[\"“‘(]?[A-Z0-9])")


def _tokens(text: str) -> list[str]:
    return _WORD_RE.findall(unicodedata.normalize("NFKC", text).lower())


def _is_promo(text: str) -> bool:
    return len(text.split()) <= 25 and bool(PROMO_RE.search(text))


def _headline_like(text: str) -> bool:
    words = text.split()
    if not 4 <= len(words) <= 15 or text.rstrip().endswith((".", "!", "?", ":", ";")):
        return False
    return not _CHROME_RE.search(text)


def split_noncore(
    paragraphs: list[str], core: list[bool], fixed: dict[int, Label] | None = None
) -> list[Label]:
    """Labels for a page given which paragraphs are core; non-core ones become promotion or boilerplate.

    ``fixed`` holds labels already known from human annotation (they win over the rules). See the module
    docstring for the rules and why they are ordered this way.
    """
    fixed = fixed or {}
    n = len(paragraphs)
    labels = [Label.CORE if core[i] else Label.BOILERPLATE for i in range(n)]
    free = [not core[i] and i not in fixed for i in range(n)]
    for i in range(n):
        if free[i] and _is_promo(paragraphs[i]):
            labels[i] = Label.PROMOTION
    headline = [free[i] and _headline_like(paragraphs[i]) for i in range(n)]
    i = 0
    while i < n:
        if not headline[i]:
            i += 1
            continue
        j = i
        while j < n and headline[j]:
            j += 1
        after_header = i > 0 and not core[i - 1] and bool(_PROMO_HEADER_RE.search(paragraphs[i - 1]))
        if j - i >= 3 or after_header:
            for k in range(i, j):
                labels[k] = Label.PROMOTION
        i = j
    for k, lab in fixed.items():
        labels[k] = lab
    return labels


def align_labels(paragraphs: list[str], gold_text: str) -> list[Label]:
    """Label rendered paragraphs against a page's gold main text (rules in the module docstring)."""
    gold_toks = _tokens(gold_text)
    gold_grams = set(zip(gold_toks, gold_toks[1:], gold_toks[2:], strict=False))
    gold_joined = " " + " ".join(gold_toks) + " "
    gold_lines = {" ".join(_tokens(line)) for line in gold_text.splitlines()}
    toks = [_tokens(p) for p in paragraphs]
    n = len(paragraphs)
    core = [False] * n
    long_core = [False] * n
    for i, t in enumerate(toks):
        if len(t) >= 6:
            grams = list(zip(t, t[1:], t[2:], strict=False))
            core[i] = long_core[i] = sum(g in gold_grams for g in grams) * 2 > len(grams)
    candidates = [
        i
        for i, t in enumerate(toks)
        if 0 < len(t) < 6
        and not _UI_RE.match(paragraphs[i])
        and (" " + " ".join(t) + " " in gold_joined if len(t) >= 3 else " ".join(t) in gold_lines)
    ]
    changed = True
    while changed:
        changed = False
        for i in candidates:
            if core[i]:
                continue
            ref = core if len(toks[i]) >= 3 else long_core
            lo, hi = max(0, i - 2), min(n, i + 3)
            if any(ref[k] for k in range(lo, hi) if k != i):
                core[i] = changed = True
    return split_noncore(paragraphs, core)


def gold_coverage(paragraphs: list[str], labels: list[Label], gold_text: str) -> float:
    """Share of gold tokens (as a multiset) found in paragraphs labelled core; ~1.0 when alignment works."""
    gold = Counter(_tokens(gold_text))
    total = sum(gold.values())
    if not total:
        return 1.0
    got = Counter(
        t for p, lab in zip(paragraphs, labels, strict=False) if lab is Label.CORE for t in _tokens(p)
    )
    return sum(min(c, got[t]) for t, c in gold.items()) / total


_L3S_MAP = {
    "headline": Label.CORE,
    "fulltext": Label.CORE,
    "related_content": Label.PROMOTION,
    "supplemental": Label.BOILERPLATE,
    "comments": Label.BOILERPLATE,
}


def _l3s_labels(paragraphs: list[str], blocks: list[tuple[str, str]]) -> list[Label]:
    """Map rendered paragraphs onto L3S human block labels by monotonic token alignment."""
    block_toks: list[str] = []
    block_labs: list[str] = []
    for text, lab in blocks:
        t = _tokens(text)
        block_toks.extend(t)
        block_labs.extend([lab] * len(t))
    para_toks: list[str] = []
    owner: list[int] = []
    sizes: list[int] = []
    for i, p in enumerate(paragraphs):
        t = _tokens(p)
        para_toks.extend(t)
        owner.extend([i] * len(t))
        sizes.append(len(t))
    votes: list[Counter[str]] = [Counter() for _ in paragraphs]
    matcher = SequenceMatcher(None, para_toks, block_toks, autojunk=False)
    for a, b, size in matcher.get_matching_blocks():
        for k in range(size):
            votes[owner[a + k]][block_labs[b + k]] += 1
    core = [False] * len(paragraphs)
    fixed: dict[int, Label] = {}
    for i, v in enumerate(votes):
        if not v or sum(v.values()) * 2 < sizes[i]:
            continue
        mapped = _L3S_MAP.get(v.most_common(1)[0][0])
        if mapped is Label.CORE:
            core[i] = True
        elif mapped is not None:
            fixed[i] = mapped
    return split_noncore(paragraphs, core, fixed)


# ------------------------------------------------------------------------------------------------- groups

_SLD = {"co", "com", "org", "net", "ac", "gov", "edu", "ne", "or", "go"}
_ALIASES = {"wapo": "washingtonpost", "ars": "arstechnica", "nyt": "nytimes"}
_CANONICAL_RE = re.compile(
    r"<link[^>]+rel=[\"']canonical[\"'][^>]*href=[\"']([^\"']+)"
    r"|<meta[^>]+og:url[\"'][^>]*content=[\"']([^\"']+)"
    r"|<link[^>]+href=[\"']([^\"']+)[\"'][^>]*rel=[\"']canonical",
    re.IGNORECASE,
)


def site_group(url: str | None) -> str | None:
    """``site:<name>`` from a URL's registrable domain (``news.bbc.co.uk`` -> ``site:bbc``), else None.

    Using the name without TLD or subdomain makes the same site collide across corpora and URL styles, which
    is what a leak-free split by site needs (merging two sites only makes the split stricter).
    """
    if not url:
        return None
    try:
        host = urlsplit(url if "//" in url else "//" + url).hostname or ""
    except ValueError:
        return None
    parts = [p for p in host.lower().split(".") if p]
    if len(parts) < 2 or all(p.isdigit() for p in parts):
        return f"site:{host}" if host else None
    name = parts[-3] if len(parts) >= 3 and parts[-2] in _SLD and len(parts[-1]) == 2 else parts[-2]
    return f"site:{_ALIASES.get(name, name)}"


def _canonical_group(html: str) -> str | None:
    m = _CANONICAL_RE.search(html[:200_000])
    if not m:
        return None
    url = next(g for g in m.groups() if g)
    return site_group(url) if url.startswith(("http://", "https://", "//")) else None


# -------------------------------------------------------------------------------------------- corpus io


def _read_jsonl(path: Path) -> Iterator[dict[str, Any]]:
    opener: Any = gzip.open if path.name.endswith(".gz") else open
    with opener(path, "rt", encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                yield json.loads(line)


@dataclass(frozen=True)
class _Spec:
    name: str  # source name used in documents and cache files
    rel: str  # folder relative to the corpora root
    html: bool
    licence: str


CORPORA: tuple[_Spec, ...] = (
    _Spec("l3s_gn1", "l3s_gn1", True, "L3S research-only licence"),
    _Spec("dragnet2013", "dragnet2013", True, "research use (rights with publishers)"),
    _Spec("readability_testpages", "readability_testpages", True, "Apache-2.0 repo; pages third-party"),
    _Spec("cleaneval_dev", "cleaneval/dev", True, "research use (CleanEval)"),
    _Spec("cleaneval_final", "cleaneval/final", True, "research use (CleanEval)"),
    _Spec("cleanportaleval", "cleaneval/cleanportaleval", True, "research use (CleanPortalEval)"),
    _Spec("bbc_fulltext", "bbc_fulltext", False, "research use, (c) BBC"),
    _Spec("dragnet2020_gold", "dragnet2020_gold", False, "CC BY 4.0; text (c) publishers"),
    _Spec("turku_line_quality", "turku_line_quality", False, "no licence stated; research use"),
    _Spec("chatgpt_news_iu", "chatgpt_news_iu", False, "no licence; research use (cite authors)"),
    _Spec("ghostbuster_more", "ghostbuster_more", False, "no licence found; research use only"),
    _Spec("ghostbuster_gpt_sample", "ghostbuster_gpt_sample", False, "no licence found; research use only"),
    _Spec("mined_examples", "mined_examples", False, "derived from the corpora above; their licences"),
)
_BY_NAME = {s.name: s for s in CORPORA}


@dataclass(frozen=True)
class _Page:
    """One HTML page with its gold: either a gold text or (L3S) labelled blocks."""

    corpus: str
    page_id: str
    group: str
    html: str
    gold_text: str
    blocks: tuple[tuple[str, str], ...] = ()
    alt_html: str = ""  # L3S: the same page as re-serialised by the annotation tool (well-formed)


def _clean_gold(gold: str) -> str:
    """Gold text without CleanEval's leading ``URL:`` line; UTF-16 files mis-decoded as 8-bit are repaired."""
    if gold.startswith(("\xff\xfe", "\xfe\xff")) or gold.count("\x00") > len(gold) // 4:
        raw = gold.encode("latin-1", errors="ignore")
        enc = "utf-16-be" if raw.startswith(b"\xfe\xff") else "utf-16-le"
        gold = raw.decode(enc, errors="ignore").lstrip("\ufeff")
    return re.sub(r"^\s*URL:\s*\S+\s*\n", "", gold, count=1)


def _html_pages(spec: _Spec, folder: Path) -> Iterator[_Page]:
    if spec.name == "l3s_gn1":
        blocks: dict[str, list[tuple[int, str, str]]] = {}
        for b in _read_jsonl(folder / "blocks.jsonl.gz"):
            blocks.setdefault(b["doc_id"], []).append((int(b["block_idx"]), b["text"], b["label"]))
        for r in _read_jsonl(folder / "pages.jsonl.gz"):
            pid = r["doc_id"]
            blist = tuple((t, lab) for _, t, lab in sorted(blocks.get(pid, [])))
            group = site_group(r.get("url")) or f"l3s_gn1:{pid}"
            yield _Page(
                spec.name,
                pid,
                group,
                r["html_original"] or "",
                r.get("gold_headline_fulltext") or "",
                blist,
                r.get("html_annotated") or "",
            )
        return
    for r in _read_jsonl(folder / "pages.jsonl.gz"):
        pid = str(r["id"])
        html = r.get("html") or ""
        if spec.name == "readability_testpages":
            prefix = re.sub(r"-\d+$", "", pid)
            group = f"site:{_ALIASES.get(prefix, prefix)}"
        else:
            group = site_group(r.get("url")) or _canonical_group(html) or f"{spec.name}:{pid}"
        yield _Page(spec.name, pid, group, html, _clean_gold(r.get("gold_text") or ""))


def _page_document(page: _Page, converter: str, licence: str) -> Document | None:
    """One rendering of one page, labelled.

    A few L3S originals are damaged (an unclosed ``<title>`` or comment swallows the article); when the
    original's rendering covers under half of the gold, the annotated copy of the same page, which the
    annotation browser re-serialised into well-formed markup, is rendered instead (what a browser-based
    scraper would have seen).
    """
    html_used = "original"
    paras = _paragraphs(render(page.html, converter))
    if page.blocks:
        labels = _l3s_labels(paras, list(page.blocks))
        cov = gold_coverage(paras, labels, page.gold_text) if paras else 0.0
        if cov < 0.5 and page.alt_html:
            alt = _paragraphs(render(page.alt_html, converter))
            alt_labels = _l3s_labels(alt, list(page.blocks))
            if alt and gold_coverage(alt, alt_labels, page.gold_text) > cov:
                paras, labels, html_used = alt, alt_labels, "annotated"
    else:
        labels = align_labels(paras, page.gold_text)
    if not paras:
        return None
    return Document(
        id=f"{page.corpus}:{page.page_id}:{converter}",
        paragraphs=paras,
        labels=labels,
        source=page.corpus,
        group=page.group,
        provenance={
            "method": "importer",
            "corpus": page.corpus,
            "page_id": page.page_id,
            "converter": converter,
            "licence": licence,
            "labels": "human blocks" if page.blocks else "gold alignment",
            "html": html_used,
        },
        style="real_page",
    )


def _page_job(args: tuple[_Page, str, str]) -> Document | None:
    return _page_document(*args)


def _doc(
    spec: _Spec, doc_id: str, paras: list[str], labels: list[Label], group: str, style: str, **prov: Any
) -> Document:
    return Document(
        id=f"{spec.name}:{doc_id}",
        paragraphs=paras,
        labels=labels,
        source=spec.name,
        group=group,
        provenance={
            "method": "importer",
            "corpus": spec.name,
            "page_id": doc_id,
            "converter": "none",
            "licence": spec.licence,
            **prov,
        },
        style=style,
    )


def _sentence_paragraphs(text: str, size: int = 3) -> list[str]:
    """Paragraphs of a text; one without breaks is cut into ``size``-sentence paragraphs (news length)."""
    paras = _paragraphs(text)
    if len(paras) > 1:
        return paras
    sents = [s.strip() for s in _SENT_RE.split(text.strip()) if s.strip()]
    return [" ".join(sents[i : i + size]) for i in range(0, len(sents), size)]


def _title_group(title: str) -> str:
    return "chatgpt_news:" + hashlib.sha1(title.strip().lower().encode()).hexdigest()[:12]


def _closing_filler(paras: list[str]) -> str | None:
    last = paras[-1].strip() if paras else ""
    return last if last and FILLER_RE.search(last) else None


def _ghost_group(path: str) -> str:
    parts = path.split("/")  # data/reuter/<gen>/<Author>/<n>.txt
    author = parts[-2] if len(parts) >= 2 else "unknown"
    return f"ghostbuster:{author}:{parts[-1].split('.')[0]}"


def _text_documents(spec: _Spec, folder: Path, root: Path | None) -> Iterator[Document]:  # noqa: C901
    core_style = "clean_article"
    if spec.name == "bbc_fulltext":
        for r in _read_jsonl(folder / "bbc_articles.jsonl.gz"):
            aid = str(r["id"]).removesuffix(".txt")
            paras = [p for p in [r.get("title", "")] + list(r["paragraphs"]) if p and p.strip()]
            yield _doc(spec, aid, paras, [Label.CORE] * len(paras), f"bbc_fulltext:{aid}", core_style)
    elif spec.name == "dragnet2020_gold":
        for r in _read_jsonl(folder / "gold_texts.jsonl.gz"):
            paras = _paragraphs(r.get("text") or "")
            title = (r.get("title") or "").strip()
            if title and (not paras or paras[0].strip() != title):
                paras.insert(0, title)
            if paras:
                group = site_group(r.get("url")) or f"dragnet2020:{r['id']}"
                yield _doc(spec, str(r["id"]), paras, [Label.CORE] * len(paras), group, core_style)
    elif spec.name == "turku_line_quality":
        for split in ("train", "dev", "test"):
            with open(folder / f"en_{split}.json", encoding="utf-8") as fh:
                rows = json.load(fh)
            for n, row in enumerate(rows):
                lines = [str(x) for x in row["text"]]
                clean = [str(x) == "1" for x in row["labels"]]
                text = "\n".join(lines)
                starts = [0]
                for line in lines:
                    starts.append(starts[-1] + len(line) + 1)
                segs = segment(text, _SEG_CONFIG)
                paras, core = [p.text for p in segs], []
                for p in segs:
                    chars: Counter[bool] = Counter()
                    for k, line in enumerate(lines):
                        ov = min(p.end, starts[k] + len(line)) - max(p.start, starts[k])
                        if ov > 0:
                            chars[clean[k]] += ov
                    core.append(chars[True] > chars[False])
                if paras:
                    yield _doc(
                        spec,
                        f"{split}:{n}",
                        paras,
                        split_noncore(paras, core),
                        f"turku:{split}:{n}",
                        "web_page_text",
                    )
    elif spec.name == "chatgpt_news_iu":
        for n, r in enumerate(_read_jsonl(folder / "news_human.jsonl")):
            paras = _sentence_paragraphs(r.get("text") or "")
            if paras:
                yield _doc(
                    spec,
                    f"human:{n}",
                    paras,
                    [Label.CORE] * len(paras),
                    _title_group(r["title_en"]),
                    core_style,
                    variant="human",
                )
        for n, r in enumerate(_read_jsonl(folder / "news_chatgpt.jsonl")):
            filler = _closing_filler(_sentence_paragraphs(r.get("text") or ""))
            if filler:
                yield _doc(
                    spec,
                    f"chatgpt:{n}",
                    [filler],
                    [Label.FILLER],
                    _title_group(r["title_en"]),
                    "generated_closing",
                    variant=r.get("source", ""),
                )
    elif spec.name in ("ghostbuster_more", "ghostbuster_gpt_sample"):
        fname = "articles.jsonl" if spec.name == "ghostbuster_more" else "final_paragraphs.jsonl"
        for r in _read_jsonl(folder / fname):
            path, gen = str(r["path"]), str(r["generator"])
            did = path.removeprefix("data/reuter/").removesuffix(".txt")
            paras = [p for p in r.get("paragraphs") or [r.get("final_paragraph") or ""] if p.strip()]
            if gen == "human":
                yield _doc(spec, did, paras, [Label.CORE] * len(paras), _ghost_group(path), core_style)
            elif filler := _closing_filler(paras):
                yield _doc(
                    spec,
                    did,
                    [filler],
                    [Label.FILLER],
                    _ghost_group(path),
                    "generated_closing",
                    generator=gen,
                )
    elif spec.name == "mined_examples":
        yield from _mined_documents(spec, folder, root)


def _source_groups(root: Path | None) -> dict[tuple[str, str], str]:
    """(source corpus, page id) -> group of that page in its own importer, so mined lines share its split."""
    out: dict[tuple[str, str], str] = {}
    if root is None:
        return out
    for spec in CORPORA:
        folder = root / spec.rel
        if spec.html and (folder / "pages.jsonl.gz").exists():
            key = spec.rel if spec.name != "readability_testpages" else "readability_testpages"
            if spec.name == "l3s_gn1":
                for r in _read_jsonl(folder / "pages.jsonl.gz"):
                    out[(key, r["doc_id"])] = site_group(r.get("url")) or f"l3s_gn1:{r['doc_id']}"
            else:
                for page in _html_pages(spec, folder):
                    out[(key, page.page_id)] = page.group
    bbc = root / "bbc_fulltext" / "bbc_articles.jsonl.gz"
    if bbc.exists():
        for r in _read_jsonl(bbc):
            aid = str(r["id"]).removesuffix(".txt")
            out[("bbc_title", str(r.get("title", "")).strip())] = f"bbc_fulltext:{aid}"
    return out


_MINED_CHROME_RE = re.compile(
    r"\bcomments?\b|\blog ?in\b|\bsign ?in\b|copyright|\u00a9|rights reserved|homepage|\bregister(?:ed)? office",
    re.IGNORECASE,
)


def _mined_documents(spec: _Spec, folder: Path, root: Path | None) -> Iterator[Document]:
    groups = _source_groups(root)
    pseudo: dict[tuple[str, str], list[str]] = {}
    for r in _read_jsonl(folder / "promo_candidates.jsonl.gz"):
        text = str(r["text"]).strip()
        basis = str(r.get("label_basis", ""))
        ok = basis == "human:related_content" or (bool(r.get("promo_regex_hit")) and len(text.split()) < 25)
        if text and ok:
            pseudo.setdefault((str(r["source"]), str(r["doc_id"])), []).append(text)
    # Spot check (40 lines sampled with seed 7, read by hand, 2026-12-01): 33 were promotion (subscribe
    # and newsletter prompts, "More from ...", related headlines, teaser summaries of other stories), 5 were
    # site chrome that the phrase list also hits (comment counts, "User login", copyright lines, "Travel
    # Homepage"), 2 were ambiguous teaser-or-story lines. Chrome is site furniture, not promotion, in the
    # labelling guide, so lines matching _MINED_CHROME_RE are labelled boilerplate.
    for (source, doc_id), lines in pseudo.items():
        group = groups.get((source, doc_id), f"{source}:{doc_id}")
        for k in range(0, len(lines), 5):
            chunk = lines[k : k + 5]
            yield _doc(
                spec,
                f"promo:{source}:{doc_id}:{k // 5}",
                chunk,
                [Label.BOILERPLATE if _MINED_CHROME_RE.search(t) else Label.PROMOTION for t in chunk],
                group,
                "mined_lines",
            )
    for n, r in enumerate(_read_jsonl(folder / "filler_candidates.jsonl.gz")):
        source, para = str(r["source"]), str(r.get("paragraph") or r.get("sentence") or "").strip()
        if not para:
            continue
        if source.startswith("chatgpt_news_iu/chatgpt"):
            if int(r.get("para_idx", -1)) == int(r.get("n_paras", 0)) - 1:
                yield _doc(
                    spec,
                    f"filler:{n}",
                    [para],
                    [Label.FILLER],
                    _title_group(str(r.get("title", ""))),
                    "generated_closing",
                )
        elif source.startswith("chatgpt_news_iu"):
            yield _doc(
                spec,
                f"filler:{n}",
                [para],
                [Label.CORE],
                _title_group(str(r.get("title", ""))),
                "hard_negative",
            )
        elif source.startswith("bbc"):
            title = str(r.get("title", "")).strip()
            group = groups.get(("bbc_title", title), f"bbc_fulltext:title:{title}")
            yield _doc(spec, f"filler:{n}", [para], [Label.CORE], group, "hard_negative")


# ----------------------------------------------------------------------------------------------- dispatch


def _find_specs(path: Path) -> tuple[Path, list[_Spec]]:
    """(corpora root, specs) for a corpus folder, the cleaneval parent, or the corpora root itself."""
    path = path.resolve()
    for spec in CORPORA:
        rel = Path(spec.rel).parts
        if path.parts[-len(rel) :] == rel and any(path.glob("*.json*")):
            return path.parents[len(rel) - 1], [spec]
    if path.name == "cleaneval" and (path / "dev").is_dir():
        return path.parent, [s for s in CORPORA if s.rel.startswith("cleaneval/")]
    present = [s for s in CORPORA if (path / s.rel).is_dir()]
    if len(present) >= 2 and (path / "README.md").exists():
        return path, present
    return path, []


def is_corpus(path: str | Path) -> bool:
    """True for one of the known corpus folders (or ``cleaneval/``) or the corpora root."""
    p = Path(path)
    return p.is_dir() and bool(_find_specs(p)[1])


def cache_dir() -> Path:
    """Where imported documents are cached: outside git, because the corpora may not be redistributed."""
    env = os.environ.get("ARTICLE_FILTER_CACHE")
    base = Path(env).expanduser() if env else Path.home() / ".cache" / "article-filter"
    return base / "imports"


def _code_version() -> str:
    """Hash of the code that determines the output, so a code change never serves stale cached labels."""
    h = hashlib.sha256()
    here = Path(__file__).resolve().parent
    for f in (here / "importers.py", here.parent / "segment.py", here.parent / "config.py"):
        if f.exists():
            h.update(f.read_bytes())
    return h.hexdigest()[:12]


def _data_version(folder: Path) -> str:
    h = hashlib.sha256()
    for f in sorted(folder.iterdir()):
        if f.is_file():
            st = f.stat()
            h.update(f"{f.name}:{st.st_size}:{int(st.st_mtime)}".encode())
    return h.hexdigest()[:8]


def _build_html(spec: _Spec, folder: Path, converter: str, limit: int | None, pool: bool) -> list[Document]:
    pages = _html_pages(spec, folder)
    jobs: Iterable[tuple[_Page, str, str]] = (
        (p, converter, spec.licence) for n, p in enumerate(pages) if limit is None or n < limit
    )
    if pool:
        import multiprocessing as mp

        with mp.get_context("fork" if os.name != "nt" else "spawn").Pool(2) as workers:
            results = list(workers.imap(_page_job, jobs, chunksize=4))
    else:
        results = [_page_job(j) for j in jobs]
    return [d for d in results if d is not None]


def _limited(docs: Iterator[Document], limit: int | None) -> list[Document]:
    """The first ``limit`` documents of each style (so a quick run still sees human and generated texts)."""
    if limit is None:
        return list(docs)
    out: list[Document] = []
    per_style: Counter[str] = Counter()
    for d in docs:
        if per_style[d.style] < limit:
            per_style[d.style] += 1
            out.append(d)
    return out


def _import_one(
    spec: _Spec, root: Path, converters: tuple[str, ...], limit: int | None, cache: bool
) -> list[Document]:
    folder = root / spec.rel
    out: list[Document] = []
    for conv in converters if spec.html else ("text",):
        if conv != "text" and conv not in CONVERTERS:
            raise ValueError(f"unknown converter {conv!r} (known: {', '.join(CONVERTERS)})")
        target = cache_dir() / f"{spec.name}.{conv}.{_code_version()}.{_data_version(folder)}.jsonl.gz"
        if cache and limit is None and target.exists():
            try:
                out.extend(read_documents(target))
                continue
            except (DataError, OSError):  # a truncated or foreign cache file: rebuild it
                target.unlink(missing_ok=True)
        if spec.html:
            docs = _build_html(spec, folder, conv, limit, pool=cache and limit is None)
        else:
            docs = _limited(_text_documents(spec, folder, root), limit)
        if cache and limit is None:
            # the temporary name keeps the .jsonl.gz suffix: write_documents picks gzip by suffix
            tmp = target.with_name(target.name.replace(".jsonl.gz", f".tmp{os.getpid()}.jsonl.gz"))
            write_documents(docs, tmp)
            tmp.replace(target)
        out.extend(docs)
    return out


def import_corpus(
    path: str | Path,
    converters: Iterable[str] = DEFAULT_CONVERTERS,
    limit: int | None = None,
    cache: bool = True,
) -> list[Document]:
    """Documents of a corpus folder (or every corpus below the corpora root), in a deterministic order.

    ``limit`` caps the source pages/articles per corpus (for quick runs; such partial imports are never
    cached). Full imports are cached per (corpus, converter, code version, data version) as ``.jsonl.gz`` in
    :func:`cache_dir`; building a cache renders pages with a pool of 2 processes.
    """
    root, specs = _find_specs(Path(path))
    if not specs:
        raise ValueError(f"not a known corpus folder: {path}")
    convs = tuple(converters)
    out: list[Document] = []
    for spec in specs:
        out.extend(_import_one(spec, root, convs, limit, cache))
    return out


@dataclass(frozen=True)
class GoldPage:
    """A rendered page and its gold main text, for benchmarks that score extraction against the gold."""

    corpus: str
    page_id: str
    group: str
    converter: str
    text: str
    gold_text: str


def gold_pages(
    path: str | Path, converters: Iterable[str] = DEFAULT_CONVERTERS, limit: int | None = None
) -> Iterator[GoldPage]:
    """Rendered pages with their gold text (HTML corpora only; L3S gold = headline + fulltext blocks)."""
    root, specs = _find_specs(Path(path))
    convs = tuple(converters)
    for spec in specs:
        if not spec.html:
            continue
        for n, page in enumerate(_html_pages(spec, root / spec.rel)):
            if limit is not None and n >= limit:
                break
            for conv in convs:
                text = render(page.html, conv)
                if text.strip() and page.gold_text.strip():
                    yield GoldPage(spec.name, page.page_id, page.group, conv, text, page.gold_text)
