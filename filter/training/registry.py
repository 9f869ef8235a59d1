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
* A candidate replaces the current model only when it is not worse on the *same* held-out documents (split
  by site/article hash, see :func:`filter.training.held_out_split`); see :func:`compare` for the rule.
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from ..store import (
    CARD_FILE,
    ModelIntegrityError,
    atomic_write_text,
    default_model_dir,
    file_sha256,
    fsync_dir,
    read_card,
    save_model_dir,
    verify_model_dir,
)
from .data import DataError, Document, iter_data_files, read_documents

__all__ = [
    "Registry",
    "RegistryError",
    "EmptyRegistryError",
    "RegistryLockedError",
    "TrainingDataError",
    "VersionInfo",
    "Comparison",
    "RetrainResult",
    "compare",
    "retrain",
    "validate_data",
    "default_registry",
    "CORE_RECALL_EPSILON",
    "DEFAULT_F1_TOLERANCE",
    "EXIT_OK",
    "EXIT_REJECTED",
    "EXIT_REFUSED",
    "EXIT_LOCKED",
]

#: Exit codes of ``article-filter retrain`` (shared with the rest of the CLI: 2 is a usage error).
EXIT_OK = 0
EXIT_REJECTED = 3
EXIT_REFUSED = 4
EXIT_LOCKED = 5

#: Core recall may drop by at most this much. Retraining is deterministic (fixed seeds), so this only
#: absorbs the 4-decimal rounding of the metrics and BLAS/thread summation-order jitter between machines;
#: it is below one core paragraph in 500, i.e. smaller than any real change on the held-out split.
CORE_RECALL_EPSILON = 0.002

#: Macro F1 may drop by at most this much (``--tolerance``). Chosen, not fitted: macro F1 averages four
#: labels, and the rarest (filler) has only ~100-200 held-out paragraphs, so a handful of flipped filler
#: paragraphs moves macro F1 by ~0.01. A stricter bound would reject candidates that add data (e.g. feedback)
#: for noise in one small class; a looser one would let a genuinely worse model through. Core recall, the
#: metric the product promises, gets no such slack (see ``CORE_RECALL_EPSILON``).
DEFAULT_F1_TOLERANCE = 0.01

POINTER_FILE = "current"
LOG_FILE = "log.jsonl"
LOCK_FILE = ".lock"
VERSIONS_DIR = "versions"
_TMP_PREFIX = ".tmp-"


class RegistryError(RuntimeError):
    """A registry operation cannot be done as asked (unknown version, nothing to roll back to, ...)."""


class EmptyRegistryError(RegistryError, FileNotFoundError):
    """The registry has no current model yet (or does not exist): there is nothing to load.

    Also a ``FileNotFoundError`` so that callers treating "no model there" generically (the CLI) report it
    as a missing file rather than a crash.
    """


class RegistryLockedError(RegistryError):
    """Another retrain or rollback holds the registry lock."""


class TrainingDataError(DataError):
    """One or more data files are bad; lists every file's first problem as ``file:line: message``.

    Each file is validated separately so that a nightly run reports all broken files at once instead of
    one per night.
    """

    def __init__(self, errors: Sequence[DataError]) -> None:
        first = errors[0]
        super().__init__(first.path, first.line, first.message)
        self.errors = list(errors)

    def __str__(self) -> str:
        return "; ".join(f"{e.path}:{e.line}: {e.message}" for e in self.errors)


def default_registry() -> Path:
    """``$ARTICLE_FILTER_REGISTRY`` or ``./registry``: where the ``models`` commands look by default."""
    return Path(os.environ.get("ARTICLE_FILTER_REGISTRY") or "registry")


def _is_version_name(value: Any) -> bool:
    return isinstance(value, str) and value.startswith("v") and value[1:].isdigit()


def _is_sha256(value: Any) -> bool:
    return isinstance(value, str) and len(value) == 64 and all(c in "0123456789abcdef" for c in value)


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


