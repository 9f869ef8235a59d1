"""Generalisation benchmark (issue 9): promotion and filler worded unlike anything the model was trained on.

Run from the repository root::

    python -m bench.bench_generalise [--model DIR] [--peer DIR] [--folds 3] [--skip-folds] \
        [--out bench/out/generalise.json]

Two evaluations, both on *real* clean articles of held-out groups (sites/articles never trained on):

1. **Held-out wording families.** The line library's families (``training_data/lines``) and the project
   generator's templates are assigned to ``--folds`` folds by a stable hash of their name. For each fold a
   model is trained with that fold's families removed from every training source, then lines of exactly
   those families are inserted into held-out articles and we count how many are removed. The same model's
   removal of lines from families it *did* see is reported beside it: the gap is what memory was worth.
2. **The independently written set** (``bench/independent``, written apart from the generator and never
   trained on): each promotion line, filler paragraph and hard negative is inserted into held-out real
   articles (and into the set's own invented articles); removal, core kept and hard negatives kept are
   reported for the model under test, a peer model (e.g. the previous release) and jusText, in one run.
   One-paragraph reports, non-English articles and the seed article are checked too.

Everything is measured at each model's own shipped keep threshold.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from filter.api import ArticleFilter, load_model  # noqa: E402
from filter.model import ModelParams  # noqa: E402
from filter.training import augment, evaluation  # noqa: E402
from filter.training import train as training  # noqa: E402
from filter.training.data import Document  # noqa: E402
from filter.types import LABELS, Label  # noqa: E402

CORPORA = REPO.parent / "shared" / "corpora"
SEED_ARTICLE = REPO.parent / "shared" / "seed" / "seed_article.txt"
DATA_PATHS = [str(REPO / "training_data"), str(CORPORA)]
DEFAULT_OUT = REPO / "bench" / "out" / "generalise.json"
SEED = 20261201

#: Keep thresholds of ``--sweep``: around the shipped 0.35, wide enough to show the trade-off.
SWEEP = (0.15, 0.25, 0.35, 0.45, 0.55, 0.65, 0.75)
#: Lines per held-out family in a fold's evaluation: enough that one wording cannot swing a family,
#: few enough that big families do not dominate the pooled rate (the macro rate is reported as well).
PER_FAMILY = 40

#: Clean news articles (all paragraphs core) that probes are built from. turku_line_quality is left out:
#: its "clean" lines are general web text (wiki diffs, "||" table rows), not reporting.
NEWS_HOST_SOURCES = ("bbc_fulltext", "dragnet2020_gold", "chatgpt_news_iu", "ghostbuster_more")

TARGETS = {"promotion_removed": 0.95, "filler_removed": 0.92, "core_kept": 0.99, "hard_negatives_kept": 0.98}


@dataclass
class Probe:
    """A host article with inserted lines; ``kinds[i]`` says what paragraph ``i`` is ("core" for the host)."""

    paragraphs: list[str]
    kinds: list[str]
    families: list[str] = field(default_factory=list)


def log(msg: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


# ------------------------------------------------------------------------------------------------ probes


def eval_hosts(eval_docs: Sequence[Document], limit: int = 600) -> list[Document]:
    """Held-out real clean articles (all paragraphs core, 3+ paragraphs), a stable sample across sources."""
    hosts = [
        d
        for d in eval_docs
        if augment.is_host(d)
        and len(d.paragraphs) >= 3
        and not training._rendered(d)
        and "+" not in d.source
        and d.source in NEWS_HOST_SOURCES
        and all(lab is Label.CORE for lab in d.labels)
    ]
    rng = random.Random(SEED)
    rng.shuffle(hosts)
    return sorted(hosts[:limit], key=lambda d: d.id)


def make_probes(
    hosts: Sequence[Document], items: Sequence[tuple[str, str, str, str]], rounds: int = 2
) -> list[Probe]:
    """Insert each item ``(kind, family, position, text)`` into ``rounds`` different host articles.

    One item per probe article, placed by its position: openings in the first two slots, closings at the
    end (or before the last paragraph), everything else between two host paragraphs. A single insertion
    per article keeps the measurement clean: the line's neighbours are real reporting, never other
    inserted lines.
    """
    rng = random.Random(SEED + 1)
    by_id = {h.id: h for h in hosts}
    probes = []
    for r in range(rounds):
        for n, (kind, family, position, text) in enumerate(items):
            host = hosts[(n * 7 + r * 13) % len(hosts)]
            if position.startswith("headline-of:"):  # a headline is only core on top of its own article
                host = by_id[position.split(":", 1)[1]]
            paras = list(host.paragraphs)
            if position.startswith("headline-of:") or position == "top":
                at = 0
            elif position == "opening":
                at = rng.randint(0, min(2, len(paras)))
            elif position == "closing":
                at = len(paras) - rng.choice((0, 0, 1))
            else:
                at = rng.randint(1, len(paras) - 1)
            kinds = ["core"] * len(paras)
            fams = [""] * len(paras)
            paras.insert(at, text)
            kinds.insert(at, kind)
            fams.insert(at, family)
            probes.append(Probe(paras, kinds, fams))
    return probes


def core_probabilities(flt: ArticleFilter, probes: Sequence[Probe]) -> list[np.ndarray]:
    """P(core) per paragraph of each probe, paragraphs as given (no re-segmentation)."""
    out: list[np.ndarray] = []
    for i in range(0, len(probes), 256):
        batch = probes[i : i + 256]
        docs = [
            Document(id=str(k), paragraphs=p.paragraphs, labels=[Label.CORE] * len(p.paragraphs))
            for k, p in enumerate(batch)
        ]
        proba = evaluation._proba(flt.model, docs)[:, LABELS.index(Label.CORE)]
        row = 0
        for p in batch:
            out.append(proba[row : row + len(p.paragraphs)])
            row += len(p.paragraphs)
    return out


def keep_decisions(flt: ArticleFilter, probes: Sequence[Probe]) -> list[list[bool]]:
    """The model's keep decision per paragraph at its configured threshold (as ``cleaner.decide``)."""
    t = flt.config.keep_threshold
    return [(p >= t).tolist() for p in core_probabilities(flt, probes)]


