"""filter.warc: WET conversion and WARC response records read, cleaned, bad records reported, never a crash.

The archives are written with warcio itself (the reader's own library), plain and gzip per record as Common
Crawl ships them; the page texts are the toy corpus of tests/conftest.py.
"""

from __future__ import annotations

import gzip
import io
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from conftest import REPO, make_tiny_documents

pytest.importorskip("warcio")

from warcio.statusandheaders import StatusAndHeaders  # noqa: E402
from warcio.warcwriter import WARCWriter  # noqa: E402

from filter.api import ArticleFilter  # noqa: E402
from filter.cli import main  # noqa: E402
from filter.compress import open_output  # noqa: E402
from filter.segment import html_to_text  # noqa: E402
from filter.warc import WarcStats, WarcText, clean_records, is_warc_name, iter_records, write_wet  # noqa: E402

TEXTS = ["\n\n".join(d.paragraphs) for d in make_tiny_documents(6, seed=11)]


def _wet(out: Any, texts: list[str], *, gz: bool) -> None:
    w = WARCWriter(out, gzip=gz)
    w.write_record(w.create_warcinfo_record("crawl.warc.wet", {"software": "tests"}))
    for i, text in enumerate(texts):
        payload = text.encode("utf-8")
        w.write_record(
            w.create_warc_record(
                f"https://news.example/{i}",
                "conversion",
                payload=io.BytesIO(payload),
                length=len(payload),
                warc_content_type="text/plain",
                warc_headers_dict={
                    "WARC-Identified-Content-Language": "eng",
                    "WARC-Date": f"2024-01-0{i + 1}T00:00:00Z",
                },
            )
        )


def _response(w: WARCWriter, uri: str, body: bytes, content_type: str, status: str = "200 OK") -> None:
    headers = StatusAndHeaders(status, [("Content-Type", content_type)], protocol="HTTP/1.1")
    w.write_record(
        w.create_warc_record(
            uri, "response", payload=io.BytesIO(body), length=len(body), http_headers=headers
        )
    )


def _html(text: str) -> str:
    return "<html><body>" + "".join(f"<p>{p}</p>" for p in text.split("\n\n")) + "</body></html>"


def _warc(path: Path, *, gz: bool = True) -> None:
    with path.open("wb") as out:
        w = WARCWriter(out, gzip=gz)
        w.write_record(w.create_warcinfo_record(path.name, {"software": "tests"}))
        req = StatusAndHeaders("GET / HTTP/1.1", [("Host", "news.example")], is_http_request=True)
        request = w.create_warc_record(
            "https://news.example/0", "request", payload=io.BytesIO(b""), length=0, http_headers=req
        )
        w.write_record(request)
        _response(w, "https://news.example/0", _html(TEXTS[0]).encode("utf-8"), "text/html; charset=utf-8")
        _response(
            w, "https://news.example/1", _html(TEXTS[1]).encode("cp1252"), "text/html; charset=windows-1252"
        )
        _response(w, "https://news.example/logo.png", b"\x89PNG\r\n\x1a\n", "image/png")
        _response(
            w, "https://news.example/old", b"<html>moved</html>", "text/html", status="301 Moved Permanently"
        )
        _response(w, "https://news.example/2", _html(TEXTS[2]).encode("utf-8"), "application/xhtml+xml")


@pytest.mark.parametrize("gz", [True, False], ids=["gzip", "plain"])
def test_wet_records(tmp_path: Path, gz: bool) -> None:
    path = tmp_path / ("crawl.warc.wet.gz" if gz else "crawl.warc.wet")
    with path.open("wb") as out:
        _wet(out, TEXTS, gz=gz)
    stats = WarcStats()
    records = list(iter_records(path, stats=stats))
    assert [r.text for r in records] == TEXTS
    assert [r.uri for r in records] == [f"https://news.example/{i}" for i in range(len(TEXTS))]
    assert records[0].date == "2024-01-01T00:00:00Z" and records[0].language_hint == "eng"
    assert all(r.record_id and r.record_id.startswith("<urn:uuid:") for r in records)
    assert records[0].content_type == "text/plain"
    assert (stats.records, stats.texts, dict(stats.skipped), stats.errors) == (7, 6, {"warcinfo": 1}, [])


