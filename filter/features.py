"""Stage 2: paragraphs -> feature matrices.

What separates the four labels in text alone: the words and character n-grams themselves (hashed, so the
model needs no vocabulary file and stays small), shape (length, punctuation, digits, capitalisation),
reporting cues (quotes, attributions), call-to-action and link cues, the density of generic phrases that
marks filler, the paragraph's position, and its neighbourhood (a one-line item in a run of one-line items is
chrome; a short line between long reporting paragraphs usually is not).
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import chain, repeat

import numpy as np

from . import hashgrams

__all__ = [
    "FeatureSet",
    "Vocabulary",
    "DENSE_NAMES",
    "CUE_LEXICONS",
    "IMPERATIVE_OPENERS",
    "PATTERN_HEAD",
    "extract",
    "grams",
    "build_vocabulary",
]

#: Words plus single punctuation marks, so that "\u00bb", "|", ":" and "\u00a9" become tokens the model can weigh.
_GRAM_TOKEN_RE = re.compile(r"\w+|[^\w\s]")
#: Word n-grams use at most this many characters of a paragraph: cues sit at the start ("READ MORE:",
#: "By ..."), and it bounds the cost of pathological single-line inputs. 99.6% of the 20,545 paragraphs of
#: the clean BBC and Dragnet-2020 articles are at most 2,000 characters (measured with the importers).
GRAM_HEAD = 2_000
#: Cap for shape statistics (a safety bound, far above real paragraphs).
TEXT_CAP = 20_000


def grams(text: str) -> list[str]:
    """Lower-cased word/punctuation unigrams and bigrams of a paragraph's head (as :func:`extract` sees them)."""
    toks = _GRAM_TOKEN_RE.findall(text[:GRAM_HEAD].lower())
    return toks + [a + " " + b for a, b in zip(toks, toks[1:])]


Vocabulary = dict[str, int]


def build_vocabulary(paragraphs: Iterable[str], max_features: int = 150_000, min_df: int = 3) -> Vocabulary:
    """The most frequent n-grams (by paragraphs containing them) seen at least ``min_df`` times.

    A vocabulary instead of feature hashing: lookups are plain dict hits at inference (no scikit-learn
    import, which alone takes ~2 s), and 150k entries keep the model file a few MB. ``min_df=3`` drops
    one-off names and numbers, which cannot generalise to other sites anyway.
    """
    df: Counter[str] = Counter()
    for text in paragraphs:
        df.update(set(grams(text)))
    common = [(g, c) for g, c in df.items() if c >= min_df]
    common.sort(key=lambda gc: (-gc[1], gc[0]))
    vocab = {g: i for i, (g, _) in enumerate(common[:max_features])}
    # Cue phrases are always in the vocabulary: cue counts are computed from vocabulary ids.
    for g in sorted(_ALL_LEXICON_GRAMS):
        vocab.setdefault(g, len(vocab))
    return vocab


def _lexicon(*phrases: str) -> frozenset[str]:
    """Cue phrases as the unigrams/bigrams :func:`grams` produces, so a cue count is one set intersection
    with the paragraph's n-grams (regex alternations over these lists ran at 2-5 MB/s, too slow)."""
    out = set()
    for phrase in phrases:
        toks = _GRAM_TOKEN_RE.findall(phrase.lower())
        out.add(" ".join(toks))
    return frozenset(out)