def threshold_sweep(
    flt: ArticleFilter, probes: Sequence[Probe], thresholds: Sequence[float] = SWEEP
) -> dict[str, dict[str, float]]:
    """Removal and keep rates at other keep thresholds: how much of a gap is the operating point's and
    how much the ranking's (a model whose promotion and hard negatives overlap in P(core) cannot reach
    both targets at any threshold)."""
    proba = core_probabilities(flt, probes)
    keys = ("promotion_removed", "filler_removed", "core_kept", "hard_negatives_kept")
    out = {}
    for t in thresholds:
        res = score(probes, [(p >= t).tolist() for p in proba])
        out[f"{t:.2f}"] = {k: res[k] for k in keys if k in res}
    return out


#: Run in a peer's own checkout: reads probes (lists of paragraphs) as JSON on stdin and prints, per
#: probe, the keep decision of each paragraph, using only the public API that every release has
#: (``load_model`` and ``classify_many`` on paragraphs joined by blank lines), so a previous release is
#: measured with its own code on exactly the same probes.
_PEER_SCRIPT = """
import json, sys
from filter.api import load_model
flt = load_model(sys.argv[1])
probes = json.load(sys.stdin)
out = []
for i in range(0, len(probes), 64):
    batch = probes[i:i + 64]
    for paras, labelled in zip(batch, flt.classify_many(["\\n\\n".join(p) for p in batch], explain=False)):
        kept = {}
        for q in labelled:
            kept.setdefault(q.text.strip(), []).append(q.label.value == "core")
        out.append([kept.get(p.strip(), [False]).pop(0) if kept.get(p.strip()) else False for p in paras])
json.dump(out, sys.stdout)
"""


def peer_decisions(model_dir: str, checkout: str) -> Callable[[Sequence[Probe]], list[list[bool]]]:
    """Decisions of a model run by the code of another checkout (e.g. the previous release)."""
    import os
    import subprocess

    def decide(probes: Sequence[Probe]) -> list[list[bool]]:
        env = {**os.environ, "PYTHONPATH": checkout}
        res = subprocess.run(
            [sys.executable, "-c", _PEER_SCRIPT, model_dir],
            input=json.dumps([p.paragraphs for p in probes]),
            capture_output=True,
            text=True,
            cwd=checkout,
            env=env,
            check=True,
        )
        return json.loads(res.stdout)

    return decide


def justext_decisions(probes: Sequence[Probe]) -> list[list[bool]]:
    from bench.bench_quality import justext_keep

    return [justext_keep(p.paragraphs) for p in probes]


