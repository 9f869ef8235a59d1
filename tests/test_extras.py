"""Dependencies match use: every import is declared, the base install cleans, a missing extra is one line."""

from __future__ import annotations

import ast
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO, make_tiny_documents

from filter._extras import EXTRA_OF, PACKAGE_OF, MissingExtraError, missing_extra_message, require

tomllib = pytest.importorskip("tomllib", reason="Python 3.11+ reads pyproject.toml with tomllib")
PYPROJECT = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
#: Import name -> distribution name, where they differ (for matching pyproject entries).
DIST = {**PACKAGE_OF, "charset_normalizer": "charset-normalizer", "distributed": "dask", "anyio": "anyio"}
#: Hidden in the "base install" subprocesses: every optional package.
OPTIONAL = sorted(EXTRA_OF)


def _dist_names(requirements: list[str]) -> set[str]:
    return {re.split(r"[\[<>=!~ ;]", r, maxsplit=1)[0].lower().replace("_", "-") for r in requirements}


def _imports(path: Path) -> list[tuple[str, bool]]:
    """(top-level module, at module level?) of every absolute import in ``path``."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: list[tuple[str, bool]] = []
    top_level = {id(n) for n in tree.body}
    for node in tree.body:  # imports inside a module-level try/if still run at import time
        if isinstance(node, ast.If) and ast.unparse(node.test) == "TYPE_CHECKING":
            continue  # for the type checker only
        if isinstance(node, (ast.Try, ast.If)):
            top_level.update(id(n) for n in ast.walk(node))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(a.name.split(".")[0], id(node) in top_level) for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.append((node.module.split(".")[0], id(node) in top_level))
    return found


def _third_party(module: str) -> bool:
    return module not in sys.stdlib_module_names and module not in ("filter", "__future__")


BASE = _dist_names(PYPROJECT["project"]["dependencies"])
EXTRAS = {k: _dist_names(v) for k, v in PYPROJECT["project"]["optional-dependencies"].items()}


def test_every_import_in_filter_is_declared() -> None:
    """Each third-party import is a base dependency or an optional one mapped to the extra that declares it."""
    for path in sorted((REPO / "filter").rglob("*.py")):  # subpackages too (filter/batch/formats/...)
        for module, _ in _imports(path):
            if not _third_party(module):
                continue
            dist = DIST.get(module, module).lower().replace("_", "-")
            if dist in BASE:
                continue
            assert module in EXTRA_OF, (
                f"{path.name} imports {module}, which is neither a base dependency nor an extra"
            )
            extra = EXTRA_OF[module]
            assert dist in EXTRAS[extra], f"{module} is mapped to [{extra}], which does not declare {dist}"


def test_optional_packages_are_imported_lazily() -> None:
    """Only base dependencies are imported at module level, so every filter module imports in a base install
    (the ``filter.serve`` package is the exception: its ``__init__`` checks the extra before any of its
    modules is imported, and it is imported only by ``serve``)."""
    for path in sorted((REPO / "filter").rglob("*.py")):
        if path.parent.name == "serve":
            continue
        for module, top in _imports(path):
            if top and _third_party(module):
                assert DIST.get(module, module).lower().replace("_", "-") in BASE, (path.name, module)


def test_all_has_every_extra_and_test_installs_all() -> None:
    runtime = {e for e in EXTRAS if e not in ("all", "test", "dev", "bench")}
    all_spec = PYPROJECT["project"]["optional-dependencies"]["all"][0]
    assert set(re.search(r"\[(.*)\]", all_spec).group(1).split(",")) == runtime  # type: ignore[union-attr]
    assert "article-filter[all]" in PYPROJECT["project"]["optional-dependencies"]["test"]
    assert not {"scikit-learn", "scipy", "pandas", "pyarrow"} & BASE


def test_require_message_and_real_errors(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "sklearn", None)
    with pytest.raises(MissingExtraError) as info:
        require("sklearn.linear_model", "train", feature="train")
    assert str(info.value) == "article-filter train needs scikit-learn: pip install 'article-filter[train]'"
    assert info.value.extra == "train" and info.value.module == "sklearn"
    err = ModuleNotFoundError("No module named 'pyarrow'", name="pyarrow")
    assert (
        missing_extra_message(err, "clean")
        == "article-filter clean needs pyarrow: pip install 'article-filter[parquet]'"
    )
    assert missing_extra_message(ModuleNotFoundError("x", name="not_ours")) is None
    with pytest.raises(ValueError, match="not an optional dependency"):
        require("numpy")


def _run_hidden(code: str, cwd: Path = REPO) -> subprocess.CompletedProcess[str]:
    hide = f"import sys\nfor m in {OPTIONAL!r}: sys.modules[m] = None\n"
    return subprocess.run(
        [sys.executable, "-c", hide + code], cwd=cwd, env={**os.environ, "PYTHONPATH": str(REPO)},
        capture_output=True, text=True, timeout=180, check=False,
    )  # fmt: skip


def test_base_install_cleans(tiny_model_dir: Path, tiny_filter) -> None:  # type: ignore[no-untyped-def]
    text = "\n\n".join(make_tiny_documents(1, seed=2)[0].paragraphs)
    done = _run_hidden(
        "import filter, sys\n"
        f"flt = filter.load_model({str(tiny_model_dir)!r})\n"
        f"sys.stdout.write(flt.clean({text!r}))\n"
        "sys.stdout.write(chr(10) + str(len(flt.classify_many([" + repr(text) + "])[0])))\n"
    )
    assert done.returncode == 0, done.stderr
    cleaned, n = done.stdout.rsplit("\n", 1)
    assert cleaned == tiny_filter.clean(text) and int(n) == len(tiny_filter.classify(text))


def _line(feature: str, package: str, extra: str) -> str:
    return f"article-filter {feature} needs {package}: pip install 'article-filter[{extra}]'"


@pytest.mark.parametrize(
    ("argv", "line"),
    [
        (["train", "--data", "x", "--output", "OUT"], _line("train", "scikit-learn", "train")),
        (["retrain", "--data", "x"], _line("retrain", "scikit-learn", "train")),
        (["clean", "in.parquet", "-o", "OUT"], _line("Parquet input/output", "pyarrow", "parquet")),
        (
            ["classify", "a.txt", "-o", "OUT", "--format", "parquet"],
            _line("Parquet input/output", "pyarrow", "parquet"),
        ),
        (["clean", "a.txt", "-o", "OUT", "--engine", "dask"], _line("--engine dask", "dask", "dask")),
        (  # a table cleaned into Parquet (text documents stay text: they need no pyarrow)
            ["clean", "t.jsonl", "-o", "OUT", "--format", "parquet"],
            _line("Parquet input/output", "pyarrow", "parquet"),
        ),
        (
            ["clean", "a.txt", "-o", "OUT", "--compress", "zst"],
            _line("zstd (.zst) output", "zstandard", "zstd"),
        ),
        (
            ["models", "report", "--model", "M", "-o", "r.html"],
            _line("models report", "matplotlib", "report"),
        ),
    ],
)
def test_cli_missing_extra_is_one_line(
    tmp_path: Path, tiny_model_dir: Path, argv: list[str], line: str
) -> None:
    (tmp_path / "a.txt").write_text("Some text.", encoding="utf-8")
    (tmp_path / "t.jsonl").write_text('{"text": "Some text."}\n', encoding="utf-8")
    argv = [str(tiny_model_dir) if a == "M" else a for a in argv]
    done = _run_hidden(f"from filter.cli import main\nraise SystemExit(main({argv!r}))", cwd=tmp_path)
    assert done.returncode == 2, done.stderr
    assert done.stderr.strip().splitlines() == [line]
    assert not (tmp_path / "OUT").exists()


def test_converter_without_corpora_extra_is_one_line(monkeypatch: pytest.MonkeyPatch) -> None:
    from filter.training.converters import render

    monkeypatch.setitem(sys.modules, "html_text", None)
    with pytest.raises(MissingExtraError) as info:
        render("<p>x</p>", "html_text")
    assert str(info.value) == _line("converter 'html_text'", "html-text", "corpora")
    assert render("<p>x</p>", "stdlib") == "x"
