"""The shipped, project-written training corpus is valid and big enough."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from filter.training.data import iter_data_files, read_documents
from filter.training.datacheck import CheckReport, check_paths
from filter.training.datareport import format_report

DATA = Path(__file__).resolve().parents[1] / "training_data"

pytestmark = pytest.mark.skipif(not any(DATA.glob("*.jsonl")), reason="training_data not generated")


@pytest.fixture(scope="module")
def report() -> CheckReport:
    return check_paths([DATA])


def test_checker_passes(report: CheckReport) -> None:
    assert report.ok, format_report(report, max_warnings=20)


def test_minimum_counts(report: CheckReport) -> None:
    c = report.counts
    assert c.documents >= 1500
    assert c.labels["core"] >= 10_000
    for label in ("promotion", "filler", "boilerplate"):
        assert c.labels[label] >= 3000, label
    assert len(c.docs_by_style) >= 8
    assert len(c.docs_by_topic) >= 9
    assert sum(len(g) for g in c.groups_by_split.values()) >= 60  # fictional sites
    assert c.docs_by_split["eval"] > 0 and c.docs_by_split["train"] > 0


def test_reader_accepts_everything_and_rows_have_provenance() -> None:
    docs = 0
    for doc in read_documents(DATA):
        docs += 1
        prov = doc.provenance
        assert prov.get("method") == "generator", doc.id
        assert prov.get("generator") and prov.get("version") and "seed" in prov, doc.id
        assert len(prov.get("templates", [])) == len(doc.paragraphs), doc.id
        assert doc.group.startswith("site:") and doc.source == "project:generator" and doc.language == "en"
        assert all("\n" not in t for t in doc.paragraphs), doc.id
    assert docs >= 1500


def test_acceptance_story_not_leaked() -> None:
    """The product's acceptance test (seed article) is about a different story: keep its subject out."""
    for f in iter_data_files(DATA):
        text = f.read_text(encoding="utf-8").lower()
        for word in ("hyundai", "south korea", "visa category", "immigration raid"):
            assert word not in text, (f.name, word)


def test_size_budget() -> None:
    total = sum(f.stat().st_size for f in iter_data_files(DATA))
    assert total < 15 * 1024 * 1024
    first = json.loads((DATA / "content_farm.jsonl").read_text(encoding="utf-8").splitlines()[0])
    assert first["source"] == "project:generator"
