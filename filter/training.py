"""Training and evaluation: labelled documents in, a model and its metrics out.

Evaluation is always on documents whose *group* (site or article) never appears in training; see
:func:`filter.data.split_of`.
"""

from __future__ import annotations

import platform
import time
from collections import Counter
from collections.abc import Iterable, Sequence
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import numpy as np

from . import cleaner, features
from .config import DEFAULT_CONFIG, FilterConfig
from .data import Document, content_hash, read_documents, split_of
from .model import ModelParams, ParagraphModel
from .types import LABELS, Label

__all__ = [
    "load_documents",
    "split_documents",
    "fit",
    "evaluate",
    "choose_threshold",
    "build_card",
    "card_markdown",
]


def load_documents(paths: Iterable[str | Path], converters: Sequence[str] | None = None) -> list[Document]:
    """Documents from project JSONL files/folders, feedback files, and real corpora (via the importers)."""
    docs: list[Document] = []
    for path in paths:
        p = Path(path)
        from . import importers  # local: importers pull optional HTML libraries

        if importers.is_corpus(p):
            kwargs: dict[str, Any] = {}
            if converters:
                kwargs["converters"] = tuple(converters)
            docs.extend(importers.import_corpus(p, **kwargs))
        else:
            docs.extend(read_documents(p))
    return docs


def split_documents(docs: Sequence[Document]) -> tuple[list[Document], list[Document]]:
    """(train, eval) by group hash: stable, and never splits one site or article."""
    train = [d for d in docs if split_of(d.group) == "train"]
    evald = [d for d in docs if split_of(d.group) != "train"]
    return train, evald


def _matrices(docs: Sequence[Document]) -> tuple[features.FeatureSet, np.ndarray, np.ndarray]:
    fs = features.extract([d.paragraphs for d in docs])
    index = {lab: i for i, lab in enumerate(LABELS)}
    y = np.array([index[lab] for d in docs for lab in d.labels], dtype=np.int64)
    groups = np.array([d.group for d in docs for _ in d.paragraphs])
    return fs, y, groups


def _weights(docs: Sequence[Document], y: np.ndarray) -> np.ndarray:
    """Balance labels (so rare filler is learnt) and sources (so no one corpus dominates).

    Label weights are inverse frequency to the power 0.5: full inverse frequency over-weighted the few
    filler examples and cost core recall in development runs; none at all left filler recall below 0.6.
    """
    counts = np.bincount(y, minlength=len(LABELS)).astype(float)
    label_w = np.where(counts > 0, (counts.sum() / np.maximum(counts, 1)) ** 0.5, 0.0)
    label_w = label_w / label_w[y].mean()
    sources = np.array([d.source for d in docs for _ in d.paragraphs])
    src_counts = Counter(sources.tolist())
    total = len(sources)
    # Sources with more than a third of all rows are scaled down to a third.
    cap = total / 3
    src_w = np.array([min(1.0, cap / src_counts[s]) for s in sources])
    w = label_w[y] * src_w
    return w / w.mean()


def fit(docs: Sequence[Document], params: ModelParams | None = None) -> ParagraphModel:
    fs, y, groups = _matrices(docs)
    model = ParagraphModel(params)
    model.fit(fs, y, groups, sample_weight=_weights(docs, y))
    return model


def evaluate(model: ParagraphModel, docs: Sequence[Document], config: FilterConfig = DEFAULT_CONFIG
             ) -> dict[str, Any]:
    """Paragraph-level metrics of ``model`` on labelled ``docs`` at the configured threshold."""
    if not docs:
        return {"n_documents": 0, "n_paragraphs": 0}
    fs, y, _ = _matrices(docs)
    proba = model.predict_proba(fs)
    return metrics_from(proba, y, config, n_documents=len(docs))


