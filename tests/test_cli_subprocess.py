"""The installed command end to end: kill -9 a batch run mid-way, rerun it, get an uninterrupted run's output.

Runs ``article-filter`` when it is on PATH (an installed package), else ``python -m filter`` from the
source tree.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

from conftest import REPO, make_tiny_documents
from test_batch import assert_no_temp_files, tree

from filter.cli import main


def _command() -> tuple[list[str], dict[str, str]]:
    env = dict(os.environ)
    exe = shutil.which("article-filter")
    if exe:
        return [exe], env
    env["PYTHONPATH"] = os.pathsep.join([str(REPO), env.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    return [sys.executable, "-m", "filter"], env


def test_resume_after_sigkill_equals_uninterrupted_run(tmp_path: Path, tiny_model_dir: Path) -> None:
    src = tmp_path / "in"
    docs = make_tiny_documents(300, seed=5)
    for i, d in enumerate(docs):
        folder = src / f"part{i % 7}"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"doc{i:04d}.txt").write_text("\n\n".join(d.paragraphs[:6]), encoding="utf-8")
    out = tmp_path / "out"
    cmd, env = _command()
    args = cmd + [
        "clean",
        str(src),
        "-o",
        str(out),
        "--model",
        str(tiny_model_dir),
        "--jobs",
        "1",
        "--batch-size",
        "4",
        "--quiet",
    ]
    proc = subprocess.Popen(args, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 300
    written = 0
    while time.monotonic() < deadline and proc.poll() is None:
        written = len([p for p in out.rglob("*.txt")]) if out.exists() else 0
        if written >= 20:
            break
        time.sleep(0.05)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    partial = len([p for p in out.rglob("doc*.txt")])
    assert 0 < partial < len(docs), f"kill came too late or too early ({partial} outputs)"

    done = subprocess.run(args[:-1], env=env, capture_output=True, text=True, timeout=600)  # not --quiet
    assert done.returncode == 0, done.stderr
    assert f"{len(docs) - partial} done, {partial} skipped (already done), 0 failed" in done.stderr

    reference = tmp_path / "reference"
    assert (
        main(
            [
                "clean",
                str(src),
                "-o",
                str(reference),
                "--model",
                str(tiny_model_dir),
                "--jobs",
                "1",
                "--quiet",
            ]
        )
        == 0
    )
    resumed = tree(out)
    assert resumed == tree(reference)
    assert len(resumed) == len(docs)
    assert_no_temp_files(out)
