"""`clean --format` for table outputs, and the same cleaned text whatever the container (issue 13).

The formats: every input table can be written as JSONL, CSV, Parquet or WET-style records, holding the same
records (input row + the added columns). The containers: `.jsonl.gz`, `.warc.wet.gz` and a DataFrame give
the same cleaned text as the plain `.jsonl` under each documented flag of `clean`.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
from pathlib import Path
from typing import Any

import pytest
from conftest import make_tiny_documents

from filter.cli import main

TEXTS = ["\n\n".join(d.paragraphs) for d in make_tiny_documents(6, seed=11)]


def _jsonl(path: Path, rows: list[dict[str, Any]]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def _rows() -> list[dict[str, Any]]:
    return [{"id": f"d{i}", "text": t, "n": i, "tags": ["a", str(i)]} for i, t in enumerate(TEXTS)]


def _clean(model: Path, *args: str) -> int:
    return main(["clean", *args, "--model", str(model), "--quiet"])


def _part_records(folder: Path) -> list[dict[str, Any]]:
    (part,) = folder.glob("part-*")
    if part.suffix == ".parquet":
        import pyarrow.parquet as pq

        return list(pq.read_table(part).to_pylist())
    if part.suffix == ".csv":
        return list(csv.DictReader(io.StringIO(part.read_text(encoding="utf-8"))))
    return [json.loads(x) for x in part.read_text(encoding="utf-8").splitlines()]


@pytest.mark.parametrize("fmt", ["jsonl", "csv", "parquet"])
def test_jsonl_input_in_every_table_format(tmp_path: Path, tiny_model_dir: Path, fmt: str) -> None:
    if fmt == "parquet":
        pytest.importorskip("pyarrow")
    src = _jsonl(tmp_path / "in.jsonl", _rows())
    assert _clean(tiny_model_dir, str(src), "-o", str(tmp_path / "plain"), "--explain") == 0
    assert _clean(tiny_model_dir, str(src), "-o", str(tmp_path / fmt), "--explain", "--format", fmt) == 0
    want = _part_records(tmp_path / "plain")
    got = _part_records(tmp_path / fmt)
    assert [r["clean_text"] for r in got] == [r["clean_text"] for r in want]
    assert list(got[0]) == list(want[0])  # same columns, same order
    if fmt == "jsonl":
        assert (tmp_path / fmt / "part-00000.jsonl").read_bytes() == (
            tmp_path / "plain" / "part-00000.jsonl"
        ).read_bytes()
    else:  # nested values are JSON text in CSV and Parquet cells
        assert json.loads(got[0]["clean_text_paragraphs"]) == want[0]["clean_text_paragraphs"]
        assert json.loads(got[0]["tags"]) == want[0]["tags"] if fmt == "csv" else got[0]["tags"] == ["a", "0"]


def test_csv_and_parquet_inputs_as_jsonl(tmp_path: Path, tiny_model_dir: Path) -> None:
    pa = pytest.importorskip("pyarrow")
    import pyarrow.parquet as pq

    rows = [{"id": f"d{i}", "text": t} for i, t in enumerate(TEXTS)]
    buf = io.StringIO()
    w = csv.DictWriter(buf, ["id", "text"], lineterminator="\n")
    w.writeheader()
    w.writerows(rows)
    (tmp_path / "in.csv").write_text(buf.getvalue(), encoding="utf-8")
    pq.write_table(pa.Table.from_pylist(rows), tmp_path / "in.parquet")
    want = None
    for name in ("in.csv", "in.parquet"):
        out = tmp_path / f"out-{name}"
        assert _clean(tiny_model_dir, str(tmp_path / name), "-o", str(out), "--format", "jsonl") == 0
        got = _part_records(out)
        assert [r["id"] for r in got] == [r["id"] for r in rows]
        want = want or [r["clean_text"] for r in got]
        assert [r["clean_text"] for r in got] == want


def test_parquet_format_handles_mixed_types(tmp_path: Path, tiny_model_dir: Path) -> None:
    pytest.importorskip("pyarrow")
    rows = [{"text": TEXTS[0], "x": 1, "meta": {}}, {"text": TEXTS[1], "x": "one", "meta": {}}]
    src = _jsonl(tmp_path / "in.jsonl", rows)
    assert _clean(tiny_model_dir, str(src), "-o", str(tmp_path / "out"), "--format", "parquet") == 0
    got = _part_records(tmp_path / "out")
    assert [r["x"] for r in got] == ["1", '"one"'] and [r["meta"] for r in got] == ["{}", "{}"]


# ----------------------------------------------------------------------------- same text, any container
#: the documented flags of `clean` that change what a row's cleaned text or its added columns hold
FLAGS = [
    [],
    ["--explain"],
    ["--min-core-probability", "0.8"],
    ["--output-field", "cleaned", "--explain"],
    ["--chunk-size", "2", "--batch-size", "1"],
    ["--jobs", "2", "--min-core-probability", "0.2"],
]


def _rows_of(folder: Path) -> list[dict[str, Any]]:
    out = []
    for part in sorted(folder.glob("part-*")):
        data = part.read_bytes()
        if part.suffix == ".gz":
            data = gzip.decompress(data)
        out += [json.loads(x) for x in data.splitlines()]
    return out


@pytest.mark.parametrize("flags", FLAGS, ids=lambda f: " ".join(f) or "defaults")
def test_same_cleaned_text_from_jsonl_gz_wet_and_frame(
    tmp_path: Path, tiny_model_dir: Path, flags: list[str]
) -> None:
    rows = [{"id": f"d{i}", "text": t} for i, t in enumerate(TEXTS)]
    plain = _jsonl(tmp_path / "in.jsonl", rows)
    packed = tmp_path / "in.jsonl.gz"
    packed.write_bytes(gzip.compress(plain.read_bytes()))
    for src, out in ((plain, "plain"), (packed, "packed")):
        assert _clean(tiny_model_dir, str(src), "-o", str(tmp_path / out), "--id-field", "id", *flags) == 0
    want = _rows_of(tmp_path / "plain")
    assert _rows_of(tmp_path / "packed") == want  # .jsonl.gz: every row identical
    of = flags[flags.index("--output-field") + 1] if "--output-field" in flags else "clean_text"
    texts = [r[of] for r in want]
    explain = "--explain" in flags
    if explain:
        assert all(isinstance(r[f"{of}_paragraphs"], list) for r in want)

    pytest.importorskip("warcio")
    from test_warc import _wet

    wet = tmp_path / "crawl.warc.wet.gz"
    with wet.open("wb") as fh:
        _wet(fh, TEXTS, gz=True)
    assert _clean(tiny_model_dir, str(wet), "-o", str(tmp_path / "wet"), *flags) == 0
    got = _rows_of(tmp_path / "wet")
    assert [r[of] for r in got] == texts  # .warc.wet.gz: the same cleaned text
    if explain:
        assert [r[f"{of}_paragraphs"] for r in got] == [r[f"{of}_paragraphs"] for r in want]

    pd = pytest.importorskip("pandas")
    from filter import load_model
    from filter.frame import clean_frame

    flt = load_model(tiny_model_dir)
    if "--min-core-probability" in flags:
        p = float(flags[flags.index("--min-core-probability") + 1])
        flt = flt.with_config(flt.config.with_options(min_core_probability=p))
    frame = clean_frame(pd.DataFrame(rows), "text", of, model=flt, chunk_size=2)
    assert frame[of].tolist() == texts  # a DataFrame: the same cleaned text
