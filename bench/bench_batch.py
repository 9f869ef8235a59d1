"""Batch throughput, scaling, memory and resume benchmark for ``article-filter clean`` (filter/batch.py).

What it measures, all through the real command line (``python -m filter``) in subprocesses:

1. a folder of ``--files`` article text files (default 5,000): wall time with ``--jobs 1`` and ``--jobs 2``,
   their ratio, documents/s and MB/s; jusText on the same texts in the same run (each paragraph wrapped in
   ``<p>``), for a reference speed;
2. peak memory (max RSS of any process, from ``getrusage(RUSAGE_CHILDREN)``) cleaning a JSONL of
   ``--jsonl-mb`` MB (default 200; ``--jsonl-mb 1000`` for 1 GB) and of a quarter of that, to show memory
   does not grow with input size;
3. interrupt and resume: ``kill -9`` a ``--jobs 1`` run after some outputs exist, rerun, and compare the
   output set with the uninterrupted ``--jobs 1`` run (must be equal: no missing, extra or partial files).

Texts: pages of ``../shared/corpora`` rendered to text by :func:`filter.training.importers.gold_pages` when that
exists, else documents of ``training_data/*.jsonl``, else the test suite's toy templates; they are repeated
to reach ``--files`` (file ``i`` is text ``i mod n``), which is fine for timing.

The model: ``--model DIR``, else the shipped default if present, else a tiny model trained on the toy
templates (then the speeds say little about the real model). Results: a markdown table on stdout and
``bench/out/batch.json``.

    python bench/bench_batch.py --quick        # a few minutes: 600 files, 4 MB JSONL
    python bench/bench_batch.py                # the full run: 5,000 files, 200 MB JSONL
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
OUT = REPO / "bench" / "out"
sys.path.insert(0, str(REPO))


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(REPO), env.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    return env


def _cli(*args: str) -> list[str]:
    return [sys.executable, "-m", "filter", *args]


# ------------------------------------------------------------------------------------------------ inputs
def load_texts(limit: int) -> tuple[list[str], str]:
    """Article texts and where they came from."""
    corpora = REPO.parent / "shared" / "corpora"
    try:
        from filter.training import importers

        texts: list[str] = []
        if corpora.is_dir() and hasattr(importers, "gold_pages"):
            for name in ("dragnet2013", "l3s_gn1", "readability_testpages"):
                if len(texts) >= limit:
                    break
                for page in importers.gold_pages(corpora / name, converters=("html_text",), limit=limit):
                    if page.text.strip():
                        texts.append(page.text)
            if texts:
                return texts[:limit], f"{len(texts[:limit])} pages of {corpora} rendered with html_text"
    except Exception as exc:  # noqa: BLE001 - fall back to other sources
        print(f"(corpora not usable: {exc})", file=sys.stderr)
    files = sorted((REPO / "training_data").glob("*.jsonl"))
    if files:
        from filter.training.data import read_documents

        texts = []
        for f in files:
            for d in read_documents(f):
                texts.append("\n\n".join(d.paragraphs))
                if len(texts) >= limit:
                    return texts, f"{len(texts)} documents of training_data/*.jsonl"
        if texts:
            return texts, f"{len(texts)} documents of training_data/*.jsonl"
    sys.path.insert(0, str(REPO / "tests"))
    from conftest import make_tiny_documents

    docs = make_tiny_documents(min(limit, 400), seed=99)
    return ["\n\n".join(d.paragraphs) for d in docs], "toy templates of tests/conftest.py"


def write_folder(folder: Path, texts: list[str], n: int) -> int:
    total = 0
    for i in range(n):
        p = folder / f"d{i % 50:02d}" / f"article{i:06d}.txt"
        p.parent.mkdir(parents=True, exist_ok=True)
        data = texts[i % len(texts)].encode("utf-8")
        p.write_bytes(data)
        total += len(data)
    return total


def write_jsonl(path: Path, texts: list[str], megabytes: float) -> int:
    target = int(megabytes * 1e6)
    size = 0
    with open(path, "w", encoding="utf-8") as fh:
        i = 0
        while size < target:
            line = json.dumps({"id": i, "text": texts[i % len(texts)]}, ensure_ascii=False) + "\n"
            fh.write(line)
            size += len(line.encode("utf-8"))
            i += 1
    return size


def resolve_model(arg: str | None, work: Path) -> tuple[str, str]:
    if arg:
        return arg, f"--model {arg}"
    from filter.store import default_model_dir

    d = default_model_dir()
    if (d / "weights.npz").exists():
        return str(d), f"shipped default ({d})"
    sys.path.insert(0, str(REPO / "tests"))
    from conftest import make_tiny_documents

    from filter.store import save_model_dir
    from filter.training.train import train_model

    model, card, _ = train_model([], docs=make_tiny_documents())
    target = work / "tiny_model"
    save_model_dir(model, target, card)
    return str(target), "tiny toy model (no shipped model yet): speeds are indicative only"


# ------------------------------------------------------------------------------------------------ runs
def timed(cmd: list[str]) -> tuple[float, int, str]:
    t = time.perf_counter()
    p = subprocess.run(cmd, env=_env(), capture_output=True, text=True)
    return time.perf_counter() - t, p.returncode, p.stderr


def peak_rss_mb(cmd: list[str]) -> tuple[float, float, int]:
    """Run in a fresh helper process so RUSAGE_CHILDREN covers only this command (and its workers)."""
    helper = (
        "import resource, subprocess, sys, time, json\n"
        "t = time.perf_counter(); rc = subprocess.call(sys.argv[1:])\n"
        "r = resource.getrusage(resource.RUSAGE_CHILDREN)\n"
        "print(json.dumps({'rc': rc, 'seconds': time.perf_counter() - t, 'maxrss_kb': r.ru_maxrss}))\n"
    )
    p = subprocess.run([sys.executable, "-c", helper, *cmd], env=_env(), capture_output=True, text=True)
    r = json.loads(p.stdout.strip().splitlines()[-1])
    return r["maxrss_kb"] / 1024, r["seconds"], r["rc"]


def tree(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in root.rglob("*")
        if p.is_file() and ".batch" not in p.relative_to(root).parts
    }


def justext_seconds(texts: list[str]) -> float | None:
    try:
        import justext
    except ImportError:
        return None
    import html as html_mod

    stop = justext.get_stoplist("English")
    t = time.perf_counter()
    for text in texts:
        paras = [p for p in text.split("\n\n") if p.strip()]
        page = "<html><body>" + "".join(f"<p>{html_mod.escape(p)}</p>" for p in paras) + "</body></html>"
        justext.justext(page, stop)
    return time.perf_counter() - t


def kill_and_resume(src: Path, out: Path, model: str, n_files: int, reference: Path) -> dict[str, Any]:
    args = _cli("clean", str(src), "-o", str(out), "--model", model, "--jobs", "1", "--quiet")
    proc = subprocess.Popen(args, env=_env(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    want = max(5, n_files // 5)
    deadline = time.monotonic() + 1800
    while proc.poll() is None and time.monotonic() < deadline:
        if out.exists() and sum(1 for _ in out.rglob("article*.txt")) >= want:
            break
        time.sleep(0.05)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    at_kill = sum(1 for _ in out.rglob("article*.txt"))
    secs, rc, err = timed(args)
    got, ref = tree(out), tree(reference)
    return {
        "outputs_at_kill": at_kill,
        "resume_seconds": round(secs, 2),
        "resume_exit": rc,
        "equal_to_uninterrupted": got == ref,
        "files": len(got),
        "reference_files": len(ref),
        "temp_files_left": sum(1 for _ in out.rglob("*.tmp")),
    }


# ------------------------------------------------------------------------------------------------ main
def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="600 files and a 4 MB JSONL (a few minutes)")
    ap.add_argument("--files", type=int, default=None, help="text files in the folder (default 5000)")
    ap.add_argument("--jsonl-mb", type=float, default=None, help="size of the large JSONL (default 200)")
    ap.add_argument(
        "--chunk-size",
        type=int,
        default=None,
        help="rows per part for the large JSONL (default 1000; 50 with --quick)",
    )
    ap.add_argument("--model", default=None, help="model directory (default: shipped, else a tiny toy model)")
    ap.add_argument("--keep", action="store_true", help="keep the work folder")
    a = ap.parse_args()
    n_files = a.files or (600 if a.quick else 5000)
    jsonl_mb = a.jsonl_mb or (4.0 if a.quick else 200.0)
    chunk_size = a.chunk_size or (50 if a.quick else 1000)
    work = Path(tempfile.mkdtemp(prefix="bench_batch_"))
    results: dict[str, Any] = {
        "quick": a.quick,
        "files": n_files,
        "cpus": os.cpu_count(),
        "chunk_size": chunk_size,
        "load_avg_at_start": os.getloadavg(),
    }
    try:
        model, model_note = resolve_model(a.model, work)
        results["model"] = model_note
        texts, source = load_texts(min(n_files, 2000))
        results["texts"] = source
        src = work / "in"
        nbytes = write_folder(src, texts, n_files)
        results["folder_mb"] = round(nbytes / 1e6, 2)

        runs: dict[str, dict[str, Any]] = {}
        for jobs in (1, 2):
            out = work / f"out_j{jobs}"
            secs, rc, err = timed(
                _cli("clean", str(src), "-o", str(out), "--model", model, "--jobs", str(jobs), "--quiet")
            )
            runs[f"jobs{jobs}"] = {
                "seconds": round(secs, 2),
                "exit": rc,
                "docs_per_s": round(n_files / secs, 1),
                "mb_per_s": round(nbytes / 1e6 / secs, 3),
            }
            if rc not in (0, 1):
                print(err, file=sys.stderr)
        results["folder"] = runs
        results["jobs2_speedup"] = round(runs["jobs1"]["seconds"] / runs["jobs2"]["seconds"], 2)
        results["jobs2_same_output"] = tree(work / "out_j1") == tree(work / "out_j2")

        sample = [texts[i % len(texts)] for i in range(n_files)]
        js = justext_seconds(sample)
        results["justext"] = (
            None
            if js is None
            else {
                "seconds": round(js, 2),
                "docs_per_s": round(n_files / js, 1),
                "mb_per_s": round(nbytes / 1e6 / js, 3),
            }
        )

        mem: dict[str, Any] = {}
        for label, mb in (("quarter", jsonl_mb / 4), ("full", jsonl_mb)):
            path = work / f"big_{label}.jsonl"
            size = write_jsonl(path, texts, mb)
            rss, secs, rc = peak_rss_mb(
                _cli(
                    "clean",
                    str(path),
                    "-o",
                    str(work / f"big_{label}_out"),
                    "--model",
                    model,
                    "--jobs",
                    "2",
                    "--chunk-size",
                    str(chunk_size),
                    "--quiet",
                )
            )
            mem[label] = {
                "input_mb": round(size / 1e6, 1),
                "peak_rss_mb": round(rss, 1),
                "seconds": round(secs, 1),
                "mb_per_s": round(size / 1e6 / secs, 3),
                "exit": rc,
            }
            path.unlink()
        results["large_jsonl"] = mem

        results["resume"] = kill_and_resume(src, work / "out_resume", model, n_files, work / "out_j1")
    finally:
        if not a.keep:
            shutil.rmtree(work, ignore_errors=True)
        else:
            print(f"work folder kept: {work}", file=sys.stderr)
    results["self_max_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)

    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "batch.json").write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    r = results
    print(
        f"\nModel: {r['model']}. Texts: {r['texts']}. {r['files']} files, {r['folder_mb']} MB, "
        f"{r['cpus']} CPUs, load at start {tuple(round(x, 1) for x in r['load_avg_at_start'])}.\n"
    )
    print("| run | seconds | docs/s | MB/s | notes |")
    print("|---|---:|---:|---:|---|")
    for k in ("jobs1", "jobs2"):
        x = r["folder"][k]
        print(
            f"| clean folder --jobs {k[-1]} | {x['seconds']} | {x['docs_per_s']} | {x['mb_per_s']} "
            f"| exit {x['exit']} |"
        )
    print(
        f"| --jobs 2 / --jobs 1 speed-up | {r['jobs2_speedup']}x | | "
        f"| same output: {r['jobs2_same_output']} |"
    )
    if r["justext"]:
        j = r["justext"]
        print(
            f"| jusText, same texts (in-process, 1 core) | {j['seconds']} | {j['docs_per_s']} "
            f"| {j['mb_per_s']} | |"
        )
    for k, x in r["large_jsonl"].items():
        print(
            f"| large JSONL ({k}), --jobs 2 | {x['seconds']} | | {x['mb_per_s']} | {x['input_mb']} MB in, "
            f"peak RSS {x['peak_rss_mb']} MB |"
        )
    z = r["resume"]
    print(
        f"| kill -9 + resume | {z['resume_seconds']} | | | {z['outputs_at_kill']} done at kill; equal to "
        f"uninterrupted: {z['equal_to_uninterrupted']}; temp files left: {z['temp_files_left']} |"
    )
    print(f"\nJSON: {OUT / 'batch.json'}")
    return 0 if z["equal_to_uninterrupted"] and r["jobs2_same_output"] else 1


if __name__ == "__main__":
    raise SystemExit(main())
