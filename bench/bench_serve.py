"""A bounded load test of ``article-filter serve`` on 127.0.0.1: requests/s and latency percentiles.

It starts the real service (``python -m filter serve``) as a subprocess on a free loopback port, waits for
``/health`` (bounded), then runs ``--clients`` threads, each with its own keep-alive HTTP connection, that
together send exactly ``--requests`` ``POST /classify`` (or ``/clean``) requests with one article each, and
stops by itself: no run longer than the requests it was given (each request also has a timeout). The server
is always terminated. Any non-200 answer or connection error is counted as an error and the run exits 1.

Texts: documents of ``training_data/*.jsonl`` (project-generated, see training_data/README.md), else the
test suite's toy templates. The model: ``--model DIR``, else the shipped default. Results: a markdown
table on stdout and ``bench/out/serve.json``. The numbers are reported, never asserted: on this shared
2-core machine they depend on what else runs.

    python bench/bench_serve.py                       # 8 clients, 400 requests
    python bench/bench_serve.py --clients 32 --requests 2000 --endpoint clean
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import platform
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
OUT = REPO / "bench" / "out"
sys.path.insert(0, str(REPO))

#: Start-up budget for the server (imports + model load are ~2-5 s; generous for a loaded machine).
STARTUP_SECONDS = 90.0
#: Per-request timeout: a single article classifies in well under a second; 60 s only catches a hang.
REQUEST_TIMEOUT = 60.0


def load_texts(limit: int) -> tuple[list[str], str]:
    files = sorted((REPO / "training_data").glob("*.jsonl"))
    texts: list[str] = []
    if files:
        from filter.training.data import read_documents

        per_file = max(1, limit // len(files))  # every page style (brief, live blog, chrome-heavy, ...)
        for f in files:
            for k, d in enumerate(read_documents(f)):
                if k >= per_file:
                    break
                texts.append("\n\n".join(d.paragraphs))
    if texts:
        return texts, f"{len(texts)} documents of training_data/*.jsonl"
    sys.path.insert(0, str(REPO / "tests"))
    from conftest import make_tiny_documents

    docs = make_tiny_documents(min(limit, 200), seed=7)
    return ["\n\n".join(d.paragraphs) for d in docs], "toy templates of tests/conftest.py"


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_ready(port: int, proc: subprocess.Popen[bytes]) -> float:
    t0 = time.perf_counter()
    while time.perf_counter() - t0 < STARTUP_SECONDS:
        if proc.poll() is not None:
            raise SystemExit(f"serve exited with {proc.returncode} before answering")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/health")
            if conn.getresponse().status == 200:
                conn.close()
                return time.perf_counter() - t0
            conn.close()
        except OSError:
            pass
        time.sleep(0.2)
    raise SystemExit(f"serve did not answer within {STARTUP_SECONDS:.0f} s")


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile (no interpolation): the value q% of requests were at or under."""
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, int(round(q / 100 * len(ordered) + 0.5)) - 1))
    return ordered[k]


def run_load(port: int, endpoint: str, bodies: list[bytes], clients: int, total: int) -> dict[str, Any]:
    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    next_i = [0]

    def take() -> int | None:
        with lock:
            if next_i[0] >= total:
                return None
            next_i[0] += 1
            return next_i[0] - 1

    def client() -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=REQUEST_TIMEOUT)
        try:
            while (i := take()) is not None:
                body = bodies[i % len(bodies)]
                t = time.perf_counter()
                try:
                    conn.request("POST", endpoint, body=body, headers={"Content-Type": "application/json"})
                    resp = conn.getresponse()
                    data = resp.read()
                    dt = time.perf_counter() - t
                    ok = resp.status == 200 and data.startswith(b"{")
                except (OSError, http.client.HTTPException) as exc:
                    dt, ok, data = time.perf_counter() - t, False, repr(exc).encode()
                    conn.close()
                    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=REQUEST_TIMEOUT)
                with lock:
                    latencies.append(dt)
                    if not ok:
                        errors.append(data[:200].decode("utf-8", "replace"))
        finally:
            conn.close()

    threads = [threading.Thread(target=client, daemon=True) for _ in range(clients)]
    t0 = time.perf_counter()
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    wall = time.perf_counter() - t0
    return {
        "requests": len(latencies),
        "errors": len(errors),
        "error_samples": errors[:5],
        "wall_seconds": round(wall, 3),
        "requests_per_second": round(len(latencies) / wall, 2),
        "latency_ms": {
            "p50": round(1000 * percentile(latencies, 50), 1),
            "p95": round(1000 * percentile(latencies, 95), 1),
            "p99": round(1000 * percentile(latencies, 99), 1),
            "max": round(1000 * max(latencies), 1),
            "mean": round(1000 * statistics.fmean(latencies), 1),
        },
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--clients", type=int, default=8, help="concurrent clients (default 8)")
    ap.add_argument("--requests", type=int, default=400, help="requests in total (default 400)")
    ap.add_argument("--endpoint", choices=["classify", "clean"], default="classify")
    ap.add_argument("--model", default=None, help="model directory (default: the shipped model)")
    ap.add_argument("--texts", type=int, default=200, help="distinct articles to cycle through")
    args = ap.parse_args(argv)
    if args.clients < 1 or args.requests < 1:
        ap.error("--clients and --requests must be at least 1")

    texts, where = load_texts(args.texts)
    bodies = [json.dumps({"text": t}, ensure_ascii=False).encode() for t in texts]
    port = free_port()
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(REPO), os.environ.get("PYTHONPATH", "")])}
    cmd = [sys.executable, "-m", "filter", "serve", "--port", str(port)]
    if args.model:
        cmd += ["--model", args.model]
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        startup = wait_ready(port, proc)
        run_load(port, "/" + args.endpoint, bodies[:4], 1, 4)  # warm-up, not counted
        result = run_load(port, "/" + args.endpoint, bodies, args.clients, args.requests)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=15)

    mean_chars = statistics.fmean(len(t) for t in texts)
    report = {
        "endpoint": "/" + args.endpoint,
        "clients": args.clients,
        "texts": where,
        "mean_article_chars": round(mean_chars),
        "model": args.model or "shipped default",
        "startup_seconds": round(startup, 2),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
        **result,
    }
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "serve.json").write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    lat = result["latency_ms"]
    print(f"serve load test: {report['endpoint']}, {args.clients} clients, {result['requests']} requests")
    print(f"texts: {where} (mean {mean_chars:.0f} characters); model: {report['model']}")
    print("| requests/s | p50 ms | p95 ms | p99 ms | max ms | errors |")
    print("|---:|---:|---:|---:|---:|---:|")
    print(
        f"| {result['requests_per_second']} | {lat['p50']} | {lat['p95']} | {lat['p99']} | {lat['max']} | "
        f"{result['errors']} |"
    )
    if result["errors"]:
        print("errors, e.g.: " + "; ".join(result["error_samples"]), file=sys.stderr)
    return 1 if result["errors"] else 0


if __name__ == "__main__":
    raise SystemExit(main())