_ATTRIB = _lexicon(
    "said",
    "says",
    "told",
    "added",
    "stated",
    "announced",
    "reported",
    "explained",
    "noted",
    "wrote",
    "testified",
    "confirmed",
    "insisted",
    "argued",
    "warned",
    "according to",
)
_CTA = _lexicon(
    "check out",
    "read more",
    "read next",
    "also read",
    "read also",
    "see also",
    "more from",
    "more on",
    "related stories",
    "related articles",
    "related coverage",
    "related content",
    "related news",
    "related :",
    "most popular",
    "most read",
    "most viewed",
    "most shared",
    "sign up",
    "follow us",
    "download the",
    "download our",
    "get the",
    "the app",
    "click here",
    "tap here",
    "watch :",
    "listen :",
    "photos :",
    "photo :",
    "video :",
    "you may",
    "might also",
    "may also",
    "share this",
    "share on",
    "join our",
    "shop now",
    "buy now",
    "learn more",
    "more stories",
    "top stories",
    "recommended",
    "trending",
    "sponsored",
    "promoted",
    "subscribe",
    "subscribers",
    "newsletter",
    "podcast",
    "gallery",
    "slideshow",
    "affiliate",
    "commission",
    "don't miss",
    "also check",
    "also see",
    "also watch",
    "must read",
    "editor's picks",
    "partner content",
)
_CHROME = _lexicon(
    "\u00a9",
    "copyright",
    "privacy",
    "cookie",
    "cookies",
    "menu",
    "login",
    "register",
    "loading",
    "advertisement",
    "comments",
    "comment",
    "share",
    "tweet",
    "facebook",
    "twitter",
    "linkedin",
    "whatsapp",
    "reddit",
    "pinterest",
    "instagram",
    "email",
    "print",
    "all rights",
    "rights reserved",
    "terms of",
    "contact us",
    "about us",
    "log in",
    "sign in",
    "skip to",
    "back to",
    "posted by",
    "posted on",
    "updated :",
    "published :",
    "( c",
    "home",
    "search",
    "next",
    "previous",
    "reply",
    "permalink",
)
_FILLER = _lexicon(
    "be seen",
    "will tell",
    "stay tuned",
    "in conclusion",
    "is clear",
    "is evident",
    "worth noting",
    "importance of",
    "ongoing efforts",
    "ongoing debate",
    "continues to",
    "to evolve",
    "to unfold",
    "moving forward",
    "going forward",
    "in summary",
    "sum up",
    "be interesting",
    "public's",
    "key role",
    "important role",
    "crucial role",
    "vital role",
    "significant role",
    "pivotal role",
    "serves as",
    "a reminder",
    "in today",
    "need to know",
    "shed light",
    "sheds light",
    "road ahead",
    "looking ahead",
    "an eye",
    "remains a",
    "be overstated",
    "raises questions",
    "important questions",
    "years to come",
    "future of",
    "broader implications",
    "overall",
    "underscores",
    "underscore",
    "underscored",
    "highlights",
    "highlight",
    "highlighted",
    "crucial",
    "ultimately",
    "landscape",
    "navigate",
    "navigating",
    "testament",
    "delve",
    "pivotal",
    "stakeholders",
    "significant",
    "significance",
    "unfolds",
    "evolving",
    "remains to",
    "time will",
    "watch this",
    "this space",
    "developing story",
    "more details",
    "stay informed",
    "only time",
    "it is important",
    "it is essential",
    "it is crucial",
)
_URLISH = _lexicon("http", "https", "www", "com", "org", "html", "@", ".com", "co . uk")
_TIMEISH = _lexicon(
    "am",
    "pm",
    "a . m",
    "p . m",
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
    "jan",
    "feb",
    "mar",
    "apr",
    "jun",
    "jul",
    "aug",
    "sep",
    "sept",
    "oct",
    "nov",
    "dec",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "yesterday",
    "today",
    "gmt",
    "utc",
    "est",
    "edt",
    "bst",
)
#: Second-person words: promotion talks to the reader ("your inbox", "you'll love"), reporting rarely does
#: outside quotes.
_YOU = _lexicon("you", "your", "yours", "yourself", "u")
#: Cue lexicons in the order of their count columns.
_LEXICONS = (_ATTRIB, _CTA, _CHROME, _FILLER, _URLISH, _TIMEISH, _YOU)
#: Verbs that open a call to action when they are a paragraph's first word (imperative mood). A closed
#: list of English imperatives common in calls to action, written for this project; reporting opens with a
#: subject far more often than with a bare verb, so a hit is strong evidence whatever words follow.
IMPERATIVE_OPENERS = frozenset(
    "sign subscribe get download join follow read watch listen click tap share try save shop discover find "
    "learn support donate register enjoy tell send become claim grab unlock start upgrade install book buy "
    "order visit explore see check catch stream browse keep stay never don't dont love want like enter win "
    "vote comment rate take make give let meet hear play opt continue log apply call email text".split()
)
_ALL_LEXICON_GRAMS = frozenset().union(*_LEXICONS, IMPERATIVE_OPENERS)
#: The cue lexicons by name, for reader-facing cues (filter.cues).
CUE_LEXICONS: dict[str, frozenset[str]] = {
    "attribution": _ATTRIB,
    "call_to_action": _CTA,
    "chrome": _CHROME,
    "generic": _FILLER,
    "second_person": _YOU,
}
_PREFIX_RE = re.compile(r"^\s*[A-Z][A-Za-z' ]{1,30}:\s")

_SELF_NAMES = [
    "log_chars",
    "log_words",
    "mean_word_len",
    "upper_ratio",
    "digit_ratio",
    "punct_ratio",
    "ends_terminal",
    "starts_upper",
    "title_ratio",
    "quote_count",
    "attrib_count",
    "cta_count",
    "chrome_count",
    "filler_density",
    "filler_count",
    "url_count",
    "sep_count",
    "has_prefix",
    "all_caps",
    "n_sentences",
    "time_count",
    "short",
    "one_sentence",
    "you_count",
    "imperative_first",
    "glyph_first",
    "title_no_stop",
    "proper_ratio",
    "price_count",
    "percent_count",
    "code_count",
    "handle_count",
    "emoji_count",
    "number_count",
    "specific_density",
    "novel_specifics",
    "shared_specific_share",
]
_POS_NAMES = ["rel_pos", "is_first", "is_last", "log_from_start", "log_from_end"]
_OFFSETS = (-2, -1, 1, 2)
_CTX_NAMES = [
    f"{name}@{off:+d}" for off in _OFFSETS for name in ("log_words", "ends_terminal", "short", "cta_count")
]
_DOC_NAMES = ["short_run", "doc_log_paras", "doc_long_share", "doc_mean_log_words", "rel_len_to_doc"]

