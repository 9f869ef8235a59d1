"""The dense (hand-made) feature columns, named: a table name -> column for the per-paragraph features, then
the position, neighbour and page-level columns of each document.

Adding a per-paragraph feature is one line in :data:`SELF_COLUMNS` (its inputs are the named raw counts of
:func:`self_matrix`); the name joins :data:`DENSE_NAMES`, which model cards record and loading checks.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from types import SimpleNamespace

import numpy as np

__all__ = ["SELF_COLUMNS", "DENSE_NAMES", "FEATURE_GROUPS", "SHORT_WORDS", "self_matrix", "document_dense"]

#: A paragraph under this many words counts as "short" (menu items, link lines). On Dragnet 2013 rendered
#: pages (importer labels) 86% of non-core paragraphs and 32% of core ones are under 8 words (medians 3
#: and 12); 6 or 10 words move both shares by 7-10 points. It is one feature among many, not a rule.
SHORT_WORDS = 8

#: Raw per-paragraph inputs of the table, in the column order of their source arrays.
_STATS = (
    "n_chars", "upper", "lower", "digits", "punct", "quotes", "seps", "n_words", "title", "sent", "terminal",
    "starts_upper", "glyph_first",
)  # fmt: skip
_CUES = ("attrib", "cta", "chrome", "filler", "urlish", "timeish", "you")
_SHAPE = (
    "imperative",
    "price",
    "percent",
    "code",
    "handle",
    "emoji",
    "number",
    "n_spec",
    "novel",
    "shared_share",
)


def _ratio(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return np.divide(a, b, out=np.zeros_like(a, dtype=np.float64), where=b > 0)


_Column = Callable[[SimpleNamespace], np.ndarray]
#: The per-paragraph feature columns, in order: name -> column from the raw inputs ``r`` (see self_matrix).
SELF_COLUMNS: dict[str, _Column] = {
    "log_chars": lambda r: np.log1p(r.n_chars),
    "log_words": lambda r: np.log1p(r.n_words),
    "mean_word_len": lambda r: _ratio(r.upper + r.lower + r.digits, r.n_words),
    "upper_ratio": lambda r: _ratio(r.upper, r.letters),
    "digit_ratio": lambda r: _ratio(r.digits, r.n_chars),
    "punct_ratio": lambda r: _ratio(r.punct, r.n_chars),
    "ends_terminal": lambda r: r.terminal,
    "starts_upper": lambda r: r.starts_upper,
    "title_ratio": lambda r: _ratio(r.title, r.n_words),
    "quote_count": lambda r: np.minimum(r.quotes, 10) / 2.0,
    "attrib_count": lambda r: np.minimum(r.attrib, 5),
    "cta_count": lambda r: np.minimum(r.cta, 5),
    "chrome_count": lambda r: np.minimum(r.chrome, 5),
    "filler_density": lambda r: r.filler / r.n_sent,
    "filler_count": lambda r: np.minimum(r.filler, 5),
    "url_count": lambda r: np.minimum(r.urlish, 5),
    "sep_count": lambda r: np.minimum(r.seps, 5),
    "has_prefix": lambda r: r.prefix,
    "all_caps": lambda r: ((r.letters >= 4) & (_ratio(r.upper, r.letters) > 0.8)).astype(float),
    "n_sentences": lambda r: np.log1p(r.n_sent),
    "time_count": lambda r: np.minimum(r.timeish + r.clock, 5),
    "short": lambda r: (r.n_words < SHORT_WORDS).astype(float),
    "one_sentence": lambda r: (r.n_sent <= 1).astype(float),
    "you_count": lambda r: np.minimum(r.you, 5),
    "imperative_first": lambda r: r.imperative,
    "glyph_first": lambda r: r.glyph_first,
    "title_no_stop": lambda r: (
        (_ratio(r.title, r.n_words) >= 0.6) & (r.terminal == 0) & (r.n_words <= 20) & (r.n_words >= 2)
    ).astype(float),
    "proper_ratio": lambda r: _ratio(np.maximum(r.title - r.n_sent, 0), r.n_words),
    "price_count": lambda r: r.price,
    "percent_count": lambda r: r.percent,
    "code_count": lambda r: r.code,
    "handle_count": lambda r: r.handle,
    "emoji_count": lambda r: r.emoji,
    "number_count": lambda r: np.minimum(r.number, 5),
    "specific_density": lambda r: _ratio(r.n_spec, np.minimum(r.n_words, 120)),
    "novel_specifics": lambda r: r.novel,
    "shared_specific_share": lambda r: r.shared_share,
}
_SELF_NAMES = list(SELF_COLUMNS)
_POS_NAMES = ["rel_pos", "is_first", "is_last", "log_from_start", "log_from_end"]
_OFFSETS = (-2, -1, 1, 2)
#: Per-paragraph features that each neighbour at the offsets above contributes (``name@-1`` ...).
_CTX_FEATURES = ("log_words", "ends_terminal", "short", "cta_count")
_CTX_NAMES = [f"{name}@{off:+d}" for off in _OFFSETS for name in _CTX_FEATURES]
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

_I = {name: i for i, name in enumerate(_SELF_NAMES)}
_I_LOG_WORDS = _I["log_words"]
_I_SHORT = _I["short"]
_CTX_COLS = [_I[name] for name in _CTX_FEATURES]


def self_matrix(
    stats: np.ndarray, cues: np.ndarray, prefix: np.ndarray, clock: np.ndarray, shape: np.ndarray
) -> np.ndarray:
    """The per-paragraph columns of :data:`SELF_COLUMNS`, all rows at once."""
    r = SimpleNamespace(
        **dict(zip(_STATS, stats.T)), **dict(zip(_CUES, cues.T)), **dict(zip(_SHAPE, shape.T))
    )
    r.prefix, r.clock = prefix, clock
    r.letters = r.upper + r.lower
    r.n_sent = np.maximum(r.sent, 1)
    return np.column_stack([column(r) for column in SELF_COLUMNS.values()])


def document_dense(selfm: np.ndarray) -> np.ndarray:
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
