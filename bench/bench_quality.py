"""Quality and speed benchmark (issue 2): the filter vs jusText (and trafilatura) on the same text.

Run from the repository root::

    python -m bench.bench_quality [--model DIR] [--limit N] [--converters html_text,inscriptis] \
        [--out bench/out/quality.json]

What it measures, in one run (details in the printed notes and in ``bench/common.py``):

1. Token F1 (word 4-shingle multisets, macro over documents) of the cleaned text vs the gold main text, on
   held-out pages (``split_of(group) == "eval"``) of l3s_gn1, dragnet2013, readability_testpages and
   cleaneval/cleanportaleval (the news headline), each rendered by every converter (one test document per
   page and converter); cleaneval dev+final (general web, loose gold) is reported as a separate row.
2. Paragraph precision/recall per label against the importers' labels for the same renderings, and the share
   of core paragraphs kept.
3. jusText (and trafilatura) on the same paragraphs, each wrapped in ``<p>``.
4. Injected promotion lines and filler paragraphs in held-out clean articles; hard negatives.
5. The seed article.
6. Speed: batched throughput vs jusText, CLI wall time incl. model load vs ``python -c pass``, peak memory.

Rendered pages and their labels are cached in ``bench/cache/`` (gitignored; the corpora are research-use).
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:  # allow `python bench/bench_quality.py`
    sys.path.insert(0, str(REPO))

from bench.common import SHINGLE_SIZE, aggregate, shingle_prf, tokens, wrap_paragraphs_html  # noqa: E402
from filter.api import ArticleFilter, load_model  # noqa: E402
from filter.segment import segment  # noqa: E402
from filter.training import converters, importers, labelling  # noqa: E402
from filter.training import corpora as corpus_readers  # noqa: E402
from filter.training.data import Document, read_documents, split_of  # noqa: E402
from filter.types import LABELS, Label  # noqa: E402

CORPORA_ROOT = REPO.parent / "shared" / "corpora"
SEED_ARTICLE = REPO.parent / "shared" / "seed" / "seed_article.txt"
CACHE_DIR = REPO / "bench" / "cache"
DEFAULT_OUT = REPO / "bench" / "out" / "quality.json"
SEED = 20240602
BATCH = 64

#: (row name, importer corpus names); the first group of rows is the news headline.
NEWS_ROWS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("l3s_gn1", ("l3s_gn1",)),
    ("dragnet2013", ("dragnet2013",)),
    ("readability_testpages", ("readability_testpages",)),
    ("cleanportaleval", ("cleanportaleval",)),
)
GENERAL_ROWS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("cleaneval dev+final (general web)", ("cleaneval_dev", "cleaneval_final")),
)
NEWS_CORPORA = tuple(c for _, cs in NEWS_ROWS for c in cs)
GENERAL_CORPORA = tuple(c for _, cs in GENERAL_ROWS for c in cs)

HARD_NEGATIVE_RE = re.compile(
    r"remains to be seen|only time will tell|moving forward|in conclusion|" + labelling.FILLER_RE.pattern,
    re.IGNORECASE,
)
PROMO_TEMPLATES = (
    "Also Check Out: {h}",
    "READ MORE: {h}",
    "Read more: {h}",
    "ALSO READ: {h}",
    "Related: {h}",
    "See also: {h}",
    "You may also like: {h}",
    "Don't miss: {h}",
    "MORE: {h}",
    "Recommended: {h}",
)


# ------------------------------------------------------------------------------------------ test pages


@dataclass
class TestDoc:
    """One rendering of one held-out page, with the importers' paragraph labels for the same rendering."""

    corpus: str
    page_id: str
    group: str
    converter: str
    text: str
    gold: str
    paragraphs: list[str]
    labels: list[Label]
    results: dict[str, Any] = field(default_factory=dict)


def _digest(*parts: bytes) -> str:
    h = hashlib.sha256()
    for p in parts:
        h.update(p)
    return h.hexdigest()[:12]


def _cache_key(folder: Path) -> str:
    """Changes when the importer/segmenter code or the corpus files change, so the cache is never stale."""
    here = REPO / "filter"
    names = (
        "training/importers.py",
        "training/converters.py",
        "training/labelling.py",
        "training/corpora.py",
    )
    code = [(here / n).read_bytes() for n in (*names, "segment.py", "config.py") if (here / n).exists()]
    data = [
        f"{f.name}:{f.stat().st_size}:{int(f.stat().st_mtime)}".encode()
        for f in sorted(folder.iterdir())
        if f.is_file()
    ]
    return _digest(*code, *data)


