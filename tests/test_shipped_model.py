"""The shipped default model: integrity, the seed article, hand-written labelled cases and a quality gate."""

from __future__ import annotations

import json
import shutil
from collections import Counter
from pathlib import Path

import numpy as np
import pytest
from conftest import REPO, SEED_ARTICLE

from filter import Label, ModelIntegrityError, load_model
from filter.store import (
    LEGACY_MODEL_FILE,
    MODEL_FILES,
    WEIGHTS_FILE,
    default_model_dir,
    file_sha256,
    read_card,
)
from filter.training.data import read_documents

CASES = REPO / "tests" / "cases"
GATE = CASES / "quality_gate.json"


@pytest.fixture(scope="module")
def shipped():  # type: ignore[no-untyped-def]
    return load_model()


def test_model_file_is_small_and_card_complete() -> None:
    d = default_model_dir()
    assert d == REPO / "models"  # the model of this checkout, not whatever an editable install points at
    assert not (d / LEGACY_MODEL_FILE).exists()  # the shipped model is pickle-free
    size = sum((d / name).stat().st_size for name in MODEL_FILES)
    assert size < 25 * 1024 * 1024
    card = read_card(d)
    for key in ("sha256", "files", "model", "sources", "label_counts", "metrics", "versions", "created"):
        assert key in card, key
    for name in MODEL_FILES:
        assert card["files"][name]["sha256"] == file_sha256(d / name)
    assert card["versions"]["scikit-learn"]
    assert (d / "card.md").exists()
    for name, source in card["sources"].items():
        assert source.get("licence"), f"source {name} has no licence in the card"


def test_tampered_model_is_refused(tmp_path: Path) -> None:
    d = tmp_path / "m"
    shutil.copytree(default_model_dir(), d, ignore=shutil.ignore_patterns("__init__.py", "__pycache__"))
    data = bytearray((d / WEIGHTS_FILE).read_bytes())
    data[len(data) // 2] ^= 0xFF
    (d / WEIGHTS_FILE).write_bytes(bytes(data))
    with pytest.raises(ModelIntegrityError, match="does not match"):
        load_model(d)


def test_shipped_model_reproduces_its_stored_probabilities_exactly(shipped) -> None:  # type: ignore[no-untyped-def]
    """Probabilities computed once when the model was shipped (tests/cases/shipped_expected_proba.json):
    loading (npz + JSON) and prediction must give them back bit for bit on any machine."""
    expected = json.loads((CASES / "shipped_expected_proba.json").read_text())
    docs = list(read_documents(CASES / "labelled_documents.jsonl"))
    assert [d.id for d in docs] == expected["documents"]
    _, proba, _, _ = shipped._predict(["\n\n".join(d.paragraphs) for d in docs])
    assert proba.shape == (len(expected["probabilities"]), 4)
    assert np.array_equal(proba, np.asarray(expected["probabilities"]))
    assert shipped.config.min_core_probability == expected["threshold"]


@pytest.mark.skipif(not SEED_ARTICLE.exists(), reason="../shared/seed is not available")
def test_seed_article_exact_output(shipped) -> None:  # type: ignore[no-untyped-def]
    text = SEED_ARTICLE.read_text(encoding="utf-8")
    paragraphs = [p for p in text.split("\n\n") if p.strip()]
    assert len(paragraphs) == 8
    expected = "\n\n".join(paragraphs[i].strip() for i in (0, 1, 2, 4, 5, 6))
    assert shipped.clean(text) == expected


def _removed_twice(model, paragraphs: list[str]) -> list[bool]:  # type: ignore[no-untyped-def]
    """For each promotion or filler paragraph of the story: is it removed from both copies of the story?"""
    once = [p.label for p in model.classify("\n\n".join(paragraphs))]
    twice = [p.label for p in model.classify("\n\n".join(paragraphs + paragraphs))]
    n = len(once)
    return [
        twice[i] is not Label.CORE and twice[n + i] is not Label.CORE
        for i in range(n)
        if once[i] in (Label.PROMOTION, Label.FILLER)
    ]


def test_an_article_pasted_twice_loses_its_promotion_and_filler_in_both_copies(shipped) -> None:  # type: ignore[no-untyped-def]
    """A scrape that holds the story twice (mobile and desktop copies) loses the same lines in each copy.

    Before identical paragraphs counted once in the specifics columns, every specific of the doubled seed
    looked shared with the rest of the page, and its "Also Check Out" line and filler ending were kept.
    (Paragraphs at the seam may change label: a headline after the end of a story reads as a teaser, an
    "updated at" line in the middle of a page is not the page's last line.)
    """
    rows = [json.loads(line) for line in (REPO / "tests" / "cases" / "labelled_documents.jsonl").open()]
    for doc in rows:
        assert all(_removed_twice(shipped, [p["text"] for p in doc["paragraphs"]])), doc["id"]
    if SEED_ARTICLE.exists():
        seed = [p.strip() for p in SEED_ARTICLE.read_text(encoding="utf-8").split("\n\n") if p.strip()]
        # The "Also Check Out" line goes from both copies (before the fix: kept in the first). The filler
        # ending of the first copy, now mid-page, is still kept (P(core) 0.50): a known seam effect.
        assert _removed_twice(shipped, seed)[0]


def test_hand_written_cases_per_label(shipped) -> None:  # type: ignore[no-untyped-def]
    """Each label on hand-written cases (tests/cases/labelled_documents.jsonl, see its README)."""
    docs = list(read_documents(CASES / "labelled_documents.jsonl"))
    results = shipped.classify_many(["\n\n".join(d.paragraphs) for d in docs])
    hits: Counter[str] = Counter()
    totals: Counter[str] = Counter()
    misses = []
    for doc, paragraphs in zip(docs, results):
        assert [p.text for p in paragraphs] == doc.paragraphs  # the cases segment as written
        for p, gold in zip(paragraphs, doc.labels):
            totals[gold.value] += 1
            # what matters to users: core kept, everything else dropped; the exact non-core label second
            if (p.label is Label.CORE) == (gold is Label.CORE):
                hits[gold.value] += 1
            else:
                misses.append((gold.value, p.label.value if p.label else None, p.text[:70]))
    gate = json.loads(GATE.read_text())["hand_written_cases_min_kept_or_dropped"]
    for label, minimum in gate.items():
        share = hits[label] / totals[label]
        assert share >= minimum, f"{label}: {share:.2f} < {minimum}; misses: {misses}"


def test_quality_gate_against_stored_metrics(shipped) -> None:  # type: ignore[no-untyped-def]
    """The card's held-out metrics may not fall below the stored gate (minus its tolerance)."""
    gate = json.loads(GATE.read_text())
    tol = gate["tolerance"]
    metrics = shipped.card["metrics"]
    assert metrics["core_recall"] >= gate["core_recall"] - tol
    assert metrics["macro_f1"] >= gate["macro_f1"] - tol
    for label, floor in gate["per_label_f1"].items():
        assert metrics["per_label"][label]["f1"] >= floor - tol, label


def test_labelled_cases_evaluate_through_training_api(shipped) -> None:  # type: ignore[no-untyped-def]
    from filter.training.evaluation import evaluate

    docs = list(read_documents(CASES / "labelled_documents.jsonl"))
    m = evaluate(shipped.model, docs, shipped.config)
    gate = json.loads(GATE.read_text())
    assert m["core_recall"] >= gate["hand_written_cases_core_recall"]
