"""Write the project's own labelled training corpus: ``python training_data/generator/generate.py``.

Deterministic: a fixed seed, and every document's RNG is seeded from ``SEED:site:index`` so that changing one
style builder does not reshuffle every other document. Output is one JSONL file per page style in
``training_data/`` (schema: ``filter/data.py``), and the data card in ``training_data/README.md`` is
regenerated from the written files by the project's own checker (``filter.datacheck``).

All text is produced from the templates and vocabulary in this folder; nothing is copied from any corpus.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from collections import Counter
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
sys.path.insert(0, str(HERE))

from core import Story  # noqa: E402
from noise import Site, make_site  # noqa: E402
from styles import BUILDERS, STYLES  # noqa: E402
from topics import TOPICS  # noqa: E402
from vocab import site_names  # noqa: E402

SEED = 20240917
VERSION = "1.0"
GENERATOR = "training_data/generator/generate.py"

#: How many fictional sites have each page style as their main style (70% of their pages, see make_site).
#: Content-farm and scraped pages dominate because that is what the product is fed.
PRIMARY_STYLES = {
    "content_farm": 28,
    "scraped_page": 20,
    "wire": 7,
    "live_blog": 5,
    "brief": 5,
    "press_release": 4,
    "opinion": 5,
    "clean": 3,
    "chrome_heavy": 3,
}
DOCS_PER_SITE = (20, 34)

FORBIDDEN = ("visa", "immigration", "hyundai", "south korea", "seoul", "diplomat")


def build_sites(rng: random.Random) -> list[Site]:
    n = sum(PRIMARY_STYLES.values())
    slugs = site_names(rng, n)
    primaries = [s for s, k in PRIMARY_STYLES.items() for _ in range(k)]
    rng.shuffle(primaries)
    return [make_site(rng, slug, style, STYLES) for slug, style in zip(slugs, primaries, strict=True)]


def build_document(site: Site, index: int) -> dict[str, Any]:
    doc_seed = f"{SEED}:{site.slug}:{index}"
    rng = random.Random(doc_seed)
    styles = list(site.style_weights)
    style = rng.choices(styles, weights=[site.style_weights[s] for s in styles])[0]
    topic = rng.choice(sorted(TOPICS))
    year = rng.randint(2019, 2025)
    outlet = (
        site.name
        if rng.random() < 0.5
        else rng.choice(
            ["the Evening Courier", "Radio Westmark", "the Norland Post", "local radio", "the Ledger"]
        )
    )
    story = Story(rng, topic, outlet, year)
    rows = BUILDERS[style](story, site, year)
    seen: set[str] = set()
    paragraphs: list[dict[str, str]] = []
    templates: list[str] = []
    for text, label, tid in rows:
        text = " ".join(text.split()) if "\n" in text else text.strip()
        if not text or text in seen:
            continue  # no block twice on one page: keeps the checker's warning list empty
        seen.add(text)
        paragraphs.append({"text": text, "label": label})
        templates.append(tid)
    return {
        "id": f"gen-{site.slug}-{index:03d}",
        "source": "project:generator",
        "provenance": {
            "method": "generator",
            "generator": GENERATOR,
            "version": VERSION,
            "seed": SEED,
            "doc_seed": doc_seed,
            "templates": templates,
        },
        "language": "en",
        "group": f"site:{site.slug}",
        "style": style,
        "topic": topic,
        "paragraphs": paragraphs,
    }


def generate(out_dir: Path) -> dict[str, list[dict[str, Any]]]:
    rng = random.Random(SEED)
    sites = build_sites(rng)
    by_style: dict[str, list[dict[str, Any]]] = {s: [] for s in STYLES}
    for site in sites:
        for i in range(rng.randint(*DOCS_PER_SITE)):
            doc = build_document(site, i)
            lowered = " ".join(p["text"] for p in doc["paragraphs"]).lower()
            bad = [w for w in FORBIDDEN if w in lowered]
            if bad:  # keep well away from the acceptance-test story
                raise SystemExit(f"generator produced forbidden words {bad} in {doc['id']}")
            by_style[doc["style"]].append(doc)
    out_dir.mkdir(parents=True, exist_ok=True)
    for style, docs in by_style.items():
        with open(out_dir / f"{style}.jsonl", "w", encoding="utf-8") as fh:
            for doc in docs:
                fh.write(json.dumps(doc, ensure_ascii=False, separators=(",", ":")) + "\n")
    return by_style


def update_readme(out_dir: Path) -> None:
    """Splice the data card tables (computed by the checker from the written files) into README.md."""
    sys.path.insert(0, str(ROOT))
    from filter.training.datacheck import check_paths
    from filter.training.datareport import counts_markdown

    readme = out_dir / "README.md"
    if not readme.exists():
        return
    report = check_paths([out_dir])
    start, end = "<!-- datacard:start -->", "<!-- datacard:end -->"
    text = readme.read_text(encoding="utf-8")
    if start not in text or end not in text:
        return
    head, rest = text.split(start, 1)
    _, tail = rest.split(end, 1)
    card = counts_markdown(report)
    readme.write_text(f"{head}{start}\n{card}\n{end}{tail}", encoding="utf-8")
    if not report.ok:
        print(f"warning: checker found {len(report.errors)} errors", file=sys.stderr)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("--out", type=Path, default=ROOT / "training_data", help="output folder")
    ap.add_argument("--no-readme", action="store_true", help="do not refresh the data card in README.md")
    args = ap.parse_args(argv)
    by_style = generate(args.out)
    labels: Counter[str] = Counter()
    for docs in by_style.values():
        for doc in docs:
            labels.update(p["label"] for p in doc["paragraphs"])
    n_docs = sum(len(d) for d in by_style.values())
    print(
        f"wrote {n_docs} documents to {args.out}: " + ", ".join(f"{k}={v}" for k, v in sorted(labels.items()))
    )
    if not args.no_readme:
        update_readme(args.out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
