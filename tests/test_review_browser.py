"""The review page in a real browser (headless Chromium): every paragraph is rendered, no input script runs.

Chromium has no "is this visible" switch, so the test loads a copy of the page with a small probe script
appended (and the page's script-blocking Content-Security-Policy removed so the probe may run). The probe
writes, for each paragraph box, its rendered text (``innerText`` honours CSS, so hidden text would be
missing) and its geometry into the DOM, which ``--dump-dom`` prints. Because the probe runs, JavaScript is
demonstrably on in that copy: the hostile ``<script>`` in the input staying inert there is due to escaping
alone. The unmodified page (CSP included) is checked the same way, and screenshotted.
"""

from __future__ import annotations

import html
import json
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from conftest import SEED_ARTICLE

from filter.api import ArticleFilter
from filter.report import LABEL_COLOURS, write_review
from filter.types import Label

CHROMIUM = next((p for p in (shutil.which("chromium"), shutil.which("chromium-browser")) if p), None)
pytestmark = pytest.mark.skipif(
    CHROMIUM is None,
    reason="headless Chromium not installed (Debian package 'chromium'; .ci/run installs it)",
)

WIDTH, HEIGHT = 1280, 3000

HOSTILE = (
    "Home | News | Sport\n\n"
    "The council voted 7 to 2 on Tuesday to approve the new budget, officials said.\n\n"
    "<script>document.title='PWNED';document.documentElement.setAttribute('data-pwned','script')</script>"
    " Read more & subscribe\n\n"
    "<img src=x onerror=\"document.documentElement.setAttribute('data-pwned','img')\"> Police said a "
    "40-year-old man was arrested after the incident in the city centre on Friday.\n\n"
    "Only time will tell what the future holds, and it remains to be seen how this will unfold.\n"
)

PROBE = """<script>
window.addEventListener('load', function () {
  var rows = [];
  document.querySelectorAll('section.para').forEach(function (box) {
    var t = box.querySelector('.text'), r = t.getBoundingClientRect(), cs = getComputedStyle(t);
    rows.push({text: t.innerText, label: box.getAttribute('data-label'),
               why: box.querySelector('.why').innerText,
               w: r.width, h: r.height, left: r.left, right: r.right, top: r.top + window.scrollY,
               visibility: cs.visibility, display: cs.display, opacity: cs.opacity, colour: cs.color,
               background: getComputedStyle(box).backgroundColor});
  });
  var pre = document.createElement('pre');
  pre.id = 'probe';
  pre.textContent = JSON.stringify({rows: rows, title: document.title,
                                    scrollWidth: document.documentElement.scrollWidth,
                                    innerWidth: window.innerWidth});
  document.body.appendChild(pre);
});
</script>"""


def _chromium(tmp: Path, url: str, *extra: str) -> str:
    assert CHROMIUM is not None
    from filter.report import HEADLESS_CHROMIUM_FLAGS

    cmd = [
        CHROMIUM,
        *HEADLESS_CHROMIUM_FLAGS,
        f"--user-data-dir={tmp / 'chromium-profile'}",
        f"--window-size={WIDTH},{HEIGHT}",
        *extra,
        url,
    ]
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, f"chromium failed ({done.returncode}): {done.stderr[-2000:]}"
    return done.stdout


def _page(tiny_filter: ArticleFilter, tmp: Path) -> tuple[Path, list[str]]:
    texts = {"hostile.txt": HOSTILE}
    if SEED_ARTICLE.exists():
        texts[SEED_ARTICLE.name] = SEED_ARTICLE.read_text(encoding="utf-8")
    items = [(name, tiny_filter.classify(t)) for name, t in texts.items()]
    out = write_review(
        items, tmp / "review.html", tiny_filter.clean_many(list(texts.values())), note="tiny test model"
    )
    paragraphs = [p.strip() for t in texts.values() for p in t.split("\n\n") if p.strip()]
    return out, paragraphs


def _norm(text: str) -> str:
    return " ".join(text.split())


def test_every_paragraph_rendered_and_no_script_runs(tiny_filter: ArticleFilter, tmp_path: Path) -> None:
    page, paragraphs = _page(tiny_filter, tmp_path)
    source = page.read_text(encoding="utf-8")
    probed = tmp_path / "probed.html"
    probed.write_text(
        re.sub(r"<meta http-equiv='Content-Security-Policy'[^>]*>", "", source).replace(
            "</body>", PROBE + "</body>"
        ),
        encoding="utf-8",
    )
    dom = _chromium(tmp_path, probed.as_uri(), "--dump-dom")
    found = re.search(r"<pre id=\"probe\">(.*?)</pre>", dom, re.S)
    assert found, "the probe script did not run, so this check proves nothing: " + dom[-500:]
    probe: dict[str, Any] = json.loads(html.unescape(found.group(1)))

    # The input's script and onerror handler are shown as text, and did not run although JS is on.
    assert probe["title"] != "PWNED" and 'data-pwned="' not in dom and "<img" not in dom.lower()
    assert "&lt;script&gt;document.title='PWNED'" in dom

    rows = probe["rows"]
    assert [_norm(r["text"]) for r in rows] == [_norm(p) for p in paragraphs]
    tints = {lab.value: LABEL_COLOURS[lab][0] for lab in Label}
    for r in rows:
        assert r["w"] > 100 and r["h"] > 10, r
        assert 0 <= r["left"] and r["right"] <= WIDTH, r
        assert (r["visibility"], r["display"], r["opacity"]) == ("visible", "block", "1"), r
        assert r["colour"] != r["background"], r
        assert r["background"] == _rgb(tints[r["label"]]), r  # tinted by its label
        assert "core" in r["why"] and "boilerplate" in r["why"]  # probabilities readable without hover
    tops = [r["top"] for r in rows]
    assert tops == sorted(tops)  # in input order, top to bottom
    assert probe["scrollWidth"] <= probe["innerWidth"]  # nothing pushed off the side

    # The page exactly as written (with its CSP) also runs nothing.
    dom = _chromium(tmp_path, page.as_uri(), "--dump-dom")
    assert "PWNED</title>" not in dom and 'data-pwned="' not in dom
    assert dom.count('<section class="para ') == len(paragraphs)


def _rgb(hex_colour: str) -> str:
    r, g, b = (int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))
    return f"rgb({r}, {g}, {b})"


def test_screenshot_shows_tinted_paragraphs(tiny_filter: ArticleFilter, tmp_path: Path) -> None:
    image = pytest.importorskip("PIL.Image")
    page, _ = _page(tiny_filter, tmp_path)
    shot = tmp_path / "review.png"
    _chromium(tmp_path, page.as_uri(), f"--screenshot={shot}")
    with image.open(shot) as img:
        assert img.size == (WIDTH, HEIGHT)
        colours = {c for _, c in img.convert("RGB").getcolors(maxcolors=1 << 20) or []}
    assert len(colours) > 50  # text was drawn, not a blank page
    drawn = {
        lab
        for lab, (tint, _) in LABEL_COLOURS.items()
        if tuple(int(tint[i : i + 2], 16) for i in (1, 3, 5)) in colours
    }
    assert Label.BOILERPLATE in drawn and len(drawn) >= 2, drawn
