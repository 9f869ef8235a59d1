"""Optional dependencies: one place that knows which extra provides which package, and says so in one line.

Why: the base install is only what cleaning needs (numpy, py3langid and a few small packages), so training,
Parquet, pandas, Dask, reports, HTML converters, WARC and zstd live in extras. A user who reaches for one of
them without the extra must get ``article-filter train needs scikit-learn: pip install
'article-filter[train]'`` -- one line naming the extra -- and never a traceback. Library code calls
:func:`require` instead of a bare ``import``; the CLI turns :class:`MissingExtraError` into one stderr line
and exit 2, and :func:`missing_extra_message` also maps a plain ``ModuleNotFoundError`` from modules that
still import directly (model fitting, batch Parquet) to the same message.
"""

from __future__ import annotations

import importlib
from types import ModuleType

__all__ = ["MissingExtraError", "EXTRA_OF", "PACKAGE_OF", "require", "missing_extra_message", "have"]

#: Top-level import name -> the extra that installs it. Kept in step with pyproject.toml's extras
#: (tests/test_extras.py checks every name here is declared in that extra).
EXTRA_OF: dict[str, str] = {
    "sklearn": "train",
    "scipy": "train",
    "pyarrow": "parquet",
    "pandas": "pandas",
    "dask": "dask",
    "distributed": "dask",
    "matplotlib": "report",
    "html_text": "corpora",
    "inscriptis": "corpora",
    "bs4": "corpora",
    "lxml": "corpora",
    "starlette": "serve",
    "uvicorn": "serve",
    "anyio": "serve",
    "warcio": "warc",
    "zstandard": "zstd",
}

#: Import name -> the distribution name people know (for the message); the same when absent here.
PACKAGE_OF: dict[str, str] = {
    "sklearn": "scikit-learn",
    "bs4": "beautifulsoup4",
    "html_text": "html-text",
}


class MissingExtraError(ImportError):
    """An optional package is not installed; ``str(exc)`` is the whole one-line message for the user."""

    def __init__(self, message: str, *, module: str, extra: str) -> None:
        super().__init__(message, name=module)
        self.module = module
        self.extra = extra


def _message(module: str, extra: str, feature: str | None) -> str:
    top = module.split(".")[0]
    package = PACKAGE_OF.get(top, top)
    what = f"article-filter {feature}" if feature else "article-filter"
    return f"{what} needs {package}: pip install 'article-filter[{extra}]'"


def have(module: str) -> bool:
    """True when ``module`` imports (used to pick a default, e.g. an HTML converter)."""
    try:
        importlib.import_module(module)
    except ImportError:
        return False
    return True


def require(module: str, extra: str | None = None, feature: str | None = None) -> ModuleType:
    """Import ``module`` or raise :class:`MissingExtraError` naming the extra that provides it.

    ``extra`` defaults to :data:`EXTRA_OF` of the top-level name; ``feature`` names what needed it
    ("train", "WARC input") so the message says why. Only a missing *top-level* package is turned into the
    message: an ImportError raised inside an installed package is a real bug and propagates unchanged.
    """
    top = module.split(".")[0]
    extra = extra or EXTRA_OF.get(top)
    if extra is None:
        raise ValueError(f"{module!r} is not an optional dependency known to filter._extras")
    try:
        importlib.import_module(
            top
        )  # first: a submodule already in sys.modules must not mask a missing package
        return importlib.import_module(module)
    except ModuleNotFoundError as exc:
        if exc.name is None or exc.name.split(".")[0] != top:
            raise
        raise MissingExtraError(_message(module, extra, feature), module=top, extra=extra) from exc


def missing_extra_message(exc: BaseException, feature: str | None = None) -> str | None:
    """The one-line message for ``exc`` when it is a missing optional package, else ``None``."""
    if isinstance(exc, MissingExtraError):
        return str(exc)
    if isinstance(exc, ModuleNotFoundError) and exc.name:
        top = exc.name.split(".")[0]
        if top in EXTRA_OF:
            return _message(top, EXTRA_OF[top], feature)
    return None
