"""Reading a model registry: which version is current, and is it the one that was promoted.

This is the read-only half of the registry (the pipeline side): :func:`filter.api.load_model` with
``registry=...`` resolves the verified folder of the current model here and loads it like any model folder.
Writing (retrain, promotion, rollback, the lock and the write-ahead log) is the training wing's
:mod:`filter.training.registry`, whose :class:`~filter.training.registry.Registry` extends
:class:`RegistryView`; the layout and the reasons for it are described there.

Reading takes no lock: the ``current`` pointer is replaced by an atomic rename, so a reader sees either the
old or the new one. A version is loaded only when its files match its card and its card matches the
registry's own records of it (the promotion log and, for the current version, the pointer).
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .store import CARD_FILE, ModelIntegrityError, file_sha256, read_card, verify_model_dir

__all__ = [
    "RegistryView",
    "RegistryError",
    "EmptyRegistryError",
    "VersionInfo",
    "default_registry",
    "POINTER_FILE",
    "LOG_FILE",
    "VERSIONS_DIR",
]

POINTER_FILE = "current"
LOG_FILE = "log.jsonl"
VERSIONS_DIR = "versions"


class RegistryError(RuntimeError):
    """A registry operation cannot be done as asked (unknown version, nothing to roll back to, ...)."""


class EmptyRegistryError(RegistryError, FileNotFoundError):
    """The registry has no current model yet (or does not exist): there is nothing to load.

    Also a ``FileNotFoundError`` so that callers treating "no model there" generically (the CLI) report it
    as a missing file rather than a crash.
    """


def default_registry() -> Path:
    """``$ARTICLE_FILTER_REGISTRY`` or ``./registry``: where the ``models`` commands look by default."""
    return Path(os.environ.get("ARTICLE_FILTER_REGISTRY") or "registry")


def _is_version_name(value: Any) -> bool:
    return isinstance(value, str) and value.startswith("v") and value[1:].isdigit()


def _is_sha256(value: Any) -> bool:
    return isinstance(value, str) and len(value) == 64 and all(c in "0123456789abcdef" for c in value)


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


class RegistryView:
    """A registry folder, read only: the ``current`` pointer, the versions and their integrity.

    Reading (``current_dir``, ``versions``, ``info``) takes no lock: the pointer is replaced by rename, so a
    reader sees either the old or the new one.
    """

    def __init__(self, path: str | Path) -> None:
        self.root = Path(path)
        self.versions_dir = self.root / VERSIONS_DIR
        self.pointer_path = self.root / POINTER_FILE
        self.log_path = self.root / LOG_FILE

    def __repr__(self) -> str:
        return f"{type(self).__name__}({str(self.root)!r})"

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