#: Feature groups that ablations switch off together (``ModelParams.disabled_features``).
FEATURE_GROUPS: dict[str, tuple[str, ...]] = {
    "shape": (
        "you_count",
        "imperative_first",
        "glyph_first",
        "title_no_stop",
        "price_count",
        "percent_count",
        "code_count",
        "handle_count",
        "emoji_count",
    ),
    "density": (
        "proper_ratio",
        "number_count",
        "specific_density",
        "novel_specifics",
        "shared_specific_share",
    ),
}

#: Names of the dense (hand-made) feature columns, in order; used for cues and model cards.
DENSE_NAMES: list[str] = _SELF_NAMES + _POS_NAMES + _CTX_NAMES + _DOC_NAMES

#: A paragraph under this many words counts as "short" (menu items, link lines). On Dragnet 2013 rendered
#: pages (importer labels) 86% of non-core paragraphs and 32% of core ones are under 8 words (medians 3
#: and 12); 6 or 10 words move both shares by 7-10 points. It is one feature among many, not a rule.
SHORT_WORDS = 8

_I = {name: i for i, name in enumerate(_SELF_NAMES)}
_I_LOG_WORDS = _I["log_words"]
_I_TERMINAL = _I["ends_terminal"]
_I_SHORT = _I["short"]
_I_CTA = _I["cta_count"]
_CTX_COLS = [_I_LOG_WORDS, _I_TERMINAL, _I_SHORT, _I_CTA]

# Character classes for the vectorised shape statistics: bit flags per code point.
_UP, _LO, _DI, _SP, _PU, _QU, _SE, _END, _CLOSE = 1, 2, 4, 8, 16, 32, 64, 128, 256
_TABLE_SIZE = 0x3000


def _char_class(cp: int) -> int:
    c = chr(cp)
    flags = 0
    if c.isupper():
        flags |= _UP
    elif c.isalpha() or c == "_":
        flags |= _LO
    if c.isdigit():
        flags |= _DI
    if c.isspace() or c in "\u200b\u200c\u200d\u2060\ufeff":
        flags |= _SP
    elif not c.isalnum() and c != "_":
        flags |= _PU
    if c in '"\u201c\u201d\u00ab\u00bb\u201e':
        flags |= _QU
    if c in "\u00bb\u00ab|\u2192\u2022\u00b7>\u203a\u25b6\u25ba":
        flags |= _SE
    if c in ".!?\u2026":
        flags |= _END
    if c in "\"'\u201d\u2019)]":
        flags |= _CLOSE
    return flags


_CLASS_TABLE = np.array([_char_class(cp) for cp in range(_TABLE_SIZE)], dtype=np.uint16)
_N_STATS = 13


