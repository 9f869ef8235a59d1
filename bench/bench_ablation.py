"""Ablation (issue 9): what each data source and feature group contributes, each a row, in one run.

Run from the repository root::

    python -m bench.bench_ablation [--scale 0.4] [--only NAME,...] [--out bench/out/ablation.json]

Every row trains a model with one source or feature group removed (the same documents, split and seed as
the full row) and measures it on the same yardsticks: the independently written set inserted into
held-out real articles (``bench.bench_generalise``), held-out real pages rendered by two converters
(token F1, ``bench.bench_quality``), and the held-out paragraph metrics of the training split. Two rows
need no training: "pass 1 only" and "no calibration" predict with the full model's own parts.

``--scale`` trains every row on that share of the training groups (by a stable hash), so the whole table
fits in an hour on two cores; the rows are comparable with each other, not with the shipped model.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

import numpy as np  # noqa: E402

from bench import bench_generalise as gen  # noqa: E402
from bench import bench_quality as qual  # noqa: E402
from filter import cleaner, features  # noqa: E402
from filter.api import ArticleFilter  # noqa: E402
from filter.model import ModelParams, ParagraphModel  # noqa: E402
from filter.training import evaluation  # noqa: E402
from filter.training import train as training  # noqa: E402
from filter.training.data import Document, split_of  # noqa: E402
from filter.types import Label  # noqa: E402

FULL = "library+generator+real+headlines"
VARIANTS: dict[str, dict[str, Any]] = {
    "all sources and features": {},
    "- line library": {"augment": "generator+real+headlines"},
    "- generator lines": {"augment": "library+real+headlines"},
    "- real lines (generated endings, mined lines)": {"augment": "library+generator+headlines"},
    "- real headlines": {"augment": "library+generator+real"},
    "- whole generator documents": {"project_documents": False},
    "no insertion at all": {"augment": "none"},
    "- character n-grams": {"char_bits": 0},
    "- shape features": {"disabled_features": features.FEATURE_GROUPS["shape"]},
    "- density features": {"disabled_features": features.FEATURE_GROUPS["density"]},
    "- word n-grams": {"max_features": 0},
}


def log(msg: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def scaled(docs: Sequence[Document], scale: float) -> list[Document]:
    """Training-side documents thinned to ``scale`` of their groups; evaluation groups all kept."""
    if scale >= 1.0:
        return list(docs)
    return [
        d
        for d in docs
        if split_of(d.group) != "train" or split_of(d.group, eval_fraction=scale, salt="ablation") == "eval"
    ]


class _PartsFilter(ArticleFilter):
    """The full model predicting with pass 1 only, or without calibration (no retraining needed)."""

    def __init__(self, base: ArticleFilter, mode: str) -> None:
        super().__init__(base.model, base.card, base.config, base.source)
        self.mode = mode


def _variant_proba(model: ParagraphModel, docs: Sequence[Document], mode: str) -> np.ndarray:
    fs = model.features([d.paragraphs for d in docs])
    if mode == "pass1":
        return model.stage1_proba(fs)

    from filter.context import context_matrix

    return model._context_proba(context_matrix(model.stage1_proba(fs), fs))


def evaluate(flt: ArticleFilter, mode: str, hosts: list[Document], test_docs: list[Any]) -> dict[str, Any]:
    def decide(probes: Sequence[gen.Probe]) -> list[list[bool]]:
        if mode == "full":
            return gen.keep_decisions(flt, probes)
        out = []
        docs = [
            Document(id=str(i), paragraphs=p.paragraphs, labels=[Label.CORE] * len(p.paragraphs))
            for i, p in enumerate(probes)
        ]
        labels = cleaner.decide(_variant_proba(flt.model, docs, mode), flt.config)
        row = 0
        for p in probes:
            out.append([lab is Label.CORE for lab in labels[row : row + len(p.paragraphs)]])
            row += len(p.paragraphs)
        return out

    items = gen.independent_items()
    ind = gen.run_independent({"filter": decide}, gen.independent_probes(hosts, items), items)["filter"]
    # Real pages: classify each rendering's paragraphs and compare the kept text with the gold text.
    docs = [Document(id=str(i), paragraphs=d.paragraphs, labels=d.labels) for i, d in enumerate(test_docs)]
    proba = (
        _variant_proba(flt.model, docs, "pass1")
        if mode == "pass1"
        else (_variant_proba(flt.model, docs, "raw") if mode == "raw" else evaluation._proba(flt.model, docs))
    )
    labels = cleaner.decide(proba, flt.config)
    row = 0
    for d in test_docs:
        n = len(d.paragraphs)
        d.results["filter"] = "\n\n".join(
            p for p, lab in zip(d.paragraphs, labels[row : row + n]) if lab is Label.CORE
        )
        row += n
    tok = qual.token_metrics(test_docs, ["filter"])["filter"]
    return {
        "independent": {k: ind[k] for k in gen.TARGETS if k in ind},
        "real_pages_token": {k: round(tok[k], 4) for k in ("precision", "recall", "f1") if k in tok},
    }


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--scale", type=float, default=0.4)
    ap.add_argument("--only", default="", help="comma-separated row names (default: all)")
    ap.add_argument("--out", default=str(REPO / "bench" / "out" / "ablation.json"))
    args = ap.parse_args(argv)
    all_docs = scaled(training.load_documents(gen.DATA_PATHS), args.scale)
    _, eval_docs = training.held_out_split(all_docs)
    hosts = gen.independent_hosts(gen.eval_hosts(eval_docs))
    test_docs = qual.load_test_docs(qual.NEWS_CORPORA, ["html_text", "inscriptis"], None, log)
    log(f"{len(all_docs)} documents at scale {args.scale}; {len(test_docs)} real test renderings")
    rows: dict[str, Any] = {}
    out = Path(args.out)
    if out.exists():
        rows = json.loads(out.read_text()).get("rows", {})
    wanted = [v for v in VARIANTS if not args.only or v in args.only.split(",")]
    base = ModelParams()
    full_flt: ArticleFilter | None = None
    for name in wanted:
        t0 = time.perf_counter()
        params = replace(base, **VARIANTS[name])
        model, card, config = training.train_model(gen.DATA_PATHS, params=params, docs=all_docs)
        flt = ArticleFilter(model, card, config)
        m = card["metrics"]
        rows[name] = {
            **evaluate(flt, "full", hosts, test_docs),
            "held_out_paragraphs": {
                "macro_f1": m["macro_f1"],
                "core_precision": m["core_precision"],
                "core_recall": m["core_recall"],
            },
            "threshold": config.min_core_probability,
            "calibration": {"own_weight": model.own_weight, "temperature": model.temperature},
            "seconds": round(time.perf_counter() - t0, 1),
        }
        log(f"{name}: {rows[name]}")
        if name == "all sources and features":
            full_flt = flt
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps({"scale": args.scale, "rows": rows}, indent=2) + "\n")
    if full_flt is not None:
        for name, mode in (
            ("pass 1 only (no context pass)", "pass1"),
            ("no calibration (raw pass 2)", "raw"),
        ):
            rows[name] = evaluate(full_flt, mode, hosts, test_docs)
            log(f"{name}: {rows[name]}")
    out.write_text(json.dumps({"scale": args.scale, "rows": rows}, indent=2) + "\n")
    print(markdown({"scale": args.scale, "rows": rows}))
    return 0


def markdown(res: dict[str, Any]) -> str:
    lines = [
        f"Ablation at training scale {res['scale']} (each row retrained; rows comparable with each other).",
        "",
        "| row | promo removed | filler removed | core kept | hard neg. kept | real-page token F1 (P / R) "
        "| held-out macro F1 |",
        "|---|---:|---:|---:|---:|---|---:|",
    ]
    for name, r in res["rows"].items():
        ind = r["independent"]
        tok = r["real_pages_token"]
        hp = r.get("held_out_paragraphs", {})
        nan = float("nan")
        cells = [
            ind.get(k, nan)
            for k in ("promotion_removed", "filler_removed", "core_kept", "hard_negatives_kept")
        ]
        lines.append(
            f"| {name} | " + " | ".join(f"{v:.3f}" for v in cells) + " | "
            f"{tok.get('f1', nan):.3f} ({tok.get('precision', nan):.3f} / {tok.get('recall', nan):.3f}) | "
            f"{hp.get('macro_f1', '')} |"
        )
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    raise SystemExit(main())
