"""Measure the document-verdict constants (filter/verdict.py, filter/language.py) with the shipped model.

    PYTHONPATH=$PWD python bench/measure_verdicts.py [--corpora ../shared/corpora] [--limit 150]

Prints, as JSON:
- ``short_inputs``: P(core) and P(core) + P(filler) of the hand-written one/two-paragraph reports and one-line
  promotion inputs of ``tests/cases/short_inputs.json`` (how ``FilterConfig.short_input_floor`` was chosen);
- ``language``: the stage-1 English function-word share on real English documents (how ``EN_SHARE`` was
  chosen), how many reach py3langid, agreement with py3langid, and the cost per document of each stage;
- ``article_score``: AUC and the best separating threshold on (1) L3S-GN1 held-out news pages versus the same
  pages with their human-labelled headline and full text removed (chrome, related links and comments only: a
  "menu-only page" with a real site's chrome), (2) CleanEval held-out pages with a long gold text (>= 300 words,
  articles and essays) versus a short one (< 100 words: listings, forms, link pages), (3) clean articles
  (Dragnet 2020 gold, BBC) versus CleanEval pages (the whole page with its chrome).

Only the held-out split (``filter.data.split_of`` of the page's site group) of L3S-GN1, CleanEval and Dragnet
2020 is used, as the model was trained on the rest; the BBC articles are mostly training data (noted). No corpus
text is written anywhere: only counts and scores are printed.
"""

from __future__ import annotations

import argparse
import gzip
import json
import statistics
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from filter import LABELS, Label, load_model  # noqa: E402
from filter.language import EN_MIN_WORDS, EN_SHARE, _identifier, english_share, language_sample  # noqa: E402
from filter.training.converters import render  # noqa: E402
from filter.training.data import split_of  # noqa: E402
from filter.training.labelling import site_group  # noqa: E402

__all__ = ["main", "auc", "best_threshold"]


def _jsonl(path: Path) -> Iterator[dict[str, Any]]:
    with gzip.open(path, "rt", encoding="utf-8") as f:
        for line in f:
            yield json.loads(line)


def auc(pos: list[float], neg: list[float]) -> float:
    """Probability that a random positive scores above a random negative (ties count half)."""
    if not pos or not neg:
        return float("nan")
    wins = 0.0
    for p in pos:
        for n in neg:
            wins += 1.0 if p > n else 0.5 if p == n else 0.0
    return round(wins / (len(pos) * len(neg)), 4)


def best_threshold(pos: list[float], neg: list[float]) -> dict[str, float]:
    """The threshold with the best balanced accuracy (mean of the two recalls), and those recalls."""
    best = {"threshold": 0.0, "balanced_accuracy": 0.0, "positives_above": 0.0, "negatives_below": 0.0}
    for t in sorted(set(pos + neg)):
        tp = sum(p >= t for p in pos) / len(pos)
        tn = sum(n < t for n in neg) / len(neg)
        if (tp + tn) / 2 > best["balanced_accuracy"]:
            best = {
                "threshold": t,
                "balanced_accuracy": round((tp + tn) / 2, 4),
                "positives_above": round(tp, 4),
                "negatives_below": round(tn, 4),
            }
    return best


def _summary(pos: list[float], neg: list[float]) -> dict[str, Any]:
    return {
        "n_pos": len(pos),
        "n_neg": len(neg),
        "auc": auc(pos, neg),
        "median_pos": round(statistics.median(pos), 4) if pos else None,
        "median_neg": round(statistics.median(neg), 4) if neg else None,
        "best": best_threshold(pos, neg) if pos and neg else None,
        "at_0.5": {
            "positives_above": round(sum(p >= 0.5 for p in pos) / max(1, len(pos)), 4),
            "negatives_below": round(sum(n < 0.5 for n in neg) / max(1, len(neg)), 4),
        },
    }


