"""Review page and model report: rendered with the tiny model, checked as text (the browser test looks)."""

from __future__ import annotations

import html
import json
import re
import shutil
import sys
from pathlib import Path

import numpy as np
import pytest
from conftest import SEED_ARTICLE

from filter.api import ArticleFilter
from filter.cli import main
from filter.report import (
    ReportDependencyError,
    registry_history,
    render_model_report,
    render_review,
    resolve_card,
    write_model_report,
    write_review,
)
from filter.store import CARD_FILE, MODEL_FILES, file_sha256
from filter.training.evaluation import calibration_bins
from filter.training.registry import Registry
from filter.types import LABELS, Label, Paragraph

HOSTILE = (
    "Home | News | Sport\n\n"
    "The council voted 7 to 2 on Tuesday to approve the new budget, officials said.\n\n"
    "<script>document.title='PWNED'</script> Read more & \"subscribe\" <b>now</b>\n\n"
    "<img src=x onerror=\"document.body.dataset.pwned='1'\"> Police said a 40-year-old man was arrested.\n\n"
    "Only time will tell what the future holds, and it remains to be seen how this will unfold.\n"
)


def _visible_text(page: str) -> str:
    """Text of the page as a reader sees it: tags dropped, entities decoded, whitespace collapsed."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())


def test_review_shows_every_paragraph_escaped_with_reasons(tiny_filter: ArticleFilter) -> None:
    paragraphs = tiny_filter.classify(HOSTILE)
    page = render_review([("hostile.txt", paragraphs)], [tiny_filter.clean(HOSTILE)], note="tiny model")
    assert "<script" not in page.lower() and "<img" not in page.lower() and 'onerror="' not in page
    assert "&lt;script&gt;document.title=&#x27;PWNED&#x27;&lt;/script&gt;" in page
    text = _visible_text(page)
    for p in paragraphs:
        assert " ".join(p.text.split()) in text
        assert p.label is not None
        assert f"class='para lab-{p.label.value}'" in page
    assert page.count("class='para ") == len(paragraphs)
    # legend, counts, probabilities and cues beside each paragraph, cleaned text below
    for lab in LABELS:
        assert f"<li class='lab-{lab.value}'>" in page
    counts = {lab: sum(p.label is lab for p in paragraphs) for lab in LABELS}
    row = "".join(f"<td>{counts[lab]}</td>" for lab in LABELS)
    assert f"<td>hostile.txt</td>{row}<td>{len(paragraphs)}</td>" in page
    assert page.count("aria-label='probabilities'") == len(paragraphs)
    if any(p.cues for p in paragraphs):
        assert "<ul class='cues'>" in page
    assert "Cleaned text" in page and "tiny model" in page
    cleaned = tiny_filter.clean(HOSTILE)
    assert html.escape(cleaned, quote=True) in page
    assert "Content-Security-Policy" in page and "http://" not in page and "https://" not in page


def test_review_rebuilds_cleaned_text_and_handles_unlabelled_and_empty() -> None:
    probs = {lab: (0.9 if lab is Label.CORE else 0.1 / 3) for lab in LABELS}
    core = Paragraph("Kept <em>fact</em>.", 0, 18, 0).with_prediction(Label.CORE, probs, ("quotation",))
    raw = Paragraph("never classified", 20, 36, 1)
    page = render_review([("a", [core, raw]), ("empty", [])])
    assert "<pre class='cleaned'>Kept &lt;em&gt;fact&lt;/em&gt;.</pre>" in page
    assert "lab-unlabelled" in page and "no paragraphs" in page
    assert "<nav class='toc'" in page and "href='#doc-1'" in page and "href='#doc-2'" in page
    with pytest.raises(ValueError):
        render_review([("a", [core])], cleaned=[])


def test_several_files_give_one_page_with_contents(tiny_filter: ArticleFilter, tmp_path: Path) -> None:
    texts = {
        "one.txt": HOSTILE,
        "two <b>.txt": "Sign up for our daily newsletter\n\nPolice said it was fine.",
    }
    items = [(name, tiny_filter.classify(t)) for name, t in texts.items()]
    out = write_review(items, tmp_path / "sub" / "review.html", tiny_filter.clean_many(list(texts.values())))
    page = out.read_text(encoding="utf-8")
    assert page.count("<article id='doc-") == 2
    assert "<a href='#doc-2'>two &lt;b&gt;.txt</a>" in page
    assert "<td>all documents</td>" in page
    assert not list(out.parent.glob(".*.tmp"))


def test_cli_classify_html_single_file(
    tiny_model_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src = tmp_path / "article.txt"
    src.write_text(HOSTILE, encoding="utf-8")
    out = tmp_path / "review.html"
    model = ["--model", str(tiny_model_dir)]
    assert main(["classify", str(src), "--format", "html", "--output", str(out), *model]) == 0
    page = out.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and "<script" not in page.lower()
    assert str(tiny_model_dir) in page and "kept when P(core) &gt;=" in page
    assert main(["classify", str(src), "--format", "html", *model]) == 0
    assert capsys.readouterr().out.startswith("<!DOCTYPE html>")


# ------------------------------------------------------------------------------------------ model report
def test_calibration_bins() -> None:
    core = LABELS.index(Label.CORE)
    p_core = np.array([0.05, 0.05, 0.95, 0.95, 0.95, 0.55, 1.0])
    proba = np.zeros((len(p_core), len(LABELS)))
    proba[:, core] = p_core
    proba[:, 1] = 1 - p_core
    y = np.array([1, 1, core, core, 1, core, core])
    bins = calibration_bins(proba, y)
    assert [b["count"] for b in bins] == [2, 1, 4]
    assert bins[0] == {"lower": 0.0, "upper": 0.1, "mean_predicted": 0.05, "fraction_core": 0.0, "count": 2}
    assert bins[-1]["lower"] == 0.9 and bins[-1]["fraction_core"] == 0.75
    assert calibration_bins(np.zeros((0, len(LABELS))), np.zeros(0, dtype=int)) == []


def test_trained_card_records_calibration(tiny_model_dir: Path) -> None:
    card = json.loads((tiny_model_dir / "card.json").read_text(encoding="utf-8"))
    bins = card["metrics"]["calibration"]
    assert bins and sum(b["count"] for b in bins) == card["metrics"]["n_paragraphs"]


def _fake_registry(root: Path, model_dir: Path) -> Path:
    """Three good versions (v0002 current), a version with a broken card, and an unfinished temp folder."""
    card = json.loads((model_dir / "card.json").read_text(encoding="utf-8"))
    for i, (version, f1) in enumerate([("v0001", 0.71), ("v0002", 0.83), ("v0003", 0.80)]):
        d = root / "versions" / version
        d.mkdir(parents=True)
        c = dict(card, created=f"2025-01-0{i + 1}T00:00:00+00:00")
        c["metrics"] = dict(card["metrics"], macro_f1=f1)
        (d / "card.json").write_text(json.dumps(c), encoding="utf-8")
        for name in MODEL_FILES:
            shutil.copy(model_dir / name, d / name)
        # what a promotion records: the card hash in the log (and, for the current one, in the pointer)
        Registry(root).append_log(
            {"event": "retrain", "version": version, "card_sha256": file_sha256(d / CARD_FILE)}
        )
    for broken in ("v0004", ".tmp-v0005"):
        (root / "versions" / broken).mkdir()
        (root / "versions" / broken / "card.json").write_text("{not json", encoding="utf-8")
    pointer = {"version": "v0002", "card_sha256": file_sha256(root / "versions" / "v0002" / CARD_FILE)}
    (root / "current").write_text(json.dumps(pointer), encoding="utf-8")
    return root


def test_model_report_writes_page_and_pngs(tiny_model_dir: Path, tmp_path: Path) -> None:
    pytest.importorskip("matplotlib")
    registry = _fake_registry(tmp_path / "registry", tiny_model_dir)
    history = registry_history(registry)
    assert [h["version"] for h in history] == ["v0001", "v0002", "v0003", "v0004"]
    assert [h["current"] for h in history] == ["", "*", "", ""]
    assert [h["status"] == "ok" for h in history] == [True, True, True, False]
    out = tmp_path / "out" / "report.html"
    written = write_model_report("3", out, registry=registry)
    assert set(written) == {"html", "confusion", "per_label", "calibration", "history"}
    for key in ("confusion", "per_label", "calibration", "history"):
        assert written[key] == out.with_name(f"report_{key}.png")
        assert written[key].read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
    page = out.read_text(encoding="utf-8")
    assert page.count("src='data:image/png;base64,") == 4
    assert "version v0003" in page and "<td>v0004</td>" in page and "unreadable model card" in page
    assert "<script" not in page.lower() and "http://" not in page and "https://" not in page
    # label order follows the card, not card.json's alphabetical keys
    assert page.index("<td>core</td>") < page.index("<td>boilerplate</td>")


def test_model_report_from_dir_and_from_old_card(tiny_model_dir: Path, tmp_path: Path) -> None:
    pytest.importorskip("matplotlib")
    written = write_model_report(tiny_model_dir, tmp_path / "r.html")
    assert "history" not in written and written["calibration"].name == "r_calibration.png"
    card = json.loads((tiny_model_dir / "card.json").read_text(encoding="utf-8"))
    card["metrics"].pop("calibration")
    card["name"] = "<script>alert(1)</script>"
    written = write_model_report(card, tmp_path / "old.html")
    page = written["html"].read_text(encoding="utf-8")
    assert "calibration" not in written and "no calibration bins" in page
    assert "<script" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_resolve_card(tmp_path: Path, tiny_model_dir: Path) -> None:
    with pytest.raises(FileNotFoundError):
        resolve_card(tmp_path)
    with pytest.raises(FileNotFoundError):
        resolve_card("v9", registry=tmp_path)
    with pytest.raises(FileNotFoundError):
        resolve_card(None, registry=tmp_path)
    card, source = resolve_card(tiny_model_dir / "card.json")
    assert source == str(tiny_model_dir) and "metrics" in card
    registry = _fake_registry(tmp_path / "reg", tiny_model_dir)
    _, source = resolve_card(None, registry=registry)
    assert source.endswith("version v0002 (current)")
    _, source = resolve_card(tiny_model_dir, registry=registry)  # a model directory wins over versions
    assert source == str(tiny_model_dir)


def test_cli_models_report(tiny_model_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pytest.importorskip("matplotlib")
    registry = _fake_registry(tmp_path / "reg", tiny_model_dir)
    out = tmp_path / "report.html"
    assert main(["models", "report", "--registry", str(registry), "--output", str(out)]) == 0
    assert "version v0002 (current)" in out.read_text(encoding="utf-8")
    assert (tmp_path / "report_history.png").exists()
    assert str(out) in capsys.readouterr().out
    assert main(["models", "report", "9", "--registry", str(registry), "--output", str(out)]) == 2
    assert "no version v0009" in capsys.readouterr().err


def test_render_model_report_without_plots(tiny_model_dir: Path) -> None:
    card = json.loads((tiny_model_dir / "card.json").read_text(encoding="utf-8"))
    page = render_model_report(card, {}, source="x")
    assert "data:image/png" not in page and "no version history" in page


def test_missing_matplotlib_gives_install_hint(
    tiny_model_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in [m for m in sys.modules if m == "matplotlib" or m.startswith("matplotlib.")]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    with pytest.raises(ReportDependencyError, match=r"pip install 'article-filter\[report\]'"):
        write_model_report(tiny_model_dir, tmp_path / "r.html")
    assert not (tmp_path / "r.html").exists()


def test_shared_seed_review(tiny_filter: ArticleFilter, tmp_path: Path) -> None:
    if not SEED_ARTICLE.exists():
        pytest.skip(f"{SEED_ARTICLE} not available (tests run without ../shared)")
    text = SEED_ARTICLE.read_text(encoding="utf-8")
    out = write_review([(SEED_ARTICLE.name, tiny_filter.classify(text))], tmp_path / "seed.html")
    page = _visible_text(out.read_text(encoding="utf-8"))
    for para in text.split("\n\n"):
        if para.strip():
            assert " ".join(para.split()) in page
