"""A model registry with guarded, scheduled retraining and rollback.

Layout of a registry folder::

    REGISTRY/
      versions/v0001/      weights.npz + model.json + card.json + card.md, read-only, never changed once written
      versions/v0002/
      current              JSON pointer {"version": "v0002", "card_sha256": ..., "txn": ...}, replaced atomically
      log.jsonl            one JSON line per retrain / rollback decision, with both metric sets
      .lock                fcntl lock: one retrain or rollback at a time

Why it is built this way:

* A retrain can be killed at any moment (cron timeout, OOM killer, reboot). The candidate is written into a
  temporary folder inside ``versions/`` and renamed to its version name only when complete, and the
  ``current`` pointer is switched last, by an atomic rename. Until that rename, readers keep getting the old
  model; leftover temporary folders are deleted by the next run.
* Versions are stored in the pickle-free format of :mod:`filter.store` (arrays + JSON, hashed in the card).
  A card can be replaced together with the files it hashes, so the registry keeps its own records of each
  version's *card* hash: in the promotion log (written when the version is promoted) and, for the current
  version, in the pointer. ``models list/show`` compare against both and say TAMPERED, or "unverified" when
  the log has no record; ``rollback`` refuses both. A pointer without a card hash (or a bare version
  name, as older releases accepted) is refused.
* The log is written ahead: a promotion or rollback is appended as ``"state": "pending"`` with a
  transaction id *before* the pointer switch, and a ``commit`` line after it. A kill in between leaves a
  pending entry; the next retrain/rollback resolves it from the pointer (which records the transaction id)
  and appends a recovered ``commit`` or an ``abort``. So no promotion is ever unlogged.

This module is the storage: the folder layout, writing versions, switching the pointer, the log, the lock and
rollback. Reading the current model (what :func:`filter.api.load_model` needs) is
:class:`filter.registry_view.RegistryView`, in the pipeline, which :class:`Registry` extends. The retrain
workflow and the promotion rule (a candidate replaces the current model only when it is not worse on the
*same* held-out documents) are :mod:`filter.training.retrain`.
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from ..registry_view import (
    LOG_FILE,
    POINTER_FILE,
    VERSIONS_DIR,
    EmptyRegistryError,
    RegistryError,
    RegistryView,
    VersionInfo,
    default_registry,
)
from ..store import (
    CARD_FILE,
    ModelIntegrityError,
    atomic_write_text,
    file_sha256,
    fsync_dir,
    save_model_dir,
    verify_model_dir,
)

__all__ = [
    "Registry",
    "RegistryError",
    "EmptyRegistryError",
    "RegistryLockedError",
    "VersionInfo",
    "default_registry",
    "POINTER_FILE",
    "LOG_FILE",
    "LOCK_FILE",
    "VERSIONS_DIR",
]

LOCK_FILE = ".lock"
_TMP_PREFIX = ".tmp-"


class RegistryLockedError(RegistryError):
    """Another retrain or rollback holds the registry lock."""


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


class Registry(RegistryView):
    """A folder of immutable model versions plus an atomically switched ``current`` pointer.

    Reading (``current_dir``, ``versions``, ``info``; see :class:`~filter.registry_view.RegistryView`) takes no
    lock: the pointer is replaced by rename, so a reader sees either the old or the new one. Writing
    (retrain, rollback) holds ``.lock``.
    """

    def __init__(self, path: str | Path) -> None:
        super().__init__(path)
        self.lock_path = self.root / LOCK_FILE

    # ------------------------------------------------------------------------------------------- writing
    @contextmanager
    def locked(self, purpose: str) -> Iterator[None]:
        """Hold ``.lock`` (non-blocking): a second retrain/rollback fails fast instead of queueing up.

        ``flock`` is released by the kernel when the process dies, so a killed run never leaves the
        registry locked; the file itself stays (deleting lock files is racy) and records the holder.
        """
        self.root.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.lock_path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            try:
                holder = os.read(fd, 200).decode("utf-8", "replace").strip() or "unknown process"
            finally:
                os.close(fd)
            raise RegistryLockedError(
                f"registry {self.root} is locked by another retrain or rollback ({holder}); "
                "not starting a second one — try again when it has finished"
            ) from None
        try:
            os.ftruncate(fd, 0)
            os.pwrite(fd, f"{purpose} by pid {os.getpid()} since {_now()}\n".encode(), 0)
            yield
        finally:
            os.close(fd)

    def append_log(self, entry: dict[str, Any]) -> None:
        """Append one JSON line and fsync; repairs a torn last line first so entries never run together."""
        self.root.mkdir(parents=True, exist_ok=True)
        line = json.dumps({"time": _now(), **entry}, sort_keys=True, default=str) + "\n"
        with open(self.log_path, "a+b") as fh:
            fh.seek(0, os.SEEK_END)
            if fh.tell() > 0:
                fh.seek(-1, os.SEEK_END)
                if fh.read(1) != b"\n":
                    fh.write(b"\n")
            fh.write(line.encode("utf-8"))
            fh.flush()
            os.fsync(fh.fileno())

    def clean_stale(self) -> list[str]:
        """Delete leftovers of killed runs (call with the lock held, so none of them is still in use)."""
        removed = []
        if self.versions_dir.is_dir():
            for p in self.versions_dir.iterdir():
                if p.name.startswith(_TMP_PREFIX):
                    shutil.rmtree(p, ignore_errors=True)
                    removed.append(p.name)
        for p in self.root.glob(f".{POINTER_FILE}.*.tmp"):
            p.unlink(missing_ok=True)
            removed.append(p.name)
        return removed

    def next_version_name(self) -> str:
        names = self.version_names()
        return f"v{(int(names[-1][1:]) + 1 if names else 1):04d}"

    def stage_version(
        self, model: Any, card: dict[str, Any], card_md: Callable[[dict[str, Any]], str], name: str
    ) -> Path:
        """Write a complete, read-only model folder under a temporary name; returns its path.

        A run killed now leaves only a ``.tmp-`` folder, which is not a version and is removed by the
        next run. :meth:`publish_version` renames it.
        """
        self.versions_dir.mkdir(parents=True, exist_ok=True)
        if (self.versions_dir / name).exists():
            raise RegistryError(
                f"{self.versions_dir / name} already exists; refusing to overwrite a model version"
            )
        tmp = self.versions_dir / f"{_TMP_PREFIX}{name}-{os.getpid()}"
        shutil.rmtree(tmp, ignore_errors=True)
        try:
            save_model_dir(model, tmp, card, card_md)
            verify_model_dir(tmp)  # what was written reads back
            for f in tmp.iterdir():
                os.chmod(f, 0o444)
            fsync_dir(tmp)
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
        return tmp

    def publish_version(self, tmp: Path, name: str) -> Path:
        """Rename a staged folder to its version name (atomic)."""
        final = self.versions_dir / name
        if final.exists():
            raise RegistryError(f"{final} already exists; refusing to overwrite a model version")
        try:
            os.rename(tmp, final)
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
        fsync_dir(self.versions_dir)
        return final

    def switch_current(
        self, name: str, *, card_sha256: str, txn: str, reason: str, rolled_back: Sequence[str] = ()
    ) -> None:
        """Point ``current`` at ``name``: the single atomic step that changes the model.

        The pointer records the card hash (what ``current_dir`` verifies against) and the transaction id of
        the pending log entry, so a kill right after this step is resolved as committed. ``rolled_back``
        lists versions a person rolled back from; ``retrain`` will not re-promote a model trained on the
        same data as one of them (without ``--force``), so a nightly job cannot silently undo a rollback.
        """
        card, _, _ = verify_model_dir(self.versions_dir / name)
        actual = file_sha256(self.versions_dir / name / CARD_FILE)
        if actual != card_sha256:
            raise ModelIntegrityError(f"registry {self.root}: not making {name} current: its card changed")
        pointer = {
            "version": name,
            "card_sha256": card_sha256,
            "sha256": card.get("sha256"),
            "txn": txn,
            "since": _now(),
            "reason": reason,
            "rolled_back": list(dict.fromkeys(rolled_back)),
        }
        atomic_write_text(self.pointer_path, json.dumps(pointer, indent=2, sort_keys=True) + "\n")
        fsync_dir(self.root)

    def _switch_logged(
        self,
        name: str,
        card_sha256: str,
        entry: dict[str, Any],
        *,
        reason: str,
        rolled_back: Sequence[str] = (),
    ) -> None:
        """Log ``entry`` as pending, switch the pointer, log the commit (see the module docstring)."""
        txn = uuid.uuid4().hex
        self.append_log(
            {**entry, "version": name, "card_sha256": card_sha256, "txn": txn, "state": "pending"}
        )
        self.switch_current(name, card_sha256=card_sha256, txn=txn, reason=reason, rolled_back=rolled_back)
        self._log_commit(txn, name)

    def _log_commit(self, txn: str, name: str, *, recovered: bool = False) -> None:
        entry: dict[str, Any] = {"event": "commit", "txn": txn, "to": name}
        if recovered:
            entry["recovered"] = True
        self.append_log(entry)

    def pending(self, log: Sequence[dict[str, Any]] | None = None) -> list[dict[str, Any]]:
        """Pending entries with neither a commit nor an abort: left by a run killed mid-switch."""
        rows = self.read_log() if log is None else log
        done = {r.get("txn") for r in rows if r.get("event") in ("commit", "abort")}
        return [r for r in rows if r.get("state") == "pending" and r.get("txn") not in done]

    def recover_log(self) -> list[str]:
        """Resolve pending entries from the pointer (call with the lock held); returns what was done."""
        try:
            txn = json.loads(self.pointer_path.read_text(encoding="utf-8")).get("txn")
        except (OSError, ValueError, AttributeError):
            txn = None
        done = []
        for r in self.pending():
            name = str(r.get("version"))
            if txn is not None and r.get("txn") == txn:
                self._log_commit(str(txn), name, recovered=True)
                done.append(f"logged the interrupted switch to {name} as committed")
            else:
                self.append_log({"event": "abort", "txn": r.get("txn"), "to": name, "recovered": True})
                done.append(f"logged the interrupted switch to {name} as aborted (current was not changed)")
        return done

    def rollback(self, version: str | None = None) -> tuple[str | None, str]:
        """Make ``version`` (default: the version the current one replaced) current; returns (from, to).

        ``from`` is ``None`` when the old pointer was refused (e.g. a bare name without a hash): an
        explicit ``version`` that passes verification is how such a registry is repaired.
        """
        with self.locked("rollback"):
            self.recover_log()
            try:
                pointer = self.pointer()
            except ModelIntegrityError:
                if version is None:
                    raise
                pointer = {}  # an explicit target, verified below, replaces an unverifiable pointer
            current = pointer.get("version")
            if version is None:
                if not current:
                    raise EmptyRegistryError(
                        f"registry {self.root} has no current model: nothing to roll back"
                    )
                target = self.info(current).parent
                if not target:
                    raise RegistryError(
                        f"{current} is the first model of registry {self.root}: there is no "
                        "previous version to roll back to"
                    )
                if target not in self.version_names():
                    raise RegistryError(f"{current} replaced {target}, which is no longer in the registry")
            else:
                target = self.resolve(version)
            if target == current:
                raise RegistryError(f"{target} is already the current model")
            info = self.info(target, pointer=pointer)
            if not info.ok:
                raise ModelIntegrityError(f"cannot roll back to {target}: {info.problem}")
            rolled = [v for v in [*pointer.get("rolled_back", []), current] if v and v != target]
            self._switch_logged(
                target,
                info.card_sha256,
                {"event": "rollback", "from": current, "to": target, "decision": "rolled back"},
                reason=f"rollback from {current}",
                rolled_back=rolled,
            )
            return current, target