def score(probes: Sequence[Probe], kept: Sequence[Sequence[bool]]) -> dict[str, Any]:
    """Removal of inserted lines per kind (pooled and macro over families), and host core kept."""
    total: Counter[str] = Counter()
    hit: Counter[str] = Counter()
    fam_total: dict[str, Counter[str]] = defaultdict(Counter)
    fam_hit: dict[str, Counter[str]] = defaultdict(Counter)
    for p, k in zip(probes, kept):
        for kind, fam, keep in zip(p.kinds, p.families, k):
            good = keep if kind in ("core", "hard_negative") else not keep
            total[kind] += 1
            hit[kind] += good
            if kind != "core":
                fam_total[kind][fam] += 1
                fam_hit[kind][fam] += good
    out: dict[str, Any] = {}
    names = {
        "promotion": "promotion_removed",
        "filler": "filler_removed",
        "core": "core_kept",
        "hard_negative": "hard_negatives_kept",
        "boilerplate": "boilerplate_removed",
    }
    for kind, n in total.items():
        name = names.get(kind, kind)
        out[name] = round(hit[kind] / n, 4)
        out[name + "_n"] = n
        if kind in fam_total:
            rates = {f: round(fam_hit[kind][f] / c, 3) for f, c in sorted(fam_total[kind].items())}
            out[name + "_macro"] = round(sum(rates.values()) / len(rates), 4)
            out[name + "_by_family"] = rates
    return out


# --------------------------------------------------------------------------------------- held-out folds


def fold_of_line(line: augment.Line, folds: int) -> int | None:
    """The fold of a project-written line's family; real lines belong to no fold (always trained on)."""
    if not line.source.startswith("project"):
        return None
    return augment.family_fold(line.key, folds)


def family_items(
    lines: Sequence[augment.Line], fold: int, folds: int, held_out: bool
) -> list[tuple[str, str, str, str]]:
    """Up to PER_FAMILY lines per family of (or outside) ``fold``, as probe items."""
    rng = random.Random(SEED + fold)
    by_family: dict[str, list[augment.Line]] = defaultdict(list)
    for line in lines:
        if line.label not in (Label.PROMOTION, Label.FILLER):
            continue
        f = fold_of_line(line, folds)
        if f is None or (f == fold) != held_out:
            continue
        by_family[line.key].append(line)
    items = []
    for key in sorted(by_family):
        pool = sorted({ln.text: ln for ln in by_family[key]}.values(), key=lambda ln: ln.text)
        rng.shuffle(pool)
        for ln in pool[:PER_FAMILY]:
            items.append((ln.label.value, key, ln.position, ln.text))
    return items


def run_folds(all_docs: list[Document], folds: int, params: ModelParams) -> dict[str, Any]:
    _, eval_docs = training.held_out_split(all_docs)
    hosts = eval_hosts(eval_docs)
    lines = training.line_library(DATA_PATHS) + augment.lines_from_documents(
        [d for d in all_docs if d.source.startswith("project")]
    )
    results: dict[str, Any] = {"folds": folds, "per_fold": []}
    pooled: dict[str, list[tuple[Probe, list[bool]]]] = {"held_out": [], "seen": []}
    for fold in range(folds):
        t0 = time.perf_counter()

        def excluded(line: augment.Line, fold: int = fold) -> bool:
            return fold_of_line(line, folds) == fold

        held = {key for key in {ln.key for ln in lines} if augment.family_fold(key, folds) == fold}
        log(f"fold {fold}: training without {len(held)} families: {sorted(held)}")
        # The project generator's whole documents carry the same families as its lines: leave them out of
        # the fold models entirely, or the held-out families would still be seen inside them.
        fold_params = ModelParams(**{**vars(params), "project_documents": False})
        model, card, config = training.train_model(
            DATA_PATHS, params=fold_params, docs=all_docs, exclude=excluded
        )
        flt = ArticleFilter(model, card, config)
        row: dict[str, Any] = {
            "fold": fold,
            "held_out_families": sorted(held),
            "threshold": config.min_core_probability,
        }
        for name, held_out in (("held_out", True), ("seen", False)):
            probes = make_probes(hosts, family_items(lines, fold, folds, held_out), rounds=1)
            kept = keep_decisions(flt, probes)
            pooled[name] += list(zip(probes, kept))
            row[name] = score(probes, kept)
        row["seconds"] = round(time.perf_counter() - t0, 1)
        log(
            f"fold {fold}: held-out {_brief(row['held_out'])}; seen {_brief(row['seen'])} ({row['seconds']} s)"
        )
        results["per_fold"].append(row)
    for name, pairs in pooled.items():
        results[name] = score([p for p, _ in pairs], [k for _, k in pairs])
    return results


