"""The line library (training_data/lines/): schema, breadth, label hygiene and deterministic generation.

The library is inserted into real clean articles at training time and held out by family at evaluation
time, so the properties that matter are: enough families per label, enough distinct lines per family,
no wording shared between labels or families, and a generator that rebuilds the committed files exactly.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections import Counter, defaultdict
from pathlib import Path

import pytest

from filter.training.data import DataError, LabelledLine, is_line_file, line_key, read_documents, read_lines
from filter.training.datacheck import check_paths
from filter.training.datareport import format_report
from filter.types import Label

ROOT = Path(__file__).resolve().parents[1]
LINES = ROOT / "training_data" / "lines"
GENERATOR = LINES / "generate.py"
FILES = ("promotion.jsonl", "filler.jsonl", "boilerplate.jsonl", "core_hard.jsonl")
#: Hand-written lines (not from the generator; see training_data/README.md, "Hand-written lines").
HAND_FILES = ("hand_promotion.jsonl", "hand_filler.jsonl", "hand_core_hard.jsonl")

#: Minimum number of families per label (the brief for the library) and distinct lines per family: 100
#: lines keep one wording from dominating a held-out family's score (one line = 1 point at most).
MIN_FAMILIES = {Label.PROMOTION: 30, Label.FILLER: 20, Label.BOILERPLATE: 15, Label.CORE: 12}
MIN_LINES_PER_FAMILY = 100

pytestmark = pytest.mark.skipif(
    not all((LINES / f).is_file() for f in FILES), reason="line library not generated"
)


@pytest.fixture(scope="module")
def lines() -> list[LabelledLine]:
    """The generator's lines (the hand-written files have their own test)."""
    return [ln for f in FILES for ln in read_lines(LINES / f)]


@pytest.fixture(scope="module")
def hand_lines() -> list[LabelledLine]:
    return [ln for f in HAND_FILES if (LINES / f).is_file() for ln in read_lines(LINES / f)]


def test_hand_written_lines(hand_lines: list[LabelledLine]) -> None:
    """Hand lines say how they were made, one label per file, and obey the generator's label rules."""
    assert len(hand_lines) >= 800
    expected = {"hand_promotion.jsonl": Label.PROMOTION, "hand_filler.jsonl": Label.FILLER}
    for f, label in expected.items():
        assert {ln.label for ln in read_lines(LINES / f)} == {label}
    assert {ln.label for ln in read_lines(LINES / "hand_core_hard.jsonl")} == {Label.CORE}
    for ln in hand_lines:
        assert ln.id.startswith("line-hand-") and ln.provenance["method"].startswith("hand-written"), ln.id
        assert ln.text == ln.text.strip() and "\n" not in ln.text
        if ln.label is Label.FILLER:
            assert not re.search(r"\d", ln.text), ln.text
        if ln.label is Label.PROMOTION:
            assert 1 <= len(ln.text.split()) <= 40, ln.text
    assert len({ln.id for ln in hand_lines}) == len(hand_lines)


def test_schema_and_ids(lines: list[LabelledLine]) -> None:
    short = {Label.PROMOTION: "promo", Label.FILLER: "filler", Label.BOILERPLATE: "bp", Label.CORE: "core"}
    for ln in lines:
        assert re.fullmatch(rf"line-{short[ln.label]}-{ln.family.replace('_', '-')}-\d{{4}}", ln.id), ln.id
        assert ln.provenance["method"] == "training_data/lines/generate.py", ln.id
        assert isinstance(ln.provenance["seed"], int) and ln.provenance["template"].startswith(ln.label.value)
        assert ln.text == ln.text.strip() and "\n" not in ln.text
    assert len({ln.id for ln in lines}) == len(lines)
    labels_by_file = {f: {ln.label for ln in read_lines(LINES / f)} for f in FILES}
    assert labels_by_file == {
        "promotion.jsonl": {Label.PROMOTION},
        "filler.jsonl": {Label.FILLER},
        "boilerplate.jsonl": {Label.BOILERPLATE},
        "core_hard.jsonl": {Label.CORE},
    }


def test_family_minimums(lines: list[LabelledLine]) -> None:
    distinct: dict[tuple[Label, str], set[str]] = defaultdict(set)
    for ln in lines:
        distinct[(ln.label, ln.family)].add(ln.text)
    families = Counter(label for label, _ in distinct)
    for label, minimum in MIN_FAMILIES.items():
        assert families[label] >= minimum, (label, families[label])
    small = {k: len(v) for k, v in distinct.items() if len(v) < MIN_LINES_PER_FAMILY}
    assert not small, small
    assert len({fam for _, fam in distinct}) == len(distinct), "a family name is used by two labels"


def test_no_text_in_two_labels_or_families(lines: list[LabelledLine], hand_lines: list[LabelledLine]) -> None:
    owner: dict[str, tuple[Label, str]] = {}
    for ln in lines + hand_lines:
        for key in (ln.text, line_key(ln.text)):
            prev = owner.setdefault(key, (ln.label, ln.family))
            assert prev[0] == ln.label, f"{ln.text!r} is {prev[0].value} and {ln.label.value}"
            assert prev[1] == ln.family, f"{ln.text!r} is in {prev[1]} and {ln.family}"