def _eval_pages(spec_name: str) -> Iterator[Any]:
    """Held-out pages of one HTML corpus, in corpus order.

    Uses the importers' page reader so that groups (and thus the split) are exactly the training ones;
    filtering before rendering avoids rendering the 80% of pages that are never scored.
    """
    spec = corpus_readers._BY_NAME[spec_name]  # noqa: SLF001 - see the report: gold_pages() has no split filter
    for page in corpus_readers._html_pages(spec, CORPORA_ROOT / spec.rel):  # noqa: SLF001
        if split_of(page.group) == "eval":
            yield page


def _render_page(page: Any, converter: str, licence: str) -> dict[str, Any] | None:
    doc = corpus_readers._page_document(page, converter, licence)  # noqa: SLF001 - the importer's own labelling
    if doc is None or not page.gold_text.strip():
        return None
    html = page.alt_html if doc.provenance.get("html") == "annotated" else page.html
    text = converters.render(html, converter)
    return {
        "text": text,
        "paragraphs": doc.paragraphs,
        "labels": [lab.value for lab in doc.labels],
        "html": doc.provenance.get("html"),
    }


def load_test_docs(
    corpora: Sequence[str], converters: Sequence[str], limit: int | None, log: Callable[[str], None]
) -> list[TestDoc]:
    out: list[TestDoc] = []
    CACHE_DIR.mkdir(parents=True, exist_ok=True)
    for name in corpora:
        spec = corpus_readers._BY_NAME[name]  # noqa: SLF001
        pages = list(_eval_pages(name))
        if limit is not None:
            pages = pages[:limit]
        key = _cache_key(CORPORA_ROOT / spec.rel)
        for conv in converters:
            path = CACHE_DIR / f"pages.{name}.{conv}.{key}.json.gz"
            cache: dict[str, Any] = {}
            if path.exists():
                with gzip.open(path, "rt", encoding="utf-8") as fh:
                    cache = json.load(fh)
            new = 0
            t0 = time.perf_counter()
            for page in pages:
                if page.page_id not in cache:
                    cache[page.page_id] = _render_page(page, conv, spec.licence)
                    new += 1
                entry = cache[page.page_id]
                if entry is None or not entry["text"].strip():
                    continue
                out.append(
                    TestDoc(
                        name,
                        page.page_id,
                        page.group,
                        conv,
                        entry["text"],
                        page.gold_text,
                        entry["paragraphs"],
                        [Label(x) for x in entry["labels"]],
                    )
                )
            if new:
                tmp = path.with_name(path.name + f".tmp{os.getpid()}")
                with gzip.open(tmp, "wt", encoding="utf-8") as fh:
                    json.dump(cache, fh, sort_keys=True)
                tmp.replace(path)
            log(f"  {name}/{conv}: {len(pages)} eval pages ({new} rendered, {time.perf_counter() - t0:.1f}s)")
    return out


# --------------------------------------------------------------------------------------------- systems


def run_filter(flt: ArticleFilter, docs: Sequence[TestDoc]) -> float:
    """Classify every test document in batches; stores kept text and per-paragraph labels. Returns seconds."""
    t0 = time.perf_counter()
    for i in range(0, len(docs), BATCH):
        batch = docs[i : i + BATCH]
        for d, paras in zip(batch, flt.classify_many([d.text for d in batch], explain=False), strict=False):
            d.results["filter_paras"] = [p.text for p in paras]
            d.results["filter_labels"] = [p.label for p in paras]
            d.results["filter"] = flt.config.joiner.join(p.text for p in paras if p.label is Label.CORE)
    return time.perf_counter() - t0


def justext_keep(paragraphs: Sequence[str]) -> list[bool]:
    """jusText's keep decision for each paragraph (wrapped one per ``<p>``)."""
    import justext

    kept = [False] * len(paragraphs)
    if not paragraphs:
        return kept
    for p in justext.justext(wrap_paragraphs_html(paragraphs), justext.get_stoplist("English")):
        m = re.search(r"/p\[(\d+)\]$", p.xpath)
        if m and not p.is_boilerplate:
            kept[int(m.group(1)) - 1] = True
    return kept


def run_justext(flt: ArticleFilter, docs: Sequence[TestDoc]) -> float:
    t0 = time.perf_counter()
    for d in docs:
        paras = [p.text for p in segment(d.text, flt.config)]
        kept = justext_keep(paras)
        d.results["justext_kept"] = dict(zip(paras, kept, strict=False))
        d.results["justext"] = "\n\n".join(p for p, k in zip(paras, kept, strict=False) if k)
    return time.perf_counter() - t0


def trafilatura_available() -> bool:
    try:
        import trafilatura  # noqa: F401
    except ImportError:
        return False
    return True


