"""Compressed tables and text in the batch: same cleaned output as the plain input, outputs in the input's
compression unless ``--compress`` says otherwise, resumable (issue 13)."""

from __future__ import annotations

import bz2
import csv
import gzip
import io
import json
import lzma
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from conftest import make_tiny_documents

from filter.cli import main
from filter.compress import open_input, open_output

TEXTS = ["\n\n".join(d.paragraphs) for d in make_tiny_documents(6, seed=11)]
_OPEN: dict[str, Callable[..., Any]] = {".gz": gzip.open, ".bz2": bz2.open, ".xz": lzma.open}


def _suffixes() -> list[str]:
    try:
        import zstandard  # noqa: F401
    except ImportError:
        return list(_OPEN)
    return [*_OPEN, ".zst"]


def _write(path: Path, body: bytes) -> None:
    with open_output(path) as fh:  # compression from the name
        fh.write(body)


def _read(path: Path) -> bytes:
    with open_input(path) as fh:
        return fh.read()


def _clean(model: Path, *args: str) -> int:
    return main(["clean", *args, "--model", str(model), "--quiet"])


def _jsonl_body() -> bytes:
    rows = [{"id": i, "text": t} for i, t in enumerate(TEXTS)]
    return "".join(json.dumps(r) + "\n" for r in rows).encode("utf-8")


@pytest.mark.parametrize("suffix", _suffixes())
def test_compressed_jsonl_keeps_its_compression(tmp_path: Path, tiny_model_dir: Path, suffix: str) -> None:
    body = _jsonl_body()
    (tmp_path / "in.jsonl").write_bytes(body)
    _write(tmp_path / f"in.jsonl{suffix}", body)
    assert _clean(tiny_model_dir, str(tmp_path / "in.jsonl"), "-o", str(tmp_path / "plain")) == 0
    assert _clean(tiny_model_dir, str(tmp_path / f"in.jsonl{suffix}"), "-o", str(tmp_path / "kept")) == 0
    want = (tmp_path / "plain" / "part-00000.jsonl").read_bytes()
    kept = tmp_path / "kept" / f"part-00000.jsonl{suffix}"
    assert [p.name for p in (tmp_path / "kept").glob("part-*")] == [kept.name]
    assert _read(kept) != kept.read_bytes() and _read(kept) == want and len(want.splitlines()) == len(TEXTS)
    # --compress none: the plain part, byte for byte; --compress xz on the plain input: compressed
    args = ["-o", str(tmp_path / "none"), "--compress", "none"]
    assert _clean(tiny_model_dir, str(tmp_path / f"in.jsonl{suffix}"), *args) == 0
    assert (tmp_path / "none" / "part-00000.jsonl").read_bytes() == want
    assert (
        _clean(tiny_model_dir, str(tmp_path / "in.jsonl"), "-o", str(tmp_path / "xz"), "--compress", "xz")
        == 0
    )
    assert lzma.decompress((tmp_path / "xz" / "part-00000.jsonl.xz").read_bytes()) == want


def test_compressed_output_resumes_and_is_deterministic(tmp_path: Path, tiny_model_dir: Path) -> None:
    src = tmp_path / "in.jsonl.gz"
    _write(src, _jsonl_body())
    out = tmp_path / "out"
    args = [str(src), "-o", str(out), "--chunk-size", "2"]
    assert _clean(tiny_model_dir, *args) == 0
    parts = sorted(out.glob("part-*"))
    assert [p.name for p in parts] == [f"part-0000{k}.jsonl.gz" for k in range(3)]
    before = [p.read_bytes() for p in parts]
    parts[1].unlink()  # as if killed before that part was committed
    assert _clean(tiny_model_dir, *args) == 0
    assert [p.read_bytes() for p in sorted(out.glob("part-*"))] == before  # gzip without time stamp
    journal = [json.loads(line) for line in (out / ".batch" / "done.jsonl").read_text().splitlines()]
    assert [e["unit"] for e in journal].count("chunk:in.jsonl.gz:1") == 2  # redone once, the others skipped
    # another compression into the same folder is refused (the outputs would mix); --overwrite redoes them
    assert _clean(tiny_model_dir, *args, "--compress", "bz2") == 2
    assert _clean(tiny_model_dir, *args, "--compress", "bz2", "--overwrite") == 0
    assert sorted(p.name for p in out.glob("part-*")) == [f"part-0000{k}.jsonl.bz2" for k in range(3)]
    assert [bz2.decompress(p.read_bytes()) for p in sorted(out.glob("part-*"))] == [
        gzip.decompress(b) for b in before
    ]


