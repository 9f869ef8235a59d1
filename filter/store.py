"""Model files on disk: a model directory holds ``model.joblib``, ``card.json`` and ``card.md``.

joblib files are pickles and can run code when loaded, so a model file is only ever unpickled after its
SHA-256 matches the hash recorded in the card beside it: a swapped or corrupted file is refused before any
of its bytes are interpreted.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Callable
from importlib import resources
from pathlib import Path
from typing import Any

import joblib

__all__ = [
    "ModelIntegrityError",
    "MODEL_FILE",
    "CARD_FILE",
    "CARD_MD_FILE",
    "default_model_dir",
    "file_sha256",
    "save_model_dir",
    "load_verified",
    "read_card",
    "atomic_write_bytes",
    "atomic_write_text",
]

MODEL_FILE = "model.joblib"
CARD_FILE = "card.json"
CARD_MD_FILE = "card.md"


class ModelIntegrityError(RuntimeError):
    """The model file is missing, has no card, or does not match the hash in its card."""


def default_model_dir() -> Path:
    """Where the shipped model lives: inside the installed package, or ``models/`` in a source checkout."""
    try:
        pkg = resources.files("filter.models")
        candidate = Path(str(pkg))
        if (candidate / MODEL_FILE).exists():
            return candidate
    except (ModuleNotFoundError, TypeError):
        pass
    return Path(__file__).resolve().parent.parent / "models"


def file_sha256(path: str | Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def atomic_write_bytes(path: str | Path, data: bytes) -> None:
    """Write to a temporary file in the same folder, fsync, then rename: readers never see half a file."""
    p = Path(path)
    p.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{p.name}.", suffix=".tmp", dir=p.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, p)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise


def atomic_write_text(path: str | Path, text: str) -> None:
    atomic_write_bytes(path, text.encode("utf-8"))


def read_card(model_dir: str | Path) -> dict[str, Any]:
    card_path = Path(model_dir) / CARD_FILE
    if not card_path.exists():
        raise ModelIntegrityError(f"no model card at {card_path}: refusing to load an unverified model file")
    try:
        card: dict[str, Any] = json.loads(card_path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise ModelIntegrityError(f"unreadable model card {card_path}: {exc}") from None
    return card


def load_verified(model_dir: str | Path) -> tuple[Any, dict[str, Any]]:
    """Unpickle ``model.joblib`` only if its SHA-256 matches ``card.json``; returns (model, card)."""
    d = Path(model_dir)
    if d.is_file():
        d = d.parent
    model_path = d / MODEL_FILE
    if not model_path.exists():
        raise ModelIntegrityError(f"no model file at {model_path}")
    card = read_card(d)
    expected = card.get("sha256")
    actual = file_sha256(model_path)
    if not expected or actual != expected:
        raise ModelIntegrityError(
            f"model file {model_path} does not match its card (sha256 {actual[:12]}..., card says "
            f"{str(expected)[:12]}...): refusing to load it; it may have been swapped or corrupted"
        )
    return joblib.load(model_path), card


def save_model_dir(
    model: Any,
    model_dir: str | Path,
    card: dict[str, Any],
    card_md: Callable[[dict[str, Any]], str] | None = None,
) -> str:
    """Write model + card atomically (model first, card last, so a card never points at a missing file).

    ``card_md`` renders ``card.md`` from the final card (with the model's hash and size), so the Markdown
    and the JSON cannot disagree.
    """
    d = Path(model_dir)
    d.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".model.", suffix=".tmp", dir=d)
    os.close(fd)
    try:
        joblib.dump(model, tmp, compress=3)
        digest = file_sha256(tmp)
        os.chmod(tmp, 0o644)
        os.replace(tmp, d / MODEL_FILE)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
    full = dict(card)
    full["sha256"] = digest
    full["model_file"] = MODEL_FILE
    full["model_bytes"] = (d / MODEL_FILE).stat().st_size
    atomic_write_text(d / CARD_FILE, json.dumps(full, indent=2, sort_keys=True, default=str) + "\n")
    if card_md is not None:
        atomic_write_text(d / CARD_MD_FILE, card_md(full))
    return digest