def metrics_from(proba: np.ndarray, y: np.ndarray, config: FilterConfig, n_documents: int) -> dict[str, Any]:
    pred = np.array([LABELS.index(lab) for lab in cleaner.decide(proba, config)], dtype=np.int64)
    k = len(LABELS)
    cm = np.zeros((k, k), dtype=np.int64)
    np.add.at(cm, (y, pred), 1)
    per_label: dict[str, dict[str, float]] = {}
    f1s = []
    for i, lab in enumerate(LABELS):
        tp = cm[i, i]
        support = int(cm[i].sum())
        predicted = int(cm[:, i].sum())
        prec = tp / predicted if predicted else 0.0
        rec = tp / support if support else 0.0
        f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
        per_label[lab.value] = {"precision": round(float(prec), 4), "recall": round(float(rec), 4),
                                "f1": round(float(f1), 4), "support": support}
        if support:
            f1s.append(f1)
    return {
        "n_documents": n_documents,
        "n_paragraphs": int(len(y)),
        "accuracy": round(float(np.trace(cm) / max(cm.sum(), 1)), 4),
        "macro_f1": round(float(np.mean(f1s)) if f1s else 0.0, 4),
        "core_recall": per_label[Label.CORE.value]["recall"],
        "core_precision": per_label[Label.CORE.value]["precision"],
        "per_label": per_label,
        "confusion": {"labels": [lab.value for lab in LABELS], "matrix": cm.tolist()},
        "min_core_probability": config.min_core_probability,
    }


def choose_threshold(model: ParagraphModel, docs: Sequence[Document], target_core_recall: float = 0.97
                     ) -> tuple[float, list[dict[str, float]]]:
    """Largest P(core) threshold whose held-out core recall still reaches the target; with the sweep."""
    fs, y, _ = _matrices(docs)
    proba = model.predict_proba(fs)
    sweep = []
    best = 0.2
    for t in np.round(np.arange(0.2, 0.71, 0.05), 2):
        m = metrics_from(proba, y, DEFAULT_CONFIG.with_options(min_core_probability=float(t)), len(docs))
        sweep.append({"threshold": float(t), "core_recall": m["core_recall"],
                      "core_precision": m["core_precision"], "macro_f1": m["macro_f1"]})
        if m["core_recall"] >= target_core_recall:
            best = float(t)
    return best, sweep


def label_counts(docs: Sequence[Document]) -> dict[str, int]:
    c = Counter(lab.value for d in docs for lab in d.labels)
    return {lab.value: c.get(lab.value, 0) for lab in LABELS}