@dataclass
class VersionInfo:
    """One version folder as found on disk, with the outcome of its integrity check."""

    name: str
    path: Path
    card: dict[str, Any] = field(default_factory=dict)
    problem: str = ""
    is_current: bool = False
    #: SHA-256 of the version's card.json ("" when it could not be read).
    card_sha256: str = ""

    @property
    def ok(self) -> bool:
        return not self.problem

    @property
    def status(self) -> str:
        """``ok``, or the problem, which starts with TAMPERED, unverified or invalid."""
        return "ok" if self.ok else self.problem

    @property
    def metrics(self) -> dict[str, Any]:
        m = self.card.get("metrics", {})
        return m if isinstance(m, dict) else {}

    @property
    def parent(self) -> str | None:
        reg = self.card.get("registry", {})
        parent = reg.get("parent") if isinstance(reg, dict) else None
        return str(parent) if parent else None


class Registry:
    """A folder of immutable model versions plus an atomically switched ``current`` pointer.

    Reading (``current_dir``, ``versions``, ``info``) takes no lock: the pointer is replaced by rename, so a
    reader sees either the old or the new one. Writing (retrain, rollback) holds ``.lock``.
    """

    def __init__(self, path: str | Path) -> None:
        self.root = Path(path)
        self.versions_dir = self.root / VERSIONS_DIR
        self.pointer_path = self.root / POINTER_FILE
        self.log_path = self.root / LOG_FILE
        self.lock_path = self.root / LOCK_FILE

    def __repr__(self) -> str:
        return f"Registry({str(self.root)!r})"

    # ------------------------------------------------------------------------------------------- reading
    def pointer(self) -> dict[str, Any]:
        """The parsed ``current`` file, ``{}`` if there is none.

        It must be a JSON object naming a version and the SHA-256 of that version's card: the hash is what
        ties "current" to one exact card, so a bare version name (accepted by older releases) is refused.
        """
        try:
            raw = self.pointer_path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return {}
        except (OSError, UnicodeDecodeError) as exc:
            raise ModelIntegrityError(f"unreadable registry pointer {self.pointer_path}: {exc}") from None
        try:
            data = json.loads(raw)
        except (json.JSONDecodeError, RecursionError):
            data = raw.strip()
        if isinstance(data, str):
            raise ModelIntegrityError(
                f"registry pointer {self.pointer_path} is a bare name {raw.strip()[:40]!r} without the hash of "
                "the version's card, so it cannot be verified; refusing it. Re-point it with "
                f"'article-filter models rollback VERSION --registry {self.root}'"
            )
        if not isinstance(data, dict) or not _is_version_name(data.get("version")):
            raise ModelIntegrityError(f"unreadable registry pointer {self.pointer_path}: {raw[:80]!r}")
        rolled = data.get("rolled_back", [])
        if not (isinstance(rolled, list) and all(_is_version_name(v) for v in rolled)):
            raise ModelIntegrityError(
                f"registry pointer {self.pointer_path}: rolled_back is not a list of versions"
            )
        if not _is_sha256(data.get("card_sha256")):
            raise ModelIntegrityError(
                f"registry pointer {self.pointer_path} carries no card hash (card_sha256), so "
                f"{data['version']} cannot be verified; refusing it. Re-point it with "
                f"'article-filter models rollback VERSION --registry {self.root}'"
            )
        return data

    def _pointer_or_none(self) -> dict[str, Any] | None:
        """The pointer for display purposes: ``None`` when it is refused (the caller reports that)."""
        try:
            return self.pointer()
        except ModelIntegrityError:
            return None

    def current_version(self) -> str | None:
        version = self.pointer().get("version")
        return str(version) if version else None

    def version_names(self) -> list[str]:
        """Complete version folders, oldest first (temporary folders of unfinished runs are not versions)."""
        if not self.versions_dir.is_dir():
            return []
        names = [
            p.name
            for p in self.versions_dir.iterdir()
            if p.is_dir() and p.name.startswith("v") and p.name[1:].isdigit()
        ]
        return sorted(names, key=lambda n: int(n[1:]))

    def resolve(self, version: str) -> str:
        """``"v0003"``, ``"3"`` or ``"0003"`` -> ``"v0003"``, if that version exists."""
        v = version.strip()
        digits = v[1:] if v[:1] in ("v", "V") else v
        if not digits.isdigit():
            raise RegistryError(f"not a version name: {version!r} (expected e.g. v0003 or 3)")
        name = f"v{int(digits):04d}"
        if name not in self.version_names():
            known = ", ".join(self.version_names()) or "none"
            raise RegistryError(f"no version {name} in registry {self.root} (versions: {known})")
        return name

    def recorded_card_hashes(self, log: Sequence[dict[str, Any]] | None = None) -> dict[str, str]:
        """Card hash of each version as the promotion log recorded it when the version was promoted.

        The first record of a version wins (later ones, e.g. rollbacks to it, repeat it); records of
        aborted transactions are ignored, since their version name may be reused by the next candidate.
        """
        rows = self.read_log() if log is None else log
        aborted = {r.get("txn") for r in rows if r.get("event") == "abort"}
        out: dict[str, str] = {}
        for r in rows:
            v, h = r.get("version"), r.get("card_sha256")
            if isinstance(v, str) and _is_sha256(h) and r.get("txn") not in aborted:
                out.setdefault(v, str(h))
        return out

    def info(
        self, name: str, *, recorded: dict[str, str] | None = None, pointer: dict[str, Any] | None = None
    ) -> VersionInfo:
        """A version's card and integrity: files against the card, the card against the registry's records
        (log and, for the current version, pointer). Reads npz headers only; loads no weights."""
        path = self.versions_dir / name
        pointer = self._pointer_or_none() if pointer is None else pointer
        info = VersionInfo(name=name, path=path, is_current=(pointer or {}).get("version") == name)
        try:
            info.card, _, _ = verify_model_dir(path)
        except ModelIntegrityError as exc:
            try:
                info.card = read_card(path)  # for display only; it will not be loaded
            except ModelIntegrityError:
                pass
            text = str(exc)
            info.problem = text if text.startswith("TAMPERED") else f"invalid: {text}"
            return info
        info.card_sha256 = file_sha256(path / CARD_FILE)
        recorded = self.recorded_card_hashes() if recorded is None else recorded
        logged = recorded.get(name)
        pointed = (pointer or {}).get("card_sha256") if info.is_current else None
        for what, expected in (("the promotion log", logged), ("the current pointer", pointed)):
            if expected is not None and expected != info.card_sha256:
                info.problem = (
                    f"TAMPERED: card.json of {name} has sha256 {info.card_sha256[:12]}..., {what} recorded "
                    f"{str(expected)[:12]}... (its card, and maybe its model, was replaced); it will not be loaded"
                )
                return info
        if logged is None and pointed is None:
            info.problem = (
                f"unverified: {self.log_path.name} records no card hash for {name} (never promoted, or the "
                "log was lost), so a replaced card could not be told apart; it will not be rolled back to"
            )
        return info

    def versions(self) -> list[VersionInfo]:
        recorded = self.recorded_card_hashes()
        pointer = self._pointer_or_none() or {}
        return [self.info(n, recorded=recorded, pointer=pointer) for n in self.version_names()]

    def current_dir(self) -> Path:
        """The verified folder of the current model; raises if there is none or it fails verification."""
        if not self.root.is_dir():
            raise EmptyRegistryError(
                f"no model registry at {self.root}: create one with "
                f"'article-filter retrain --data PATH --registry {self.root}'"
            )
        pointer = self.pointer()
        name = pointer.get("version")
        if not name:
            raise EmptyRegistryError(
                f"registry {self.root} has no current model yet: run "
                f"'article-filter retrain --data PATH --registry {self.root}'"
            )
        if name not in self.version_names():
            raise ModelIntegrityError(f"registry {self.root}: current points at {name}, which does not exist")
        info = self.info(name, pointer=pointer)
        if not info.ok:
            raise ModelIntegrityError(f"registry {self.root}, current model {name}: {info.problem}")
        return info.path

    def read_log(self) -> list[dict[str, Any]]:
        """Log entries, oldest first; a torn last line (a run killed mid-write) is skipped."""
        if not self.log_path.exists():
            return []
        out = []
        for line in self.log_path.read_text(encoding="utf-8", errors="replace").splitlines():
            try:
                row = json.loads(line)
            except json.JSONDecodeError:
                continue
            if isinstance(row, dict):
                out.append(row)
        return out

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


