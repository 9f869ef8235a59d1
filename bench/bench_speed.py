"""Speed benchmark (issue 12): this filter against jusText on the same real pages, in one run.

What it measures, each against a peer measured in the same run:

1. ``clean_many`` throughput in batches of 64 on real pages (the held-out pages of ``bench_quality``,
   rendered once by html-text and inscriptis and cached in ``bench/cache/``; not replicated), against
   jusText on the same paragraphs;
2. the share of each pipeline stage (segment, features, model, decide/verdicts) in that run;
3. single ``clean(text)`` calls in a loop on the same pages, against jusText called per page;
4. cold start of the command: ``article-filter --help`` and ``article-filter clean one.txt`` (the seed
   article, or a project test case without ../shared), against ``python -c pass``, with peak memory.

Timings move with machine load (2 shared cores here), which is why every figure is a ratio against a
peer measured in the same run, and the load average is printed with the result.

    python -m bench.bench_speed [--limit N] [--out bench/out/speed.json]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from bench.bench_quality import (  # noqa: E402
    GENERAL_CORPORA,
    NEWS_CORPORA,
    SEED_ARTICLE,
    _timed_child,
    justext_keep,
    load_test_docs,
)
from filter import load_model  # noqa: E402
from filter.api import _windows  # noqa: E402
from filter.segment import segment, segment_spans  # noqa: E402

BATCH = 64


def _stages(flt: Any, texts: Sequence[str]) -> dict[str, float]:
    """Seconds per stage of ``clean_many`` over ``texts`` (the same calls, timed one by one)."""
    from filter import cleaner

    cfg = flt.config
    out = {"segment": 0.0, "features": 0.0, "model": 0.0, "decide and verdicts": 0.0}
    for i in range(0, len(texts), BATCH):
        batch = texts[i : i + BATCH]
        t0 = time.perf_counter()
        docs = [segment_spans(t, cfg) for t in batch]
        t1 = time.perf_counter()
        fs = flt.model.features(_windows([[p[0] for p in doc] for doc in docs], cfg.max_document_chars))
        t2 = time.perf_counter()
        proba = flt.model.predict_proba_features(fs)
        t3 = time.perf_counter()
        labels = cleaner.decide(proba, cfg)
        row = 0
        for doc in docs:
            n = len(doc)
            flt._decide([p[0] for p in doc], proba[row : row + n], labels[row : row + n])  # noqa: SLF001
            row += n
        t4 = time.perf_counter()
        for k, a, b in (("segment", t0, t1), ("features", t1, t2), ("model", t2, t3)):
            out[k] += b - a
        out["decide and verdicts"] += t4 - t3
    return out


def _justext_seconds(flt: Any, texts: Sequence[str]) -> float:
    t0 = time.perf_counter()
    for t in texts:
        justext_keep([p.text for p in segment(t, flt.config)])
    return time.perf_counter() - t0


def _cold_start(model: str | None, one_file: Path, repeats: int) -> dict[str, Any]:
    exe = [sys.executable, "-m", "filter.cli"]
    model_args = ["--model", model] if model else []
    rows = {
        "python -c pass": [sys.executable, "-c", "pass"],
        "article-filter --help": [*exe, "--help"],
        "article-filter clean one.txt": [*exe, "clean", str(one_file), *model_args],
    }
    out: dict[str, Any] = {}
    for name, cmd in rows.items():
        runs = [_timed_child(cmd) for _ in range(repeats)]
        out[name] = {
            "median_s": statistics.median(r[0] for r in runs),
            "peak_rss_mb": max(r[1] for r in runs) / 1e6,
            "exit_codes": sorted({r[2] for r in runs}),
        }
    return out


def _one_file() -> Path:
    if SEED_ARTICLE.exists():
        return SEED_ARTICLE
    rows = [json.loads(line) for line in (REPO / "tests" / "cases" / "labelled_documents.jsonl").open()]
    path = Path(tempfile.mkdtemp()) / "one.txt"
    path.write_text("\n\n".join(p["text"] for p in rows[0]["paragraphs"]), encoding="utf-8")
    return path


def run(limit: int | None, model: str | None, repeats: int) -> dict[str, Any]:
    log = lambda s: print(s, file=sys.stderr)  # noqa: E731
    docs = load_test_docs(NEWS_CORPORA + GENERAL_CORPORA, ["html_text", "inscriptis"], limit, log)
    texts = [d.text for d in docs]
    mb = sum(len(t.encode("utf-8")) for t in texts) / 1e6
    flt = load_model(model) if model else load_model()
    flt.clean_many(texts[:BATCH])  # warm-up: lazy imports, caches
    load0 = os.getloadavg()
    t0 = time.perf_counter()
    for i in range(0, len(texts), BATCH):
        flt.clean_many(texts[i : i + BATCH])
    batch_s = time.perf_counter() - t0
    justext_s = _justext_seconds(flt, texts)
    stages = _stages(flt, texts)
    single = texts[: min(len(texts), 300)]
    t0 = time.perf_counter()
    for t in single:
        flt.clean(t)
    single_s = time.perf_counter() - t0
    justext_single_s = _justext_seconds(flt, single)
    cold = _cold_start(model, _one_file(), repeats)
    total = sum(stages.values())
    return {
        "documents": len(texts),
        "megabytes": mb,
        "load_average_at_start": load0,
        "clean_many_mb_per_s": mb / batch_s,
        "justext_mb_per_s": mb / justext_s,
        "clean_many_vs_justext": justext_s / batch_s,
        "stage_seconds": stages,
        "stage_share": {k: v / total for k, v in stages.items()},
        "single_documents": len(single),
        "single_clean_docs_per_s": len(single) / single_s,
        "single_justext_docs_per_s": len(single) / justext_single_s,
        "single_clean_vs_justext": justext_single_s / single_s,
        "cold_start": cold,
    }


def markdown(res: dict[str, Any]) -> str:
    cold = res["cold_start"]
    lines = [
        f"{res['documents']} real pages, {res['megabytes']:.1f} MB; load average at start "
        f"{', '.join(f'{x:.2f}' for x in res['load_average_at_start'])} (2 cores)",
        "",
        "| measure | filter | jusText | ratio | target |",
        "|---|---:|---:|---:|---:|",
        f"| `clean_many` x{BATCH}, MB/s | {res['clean_many_mb_per_s']:.2f} | {res['justext_mb_per_s']:.2f} "
        f"| {res['clean_many_vs_justext']:.1f}x | >= 10x |",
        f"| single `clean()` in a loop, docs/s | {res['single_clean_docs_per_s']:.1f} | "
        f"{res['single_justext_docs_per_s']:.1f} | {res['single_clean_vs_justext']:.1f}x | >= 5x |",
        "",
        "| stage of `clean_many` | seconds | share |",
        "|---|---:|---:|",
        *(
            f"| {k} | {res['stage_seconds'][k]:.2f} | {res['stage_share'][k]:.0%} |"
            for k in res["stage_seconds"]
        ),
        "",
        "| command | median s | peak RSS MB | target |",
        "|---|---:|---:|---|",
    ]
    targets = {"article-filter --help": "< 0.15 s", "article-filter clean one.txt": "< 0.3 s, < 300 MB"}
    for name, row in cold.items():
        lines.append(
            f"| `{name}` | {row['median_s']:.2f} | {row['peak_rss_mb']:.0f} | {targets.get(name, '')} |"
        )
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--limit", type=int, default=None, help="held-out pages per corpus")
    ap.add_argument("--model", default=None, help="model directory (default: the shipped model)")
    ap.add_argument("--repeats", type=int, default=5, help="runs per cold-start command (median)")
    ap.add_argument("--out", default=str(REPO / "bench" / "out" / "speed.json"))
    args = ap.parse_args(argv)
    res = run(args.limit, args.model, args.repeats)
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(res, indent=2), encoding="utf-8")
    print(markdown(res))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
