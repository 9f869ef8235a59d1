"""Document verdicts (filter/verdict.py, filter/language.py) with the shipped default model.

Non-English input is never emptied without a warning, English output is what it was before verdicts, one- and
two-paragraph reports are kept, one-line promotion is still dropped, and the article score ranks an article
above a menu page. All texts are hand-written (tests/cases/*.json, tests/cases/labelled_documents.jsonl).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from conftest import REPO

from filter import ArticleFilter, Document, FilterConfig, Label, analyse, clean, load_model
from filter.cleaner import keep_core
from filter.cli import main
from filter.language import LanguageGuess, detect_language, language_sample
from filter.training.data import read_documents
from filter.verdict import REAL_TEXT_WORDS, article_score, decide_document

CASES = REPO / "tests" / "cases"
FOREIGN = json.loads((CASES / "foreign_articles.json").read_text(encoding="utf-8"))["articles"]
SHORT = json.loads((CASES / "short_inputs.json").read_text(encoding="utf-8"))

MENU_PAGE = "\n\n".join(
    [
        "Home",
        "News",
        "World",
        "Business",
        "Sport",
        "Weather",
        "Contact us",
        "About us",
        "Privacy policy",
        "Log in",
    ]
)


@pytest.fixture(scope="module")
def shipped() -> ArticleFilter:
    return load_model()


# ------------------------------------------------------------------------------------ unsupported language
@pytest.mark.parametrize("lang", sorted(FOREIGN))
def test_foreign_article_kept_whole_with_warning(shipped: ArticleFilter, lang: str) -> None:
    text = "\n\n".join(FOREIGN[lang])
    doc = shipped.analyse(text)
    assert doc.language == lang
    assert doc.language_confidence > 0.9
    assert doc.warnings == (f"language '{lang}' is not supported by this model: text kept unfiltered",)
    assert doc.text == text
    assert doc.kept == tuple(range(len(FOREIGN[lang])))
    assert shipped.clean(text) == text
    assert clean(text) == text
    # classify still reports the model's own labels, one per paragraph.
    labels = [p.label for p in shipped.classify(text)]
    assert len(labels) == len(FOREIGN[lang]) and all(isinstance(lab, Label) for lab in labels)
    assert [p.label for p in doc.paragraphs] == labels


def test_unsupported_language_policies(shipped: ArticleFilter) -> None:
    text = "\n\n".join(FOREIGN["it"])
    empty = shipped.with_config(shipped.config.with_options(unsupported_language="empty"))
    d = empty.analyse(text)
    assert d.text == "" and empty.clean(text) == ""
    assert d.warnings == ("language 'it' is not supported by this model: text dropped",)
    filt = shipped.with_config(shipped.config.with_options(unsupported_language="filter"))
    d = filt.analyse(text)
    assert d.text == keep_core(shipped.classify(text), shipped.config) == filt.clean(text)
    assert (
        d.warnings[0]
        == "language 'it' is not supported by this model: filtered anyway, labels are unreliable"
    )
    # A model that declares Italian (config override) filters it silently like English.
    it_ok = shipped.with_config(shipped.config.with_options(supported_languages=("en", "it")))
    assert it_ok.analyse(text).warnings == ()


def test_bad_policy_is_refused() -> None:
    with pytest.raises(ValueError, match="unsupported_language"):
        FilterConfig(unsupported_language="drop")


# ------------------------------------------------------------------------------------------------ English
def test_english_cases_unchanged(shipped: ArticleFilter) -> None:
    """clean() on the labelled English cases equals the pre-verdict rule: the core paragraphs, joined."""
    texts = ["\n\n".join(d.paragraphs) for d in read_documents(CASES / "labelled_documents.jsonl")]
    assert len(texts) == 12
    before = [keep_core(ps, shipped.config) for ps in shipped.classify_many(texts)]
    assert all(before)
    assert shipped.clean_many(texts) == before
    for doc, expected in zip(shipped.analyse_many(texts), before):
        assert doc.text == expected
        assert doc.language == "en" and doc.warnings == ()


# ------------------------------------------------------------------------------------------- short inputs
@pytest.mark.parametrize("text", SHORT["one_paragraph_reports"])
def test_one_paragraph_report_kept(shipped: ArticleFilter, text: str) -> None:
    doc = shipped.analyse(text)
    assert doc.text == text == shipped.clean(text)
    model_kept = doc.paragraphs[0].label is Label.CORE
    assert any(w.startswith("short input: kept 1 of 1") for w in doc.warnings) == (not model_kept)


@pytest.mark.parametrize("text", SHORT["two_paragraph_reports"])
def test_two_paragraph_report_kept(shipped: ArticleFilter, text: str) -> None:
    assert shipped.clean(text) == text


@pytest.mark.parametrize("text", SHORT["promotion_lines"])
def test_promotion_line_still_dropped(shipped: ArticleFilter, text: str) -> None:
    doc = shipped.analyse(text)
    assert doc.text == "" == shipped.clean(text)
    assert not any(w.startswith("short input") for w in doc.warnings)


def test_report_with_promotion_line_keeps_only_the_report(shipped: ArticleFilter) -> None:
    report, promo = SHORT["one_paragraph_reports"][0], SHORT["promotion_lines"][0]
    assert shipped.clean(f"{report}\n\n{promo}") == report


def test_short_input_rule_can_be_turned_off(shipped: ArticleFilter) -> None:
    # A keep threshold no paragraph reaches makes the model drop the report on its own; the rule keeps it,
    # and only the rule: with the rule off it is emptied.
    text = SHORT["one_paragraph_reports"][0]
    strict = shipped.with_config(shipped.config.with_options(min_core_probability=1.0))
    off = strict.with_config(strict.config.with_options(short_input_max_paragraphs=0))
    assert strict.classify(text)[0].label is not Label.CORE
    assert strict.clean(text).strip() == text.strip()
    assert off.clean(text) == ""


def _proba(rows: list[list[float]]) -> np.ndarray:
    return np.array(rows, dtype=np.float64)


def test_everything_dropped_warns_only_with_real_text() -> None:
    cfg = FilterConfig()
    en = LanguageGuess("en", 0.3, "function-words")
    long = " ".join(["word"] * REAL_TEXT_WORDS)
    rows = [[0.05, 0.05, 0.9, 0.0]] * 3
    labels = [Label.FILLER] * 3
    d = decide_document([long, long, "short line"], _proba(rows), labels, en, ("en",), cfg)
    assert d.kept == ()
    assert d.warnings == ("no paragraph looked like core reporting: cleaned text is empty",)
    d = decide_document(["Home", "News", "Sport"], _proba(rows), labels, en, ("en",), cfg)
    assert d.kept == () and d.warnings == ()
    # Undetermined language (a menu) is never flagged as unsupported.
    und = LanguageGuess("und", 0.0, "too-short")
    assert (
        decide_document(["Home"], _proba([[0, 0, 0, 1.0]]), [Label.BOILERPLATE], und, ("en",), cfg).warnings
        == ()
    )


# ------------------------------------------------------------------------------------------ article score
def test_article_score_article_above_menu_page(shipped: ArticleFilter) -> None:
    article = "\n\n".join(next(iter(read_documents(CASES / "labelled_documents.jsonl"))).paragraphs)
    page = MENU_PAGE + "\n\n" + article + "\n\n" + MENU_PAGE
    a, m, p = (d.article_score for d in shipped.analyse_many([article, MENU_PAGE, page]))
    assert a > 0.5 > 0.05 > m
    assert p > 0.5


def test_article_score_function() -> None:
    assert article_score([], []) == 0.0
    assert article_score([5] * 50, [1.0] * 50) == 0.0  # short lines add nothing, however many
    one = article_score([100], [1.0])
    assert 0.0 < article_score([100], [0.5]) < one < article_score([100, 100], [1.0, 1.0]) < 1.0
    assert one == pytest.approx(1 - np.exp(-100 / 150), abs=1e-4)


# --------------------------------------------------------------------------------- language identification
def test_language_detection() -> None:
    assert detect_language(["Home", "News"]).code == "und"
    case = next(iter(read_documents(CASES / "labelled_documents.jsonl")))
    guess = detect_language(case.paragraphs)
    assert guess.code == "en" and guess.method == "function-words"
    assert detect_language(FOREIGN["de"]) == LanguageGuess(
        "de", detect_language(FOREIGN["de"]).confidence, "py3langid"
    )
    assert language_sample(["a b", "the longest paragraph here", "mid one"], 12) == "the longest "


def test_import_does_not_load_the_language_model() -> None:
    code = "import sys, filter; print('py3langid' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, check=True)
    assert out.stdout.strip() == "False"


# ------------------------------------------------------------------------------------------- Document type
def test_document_to_dict_round_trip(shipped: ArticleFilter) -> None:
    for text in ("\n\n".join(FOREIGN["fr"]), SHORT["one_paragraph_reports"][0], MENU_PAGE):
        doc = shipped.analyse(text)
        row = json.loads(json.dumps(doc.to_dict()))
        back = Document.from_dict(row)
        assert back.to_dict() == doc.to_dict()
        assert back.text == doc.text and back.warnings == doc.warnings and back.language == doc.language
        assert [p.label for p in back.paragraphs] == [p.label for p in doc.paragraphs]


def test_module_level_analyse_matches_clean() -> None:
    text = "\n\n".join(FOREIGN["es"])
    assert analyse(text).text == clean(text) == text


# ----------------------------------------------------------------------------------------------------- CLI
def test_cli_classify_jsonl_and_json_carry_verdict(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src = tmp_path / "fr.txt"
    src.write_text("\n\n".join(FOREIGN["fr"]), encoding="utf-8")
    assert main(["classify", str(src), "--format", "jsonl"]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert len(rows) == len(FOREIGN["fr"])
    for row in rows:
        assert row["doc_id"] == "fr.txt" and row["language"] == "fr"  # the batch's id for this file
        assert row["warnings"] == ["language 'fr' is not supported by this model: text kept unfiltered"]
        assert 0.0 <= row["article_score"] <= 1.0 and row["label"] in {lab.value for lab in Label}
    assert main(["classify", str(src), "--format", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert (
        doc["language"] == "fr" and len(doc["warnings"]) == 1 and len(doc["paragraphs"]) == len(FOREIGN["fr"])
    )


def test_cli_clean_notice_on_stderr(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = tmp_path / "it.txt"
    text = "\n\n".join(FOREIGN["it"])
    src.write_text(text, encoding="utf-8")
    assert main(["clean", str(src)]) == 0
    out = capsys.readouterr()
    assert out.out == text + "\n"
    assert (
        out.err
        == f"article-filter: {src}: language 'it' is not supported by this model: text kept unfiltered\n"
    )
    english = tmp_path / "en.txt"
    english.write_text("\n\n".join(next(iter(read_documents(CASES / "labelled_documents.jsonl"))).paragraphs))
    assert main(["clean", str(english)]) == 0
    assert capsys.readouterr().err == ""


def test_batch_lists_unsupported_language_in_warnings_file(tmp_path, tiny_model_dir) -> None:  # type: ignore[no-untyped-def]
    """A batch never empties a foreign article silently: it is kept and listed in OUT/warnings.jsonl."""
    import json as _json

    from filter.cli import main

    src = tmp_path / "in"
    src.mkdir()
    text = "\n\n".join(FOREIGN["fr"])
    (src / "fr.txt").write_text(text, encoding="utf-8")
    out = tmp_path / "out"
    assert main(["clean", str(src), "-o", str(out), "--model", str(tiny_model_dir), "--quiet"]) == 0
    rows = [_json.loads(x) for x in (out / "warnings.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [r["language"] for r in rows] == ["fr"] and "not supported" in rows[0]["message"]
    assert (out / "fr.txt").read_text(encoding="utf-8").strip() == text.strip()
