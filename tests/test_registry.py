"""Model registry: layout, the current pointer, integrity checks, rollback, the lock and the promotion rule.

A two-version registry (v0001 trained on shuffled labels, v0002 on good labels) is built once per session
with tiny data and copied into each test, so tests stay fast and independent.
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import make_tiny_documents
from threadpoolctl import threadpool_limits

from filter.api import load_model
from filter.cli import main
from filter.data import write_documents
from filter.registry import (
    CORE_RECALL_EPSILON,
    EmptyRegistryError,
    Registry,
    RegistryError,
    RegistryLockedError,
    compare,
    retrain,
)
from filter.store import ModelIntegrityError, file_sha256


@pytest.fixture(scope="module", autouse=True)
def _one_thread() -> Iterator[None]:
    """OpenMP threads spin-wait on a busy 2-core machine; one thread made tiny retrains ~10x faster there."""
    with threadpool_limits(1):
        yield


@pytest.fixture(scope="session")
def template_registry(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("registry_template")
    write_documents(make_tiny_documents(shuffle_labels=True), root / "data" / "shuffled.jsonl")
    write_documents(make_tiny_documents(), root / "data" / "good.jsonl")
    reg = root / "reg"
    with threadpool_limits(1):
        assert retrain(reg, [root / "data" / "shuffled.jsonl"]).decision == "promoted"
        assert retrain(reg, [root / "data" / "good.jsonl"]).decision == "promoted"
    return reg


@pytest.fixture()
def reg(template_registry: Path, tmp_path: Path) -> Registry:
    dst = tmp_path / "reg"
    shutil.copytree(template_registry, dst)
    return Registry(dst)


def _flip_byte(path: Path) -> None:
    os.chmod(path, 0o644)  # versions are read-only on purpose; the "attacker" here changes that first
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0xFF
    path.write_bytes(bytes(data))


# -------------------------------------------------------------------------------------------- the rule
def test_compare_rule() -> None:
    cur = {"core_recall": 0.980, "macro_f1": 0.900}
    assert compare({"core_recall": 0.980, "macro_f1": 0.900}, cur).promote  # equal is "not worse"
    assert compare({"core_recall": 0.980 - CORE_RECALL_EPSILON / 2, "macro_f1": 0.95}, cur).promote
    assert not compare({"core_recall": 0.975, "macro_f1": 0.99}, cur).promote  # recall drop: never
    assert compare({"core_recall": 0.99, "macro_f1": 0.895}, cur).promote  # within the F1 tolerance
    assert not compare({"core_recall": 0.99, "macro_f1": 0.88}, cur).promote
    assert compare({"core_recall": 0.99, "macro_f1": 0.88}, cur, tolerance=0.05).promote
    first = compare({"core_recall": 0.1, "macro_f1": 0.1}, None)
    assert first.promote and "first" in first.reasons[0]


# ------------------------------------------------------------------------------------------ layout etc
def test_layout_pointer_and_readonly_versions(reg: Registry) -> None:
    assert reg.version_names() == ["v0001", "v0002"]
    pointer = json.loads((reg.root / "current").read_text())
    assert pointer["version"] == "v0002"
    assert reg.current_dir() == reg.root / "versions" / "v0002"
    v2 = reg.info("v0002")
    assert v2.ok and v2.is_current and v2.parent == "v0001"
    assert pointer["sha256"] == v2.card["sha256"] == file_sha256(v2.path / "model.joblib")
    assert {"model.joblib", "card.json", "card.md"} <= {p.name for p in v2.path.iterdir()}
    assert all(not (p.stat().st_mode & 0o222) for p in v2.path.iterdir())  # immutable: read-only
    assert (reg.root / ".lock").exists()
    log = reg.read_log()
    assert [e["decision"] for e in log] == ["promoted", "promoted"]
    assert log[1]["current_metrics"]["macro_f1"] < log[1]["candidate"]["macro_f1"]
    assert load_model(registry=reg.root).card["sha256"] == v2.card["sha256"]
    assert reg.resolve("2") == reg.resolve("v0002") == "v0002"
    with pytest.raises(RegistryError, match="no version v0009"):
        reg.resolve("9")


def test_empty_or_missing_registry_is_a_clear_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(EmptyRegistryError, match="no model registry"):
        Registry(tmp_path / "nowhere").current_dir()
    (tmp_path / "empty").mkdir()
    with pytest.raises(EmptyRegistryError, match="no current model yet"):
        load_model(registry=tmp_path / "empty")
    text = tmp_path / "a.txt"
    text.write_text("Some text.\n")
    assert main(["classify", str(text), "--registry", str(tmp_path / "empty")]) == 2
    assert "no current model yet" in capsys.readouterr().err


# --------------------------------------------------------------------------------------------- rollback
def test_rollback_default_is_the_replaced_version(reg: Registry, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["models", "rollback", "--registry", str(reg.root)]) == 0
    assert "now v0001 (was v0002)" in capsys.readouterr().out
    assert reg.current_version() == "v0001"
    flt = load_model(registry=reg.root)
    assert flt.card["sha256"] == reg.info("v0001").card["sha256"]
    assert reg.pointer()["rolled_back"] == ["v0002"]
    # v0001 replaced nothing: a further default rollback is refused with a reason.
    assert main(["models", "rollback", "--registry", str(reg.root)]) == 2
    assert "no previous version" in capsys.readouterr().err
    # An explicit version works both ways.
    assert main(["models", "rollback", "v0002", "--registry", str(reg.root)]) == 0
    assert reg.current_version() == "v0002"
    assert [e["event"] for e in reg.read_log()][-2:] == ["rollback", "rollback"]


def test_rollback_refuses_a_tampered_target(reg: Registry, capsys: pytest.CaptureFixture[str]) -> None:
    _flip_byte(reg.root / "versions" / "v0001" / "model.joblib")
    assert main(["models", "rollback", "--registry", str(reg.root)]) == 4
    assert "TAMPERED" in capsys.readouterr().err
    assert reg.current_version() == "v0002"


# ------------------------------------------------------------------------------------------- integrity
def test_tampered_current_model_is_refused_and_flagged(
    reg: Registry, capsys: pytest.CaptureFixture[str]
) -> None:
    _flip_byte(reg.root / "versions" / "v0002" / "model.joblib")
    with pytest.raises(ModelIntegrityError, match="TAMPERED"):
        load_model(registry=reg.root)
    assert main(["models", "list", "--registry", str(reg.root)]) == 1
    out = capsys.readouterr().out
    line = next(ln for ln in out.splitlines() if "v0002" in ln)
    assert line.startswith("*") and "TAMPERED" in line
    assert "TAMPERED" not in next(ln for ln in out.splitlines() if "v0001" in ln)
    assert main(["models", "show", "v0002", "--registry", str(reg.root)]) == 1
    assert "TAMPERED" in capsys.readouterr().out
    text = reg.root / "a.txt"
    text.write_text("Some text.\n")
    assert main(["classify", str(text), "--registry", str(reg.root)]) == 4


def test_consistently_swapped_model_and_card_is_caught_by_the_pointer(reg: Registry) -> None:
    """Replacing v0002's model *and* the hash in its card still fails: the pointer kept the hash."""
    v1, v2 = reg.root / "versions" / "v0001", reg.root / "versions" / "v0002"
    for name in ("model.joblib", "card.json"):
        os.chmod(v2 / name, 0o644)
        shutil.copyfile(v1 / name, v2 / name)
    assert reg.info("v0002").ok
    with pytest.raises(ModelIntegrityError, match="changed after it became current"):
        reg.current_dir()


