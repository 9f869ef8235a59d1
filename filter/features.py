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
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import HashingVectorizer

__all__ = ["FeatureSet", "DENSE_NAMES", "extract", "text_vectorizers", "WORD_TOKEN_PATTERN"]

#: Words plus single punctuation marks, so that "»", "|", ":" and "©" become tokens the model can weigh.
WORD_TOKEN_PATTERN = r"(?u)\b\w+\b|[^\w\s]"

#: Only the head of a paragraph feeds the character n-grams: cues sit at the start ("READ MORE:", "By ..."),
#: and it bounds the cost of pathological single-line inputs. 600 characters covers ~2 sentences.
CHAR_NGRAM_HEAD = 600
#: Cap for word features and shape statistics (a safety bound, far above real paragraphs).
TEXT_CAP = 20_000


def text_vectorizers() -> tuple[HashingVectorizer, HashingVectorizer]:
    """Stateless hashed word (1-2 grams) and character (3-5 grams within words) vectorizers."""
    words = HashingVectorizer(
        analyzer="word",
        token_pattern=WORD_TOKEN_PATTERN,
        ngram_range=(1, 2),
        n_features=2**18,
        alternate_sign=False,
        norm="l2",
        lowercase=True,
        dtype=np.float32,
    )
    chars = HashingVectorizer(
        analyzer="char_wb",
        ngram_range=(3, 5),
        n_features=2**17,
        alternate_sign=False,
        norm="l2",
        lowercase=True,
        dtype=np.float32,
    )
    return words, chars


_WORD_RE = re.compile(r"\w+", re.UNICODE)
_SENT_END_RE = re.compile(r"[.!?…](?:[\"'”’)\]]*)(?:\s|$)")
_QUOTE_RE = re.compile(r"[\"“”«»„]|(?<!\w)'|'(?!\w)")
_ATTRIB_RE = re.compile(
    r"\b(?:said|says|told|according to|added|stated|announced|reported|explained|noted|wrote|testified|"
    r"confirmed|insisted|argued|warned)\b",
    re.IGNORECASE,
)
_CTA_RE = re.compile(
    r"\b(?:also (?:check out|read|see|watch|on)|read (?:more|next|also|the full|this)|related(?: stories| articles|"
    r" coverage| content| news)?\s*:|see also|more from|more on this|recommended|most (?:popular|read|viewed|shared)|"
    r"trending|sponsored|promoted|partner content|paid (?:post|content)|subscribe|sign up|newsletter|follow us|"
    r"download (?:the|our)|get the app|click here|tap here|watch(?: now| live)?\s*:|listen\s*:|podcast|photos?\s*:|"
    r"gallery|slideshow|don'?t miss|you (?:may|might) (?:also )?like|share (?:this|on)|join (?:us|our)|"
    r"affiliate|commission|deal[s]? of the|shop now|buy now|learn more|more stories|top stories|editor'?s picks?)",
    re.IGNORECASE,
)
_CHROME_RE = re.compile(
    r"(?:©|\(c\)|\bcopyright\b|all rights reserved|privacy|cookie|terms (?:of|and) (?:use|service|conditions)|"
    r"contact us|about us|\blog ?in\b|\bsign in\b|\bregister\b|\bmenu\b|skip to|back to top|loading|"
    r"advertisement|\bcomments?\b|posted (?:by|on|at)|updated\s*:|published\s*:|\bshare\b|\btweet\b|"
    r"facebook|twitter|linkedin|whatsapp|email this|print this|reddit|pinterest|instagram)",
    re.IGNORECASE,
)
_FILLER_RE = re.compile(
    r"(?:remains? to be seen|only time will tell|time will tell|stay tuned|in conclusion|\boverall\b|"
    r"it is (?:clear|evident|important|crucial|essential|worth noting) (?:that|to)|underscor|highlight|"
    r"the importance of|paramount|crucial|ongoing (?:discussions?|efforts?|debate)|as the (?:situation|story|"
    r"matter) (?:continues|unfolds|develops)|continues? to (?:evolve|unfold|develop)|moving forward|"
    r"going forward|in summary|to sum up|ultimately|it will be interesting|the public'?s right|key role|"
    r"plays? an? (?:important|crucial|vital|key|significant|pivotal) role|landscape|navigat|testament|"
    r"serves as a reminder|in today'?s|everything you need to know|delve|pivotal|sheds? light|road ahead|"
    r"looking ahead|keep an eye|the facts (?:highlight|show|suggest)|remains a|cannot be overstated|"
    r"a reminder (?:of|that)|raises (?:important )?questions|for years to come|the future of|"
    r"stakeholders|broader implications|far-reaching|significan(?:t|ce)|we will (?:keep|continue|update)|"
    r"watch this space|more (?:details|information) (?:will|to) (?:be|come)|developing story)",
    re.IGNORECASE,
)
_URL_RE = re.compile(r"https?://|www\.|\.com\b|\.org\b|\.co\.uk\b|@\w", re.IGNORECASE)
_SEP_RE = re.compile(r"[»«|→•·>›▶►]")
_PREFIX_RE = re.compile(r"^\s*[A-Z][A-Za-z' ]{1,30}:\s")
_TIME_RE = re.compile(
    r"\b(?:\d{1,2}:\d{2}|\d{1,2}\s?(?:am|pm|a\.m\.|p\.m\.)|(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)"
    r"[a-z]*\.? \d{1,2}|\d{4})\b",
    re.IGNORECASE,
)

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
]
_POS_NAMES = ["rel_pos", "is_first", "is_last", "log_from_start", "log_from_end"]
_OFFSETS = (-2, -1, 1, 2)
_CTX_NAMES = [f"{name}@{off:+d}" for off in _OFFSETS for name in ("log_words", "ends_terminal", "short", "cta_count")]
_DOC_NAMES = ["short_run", "doc_log_paras", "doc_long_share", "doc_mean_log_words", "rel_len_to_doc"]

