"""Labelling rules: a rendered page's paragraphs -> labels, from the corpus's gold text or human blocks.

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
     a promotion header ("Related stories", "More from ..") is promotion at any length;
  3. everything else non-core is ``boilerplate``.
``filler`` is never produced from HTML pages (no page gold distinguishes it).

L3S-GN1 (human block labels): the page's labelled blocks form a token stream (each token carries its
block's label); a rendering's paragraph tokens are aligned to it with :class:`difflib.SequenceMatcher`
(monotonic, so the block order disambiguates repeated short strings). A paragraph takes the majority label
of its matched tokens: headline/fulltext -> core, related_content -> promotion, supplemental/comments ->
boilerplate; not_content/unlabeled, or under half of its tokens matched -> non-core split by the rules
above. A few originals are damaged (unclosed ``<title>``); then the annotated copy is rendered instead.

Groups (the split key) are sites: ``site:<name>`` from the URL (``news.bbc.co.uk`` -> ``site:bbc``), so a
site never straddles train/eval even across corpora; pages without a URL use their canonical link, else
the page id. Text corpora use article ids shared by all versions of one article; mined examples reuse
their source page's group so that they never leak across the split.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from difflib import SequenceMatcher
from urllib.parse import urlsplit

from ..config import DEFAULT_CONFIG
from ..segment import segment
from ..types import Label

__all__ = ["FILLER_RE", "PROMO_RE", "align_labels", "gold_coverage", "site_group", "split_noncore"]

_SEG_CONFIG = DEFAULT_CONFIG.with_options(detect_html=False)


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