def measure_short_inputs(flt: Any) -> dict[str, Any]:
    cases = json.loads((REPO / "tests" / "cases" / "short_inputs.json").read_text(encoding="utf-8"))
    out: dict[str, Any] = {"min_core_probability": flt.config.min_core_probability}
    for kind in ("one_paragraph_reports", "two_paragraph_reports", "promotion_lines"):
        rows = []
        for text in cases[kind]:
            for p in flt.classify(text):
                pc = p.probabilities[Label.CORE]
                rows.append((p.label is Label.CORE, pc, pc + p.probabilities[Label.FILLER]))
        dropped = [r for r in rows if not r[0]]
        out[kind] = {
            "paragraphs": len(rows),
            "dropped_by_model": len(dropped),
            "p_core_range_of_dropped": [
                round(min(r[1] for r in dropped), 4),
                round(max(r[1] for r in dropped), 4),
            ]
            if dropped
            else None,
            "p_core_plus_filler_range_of_dropped": [
                round(min(r[2] for r in dropped), 4),
                round(max(r[2] for r in dropped), 4),
            ]
            if dropped
            else None,
        }
    return out


def measure_language(flt: Any, english_docs: list[list[str]], sample_chars: int) -> dict[str, Any]:
    ident = _identifier()
    shares, reached, agree, n_words = [], 0, 0, []
    t_stage1 = t_langid = 0.0
    for paras in english_docs:
        t0 = time.perf_counter()
        sample = language_sample(paras, sample_chars)
        share, words = english_share(sample)
        t1 = time.perf_counter()
        code, _ = ident.classify(sample)
        t2 = time.perf_counter()
        t_stage1 += t1 - t0
        t_langid += t2 - t1
        shares.append(share)
        n_words.append(words)
        agree += code == "en"
        reached += not (words >= EN_MIN_WORDS and share >= EN_SHARE)
    shares.sort()
    return {
        "documents": len(english_docs),
        "en_share_percentiles": {
            q: round(shares[min(len(shares) - 1, int(len(shares) * q / 100))], 4) for q in (0, 1, 5, 50)
        },
        "reach_py3langid": reached,
        "py3langid_says_en": agree,
        "ms_per_doc_stage1": round(t_stage1 / len(english_docs) * 1000, 4),
        "ms_per_doc_py3langid": round(t_langid / len(english_docs) * 1000, 4),
    }