# ------------------------------------------------------------------------------------------ promotion rule
@dataclass
class Comparison:
    """Whether a candidate may replace the current model, and why (one reason per checked metric)."""

    promote: bool
    reasons: list[str]


def compare(
    candidate: dict[str, Any],
    current: dict[str, Any] | None,
    *,
    tolerance: float = DEFAULT_F1_TOLERANCE,
    epsilon: float = CORE_RECALL_EPSILON,
) -> Comparison:
    """The promotion rule: a candidate is promoted only if it is not worse than the current model.

    * core recall (reporting paragraphs kept) may not drop by more than ``epsilon`` (float noise only):
      losing reporting is the failure users notice, so no trade-off is allowed there;
    * macro F1 may not drop by more than ``tolerance``.

    Both metric sets must come from the same held-out documents. With no current model the candidate is
    promoted: an empty registry serves nothing, and any verified model beats none.
    """
    if current is None:
        return Comparison(True, ["no current model: the first candidate is promoted"])
    reasons = []
    ok = True
    c_rec, p_rec = float(candidate["core_recall"]), float(current["core_recall"])
    if c_rec < p_rec - epsilon:
        ok = False
        reasons.append(f"core recall dropped {p_rec:.4f} -> {c_rec:.4f} (allowed: -{epsilon})")
    else:
        reasons.append(f"core recall {p_rec:.4f} -> {c_rec:.4f} ok (allowed: -{epsilon})")
    c_f1, p_f1 = float(candidate["macro_f1"]), float(current["macro_f1"])
    if c_f1 < p_f1 - tolerance:
        ok = False
        reasons.append(f"macro F1 dropped {p_f1:.4f} -> {c_f1:.4f} (allowed: -{tolerance})")
    else:
        reasons.append(f"macro F1 {p_f1:.4f} -> {c_f1:.4f} ok (allowed: -{tolerance})")
    return Comparison(ok, reasons)


