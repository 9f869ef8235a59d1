"""Training the clickbait score (:mod:`filter.clickbait`): the headline corpus, its hash split, logistic
regression on the hashed n-grams (scikit-learn, imported here only) and the held-out metrics.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from .. import hashgrams as hg
from ..clickbait import ClickbaitModel, is_headline_like

__all__ = ["train_clickbait", "load_headlines", "split_is_test", "reporting_check", "evaluate", "fit"]


def _normalise(text: str) -> str:
    return " ".join(text.lower().split())


def split_is_test(texts: Sequence[str], *, salt: str = "clickbait-split-v1", fraction: int = 5) -> np.ndarray:
    """Deterministic 1-in-``fraction`` test membership by a BLAKE2b hash of the normalised text.

    Hashing the normalised headline (not its position) keeps repeated or re-cased headlines on one side,
    and the split does not change when the corpus file is reordered.
    """

    def bucket(t: str) -> int:
        return int.from_bytes(
            hashlib.blake2b(f"{salt}\0{_normalise(t)}".encode(), digest_size=8).digest(), "big"
        )

    return np.fromiter((bucket(t) % fraction == 0 for t in texts), dtype=bool, count=len(texts))


def load_headlines(corpus_dir: str | Path) -> tuple[list[str], np.ndarray]:
    """Headlines and labels (1 = clickbait) of ``headlines.jsonl.gz`` in the corpus folder."""
    path = Path(corpus_dir) / "headlines.jsonl.gz"
    texts: list[str] = []
    labels: list[int] = []
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        for line in fh:
            rec = json.loads(line)
            if rec["label"] not in ("clickbait", "news"):
                raise ValueError(f"{path}: unknown label {rec['label']!r}")
            texts.append(rec["text"])
            labels.append(int(rec["label"] == "clickbait"))
    return texts, np.array(labels, dtype=np.int64)


def _roc_auc(y: np.ndarray, p: np.ndarray) -> float:
    """Mann-Whitney AUC with mid-ranks for ties (numpy, so metrics need no sklearn)."""
    order = np.argsort(p, kind="stable")
    ranks = np.empty(p.shape[0], dtype=np.float64)
    sp = p[order]
    # Mid-rank per tie group.
    starts = np.flatnonzero(np.diff(sp, prepend=np.nan) != 0)
    ends = np.append(starts[1:], sp.shape[0])
    mid = (starts + ends + 1) / 2.0
    ranks[order] = np.repeat(mid, ends - starts)
    n_pos = int(y.sum())
    n_neg = y.shape[0] - n_pos
    return float((ranks[y == 1].sum() - n_pos * (n_pos + 1) / 2) / (n_pos * n_neg))


def _calibration(y: np.ndarray, p: np.ndarray, n_bins: int = 5) -> dict[str, Any]:
    edges = np.linspace(0.0, 1.0, n_bins + 1)
    b = np.clip(np.searchsorted(edges, p, side="right") - 1, 0, n_bins - 1)
    bins = []
    ece = 0.0
    for k in range(n_bins):
        m = b == k
        cnt = int(m.sum())
        if cnt:
            mp, fr = float(p[m].mean()), float(y[m].mean())
            ece += cnt / y.shape[0] * abs(mp - fr)
            bins.append(
                {
                    "range": [float(edges[k]), float(edges[k + 1])],
                    "n": cnt,
                    "mean_p": mp,
                    "frac_clickbait": fr,
                }
            )
        else:
            bins.append({"range": [float(edges[k]), float(edges[k + 1])], "n": 0})
    return {"bins": bins, "ece": ece}


def evaluate(model: ClickbaitModel, texts: Sequence[str], y: np.ndarray) -> dict[str, Any]:
    p = model.score(texts)
    return {
        "n": int(y.shape[0]),
        "accuracy": float(((p >= 0.5) == (y == 1)).mean()),
        "roc_auc": _roc_auc(y, p),
        "log_loss": float(
            -np.mean(y * np.log(np.clip(p, 1e-12, 1)) + (1 - y) * np.log(np.clip(1 - p, 1e-12, 1)))
        ),
        "calibration": _calibration(y, p),
    }


def reporting_check(model: ClickbaitModel, sentences: Sequence[str]) -> dict[str, Any]:
    """How the score and :func:`is_headline_like` behave on lines that are not headlines (reporting prose)."""
    p = model.score(sentences)
    hl = is_headline_like(sentences)
    return {
        "n": len(sentences),
        "headline_like_fraction": float(hl.mean()),
        "mean_score_all": float(p.mean()),
        "fraction_score_over_0.5_all": float((p > 0.5).mean()),
        "fraction_score_over_0.5_headline_like": float((p[hl] > 0.5).mean()) if hl.any() else None,
    }


_SENTENCE_SPLIT = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"'])")


def load_reporting_sentences(bbc_dir: str | Path, limit: int = 5000) -> list[str]:
    """Sentences of BBC body paragraphs (``bbc_articles.jsonl.gz``), the first ``limit`` in file order."""
    out: list[str] = []
    with gzip.open(Path(bbc_dir) / "bbc_articles.jsonl.gz", "rt", encoding="utf-8") as fh:
        for line in fh:
            for para in json.loads(line)["paragraphs"]:
                out.extend(s for s in _SENTENCE_SPLIT.split(para.strip()) if s)
            if len(out) >= limit:
                break
    return out[:limit]


#: Inverse regularisation strength, chosen on an inner split of the training part (see train_clickbait).
DEFAULT_C_GRID = (4.0, 16.0, 64.0, 256.0)


def fit(
    texts: Sequence[str],
    y: np.ndarray,
    *,
    c: float,
    char_bits: int = 17,
    word_bits: int = 17,
    char_n: Sequence[int] = hg.DEFAULT_CHAR_N,
    spans: hg.Spans | None = hg.PARAGRAPH_SPANS,
) -> ClickbaitModel:
    """Logistic regression on the hashed features (scikit-learn imported here, for training only)."""
    from sklearn.linear_model import LogisticRegression

    proto = ClickbaitModel(
        coef=np.zeros((1 << char_bits) + (1 << word_bits), dtype=np.float32),
        intercept=0.0,
        char_n=tuple(char_n),
        char_bits=char_bits,
        word_bits=word_bits,
        spans=spans,
    )
    x = proto.features(texts).to_scipy()
    lr = LogisticRegression(C=c, solver="liblinear", max_iter=1000, random_state=0)  # liblinear shuffles
    lr.fit(x, np.asarray(y))
    return ClickbaitModel(
        coef=lr.coef_[0].astype(np.float32),
        intercept=float(lr.intercept_[0]),
        char_n=proto.char_n,
        char_bits=char_bits,
        word_bits=word_bits,
        spans=spans,
    )


def train_clickbait(
    corpus_dir: str | Path,
    *,
    c_grid: Sequence[float] = DEFAULT_C_GRID,
    char_bits: int = 17,
    word_bits: int = 17,
    reporting_dir: str | Path | None = None,
) -> tuple[ClickbaitModel, dict[str, Any]]:
    """Train on 80% of the corpus (hash split), pick C on an inner 1-in-5 split of that, refit, evaluate on 20%.

    Returns the model (refit on the whole 80% with the chosen C) and metrics: held-out accuracy, ROC AUC,
    log loss, calibration in 5 bins with ECE, the C search, and, when ``reporting_dir`` (the BBC full-text
    corpus folder) is given, :func:`reporting_check` on its sentences.
    """
    texts, y = load_headlines(corpus_dir)
    test = split_is_test(texts)
    tr_idx, te_idx = np.flatnonzero(~test), np.flatnonzero(test)
    tr_texts = [texts[i] for i in tr_idx.tolist()]
    te_texts = [texts[i] for i in te_idx.tolist()]
    inner = split_is_test(tr_texts, salt="clickbait-inner-v1")
    fit_texts = [t for t, v in zip(tr_texts, inner) if not v]
    val_texts = [t for t, v in zip(tr_texts, inner) if v]
    search = []
    for c in c_grid:
        m = fit(fit_texts, y[tr_idx][~inner], c=c, char_bits=char_bits, word_bits=word_bits)
        ev = evaluate(m, val_texts, y[tr_idx][inner])
        search.append({"C": c, "val_log_loss": ev["log_loss"], "val_accuracy": ev["accuracy"]})
    best = min(search, key=lambda r: r["val_log_loss"])["C"]
    model = fit(tr_texts, y[tr_idx], c=best, char_bits=char_bits, word_bits=word_bits)
    import sklearn

    metrics: dict[str, Any] = {
        "split": "test = blake2b('clickbait-split-v1\\0' + normalised headline) % 5 == 0",
        "n_train": len(tr_texts),
        "c_search": search,
        "C": best,
        "held_out": evaluate(model, te_texts, y[te_idx]),
        "held_out_headline_like_fraction": float(is_headline_like(te_texts).mean()),
        "sklearn_version": sklearn.__version__,
    }
    if reporting_dir is not None:
        metrics["reporting_check"] = reporting_check(model, load_reporting_sentences(reporting_dir))
    model = ClickbaitModel(
        coef=model.coef,
        intercept=model.intercept,
        char_n=model.char_n,
        char_bits=model.char_bits,
        word_bits=model.word_bits,
        spans=model.spans,
        info=metrics,
    )
    return model, metrics
