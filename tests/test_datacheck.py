"""The data checker reports every problem with file and line, and passes clean data."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from filter.cli import main
from filter.training.data import DataError, read_documents, split_of
from filter.training.datacheck import check_paths
from filter.training.datareport import counts_markdown, format_report

STORY = (
    "The Kesford bridge reopened on Tuesday after eleven weeks of repairs costing 2.4 million, "
    "the county said. "
    "Engineers replaced 46 bearings and resurfaced the full 310-metre deck, according to the works manager. "
    "Buses on the number 7 route will return to their normal timetable from Monday, the operator confirmed."
)
MORE = (
    "The bridge carries about 9,300 vehicles a day and was closed in March after inspectors found corroded "
    "supports. Traders on the west bank said takings fell by a third during the closure, and the county has "
    "offered business-rate relief of up to 1,500 to shops within 400 metres of the crossing until "
    "the end of the year. A second inspection is due in the autumn, the county's highways committee "
    "said on Wednesday."
)


def _doc(doc_id: str, group: str, paragraphs: list[tuple[str, str]]) -> dict[str, object]:
    return {
        "id": doc_id,
        "source": "test",
        "provenance": {"method": "hand"},
        "language": "en",
        "group": group,
        "paragraphs": [{"text": t, "label": lab} for t, lab in paragraphs],
    }


def _write(path: Path, rows: list[object]) -> Path:
    path.write_text(
        "\n".join(r if isinstance(r, str) else json.dumps(r) for r in rows) + "\n", encoding="utf-8"
    )
    return path


def _groups() -> tuple[str, str]:
    """One group that split_of puts in train and one in eval."""
    train = next(f"site:t{i}" for i in range(1000) if split_of(f"site:t{i}") == "train")
    evals = next(f"site:e{i}" for i in range(1000) if split_of(f"site:e{i}") == "eval")
    return train, evals


def test_good_file_passes(tmp_path: Path) -> None:
    f = _write(
        tmp_path / "good.jsonl",
        [
            _doc("a", "site:one", [("Bridge reopens", "core"), (STORY, "core"), ("Home", "boilerplate")]),
            _doc(
                "b", "site:two", [("READ MORE: Ten walks", "promotion"), ("Only time will tell.", "filler")]
            ),
        ],
    )
    report = check_paths([f])
    assert report.ok, format_report(report)
    assert report.errors == []
    assert report.counts.documents == 2
    assert report.counts.labels == {"core": 2, "boilerplate": 1, "promotion": 1, "filler": 1}
    assert report.counts.by_source["test"]["core"] == 2
    assert "| core | 2 |" in counts_markdown(report)
    assert len(list(read_documents(f))) == 2  # the reader agrees
    assert main(["data", "check", str(f)]) == 0


def test_bad_file_reports_every_problem_with_location(tmp_path: Path) -> None:
    f = _write(
        tmp_path / "bad.jsonl",
        [
            _doc("ok", "g1", [(STORY, "core")]),  # line 1
            '{"id": "broken", "paragraphs": [',  # line 2: broken JSON
            _doc("lab", "g2", [("Some text.", "advert")]),  # line 3: unknown label
            _doc("empty", "g3", [("   ", "core"), ("Fine text here.", "core")]),  # line 4: empty paragraph
            _doc("ok", "g4", [("Different text entirely.", "core")]),  # line 5: duplicate id
            _doc(
                "dup", "g5", [("Repeated line.", "boilerplate"), ("Repeated line.", "boilerplate")]
            ),  # line 6
            {"id": "noparas", "paragraphs": []},  # line 7
            ["not", "an", "object"],  # line 8
        ],
    )
    report = check_paths([f])
    assert not report.ok
    errors = [str(p) for p in report.errors]
    name = str(f)

    def has(line: int, fragment: str) -> bool:
        return any(e.startswith(f"{name}:{line}:") and fragment in e for e in errors)

    assert has(2, "broken JSON"), errors
    assert has(3, "unknown label 'advert'"), errors
    assert has(4, "empty or missing 'text'"), errors
    assert has(5, "duplicate id 'ok'") and has(5, f"first at {name}:1"), errors
    assert has(7, "non-empty list"), errors
    assert has(8, "JSON object"), errors
    warnings = [str(p) for p in report.warnings]
    assert any(w.startswith(f"{name}:6:") and "repeats paragraph 0" in w for w in warnings), warnings
    assert main(["data", "check", str(f)]) == 1
    text = format_report(report)
    assert "error(s)" in text and "FAILED" in text


def test_exact_duplicate_documents(tmp_path: Path) -> None:
    f = _write(
        tmp_path / "d.jsonl",
        [
            _doc("x", "g1", [(STORY, "core")]),
            _doc("y", "g2", [(STORY, "core")]),
            _doc("z", "g3", [(STORY, "filler")]),
        ],
    )
    errors = [str(p) for p in check_paths([f]).errors]
    assert any(":2:" in e and "exact duplicate of 'x'" in e for e in errors), errors
    assert any(":3:" in e and "different labels" in e for e in errors), errors


def test_near_duplicate_across_split_detected(tmp_path: Path) -> None:
    train, evals = _groups()
    edited = STORY.replace("Tuesday", "Wednesday")
    f = _write(
        tmp_path / "n.jsonl",
        [
            _doc("t1", train, [("Bridge reopens after repairs", "core"), (STORY, "core"), (MORE, "core")]),
            _doc("e1", evals, [("Kesford bridge reopens", "core"), (edited, "core"), (MORE, "core")]),
        ],
    )
    report = check_paths([f])
    msgs = [str(p) for p in report.errors]
    assert any("near-duplicate" in m and "'t1'" in m and "Jaccard" in m for m in msgs), msgs
    # The same pair inside one split is not leakage and is not reported.
    g = _write(
        tmp_path / "same.jsonl",
        [
            _doc("t1", train, [(STORY, "core"), (MORE, "core")]),
            _doc("t2", train, [(edited, "core"), (MORE, "core")]),
        ],
    )
    assert not any("near-duplicate" in str(p) for p in check_paths([g]).errors)


def test_missing_path_and_non_utf8(tmp_path: Path) -> None:
    bad = tmp_path / "latin.jsonl"
    good_line = json.dumps(_doc("u", "g", [(STORY, "core")])).encode()
    bad.write_bytes(good_line + b"\n" + b'{"id": "caf\xe9"}\n')
    report = check_paths([bad, tmp_path / "missing.jsonl"])
    msgs = [str(p) for p in report.errors]
    assert any(f"{bad}:2:" in m and "UTF-8" in m for m in msgs), msgs
    assert any("missing.jsonl" in m and "no such" in m for m in msgs), msgs
    assert report.counts.documents == 1


def test_feedback_rows_are_checked(tmp_path: Path) -> None:
    f = _write(
        tmp_path / "fb.jsonl",
        [
            {"doc_id": "p1", "index": 0, "text": "Headline", "label": "core"},
            {"doc_id": "p1", "index": 1, "text": "Sign up now", "label": "Promotion"},
            {"doc_id": "p1", "index": 2, "text": "", "label": "core"},
        ],
    )
    report = check_paths([f])
    assert any(f"{f}:3:" in str(p) and "empty" in str(p) for p in report.errors)
    assert any("not canonical" in str(p) for p in report.warnings)


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ({**_doc("x", "g", [(STORY, "core")]), "id": "   "}, "missing or empty 'id'"),
        ({**_doc("x", "g", [(STORY, "core")]), "source": 3}, "'source' must be a string"),
        ({**_doc("x", "g", [(STORY, "core")]), "provenance": None}, "'provenance' must be an object"),
        ({"doc_id": "p", "index": True, "text": STORY, "label": "core"}, "'index' must be an integer"),
        ({"doc_id": "p", "index": 0, "text": STORY, "label": 1}, "missing or non-string 'label'"),
    ],
)
def test_loading_and_check_reject_the_same_rows(tmp_path: Path, row: dict[str, object], message: str) -> None:
    """One schema parser: a row ``data check`` calls an error is one training refuses, with the same message."""
    f = _write(tmp_path / "x.jsonl", [row])
    errors = [str(p) for p in check_paths([f]).errors]
    assert len(errors) == 1 and errors[0].startswith(f"{f}:1: ") and message in errors[0], errors
    with pytest.raises(DataError) as info:
        list(read_documents(f))
    assert str(info.value) == errors[0]