def test_label_specific_properties(lines: list[LabelledLine]) -> None:
    """Filler carries no number (no checkable fact); promotion lines stay within 1-40 words."""
    for ln in lines:
        words = len(ln.text.split())
        if ln.label is Label.FILLER:
            assert not re.search(r"\d", ln.text), ln.text
            assert words <= 90, ln.text
        if ln.label is Label.PROMOTION:
            assert 1 <= words <= 40, ln.text
    positions = Counter(ln.position for ln in lines if ln.label is Label.FILLER)
    assert positions["opening"] and positions["closing"] and positions["middle"], positions


def test_checker_accepts_library_and_counts_families() -> None:
    report = check_paths([LINES])
    assert report.ok, format_report(report, max_warnings=20)
    assert report.counts.documents == 0
    assert report.counts.lines == len(read_lines(LINES))
    assert sum(1 for lab, _ in report.counts.lines_by_family if lab == "promotion") >= 30
    assert "line library:" in format_report(report)


def test_generation_is_deterministic_and_matches_committed_files(tmp_path: Path) -> None:
    outs = []
    for name in ("a", "b"):
        out = tmp_path / name
        subprocess.run([sys.executable, str(GENERATOR), "--out", str(out)], check=True, capture_output=True)
        outs.append(out)
    for f in FILES:
        first = (outs[0] / f).read_bytes()
        assert first == (outs[1] / f).read_bytes(), f"{f} differs between two runs with the same seed"
        assert first == (LINES / f).read_bytes(), f"committed {f} is stale: rerun {GENERATOR.name}"
    other = tmp_path / "other-seed"
    subprocess.run(
        [sys.executable, str(GENERATOR), "--out", str(other), "--seed", "7"], check=True, capture_output=True
    )
    assert (other / "promotion.jsonl").read_bytes() != (outs[0] / "promotion.jsonl").read_bytes()


# ------------------------------------------------------------------------- reader and checker behaviour


def _row(**kw: object) -> str:
    row: dict[str, object] = {
        "id": "line-promo-x-0001",
        "label": "promotion",
        "family": "x",
        "text": "Sign up now",
        "position": "any",
        "provenance": {"method": "test"},
    }
    row.update(kw)
    return json.dumps(row)


def test_read_lines_reports_file_and_line(tmp_path: Path) -> None:
    f = tmp_path / "bad.jsonl"
    f.write_text(_row() + "\n" + _row(id="line-promo-x-0002", position="top") + "\n", encoding="utf-8")
    with pytest.raises(DataError) as err:
        read_lines(f)
    assert err.value.line == 2 and "position" in err.value.message and str(f) in str(err.value)
    f.write_text(_row() + "\n" + _row(text="Other") + "\n", encoding="utf-8")
    with pytest.raises(DataError, match="duplicate id"):
        read_lines(f)
    f.write_text(_row(label="advert") + "\n", encoding="utf-8")
    with pytest.raises(DataError, match="unknown label"):
        read_lines(f)


def test_document_reader_skips_line_files(tmp_path: Path) -> None:
    (tmp_path / "lines.jsonl").write_text(_row() + "\n", encoding="utf-8")
    doc = {"id": "d1", "paragraphs": [{"text": "The bridge reopened on Monday.", "label": "core"}]}
    (tmp_path / "docs.jsonl").write_text(json.dumps(doc) + "\n", encoding="utf-8")
    assert is_line_file(tmp_path / "lines.jsonl") and not is_line_file(tmp_path / "docs.jsonl")
    assert [d.id for d in read_documents(tmp_path)] == ["d1"]
    assert [ln.id for ln in read_lines(tmp_path)] == ["line-promo-x-0001"]


def test_checker_finds_line_problems(tmp_path: Path) -> None:
    rows = [
        _row(),
        _row(id="line-promo-y-0001", family="y", text="SIGN UP NOW!"),  # same wording, other family
        _row(id="line-filler-z-0001", label="filler", family="z", text="Sign up now"),  # same text
        _row(id="line-promo-x-0002", family="x", text="", position="any"),  # empty text
    ]
    (tmp_path / "l.jsonl").write_text("\n".join(rows) + "\n", encoding="utf-8")
    report = check_paths([tmp_path])
    messages = "\n".join(str(p) for p in report.errors)
    assert not report.ok
    assert "near-exact duplicate" in messages and "another family" in messages
    assert "repeats the text" in messages
    assert "l.jsonl:4:" in messages and "empty or missing 'text'" in messages


def test_every_family_is_documented(lines: list[LabelledLine]) -> None:
    readme = (ROOT / "training_data" / "README.md").read_text(encoding="utf-8")
    section = readme.split("## 5. Line library", 1)[1].split("\n## ", 1)[0]
    missing = sorted({ln.family for ln in lines if f"| `{ln.family}` |" not in section})
    assert not missing, f"families without a row in the README's Line library table: {missing}"
