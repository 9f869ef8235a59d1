"""Regenerate the pictures in docs/: the seed article's review page as a PNG, and the shipped model's report.

    python bench/make_screenshots.py [--model DIR] [--registry DIR] [--seed FILE] [--docs DIR]

Writes ``docs/review_seed.png`` (headless Chromium screenshot of ``classify --format html`` on the seed
article, full page height) and ``docs/model_report.html`` with its ``docs/model_report_*.png`` plots.
Uses the shipped model in ``models/`` when it has been trained; otherwise it trains the tiny test model
(from ``tests/conftest.py``) and says so, so the pictures can be made before the real model exists and
rerun once it does. Needs the Debian package ``chromium`` and matplotlib (the ``report`` extra).
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from filter.api import ArticleFilter, load_model  # noqa: E402
from filter.report import model_note, write_model_report, write_review  # noqa: E402
from filter.store import WEIGHTS_FILE, default_model_dir  # noqa: E402

WIDTH = 1200
_HEIGHT_PROBE = (
    "<script>window.addEventListener('load',function(){var p=document.createElement('pre');"
    "p.id='height';p.textContent=document.documentElement.scrollHeight;"
    "document.body.appendChild(p);});</script>"
)


def _chromium(binary: str, profile: Path, url: str, *extra: str) -> str:
    from filter.report import HEADLESS_CHROMIUM_FLAGS

    cmd = [binary, *HEADLESS_CHROMIUM_FLAGS, f"--user-data-dir={profile}", *extra, url]
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=180, check=False)
    if done.returncode != 0:
        raise SystemExit(f"chromium failed ({done.returncode}): {done.stderr[-1500:]}")
    return done.stdout


def screenshot_full_page(page: Path, png: Path, work: Path, binary: str) -> tuple[int, int]:
    """Screenshot the whole page: measure its height first (Chromium only shoots the window).

    The height is measured on a copy with a one-line probe script (and without the page's no-script
    policy); the screenshot itself is of the page exactly as written.
    """
    probe = work / "height_probe.html"
    source = page.read_text(encoding="utf-8")
    probe.write_text(
        re.sub(r"<meta http-equiv='Content-Security-Policy'[^>]*>", "", source).replace(
            "</body>", _HEIGHT_PROBE + "</body>"
        ),
        encoding="utf-8",
    )
    dom = _chromium(binary, work / "profile", probe.as_uri(), f"--window-size={WIDTH},800", "--dump-dom")
    found = re.search(r"<pre id=\"height\">(\d+)</pre>", dom)
    height = min(int(found.group(1)) if found else 3000, 16000)
    png.parent.mkdir(parents=True, exist_ok=True)
    _chromium(
        binary, work / "profile", page.as_uri(), f"--window-size={WIDTH},{height}", f"--screenshot={png}"
    )
    return WIDTH, height


def _tiny_model(work: Path) -> Path:
    sys.path.insert(0, str(REPO / "tests"))
    from conftest import make_tiny_documents

    from filter.store import save_model_dir
    from filter.training.train import train_model

    model, card, _ = train_model([], docs=make_tiny_documents())
    d = work / "tiny_model"
    save_model_dir(model, d, card)
    return d


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--model", type=Path, default=None, help="model directory (default: the shipped model)")
    ap.add_argument("--registry", type=Path, default=None, help="registry for the report's history plot")
    ap.add_argument("--seed", type=Path, default=REPO.parent / "shared" / "seed" / "seed_article.txt")
    ap.add_argument("--docs", type=Path, default=REPO / "docs")
    args = ap.parse_args(argv)
    binary = shutil.which("chromium") or shutil.which("chromium-browser")
    if binary is None:
        raise SystemExit("headless Chromium not found: apt-get install -y chromium")
    if not args.seed.exists():
        raise SystemExit(f"seed article not found: {args.seed}")
    with tempfile.TemporaryDirectory(prefix="screenshots-") as tmp:
        work = Path(tmp)
        model_dir = args.model
        which = str(model_dir) if model_dir else "shipped model"
        if model_dir is None and not (default_model_dir() / WEIGHTS_FILE).exists():
            model_dir = _tiny_model(work)
            which = "TINY TEST MODEL (the shipped model is not trained yet: rerun once models/ has one)"
        flt: ArticleFilter = load_model(model_dir)
        text = args.seed.read_text(encoding="utf-8")
        paragraphs = flt.classify(text)
        note = (
            model_note(flt)
            if model_dir is None or args.model is not None
            else "TINY TEST MODEL (placeholder until the shipped model is trained); " + model_note(flt)
        )
        page = write_review(
            [(args.seed.name, paragraphs)],
            work / "review_seed.html",
            [flt.clean(text)],
            title="article-filter review: seed article",
            note=note,
        )
        size = screenshot_full_page(page, args.docs / "review_seed.png", work, binary)
        source: Path | dict[str, Any] = model_dir or default_model_dir()
        if model_dir is not None and args.model is None:  # the placeholder must say what it is
            source = dict(flt.card, name="TINY TEST MODEL (placeholder until the shipped model is trained)")
        written = write_model_report(source, args.docs / "model_report.html", registry=args.registry)
    labels = [p.label.value if p.label else "?" for p in paragraphs]
    print(
        json.dumps(
            {
                "model": which,
                "labels": labels,
                "screenshot": str(args.docs / "review_seed.png"),
                "screenshot_size": size,
                "report": {k: str(v) for k, v in written.items()},
            },
            indent=2,
        )
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
