"""``data check`` (filter/training/datacheck.py) and ``clickbait train|score`` (filter/training/clickbait.py,
filter/clickbait.py)."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from .common import EXIT_OK

__all__ = ["data_check", "clickbait_train", "clickbait_score"]


def data_check(
    *, paths: list[str], markdown: bool, max_warnings: int, near_dup_threshold: float | None
) -> int:
    from ..training.datareport import run_check  # validator and data-card counts

    return run_check(
        paths, markdown=markdown, max_warnings=max_warnings, near_dup_threshold=near_dup_threshold
    )


def _clickbait_card(model: Any, out: Path, metrics: dict[str, Any]) -> dict[str, Any]:
    """What ``clickbait train`` writes beside the arrays: provenance, features and metrics."""
    from ..store import file_sha256

    arrays = model.to_arrays()
    return {
        "model": "clickbait logistic regression over hashed char 2-5-grams + word 1-2-grams (filter/clickbait.py)",
        "file": out.name,
        "sha256": file_sha256(out),
        "corpus": {
            "name": "clickbait and news headlines (Chakraborty et al., Stop Clickbait, ASONAM 2016)",
            "licence": "MIT (Copyright 2016 Abhijnan Chakraborty, Bhargavi Paranjape, Sourya Kakarla, Niloy Ganguly)",
            "source": "github.com/bhargaviparanjape/clickbait, commit 203d979a81545ae6160ff45ffdac83e74469c97a",
            "note": "only hashed n-gram weights are stored, no headline text",
        },
        "features": {
            "char_n": list(model.char_n),
            "char_bits": model.char_bits,
            "word_bits": model.word_bits,
            "spans_max_whole_head_tail": arrays["spans"].tolist(),  # -1s: whole text
            "hash_version": int(arrays["hash_version"][0]),
        },
        "attach_only_where": "filter.clickbait.is_headline_like (one line, 3-20 words, <= 150 chars, no final stop)",
        "metrics": metrics,
    }


def clickbait_train(*, corpus: str, out: str, metrics: str | None, reporting: str | None) -> int:
    from ..store import atomic_write_text
    from ..training.clickbait import train_clickbait

    model, scores = train_clickbait(corpus, reporting_dir=reporting)
    out_path = Path(out)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    model.save(out_path)
    metrics_path = Path(metrics) if metrics else out_path.with_suffix(".json")
    atomic_write_text(metrics_path, json.dumps(_clickbait_card(model, out_path, scores), indent=2) + "\n")
    held = scores["held_out"]
    print(
        f"held-out n={held['n']} accuracy={held['accuracy']:.4f} roc_auc={held['roc_auc']:.4f} "
        f"ece={held['calibration']['ece']:.4f} C={scores['C']}; wrote {out_path} and {metrics_path}"
    )
    return EXIT_OK


def clickbait_score(*, lines: list[str], model: str | None) -> int:
    from ..clickbait import ClickbaitModel, is_headline_like, load_default

    scorer = ClickbaitModel.load(model) if model else load_default()
    texts = list(lines) or [ln.rstrip("\n") for ln in sys.stdin]
    scores = scorer.score(texts)
    shaped = is_headline_like(texts)
    for text, s, h in zip(texts, scores.tolist(), shaped.tolist()):
        row = {"text": text, "clickbait": round(s, 4), "headline_like": h}
        sys.stdout.write(json.dumps(row, ensure_ascii=False) + "\n")
    return EXIT_OK
