"""Batch mode (filter/batch.py): every input kind, every kind of bad input, exit codes, atomicity, resuming.

All runs go through the CLI entry point in-process (``filter.cli.main``) with the tiny model, one worker.
"""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path
from typing import Any

import pytest
from conftest import make_tiny_documents

from filter.cli import main


def _docs(n: int, seed: int = 7) -> list[str]:
    return ["\n\n".join(d.paragraphs) for d in make_tiny_documents(n, seed=seed)]


def _run(*args: Any, model: Path) -> int:
    return main([str(a) for a in args] + ["--model", str(model), "--quiet", "--jobs", "1"])


def tree(root: Path) -> dict[str, Any]:
    """Output files (not the .batch bookkeeping) -> content; Parquet as rows, so encodings do not matter."""
    out: dict[str, Any] = {}
    for p in sorted(root.rglob("*")):
        if p.is_file() and ".batch" not in p.relative_to(root).parts:
            if p.suffix == ".parquet":
                import pyarrow.parquet as pq

                out[p.relative_to(root).as_posix()] = pq.read_table(p).to_pylist()
            else:
                out[p.relative_to(root).as_posix()] = p.read_bytes()
    return out


def assert_no_temp_files(root: Path) -> None:
    assert not [p for p in root.rglob("*.tmp")], "temporary files left behind"


def _errors(out: Path) -> list[dict[str, Any]]:
    path = out / "errors.jsonl"
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def _expected_clean(flt: Any, text: str) -> bytes:
    c = flt.clean(text)
    return (c + ("\n" if c and not c.endswith("\n") else "")).encode("utf-8")


# ------------------------------------------------------------------------------------------- text inputs
def test_folder_is_mirrored_recursively(tmp_path: Path, tiny_model_dir: Path, tiny_filter: Any) -> None:
    src = tmp_path / "in"
    docs = _docs(5)
    files = {"a.txt": docs[0], "sub/b.txt": docs[1], "sub/deep/c.text": docs[2], "page.html": docs[3]}
    for rel, text in files.items():
        (src / rel).parent.mkdir(parents=True, exist_ok=True)
        (src / rel).write_text(text, encoding="utf-8")
    (src / "notes.md").write_text(docs[4], encoding="utf-8")  # not matched by the default globs
    (src / ".hidden").mkdir()
    (src / ".hidden" / "x.txt").write_text(docs[4], encoding="utf-8")
    out = tmp_path / "out"
    assert _run("clean", src, "-o", out, model=tiny_model_dir) == 0
    got = tree(out)
    assert set(got) == {"a.txt", "sub/b.txt", "sub/deep/c.text.txt", "page.html.txt"}
    for rel, text in files.items():
        name = rel if rel.endswith(".txt") else rel + ".txt"
        assert got[name] == _expected_clean(tiny_filter, text)
    assert_no_temp_files(out)
    # --glob chooses other files
    out2 = tmp_path / "out2"
    assert _run("clean", src, "-o", out2, "--glob", "**/*.md", model=tiny_model_dir) == 0
    assert set(tree(out2)) == {"notes.md.txt"}


def test_several_inputs_keep_their_names(tmp_path: Path, tiny_model_dir: Path) -> None:
    docs = _docs(3)
    (tmp_path / "x").mkdir()
    (tmp_path / "x" / "a.txt").write_text(docs[0], encoding="utf-8")
    (tmp_path / "one.txt").write_text(docs[1], encoding="utf-8")
    out = tmp_path / "out"
    assert _run("clean", tmp_path / "x", tmp_path / "one.txt", "-o", out, model=tiny_model_dir) == 0
    assert set(tree(out)) == {"x/a.txt", "one.txt"}