def build_card(
    *,
    data_paths: Sequence[str | Path],
    train_docs: Sequence[Document],
    eval_docs: Sequence[Document],
    metrics: dict[str, Any],
    params: ModelParams,
    seconds: float,
    extra: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """The model card: what the model was trained on, how well it does, and with what."""
    import joblib
    import scipy
    import sklearn

    sources: dict[str, dict[str, Any]] = {}
    for d in list(train_docs) + list(eval_docs):
        s = sources.setdefault(d.source, {"documents": 0, "paragraphs": 0, "licence": ""})
        s["documents"] += 1
        s["paragraphs"] += len(d.paragraphs)
        if not s["licence"]:
            s["licence"] = str(d.provenance.get("licence", "project-written (MIT)"
                                                if d.source.startswith("project") else ""))
    hashes = {}
    for p in data_paths:
        try:
            hashes[str(p)] = content_hash([p])
        except (OSError, FileNotFoundError):
            hashes[str(p)] = "unavailable"
    card: dict[str, Any] = {
        "name": "article-filter paragraph model",
        "created": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "labels": [lab.value for lab in LABELS],
        "data_paths": [str(p) for p in data_paths],
        "data_hashes": hashes,
        "data_hash": content_hash([p for p in data_paths if Path(p).exists()]) if data_paths else "",
        "sources": sources,
        "label_counts": {"train": label_counts(train_docs), "eval": label_counts(eval_docs)},
        "n_documents": {"train": len(train_docs), "eval": len(eval_docs)},
        "metrics": metrics,
        "params": {k: v for k, v in vars(params).items()},
        "training_seconds": round(seconds, 1),
        "versions": {
            "python": platform.python_version(),
            "scikit-learn": sklearn.__version__,
            "numpy": np.__version__,
            "scipy": scipy.__version__,
            "joblib": joblib.__version__,
        },
    }
    if extra:
        card.update(extra)
    return card


def card_markdown(card: dict[str, Any]) -> str:
    m = card.get("metrics", {})
    lines = [
        f"# Model card: {card.get('name', 'article-filter model')}",
        "",
        f"- Created: {card.get('created')}",
        f"- scikit-learn {card.get('versions', {}).get('scikit-learn')}, "
        f"Python {card.get('versions', {}).get('python')}",
        f"- Model file SHA-256: `{card.get('sha256', '(written on save)')}`",
        f"- Training time: {card.get('training_seconds')} s",
        f"- Keep threshold (min P(core)): {m.get('min_core_probability')}",
        "",
        "## Training data",
        "",
        "| source | documents | paragraphs | licence |",
        "|---|---:|---:|---|",
    ]
    for name, s in sorted(card.get("sources", {}).items()):
        lines.append(f"| {name} | {s['documents']} | {s['paragraphs']} | {s.get('licence', '')} |")
    lines += ["", "## Label counts", "", "| split | " + " | ".join(card.get("labels", [])) + " |",
              "|---|" + "---:|" * len(card.get("labels", []))]
    for split, counts in card.get("label_counts", {}).items():
        lines.append(f"| {split} | " + " | ".join(str(counts.get(lab, 0)) for lab in card.get("labels", []))
                     + " |")
    lines += ["", "## Held-out metrics (split by site/article)", "",
              f"Documents: {m.get('n_documents')}, paragraphs: {m.get('n_paragraphs')}, "
              f"accuracy {m.get('accuracy')}, macro F1 {m.get('macro_f1')}", "",
              "| label | precision | recall | F1 | support |", "|---|---:|---:|---:|---:|"]
    for lab, v in m.get("per_label", {}).items():
        lines.append(f"| {lab} | {v['precision']} | {v['recall']} | {v['f1']} | {v['support']} |")
    lines.append("")
    return "\n".join(lines)


def train_model(
    data_paths: Sequence[str | Path],
    *,
    params: ModelParams | None = None,
    converters: Sequence[str] | None = None,
    target_core_recall: float = 0.97,
    docs: Sequence[Document] | None = None,
) -> tuple[ParagraphModel, dict[str, Any], FilterConfig]:
    """Train on the train split of ``data_paths``, pick the keep threshold and measure on the eval split.

    Returns (model, card, config with the chosen threshold).
    """
    params = params or ModelParams()
    t0 = time.perf_counter()
    all_docs = list(docs) if docs is not None else load_documents(data_paths, converters)
    if not all_docs:
        raise ValueError("no training documents found in " + ", ".join(map(str, data_paths)))
    train_docs, eval_docs = split_documents(all_docs)
    if not eval_docs or not train_docs:
        # Tiny data sets (tests, a first feedback file): fall back to an article-level 80/20 by order.
        cut = max(1, int(len(all_docs) * 0.8))
        train_docs, eval_docs = list(all_docs[:cut]), list(all_docs[cut:]) or list(all_docs[:1])
    model = fit(train_docs, params)
    threshold, sweep = choose_threshold(model, eval_docs, target_core_recall)
    config = DEFAULT_CONFIG.with_options(min_core_probability=threshold)
    metrics = evaluate(model, eval_docs, config)
    metrics["threshold_sweep"] = sweep
    card = build_card(data_paths=data_paths, train_docs=train_docs, eval_docs=eval_docs, metrics=metrics,
                      params=params, seconds=time.perf_counter() - t0)
    return model, card, config
