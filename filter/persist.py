"""Declarative persistence: a model class lists its saved attributes, and this module turns them into arrays.

Why declarative: a model is saved as plain numpy arrays plus JSON (see :mod:`filter.store`), never as a
pickle, and every attribute that is saved must also be checked when it is read back (dtype, number of
dimensions, consistent lengths). Writing that by hand per attribute is where a new attribute gets saved but
not checked, or checked but not loaded. Here a class declares, once::

    ARRAYS = (ArrayAttr("gram_coef", "float32", ("vocab", "scores")), ...)
    JSON = (JsonAttr("feature_names", is_str_list, dim="features"), ...)
    VOCABULARIES = (VocabAttr("vocabulary", dim="vocab"),)
    COMPONENTS = (Component("context", _Perceptron),)

and :meth:`Persistent.to_arrays` / :meth:`Persistent.from_arrays` do the rest. Adding an array attribute is
one line in ``ARRAYS``. Dimension *names* tie shapes together across attributes and nested components: every
array dimension called ``"vocab"`` must equal the vocabulary's length, every ``"features"`` the number of
feature names, and so on; an integer in a shape is a fixed length.

Nothing here can run code from a file: arrays come from ``np.load(..., allow_pickle=False)`` and their dtype
must be one of :data:`ALLOWED_DTYPES` (no object, string or structured arrays); JSON values are checked by
the declared predicate before they are used.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, ClassVar, TypeVar

import numpy as np

__all__ = [
    "ModelIntegrityError",
    "ArrayAttr",
    "JsonAttr",
    "VocabAttr",
    "Component",
    "Persistent",
    "ALLOWED_DTYPES",
    "is_str_list",
    "is_json_object",
    "encode_vocabulary",
    "decode_vocabulary",
]


class ModelIntegrityError(RuntimeError):
    """A model directory is missing, malformed, in a refused format, or does not match its card."""


#: The only dtypes a saved array may have: plain little-endian numbers and bytes. Object arrays would need
#: pickle; strings and structured dtypes are never needed by a linear model or a perceptron.
ALLOWED_DTYPES = frozenset({"float64", "float32", "int64", "int32", "uint8", "bool"})

P = TypeVar("P", bound="Persistent")


def is_str_list(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(v, str) for v in value)


def is_json_object(value: Any) -> bool:
    return isinstance(value, dict) and all(isinstance(k, str) for k in value)


def _identity(value: Any) -> Any:
    return value


@dataclass(frozen=True)
class ArrayAttr:
    """A numpy attribute stored in ``weights.npz`` under its (dotted, for components) name.

    ``shape`` names each dimension (or fixes it with an int); ``finite`` refuses NaN/inf in float arrays,
    which would otherwise turn every prediction into NaN without an error.
    """

    name: str
    dtype: str
    shape: tuple[str | int, ...]
    finite: bool = True


@dataclass(frozen=True)
class JsonAttr:
    """A JSON attribute stored in ``model.json``; ``check`` validates the raw JSON value before ``decode``.

    ``dim`` binds a dimension name to ``len(value)`` (e.g. the number of feature names).
    """

    name: str
    check: Callable[[Any], bool]
    expected: str
    encode: Callable[[Any], Any] = _identity
    decode: Callable[[Any], Any] = _identity
    dim: str | None = None


@dataclass(frozen=True)
class VocabAttr:
    """A term -> id dict (ids 0..n-1), stored as one uint8 array: the terms, newline-joined, in id order.

    Chosen over a JSON list of strings: for the shipped 150k-term vocabulary the byte array loaded in
    ~28-32 ms against ~46-67 ms for ``json.load`` of the list (median of 7, same machine, both followed by
    the same ``dict(zip(...))``), and it is 1.5 MB instead of 2.0 MB (no quotes or escapes).
    ``dim`` binds a dimension name to the number of terms.
    """

    name: str
    dim: str


@dataclass(frozen=True)
class Component:
    """A nested persistent object (e.g. the context perceptron), saved under ``name.`` in both files."""

    name: str
    cls: type[Persistent]


def encode_vocabulary(vocabulary: Mapping[str, int]) -> np.ndarray:
    terms = sorted(vocabulary, key=vocabulary.__getitem__)
    if [vocabulary[t] for t in terms] != list(range(len(terms))):
        raise ValueError("vocabulary ids must be 0..n-1")
    if any("\n" in t for t in terms):
        raise ValueError("a vocabulary term contains a newline, which the stored format uses as separator")
    return np.frombuffer("\n".join(terms).encode("utf-8"), dtype=np.uint8).copy()


def decode_vocabulary(blob: np.ndarray) -> dict[str, int]:
    try:
        text = blob.tobytes().decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ModelIntegrityError(f"vocabulary is not valid UTF-8: {exc}") from None
    terms = text.split("\n") if text else []
    vocab = dict(zip(terms, range(len(terms))))
    if len(vocab) != len(terms):
        raise ModelIntegrityError("vocabulary holds duplicate terms")
    return vocab


class Persistent:
    """Base class of anything saved as arrays + JSON. Subclasses only declare their attributes.

    ``_check_loaded`` is the hook for invariants that names alone cannot express (e.g. class indices in
    range); it runs after every attribute has been set and every shape checked.
    """

    ARRAYS: ClassVar[tuple[ArrayAttr, ...]] = ()
    JSON: ClassVar[tuple[JsonAttr, ...]] = ()
    VOCABULARIES: ClassVar[tuple[VocabAttr, ...]] = ()
    COMPONENTS: ClassVar[tuple[Component, ...]] = ()

    # ------------------------------------------------------------------------------------------ saving
    def to_arrays(self) -> tuple[dict[str, np.ndarray], dict[str, Any]]:
        """All declared attributes: (arrays by dotted name, JSON-ready metadata)."""
        arrays: dict[str, np.ndarray] = {}
        meta = self._to_arrays("", arrays)
        return arrays, meta

    def _to_arrays(self, prefix: str, arrays: dict[str, np.ndarray]) -> dict[str, Any]:
        meta: dict[str, Any] = {"attributes": {}, "components": {}}
        for a in self.ARRAYS:
            value = np.ascontiguousarray(getattr(self, a.name))
            if value.dtype != np.dtype(a.dtype):
                raise ValueError(f"{prefix}{a.name} has dtype {value.dtype}, declared {a.dtype}")
            arrays[prefix + a.name] = value
        for v in self.VOCABULARIES:
            arrays[prefix + v.name] = encode_vocabulary(getattr(self, v.name))
        for j in self.JSON:
            meta["attributes"][j.name] = j.encode(getattr(self, j.name))
        for c in self.COMPONENTS:
            sub = getattr(self, c.name)
            if not isinstance(sub, c.cls):
                raise ValueError(f"{prefix}{c.name} is {type(sub).__name__}, expected {c.cls.__name__}")
            meta["components"][c.name] = sub._to_arrays(f"{prefix}{c.name}.", arrays)
        return meta

    @classmethod
    def array_names(cls, prefix: str = "") -> list[str]:
        """Every array name the class (with its components) stores, in declaration order."""
        names = [prefix + a.name for a in cls.ARRAYS] + [prefix + v.name for v in cls.VOCABULARIES]
        for c in cls.COMPONENTS:
            names += c.cls.array_names(f"{prefix}{c.name}.")
        return names

    # ----------------------------------------------------------------------------------------- loading
    @classmethod
    def from_arrays(cls: type[P], arrays: Mapping[str, np.ndarray], meta: Mapping[str, Any]) -> P:
        """Rebuild from :meth:`to_arrays` output, checking every declared attribute; raises
        :class:`ModelIntegrityError` naming the first problem. Arrays nobody declared are refused too: they
        mean the file was written by other code than this."""
        unknown = sorted(set(arrays) - set(cls.array_names()))
        if unknown:
            raise ModelIntegrityError(f"weights hold arrays this model type does not declare: {unknown}")
        dims: dict[str, tuple[int, str]] = {}
        obj = cls._from_arrays("", arrays, meta, dims)
        return obj

    @classmethod
    def _from_arrays(
        cls: type[P],
        prefix: str,
        arrays: Mapping[str, np.ndarray],
        meta: Mapping[str, Any],
        dims: dict[str, tuple[int, str]],
    ) -> P:
        if not is_json_object(meta):
            raise ModelIntegrityError(f"metadata of {prefix or 'the model'} is not a JSON object")
        attrs = meta.get("attributes", {})
        comps = meta.get("components", {})
        if not is_json_object(attrs) or not is_json_object(comps):
            raise ModelIntegrityError(f"{prefix}attributes/components must be JSON objects")
        obj = cls.__new__(cls)
        for j in cls.JSON:
            if j.name not in attrs:
                raise ModelIntegrityError(f"model.json lacks attribute {prefix}{j.name}")
            raw = attrs[j.name]
            if not j.check(raw):
                raise ModelIntegrityError(
                    f"model.json attribute {prefix}{j.name} should be {j.expected}, got {_short(raw)}"
                )
            try:
                value = j.decode(raw)
            except (TypeError, ValueError) as exc:
                raise ModelIntegrityError(f"model.json attribute {prefix}{j.name}: {exc}") from None
            setattr(obj, j.name, value)
            if j.dim is not None:
                _bind(dims, j.dim, len(raw), f"{prefix}{j.name}")
        for v in cls.VOCABULARIES:
            blob = _array(arrays, prefix + v.name, ArrayAttr(v.name, "uint8", ("_bytes",), finite=False))
            vocab = decode_vocabulary(blob)
            setattr(obj, v.name, vocab)
            _bind(dims, v.dim, len(vocab), f"{prefix}{v.name}")
        for a in cls.ARRAYS:
            value = _array(arrays, prefix + a.name, a)
            for axis, (want, got) in enumerate(zip(a.shape, value.shape)):
                if isinstance(want, int):
                    if got != want:
                        raise ModelIntegrityError(
                            f"array {prefix}{a.name} has shape {value.shape}; axis {axis} must be {want}"
                        )
                else:
                    _bind(dims, want, got, f"{prefix}{a.name} axis {axis}")
            setattr(obj, a.name, value)
        for c in cls.COMPONENTS:
            if c.name not in comps:
                raise ModelIntegrityError(f"model.json lacks component {prefix}{c.name}")
            setattr(obj, c.name, c.cls._from_arrays(f"{prefix}{c.name}.", arrays, comps[c.name], dims))
        obj._check_loaded({name: n for name, (n, _) in dims.items()})
        return obj

    def _check_loaded(self, dims: Mapping[str, int]) -> None:
        """Invariants beyond shapes (override); raise :class:`ModelIntegrityError`."""


def _array(arrays: Mapping[str, np.ndarray], key: str, spec: ArrayAttr) -> np.ndarray:
    if key not in arrays:
        raise ModelIntegrityError(f"weights lack array {key}")
    value = arrays[key]
    if not isinstance(value, np.ndarray):
        raise ModelIntegrityError(f"{key} is not an array")
    if value.dtype.str[0] == ">" or value.dtype.name not in ALLOWED_DTYPES or value.dtype.name != spec.dtype:
        raise ModelIntegrityError(f"array {key} has dtype {value.dtype.str}, expected {spec.dtype}")
    if value.ndim != len(spec.shape):
        raise ModelIntegrityError(
            f"array {key} has {value.ndim} dimensions {value.shape}, expected {spec.shape}"
        )
    if spec.finite and value.dtype.kind == "f" and not np.isfinite(value).all():
        raise ModelIntegrityError(f"array {key} holds NaN or infinite values")
    return value


def _bind(dims: dict[str, tuple[int, str]], name: str, size: int, where: str) -> None:
    if name in dims and dims[name][0] != size:
        raise ModelIntegrityError(
            f"{where} has length {size} for dimension '{name}', but {dims[name][1]} has {dims[name][0]}"
        )
    dims.setdefault(name, (size, where))


def _short(value: Any) -> str:
    text = repr(value)
    return f"{type(value).__name__} {text[:60]}{'...' if len(text) > 60 else ''}"