# ---------------------------------------------------------------------------------------------- retrain
@dataclass
class RetrainResult:
    """What a retrain did: ``decision`` is promoted, rejected, unchanged or refused."""

    decision: str
    exit_code: int
    message: str
    version: str | None = None
    current_version: str | None = None
    candidate_metrics: dict[str, Any] | None = None
    current_metrics: dict[str, Any] | None = None
    reference_metrics: dict[str, Any] | None = None
    reasons: list[str] = field(default_factory=list)
    eval_size: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0

    def report(self) -> str:
        """Human-readable summary: the decision, then both metric sets side by side."""
        lines = [self.message]
        if self.candidate_metrics is not None:
            cur = self.current_metrics or self.reference_metrics
            cur_name = (
                f"current {self.current_version}"
                if self.current_metrics is not None
                else "shipped default"
                if self.reference_metrics is not None
                else "current (none)"
            )
            lines.append(f"  {'':<22}{'candidate':>12}{cur_name:>22}")
            rows = [
                ("core recall", "core_recall"),
                ("core precision", "core_precision"),
                ("macro F1", "macro_f1"),
                ("accuracy", "accuracy"),
            ]
            for title, key in rows:
                other = f"{cur[key]:.4f}" if cur and key in cur else "-"
                lines.append(f"  {title:<22}{self.candidate_metrics.get(key, 0):>12.4f}{other:>22}")
            for lab, v in self.candidate_metrics.get("per_label", {}).items():
                other_v = (cur or {}).get("per_label", {}).get(lab)
                other = f"{other_v['f1']:.4f}" if other_v else "-"
                lines.append(f"  {'F1 ' + lab:<22}{v['f1']:>12.4f}{other:>22}")
            if self.eval_size:
                lines.append(
                    f"  held-out split (same for both): {self.eval_size.get('documents')} docs, "
                    f"{self.eval_size.get('paragraphs')} paragraphs"
                )
        lines += [f"  {r}" for r in self.reasons]
        return "\n".join(lines)

    def log_entry(self) -> dict[str, Any]:
        def slim(m: dict[str, Any] | None) -> dict[str, Any] | None:
            if m is None:
                return None
            keep = (
                "n_documents",
                "n_paragraphs",
                "accuracy",
                "macro_f1",
                "core_recall",
                "core_precision",
                "min_core_probability",
            )
            out = {k: m[k] for k in keep if k in m}
            out["f1"] = {lab: v["f1"] for lab, v in m.get("per_label", {}).items()}
            return out

        return {
            "event": "retrain",
            "decision": self.decision,
            "exit_code": self.exit_code,
            "message": self.message,
            "version": self.version,
            "current": self.current_version,
            "candidate": slim(self.candidate_metrics),
            "current_metrics": slim(self.current_metrics),
            "reference_metrics": slim(self.reference_metrics),
            "reasons": self.reasons,
            "seconds": round(self.seconds, 1),
        }