def test_stdin_to_folder_and_to_file(
    tmp_path: Path, tiny_model_dir: Path, tiny_filter: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = _docs(1)[0]
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(text.encode("utf-8"))))
    out = tmp_path / "out"
    assert _run("clean", "-", "-o", out, model=tiny_model_dir) == 0
    assert (out / "stdin.txt").read_bytes() == _expected_clean(tiny_filter, text)
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(text.encode("utf-8"))))
    single = tmp_path / "cleaned.txt"
    assert _run("clean", "-", "-o", single, model=tiny_model_dir) == 0
    assert single.read_bytes() == _expected_clean(tiny_filter, text)
    assert_no_temp_files(tmp_path)


def test_bad_text_files_are_reported_and_encodings_kept(tmp_path: Path, tiny_model_dir: Path) -> None:
    src = tmp_path / "in"
    src.mkdir()
    docs = _docs(3)
    special = "Caf\u00e9 \u201cquoted\u201d \u2013 na\u00efve \u00a3300."
    (src / "binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    (src / "latin.txt").write_bytes((special + "\n\n" + docs[0]).encode("cp1252"))
    (src / "utf16.txt").write_bytes((special + "\n\n" + docs[1]).encode("utf-16"))  # with BOM
    (src / "empty.txt").write_bytes(b"")
    (src / "ok.txt").write_text(docs[2], encoding="utf-8")
    out = tmp_path / "out"
    assert _run("classify", src, "-o", out, model=tiny_model_dir) == 1
    errors = _errors(out)
    assert [(Path(e["file"]).name, e["error"]) for e in errors] == [("binary.txt", "BinaryInputError")]
    assert errors[0]["line"] is None and errors[0]["message"]
    got = tree(out)
    assert set(got) == {
        "latin.jsonl",
        "utf16.jsonl",
        "empty.jsonl",
        "ok.jsonl",
        "errors.jsonl",
        "decoding.jsonl",
    }
    notices = [json.loads(line) for line in got["decoding.jsonl"].decode("utf-8").splitlines()]
    assert [(Path(n["file"]).name, n["error"]) for n in notices] == [
        ("latin.txt", "cp1252")
    ]  # BOM: no notice
    assert got["empty.jsonl"] == b""  # an empty document is done, with no paragraphs
    for name in ("latin.jsonl", "utf16.jsonl"):
        rows = [json.loads(line) for line in got[name].decode("utf-8").splitlines()]
        assert rows[0]["text"] == special  # every character decoded, none dropped
        assert {r["doc_id"] for r in rows} == {name.replace(".jsonl", ".txt")}
    # clean: the empty file gives an empty output and counts as done
    out2 = tmp_path / "out2"
    assert _run("clean", src, "-o", out2, model=tiny_model_dir) == 1
    assert (out2 / "empty.txt").read_bytes() == b""
    assert not (out2 / "binary.txt").exists()
    assert_no_temp_files(tmp_path)


# ------------------------------------------------------------------------------------------- tables
def _write_jsonl(path: Path, docs: list[str]) -> None:
    lines = [json.dumps({"id": f"r{i}", "text": d, "n": i, "meta": {"k": [i]}}) for i, d in enumerate(docs)]
    lines.insert(2, "{not json at all")
    lines.insert(4, "")
    lines.insert(5, json.dumps({"id": "nofield", "body": "x"}))
    lines.insert(6, json.dumps({"id": "notstr", "text": 42}))
    lines.insert(7, json.dumps(["a", "list"]))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_jsonl_keeps_columns_adds_clean_text_and_reports_bad_lines(
    tmp_path: Path, tiny_model_dir: Path, tiny_filter: Any
) -> None:
    docs = _docs(7)
    src = tmp_path / "news.jsonl"
    _write_jsonl(src, docs)
    out = tmp_path / "out"
    assert (
        _run(
            "clean",
            src,
            "-o",
            out,
            "--chunk-size",
            "4",
            "--explain",
            "--id-field",
            "id",
            "--output-field",
            "body_clean",
            model=tiny_model_dir,
        )
        == 1
    )
    parts = sorted(out.glob("part-*.jsonl"))
    assert [p.name for p in parts] == ["part-00000.jsonl", "part-00001.jsonl", "part-00002.jsonl"]
    rows = [json.loads(line) for p in parts for line in p.read_text(encoding="utf-8").splitlines()]
    good = [r for r in rows if isinstance(r.get("text"), str)]
    assert [r["id"] for r in good] == [f"r{i}" for i in range(7)]
    for r in good:
        assert r["n"] == int(r["id"][1:]) and r["meta"] == {"k": [r["n"]]}
        assert r["body_clean"] == tiny_filter.clean(r["text"])
        paragraphs = tiny_filter.classify(r["text"])
        assert [p["text"] for p in r["body_clean_paragraphs"]] == [p.text for p in paragraphs]
        assert set(r["body_clean_paragraphs"][0]) == {"text", "label", "probabilities"}
    kept_bad = {r["id"]: r["body_clean"] for r in rows if not isinstance(r.get("text"), str)}
    assert kept_bad == {"nofield": None, "notstr": None}  # rows that parse are kept, output null
    errors = _errors(out)
    assert [(e["line"], e["record_id"], e["error"]) for e in errors] == [
        (3, None, "MalformedLine"),
        (6, "nofield", "MissingField"),
        (7, "notstr", "BadField"),
        (8, None, "MalformedLine"),
    ]
    assert all(e["file"] == str(src) for e in errors)
    assert_no_temp_files(out)


def test_csv_rows_stream_and_bad_rows_are_reported(
    tmp_path: Path, tiny_model_dir: Path, tiny_filter: Any
) -> None:
    import csv

    docs = _docs(4)
    src = tmp_path / "news.csv"
    with open(src, "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["id", "text", "source"])
        w.writerow(["a", docs[0], "x"])  # multi-line quoted field
        fh.write("b,too,many,fields\n")
        w.writerow(["c", docs[1], "y"])
        w.writerow(["d", "", "z"])  # empty document: done, empty output
        w.writerow(["e", docs[2], "w"])
    out = tmp_path / "out"
    assert _run("clean", src, "-o", out, "--chunk-size", "2", model=tiny_model_dir) == 1
    parts = sorted(out.glob("part-*.csv"))
    assert len(parts) == 3
    rows = [r for p in parts for r in csv.DictReader(p.open(encoding="utf-8", newline=""))]
    assert [r["id"] for r in rows] == ["a", "c", "d", "e"]
    assert [r["source"] for r in rows] == ["x", "y", "z", "w"]
    for r in rows:
        assert r["clean_text"] == tiny_filter.clean(r["text"])
    errors = _errors(out)
    assert len(errors) == 1 and errors[0]["error"] == "BadCsvRow"
    assert errors[0]["line"] == 2 + docs[0].count("\n") + 1  # physical line where the bad row starts


def test_csv_without_text_column_and_in_cp1252(tmp_path: Path, tiny_model_dir: Path) -> None:
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "nocol.csv").write_text("id,body\n1,hello\n", encoding="utf-8")
    special = "Caf\u00e9 \u201cquoted\u201d \u2013 na\u00efve."
    (tmp_path / "in" / "latin.csv").write_bytes(f'id,text\n1,"{special}"\n'.encode("cp1252"))
    out = tmp_path / "out"
    assert _run("classify", tmp_path / "in", "-o", out, "--glob", "*.csv", model=tiny_model_dir) == 1
    assert [(Path(e["file"]).name, e["error"]) for e in _errors(out)] == [("nocol.csv", "MissingField")]
    rows = [r for r in (out / "latin.csv" / "part-00000.csv").read_text(encoding="utf-8").splitlines()]
    assert special in rows[1]


def test_parquet_in_parquet_out(tmp_path: Path, tiny_model_dir: Path, tiny_filter: Any) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    docs = _docs(5) + [None]
    table = pa.table({"id": list(range(6)), "text": docs, "score": [0.5] * 6})
    src = tmp_path / "news.parquet"
    pq.write_table(table, src, row_group_size=2)
    out = tmp_path / "out"
    assert (
        _run(
            "clean",
            src,
            "-o",
            out,
            "--chunk-size",
            "4",
            "--explain",
            "--id-field",
            "id",
            model=tiny_model_dir,
        )
        == 1
    )
    parts = sorted(out.glob("part-*.parquet"))
    assert len(parts) == 2
    got = pa.concat_tables([pq.read_table(p) for p in parts]).to_pylist()
    assert [r["id"] for r in got] == list(range(6))
    assert all(r["score"] == 0.5 for r in got)
    for r in got[:5]:
        assert r["clean_text"] == tiny_filter.clean(r["text"])
        labels = {"core", "promotion", "filler", "boilerplate"}
        assert json.loads(r["clean_text_paragraphs"])[0]["label"] in labels
    assert got[5]["clean_text"] is None
    assert [(e["line"], e["record_id"], e["error"]) for e in _errors(out)] == [(6, 5, "MissingField")]


def test_classify_tables_write_feedback_rows(tmp_path: Path, tiny_model_dir: Path, tiny_filter: Any) -> None:
    from filter.training.data import read_documents

    docs = _docs(3)
    src = tmp_path / "news.jsonl"
    src.write_text(
        "".join(json.dumps({"id": f"doc{i}", "text": d}) + "\n" for i, d in enumerate(docs)), encoding="utf-8"
    )
    out = tmp_path / "rows"
    assert _run("classify", src, "-o", out, "--id-field", "id", model=tiny_model_dir) == 0
    rows = [json.loads(line) for line in (out / "part-00000.jsonl").read_text(encoding="utf-8").splitlines()]
    assert {"doc_id", "index", "text", "label", "probabilities", "start", "end", "cues"} <= set(rows[0])
    expected = [p.text for p in tiny_filter.classify(docs[1])]
    assert [r["text"] for r in rows if r["doc_id"] == "doc1"] == expected
    fed_back = list(read_documents(out / "part-00000.jsonl"))  # the format retraining reads
    assert sorted(d.id for d in fed_back) == ["feedback:doc0", "feedback:doc1", "feedback:doc2"]
    # without --id-field, doc_id is <file>:<line>; other formats
    out2 = tmp_path / "rows2"
    assert _run("classify", src, "-o", out2, "--format", "parquet", model=tiny_model_dir) == 0
    import pyarrow.parquet as pq

    t = pq.read_table(out2 / "part-00000.parquet").to_pylist()
    assert t[0]["doc_id"] == "news.jsonl:1" and set(t[0]["probabilities"]) == {
        "core",
        "promotion",
        "filler",
        "boilerplate",
    }
    out3 = tmp_path / "rows3"
    assert _run("classify", src, "-o", out3, "--format", "csv", model=tiny_model_dir) == 0
    header = (out3 / "part-00000.csv").read_text(encoding="utf-8").splitlines()[0]
    assert header.startswith("doc_id,index,start,end,text,label")


def test_classify_html_review_of_a_folder(
    tmp_path: Path, tiny_model_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    src = tmp_path / "in"
    src.mkdir()
    for i, d in enumerate(_docs(2)):
        (src / f"{i}.txt").write_text(d, encoding="utf-8")
    page = tmp_path / "review.html"
    pytest.importorskip("filter.report")
    assert _run("classify", src, "--format", "html", "-o", page, model=tiny_model_dir) == 0
    assert page.read_text(encoding="utf-8").lstrip().lower().startswith("<!doctype html")
    monkeypatch.setitem(sys.modules, "filter.report", None)  # as if the report module did not exist
    assert _run("classify", src, "--format", "html", "-o", page, model=tiny_model_dir) == 2


def test_large_document_in_jsonl_and_text(tmp_path: Path, tiny_model_dir: Path, tiny_filter: Any) -> None:
    big = "\n\n".join(_docs(300, seed=11))  # ~250 kB: the fast stand-in; see the slow 50 MB test below
    src = tmp_path / "in"
    src.mkdir()
    (src / "big.txt").write_text(big, encoding="utf-8")
    (src / "big.jsonl").write_text(json.dumps({"text": big}) + "\n", encoding="utf-8")
    out = tmp_path / "out"
    assert _run("clean", src, "-o", out, "--glob", "*.txt", "--glob", "*.jsonl", model=tiny_model_dir) == 0
    expected = tiny_filter.clean(big)
    assert (out / "big.txt").read_text(encoding="utf-8") == expected + "\n"
    row = json.loads((out / "big.jsonl" / "part-00000.jsonl").read_text(encoding="utf-8"))
    assert row["clean_text"] == expected


@pytest.mark.slow
def test_fifty_megabyte_document(tmp_path: Path, tiny_model_dir: Path) -> None:
    unit = "\n\n".join(_docs(200, seed=12)) + "\n\n"
    big = unit * (50_000_000 // len(unit) + 1)
    src = tmp_path / "in"
    src.mkdir()
    (src / "huge.txt").write_text(big, encoding="utf-8")
    out = tmp_path / "out"
    assert _run("clean", src, "-o", out, model=tiny_model_dir) == 0
    cleaned = (out / "huge.txt").read_text(encoding="utf-8")
    assert len(cleaned) > 0.3 * len(big)  # most of the toy text is core reporting


# ------------------------------------------------------------------------------------------ exit status
def test_usage_errors_exit_2(
    tmp_path: Path, tiny_model_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src = tmp_path / "in"
    src.mkdir()
    (src / "a.txt").write_text(_docs(1)[0], encoding="utf-8")
    a_file = tmp_path / "file.txt"
    a_file.write_text("x", encoding="utf-8")
    assert _run("clean", tmp_path / "missing", "-o", tmp_path / "o1", model=tiny_model_dir) == 2
    assert _run("clean", src, "-o", a_file, model=tiny_model_dir) == 2  # folder input, file output
    assert _run("clean", src, "-o", src / "out", model=tiny_model_dir) == 2  # output inside the input
    assert _run("clean", src, model=tiny_model_dir) == 2  # no --output
    assert _run("clean", src, "-o", tmp_path / "o2", "--chunk-size", "0", model=tiny_model_dir) == 2
    assert _run("clean", src, "-o", tmp_path / "o3", "--scheduler", "tcp://x:1", model=tiny_model_dir) == 2
    assert _run("classify", src, "-o", tmp_path / "o4", "--format", "json", model=tiny_model_dir) == 2
    assert "no such input" in capsys.readouterr().err
    assert not (tmp_path / "o1").exists() and not (tmp_path / "o2").exists()


def _three_documents(tmp_path: Path) -> Path:
    src = tmp_path / "in"
    src.mkdir()
    for i, d in enumerate(_docs(3)):
        (src / f"{i}.txt").write_text(d, encoding="utf-8")
    return src


def test_exit_0_when_everything_succeeds(
    tmp_path: Path, tiny_model_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src = _three_documents(tmp_path)
    out = tmp_path / "out"
    assert main(["clean", str(src), "-o", str(out), "--model", str(tiny_model_dir), "--jobs", "1"]) == 0
    err = capsys.readouterr().err
    assert "3 done, 0 skipped (already done), 0 failed" in err
    assert not (out / "errors.jsonl").exists()


def test_quiet_prints_no_summary_only_the_failures(
    tmp_path: Path, tiny_model_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src = _three_documents(tmp_path)
    out = tmp_path / "out"
    assert _run("clean", src, "-o", out, model=tiny_model_dir) == 0  # _run adds --quiet
    assert capsys.readouterr().err == ""
    (src / "bad.txt").write_bytes(b"\x00\x01binary\x00")
    assert _run("clean", src, "-o", out, model=tiny_model_dir) == 1
    # was the whole summary line ("1 done, 3 skipped (already done), 1 failed ...; 0.4 s, ...")
    assert capsys.readouterr().err.strip().splitlines() == [
        f"article-filter clean: 1 failed (see {out / 'errors.jsonl'})"
    ]


# -------------------------------------------------------------------------------------- resume, atomicity
def test_rerun_resumes_and_overwrite_redoes(
    tmp_path: Path, tiny_model_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src = tmp_path / "in"
    (src / "d").mkdir(parents=True)
    for i, d in enumerate(_docs(8)):
        (src / "d" / f"{i}.txt").write_text(d, encoding="utf-8")
    (src / "bad.txt").write_bytes(b"\x00\x01binary\x00")
    table = tmp_path / "t.jsonl"
    table.write_text("".join(json.dumps({"text": d}) + "\n" for d in _docs(5)) + "{bad\n", encoding="utf-8")
    out = tmp_path / "out"
    args = ("clean", src, table, "-o", out, "--chunk-size", "2")
    assert _run(*args, model=tiny_model_dir) == 1
    full = tree(out)
    # simulate an interruption: some outputs and a part missing, a temporary file left by a killed writer
    (out / "in" / "d" / "3.txt").unlink()
    (out / "in" / "d" / "5.txt").unlink()
    (out / "t.jsonl" / "part-00001.jsonl").unlink()
    (out / "in" / "d" / ".6.txt.abcd1234.tmp").write_text("half a fi", encoding="utf-8")
    capsys.readouterr()
    # not --quiet, which prints no summary (only a line counting the failures)
    assert main([str(a) for a in args] + ["--model", str(tiny_model_dir), "--jobs", "1"]) == 1
    assert tree(out) == full  # same files, same content, errors.jsonl without duplicates
    assert_no_temp_files(out)
    err = capsys.readouterr().err
    # redone: 2 files + the 2 rows of part 1; the binary file is retried (and fails again); skipped: 6 files,
    # parts 0 and 2 (2 rows each, counting the malformed line, whose record stays in errors.jsonl)
    assert "4 done, 10 skipped (already done), 1 failed" in err
    assert _run(*args, "--overwrite", model=tiny_model_dir) == 1
    assert tree(out) == full
    # other options over the same outputs are refused (they would mix two layouts)
    assert _run("clean", src, table, "-o", out, "--chunk-size", "3", model=tiny_model_dir) == 2


def test_changed_text_file_is_redone(tmp_path: Path, tiny_model_dir: Path, tiny_filter: Any) -> None:
    import os

    src = tmp_path / "in"
    src.mkdir()
    docs = _docs(2)
    (src / "a.txt").write_text(docs[0], encoding="utf-8")
    out = tmp_path / "out"
    assert _run("clean", src, "-o", out, model=tiny_model_dir) == 0
    (src / "a.txt").write_text(docs[1], encoding="utf-8")
    st = (out / "a.txt").stat()
    os.utime(src / "a.txt", ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000_000))
    assert _run("clean", src, "-o", out, model=tiny_model_dir) == 0
    assert (out / "a.txt").read_bytes() == _expected_clean(tiny_filter, docs[1])


def test_two_jobs_give_the_same_output_as_one(tmp_path: Path, tiny_model_dir: Path) -> None:
    src = tmp_path / "in"
    for i, d in enumerate(_docs(40, seed=3)):
        (src / f"g{i % 3}").mkdir(parents=True, exist_ok=True)
        (src / f"g{i % 3}" / f"{i}.txt").write_text(d, encoding="utf-8")
    (src / "g0" / "bin.txt").write_bytes(b"%PDF-1.4\x00\x00")
    table = tmp_path / "t.jsonl"
    table.write_text(
        "".join(json.dumps({"text": d}) + "\n" for d in _docs(30, seed=4)) + "nope\n", encoding="utf-8"
    )
    outs = []
    for jobs in ("1", "2"):
        out = tmp_path / f"out{jobs}"
        rc = main(
            [
                "clean",
                str(src),
                str(table),
                "-o",
                str(out),
                "--chunk-size",
                "8",
                "--batch-size",
                "8",
                "--model",
                str(tiny_model_dir),
                "--quiet",
                "--jobs",
                jobs,
            ]
        )
        assert rc == 1
        outs.append(tree(out))
    assert outs[0] == outs[1]
    assert len(outs[0]) == 40 + 4 + 1  # text outputs, parts, errors.jsonl
