"""Write the line library: ``python training_data/lines/generate.py [--out DIR] [--seed N]``.

Writes ``promotion.jsonl``, ``filler.jsonl``, ``boilerplate.jsonl`` and ``core_hard.jsonl`` (one labelled
line per row, schema in ``training_data/README.md`` section "Line library" and ``filter.data.read_lines``).
These lines are meant to be *inserted into real clean articles* at training time, and to be held out by
family at evaluation time.

Deterministic: each family's RNG is seeded with ``"{seed}:{label}:{family}"`` (``random.Random`` seeds a
string through SHA-512, independent of ``PYTHONHASHSEED``), so one family's draws do not depend on the
others'. Lines are deduplicated exactly and near-exactly (:func:`filter.data.line_key`: case, digits,
glyphs and spacing ignored) across the whole library, and every teaser headline is used once, so no wording
is in two families or two labels; a line that collides with an earlier family is dropped, which is the
only way an edit to one family can change the lines of a later one.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import boilerplate  # noqa: E402
import core_hard  # noqa: E402
import filler  # noqa: E402
import promotion  # noqa: E402
from grammar import expand  # noqa: E402
from library import Family, Template, near_key, style_line  # noqa: E402

__all__ = ["SEED", "generate", "main"]

SEED = 20250611
METHOD = "training_data/lines/generate.py"
SHORT = {"promotion": "promo", "filler": "filler", "boilerplate": "bp", "core": "core"}
FILES = {
    "promotion": "promotion.jsonl",
    "filler": "filler.jsonl",
    "boilerplate": "boilerplate.jsonl",
    "core": "core_hard.jsonl",
}

#: Phrases that must never be written: the acceptance-test article's subject and the wording of its
#: injected lines (kept as short fragments, not its sentences), so the seed test measures generalisation.
BANNED = (
    "paramount concern",
    "right to information",
    "facts highlight",
    "ongoing discussions",
    "also check out",
    "hyundai",
    "south korea",
    "visa category",
    "immigration raid",
)

#: Give up on a family after this many consecutive rejected draws (duplicates or out-of-range length): the
#: family's grammar is exhausted and more draws would only repeat it.
MAX_MISSES = 400
#: No template may write more than this multiple of its fair share of a family (target / templates): when
#: a few templates have far more combinations than the others, the family would otherwise be mostly them.
TEMPLATE_SHARE = 3


def _words(text: str) -> int:
    return len(text.split())


def _draw(fam: Family, rng: random.Random, index: int) -> tuple[str, str, str]:
    """(text, position, template id) for one draw; filler families join 1-4 sentences."""
    ti = index % len(fam.templates)
    first = fam.templates[ti]
    text = _render(fam, first, rng)
    tids = [str(ti)]
    n = rng.choices(range(1, len(fam.sentence_weights) + 1), weights=fam.sentence_weights)[0]
    if n > 1 and first.position != "solo":
        pool = [i for i, t in enumerate(fam.templates) if t.position in ("any", "middle") and i != ti]
        for j in rng.sample(pool, min(n - 1, len(pool))):
            text += " " + _render(fam, fam.templates[j], rng)
            tids.append(str(j))
    position = "any" if first.position == "solo" else first.position
    text = style_line(text, fam, rng)
    return text, position, "+".join(tids)


def _render(fam: Family, tmpl: Template, rng: random.Random) -> str:
    """One template expanded, with a capital first letter (links and handles stay as typed)."""
    out = expand(tmpl.text, rng, fam.slots)
    return (
        out[:1].upper() + out[1:] if out[:1].islower() and not out.startswith(("www", "http", "@")) else out
    )


def generate(seed: int = SEED) -> dict[str, list[dict[str, object]]]:
    """Every family's lines, grouped by label, in a fixed order."""
    seen: dict[str, str] = {}
    out: dict[str, list[dict[str, object]]] = {}
    promotion.reset()
    for module in (promotion, filler, boilerplate, core_hard):
        for fam in module.FAMILIES:
            rng = random.Random(f"{seed}:{fam.label}:{fam.name}")
            rows = out.setdefault(fam.label, [])
            misses = count = draw = 0
            per_template: dict[str, int] = {}
            cap = max(8, (TEMPLATE_SHARE * fam.target) // len(fam.templates))
            while count < fam.target and misses < MAX_MISSES:
                text, position, tid = _draw(fam, rng, draw)
                draw += 1
                first_tid = tid.split("+")[0]
                if per_template.get(first_tid, 0) >= cap:
                    misses += 1
                    continue
                key = near_key(text)
                low = text.lower()
                if (
                    not key
                    or key in seen
                    or not fam.min_words <= _words(text) <= fam.max_words
                    or any(b in low for b in BANNED)
                ):
                    misses += 1
                    continue
                misses = 0
                per_template[first_tid] = per_template.get(first_tid, 0) + 1
                seen[key] = fam.name
                count += 1
                rows.append(
                    {
                        "id": f"line-{SHORT[fam.label]}-{fam.name.replace('_', '-')}-{count:04d}",
                        "label": fam.label,
                        "family": fam.name,
                        "text": text,
                        "position": position,
                        "provenance": {
                            "method": METHOD,
                            "seed": seed,
                            "template": f"{fam.label}.{fam.name}.{tid}",
                        },
                    }
                )
    return out


def write(out_dir: Path, seed: int = SEED) -> dict[str, int]:
    out_dir.mkdir(parents=True, exist_ok=True)
    counts = {}
    for label, rows in generate(seed).items():
        with open(out_dir / FILES[label], "w", encoding="utf-8") as fh:
            for row in rows:
                fh.write(json.dumps(row, ensure_ascii=False) + "\n")
        counts[label] = len(rows)
    return counts


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--out", type=Path, default=HERE, help="output folder (default: this folder)")
    p.add_argument("--seed", type=int, default=SEED, help=f"global seed (default {SEED})")
    args = p.parse_args(argv)
    counts = write(args.out, args.seed)
    print("wrote " + ", ".join(f"{k}={v}" for k, v in counts.items()) + f" lines to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
