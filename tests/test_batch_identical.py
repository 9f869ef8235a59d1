"""Batch outputs are byte-identical to the goldens recorded before filter/batch became a package.

The goldens (tests/goldens/batch_outputs.json, written by tests/batch_goldens.py) cover text folders (with a
cp1252 file, a binary file and an empty one), JSONL (with a malformed line and a missing text field), CSV and
Parquet, ``--explain``, ``--id-field``, ``--output-field``, ``--chunk-size`` and ``classify`` in each output
format, bookkeeping files included (journal, manifest, per-unit error records, errors.jsonl, decoding.jsonl).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from batch_goldens import CASES, GOLDEN_FILE, model_fingerprint, run_case

_GOLDENS: dict[str, Any] = json.loads(GOLDEN_FILE.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def same_model(tiny_model_dir: Path) -> Path:
    """Skip (with the way out) when the tiny model itself behaves differently from when the goldens were made."""
    if model_fingerprint(tiny_model_dir) != _GOLDENS["model_fingerprint"]:
        pytest.skip(
            "the tiny model classifies differently than when the goldens were recorded (a model or feature "
            "change, not a batch one): re-record with `PYTHONPATH=$PWD python tests/batch_goldens.py`"
        )
    return tiny_model_dir


def test_goldens_cover_every_case() -> None:
    assert set(_GOLDENS["cases"]) == set(CASES)


@pytest.mark.parametrize("name", sorted(CASES))
def test_batch_output_is_identical(name: str, tmp_path: Path, same_model: Path) -> None:
    import pyarrow

    want = _GOLDENS["cases"][name]
    got = run_case(name, tmp_path / name, same_model)
    assert got["status"] == want["status"]
    assert sorted(got["files"]) == sorted(want["files"])
    for rel, content in want["files"].items():
        if isinstance(content, dict) and "rows" in content:
            assert got["files"][rel]["rows"] == content["rows"], rel
            if content["pyarrow"] == pyarrow.__version__:  # the writer's version is in the file's footer
                assert got["files"][rel]["bytes_sha256"] == content["bytes_sha256"], rel
        else:
            assert got["files"][rel] == content, rel
