"""Every subpackage of filter/ is listed in pyproject's packages and its data files are built into the wheel,
so a plain `pip install .` ships them."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import tomllib
from conftest import REPO


def test_every_subpackage_is_packaged() -> None:
    config = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    listed = set(config["tool"]["setuptools"]["packages"])
    found = {
        ".".join(p.parent.relative_to(REPO).parts)
        for p in (REPO / "filter").rglob("__init__.py")
        if "__pycache__" not in p.parts
    }
    assert found <= listed, f"not packaged: {sorted(found - listed)}"


def test_the_build_ships_the_word_lists_and_data(tmp_path: Path) -> None:
    """setuptools' build_py (what a wheel is made of) on a copy of the sources: the package data is in it.

    A copy, so that the build leaves no ``build/`` or ``*.egg-info`` in the checkout; ``build_py`` rather
    than a whole wheel, so that the test needs neither the network nor the ``wheel`` package.
    """
    src = tmp_path / "src"
    src.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(REPO / name, src / name)
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    for name in ("filter", "models"):
        shutil.copytree(REPO / name, src / name, ignore=ignore)
    out = tmp_path / "lib"
    subprocess.run(
        [sys.executable, "-c", "import setuptools; setuptools.setup()", "build_py", "--build-lib", str(out)],
        cwd=src,
        check=True,
        capture_output=True,
    )
    lexicons = sorted(p.name for p in (REPO / "filter" / "lexicons").glob("*.txt"))
    assert lexicons, "no word lists in filter/lexicons"
    assert sorted(p.name for p in (out / "filter" / "lexicons").glob("*.txt")) == lexicons
    for rel in ("filter/py.typed", "filter/features/__init__.py", "filter/models/weights.npz"):
        assert (out / rel).is_file(), f"not in the build: {rel}"


def test_every_word_list_says_where_it_came_from() -> None:
    for path in sorted((REPO / "filter" / "lexicons").glob("*.txt")):
        header = [line for line in path.read_text(encoding="utf-8").splitlines() if line.startswith("# ")]
        assert any(line.startswith("# Source:") for line in header), f"{path.name}: no '# Source:' line"