#: Names of the dense (hand-made) feature columns, in order; used for cues and model cards.
DENSE_NAMES: list[str] = _SELF_NAMES + _POS_NAMES + _CTX_NAMES + _DOC_NAMES

#: A paragraph under this many words counts as "short" (menu items, link lines). 8 words splits the
#: word-count distribution of Dragnet gold paragraphs (median 38) from chrome blocks (median 2) with few errors.
SHORT_WORDS = 8


def _self_features(text: str) -> list[float]:
    t = text[:TEXT_CAP]
    n_chars = len(t)
    words = _WORD_RE.findall(t)
    n_words = len(words)
    letters = sum(1 for c in t if c.isalpha())
    upper = sum(1 for c in t if c.isupper())
    digits = sum(1 for c in t if c.isdigit())
    punct = sum(1 for c in t if not c.isalnum() and not c.isspace())
    stripped = t.rstrip()
    ends_terminal = 1.0 if stripped.endswith((".", "!", "?", '."', ".”", "?”", "!”", ".'", ".’", ")")) else 0.0
    starts_upper = 1.0 if t[:1].isupper() else 0.0
    title = sum(1 for w in words if w[:1].isupper())
    n_sent = max(1, len(_SENT_END_RE.findall(t)))
    filler_count = len(_FILLER_RE.findall(t))
    return [
        math.log1p(n_chars),
        math.log1p(n_words),
        (sum(len(w) for w in words) / n_words) if n_words else 0.0,
        upper / letters if letters else 0.0,
        digits / n_chars if n_chars else 0.0,
        punct / n_chars if n_chars else 0.0,
        ends_terminal,
        starts_upper,
        title / n_words if n_words else 0.0,
        min(len(_QUOTE_RE.findall(t)), 10) / 2.0,
        min(len(_ATTRIB_RE.findall(t)), 5),
        min(len(_CTA_RE.findall(t)), 5),
        min(len(_CHROME_RE.findall(t)), 5),
        filler_count / n_sent,
        min(filler_count, 5),
        min(len(_URL_RE.findall(t)), 5),
        min(len(_SEP_RE.findall(t)), 5),
        1.0 if _PREFIX_RE.match(t) else 0.0,
        1.0 if letters >= 4 and upper / letters > 0.8 else 0.0,
        math.log1p(n_sent),
        min(len(_TIME_RE.findall(t)), 5),
        1.0 if n_words < SHORT_WORDS else 0.0,
        1.0 if n_sent <= 1 else 0.0,
    ]


_I_LOG_WORDS = _SELF_NAMES.index("log_words")
_I_TERMINAL = _SELF_NAMES.index("ends_terminal")
_I_SHORT = _SELF_NAMES.index("short")
_I_CTA = _SELF_NAMES.index("cta_count")
_CTX_COLS = [_I_LOG_WORDS, _I_TERMINAL, _I_SHORT, _I_CTA]


def _document_dense(paragraphs: Sequence[str]) -> np.ndarray:
    n = len(paragraphs)
    selfm = np.array([_self_features(p) for p in paragraphs], dtype=np.float64).reshape(n, len(_SELF_NAMES))
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
    pad = np.full((n, len(_CTX_COLS)), np.nan)
    base = selfm[:, _CTX_COLS]
    for off in _OFFSETS:
        shifted = pad.copy()
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
    """Features of a batch of documents; rows are all paragraphs of all documents, in order."""

    words: sp.csr_matrix
    chars: sp.csr_matrix
    dense: np.ndarray
    doc_offsets: np.ndarray  # doc i owns rows doc_offsets[i]:doc_offsets[i+1]

    @property
    def n_rows(self) -> int:
        return int(self.dense.shape[0])


_VECTORIZERS = text_vectorizers()


def extract(documents: Sequence[Sequence[str]]) -> FeatureSet:
    """Vectorise every paragraph of every document in one pass (batching is what makes ``*_many`` fast)."""
    flat: list[str] = []
    offsets = [0]
    dense_parts = []
    for paragraphs in documents:
        flat.extend(paragraphs)
        offsets.append(len(flat))
        if paragraphs:
            dense_parts.append(_document_dense(paragraphs))
    words_vec, chars_vec = _VECTORIZERS
    if flat:
        words = words_vec.transform([p[:TEXT_CAP] for p in flat]).tocsr()
        chars = chars_vec.transform([p[:CHAR_NGRAM_HEAD] for p in flat]).tocsr()
        dense = np.vstack(dense_parts)
    else:
        words = sp.csr_matrix((0, words_vec.n_features), dtype=np.float32)
        chars = sp.csr_matrix((0, chars_vec.n_features), dtype=np.float32)
        dense = np.zeros((0, len(DENSE_NAMES)))
    return FeatureSet(words=words, chars=chars, dense=dense, doc_offsets=np.asarray(offsets, dtype=np.int64))
