"""pandas interface: clean or classify a text column of a DataFrame, chunk by chunk.

Why: people who clean scraped text at scale keep it in DataFrames; ``df.apply(flt.clean)`` works but runs
the model once per row (no vectorisation) and hides what happens to missing cells. These functions call
:meth:`ArticleFilter.clean_many` / :meth:`~ArticleFilter.classify_many` on ``chunk_size`` rows at a time,
so the model's intermediate arrays are bounded by the chunk, not the frame. They take a pandas DataFrame
and return a new one (the input is never modified), so they also run per partition of a Dask DataFrame
with ``ddf.map_partitions(clean_frame, ..., meta=...)`` (README).

Cells that are not strings are handled explicitly:

- missing (``None``, ``NaN``, ``pd.NA``): the output is missing too (``None``), and ``classify_frame`` gives
  the row no paragraphs;
- ``bytes``: decoded as files are (:func:`filter.io.decode_bytes`: BOM, UTF-8, detected encoding);
- anything else (numbers, lists, undecodable bytes): ``non_string="raise"`` (default) raises ``TypeError``
  naming the row; ``non_string="missing"`` treats the cell as missing.

pandas is the ``pandas`` extra; importing :mod:`filter` does not import it (``filter.clean_frame`` is
resolved lazily).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from ._extras import require
from .types import LABELS

if TYPE_CHECKING:
    import pandas as pd

    from .api import ArticleFilter

__all__ = [
    "clean_frame",
    "classify_frame",
    "iter_classify_frame",
    "classify_meta",
    "PROBABILITY_COLUMNS",
    "DEFAULT_CHUNK_SIZE",
]

#: Rows per model call. 1000 is the batch command's default ``--chunk-size``: large enough that the per-call
#: overhead is negligible, small enough that a chunk of long articles (~5 KB each) stays a few tens of MB.
DEFAULT_CHUNK_SIZE = 1000
#: One probability column per label, in :data:`filter.types.LABELS` order.
PROBABILITY_COLUMNS: tuple[str, ...] = tuple(f"p_{lab.value}" for lab in LABELS)
_CLASSIFY_COLUMNS = ("id", "index", "start", "end", "text", "label", *PROBABILITY_COLUMNS, "cues")

NonString = Literal["raise", "missing"]


def _pandas(feature: str) -> Any:
    return require("pandas", "pandas", feature=feature)


@lru_cache(maxsize=4)
def _load_dir(path: str) -> ArticleFilter:
    """One load per model directory per process (Dask workers call the functions once per partition)."""
    from .api import load_model

    return load_model(path)


def _resolve_model(model: ArticleFilter | str | Path | None) -> ArticleFilter:
    """An :class:`ArticleFilter`, a model directory (loaded once per process), or ``None`` = shipped model."""
    if model is None:
        from .api import load_model

        return load_model()
    if isinstance(model, (str, Path)):
        return _load_dir(str(model))
    return model


def _is_missing(value: Any, pd: Any) -> bool:
    if value is None:
        return True
    try:
        return bool(pd.isna(value)) if not isinstance(value, (str, bytes)) else False
    except (TypeError, ValueError):  # pd.isna of a list is an array: not a missing scalar
        return False


def _texts(values: Sequence[Any], labels: Sequence[Any], non_string: NonString, pd: Any) -> list[str | None]:
    """Cells as text (``None`` = missing), applying the documented policy for non-string cells."""
    from .io import InputError, decode_bytes

    if non_string not in ("raise", "missing"):
        raise ValueError(f"non_string must be 'raise' or 'missing', not {non_string!r}")
    out: list[str | None] = []
    for value, label in zip(values, labels):
        if isinstance(value, str):
            out.append(value)
        elif _is_missing(value, pd):
            out.append(None)
        elif isinstance(value, (bytes, bytearray, memoryview)):
            try:
                out.append(decode_bytes(bytes(value), f"row {label!r}"))
            except InputError as exc:
                if non_string == "raise":
                    raise TypeError(f"{exc} (pass non_string='missing' to skip such cells)") from None
                out.append(None)
        elif non_string == "raise":
            raise TypeError(
                f"row {label!r}: expected text, got {type(value).__name__} {value!r:.40} "
                "(pass non_string='missing' to treat such cells as missing)"
            )
        else:
            out.append(None)
    return out


def _check_chunk_size(chunk_size: int) -> None:
    if not isinstance(chunk_size, int) or chunk_size < 1:
        raise ValueError(f"chunk_size must be a positive integer, not {chunk_size!r}")


def clean_frame(
    df: pd.DataFrame,
    column: str = "text",
    output: str = "clean_text",
    *,
    model: ArticleFilter | str | Path | None = None,
    chunk_size: int = DEFAULT_CHUNK_SIZE,
    overwrite: bool = False,
    non_string: NonString = "raise",
) -> pd.DataFrame:
    """A copy of ``df`` with ``output`` = the cleaned text of ``column`` (same as ``clean_many`` per row).

    ``model``: an :class:`~filter.api.ArticleFilter`, a model directory, or ``None`` for the shipped model.
    An existing ``output`` column is an error unless ``overwrite=True`` (silently replacing a column of
    the user's data would lose it). The new column has dtype ``object`` (``None`` where the input was
    missing), so a Dask ``meta`` can name it as ``object``.
    """
    pd = _pandas("clean_frame")
    _check_chunk_size(chunk_size)
    if column not in df.columns:
        raise KeyError(f"clean_frame: no column {column!r} (columns: {', '.join(map(str, df.columns))})")
    if output in df.columns and not overwrite:
        raise ValueError(f"clean_frame: column {output!r} exists; pass overwrite=True to replace it")
    values = df[column].tolist()
    labels = df.index.tolist()
    flt = _resolve_model(model) if values else None  # an empty frame (a Dask meta) needs no model
    cleaned: list[str | None] = []
    for lo in range(0, len(values), chunk_size):
        texts = _texts(values[lo : lo + chunk_size], labels[lo : lo + chunk_size], non_string, pd)
        present = [t for t in texts if t is not None]
        results = iter(flt.clean_many(present)) if present and flt is not None else iter(())
        cleaned.extend(None if t is None else next(results) for t in texts)
    out = df.copy(deep=False)  # the caller's frame is not modified; columns are shared, not copied
    out[output] = pd.Series(cleaned, index=df.index, dtype=object)
    return out


def classify_meta(id_dtype: Any = object) -> pd.DataFrame:
    """An empty frame with :func:`classify_frame`'s columns and dtypes (Dask's ``meta``)."""
    pd = _pandas("classify_frame")
    dtypes: dict[str, Any] = {"id": id_dtype, "index": "int64", "start": "int64", "end": "int64"}
    dtypes.update({"text": object, "label": object, "cues": object})
    dtypes.update({c: "float64" for c in PROBABILITY_COLUMNS})
    return pd.DataFrame({c: pd.Series([], dtype=dtypes[c]) for c in _CLASSIFY_COLUMNS})


def iter_classify_frame(
    df: pd.DataFrame,
    column: str = "text",
    id_column: str | None = None,
    *,
    model: ArticleFilter | str | Path | None = None,
    chunk_size: int = DEFAULT_CHUNK_SIZE,
    non_string: NonString = "raise",
    cues: bool = True,
) -> Iterator[pd.DataFrame]:
    """:func:`classify_frame` one chunk of ``chunk_size`` input rows at a time (for memory bounded by the
    chunk even in the output: write each frame out before asking for the next)."""
    pd = _pandas("classify_frame")
    _check_chunk_size(chunk_size)
    if column not in df.columns:
        raise KeyError(f"classify_frame: no column {column!r} (columns: {', '.join(map(str, df.columns))})")
    if id_column is not None and id_column not in df.columns:
        raise KeyError(f"classify_frame: no id column {id_column!r}")
    values = df[column].tolist()
    labels = df.index.tolist()
    flt = _resolve_model(model) if values else None
    ids = df[id_column].tolist() if id_column is not None else labels
    id_dtype = df[id_column].dtype if id_column is not None else df.index.dtype
    for lo in range(0, len(values), chunk_size):
        texts = _texts(values[lo : lo + chunk_size], labels[lo : lo + chunk_size], non_string, pd)
        keep = [i for i, t in enumerate(texts) if t is not None]
        docs = flt.classify_many([str(texts[i]) for i in keep], explain=cues) if keep and flt else []
        cols: dict[str, list[Any]] = {c: [] for c in _CLASSIFY_COLUMNS}
        for i, paragraphs in zip(keep, docs):
            for p in paragraphs:
                cols["id"].append(ids[lo + i])
                cols["index"].append(p.index)
                cols["start"].append(p.start)
                cols["end"].append(p.end)
                cols["text"].append(p.text)
                cols["label"].append(p.label.value if p.label is not None else None)
                for lab, name in zip(LABELS, PROBABILITY_COLUMNS):
                    cols[name].append(float(p.probabilities.get(lab, float("nan"))))
                cols["cues"].append(list(p.cues))
        meta = classify_meta(id_dtype)
        yield pd.DataFrame({c: pd.Series(cols[c], dtype=meta[c].dtype) for c in _CLASSIFY_COLUMNS})


def classify_frame(
    df: pd.DataFrame,
    column: str = "text",
    id_column: str | None = None,
    *,
    model: ArticleFilter | str | Path | None = None,
    chunk_size: int = DEFAULT_CHUNK_SIZE,
    non_string: NonString = "raise",
    cues: bool = True,
) -> pd.DataFrame:
    """One row per paragraph: ``id`` (``id_column``'s value, else the row's index label), ``index``,
    ``start``, ``end`` (offsets into the cell's text), ``text``, ``label``, ``p_core`` ... one probability
    column per label, and ``cues`` (a list of strings; empty with ``cues=False``, which is faster).

    Rows whose text is missing or empty have no paragraphs. The model runs on ``chunk_size`` input rows at a
    time; use :func:`iter_classify_frame` to also bound the output.
    """
    pd = _pandas("classify_frame")
    parts = list(
        iter_classify_frame(
            df, column, id_column, model=model, chunk_size=chunk_size, non_string=non_string, cues=cues
        )
    )
    if not parts:
        return classify_meta(df[id_column].dtype if id_column is not None else df.index.dtype)
    return pd.concat(parts, ignore_index=True)