def _score(flt: Any, texts: list[str]) -> list[float]:
    return [d.article_score for d in flt.analyse_many(texts, explain=False)]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpora", default=str(REPO.parent / "shared" / "corpora"))
    ap.add_argument(
        "--limit", type=int, default=150, help="pages per set (keeps the run under a few minutes)"
    )
    args = ap.parse_args(argv)
    root = Path(args.corpora)
    flt = load_model()
    result: dict[str, Any] = {"short_inputs": measure_short_inputs(flt)}
    if not root.is_dir():
        print(json.dumps(result, indent=2))
        return 0
    lim = args.limit

    # (1) L3S-GN1 held-out: full page vs the page without its headline and full text.
    pages: dict[str, list[tuple[int, str, str, str]]] = {}
    for r in _jsonl(root / "l3s_gn1" / "blocks.jsonl.gz"):
        pages.setdefault(r["doc_id"], []).append(
            (int(r["block_idx"]), r["text"], r["label"], r.get("url", ""))
        )
    full: list[str] = []
    menu: list[str] = []
    for blocks in pages.values():
        blocks.sort()
        group = site_group(blocks[0][3]) or blocks[0][3]
        if split_of(group) != "eval" or len(full) >= lim:
            continue
        full.append("\n\n".join(b[1] for b in blocks if b[1].strip()))
        menu.append(
            "\n\n".join(b[1] for b in blocks if b[1].strip() and b[2] not in ("fulltext", "headline"))
        )
    result["article_score"] = {"l3s_full_vs_menu_only": _summary(_score(flt, full), _score(flt, menu))}

    # (2)+(3) CleanEval final held-out pages, rendered like training renders them (html_text).
    long_gold: list[str] = []
    short_gold: list[str] = []
    all_pages: list[str] = []
    for r in _jsonl(root / "cleaneval" / "final" / "pages.jsonl.gz"):
        group = site_group(r.get("url")) or f"cleaneval_final:{r['id']}"
        gold_words = len((r.get("gold_text") or "").split())
        held_out = split_of(group) == "eval"
        if not held_out and not (gold_words < 100 and len(short_gold) < lim):
            continue
        text = render(r["html"], "html_text")
        if held_out:
            all_pages.append(text)
        # Held-out CleanEval has only 2 pages with a gold under 100 words, so the short side takes every split
        # (the model was trained on the others: an optimistic number, reported as such).
        if gold_words >= 300 and held_out:
            long_gold.append(text)
        elif gold_words < 100:
            short_gold.append(text)
    result["article_score"]["cleaneval_long_gold_vs_short_gold"] = {
        "note": "long: held-out pages with >= 300 gold words; short: < 100 gold words, any split",
        **_summary(_score(flt, long_gold), _score(flt, short_gold)),
    }
    articles: list[list[str]] = []
    for r in _jsonl(root / "dragnet2020_gold" / "gold_texts.jsonl.gz"):
        if split_of(site_group(r.get("url")) or f"dragnet2020:{r['id']}") == "eval":
            articles.append([p for p in r["text"].split("\n\n") if p.strip()])
    n_dragnet = len(articles)
    for i, r in enumerate(_jsonl(root / "bbc_fulltext" / "bbc_articles.jsonl.gz")):
        if i >= lim:
            break
        articles.append(list(r["paragraphs"]))
    result["article_score"]["clean_articles_vs_cleaneval_pages"] = {
        "articles": f"{n_dragnet} Dragnet 2020 held-out + {len(articles) - n_dragnet} BBC (BBC mostly trained on)",
        **_summary(_score(flt, ["\n\n".join(a) for a in articles]), _score(flt, all_pages)),
    }

    # Language: stage 1 on real English documents (BBC paragraphs as documents, articles, full pages).
    bbc_paras: list[list[str]] = []
    for r in _jsonl(root / "bbc_fulltext" / "bbc_articles.jsonl.gz"):
        bbc_paras.extend([p] for p in r["paragraphs"])
        if len(bbc_paras) >= 1000:
            break
    sample_chars = flt.config.language_sample_chars
    page_paras = [[p for p in t.split("\n") if p.strip()] for t in full + all_pages]
    foreign = json.loads((REPO / "tests" / "cases" / "foreign_articles.json").read_text(encoding="utf-8"))
    result["language"] = {
        "foreign_cases_en_share": {
            lang: round(english_share(language_sample(paras, sample_chars))[0], 4)
            for lang, paras in foreign["articles"].items()
        },
        "bbc_1000_paragraphs": measure_language(flt, bbc_paras[:1000], sample_chars),
        "articles": measure_language(flt, articles, sample_chars),
        "full_pages_l3s_cleaneval": measure_language(flt, page_paras, sample_chars),
    }

    # Cost of analyse/clean on BBC articles versus the model alone (the pre-verdict clean).
    docs = ["\n\n".join(a) for a in articles[n_dragnet:]]
    flt.clean_many(docs[:10])
    t0 = time.perf_counter()
    flt._predict(docs)
    t1 = time.perf_counter()
    flt.clean_many(docs)
    t2 = time.perf_counter()
    result["speed_ms_per_doc"] = {
        "model_only_predict": round((t1 - t0) / len(docs) * 1000, 3),
        "clean_many_with_verdicts": round((t2 - t1) / len(docs) * 1000, 3),
        "documents": len(docs),
        "labels": [lab.value for lab in LABELS],
    }
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