def _brief(m: dict[str, Any]) -> str:
    keys = ("promotion_removed", "filler_removed", "core_kept", "hard_negatives_kept")
    return ", ".join(f"{k} {m[k]:.3f}" for k in keys if k in m)


# ------------------------------------------------------------------------------------ independent set


def independent_items() -> dict[str, list[tuple[str, str, str, str]]]:
    from bench import independent_set as ind

    def get(row: Any, key: str, default: str = "") -> str:
        return str(row.get(key, default) if isinstance(row, dict) else getattr(row, key, default))

    promo = [("promotion", get(r, "family"), "any", get(r, "text")) for r in ind.load_promotion()]
    filler = [
        ("filler", get(r, "family"), get(r, "position", "any"), get(r, "text")) for r in ind.load_filler()
    ]
    hard = [
        (
            "hard_negative",
            get(r, "family"),
            f"headline-of:independent:{r.article}"
            if r.article
            else ("top" if r.family == "own_headline" else "any"),
            get(r, "text"),
        )
        for r in ind.load_hard_negatives()
    ]
    return {"promotion": promo, "filler": filler, "hard_negative": hard}


def independent_hosts(real_hosts: Sequence[Document]) -> list[Document]:
    from bench import independent_set as ind

    out = list(real_hosts)
    for r in ind.load_articles():
        paras = list(r["paragraphs"] if isinstance(r, dict) else r.paragraphs)
        topic = r.get("topic") if isinstance(r, dict) else getattr(r, "topic", "")
        if len(paras) >= 3 and topic != "short":
            out.append(Document(id=f"independent:{r.id}", paragraphs=paras, labels=[Label.CORE] * len(paras)))
    return out


def independent_probes(
    hosts: Sequence[Document], items: dict[str, list[tuple[str, str, str, str]]]
) -> list[Probe]:
    """Every promotion, filler and hard-negative item of the independent set in two host articles."""
    return make_probes(hosts, items["promotion"] + items["filler"] + items["hard_negative"], rounds=2)


def run_independent(
    systems: dict[str, Callable[[Sequence[Probe]], list[list[bool]]]],
    probes: Sequence[Probe],
    items: dict[str, list[tuple[str, str, str, str]]],
) -> dict[str, Any]:
    log(f"independent set: {len(probes)} probe articles")
    out: dict[str, Any] = {"n_items": {k: len(v) for k, v in items.items()}}
    for name, decide in systems.items():
        t0 = time.perf_counter()
        out[name] = score(probes, decide(probes))
        log(f"  {name}: {_brief(out[name])} ({time.perf_counter() - t0:.1f} s)")
    return out


def gate_metrics(flt: ArticleFilter) -> dict[str, Any]:
    """The independent set inserted into its own invented articles only: needs no ../shared, so the test
    suite's quality gate (tests/test_quality_gate.py) runs the shipped model on it and compares with
    stored floors."""
    items = independent_items()
    hosts = independent_hosts([])
    probes = make_probes(hosts, items["promotion"] + items["filler"] + items["hard_negative"], rounds=1)
    return score(probes, keep_decisions(flt, probes))


def short_and_foreign(flt: ArticleFilter) -> dict[str, Any]:
    """One- and two-paragraph reports kept; non-English articles never emptied silently."""
    from bench import independent_set as ind

    short = [
        r for r in ind.load_articles() if (r.get("topic") if isinstance(r, dict) else r.topic) == "short"
    ]
    kept = 0
    for r in short:
        paras = list(r["paragraphs"] if isinstance(r, dict) else r.paragraphs)
        text = "\n\n".join(paras)
        kept += flt.clean(text).strip() == text.strip()
    foreign = ind.load_non_english()
    emptied_silently = 0
    for r in foreign:
        paras = list(r["paragraphs"] if isinstance(r, dict) else r.paragraphs)
        text = "\n\n".join(paras)
        analyse = getattr(flt, "analyse", None)
        if analyse is not None:
            doc = analyse(text)
            emptied_silently += (not doc.text.strip()) and not doc.warnings
        else:
            emptied_silently += not flt.clean(text).strip()
    return {
        "short_reports": len(short),
        "short_reports_kept_whole": round(kept / max(len(short), 1), 4),
        "non_english": len(foreign),
        "non_english_emptied_silently": emptied_silently,
    }


