"""Quality gate: the shipped model is *run* on stored cases and compared with stored floors.

The cases are the independently written evaluation set (bench/independent: promotion lines, filler
paragraphs and hard negatives written apart from the training data, never trained on), each inserted into
the set's own invented articles, so the gate needs no ../shared. Floors are in tests/cases/quality_gate.json
(``independent_gate``): the values measured when the model was shipped, rounded down; ``tolerance`` absorbs
a retrain on another machine. Lowering a floor is an explicit edit of that file.
"""

from __future__ import annotations

import json
import sys

import pytest
from conftest import REPO

from filter import load_model

if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from bench.bench_generalise import gate_metrics  # noqa: E402

GATE = REPO / "tests" / "cases" / "quality_gate.json"


@pytest.fixture(scope="module")
def measured() -> dict[str, float]:
    return gate_metrics(load_model())


@pytest.mark.parametrize("key", ["promotion_removed", "filler_removed", "core_kept", "hard_negatives_kept"])
def test_independent_set_floor(measured: dict[str, float], key: str) -> None:
    gate = json.loads(GATE.read_text())
    floor = gate["independent_gate"][key]
    assert measured[key] >= floor - gate["tolerance"], f"{key}: {measured[key]:.3f} < floor {floor}"


def test_gate_counts_every_item(measured: dict[str, float]) -> None:
    from bench import independent_set as ind

    assert measured["promotion_removed_n"] == len(ind.load_promotion())
    assert measured["filler_removed_n"] == len(ind.load_filler())
    assert measured["hard_negatives_kept_n"] == len(ind.load_hard_negatives())