def validate_data(paths: Sequence[str | Path], converters: Sequence[str] | None = None) -> list[Document]:
    """Read and check every data file before any training; raise :class:`TrainingDataError` listing all bad
    files (first problem of each, as ``file:line``). Returns the documents in the order training uses."""
    from . import importers
    from .train import load_documents

    docs: list[Document] = []
    errors: list[DataError] = []
    for path in paths:
        p = Path(path)
        if importers.is_corpus(p):
            try:
                docs.extend(load_documents([p], converters))
            except DataError as exc:
                errors.append(exc)
            continue
        for f in iter_data_files(p):
            try:
                docs.extend(read_documents(f))
            except DataError as exc:
                errors.append(exc)
    if errors:
        raise TrainingDataError(errors)
    if not docs:
        raise TrainingDataError(
            [DataError(", ".join(map(str, paths)) or "(no paths)", 0, "no training documents found")]
        )
    return docs


def _log(progress: Callable[[str], None] | None, text: str) -> None:
    if progress is not None:
        progress(text)


def retrain(
    registry: str | Path,
    data_paths: Sequence[str | Path],
    *,
    force: bool = False,
    tolerance: float = DEFAULT_F1_TOLERANCE,
    seed: int = 0,
    converters: Sequence[str] | None = None,
    feedback_in_eval: bool = False,
    progress: Callable[[str], None] | None = None,
) -> RetrainResult:
    """Train a candidate on ``data_paths`` and promote it into ``registry`` if it is not worse.

    Order matters for safety: lock -> clean leftovers -> skip if the data is unchanged -> validate all data
    (before any training) -> train -> score candidate and current on the same held-out documents -> write
    the candidate as a new version -> switch ``current`` -> log. Raises :class:`RegistryLockedError`,
    :class:`TrainingDataError` and :class:`~filter.store.ModelIntegrityError` (after logging them).
    """
    from ..api import load_model
    from ..model import ModelParams
    from .train import card_markdown, data_fingerprint, evaluate, held_out_split, train_model

    reg = Registry(registry)
    t0 = time.perf_counter()
    with reg.locked("retrain"):
        removed = reg.clean_stale()
        if removed:
            _log(progress, f"removed leftovers of an interrupted run: {', '.join(removed)}")
        for note in reg.recover_log():
            _log(progress, note)
        try:
            pointer = reg.pointer()
            cur_name = pointer.get("version")
            cur_dir = reg.current_dir() if cur_name else None
        except ModelIntegrityError as exc:
            reg.append_log(
                {"event": "retrain", "decision": "refused", "exit_code": EXIT_REFUSED, "message": str(exc)}
            )
            raise
        cur_card = read_card(cur_dir) if cur_dir else None
        data_hash = data_fingerprint(data_paths)

        if not force:
            same: str | None = None
            if cur_card is not None and cur_card.get("data_hash") == data_hash:
                same = f"the training data is unchanged since {cur_name} (data hash {data_hash[:12]})"
            for v in pointer.get("rolled_back", []):
                if v in reg.version_names() and reg.info(v).card.get("data_hash") == data_hash:
                    same = (
                        f"{v} was trained on exactly this data and was rolled back (data hash "
                        f"{data_hash[:12]})"
                    )
            if same:
                result = RetrainResult(
                    "unchanged",
                    EXIT_OK,
                    f"retrain: nothing to do: {same}; current model "
                    f"stays {cur_name} (use --force to retrain anyway)",
                    current_version=cur_name,
                    seconds=time.perf_counter() - t0,
                )
                reg.append_log({**result.log_entry(), "data_hash": data_hash})
                return result

        _log(progress, f"validating training data: {', '.join(map(str, data_paths))}")
        try:
            docs = validate_data(data_paths, converters)
        except DataError as exc:
            reg.append_log(
                {
                    "event": "retrain",
                    "decision": "refused",
                    "exit_code": EXIT_REFUSED,
                    "message": f"bad training data: {exc}",
                    "data_hash": data_hash,
                }
            )
            raise
        _, eval_docs = held_out_split(docs, feedback_in_eval=feedback_in_eval)
        _log(progress, f"training candidate on {len(docs)} documents (seed {seed})")
        try:
            model, card, config = train_model(
                data_paths, params=ModelParams(seed=seed), docs=docs, feedback_in_eval=feedback_in_eval
            )
        except Exception as exc:  # logged for the nightly record, then reported by the caller as usual
            reg.append_log(
                {
                    "event": "retrain",
                    "decision": "failed",
                    "message": f"training failed: {exc!r}",
                    "data_hash": data_hash,
                }
            )
            raise
        card["data_hash"] = data_hash
        cand_metrics = evaluate(model, eval_docs, config)

        cur_metrics: dict[str, Any] | None = None
        ref_metrics: dict[str, Any] | None = None
        if cur_dir is not None:
            _log(progress, f"scoring current model {cur_name} on the same held-out documents")
            cur = load_model(cur_dir)
            cur_metrics = evaluate(cur.model, eval_docs, cur.config)
        else:
            ref_metrics = _reference_metrics(eval_docs)
        cmp = compare(cand_metrics, cur_metrics, tolerance=tolerance)
        eval_size = {"documents": len(eval_docs), "paragraphs": sum(len(d.paragraphs) for d in eval_docs)}
        if ref_metrics is not None:
            cmp.reasons.append("shipped default model scored on the same split for information only")

        if cmp.promote:
            name = reg.next_version_name()
            card["registry"] = {
                "version": name,
                "parent": cur_name,
                "tolerance": tolerance,
                "core_recall_epsilon": CORE_RECALL_EPSILON,
                "reasons": cmp.reasons,
                "current_metrics": cur_metrics
                and {k: cur_metrics.get(k) for k in ("core_recall", "macro_f1")},
                "seed": seed,
            }
            result = RetrainResult(
                "promoted",
                EXIT_OK,
                f"retrain: PROMOTED {name}" + (f" (replaces {cur_name})" if cur_name else " (first model)"),
                version=name,
            )
        else:
            name = None
            result = RetrainResult(
                "rejected", EXIT_REJECTED, f"retrain: REJECTED candidate; current model stays {cur_name}"
            )
        result.current_version = cur_name
        result.candidate_metrics = cand_metrics
        result.current_metrics = cur_metrics
        result.reference_metrics = ref_metrics
        result.reasons = cmp.reasons
        result.eval_size = eval_size
        entry = {
            **result.log_entry(),
            "data_hash": data_hash,
            "data_paths": [str(p) for p in data_paths],
            "tolerance": tolerance,
            "core_recall_epsilon": CORE_RECALL_EPSILON,
            "eval": eval_size,
            "force": force,
        }
        if name is None:
            result.seconds = time.perf_counter() - t0
            reg.append_log({**entry, "seconds": round(result.seconds, 1)})
            return result
        final = reg.publish_version(reg.stage_version(model, card, card_markdown, name), name)
        result.seconds = time.perf_counter() - t0
        reg._switch_logged(
            name,
            file_sha256(final / CARD_FILE),
            {**entry, "seconds": round(result.seconds, 1)},
            reason=f"promoted by retrain over {cur_name or 'nothing'}",
        )
        return result


def _reference_metrics(eval_docs: Sequence[Document]) -> dict[str, Any] | None:
    """The shipped default model's metrics on the split, for information when the registry is empty.

    It is not used to block the first candidate: it was trained on other data (possibly overlapping this
    held-out split), and refusing to fill an empty registry would leave ``--registry`` users with nothing.
    """
    if not (default_model_dir() / CARD_FILE).exists():
        return None
    try:
        from ..api import load_model
        from .train import evaluate

        ref = load_model(default_model_dir())
        return evaluate(ref.model, eval_docs, ref.config)
    except Exception:  # noqa: BLE001 - informational only; a broken default must not stop a retrain
        return None