def test_warc_responses_html_converted_and_others_skipped(tmp_path: Path) -> None:
    path = tmp_path / "crawl.warc.gz"
    _warc(path)
    stats = WarcStats()
    records = list(iter_records(path, stats=stats, converter="stdlib"))
    assert [r.uri for r in records] == [
        "https://news.example/0",
        "https://news.example/1",
        "https://news.example/2",
    ]
    assert [r.text for r in records] == [html_to_text(_html(t)) for t in TEXTS[:3]]
    assert records[1].text == TEXTS[1]  # cp1252 declared in the HTTP header, decoded losslessly
    assert dict(stats.skipped) == {
        "warcinfo": 1,
        "request": 1,
        "response (image/png)": 1,
        "response (status 301)": 1,
    }
    assert stats.errors == []


def test_warc_default_converter_is_the_importers_one(tmp_path: Path) -> None:
    pytest.importorskip("html_text")
    from filter.training.converters import render

    path = tmp_path / "crawl.warc"
    _warc(path, gz=False)
    records = list(iter_records(path))
    assert [r.text for r in records] == [render(_html(t), "html_text") for t in TEXTS[:3]]


def test_bad_records_are_reported_not_raised(tmp_path: Path) -> None:
    buf = io.BytesIO()
    _wet(buf, TEXTS[:2], gz=True)
    w = WARCWriter(buf, gzip=True)
    binary = b"\x00\x01\x02\x03 not text \x00" * 10
    w.write_record(
        w.create_warc_record("https://x/bin", "conversion", payload=io.BytesIO(binary), length=len(binary))
    )
    _wet(buf, TEXTS[2:3], gz=True)
    data = buf.getvalue()
    seen: list[Any] = []
    stats = WarcStats()
    records = list(iter_records(io.BytesIO(data), stats=stats, on_error=seen.append))
    assert [r.text for r in records] == TEXTS[:3]  # the bad one skipped, the one after it still read
    assert len(seen) == 1 and seen == stats.errors
    assert seen[0].error == "decode" and "binary data" in seen[0].message and seen[0].record_id

    # A truncated last record is an error (never half a page passed off as whole); the records before it stay.
    for gz in (True, False):
        buf = io.BytesIO()
        _wet(buf, TEXTS[:3], gz=gz)
        stats = WarcStats()
        cut = list(iter_records(io.BytesIO(buf.getvalue()[:-40]), stats=stats))
        assert [r.text for r in cut] == TEXTS[:2]
        assert len(stats.errors) == 1 and stats.errors[0].error in ("truncated", "archive")

    stats = WarcStats()
    assert list(iter_records(io.BytesIO(b"this is not an archive\r\n\r\n"), stats=stats)) == []
    assert [e.error for e in stats.errors] == ["format"]

    with pytest.warns(RuntimeWarning, match="binary data"):  # neither callback nor stats: still not silent
        assert len(list(iter_records(io.BytesIO(data)))) == 3


def test_record_size_limit(tmp_path: Path) -> None:
    buf = io.BytesIO()
    _wet(buf, TEXTS[:2], gz=False)
    stats = WarcStats()
    assert list(iter_records(io.BytesIO(buf.getvalue()), stats=stats, max_record_bytes=10)) == []
    assert [e.error for e in stats.errors] == ["too_large", "too_large"]