def _segment_sums(cols: list[np.ndarray], starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """Per segment ``[start, end)``, the number of True values in each boolean column.

    Several columns share one int64 cumulative sum, each in its own bit field wide enough for the whole
    batch: a segment's difference of packed sums is the packed differences, since none is negative.
    Three columns share one pass over the batch instead of one pass per column.
    """
    length = len(cols[0]) if cols else 0
    bits = max(length.bit_length(), 1)
    per_word = max(63 // bits, 1)
    out = np.zeros((len(starts), len(cols)), dtype=np.int64)
    mask = (1 << bits) - 1
    for g in range(0, len(cols), per_word):
        group = cols[g : g + per_word]
        packed = np.zeros(length, dtype=np.int64)
        for k, col in enumerate(group):
            packed |= col.astype(np.int64) << (k * bits)
        csum = np.concatenate([[0], np.cumsum(packed)])
        diff = csum[ends] - csum[starts]
        for k in range(len(group)):
            out[:, g + k] = (diff >> (k * bits)) & mask
    return out


def _char_stats(texts: Sequence[str]) -> np.ndarray:
    """Per text: chars, upper, lower, digits, punct, quotes, separators, words, title-case words, sentence
    ends, ends with terminal punctuation, starts upper-case.

    One pass over the whole batch as an array of code points: Python loops per character (or a dozen
    regex passes per paragraph) made feature extraction slower than the whole jusText pipeline.
    """
    n = len(texts)
    out = np.zeros((n, _N_STATS))
    if n == 0:
        return out
    lengths = np.fromiter((len(t) for t in texts), dtype=np.int64, count=n)
    cps = np.frombuffer("".join(texts).encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    flags = np.empty(len(cps), dtype=np.uint16)
    low = cps < _TABLE_SIZE
    flags[low] = _CLASS_TABLE[cps[low]]
    if not low.all():
        high = np.flatnonzero(~low)
        uniq, inverse = np.unique(cps[high], return_inverse=True)
        flags[high] = np.array([_char_class(int(u)) if u < 0x110000 else _PU for u in uniq], dtype=np.uint16)[
            inverse
        ]
    ends = np.cumsum(lengths)
    starts = ends - lengths
    nonempty = lengths > 0
    is_last = np.zeros(len(cps) + 1, dtype=bool)
    is_last[ends[nonempty] - 1] = True
    is_last = is_last[:-1]
    alnum = (flags & (_UP | _LO | _DI)) > 0
    prev = np.concatenate([[False], alnum[:-1]])
    prev[starts[nonempty]] = False  # a text's first character has no predecessor
    word_start = alnum & ~prev
    upper = (flags & _UP) > 0
    # A sentence ends at . ! ? ... followed by white space, the end of the text, or a closing quote/bracket.
    nxt = np.concatenate([flags[1:], [_SP]])
    nxt_space = ((nxt & _SP) > 0) | is_last
    nxt_closer = ((nxt & _CLOSE) > 0) & ~is_last
    sent_end = ((flags & _END) > 0) & (nxt_space | nxt_closer)
    cols = [
        upper,
        (flags & _LO) > 0,
        (flags & _DI) > 0,
        (flags & _PU) > 0,
        (flags & _QU) > 0,
        (flags & _SE) > 0,
        word_start,
        word_start & upper,
        sent_end,
    ]
    out[:, 0] = lengths
    out[:, 1 : 1 + len(cols)] = _segment_sums(cols, starts, ends)
    idx_last = np.where(nonempty, ends - 1, 0)
    last_cp = cps[idx_last] if len(cps) else np.zeros(n, dtype=np.uint32)
    last_flags = flags[idx_last] if len(cps) else np.zeros(n, dtype=np.uint16)
    before_last = flags[np.maximum(idx_last - 1, 0)] if len(cps) else np.zeros(n, dtype=np.uint16)
    closer_last = (last_flags & _CLOSE) > 0
    terminal = ((last_flags & _END) > 0) | (closer_last & ((before_last & _END) > 0)) | (last_cp == ord(")"))
    out[:, 10] = terminal & nonempty
    first_flags = flags[np.where(nonempty, starts, 0)] if len(cps) else np.zeros(n, dtype=np.uint16)
    out[:, 11] = ((first_flags & _UP) > 0) & nonempty
    # Opens with a glyph (arrow, bullet, emoji, pipe) rather than a word or a quote: teaser and list shape.
    out[:, 12] = ((first_flags & _PU) > 0) & ((first_flags & _QU) == 0) & nonempty
    return out


_LEX_CACHE: dict[int, tuple[Vocabulary, np.ndarray]] = {}


def _lexicon_columns(vocabulary: Vocabulary) -> np.ndarray:
    """Per vocabulary id, the cue lexicon it belongs to (-1 for none; the first lexicon wins on overlap).

    Cached per vocabulary object: it is built once per loaded model, not once per batch.
    """
    cached = _LEX_CACHE.get(id(vocabulary))
    if cached is not None and cached[0] is vocabulary:
        return cached[1]
    cols = np.full(len(vocabulary), -1, dtype=np.int64)
    for j in reversed(range(len(_LEXICONS))):
        for g in _LEXICONS[j]:
            i = vocabulary.get(g)
            if i is not None:
                cols[i] = j
    _LEX_CACHE[id(vocabulary)] = (vocabulary, cols)
    return cols


#: Patterns that name what promotion sells and how it reaches the reader. One regex pass over the whole
#: batch (matches are mapped to rows by offset), so the cost does not grow with the number of patterns.
_PATTERN_RE = re.compile(
    # A one-character look-ahead first: only digits, currency signs, @/#, emoji and the letters that can
    # open "code"/"promo"/"per cent" or an upper-case promo code get to try the alternatives, which made
    # this pass ~4x faster (every alternative was tried at every character before).
    r"(?=[\d$\u20ac\u00a3\u00a5\u20b9@#\U0001F000-\U0001FAFF\u2600-\u27BF\u2B50\u2B55\u203C\u2049A-ZCPVcpv])"
    r"(?:(?P<price>[$\u20ac\u00a3\u00a5\u20b9]\s?\d[\d,.]*|\b\d[\d,.]*\s?(?i:usd|eur|gbp|dollars?|euros?|pounds?|cents?)\b)"
    r"|(?P<percent>\d[\d,.]*\s?%|\b(?i:per ?cent)\b)"
    r"|(?P<code>\b(?i:code|coupon|promo|voucher)\b|\b[A-Z]{2,}\d{2,}\b)"
    r"|(?P<handle>(?<!\w)[@#][A-Za-z_]\w{1,})"
    r"|(?P<emoji>[\U0001F000-\U0001FAFF\u2600-\u27BF\u2B50\u2B55\u203C\u2049])"
    r"|(?P<number>\b\d[\d,.:]*))",
)
_PATTERN_NAMES = ("price", "percent", "code", "handle", "emoji", "number")
#: A "specific": a capitalised word or a token with a digit, the raw material of checkable facts (names,
#: places, figures, dates). Filler restates the story's topic words and adds none of its own.
_SPECIFIC_RE = re.compile(r"\b(?:[A-Z][\w'\-]+|\w*\d[\w.,]*)")
#: Capitalised only because they open a sentence: not specifics.
_COMMON_CAPITALISED = frozenset(
    "the a an in on at it its this that these those there then than but and or so as for of to by with "
    "from he she they we i you his her their our your my when while after before if what why how who which "
    "where also however meanwhile yet still even now one some many most all more no not".split()
)
_FIRST_WORD_RE = re.compile(r"[\W_]*([A-Za-z]+(?:'[a-z]+)?)")
#: Characters of a paragraph's head that the pattern and specifics passes read. 600 characters hold the
#: opening sentences, where offers and calls to action sit; it bounds the regex cost on long paragraphs.
PATTERN_HEAD = 600


_SEP = "\x01"
#: The pattern, specifics and first-word regexes each run once over the whole batch, with a sentinel
#: before every row, so ``findall`` (C-level) returns matches in row order and a cumulative count of
#: sentinels maps them to rows: a Python loop per match or per row cost 44% of cleaning time.
_PATTERN_SEP_RE = re.compile("(\x01)|" + _PATTERN_RE.pattern)
_SPECIFIC_SEP_RE = re.compile("\x01|" + _SPECIFIC_RE.pattern)
_FIRST_WORD_SEP_RE = re.compile(r"\x01(?:[^\w\x01]|_)*([A-Za-z]+(?:'[a-z]+)?)?")


def _rows_of(tokens: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """(is a match, row of each token) for a findall result over sentinel-led rows."""
    is_sep = np.fromiter(map(_SEP.__eq__, tokens), dtype=bool, count=len(tokens))
    return ~is_sep, np.cumsum(is_sep) - 1


def _shape_columns(heads: Sequence[str], doc_of_row: np.ndarray) -> np.ndarray:
    """imperative_first, pattern counts (price ... number), specific density, novel specifics, shared share.

    Novel vs shared specifics: a specific that no other paragraph of the same document contains is new
    information; a paragraph whose specifics all recur elsewhere (the story's names, no figures of its
    own) is restating. Token identity only needs equality within one call, so Python's salted ``hash``
    is safe here (it never reaches a model file).
    """
    n = len(heads)
    short = [h[:PATTERN_HEAD] for h in heads]
    joined = "".join(_SEP + h + "\n" for h in short)
    if joined.count(_SEP) != n:  # the text itself holds the sentinel: blank it out
        joined = "".join(_SEP + h.replace(_SEP, " ") + "\n" for h in short)
    # Pattern kinds: the first non-empty group of each match (group 1 is the sentinel).
    found = _PATTERN_SEP_RE.findall(joined)
    patterns = np.zeros((n, len(_PATTERN_NAMES)))
    if found:
        # Exactly one group of a match is non-empty (no alternative can match the empty string): its
        # index is the argmax of the groups' truth values, computed in C instead of a Python loop per
        # match (that loop was ~10% of the shape columns' time).
        width = len(found[0])
        nonempty = np.fromiter(map(bool, chain.from_iterable(found)), dtype=bool, count=width * len(found))
        kind = nonempty.reshape(len(found), width).argmax(axis=1).astype(np.int64)
        row = np.cumsum(kind == 0) - 1
        hit = kind > 0
        np.add.at(patterns, (row[hit], kind[hit] - 1), 1.0)
    tokens = _SPECIFIC_SEP_RE.findall(joined)
    is_tok, rows = _rows_of(tokens)
    toks = [t.lower() for t, ok in zip(tokens, is_tok.tolist()) if ok]
    rows = rows[is_tok]
    keep = np.fromiter(map(_COMMON_CAPITALISED.__contains__, toks), dtype=bool, count=len(toks))
    rows = rows[~keep]
    hashes = np.fromiter(map(hash, toks), dtype=np.int64, count=len(toks))[~keep]
    n_spec: np.ndarray = np.zeros(n)
    novel: np.ndarray = np.zeros(n)
    shared_share: np.ndarray = np.zeros(n)
    if len(rows):
        n_spec = np.bincount(rows, minlength=n).astype(float)
        # distinct (row, token) pairs, then in how many rows of its document each token occurs; two
        # lexsorts instead of np.unique(axis=0), which sorts structured rows and was 3x slower
        order = np.lexsort((hashes, rows))
        r, h = rows[order], hashes[order]
        first = np.concatenate([[True], (r[1:] != r[:-1]) | (h[1:] != h[:-1])])
        pr, ph = r[first], h[first]
        d = doc_of_row[pr]
        order2 = np.lexsort((ph, d))
        d2, h2 = d[order2], ph[order2]
        gid = np.cumsum(np.concatenate([[True], (d2[1:] != d2[:-1]) | (h2[1:] != h2[:-1])])) - 1
        in_rows = np.empty(len(pr), dtype=np.int64)
        in_rows[order2] = np.bincount(gid)[gid]
        distinct = np.bincount(pr, minlength=n).astype(float)
        novel = np.bincount(pr, weights=(in_rows == 1).astype(float), minlength=n)
        shared_share = np.divide(distinct - novel, distinct, out=np.zeros(n), where=distinct > 0)
    firsts = _FIRST_WORD_SEP_RE.findall(joined)
    imperative = np.fromiter(
        map(IMPERATIVE_OPENERS.__contains__, map(str.lower, firsts)), dtype=float, count=len(firsts)
    )
    return np.column_stack([imperative, np.minimum(patterns, 5), n_spec, np.minimum(novel, 10), shared_share])


def _self_matrix(
    stats: np.ndarray, cues: np.ndarray, prefix: np.ndarray, clock: np.ndarray, shape: np.ndarray
) -> np.ndarray:
    """The per-paragraph columns of :data:`_SELF_NAMES`, all rows at once."""
    (
        n_chars,
        upper,
        lower,
        digits,
        punct,
        quotes,
        seps,
        n_words,
        title,
        sent,
        terminal,
        starts_upper,
        glyph_first,
    ) = stats.T
    attrib, cta, chrome, filler, urlish, timeish, you = cues.T
    imperative, price, percent, code, handle, emoji, number, n_spec, novel, shared_share = shape.T
    letters = upper + lower
    n_sent = np.maximum(sent, 1)

    def ratio(a: np.ndarray, b: np.ndarray) -> np.ndarray:
        return np.divide(a, b, out=np.zeros_like(a, dtype=np.float64), where=b > 0)

    return np.column_stack(
        [
            np.log1p(n_chars),
            np.log1p(n_words),
            ratio(upper + lower + digits, n_words),
            ratio(upper, letters),
            ratio(digits, n_chars),
            ratio(punct, n_chars),
            terminal,
            starts_upper,
            ratio(title, n_words),
            np.minimum(quotes, 10) / 2.0,
            np.minimum(attrib, 5),
            np.minimum(cta, 5),
            np.minimum(chrome, 5),
            filler / n_sent,
            np.minimum(filler, 5),
            np.minimum(urlish, 5),
            np.minimum(seps, 5),
            prefix,
            ((letters >= 4) & (ratio(upper, letters) > 0.8)).astype(float),
            np.log1p(n_sent),
            np.minimum(timeish + clock, 5),
            (n_words < SHORT_WORDS).astype(float),
            (n_sent <= 1).astype(float),
            np.minimum(you, 5),
            imperative,
            glyph_first,
            ((ratio(title, n_words) >= 0.6) & (terminal == 0) & (n_words <= 20) & (n_words >= 2)).astype(
                float
            ),
            ratio(np.maximum(title - n_sent, 0), n_words),
            price,
            percent,
            code,
            handle,
            emoji,
            np.minimum(number, 5),
            ratio(n_spec, np.minimum(n_words, 120)),
            novel,
            shared_share,
        ]
    )


def _document_dense(selfm: np.ndarray) -> np.ndarray:
    """Position, neighbour and page-level columns for one document's paragraphs (rows of ``selfm``)."""
    n = selfm.shape[0]
    idx = np.arange(n, dtype=np.float64)
    pos = np.column_stack(
        [
            idx / max(n - 1, 1),
            (idx == 0).astype(float),
            (idx == n - 1).astype(float),
            np.log1p(idx),
            np.log1p(n - 1 - idx),
        ]
    )
    ctx_parts = []
    base = selfm[:, _CTX_COLS]
    for off in _OFFSETS:
        shifted = np.full((n, len(_CTX_COLS)), np.nan)
        if off < 0 and n > -off:
            shifted[-off:] = base[:off]
        elif off > 0 and n > off:
            shifted[:-off] = base[off:]
        ctx_parts.append(shifted)
    ctx = np.hstack(ctx_parts)
    # Length of the run of consecutive short paragraphs this one belongs to (0 when it is not short).
    short = selfm[:, _I_SHORT] > 0
    run = np.zeros(n)
    i = 0
    while i < n:
        if short[i]:
            j = i
            while j < n and short[j]:
                j += 1
            run[i:j] = j - i
            i = j
        else:
            i += 1
    log_words = selfm[:, _I_LOG_WORDS]
    doc = np.column_stack(
        [
            np.log1p(run),
            np.full(n, math.log1p(n)),
            np.full(n, float(np.mean(log_words > math.log1p(30)))),
            np.full(n, float(np.mean(log_words))),
            log_words - float(np.mean(log_words)),
        ]
    )
    return np.hstack([selfm, pos, ctx, doc])


@dataclass
class FeatureSet:
    """Features of a batch of documents; rows are all paragraphs of all documents, in order.

    The lexical part is kept as flat arrays (row ``r`` owns ``gram_ids[gram_offsets[r]:gram_offsets[r+1]]``,
    binary presence weighted so each row has unit L2 norm) rather than a scipy matrix, so that inference
    needs only numpy.
    """

    gram_ids: np.ndarray
    gram_offsets: np.ndarray
    gram_weights: np.ndarray
    dense: np.ndarray
    doc_offsets: np.ndarray  # doc i owns rows doc_offsets[i]:doc_offsets[i+1]
    #: Hashed character n-grams of each paragraph's opening and ending (whole short lines), or None when
    #: the model uses none (``char_bits=0``).
    chars: hashgrams.HashedRows | None = None

    @property
    def n_rows(self) -> int:
        return int(self.dense.shape[0])

    def sparse(self, n_features: int):
        """The lexical part as a CSR matrix (training only: imports scipy)."""
        import scipy.sparse as sp

        return sp.csr_matrix(
            (self.gram_weights, self.gram_ids, self.gram_offsets), shape=(self.n_rows, n_features)
        )


_CLOCK_RE = re.compile(r"\d:\d\d")
#: Placed between paragraphs when the whole batch is tokenised in one regex pass; it is a token of its
#: own (a non-word character between newlines), so row boundaries can be recovered from the token stream.
_ROW_SEP = "\n\x01\n"
_ROW_TOKEN = "\x01"
_LOOKUP_CACHE: dict[int, tuple[Vocabulary, dict[str, int], np.ndarray, np.ndarray, int, np.ndarray]] = {}


def _lookup(vocabulary: Vocabulary) -> tuple[dict[str, int], np.ndarray, np.ndarray, int, np.ndarray]:
    """Tables built once per model: unigram -> id (plus the row marker), and the bigrams as sorted numeric
    keys ``uid(a) * base + uid(b)`` with their ids, so bigram lookup is a numpy ``searchsorted`` on the
    unigram ids instead of a Python lookup per token pair (that lookup was the largest cost of cleaning).
    A bigram whose unigrams are not in the vocabulary can never be looked up; with ``min_df`` applied to
    both, that only happens when ``max_features`` cuts a unigram, which is rarer than any bigram with it.
    """
    cached = _LOOKUP_CACHE.get(id(vocabulary))
    if cached is not None and cached[0] is vocabulary:
        return cached[1], cached[2], cached[3], cached[4], cached[5]
    unigrams = {g: i for g, i in vocabulary.items() if " " not in g}
    base = max(vocabulary.values(), default=0) + 1
    keys: list[int] = []
    ids: list[int] = []
    for g, i in vocabulary.items():
        parts = g.split(" ")
        if len(parts) == 2 and parts[0] in unigrams and parts[1] in unigrams:
            keys.append(unigrams[parts[0]] * base + unigrams[parts[1]])
            ids.append(i)
    order = np.argsort(np.asarray(keys, dtype=np.int64))
    bigram_keys = np.asarray(keys, dtype=np.int64)[order]
    bigram_ids = np.asarray(ids, dtype=np.int64)[order]
    unigrams[_ROW_TOKEN] = -2
    # Unigram ids that start some bigram: most token pairs can be ruled out with this one array lookup.
    starts = np.zeros(base + 2, dtype=bool)  # ids -1 (unknown) and -2 (row marker) index the False tail
    starts[bigram_keys // base] = True
    _LOOKUP_CACHE[id(vocabulary)] = (vocabulary, unigrams, bigram_keys, bigram_ids, base, starts)
    return unigrams, bigram_keys, bigram_ids, base, starts


def _gram_rows(heads: list[str], vocabulary: Vocabulary) -> tuple[np.ndarray, np.ndarray]:
    """(vocabulary id, row) of every in-vocabulary unigram and bigram of every paragraph head.

    The whole batch is lower-cased and tokenised in one regex pass and looked up with C-level ``map``;
    a per-paragraph Python loop cost more than the rest of the pipeline together.
    """
    if not heads:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    unigrams, bigram_keys, bigram_ids, base, starts = _lookup(vocabulary)
    joined = _ROW_SEP.join(heads)
    if joined.count(_ROW_TOKEN) != len(heads) - 1:  # the input itself contains the marker: blank it out
        joined = _ROW_SEP.join(h.replace(_ROW_TOKEN, " ") for h in heads)
    toks = _GRAM_TOKEN_RE.findall(joined.lower())
    uni = np.fromiter(map(unigrams.get, toks, repeat(-1)), dtype=np.int64, count=len(toks))
    row_of = np.cumsum(uni == -2)
    first, second = uni[:-1], uni[1:]
    pair = (second >= 0) & starts[first]
    bi = np.full(len(first), -1, dtype=np.int64)
    if len(bigram_keys) and pair.any():
        keys = first[pair] * base + second[pair]
        pos = np.minimum(np.searchsorted(bigram_keys, keys), len(bigram_keys) - 1)
        bi[pair] = np.where(bigram_keys[pos] == keys, bigram_ids[pos], -1)
    ids = np.concatenate([uni, bi])
    rows = np.concatenate([row_of, row_of[: len(bi)]])
    keep = ids >= 0
    ids, rows = ids[keep], rows[keep]
    order = np.argsort(rows, kind="stable")  # two sorted runs: a linear merge
    return ids[order], rows[order]


#: Marks a paragraph's first and last character for the character n-grams, so that "\x02sign" (a paragraph
#: that *opens* with "Sign") and "ow.\x03" (one that ends so) are features of their own: calls to action
#: and filler sit at openings and endings, and the same letters mid-sentence mean much less.
_OPEN, _CLOSE_MARK = "\x02", "\x03"


def extract(documents: Sequence[Sequence[str]], vocabulary: Vocabulary, *, char_bits: int = 0) -> FeatureSet:
    """Vectorise every paragraph of every document in one pass (batching is what makes ``*_many`` fast).

    Term weights are counts scaled by 1/sqrt(n-grams in the row), the L2 norm when all are distinct.
    ``char_bits > 0`` adds hashed character n-grams (``2**char_bits`` features) of each paragraph's
    opening and ending, or of the whole of a short line (:data:`filter.hashgrams.PARAGRAPH_SPANS`): that
    is where the cost pays, since long reporting paragraphs carry their cues at their edges.
    """
    flat = [text[:TEXT_CAP] for paragraphs in documents for text in paragraphs]
    n = len(flat)
    heads = [text[:GRAM_HEAD] for text in flat]
    gram_ids, rows = _gram_rows(heads, vocabulary)
    counts = np.bincount(rows, minlength=n)
    gram_offsets = np.concatenate([[0], np.cumsum(counts)]).astype(np.int64)
    gram_weights = (1.0 / np.sqrt(np.maximum(counts, 1)))[rows].astype(np.float32)
    lex_col = _lexicon_columns(vocabulary)[gram_ids] if len(gram_ids) else np.zeros(0, dtype=np.int64)
    hit = lex_col >= 0
    n_lex = len(_LEXICONS)
    cues = np.bincount(rows[hit] * n_lex + lex_col[hit], minlength=n * n_lex).reshape(n, n_lex)
    prefix = np.zeros(n)
    clock = np.zeros(n)
    for r, head in enumerate(heads):
        if ":" in head:
            if ":" in head[:33] and _PREFIX_RE.match(head):
                prefix[r] = 1.0
            clock[r] = len(_CLOCK_RE.findall(head))
    sizes = np.fromiter((len(p) for p in documents), dtype=np.int64, count=len(documents))
    doc_of_row = np.repeat(np.arange(len(documents)), sizes)
    selfm = _self_matrix(_char_stats(flat), cues, prefix, clock, _shape_columns(heads, doc_of_row))
    dense_parts = []
    doc_offsets = [0]
    n_rows = 0
    for paragraphs in documents:
        if paragraphs:
            dense_parts.append(_document_dense(selfm[n_rows : n_rows + len(paragraphs)]))
        n_rows += len(paragraphs)
        doc_offsets.append(n_rows)
    dense = np.vstack(dense_parts) if dense_parts else np.zeros((0, len(DENSE_NAMES)))
    chars = None
    if char_bits:
        chars = hashgrams.char_ngrams(
            [_OPEN + t + _CLOSE_MARK for t in flat], bits=char_bits, spans=hashgrams.PARAGRAPH_SPANS
        )
    return FeatureSet(
        chars=chars,
        gram_ids=gram_ids.astype(np.int32),
        gram_offsets=gram_offsets,
        gram_weights=gram_weights,
        dense=dense,
        doc_offsets=np.asarray(doc_offsets, dtype=np.int64),
    )