def seed_check(flt: ArticleFilter) -> str:
    if not SEED_ARTICLE.exists():
        return "n/a"
    text = SEED_ARTICLE.read_text(encoding="utf-8")
    paras = [p for p in text.split("\n\n") if p.strip()]
    want = "\n\n".join(paras[i] for i in (0, 1, 2, 4, 5, 6))
    return "PASS" if flt.clean(text) == want else "FAIL"


# ----------------------------------------------------------------------------------------------- output


def markdown(res: dict[str, Any]) -> str:
    lines = []
    ind = res.get("independent")
    if ind:
        systems = [s for s in ind if s != "n_items"]
        lines += [
            f"Independent set: {ind['n_items']}; each item inserted into 2 held-out real articles.",
            "",
            "| measure | " + " | ".join(systems) + " | target |",
            "|---|" + "---:|" * len(systems) + "---:|",
        ]
        for key, target in TARGETS.items():
            vals = [ind[s].get(key) for s in systems]
            lines.append(
                f"| {key.replace('_', ' ')} | "
                + " | ".join("-" if v is None else f"{v:.3f}" for v in vals)
                + f" | {target} |"
            )
        for key in ("promotion_removed_macro", "filler_removed_macro"):
            vals = [ind[s].get(key) for s in systems]
            lines.append(
                f"| {key.replace('_', ' ')} (mean over families) | "
                + " | ".join("-" if v is None else f"{v:.3f}" for v in vals)
                + " | |"
            )
    folds = res.get("folds")
    if folds:
        lines += [
            "",
            f"Held-out wording families ({folds['folds']} folds; a model per fold trained without them):",
            "",
            "| measure | held-out families | seen families | target |",
            "|---|---:|---:|---:|",
        ]
        for key, target in TARGETS.items():
            if key == "hard_negatives_kept":
                continue
            held, seen = folds["held_out"].get(key, float("nan")), folds["seen"].get(key, float("nan"))
            lines.append(f"| {key.replace('_', ' ')} | {held:.3f} | {seen:.3f} | {target} |")
    extra = res.get("checks")
    if extra:
        lines += ["", "| check | result |", "|---|---|"] + [f"| {k} | {v} |" for k, v in extra.items()]
    return "\n".join(lines) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--model", default=None, help="model directory under test (default: the shipped model)")
    ap.add_argument(
        "--peer",
        action="append",
        default=[],
        help="NAME=DIR[@CHECKOUT]: a peer model, run by the code of CHECKOUT (default: this one); repeatable",
    )
    ap.add_argument("--folds", type=int, default=3)
    ap.add_argument("--skip-folds", action="store_true")
    ap.add_argument("--no-justext", action="store_true")
    ap.add_argument("--sweep", action="store_true", help="also score the model at other keep thresholds")
    ap.add_argument("--out", default=str(DEFAULT_OUT))
    args = ap.parse_args(argv)
    if not CORPORA.exists():
        print("needs ../shared/corpora", file=sys.stderr)
        return 2
    res: dict[str, Any] = {}
    t0 = time.perf_counter()
    all_docs = training.load_documents(DATA_PATHS)
    log(f"loaded {len(all_docs)} documents")
    _, eval_docs = training.held_out_split(all_docs)
    hosts = eval_hosts(eval_docs)
    flt = load_model(args.model) if args.model else load_model()
    systems: dict[str, Callable[[Sequence[Probe]], list[list[bool]]]] = {
        "filter": lambda ps: keep_decisions(flt, ps)
    }
    for spec in args.peer:
        name, _, path = spec.partition("=")
        model_dir, _, checkout = path.partition("@")
        systems[name] = peer_decisions(model_dir, checkout or str(REPO))
    if not args.no_justext:
        systems["jusText"] = justext_decisions
    try:
        items = independent_items()
        probes = independent_probes(independent_hosts(hosts), items)
        res["independent"] = run_independent(systems, probes, items)
        if args.sweep:
            res["sweep"] = threshold_sweep(flt, probes)
            for t, row in res["sweep"].items():
                log(f"  threshold {t}: " + ", ".join(f"{k} {v:.3f}" for k, v in row.items()))
        res["checks"] = {**short_and_foreign(flt), "seed article exact": seed_check(flt)}
    except ImportError as exc:
        log(f"independent set not available: {exc}")
    if not args.skip_folds:
        res["folds"] = run_folds(all_docs, args.folds, ModelParams())
    res["seconds"] = round(time.perf_counter() - t0, 1)
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(res, indent=2) + "\n", encoding="utf-8")
    out.with_suffix(".md").write_text(markdown(res), encoding="utf-8")
    print(markdown(res))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