def run_trafilatura(flt: ArticleFilter, docs: Sequence[TestDoc]) -> float:
    import trafilatura

    t0 = time.perf_counter()
    for d in docs:
        paras = [p.text for p in segment(d.text, flt.config)]
        out = None
        if paras:
            out = trafilatura.extract(
                wrap_paragraphs_html(paras), include_comments=False, include_tables=True, deduplicate=False
            )
        d.results["trafilatura"] = out or ""
    return time.perf_counter() - t0


def _contained(paragraph: str, haystack: str) -> bool:
    toks = tokens(paragraph)
    return bool(toks) and (" " + " ".join(toks) + " ") in haystack


# ------------------------------------------------------------------------------------ scoring helpers


def _align(pred: Sequence[str], gold: Sequence[str]) -> list[tuple[int, int]]:
    if list(pred) == list(gold):
        return [(i, i) for i in range(len(gold))]
    sm = SequenceMatcher(None, list(pred), list(gold), autojunk=False)
    return [(a + k, b + k) for a, b, size in sm.get_matching_blocks() for k in range(size)]


def paragraph_metrics(docs: Sequence[TestDoc], systems: Sequence[str]) -> dict[str, Any]:
    """Per-label P/R of the filter vs importer labels, and core-kept share for every system."""
    conf: Counter[tuple[str, str]] = Counter()
    unaligned = 0
    core_total = 0
    core_kept: Counter[str] = Counter()
    noncore_total = 0
    noncore_dropped: Counter[str] = Counter()
    for d in docs:
        pairs = _align(d.results["filter_paras"], d.paragraphs)
        unaligned += len(d.paragraphs) - len(pairs)
        flabels = d.results["filter_labels"]
        for i, j in pairs:
            conf[(d.labels[j].value, flabels[i].value)] += 1
        jk: dict[str, bool] = d.results["justext_kept"]
        traf = " " + " ".join(tokens(d.results.get("trafilatura", ""))) + " "
        fkept = {d.results["filter_paras"][i] for i, lab in enumerate(flabels) if lab is Label.CORE}
        for j, (p, lab) in enumerate(zip(d.paragraphs, d.labels, strict=False)):
            decisions = {"filter": p in fkept, "justext": jk.get(p, False)}
            if "trafilatura" in systems:
                decisions["trafilatura"] = _contained(p, traf)
            if lab is Label.CORE:
                core_total += 1
                for s, k in decisions.items():
                    core_kept[s] += k
            else:
                noncore_total += 1
                for s, k in decisions.items():
                    noncore_dropped[s] += not k
            del j
    per_label: dict[str, Any] = {}
    for lab in LABELS:
        v = lab.value
        tp = conf[(v, v)]
        pred = sum(c for (_, p), c in conf.items() if p == v)
        gold = sum(c for (g, _), c in conf.items() if g == v)
        per_label[v] = {
            "support": gold,
            "predicted": pred,
            "precision": tp / pred if pred else float("nan"),
            "recall": tp / gold if gold else float("nan"),
        }
    return {
        "per_label": per_label,
        "confusion": {f"{g}->{p}": c for (g, p), c in sorted(conf.items())},
        "paragraphs": sum(len(d.paragraphs) for d in docs),
        "unaligned_paragraphs": unaligned,
        "core_total": core_total,
        "core_kept": {s: (core_kept[s] / core_total if core_total else float("nan")) for s in systems},
        "noncore_total": noncore_total,
        "noncore_dropped": {
            s: (noncore_dropped[s] / noncore_total if noncore_total else float("nan")) for s in systems
        },
    }


