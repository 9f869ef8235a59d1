"""The Dask engine gives the local engine's output record for record (skipped when Dask is not installed)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from conftest import make_tiny_documents
from test_batch import tree

from filter.cli import main


def _inputs(tmp_path: Path) -> tuple[Path, Path]:
    docs = ["\n\n".join(d.paragraphs) for d in make_tiny_documents(24, seed=21)]
    src = tmp_path / "in"
    for i, d in enumerate(docs[:12]):
        (src / f"s{i % 2}").mkdir(parents=True, exist_ok=True)
        (src / f"s{i % 2}" / f"{i}.txt").write_text(d, encoding="utf-8")
    (src / "s0" / "binary.txt").write_bytes(b"\x7fELF\x02\x01\x01\x00\x00")
    table = tmp_path / "t.jsonl"
    lines = [json.dumps({"id": i, "text": d}) for i, d in enumerate(docs[12:])]
    lines.insert(3, "{broken")
    table.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return src, table


def test_dask_engine_equals_local_engine(tmp_path: Path, tiny_model_dir: Path) -> None:
    distributed = pytest.importorskip("distributed")
    src, table = _inputs(tmp_path)
    common = [
        "--model",
        str(tiny_model_dir),
        "--quiet",
        "--chunk-size",
        "5",
        "--batch-size",
        "4",
        "--explain",
        "--id-field",
        "id",
    ]
    local = tmp_path / "local"
    assert main(["clean", str(src), str(table), "-o", str(local), "--jobs", "1", *common]) == 1
    with distributed.LocalCluster(
        n_workers=1, threads_per_worker=1, processes=False, dashboard_address=None
    ) as cluster:
        on_dask = tmp_path / "dask"
        rc = main(
            [
                "clean",
                str(src),
                str(table),
                "-o",
                str(on_dask),
                "--engine",
                "dask",
                "--scheduler",
                cluster.scheduler_address,
                *common,
            ]
        )
    assert rc == 1
    expected = tree(local)
    assert tree(on_dask) == expected
    assert len(expected) == 12 + 3 + 1  # text outputs, 3 parts, errors.jsonl


def test_missing_dask_is_a_usage_error(
    tmp_path: Path, tiny_model_dir: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    src, _ = _inputs(tmp_path)
    monkeypatch.setitem(sys.modules, "distributed", None)  # import distributed -> ImportError
    rc = main(
        [
            "clean",
            str(src),
            "-o",
            str(tmp_path / "out"),
            "--engine",
            "dask",
            "--quiet",
            "--model",
            str(tiny_model_dir),
        ]
    )
    assert rc == 2
    assert "pip install 'article-filter[dask]'" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()