def test_text_files_keep_their_compression(tmp_path: Path, tiny_model_dir: Path, tiny_filter) -> None:  # type: ignore[no-untyped-def]
    src = tmp_path / "in"
    src.mkdir()
    (src / "a.txt").write_text(TEXTS[0], encoding="utf-8")
    _write(src / "b.txt.gz", TEXTS[1].encode("utf-8"))
    _write(src / "c.html.xz", TEXTS[2].encode("utf-8"))
    (src / "d.gz").write_text(TEXTS[3], encoding="utf-8")  # mislabelled: plain text, named .gz
    globs = ["--glob", "*.txt", "--glob", "*.gz", "--glob", "*.xz"]
    assert _clean(tiny_model_dir, str(src), "-o", str(tmp_path / "out"), *globs) == 0
    out = tmp_path / "out"
    names = sorted(p.name for p in out.iterdir() if p.is_file() and not p.name.endswith("jsonl"))
    assert names == ["a.txt", "b.txt.gz", "c.html.txt.xz", "d.gz.txt"]
    want = [c + "\n" for c in tiny_filter.clean_many(TEXTS[:4])]
    got = [_read(out / n).decode("utf-8") for n in names]
    assert got == want and (out / "b.txt.gz").read_bytes()[:2] == b"\x1f\x8b"
    # --compress none / gz: one compression for all
    assert _clean(tiny_model_dir, str(src), "-o", str(tmp_path / "none"), *globs, "--compress", "none") == 0
    assert sorted(p.name for p in (tmp_path / "none").glob("*.txt")) == [
        "a.txt",
        "b.txt",
        "c.html.txt",
        "d.gz.txt",
    ]
    assert _clean(tiny_model_dir, str(src), "-o", str(tmp_path / "gz"), *globs, "--compress", "gz") == 0
    assert gzip.decompress((tmp_path / "gz" / "a.txt.gz").read_bytes()).decode("utf-8") == want[0]
    # one output file: its name says the compression
    assert _clean(tiny_model_dir, str(src / "a.txt"), "-o", str(tmp_path / "one.txt.gz")) == 0
    assert gzip.decompress((tmp_path / "one.txt.gz").read_bytes()).decode("utf-8") == want[0]


def _csv_body(texts: list[str], broken: bool = False) -> bytes:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["id", "text"])
    for i, t in enumerate(texts):
        w.writerow([f"r{i}", t])
        if broken and i == 1:
            buf.write('bad,"an unclosed quote\nthat swallows\n')  # refused; the rows after it are still read
    return buf.getvalue().encode("utf-8")


@pytest.mark.parametrize("suffix", _suffixes())
def test_compressed_csv_equals_plain(tmp_path: Path, tiny_model_dir: Path, suffix: str) -> None:
    body = _csv_body(TEXTS, broken=True)
    (tmp_path / "in.csv").write_bytes(body)
    _write(tmp_path / f"in.csv{suffix}", body)
    assert _clean(tiny_model_dir, str(tmp_path / "in.csv"), "-o", str(tmp_path / "plain"), "--explain") == 1
    assert (
        _clean(tiny_model_dir, str(tmp_path / f"in.csv{suffix}"), "-o", str(tmp_path / "z"), "--explain") == 1
    )
    want = (tmp_path / "plain" / "part-00000.csv").read_bytes()
    assert _read(tmp_path / "z" / f"part-00000.csv{suffix}") == want
    assert len(list(csv.reader(io.StringIO(want.decode("utf-8"))))) == 1 + len(TEXTS)
    errors = [(tmp_path / d / "errors.jsonl").read_text(encoding="utf-8") for d in ("plain", "z")]
    assert errors[0].replace("in.csv", "") == errors[1].replace(f"in.csv{suffix}", "")
    assert json.loads(errors[0].splitlines()[0])["error"] == "BadCsvRow"


def test_corrupt_compressed_csv_is_one_error(tmp_path: Path, tiny_model_dir: Path) -> None:
    src = tmp_path / "in.csv.gz"
    src.write_bytes(gzip.compress(_csv_body(TEXTS))[:40])  # truncated
    assert _clean(tiny_model_dir, str(src), "-o", str(tmp_path / "out")) == 1
    errors = (tmp_path / "out" / "errors.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(errors) == 1 and "in.csv.gz" in errors[0]


def test_every_warc_name_is_a_table_in_the_batch() -> None:
    """`clean crawl.warc.wet.xz -o out/` goes to the WARC reader, never cleans the archive as one document."""
    from filter.batch import formats
    from filter.compress import _SUFFIXES
    from filter.warc import is_warc_name

    for base in ("crawl.warc.wet", "crawl.warc", "crawl.wet", "old.arc"):
        for comp in ["", *(s for suffixes in _SUFFIXES.values() for s in suffixes)]:
            assert is_warc_name(base + comp) and formats.format_for_path(base + comp) == "warc", base + comp
    assert formats.format_for_path("a.csv.zst") == "csv" and formats.format_for_path("a.txt.gz") is None
