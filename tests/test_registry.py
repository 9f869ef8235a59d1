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
from filter.store import CARD_FILE, WEIGHTS_FILE, ModelIntegrityError, file_sha256
from filter.training.data import write_documents
from filter.training.registry import EmptyRegistryError, Registry, RegistryError, RegistryLockedError
from filter.training.retrain import CORE_RECALL_EPSILON, compare, retrain


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
    assert pointer["card_sha256"] == v2.card_sha256 == file_sha256(v2.path / CARD_FILE)
    assert pointer["sha256"] == v2.card["sha256"]
    assert v2.card["files"][WEIGHTS_FILE]["sha256"] == file_sha256(v2.path / WEIGHTS_FILE)
    assert {p.name for p in v2.path.iterdir()} == {"weights.npz", "model.json", "card.json", "card.md"}
    assert all(not (p.stat().st_mode & 0o222) for p in v2.path.iterdir())  # immutable: read-only
    assert (reg.root / ".lock").exists()
    all_rows = reg.read_log()
    log = [e for e in all_rows if e["event"] == "retrain"]
    assert [e["decision"] for e in log] == ["promoted", "promoted"]
    # written ahead: each promotion is a pending entry recording the card hash, then its commit
    assert [e.get("state") for e in log] == ["pending", "pending"]
    assert [e["event"] for e in all_rows] == ["retrain", "commit", "retrain", "commit"]
    assert [c["txn"] for c in all_rows[1::2]] == [e["txn"] for e in log] and pointer["txn"] == log[1]["txn"]
    assert reg.recorded_card_hashes() == {"v0001": reg.info("v0001").card_sha256, "v0002": v2.card_sha256}
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
    assert [e["event"] for e in reg.read_log()][-4:] == ["rollback", "commit", "rollback", "commit"]
    assert not reg.pending()


def test_rollback_refuses_a_tampered_target(reg: Registry, capsys: pytest.CaptureFixture[str]) -> None:
    _flip_byte(reg.root / "versions" / "v0001" / WEIGHTS_FILE)
    assert main(["models", "rollback", "--registry", str(reg.root)]) == 4
    assert "TAMPERED" in capsys.readouterr().err
    assert reg.current_version() == "v0002"


# ------------------------------------------------------------------------------------------- integrity
def test_tampered_current_model_is_refused_and_flagged(
    reg: Registry, capsys: pytest.CaptureFixture[str]
) -> None:
    _flip_byte(reg.root / "versions" / "v0002" / WEIGHTS_FILE)
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


def _swap_in(src: Path, dst: Path) -> None:
    """Replace every file of version ``dst`` with ``src``'s: model and card consistent with each other."""
    for f in src.iterdir():
        os.chmod(dst / f.name, 0o644)
        shutil.copyfile(f, dst / f.name)


def test_consistently_swapped_model_and_card_is_caught_by_the_pointer_and_log(
    reg: Registry, capsys: pytest.CaptureFixture[str]
) -> None:
    """Replacing v0002's model *and* card (hashes consistent) still fails: the registry kept the card hash."""
    _swap_in(reg.root / "versions" / "v0001", reg.root / "versions" / "v0002")
    info = reg.info("v0002")
    assert not info.ok and info.problem.startswith("TAMPERED") and "promotion log" in info.problem
    with pytest.raises(ModelIntegrityError, match="TAMPERED"):
        reg.current_dir()
    assert main(["models", "list", "--registry", str(reg.root)]) == 1
    line = next(ln for ln in capsys.readouterr().out.splitlines() if "v0002" in ln)
    assert "TAMPERED" in line and not line.rstrip().endswith("ok")


def test_swapped_non_current_version_is_flagged_and_not_rolled_back_to(
    reg: Registry, capsys: pytest.CaptureFixture[str]
) -> None:
    """Issue 10: model and card both replaced in a non-current version showed "ok" and rollback took it."""
    _swap_in(reg.root / "versions" / "v0002", reg.root / "versions" / "v0001")
    assert main(["models", "show", "v0001", "--registry", str(reg.root)]) == 1
    assert "TAMPERED" in capsys.readouterr().out
    assert main(["models", "rollback", "--registry", str(reg.root)]) == 4
    assert "TAMPERED" in capsys.readouterr().err
    assert reg.current_version() == "v0002"


def test_version_without_a_log_record_is_unverified(
    reg: Registry, capsys: pytest.CaptureFixture[str]
) -> None:
    reg.log_path.write_text("")  # the log was lost: the current version still verifies by its pointer
    assert reg.info("v0002").ok
    v1 = reg.info("v0001")
    assert v1.problem.startswith("unverified")
    assert main(["models", "list", "--registry", str(reg.root)]) == 1
    assert "unverified" in next(ln for ln in capsys.readouterr().out.splitlines() if "v0001" in ln)
    with pytest.raises(ModelIntegrityError, match="unverified"):
        reg.rollback("v0001")


