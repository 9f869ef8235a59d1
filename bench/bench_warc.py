"""WARC/WET throughput of filter/warc.py: records per second read, and read + cleaned.

Writes ``--records`` (default 2,000) WET ``conversion`` records (gzip per record, as Common Crawl ships them)
and the same pages as WARC ``response`` records with HTML, with warcio itself, then times:

1. ``iter_records`` on the WET file (parsing + decoding only);
2. ``iter_records`` on the WARC file (parsing + HTML rendering with the default converter);
3. ``clean_records`` on the WET file (parsing + the model), which is what ``article-filter clean
   crawl.warc.wet.gz`` does.

Texts: documents of ``training_data/*.jsonl`` when present (the project's own labelled data), else the test
suite's toy templates; repeated to reach ``--records``. The model: ``--model DIR``, else the shipped one,
else (when it does not load) a tiny model trained on the toy templates, so the cleaning rate then says
little about the real model. One process, one thread; prints a markdown table.

    python bench/bench_warc.py [--records 2000] [--model DIR]
"""

from __future__ import annotations

import argparse
import io
import json
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))


def _texts(limit: int) -> tuple[list[str], str]:
    texts: list[str] = []
    for path in sorted((REPO / "training_data").glob("*.jsonl")):
        with path.open(encoding="utf-8") as fh:
            for line in fh:
                row = json.loads(line)
                if row.get("paragraphs"):
                    texts.append(
                        "\n\n".join(p["text"] if isinstance(p, dict) else p for p in row["paragraphs"])
                    )
                if len(texts) >= limit:
                    return texts, "training_data/*.jsonl documents"
    if texts:
        return texts, "training_data/*.jsonl documents"
    sys.path.insert(0, str(REPO / "tests"))
    from conftest import make_tiny_documents

    return ["\n\n".join(d.paragraphs) for d in make_tiny_documents(400, seed=99)], "toy templates"


def _model(arg: str | None, work: Path) -> tuple[object, str]:
    from filter.api import load_model

    if arg:
        return load_model(arg), arg
    try:
        return load_model(), "shipped model"
    except Exception as exc:  # noqa: BLE001 - e.g. a model format mismatch: fall back, and say so
        sys.path.insert(0, str(REPO / "tests"))
        from conftest import make_tiny_documents

        from filter.store import save_model_dir
        from filter.training.train import train_model

        model, card, _ = train_model([], docs=make_tiny_documents())
        save_model_dir(model, work / "tiny", card)
        return load_model(work / "tiny"), f"tiny toy model (shipped model did not load: {str(exc)[:60]}...)"


def _write(path: Path, texts: list[str], n: int, *, html: bool) -> None:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    with path.open("wb") as out:
        w = WARCWriter(out, gzip=True)
        for i in range(n):
            text = texts[i % len(texts)]
            uri = f"https://bench.example/{i}"
            if html:
                body = (
                    "<html><body>" + "".join(f"<p>{p}</p>" for p in text.split("\n\n")) + "</body></html>"
                ).encode()
                headers = StatusAndHeaders(
                    "200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1"
                )
                rec = w.create_warc_record(
                    uri, "response", payload=io.BytesIO(body), length=len(body), http_headers=headers
                )
            else:
                body = text.encode()
                rec = w.create_warc_record(
                    uri,
                    "conversion",
                    payload=io.BytesIO(body),
                    length=len(body),
                    warc_content_type="text/plain",
                )
            w.write_record(rec)  # fmt: skip


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--records", type=int, default=2000)
    ap.add_argument("--model", default=None)
    args = ap.parse_args()

    from threadpoolctl import threadpool_limits

    from filter.warc import WarcStats, clean_records, default_converter, iter_records

    texts, source = _texts(args.records)
    with tempfile.TemporaryDirectory() as tmp, threadpool_limits(limits=1):
        work = Path(tmp)
        wet, warc = work / "bench.warc.wet.gz", work / "bench.warc.gz"
        _write(wet, texts, args.records, html=False)
        _write(warc, texts, args.records, html=True)
        flt, model_name = _model(args.model, work)
        rows = []
        steps = (
            ("read WET", lambda: sum(1 for _ in iter_records(wet, stats=WarcStats()))),
            (f"read WARC + HTML ({default_converter()})", lambda: sum(1 for _ in iter_records(warc))),
            ("read WET + clean", lambda: sum(1 for _ in clean_records(wet, flt, stats=WarcStats()))),  # type: ignore[arg-type]
        )  # fmt: skip
        for label, fn in steps:
            t0 = time.perf_counter()
            n = fn()
            dt = time.perf_counter() - t0
            assert n == args.records, (label, n)
            rows.append((label, n, dt))
        mb = wet.stat().st_size / 1e6
    print(f"texts: {source}; model: {model_name}; WET file {mb:.1f} MB gzip; one process, one thread\n")
    print("| step | records | seconds | records/s |\n|---|---:|---:|---:|")
    for label, n, dt in rows:
        print(f"| {label} | {n:,} | {dt:.2f} | {n / dt:,.0f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