def test_models_list_and_show(reg: Registry, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["models", "list", "--registry", str(reg.root)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[1].startswith("  v0001") and out[2].startswith("* v0002") and out[2].rstrip().endswith("ok")
    assert main(["models", "show", "--registry", str(reg.root)]) == 0  # default: current
    out2 = capsys.readouterr().out
    assert "v0002 (current)" in out2 and "replaced:    v0001" in out2
    assert main(["models", "show", "1", "--json", "--registry", str(reg.root)]) == 0
    card = json.loads(capsys.readouterr().out)
    assert card["registry"]["version"] == "v0001" and card["registry"]["parent"] is None
    assert main(["models", "list", "--registry", str(reg.root / "missing")]) == 2


# ------------------------------------------------------------------------------------------ lock, log
def test_lock_is_exclusive_and_names_the_holder(reg: Registry, capsys: pytest.CaptureFixture[str]) -> None:
    with reg.locked("test"):
        with pytest.raises(RegistryLockedError, match=f"test by pid {os.getpid()}"):
            with reg.locked("second"):
                pass
        assert main(["models", "rollback", "--registry", str(reg.root)]) == 5
        assert "locked" in capsys.readouterr().err
    assert reg.current_version() == "v0002"
    # Held by another open file (as another process would): same refusal.
    with open(reg.root / ".lock", "a") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        with pytest.raises(RegistryLockedError):
            reg.rollback()
    reg.rollback()  # released with the file: works again
    assert reg.current_version() == "v0001"


def test_torn_log_line_is_skipped_and_repaired(reg: Registry) -> None:
    n = len(reg.read_log())
    with open(reg.log_path, "ab") as fh:
        fh.write(b'{"event": "retrain", "decis')  # a run killed mid-write
    reg.append_log({"event": "test"})
    log = reg.read_log()
    assert len(log) == n + 1 and log[-1]["event"] == "test"


def test_stale_temporary_folders_are_cleaned(reg: Registry) -> None:
    stale = reg.versions_dir / ".tmp-v0003-12345"
    stale.mkdir()
    (stale / "model.joblib").write_bytes(b"half")
    assert reg.version_names() == ["v0001", "v0002"]  # never mistaken for a version
    with reg.locked("test"):
        assert reg.clean_stale() == [stale.name]
    assert not stale.exists()