@pytest.mark.parametrize(
    "pointer_text",
    ["v0002", '"v0002"', '{"version": "v0002"}', '{"version": "v0002", "card_sha256": "abc"}', "[1]"],
)
def test_pointer_without_card_hash_is_refused(
    reg: Registry, pointer_text: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """Issue 10: a bare version string in ``current`` was loaded and listed as "ok"."""
    reg.pointer_path.write_text(pointer_text)
    with pytest.raises(ModelIntegrityError, match="card hash|bare name|unreadable registry pointer"):
        load_model(registry=reg.root)
    text = reg.root / "a.txt"
    text.write_text("Some text.\n")
    assert main(["classify", str(text), "--registry", str(reg.root)]) == 4
    assert "registry pointer" in capsys.readouterr().err
    assert main(["models", "list", "--registry", str(reg.root)]) == 1
    captured = capsys.readouterr()
    assert "registry pointer" in captured.err and not any(
        ln.startswith("*") for ln in captured.out.splitlines()
    )
    # The way out the message names: an explicit rollback to a verified version rewrites the pointer.
    assert main(["models", "rollback", "v0002", "--registry", str(reg.root)]) == 0
    assert reg.current_dir() == reg.versions_dir / "v0002"


@pytest.mark.parametrize(
    "card_text",
    ["[1, 2]", "{not json", '{"metrics": {"core_recall": "high", "macro_f1": [1]}, "created": 5}'],
)
def test_hostile_cards_in_models_list_and_show(
    reg: Registry, card_text: str, capsys: pytest.CaptureFixture[str]
) -> None:
    card = reg.versions_dir / "v0001" / CARD_FILE
    os.chmod(card, 0o644)
    card.write_text(card_text)
    assert main(["models", "list", "--registry", str(reg.root)]) == 1
    out = capsys.readouterr()
    line = next(ln for ln in out.out.splitlines() if "v0001" in ln)
    assert "invalid" in line and "Traceback" not in out.err
    assert main(["models", "show", "v0001", "--registry", str(reg.root)]) == 1
    out = capsys.readouterr()
    assert "invalid" in out.out and "Traceback" not in out.err
    assert main(["models", "show", "v0001", "--json", "--registry", str(reg.root)]) == 1


_KILL_AFTER_SWITCH = """
import os, signal, sys
import filter.training.registry as registry

def stop(*args, **kwargs):
    os.kill(os.getpid(), signal.SIGKILL)  # after the pointer switch, before the commit line

registry.Registry._log_commit = stop
from filter.cli import main
sys.exit(main(sys.argv[1:]))
"""


def test_kill_between_pointer_switch_and_log_leaves_the_switch_logged(reg: Registry) -> None:
    import subprocess
    import sys

    from conftest import REPO

    proc = subprocess.run(
        [sys.executable, "-c", _KILL_AFTER_SWITCH, "models", "rollback", "--registry", str(reg.root)],
        env={**os.environ, "PYTHONPATH": str(REPO)},
        capture_output=True,
        timeout=120,
    )
    assert proc.returncode == -9, proc.stderr.decode()
    assert reg.current_version() == "v0001"  # the switch happened
    (pending,) = reg.pending()  # ... and is in the log, with the card hash it switched to
    assert pending["event"] == "rollback" and pending["version"] == "v0001"
    assert pending["card_sha256"] == reg.info("v0001").card_sha256 and pending["txn"] == reg.pointer()["txn"]
    assert all(v.ok for v in reg.versions())
    reg.rollback("v0002")  # the next registry writer resolves it first
    rows = reg.read_log()
    recovered = next(r for r in rows if r.get("recovered"))
    assert recovered["event"] == "commit" and recovered["txn"] == pending["txn"]
    assert not reg.pending() and reg.current_version() == "v0002"


def test_kill_before_pointer_switch_is_logged_as_aborted(
    reg: Registry, monkeypatch: pytest.MonkeyPatch
) -> None:
    class Killed(BaseException):
        pass

    def die(*args: object, **kwargs: object) -> None:
        raise Killed

    monkeypatch.setattr(Registry, "switch_current", die)
    with pytest.raises(Killed):
        reg.rollback()
    monkeypatch.undo()
    assert reg.current_version() == "v0002" and len(reg.pending()) == 1
    with reg.locked("test"):
        (note,) = reg.recover_log()
    assert "aborted" in note and not reg.pending()
    assert reg.read_log()[-1]["event"] == "abort"


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
    (stale / WEIGHTS_FILE).write_bytes(b"half")
    assert reg.version_names() == ["v0001", "v0002"]  # never mistaken for a version
    with reg.locked("test"):
        assert reg.clean_stale() == [stale.name]
    assert not stale.exists()


def test_pickle_payload_in_a_registry_version_does_not_run(
    reg: Registry, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Issue 10 case 1 through ``--registry``: a version holding a payload pickle and a matching card."""
    import joblib

    marker = tmp_path / "PWNED"

    class Payload:
        def __reduce__(self) -> tuple[object, ...]:
            return (Path.write_text, (marker, "code ran"))

    v2 = reg.versions_dir / "v0002"
    for f in list(v2.iterdir()):
        os.chmod(f, 0o644)
        f.unlink()
    joblib.dump(Payload(), v2 / "model.joblib")
    (v2 / CARD_FILE).write_text(json.dumps({"sha256": file_sha256(v2 / "model.joblib")}))
    for pointer in ("v0002", json.dumps({"version": "v0002", "card_sha256": file_sha256(v2 / CARD_FILE)})):
        reg.pointer_path.write_text(pointer)
        with pytest.raises(ModelIntegrityError):
            load_model(registry=reg.root)
        text = tmp_path / "a.txt"
        text.write_text("Some text.\n")
        assert main(["clean", str(text), "--registry", str(reg.root)]) == 4
        assert main(["models", "list", "--registry", str(reg.root)]) == 1
        out = capsys.readouterr()
        assert "v0002" in out.out and " ok" not in next(ln for ln in out.out.splitlines() if "v0002" in ln)
    assert "pickled model" in reg.info("v0002").problem
    assert not marker.exists()
    joblib.load(v2 / "model.joblib")  # control: the payload is real
    assert marker.exists()