@pytest.mark.parametrize("suffix", [".gz", ".bz2", ".xz", ".zst"])
def test_wet_compressed_equals_plain_text_files(
    tmp_path: Path,
    suffix: str,
    tiny_filter: ArticleFilter,
    tiny_model_dir: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Item 5 of issue 13: a .warc.wet.* gives the same cleaned text as the same pages as plain text files."""
    if suffix == ".zst":
        pytest.importorskip("zstandard")
    if suffix == ".gz":
        path = tmp_path / "crawl.warc.wet.gz"
        with path.open("wb") as out:
            _wet(out, TEXTS, gz=True)
    else:
        path = tmp_path / f"crawl.warc.wet{suffix}"
        with open_output(path) as out:
            _wet(out, TEXTS, gz=False)
    rows = list(clean_records(path, tiny_filter, batch_size=4))
    plain_outputs = []
    for i, text in enumerate(TEXTS):
        f = tmp_path / f"page{i}.txt"
        f.write_text(text, encoding="utf-8")
        assert main(["clean", str(f), "--model", str(tiny_model_dir)]) == 0
        plain_outputs.append(capsys.readouterr().out.rstrip("\n"))
    assert [r["clean_text"] for r in rows] == plain_outputs == tiny_filter.clean_many(TEXTS)
    assert [r["uri"] for r in rows] == [f"https://news.example/{i}" for i in range(len(TEXTS))]
    assert all(r["language"] == "en" and r["language_hint"] == "eng" for r in rows)
    assert set(rows[0]) == {
        "uri", "date", "record_id", "language", "language_hint", "warnings", "article_score", "clean_text",
    }  # fmt: skip
    json.dumps(rows)  # JSONL-ready


def test_clean_records_explain_and_items(tiny_filter: ArticleFilter) -> None:
    items = [WarcText(f"u{i}", None, f"<id{i}>", None, "text/plain", t) for i, t in enumerate(TEXTS[:3])]
    rows = list(clean_records(items, tiny_filter, explain=True, output_field="text", batch_size=2))
    docs = tiny_filter.classify_many(TEXTS[:3])
    assert [r["text"] for r in rows] == tiny_filter.clean_many(TEXTS[:3])
    for row, doc in zip(rows, docs):
        assert [p["label"] for p in row["paragraphs"]] == [p.label.value for p in doc]
        assert [p["start"] for p in row["paragraphs"]] == [p.start for p in doc]
    with pytest.raises(TypeError, match="only apply when reading a file"):
        list(clean_records(items, tiny_filter, converter="stdlib"))


def test_write_wet_round_trip(tmp_path: Path, tiny_filter: ArticleFilter) -> None:
    src = tmp_path / "in.warc.wet.gz"
    with src.open("wb") as out:
        _wet(out, TEXTS, gz=True)
    rows = list(clean_records(src, tiny_filter))
    dst = tmp_path / "out.warc.wet.gz"
    with dst.open("wb") as out:
        assert write_wet(rows, out) == len(TEXTS)
    back = list(iter_records(dst))
    assert [r.text for r in back] == [r["clean_text"] for r in rows]
    assert [r.uri for r in back] == [r["uri"] for r in rows]
    assert gzip.decompress(dst.read_bytes()).startswith(b"WARC/1")


def test_cli_clean_wet_to_stdout(tmp_path: Path, tiny_filter: ArticleFilter, tiny_model_dir: Path) -> None:
    path = tmp_path / "crawl.warc.wet.gz"
    with path.open("wb") as out:
        _wet(out, TEXTS, gz=True)
    done = subprocess.run(
        [sys.executable, "-m", "filter", "clean", str(path), "--model", str(tiny_model_dir), "--explain"],
        capture_output=True, text=True, timeout=120, check=False, env={**os.environ, "PYTHONPATH": str(REPO)},
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    rows = [json.loads(line) for line in done.stdout.splitlines()]
    assert [r["clean_text"] for r in rows] == tiny_filter.clean_many(TEXTS)
    assert all("paragraphs" in r for r in rows)
    assert done.stderr.strip().splitlines() == [
        f"article-filter: {path}: 6 records cleaned, 0 failed; skipped 1 warcinfo"
    ]


def test_missing_warcio_is_one_line(tmp_path: Path, tiny_model_dir: Path) -> None:
    path = tmp_path / "crawl.warc.wet.gz"
    with path.open("wb") as out:
        _wet(out, TEXTS[:1], gz=True)
    code = (
        "import sys; sys.modules['warcio'] = None; from filter.cli import main; "
        f"raise SystemExit(main(['clean', {str(path)!r}, '--model', {str(tiny_model_dir)!r}]))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], env={**os.environ, "PYTHONPATH": str(REPO)}, capture_output=True, text=True,
        timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 2
    assert done.stderr.strip().splitlines() == [
        "article-filter WARC/WET input needs warcio: pip install 'article-filter[warc]'"
    ]


def test_is_warc_name() -> None:
    assert is_warc_name("CC-MAIN-x.warc.wet.gz") and is_warc_name("a.warc") and is_warc_name("a.wet.zst")
    assert not is_warc_name("a.jsonl.gz") and not is_warc_name("warc.txt")


def test_batch_cleans_a_wet_file_into_jsonl_rows_and_resumes(tmp_path: Path, tiny_model_dir: Path) -> None:
    """`clean crawl.warc.wet.gz -o out/`: one JSONL row per page record with the record's URI, date and id,
    the same cleaned text as the library, and a rerun that skips what is done."""
    src = tmp_path / "crawl.warc.wet.gz"
    with src.open("wb") as out:
        _wet(out, TEXTS, gz=True)
    out_dir = tmp_path / "out"
    args = [
        "clean",
        str(src),
        "-o",
        str(out_dir),
        "--model",
        str(tiny_model_dir),
        "--quiet",
        "--chunk-size",
        "4",
    ]
    assert main(args) == 0
    parts = sorted(out_dir.glob("part-*.jsonl.gz"))  # JSONL rows, in the input's compression
    assert [p.name for p in parts] == ["part-00000.jsonl.gz", "part-00001.jsonl.gz"]
    rows = [json.loads(line) for p in parts for line in gzip.decompress(p.read_bytes()).splitlines()]
    assert [r["uri"] for r in rows] == [f"https://news.example/{i}" for i in range(len(TEXTS))]
    assert all(r["record_id"] and r["date"] for r in rows)
    from filter import load_model

    assert [r["clean_text"] for r in rows] == load_model(tiny_model_dir).clean_many(TEXTS)
    before = [p.read_bytes() for p in parts]
    assert main(args) == 0  # resumed: nothing to do, outputs untouched
    assert [p.read_bytes() for p in parts] == before


def test_batch_wet_output_round_trips(tmp_path: Path, tiny_model_dir: Path) -> None:
    """`clean crawl.warc.wet.gz -o out/ --format wet`: WET conversion records (gzip, as the input) that the
    WARC readers read back, with the source's URI, date and record id, and the cleaned text."""
    src = tmp_path / "crawl.warc.wet.gz"
    with src.open("wb") as out:
        _wet(out, TEXTS, gz=True)
    base = ["clean", str(src), "--model", str(tiny_model_dir), "--quiet"]
    assert main([*base, "-o", str(tmp_path / "rows")]) == 0
    rows = [
        json.loads(x)
        for x in gzip.decompress((tmp_path / "rows" / "part-00000.jsonl.gz").read_bytes()).splitlines()
    ]
    assert main([*base, "-o", str(tmp_path / "wet"), "--format", "wet"]) == 0
    part = tmp_path / "wet" / "part-00000.warc.wet.gz"
    back = list(iter_records(part))
    assert [r.text for r in back] == [r["clean_text"] for r in rows]
    assert [r.uri for r in back] == [r["uri"] for r in rows] and [r.date for r in back] == [
        r["date"] for r in rows
    ]
    source_ids = [r.record_id for r in iter_records(src)]
    with gzip.open(part, "rb") as fh:
        from warcio.archiveiterator import ArchiveIterator

        refers = [rec.rec_headers.get_header("WARC-Refers-To") for rec in ArchiveIterator(fh)]
    assert refers == source_ids
    again = tmp_path / "wet2"
    assert main([*base, "-o", str(again), "--format", "wet"]) == 0
    assert (again / part.name).read_bytes() == part.read_bytes()  # deterministic record ids and gzip
    assert main([*base, "-o", str(tmp_path / "x"), "--format", "wet", "--explain"]) == 2


def test_jsonl_to_wet_and_plain_wet(tmp_path: Path, tiny_model_dir: Path, tiny_filter: ArticleFilter) -> None:
    src = tmp_path / "in.jsonl"
    rows = [{"url": f"https://a.example/{i}", "text": t} for i, t in enumerate(TEXTS[:3])]
    rows.append({"text": TEXTS[3]})  # no URL: a urn made of the file and line
    src.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    argv = ["clean", str(src), "-o", str(tmp_path / "out"), "--format", "wet", "--model", str(tiny_model_dir)]
    assert main([*argv, "--quiet"]) == 0
    part = tmp_path / "out" / "part-00000.warc.wet"
    assert part.read_bytes().startswith(b"WARC/1.0\r\nWARC-Type: conversion\r\n")
    back = list(iter_records(part))
    assert [r.text for r in back] == tiny_filter.clean_many(TEXTS[:4])
    assert [r.uri for r in back] == [r.get("url") for r in rows[:3]] + ["urn:article-filter:in.jsonl:4"]
    assert all(r.date and r.date.endswith("Z") for r in back)  # the input's mtime