def token_metrics(docs: Sequence[TestDoc], systems: Sequence[str]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for s in (*systems, "input"):
        out[s] = aggregate(shingle_prf(d.text if s == "input" else d.results[s], d.gold) for d in docs)
    return out


# ------------------------------------------------------------------------------------------ injection


def _eval_docs(folder: str) -> list[Document]:
    # cache=False: text corpora import in seconds; keeps the benchmark independent of the import cache
    docs = importers.import_corpus(CORPORA_ROOT / folder, cache=False)
    return [d for d in docs if split_of(d.group) == "eval"]


def _training_eval_docs() -> list[Document]:
    folder = REPO / "training_data"
    if not folder.is_dir() or not any(folder.glob("*.jsonl*")):
        return []
    return [d for d in read_documents(folder) if split_of(d.group) == "eval"]


def _first_sentence(text: str) -> str:
    m = re.match(r"(.{20,160}?[.!?])(?:\s|$)", text.strip())
    return (m.group(1) if m else text.strip()[:120]).rstrip(".")


def build_injected(
    limit: int | None, log: Callable[[str], None]
) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """Held-out clean articles with injected promotion lines and filler paragraphs (fixed seed)."""
    rng = random.Random(SEED)
    base: list[tuple[str, Document]] = []
    for folder in ("bbc_fulltext", "dragnet2020_gold"):
        docs = [d for d in _eval_docs(folder) if all(lab is Label.CORE for lab in d.labels)]
        base += [(folder, d) for d in (docs[:limit] if limit else docs)]
    ghost_human = [
        d for d in _eval_docs("ghostbuster_more") if d.labels and all(lab is Label.CORE for lab in d.labels)
    ]
    base += [("ghostbuster_more:human", d) for d in (ghost_human[:limit] if limit else ghost_human)]
    tdocs = _training_eval_docs()
    project = [d for d in tdocs if sum(lab is Label.CORE for lab in d.labels) >= 2]
    for d in project[:limit] if limit else project:
        core = [p for p, lab in zip(d.paragraphs, d.labels, strict=False) if lab is Label.CORE]
        base.append(("training_data", Document(d.id, core, [Label.CORE] * len(core), d.source, d.group)))

    filler: list[tuple[str, str]] = []
    for d in tdocs:
        filler += [
            ("training_data", p)
            for p, lab in zip(d.paragraphs, d.labels, strict=False)
            if lab is Label.FILLER
        ]
    for folder in ("chatgpt_news_iu", "ghostbuster_more", "ghostbuster_gpt_sample"):
        fd = [
            (folder, p)
            for d in _eval_docs(folder)
            for p, lab in zip(d.paragraphs, d.labels, strict=False)
            if lab is Label.FILLER
        ]
        filler += fd[: limit * 2] if limit else fd
    filler = sorted(set(filler))
    rng.shuffle(filler)

    by_source: dict[str, list[str]] = {}
    for fsrc, ftext in filler:
        by_source.setdefault(fsrc, []).append(ftext)
    fsources = sorted(by_source)
    heads = [
        (
            i,
            _first_sentence(d.paragraphs[0])
            if len(d.paragraphs[0].split()) > 25
            else d.paragraphs[0].strip(),
        )
        for i, (_, d) in enumerate(base)
    ]
    heads += [(i, _first_sentence(d.paragraphs[1])) for i, (_, d) in enumerate(base) if len(d.paragraphs) > 1]
    out: list[dict[str, Any]] = []
    for n, (src, d) in enumerate(base):
        paras: list[str] = list(d.paragraphs)
        kinds: list[str] = ["core"] * len(paras)
        if len(paras) >= 3:
            for _ in range(rng.choice((1, 1, 2))):
                h = rng.choice([h for i, h in heads if i != n])
                tmpl = rng.choice(PROMO_TEMPLATES)
                # between two reporting paragraphs, after the title and the first paragraph
                slots = [k for k in range(2, len(paras)) if kinds[k - 1] == "core" and kinds[k] == "core"]
                if not slots:
                    break
                pos = rng.choice(slots)
                paras.insert(pos, tmpl.format(h=h))
                kinds.insert(pos, "promotion:" + tmpl.split(":")[0])
        if filler:
            # round-robin over filler sources: real generated closings weigh as much as project-written ones
            fsrc = fsources[n % len(fsources)]
            pool = by_source[fsrc]
            ftext = pool[(n // len(fsources)) % len(pool)]
            pos = len(paras) if rng.random() < 0.7 or len(paras) < 3 else len(paras) - 1
            paras.insert(pos, ftext)
            kinds.insert(pos, "filler:" + fsrc)
        out.append({"source": src, "id": d.id, "paragraphs": paras, "kinds": kinds})
    info = {"articles": Counter(s for s, _ in base), "filler_pool": Counter(s for s, _ in filler)}
    log(f"  injected set: {len(out)} articles {dict(info['articles'])}, filler {dict(info['filler_pool'])}")
    return out, {k: dict(v) for k, v in info.items()}


def injected_metrics(
    flt: ArticleFilter, items: Sequence[dict[str, Any]], use_justext: bool
) -> dict[str, Any]:
    counts: dict[str, Counter[str]] = {"filter": Counter(), "justext": Counter()}
    per_template: Counter[tuple[str, bool]] = Counter()
    by: dict[str, Counter[str]] = {"filter": Counter(), "justext": Counter()}
    joiner = flt.config.joiner
    texts = [joiner.join(it["paragraphs"]) for it in items]
    for i in range(0, len(items), BATCH):
        batch = items[i : i + BATCH]
        results = flt.classify_many(texts[i : i + BATCH], explain=False)
        for it, paras in zip(batch, results, strict=False):
            # A source paragraph counts as kept when most of its characters lie in paragraphs the filter kept
            # (robust to the segmenter merging or splitting lines).
            spans = [(p.start, p.end) for p in paras if p.label is Label.CORE]
            fkept: list[bool] = []
            pos = 0
            for src in it["paragraphs"]:
                s, e = pos, pos + len(src)
                cover = sum(max(0, min(e, b) - max(s, a)) for a, b in spans)
                fkept.append(cover * 2 > e - s)
                pos = e + len(joiner)
            systems = {"filter": fkept}
            if use_justext:
                systems["justext"] = justext_keep(it["paragraphs"])
            for name, kept in systems.items():
                c = counts[name]
                for p, kind, k in zip(it["paragraphs"], it["kinds"], kept, strict=False):
                    base_kind = kind.split(":")[0]
                    c[base_kind + "_total"] += 1
                    c[base_kind + "_kept"] += k
                    src = kind.split(":", 1)[1] if base_kind == "filler" else it["source"]
                    by[name][f"{base_kind}@{src}_total"] += 1
                    by[name][f"{base_kind}@{src}_kept"] += k
                    if base_kind == "core" and HARD_NEGATIVE_RE.search(p):
                        c["hardneg_total"] += 1
                        c["hardneg_kept"] += k
                    if name == "filter" and base_kind == "promotion":
                        per_template[(kind.split(":", 1)[1], not k)] += 1

    def share(c: Counter[str], key: str, removed: bool) -> float:
        tot = c[key + "_total"]
        return ((tot - c[key + "_kept"]) if removed else c[key + "_kept"]) / tot if tot else float("nan")

    out: dict[str, Any] = {}
    for name, c in counts.items():
        if not c:
            continue
        out[name] = {
            "promotion_removed": share(c, "promotion", True),
            "filler_removed": share(c, "filler", True),
            "core_kept": share(c, "core", False),
            "hard_negatives_kept": share(c, "hardneg", False),
            "counts": dict(c),
            "by_source": {
                k.removesuffix("_total"): {
                    "n": by[name][k],
                    ("removed" if k.startswith("filler") else "kept"): share(
                        by[name], k.removesuffix("_total"), k.startswith("filler")
                    ),
                }
                for k in sorted(by[name])
                if k.endswith("_total") and k.split("@")[0] in ("filler", "core")
            },
        }
    templates = sorted({t for t, _ in per_template})
    out["filter_promotion_removed_by_template"] = {
        t: per_template[(t, True)] / (per_template[(t, True)] + per_template[(t, False)]) for t in templates
    }
    return out


# --------------------------------------------------------------------------------------------- seed, speed


def seed_check(flt: ArticleFilter) -> dict[str, Any]:
    text = SEED_ARTICLE.read_text(encoding="utf-8")
    original = [p.strip() for p in re.split(r"\n\s*\n", text) if p.strip()]
    expected = [original[i - 1] for i in (1, 2, 3, 5, 6, 7)]
    paras = flt.classify(text)
    kept = [p.text for p in paras if p.label is Label.CORE]
    kept_idx = [original.index(p) + 1 if p in original else None for p in kept]
    return {
        "pass": kept == expected and flt.clean(text) == flt.config.joiner.join(expected),
        "kept_paragraphs": kept_idx,
        "labels": [p.label.value if p.label else None for p in paras],
    }


#: Runs a command and prints its peak RSS (KiB) as seen by a small Python parent. The benchmark's own
#: process holds the model and the pages (~500 MB): Linux starts a child's maxrss from the RSS it had at
#: fork, so wait4 on a direct child reported 575 MB for a CLI run that peaks at 78 MB (/usr/bin/time -v).
_RSS_PROBE = (
    "import resource, subprocess, sys, time; t = time.perf_counter(); "
    "rc = subprocess.call(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL); "
    "print(time.perf_counter() - t, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, rc)"
)


def _timed_child(cmd: Sequence[str]) -> tuple[float, int, int]:
    """(wall seconds, peak RSS in bytes, exit status) of one command, measured from a small parent."""
    out = subprocess.run(
        [sys.executable, "-c", _RSS_PROBE, *cmd], capture_output=True, text=True, cwd=REPO, check=True
    ).stdout.split()
    return float(out[0]), int(out[1]) * 1024, int(out[2])


def cli_timing(model: str | None, repeats: int = 5) -> dict[str, Any]:
    exe = shutil.which("article-filter")
    cmd = [exe] if exe else [sys.executable, "-m", "filter"]
    cmd += ["clean", str(SEED_ARTICLE)] + (["--model", model] if model else [])
    runs = [_timed_child(cmd) for _ in range(repeats)]
    peer = [_timed_child([sys.executable, "-c", "pass"]) for _ in range(repeats)]
    return {
        "command": " ".join(cmd if exe else ["python", "-m", "filter", *cmd[3:]]),
        "console_script": bool(exe),
        "median_s": statistics.median(r[0] for r in runs),
        "runs_s": [r[0] for r in runs],
        "exit_codes": sorted({r[2] for r in runs}),
        "peak_rss_mb": max(r[1] for r in runs) / 1e6,
        "python_pass_median_s": statistics.median(r[0] for r in peer),
        "python_pass_peak_rss_mb": max(r[1] for r in peer) / 1e6,
    }


def throughput(flt: ArticleFilter, texts: Sequence[str], justext_seconds: float) -> dict[str, Any]:
    mb = sum(len(t.encode("utf-8")) for t in texts) / 1e6
    flt.clean_many(list(texts[:BATCH]))  # warm-up (lazy imports, caches)
    t0 = time.perf_counter()
    for i in range(0, len(texts), BATCH):
        flt.clean_many(list(texts[i : i + BATCH]))
    secs = time.perf_counter() - t0
    return {
        "documents": len(texts),
        "megabytes": mb,
        "batch": BATCH,
        "filter_s": secs,
        "filter_docs_per_s": len(texts) / secs,
        "filter_mb_per_s": mb / secs,
        "justext_s": justext_seconds,
        "justext_docs_per_s": len(texts) / justext_seconds if justext_seconds else float("nan"),
        "justext_mb_per_s": mb / justext_seconds if justext_seconds else float("nan"),
        "speedup_vs_justext": justext_seconds / secs,
    }


# --------------------------------------------------------------------------------------------- report


def _f(x: Any, nd: int = 3) -> str:
    if isinstance(x, float):
        return "n/a" if x != x else f"{x:.{nd}f}"
    return str(x)


def _ok(value: float, target: float, higher: bool = True) -> str:
    if value != value:
        return "n/a"
    return "yes" if (value >= target if higher else value < target) else "**no**"


def markdown(res: dict[str, Any]) -> str:
    systems: list[str] = res["systems"]
    L: list[str] = []
    L.append(
        f"Model: `{res['model']}`; held-out pages only (`split_of(group) == 'eval'`); converters: "
        f"{', '.join(res['converters'])}; token F1 = word {SHINGLE_SIZE}-shingle multisets, macro over "
        "documents (F1 of mean P and R; mean per-document F1 in the JSON)."
    )
    L.append("")
    head = (
        "| corpus | converter | docs | "
        + " | ".join(f"{s} P | {s} R | {s} F1" if s != "trafilatura" else "trafilatura F1" for s in systems)
        + " | input F1 |"
    )
    L.append(head)
    L.append("|" + "---|" * (head.count("|") - 1))
    for row in res["token_f1"]:
        cells = [row["corpus"], row["converter"], str(row["metrics"]["filter"]["n"])]
        for s in systems:
            m = row["metrics"][s]
            cells += (
                [_f(m["f1"])] if s == "trafilatura" else [_f(m["precision"]), _f(m["recall"]), _f(m["f1"])]
            )
        cells.append(_f(row["metrics"]["input"]["f1"]))
        bold = row["corpus"].startswith("**")
        L.append(
            "| " + " | ".join(c if not bold or i < 2 else f"**{c}**" for i, c in enumerate(cells)) + " |"
        )
    L.append("")
    pm = res["paragraphs_news"]
    L.append(
        f"Paragraph labels vs the importers' labels (news eval documents, {pm['paragraphs']} paragraphs):"
    )
    L.append("")
    L.append("| label | support | predicted | precision | recall |")
    L.append("|---|---:|---:|---:|---:|")
    for lab, v in pm["per_label"].items():
        L.append(f"| {lab} | {v['support']} | {v['predicted']} | {_f(v['precision'])} | {_f(v['recall'])} |")
    L.append("")
    L.append("| share of paragraphs | " + " | ".join(systems) + " | target |")
    L.append("|---|" + "---:|" * (len(systems) + 1))
    for key, name, target in (
        ("paragraphs_news", "core kept (news)", ">= 0.97"),
        ("paragraphs_general", "core kept (cleaneval, general)", ""),
    ):
        L.append(
            f"| {name} | " + " | ".join(_f(res[key]["core_kept"][s]) for s in systems) + f" | {target} |"
        )
    L.append(
        "| non-core dropped (news) | " + " | ".join(_f(pm["noncore_dropped"][s]) for s in systems) + " | |"
    )
    L.append("")
    inj = res["injected"]
    syss = [s for s in ("filter", "justext") if s in inj]
    L.append(
        f"Injected promotion and filler ({inj['set']['n_articles']} held-out clean articles, seed {SEED}):"
    )
    L.append("")
    L.append("| measure | " + " | ".join(syss) + " | target | filter meets |")
    L.append("|---|" + "---:|" * len(syss) + "---|---|")
    for key, name, goal in (
        ("promotion_removed", "injected promotion lines removed", 0.95),
        ("filler_removed", "injected filler paragraphs removed", 0.85),
        ("core_kept", "original core paragraphs kept", 0.97),
        ("hard_negatives_kept", "hard negatives kept (core with filler-like phrases)", 0.97),
    ):
        tot = inj["filter"]["counts"].get(key.split("_")[0].replace("hard", "hardneg") + "_total", 0)
        L.append(
            f"| {name} (n={tot}) | "
            + " | ".join(_f(inj[s][key]) for s in syss)
            + f" | >= {goal} | {_ok(inj['filter'][key], goal)} |"
        )
    L.append("")
    L.append("| filter, by source (injected set) | n | share |")
    L.append("|---|---:|---:|")
    for k, v in inj["filter"]["by_source"].items():
        kind, src = k.split("@", 1)
        what = "filler removed" if kind == "filler" else "core kept"
        L.append(f"| {what}: {src} | {v['n']} | {_f(v.get('removed', v.get('kept', float('nan'))))} |")
    L.append("")
    sp, cli, seed = res["speed"], res["cli"], res["seed"]
    L.append("| check | value | target | meets |")
    L.append("|---|---|---|---|")
    L.append(
        f"| seed article: exactly paragraphs 1,2,3,5,6,7 kept, unchanged | "
        f"{'PASS' if seed['pass'] else 'FAIL'} (kept {seed['kept_paragraphs']}) | PASS | "
        f"{'yes' if seed['pass'] else '**no**'} |"
    )
    L.append(
        f"| throughput, `clean_many` x{sp['batch']} ({sp['documents']} docs, {sp['megabytes']:.1f} MB) | "
        f"{sp['filter_docs_per_s']:.0f} docs/s, {sp['filter_mb_per_s']:.2f} MB/s | | |"
    )
    L.append(
        f"| throughput, jusText (same texts) | {sp['justext_docs_per_s']:.0f} docs/s, "
        f"{sp['justext_mb_per_s']:.2f} MB/s | | |"
    )
    L.append(
        f"| speed-up vs jusText | {sp['speedup_vs_justext']:.1f}x | >= 5x | "
        f"{_ok(sp['speedup_vs_justext'], 5.0)} |"
    )
    L.append(
        f"| `{cli['command'].split(' --model')[0]}` wall time incl. model load (median of 5) | "
        f"{cli['median_s']:.2f} s (`python -c pass`: {cli['python_pass_median_s']:.2f} s) | < 1 s | "
        f"{_ok(cli['median_s'], 1.0, higher=False)} |"
    )
    L.append(
        f"| peak memory of that process (maxrss) | {cli['peak_rss_mb']:.0f} MB | < 500 MB | "
        f"{_ok(cli['peak_rss_mb'], 500.0, higher=False)} |"
    )
    L.append("")
    L += [f"- {n}" for n in res["notes"]]
    return "\n".join(L)


def notes(res: dict[str, Any]) -> list[str]:
    out = []
    empty = [c for c, n in res["test_documents"].items() if n == 0]
    if empty:
        out.append(f"no held-out pages in {', '.join(empty)} (all of its sites fall in the train split).")
    out.append(
        "jusText/trafilatura get the filter's own paragraphs (`filter.segment.segment`), each html-escaped "
        "in a `<p>`; jusText time includes that segmentation and wrapping."
    )
    out.append("input F1 = the unfiltered rendering vs the gold (what any cleaner must improve on).")
    if not res["cli"]["console_script"]:
        out.append(
            "`article-filter` console script not on PATH: timed `python -m filter clean` (same entry point)."
        )
    env = res["environment"]
    blas = {k: env[k] for k in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE") if env.get(k)}
    out.append(
        f"OPENBLAS env left as found: {blas or 'not set'}; load average at start {env['loadavg']} on "
        f"{env['cpu_count']} CPUs (timings are sensitive to other processes)."
    )
    out.append(f"run time {res['seconds']:.0f} s.")
    return out


# ------------------------------------------------------------------------------------------------ main


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    ap.add_argument(
        "--model", metavar="DIR", default=None, help="model directory (default: the shipped model)"
    )
    ap.add_argument("--limit", type=int, default=None, metavar="N", help="held-out pages/articles per corpus")
    ap.add_argument(
        "--converters", default="html_text,inscriptis", help="comma separated (html_text, inscriptis, bs4)"
    )
    ap.add_argument("--out", default=str(DEFAULT_OUT), metavar="JSON")
    ap.add_argument("--no-trafilatura", action="store_true", help="skip trafilatura even if installed")
    args = ap.parse_args(argv)
    t_start = time.perf_counter()
    load0 = os.getloadavg()

    def log(msg: str) -> None:
        print(f"[{time.perf_counter() - t_start:6.1f}s] {msg}", file=sys.stderr, flush=True)

    converters = [c.strip() for c in args.converters.split(",") if c.strip()]
    flt = load_model(args.model)
    model_name = args.model or f"shipped ({flt.source})"
    systems = ["filter", "justext"] + (
        ["trafilatura"] if trafilatura_available() and not args.no_trafilatura else []
    )
    log(f"model {model_name}; systems {systems}; converters {converters}")

    log("rendering held-out pages")
    docs = load_test_docs(NEWS_CORPORA + GENERAL_CORPORA, converters, args.limit, log)
    log(f"{len(docs)} test documents; filter")
    filter_s = run_filter(flt, docs)
    log(f"filter {filter_s:.1f}s; jusText")
    justext_s = run_justext(flt, docs)
    traf_s = float("nan")
    if "trafilatura" in systems:
        log(f"jusText {justext_s:.1f}s; trafilatura")
        traf_s = run_trafilatura(flt, docs)

    rows: list[dict[str, Any]] = []
    for rowdefs, overall in ((NEWS_ROWS, "**news overall**"), (GENERAL_ROWS, None)):
        for name, corpora in rowdefs:
            sel = [d for d in docs if d.corpus in corpora]
            for conv in converters:
                cd = [d for d in sel if d.converter == conv]
                rows.append({"corpus": name, "converter": conv, "metrics": token_metrics(cd, systems)})
            rows.append({"corpus": name, "converter": "all", "metrics": token_metrics(sel, systems)})
        if overall:
            news = [d for d in docs if d.corpus in NEWS_CORPORA]
            for conv in converters:
                rows.append(
                    {
                        "corpus": overall,
                        "converter": conv,
                        "metrics": token_metrics([d for d in news if d.converter == conv], systems),
                    }
                )
            rows.append({"corpus": overall, "converter": "all", "metrics": token_metrics(news, systems)})

    news_docs = [d for d in docs if d.corpus in NEWS_CORPORA]
    general_docs = [d for d in docs if d.corpus in GENERAL_CORPORA]
    log("injection set")
    items, set_info = build_injected(args.limit, log)
    injected = injected_metrics(flt, items, use_justext=True)
    injected["set"] = {"n_articles": len(items), **set_info}

    log("seed, throughput, CLI timing")
    seed = seed_check(flt)
    speed = throughput(flt, [d.text for d in docs], justext_s)
    cli = cli_timing(args.model)
    res: dict[str, Any] = {
        "model": model_name,
        "model_card_sha256": flt.card.get("sha256"),
        "min_core_probability": flt.config.min_core_probability,
        "converters": converters,
        "limit": args.limit,
        "systems": systems,
        "metric": {
            "token_f1": f"word {SHINGLE_SIZE}-shingle multisets of NFKC-lowercased \\w+ tokens; "
            "macro over documents; f1 = F1 of mean P and R, mean_doc_f1 = mean per-doc F1"
        },
        "test_documents": {c: sum(d.corpus == c for d in docs) for c in NEWS_CORPORA + GENERAL_CORPORA},
        "token_f1": rows,
        "paragraphs_news": paragraph_metrics(news_docs, systems),
        "paragraphs_general": paragraph_metrics(general_docs, systems),
        "injected": injected,
        "seed": seed,
        "speed": {**speed, "trafilatura_s": traf_s},
        "cli": cli,
        "environment": {
            "python": sys.version.split()[0],
            "cpu_count": os.cpu_count(),
            "OPENBLAS_CORETYPE": os.environ.get("OPENBLAS_CORETYPE"),
            "OPENBLAS_L2_SIZE": os.environ.get("OPENBLAS_L2_SIZE"),
            "loadavg": [round(x, 2) for x in load0],
        },
        "seconds": time.perf_counter() - t_start,
    }
    res["notes"] = notes(res)
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(res, indent=1, sort_keys=False, default=str) + "\n", encoding="utf-8")
    print(markdown(res))
    log(f"wrote {out} in {res['seconds']:.0f}s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
