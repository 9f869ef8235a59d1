"""Model files on disk, in a format that cannot run code. A model directory holds::

    weights.npz   numpy arrays only, uncompressed; read with np.load(..., allow_pickle=False)
    model.json    model type, format version, parameters, feature names, array manifest, library versions
    card.json     training data, metrics, and the SHA-256 of each file above
    card.md       the card for people

Why: the old format was a joblib pickle, and unpickling runs whatever the file says. A hash in the card
only proves the file is the one the card names, so a hostile directory with a matching card ran code.
Arrays and JSON are data: the worst a hostile directory can do now is be refused.

Loading, in this order (each step refuses with :class:`ModelIntegrityError` and says why):

1. the card is a JSON object of the documented shape (typed metrics, file hashes);
2. every model file's SHA-256 equals the card's (a swapped or corrupted file is refused before parsing);
3. ``model.json`` names a known model type (:data:`filter.model.MODEL_TYPES`) and its format version, and
   agrees with the card's copy of both and of the feature names;
4. the npz members are read *headers first*: every member stored uncompressed (no zip bombs), dtype in
   :data:`filter.persist.ALLOWED_DTYPES` (no object arrays), shape as ``model.json`` lists it and size
   exactly what the shape needs;
5. the arrays are loaded and the model class checks them (:meth:`filter.persist.Persistent.from_arrays`:
   declared names, dtypes, consistent dimensions, feature names equal to the code's).

The old ``model.joblib`` format is refused. :func:`load_legacy_pickle` reads one only on explicit request,
for a file the caller trusts (``article-filter models convert``), with a loud warning.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import platform
import tempfile
import warnings
import zipfile
from collections.abc import Callable
from importlib import resources
from pathlib import Path
from typing import Any, TypeGuard

import numpy as np

from .files import atomic_write_bytes, atomic_write_text, file_sha256, fsync_dir
from .model import MODEL_TYPES, ParagraphModel
from .persist import ALLOWED_DTYPES, ModelIntegrityError

__all__ = [
    "ModelIntegrityError",
    "PickleWarning",
    "WEIGHTS_FILE",
    "META_FILE",
    "CARD_FILE",
    "CARD_MD_FILE",
    "LEGACY_MODEL_FILE",
    "MODEL_FILES",
    "FORMAT_NAME",
    "default_model_dir",
    "file_sha256",
    "model_digest",
    "card_problems",
    "card_threshold",
    "save_model_dir",
    "load_verified",
    "verify_model_dir",
    "load_legacy_pickle",
    "convert_legacy_dir",
    "read_card",
    "atomic_write_bytes",
    "fsync_dir",
    "atomic_write_text",
]

WEIGHTS_FILE = "weights.npz"
META_FILE = "model.json"
CARD_FILE = "card.json"
CARD_MD_FILE = "card.md"
#: The refused pickle format of article-filter <= 0.1 (read only by :func:`load_legacy_pickle`).
LEGACY_MODEL_FILE = "model.joblib"
#: Files whose hashes the card records; together they are the model.
MODEL_FILES = (WEIGHTS_FILE, META_FILE)
#: ``model.json["format"]``: tells this file apart from any other JSON.
FORMAT_NAME = "article-filter-model"

_HEX = frozenset("0123456789abcdef")
#: Card metrics that code reads as numbers (``models list/show``, the keep threshold, the promotion rule).
_NUMERIC_METRICS = ("accuracy", "macro_f1", "core_recall", "core_precision", "min_core_probability")


class PickleWarning(UserWarning):
    """A pickled model file was loaded on explicit request: it could have run code."""


def default_model_dir() -> Path:
    """Where the shipped model lives: ``filter/models`` in an installed wheel, ``models/`` beside the
    ``filter`` package in a source checkout, else wherever the import system maps ``filter.models``.

    The two paths next to this file come first so that the model always belongs to the code that loads
    it: an editable install maps ``filter.models`` to the checkout it was installed from, which need not be
    the checkout (or worktree) whose ``filter`` is imported.
    """
    here = Path(__file__).resolve().parent
    for candidate in (here / "models", here.parent / "models"):
        if (candidate / CARD_FILE).exists():
            return candidate
    try:
        return Path(str(resources.files("filter.models")))
    except (ModuleNotFoundError, TypeError):
        return here.parent / "models"


def model_digest(file_hashes: dict[str, str]) -> str:
    """One hash for the model (all its files): ``card["sha256"]``, what batch manifests and reports show."""
    h = hashlib.sha256()
    for name in sorted(file_hashes):
        h.update(f"{name}\0{file_hashes[name]}\n".encode())
    return h.hexdigest()


# ----------------------------------------------------------------------------------------------- the card
def read_card(model_dir: str | Path) -> dict[str, Any]:
    """The parsed card; refuses a missing, unreadable or non-object card (shape is :func:`card_problems`)."""
    card_path = _dir(model_dir) / CARD_FILE
    if not card_path.exists():
        raise ModelIntegrityError(f"no model card at {card_path}: refusing to load an unverified model")
    try:
        card = json.loads(card_path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
        raise ModelIntegrityError(f"unreadable model card {card_path}: {exc}") from None
    if not isinstance(card, dict):
        raise ModelIntegrityError(f"model card {card_path} is a JSON {type(card).__name__}, not an object")
    return card


def _is_number(value: Any) -> TypeGuard[int | float]:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def card_problems(card: dict[str, Any]) -> list[str]:
    """Every way the card departs from the documented shape (empty list: fine). Checked before use, so a
    mistyped card is a clear message in loading and in ``models list/show``, never a traceback."""
    problems: list[str] = []
    files = card.get("files")
    if not isinstance(files, dict):
        problems.append("'files' (the SHA-256 of each model file) is missing or not an object")
    else:
        for name in MODEL_FILES:
            entry = files.get(name)
            sha = entry.get("sha256") if isinstance(entry, dict) else None
            if not (isinstance(sha, str) and len(sha) == 64 and set(sha) <= _HEX):
                problems.append(f"files.{name}.sha256 is missing or not a SHA-256 hex digest")
    model = card.get("model")
    if not isinstance(model, dict):
        problems.append("'model' (type, format version, feature names) is missing or not an object")
    else:
        if not isinstance(model.get("type"), str):
            problems.append("model.type is not a string")
        if not isinstance(model.get("format_version"), int) or isinstance(model.get("format_version"), bool):
            problems.append("model.format_version is not an integer")
        names = model.get("feature_names")
        if not (isinstance(names, list) and all(isinstance(n, str) for n in names)):
            problems.append("model.feature_names is not a list of strings")
    metrics = card.get("metrics", {})
    if not isinstance(metrics, dict):
        problems.append(f"'metrics' is a {type(metrics).__name__}, not an object")
    else:
        for key in _NUMERIC_METRICS:
            if key in metrics and not _is_number(metrics[key]):
                problems.append(f"metrics.{key} is {metrics[key]!r}, expected a finite number")
        t = metrics.get("min_core_probability")
        if _is_number(t) and not 0.0 < t < 1.0:
            problems.append(f"metrics.min_core_probability is {t}, expected 0 < p < 1")
        per = metrics.get("per_label", {})
        if not isinstance(per, dict) or not all(
            isinstance(v, dict)
            and all(_is_number(v.get(k)) for k in ("precision", "recall", "f1", "support"))
            for v in per.values()
        ):
            problems.append("metrics.per_label is not {label: {precision, recall, f1, support}} of numbers")
    labels = card.get("labels", [])
    if not (isinstance(labels, list) and all(isinstance(lab, str) for lab in labels)):
        problems.append("'labels' is not a list of strings")
    if not isinstance(card.get("sha256"), str):
        problems.append("'sha256' (the model digest) is missing or not a string")
    return problems


def card_threshold(card: dict[str, Any]) -> float | None:
    """The keep threshold the model was tuned with (``metrics.min_core_probability``), if valid."""
    metrics = card.get("metrics")
    t = metrics.get("min_core_probability") if isinstance(metrics, dict) else None
    return float(t) if _is_number(t) and 0.0 < t < 1.0 else None


# ------------------------------------------------------------------------------------------------ saving
def save_model_dir(
    model: ParagraphModel,
    model_dir: str | Path,
    card: dict[str, Any],
    card_md: Callable[[dict[str, Any]], str] | None = None,
) -> str:
    """Write weights, model.json and the card atomically (card last, so a card never names a missing or
    half-written file); returns the model digest (``card["sha256"]``).

    ``card_md`` renders ``card.md`` from the final card (with the hashes), so the two cannot disagree.
    """
    d = Path(model_dir)
    d.mkdir(parents=True, exist_ok=True)
    arrays, attrs = model.to_arrays()
    meta = {
        "format": FORMAT_NAME,
        "model_type": model.MODEL_TYPE,
        "format_version": model.FORMAT_VERSION,
        **attrs,
        "arrays": {k: {"dtype": v.dtype.name, "shape": list(v.shape)} for k, v in arrays.items()},
        "versions": {"python": platform.python_version(), "numpy": np.__version__},
    }
    fd, tmp = tempfile.mkstemp(prefix=".weights.", suffix=".tmp", dir=d)
    try:
        with os.fdopen(fd, "wb") as fh:
            savez: Any = np.savez  # typed as if every keyword were its allow_pickle flag
            savez(fh, **arrays)  # uncompressed (ZIP_STORED): loads fast, and no decompression bombs
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, d / WEIGHTS_FILE)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
    atomic_write_text(d / META_FILE, json.dumps(meta, indent=1, sort_keys=True) + "\n")
    files: dict[str, dict[str, Any]] = {
        name: {"sha256": file_sha256(d / name), "bytes": (d / name).stat().st_size} for name in MODEL_FILES
    }
    full = {k: v for k, v in card.items() if k != "model_file"}  # model_file: the old pickle format's
    full["files"] = files
    full["sha256"] = model_digest({name: f["sha256"] for name, f in files.items()})
    full["model_bytes"] = sum(f["bytes"] for f in files.values())
    full["model"] = {
        "type": model.MODEL_TYPE,
        "format_version": model.FORMAT_VERSION,
        "feature_names": list(model.feature_names),
    }
    atomic_write_text(d / CARD_FILE, json.dumps(full, indent=2, sort_keys=True, default=str) + "\n")
    if card_md is not None:
        atomic_write_text(d / CARD_MD_FILE, card_md(full))
    return str(full["sha256"])


# ----------------------------------------------------------------------------------------------- loading
def _dir(model_dir: str | Path) -> Path:
    d = Path(model_dir)
    return d.parent if d.is_file() else d


def _refuse_legacy(d: Path) -> None:
    if not (d / WEIGHTS_FILE).exists() and (d / LEGACY_MODEL_FILE).exists():
        raise ModelIntegrityError(
            f"{d} holds a pickled model ({LEGACY_MODEL_FILE}) from an older article-filter. Pickles can run "
            "code when they are loaded, so it is not loaded. If you trust where it came from, convert it "
            f"once with: article-filter models convert {d} NEW_DIR"
        )


def _refuse_missing(d: Path) -> None:
    for name in MODEL_FILES:
        if not (d / name).exists():
            raise ModelIntegrityError(
                f"no model at {d}: {name} is missing (a model directory holds {', '.join(MODEL_FILES)} "
                f"and {CARD_FILE})"
            )


def _read_meta(d: Path, card: dict[str, Any]) -> tuple[dict[str, Any], type[ParagraphModel]]:
    path = d / META_FILE
    try:
        meta = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
        raise ModelIntegrityError(f"unreadable {path}: {exc}") from None
    if not isinstance(meta, dict) or meta.get("format") != FORMAT_NAME:
        raise ModelIntegrityError(f"{path} is not an article-filter model description")
    mtype = meta.get("model_type")
    cls = MODEL_TYPES.get(mtype) if isinstance(mtype, str) else None
    if cls is None:
        raise ModelIntegrityError(
            f"{path}: unknown model type {mtype!r} (this article-filter reads: {', '.join(sorted(MODEL_TYPES))})"
        )
    if meta.get("format_version") != cls.FORMAT_VERSION:
        raise ModelIntegrityError(
            f"{path}: {mtype} format version {meta.get('format_version')!r}, but this article-filter reads "
            f"version {cls.FORMAT_VERSION}: retrain the model (or use the article-filter that wrote it)"
        )
    model = card["model"]
    names = (
        meta.get("attributes", {}).get("feature_names") if isinstance(meta.get("attributes"), dict) else None
    )
    if (model["type"], model["format_version"], model["feature_names"]) != (mtype, cls.FORMAT_VERSION, names):
        raise ModelIntegrityError(
            f"{d}: the card's model type/format/feature names disagree with {META_FILE}"
        )
    if not isinstance(meta.get("arrays"), dict):
        raise ModelIntegrityError(f"{path}: 'arrays' (the weights manifest) is missing")
    return meta, cls


def _npz_headers(path: Path) -> dict[str, tuple[str, tuple[int, ...]]]:
    """dtype and shape of every npz member from its header alone (no data read, nothing unpickled)."""
    out: dict[str, tuple[str, tuple[int, ...]]] = {}
    try:
        with zipfile.ZipFile(path) as zf:
            for info in zf.infolist():
                if not info.filename.endswith(".npy") or info.compress_type != zipfile.ZIP_STORED:
                    raise ModelIntegrityError(f"{path}: member {info.filename!r} is not an uncompressed .npy")
                with zf.open(info) as fp:
                    version = np.lib.format.read_magic(fp)
                    if version == (1, 0):
                        shape, _, dtype = np.lib.format.read_array_header_1_0(fp)
                    elif version == (2, 0):
                        shape, _, dtype = np.lib.format.read_array_header_2_0(fp)
                    else:
                        raise ModelIntegrityError(f"{path}: {info.filename} has npy version {version}")
                    header_end = fp.tell()
                if dtype.hasobject or dtype.name not in ALLOWED_DTYPES or dtype.str[0] == ">":
                    raise ModelIntegrityError(
                        f"{path}: array {info.filename[:-4]} has dtype {dtype.str}; only plain numbers are "
                        "allowed (object arrays would need pickle)"
                    )
                if info.file_size != header_end + int(np.prod(shape, dtype=np.int64)) * dtype.itemsize:
                    raise ModelIntegrityError(f"{path}: {info.filename} is not the size its header says")
                out[info.filename[:-4]] = (dtype.name, tuple(int(n) for n in shape))
    except (zipfile.BadZipFile, ValueError, OSError, EOFError) as exc:
        raise ModelIntegrityError(f"{path} is not a readable npz file: {exc}") from None
    return out


def verify_model_dir(model_dir: str | Path) -> tuple[dict[str, Any], dict[str, Any], type[ParagraphModel]]:
    """Steps 1-4 of loading (card, hashes, model.json, npz headers) without reading array data.

    Returns (card, meta, model class). Cheap enough for ``models list`` on every version.
    """
    d = _dir(model_dir)
    if not d.is_dir():
        raise ModelIntegrityError(f"no model at {d}: not a directory")
    _refuse_legacy(d)
    card = read_card(d)
    _refuse_missing(d)
    problems = card_problems(card)
    if problems:
        raise ModelIntegrityError(f"model card {d / CARD_FILE} is malformed: " + "; ".join(problems))
    for name in MODEL_FILES:
        expected = card["files"][name]["sha256"]
        actual = file_sha256(d / name)
        if actual != expected:
            raise ModelIntegrityError(
                f"TAMPERED: {d / name} does not match its card (sha256 {actual[:12]}..., card says "
                f"{expected[:12]}...): refusing to load it; it may have been swapped or corrupted"
            )
    meta, cls = _read_meta(d, card)
    headers = _npz_headers(d / WEIGHTS_FILE)
    declared = {
        k: (v.get("dtype"), tuple(v.get("shape", ()))) if isinstance(v, dict) else None
        for k, v in meta["arrays"].items()
    }
    if headers != declared:
        diff = sorted(set(headers).symmetric_difference(declared)) or sorted(
            k for k in headers if headers[k] != declared.get(k)
        )
        raise ModelIntegrityError(
            f"{d / WEIGHTS_FILE} does not match the manifest in {META_FILE}: {diff[:5]}"
        )
    return card, meta, cls


def load_verified(model_dir: str | Path) -> tuple[ParagraphModel, dict[str, Any]]:
    """Load a model directory after every check in the module docstring; returns (model, card)."""
    d = _dir(model_dir)
    card, meta, cls = verify_model_dir(d)
    try:
        with np.load(d / WEIGHTS_FILE, allow_pickle=False) as npz:
            arrays = {name: npz[name] for name in npz.files}
    except (ValueError, OSError, zipfile.BadZipFile, EOFError) as exc:
        raise ModelIntegrityError(f"{d / WEIGHTS_FILE}: {exc}") from None
    model = cls.from_arrays(arrays, meta)
    return model, card


def load_legacy_pickle(model_dir: str | Path) -> tuple[ParagraphModel, dict[str, Any]]:
    """Unpickle an old ``model.joblib`` directory. **Runs any code the file contains**: trusted files only.

    Exists so that old model directories can be converted once (``article-filter models convert``); the
    hash check against the old card still catches accidental corruption, not a hostile file.
    """
    d = _dir(model_dir)
    path = d / LEGACY_MODEL_FILE
    if not path.exists():
        raise ModelIntegrityError(f"no {LEGACY_MODEL_FILE} at {d}")
    card = read_card(d)
    expected = card.get("sha256")
    actual = file_sha256(path)
    if actual != expected:
        raise ModelIntegrityError(
            f"{path} does not match its card (sha256 {actual[:12]}..., card says {str(expected)[:12]}...)"
        )
    warnings.warn(
        f"UNPICKLING {path}: a pickle can run arbitrary code. Only do this for a model you trust.",
        PickleWarning,
        stacklevel=2,
    )
    import joblib  # only on this opt-in path: normal loading never touches pickle machinery

    model = joblib.load(path)
    if not isinstance(model, ParagraphModel):
        raise ModelIntegrityError(f"{path} does not hold an article-filter model")
    return model, card


#: Made-up paragraphs for the prediction check of :func:`convert_legacy_dir` (arrays are compared exactly
#: too; this shows the end-to-end path agrees).
_PROBE_DOCUMENTS = [
    [
        "Home | News | Sport",
        "The council voted 7 to 2 on Tuesday to approve the new budget, officials said.",
        "READ MORE: Five things to know about the vote",
        "Only time will tell what the future holds for the town.",
        "Copyright 2024 Example Media. All rights reserved.",
    ],
    ["Police said a 34-year-old man was arrested after the incident on Friday."],
]


def convert_legacy_dir(
    old_dir: str | Path, new_dir: str | Path, card_md: Callable[[dict[str, Any]], str] | None = None
) -> str:
    """Convert a *trusted* pickled model directory to the safe format; returns a short report.

    Unpickles ``old_dir/model.joblib`` (runs its code: trusted input only), writes ``new_dir``, loads it back
    through the normal verified path and checks that every array is bit-identical and that predictions
    on probe paragraphs are equal. Refuses a ``new_dir`` that already holds files.
    """
    new = Path(new_dir)
    if new.exists() and any(new.iterdir()):
        raise FileExistsError(f"{new} is not empty: convert into a new or empty directory")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PickleWarning)  # the caller has warned (CLI) or opted in
        old_model, old_card = load_legacy_pickle(old_dir)
    card = dict(old_card)
    card["converted_from"] = {"file": LEGACY_MODEL_FILE, "sha256": old_card.get("sha256")}
    digest = save_model_dir(old_model, new, card, card_md)
    new_model, _ = load_verified(new)
    old_arrays, old_meta = old_model.to_arrays()
    new_arrays, new_meta = new_model.to_arrays()
    same = old_meta == new_meta and old_arrays.keys() == new_arrays.keys()
    same = same and all(
        old_arrays[k].dtype == new_arrays[k].dtype and np.array_equal(old_arrays[k], new_arrays[k])
        for k in old_arrays
    )
    p_old, p_new = old_model.predict_proba(_PROBE_DOCUMENTS), new_model.predict_proba(_PROBE_DOCUMENTS)
    if not same or not np.array_equal(p_old, p_new):
        raise ModelIntegrityError(f"conversion of {old_dir} did not round-trip exactly; {new} is not usable")
    sizes = ", ".join(f"{name} {(new / name).stat().st_size} bytes" for name in (*MODEL_FILES, CARD_FILE))
    return (
        f"converted {old_dir} -> {new} (model digest {digest[:12]}): {len(new_arrays)} arrays bit-identical, "
        f"probe predictions equal; {sizes}"
    )
