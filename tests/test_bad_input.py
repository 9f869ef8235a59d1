"""Regression tests for issue 10: bad input and faults that used to mis-decode, crash, hang or lose data.

Each test names the case it keeps fixed. Batch runs go through ``filter.cli.main`` in-process with the tiny
model and one worker, except where a real worker process (or its death) is the point.
"""

from __future__ import annotations

import csv
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from conftest import SEED_ARTICLE
from test_batch import _docs, _errors, _run, tree
from test_cli_subprocess import _command

from filter.cli import main
from filter.io import decode

CP1252_LINE = b"It costs \x805 a ticket, the caf\xe9 owner said on Monday.\n"
CP1252_TEXT = "It costs \u20ac5 a ticket, the caf\u00e9 owner said on Monday.\n"
CURLY = "The mayor\u2019s office said on Sunday\u2019s call that \u201cnothing\u201d had changed."


def _decodings(out: Path) -> list[dict[str, Any]]:
    path = out / "decoding.jsonl"
    return [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines()] if path.exists() else []


# ============================================================================================== decoding
def test_cp1252_line_decodes_as_cp1252_not_a_guess() -> None:
    d = decode(CP1252_LINE)
    assert d.text == CP1252_TEXT  # was "It costs Ć5 ... cafķ" (cp775)
    assert d.encoding == "cp1252" and d.fallback and "cp1252" in d.note


def test_cp1252_single_file_says_so_on_stderr(
    tmp_path: Path, tiny_model_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    f = tmp_path / "cp.txt"
    f.write_bytes(CP1252_LINE)
    assert main(["classify", str(f), "--format", "json", "--model", str(tiny_model_dir)]) == 0
    captured = capsys.readouterr()
    assert [p["text"] for p in json.loads(captured.out)["paragraphs"]] == [CP1252_TEXT.strip()]
    assert captured.err.strip().splitlines() == [f"article-filter: {f}: not valid UTF-8; decoded as cp1252"]


def test_stray_byte_in_utf8_keeps_the_utf8_mixed_decoding() -> None:
    data = CURLY.encode("utf-8").replace(b" call", b" caf\xe9 call")
    d = decode(data)
    assert d.text == CURLY.replace(" call", " caf\u00e9 call")  # curly quotes intact, the stray byte is é
    assert d.encoding == "utf-8+cp1252" and d.stray_bytes == 1 and d.fallback


@pytest.mark.skipif(not SEED_ARTICLE.exists(), reason="needs ../shared/seed")
def test_seed_article_with_a_stray_byte_keeps_sundays() -> None:
    raw = SEED_ARTICLE.read_bytes()
    assert "Sunday\u2019s".encode() in raw
    i = raw.index(b".", 200)
    d = decode(raw[:i] + b"\xe9" + raw[i:])
    assert d.text == raw[:i].decode("utf-8") + "\u00e9" + raw[i:].decode("utf-8")  # was Sunday‚Äôs everywhere
    assert "Sunday\u2019s" in d.text


def test_latin1_and_other_legacy_encodings() -> None:
    latin = "Le caf\u00e9 na\u00eff de la fa\u00e7ade co\u00fbte \u00a3300, dit le ma\u00eetre."
    assert decode(latin.encode("latin-1")).text == latin
    russian = "\u041f\u0440\u0438\u0432\u0435\u0442, \u043a\u0430\u043a \u0434\u0435\u043b\u0430? " * 3
    d = decode(russian.encode("cp1251"))  # cp1252 would decode it, but as implausible accented Latin
    assert d.text == russian and d.encoding == "cp1251"
    last = decode(b"abc \x81\x8d\x8f\x90\x9d def " + "\u0436".encode("cp1251") * 0)
    assert last.fallback and "\ufffd" not in last.text or last.replaced == last.text.count("\ufffd")


def test_undefined_cp1252_bytes_among_stray_bytes_are_counted_replacements() -> None:
    d = decode(CURLY.encode("utf-8") + b" \x81 \xe9")
    assert d.encoding == "utf-8+cp1252" and d.replaced == 1 and d.text.endswith(" \ufffd \u00e9")
    assert "replaced with U+FFFD" in d.note


def test_cp1252_lines_in_jsonl_and_csv_are_decoded_and_reported(
    tmp_path: Path, tiny_model_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src = tmp_path / "in"
    src.mkdir()
    doc = _docs(1)[0]
    good = json.dumps({"id": "u", "text": doc}, ensure_ascii=False).encode("utf-8")
    bad = b'{"id": "c", "text": "' + CP1252_LINE.strip() + b'"}'
    (src / "t.jsonl").write_bytes(good + b"\n" + bad + b"\n")
    rows = [["id", "text"], ["u", doc], ["c", "PLACEHOLDER"]]
    with open(src / "t.csv", "w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows(rows)
    (src / "t.csv").write_bytes(
        (src / "t.csv").read_bytes().replace(b"PLACEHOLDER", b'"' + CP1252_LINE.strip() + b'"')
    )
    out = tmp_path / "out"
    assert _run("clean", src, "-o", out, "--glob", "*.jsonl", "--glob", "*.csv", model=tiny_model_dir) == 0
    js = [
        json.loads(x) for x in (out / "t.jsonl" / "part-00000.jsonl").read_text(encoding="utf-8").splitlines()
    ]
    assert [r["text"] for r in js] == [doc, CP1252_TEXT.strip()]
    assert [r["clean_text_decoding"] for r in js] == [None, "cp1252"]
    with open(out / "t.csv" / "part-00000.csv", encoding="utf-8", newline="") as fh:
        cs = list(csv.DictReader(fh))
    assert [r["text"] for r in cs] == [doc, CP1252_TEXT.strip()]
    assert [r["clean_text_decoding"] for r in cs] == ["", "cp1252"]
    csv_line = 3 + doc.count("\n")  # the physical line the row starts on
    assert {(Path(n["file"]).name, n["line"]) for n in _decodings(out)} == {
        ("t.jsonl", 2),
        ("t.csv", csv_line),
    }
    assert "2 document(s) were not plain UTF-8" in capsys.readouterr().err


# ================================================================================= every record accounted
def test_lone_surrogate_in_jsonl_is_written_not_fatal(tmp_path: Path, tiny_model_dir: Path) -> None:
    src = tmp_path / "t.jsonl"
    doc = _docs(1)[0]
    src.write_text(
        json.dumps({"id": "\ud800", "text": doc})
        + "\n"
        + json.dumps({"id": "x", "text": doc + "\udfff"})
        + "\n",
        encoding="utf-8",
    )  # json.dumps escapes the surrogates: a valid file that decodes to lone surrogates
    out = tmp_path / "out"
    assert _run("clean", src, "-o", out, model=tiny_model_dir) == 0  # was UnicodeEncodeError, whole batch
    rows = [json.loads(x) for x in (out / "part-00000.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [r["id"] for r in rows] == ["\ud800", "x"]  # round-trips exactly (written as \\ud800 escapes)
    assert all(r["clean_text"] is not None for r in rows)


def test_lone_surrogate_on_dask(tmp_path: Path, tiny_model_dir: Path) -> None:
    pytest.importorskip("distributed")
    src = tmp_path / "t.jsonl"
    src.write_text(json.dumps({"id": "\ud800", "text": _docs(1)[0]}) + "\n", encoding="utf-8")
    out = tmp_path / "out"
    rc = main(
        ["clean", str(src), "-o", str(out), "--engine", "dask", "--jobs", "1", "--quiet"]
        + ["--model", str(tiny_model_dir)]
    )
    assert rc == 0
    assert json.loads((out / "part-00000.jsonl").read_text(encoding="utf-8"))["id"] == "\ud800"


def test_non_utf8_file_names_are_processed(tmp_path: Path, tiny_model_dir: Path) -> None:
    src = tmp_path / "in"
    src.mkdir()
    docs = _docs(15, seed=2)
    names = []
    for i, d in enumerate(docs):
        name = os.fsencode(str(src)) + (b"/caf\xe9-%d.txt" % i if i % 2 else b"/ok-%d.txt" % i)
        with open(name, "wb") as fh:
            fh.write(d.encode("utf-8"))
        names.append(name)
    out = tmp_path / "out"
    assert _run("clean", src, "-o", out, model=tiny_model_dir) == 0  # was: 7 of 15 never processed
    written = sorted(os.listdir(os.fsencode(str(out))))
    assert len([n for n in written if n.endswith(b".txt")]) == 15
    assert _errors(out) == []


def test_invalid_utf8_in_a_parquet_string_column_is_per_row(tmp_path: Path, tiny_model_dir: Path) -> None:
    pa = pytest.importorskip("pyarrow")
    import pyarrow.parquet as pq

    doc = _docs(1)[0]
    raw = pa.array([doc.encode("utf-8"), CP1252_LINE.strip(), doc.encode("utf-8")], type=pa.binary())
    table = pa.table({"id": ["a", "b", "c"], "text": raw.view(pa.string())})  # no UTF-8 check
    src = tmp_path / "t.parquet"
    pq.write_table(table, src)
    out = tmp_path / "out"
    assert _run("clean", src, "-o", out, model=tiny_model_dir) == 0
    got = pq.read_table(out / "part-00000.parquet").select(["id", "clean_text_decoding"]).to_pylist()
    assert got == [
        {"id": "a", "clean_text_decoding": None},
        {"id": "b", "clean_text_decoding": "cp1252"},
        {"id": "c", "clean_text_decoding": None},
    ]
    assert [(n["line"], n["error"]) for n in _decodings(out)] == [(2, "cp1252")]


def test_same_stem_inputs_get_distinct_outputs(tmp_path: Path, tiny_model_dir: Path) -> None:
    src = tmp_path / "in"
    src.mkdir()
    docs = _docs(4)
    (src / "a.txt").write_text(docs[0], encoding="utf-8")
    (src / "a.jsonl").write_text(json.dumps({"text": docs[1]}) + "\n", encoding="utf-8")
    (src / "b").write_text(docs[2], encoding="utf-8")  # clean: "b" -> b.txt ...
    (src / "b.txt").write_text(docs[3], encoding="utf-8")  # ... and b.txt -> b.txt
    out = tmp_path / "out"
    assert (
        _run("classify", src, "-o", out, "--glob", "**/*", model=tiny_model_dir) == 0
    )  # was FileExistsError
    assert set(tree(out)) == {"a.txt.jsonl", "a.jsonl/part-00000.jsonl", "b.jsonl", "b.txt.jsonl"}
    out2 = tmp_path / "out2"
    assert _run("clean", src, "-o", out2, "--glob", "**/*", model=tiny_model_dir) == 0
    assert set(tree(out2)) == {"a.txt", "a.jsonl/part-00000.jsonl", "b.txt", "b.txt.txt"}
    assert (out2 / "b.txt.txt").read_bytes() != (out2 / "b.txt").read_bytes()


def test_unlistable_subfolder_is_an_error(
    tmp_path: Path, tiny_model_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    src = tmp_path / "in"
    (src / "locked").mkdir(parents=True)
    docs = _docs(2)
    (src / "a.txt").write_text(docs[0], encoding="utf-8")
    (src / "locked" / "b.txt").write_text(docs[1], encoding="utf-8")
    real_scandir = os.scandir

    def scandir(path: Any = ".") -> Any:  # tests run as root, where chmod 000 does not stop listing
        if os.fspath(path).endswith("locked"):
            raise PermissionError(13, "Permission denied", os.fspath(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    out = tmp_path / "out"
    assert _run("clean", src, "-o", out, model=tiny_model_dir) == 1  # was exit 0, folder skipped
    errors = _errors(out)
    assert [(Path(e["file"]).name, e["error"]) for e in errors] == [("locked", "UnlistableFolder")]
    assert set(tree(out)) == {"a.txt", "errors.jsonl"}
    monkeypatch.setattr(os, "scandir", real_scandir)  # listable again: the rerun clears the error
    assert _run("clean", src, "-o", out, model=tiny_model_dir) == 0
    assert set(tree(out)) == {"a.txt", "locked/b.txt"}


def test_unterminated_csv_quote_is_reported_and_next_rows_kept(tmp_path: Path, tiny_model_dir: Path) -> None:
    docs = _docs(3)
    src = tmp_path / "t.csv"
    with open(src, "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["id", "text"])
        w.writerow(["a", docs[0]])
        fh.write('b,"this quote is never closed\n')
        w.writerow(["c", docs[1]])
        w.writerow(["d", docs[2]])
    out = tmp_path / "out"
    assert _run("clean", src, "-o", out, model=tiny_model_dir) == 1  # was exit 0, rows c and d swallowed
    with open(out / "part-00000.csv", encoding="utf-8", newline="") as fh:
        assert [r["id"] for r in csv.DictReader(fh)] == ["a", "c", "d"]
    errors = _errors(out)
    assert [(e["line"], e["error"]) for e in errors] == [(3 + docs[0].count("\n"), "BadCsvRow")]
    assert "not closed" in errors[0]["message"]


def test_existing_output_column_is_an_error_unless_renamed(tmp_path: Path, tiny_model_dir: Path) -> None:
    doc = _docs(1)[0]
    src = tmp_path / "t.jsonl"
    src.write_text(
        json.dumps({"text": doc, "clean_text": "mine"}) + "\n" + json.dumps({"text": doc}) + "\n",
        encoding="utf-8",
    )
    table = tmp_path / "t.csv"
    table.write_text(f'text,clean_text\n"{doc}",mine\n', encoding="utf-8")
    out = tmp_path / "out"
    assert _run("clean", src, table, "-o", out, model=tiny_model_dir) == 1  # was silently overwritten
    assert [(Path(e["file"]).name, e["line"], e["error"]) for e in _errors(out)] == [
        ("t.csv", 1, "OutputFieldExists"),
        ("t.jsonl", 1, "OutputFieldExists"),
    ]
    out2 = tmp_path / "out2"
    assert _run("clean", src, table, "-o", out2, "--output-field", "cleaned", model=tiny_model_dir) == 0
    rows = [
        json.loads(x)
        for x in (out2 / "t.jsonl" / "part-00000.jsonl").read_text(encoding="utf-8").splitlines()
    ]
    assert rows[0]["clean_text"] == "mine" and rows[0]["cleaned"] is not None


# ================================================================================================ bounded
def test_pathological_html_is_linear() -> None:
    from filter.segment import html_to_blocks

    page = "<html>" + "<a" * 300_000  # was over 10 minutes in html.parser
    t0 = time.perf_counter()
    blocks = html_to_blocks(page)
    assert time.perf_counter() - t0 < 10  # ~0.1 s here; the bound only has to separate linear from quadratic
    assert blocks and blocks[0][0].startswith("<a<a<a")  # shown as the text it is


def test_html_with_real_tags_still_renders_and_keeps_a_stray_lt() -> None:
    from filter.segment import html_to_blocks

    page = (
        "<html><body><p>Shares rose 3% as 2 < 3, officials said.</p><!-- a < b --><p>Second</p></body></html>"
    )
    assert [b[0] for b in html_to_blocks(page)] == ["Shares rose 3% as 2 < 3, officials said.", "Second"]


def test_time_budget_fails_one_document(
    tmp_path: Path, tiny_model_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import filter.segment as segment

    real = segment.segment_spans

    def slow(text: str, config: Any = None) -> Any:
        if "SPIN-FOREVER" in text:
            end = time.monotonic() + 30  # bounded, so a broken budget fails the test instead of hanging it
            while time.monotonic() < end:
                pass
        return real(text) if config is None else real(text, config)

    monkeypatch.setattr(segment, "segment_spans", slow)
    src = tmp_path / "in"
    src.mkdir()
    docs = _docs(3)
    for i, d in enumerate(docs):
        (src / f"{i}.txt").write_text(d, encoding="utf-8")
    (src / "slow.txt").write_text("SPIN-FOREVER " + docs[0], encoding="utf-8")
    out = tmp_path / "out"
    t0 = time.perf_counter()
    assert _run("clean", src, "-o", out, "--doc-timeout", "0.5", model=tiny_model_dir) == 1
    assert time.perf_counter() - t0 < 20
    errors = _errors(out)
    assert [(Path(e["file"]).name, e["error"]) for e in errors] == [("slow.txt", "DocumentTimeout")]
    assert "time budget" in errors[0]["message"]
    assert set(tree(out)) == {"0.txt", "1.txt", "2.txt", "errors.jsonl"}


def test_size_budget(tmp_path: Path, tiny_model_dir: Path) -> None:
    src = tmp_path / "in"
    src.mkdir()
    (src / "small.txt").write_text("Police said a man was arrested.", encoding="utf-8")
    (src / "big.txt").write_text(_docs(1)[0] * 3, encoding="utf-8")
    table = tmp_path / "t.jsonl"
    table.write_text(json.dumps({"text": _docs(1)[0] * 3}) + "\n", encoding="utf-8")
    out = tmp_path / "out"
    assert _run("clean", src, table, "-o", out, "--max-doc-mb", "0.001", model=tiny_model_dir) == 1
    assert sorted((Path(e["file"]).name, e["error"]) for e in _errors(out)) == [
        ("big.txt", "DocumentTooLarge"),
        ("t.jsonl", "DocumentTooLarge"),
    ]


def test_huge_document_path_equals_the_library(tiny_filter: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    import filter.batch.huge as huge

    flt = tiny_filter.with_config(tiny_filter.config.with_options(max_document_chars=3000))
    monkeypatch.setattr(huge, "HUGE_CHARS", 9000)  # several windows per group, several groups
    text = "\n\n".join(_docs(100, seed=9))
    assert len(text) > 5 * 9000
    assert huge.clean_huge(flt, text) == flt.clean(text)
    page = "<html><body>" + "".join(f"<p>{p}</p>" for p in text.split("\n\n")) + "</body></html>"
    assert huge.clean_huge(flt, page) == flt.clean(page)


@pytest.mark.slow
def test_200_mb_document_peaks_under_2_gb(tmp_path: Path, tiny_model_dir: Path) -> None:
    unit = "\n\n".join(_docs(200, seed=12)) + "\n\n"
    src = tmp_path / "in"
    src.mkdir()
    with open(src / "huge.txt", "w", encoding="utf-8") as fh:
        for _ in range(200_000_000 // len(unit) + 1):
            fh.write(unit)
    cmd, env = _command()
    probe = (
        "import resource, subprocess, sys; "
        "rc = subprocess.call(sys.argv[1:]); "
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss); sys.exit(rc)"
    )
    args = [
        "clean",
        str(src),
        "-o",
        str(tmp_path / "out"),
        "--jobs",
        "1",
        "--quiet",
        "--model",
        str(tiny_model_dir),
    ]
    done = subprocess.run(
        [sys.executable, "-c", probe, *cmd, *args], env=env, capture_output=True, text=True, timeout=1800
    )
    assert done.returncode == 0, done.stderr
    peak_kb = int(done.stdout.split()[-1])
    assert peak_kb < 2_000_000, f"peak {peak_kb / 1e6:.2f} GB"  # was 14.8 GB


# ================================================================================================= resume
def test_output_newer_than_input_but_not_in_journal_is_redone(tmp_path: Path, tiny_model_dir: Path) -> None:
    src = tmp_path / "in"
    src.mkdir()
    (src / "a.txt").write_text(_docs(1)[0], encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    (out / "a.txt").write_text("stale output from somewhere else", encoding="utf-8")  # newer than the input
    assert _run("clean", src, "-o", out, model=tiny_model_dir) == 0
    assert (out / "a.txt").read_text(encoding="utf-8") != "stale output from somewhere else"


def test_changed_input_with_the_same_mtime_is_redone(
    tmp_path: Path, tiny_model_dir: Path, tiny_filter: Any
) -> None:
    src = tmp_path / "in"
    src.mkdir()
    docs = _docs(2)
    f = src / "a.txt"
    f.write_text(docs[0], encoding="utf-8")
    out = tmp_path / "out"
    assert _run("clean", src, "-o", out, model=tiny_model_dir) == 0
    st = f.stat()
    f.write_text(docs[1], encoding="utf-8")
    os.utime(f, ns=(st.st_atime_ns, st.st_mtime_ns))  # same mtime, other size
    assert _run("clean", src, "-o", out, model=tiny_model_dir) == 0
    c = tiny_filter.clean(docs[1])
    assert (out / "a.txt").read_text(encoding="utf-8") == c + ("\n" if c else "")


def test_single_file_into_an_existing_output_refuses(
    tmp_path: Path, tiny_model_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    f = tmp_path / "a.txt"
    f.write_text(_docs(1)[0], encoding="utf-8")
    dst = tmp_path / "existing.txt"
    dst.write_text("old", encoding="utf-8")
    assert _run("clean", f, "-o", dst, model=tiny_model_dir) == 2  # was "skipped (already done)", exit 0
    assert "exists; add --overwrite" in capsys.readouterr().err
    assert dst.read_text(encoding="utf-8") == "old"
    assert _run("clean", f, "-o", dst, "--overwrite", model=tiny_model_dir) == 0
    assert dst.read_text(encoding="utf-8") != "old"


def test_overwrite_never_touches_inputs(tmp_path: Path, tiny_model_dir: Path) -> None:
    out = tmp_path / "out"
    src = tmp_path / "t.jsonl"
    src.write_text("".join(json.dumps({"text": d}) + "\n" for d in _docs(3)), encoding="utf-8")
    assert _run("clean", src, "-o", out, model=tiny_model_dir) == 0
    part = out / "part-00000.jsonl"
    before = part.read_bytes()
    # was: deleted its own input; now refused before anything is written
    assert _run("clean", part, "-o", out, "--overwrite", "--output-field", "c2", model=tiny_model_dir) == 2
    assert part.read_bytes() == before


# ============================================================================================ CLI options
@pytest.mark.parametrize(
    "option, value",
    [
        ("--min-core-probability", "nan"),
        ("--min-core-probability", "2"),
        ("--min-core-probability", "-1"),
        ("--jobs", "0"),
        ("--jobs", "many"),
        ("--chunk-size", "0"),
        ("--batch-size", "-3"),
        ("--doc-timeout", "nan"),
        ("--doc-timeout", "0"),
        ("--max-doc-mb", "inf"),
    ],
)
def test_numeric_options_are_validated(
    tmp_path: Path, tiny_model_dir: Path, capsys: pytest.CaptureFixture[str], option: str, value: str
) -> None:
    f = tmp_path / "a.txt"
    f.write_text("Police said a man was arrested.", encoding="utf-8")
    assert (
        main(["clean", str(f), "-o", str(tmp_path / "out"), option, value, "--model", str(tiny_model_dir)])
        == 2
    )
    err = capsys.readouterr().err
    assert option in err and "must be" in err
    assert not (tmp_path / "out").exists()


def test_binary_single_file_and_missing_file_are_one_line(
    tmp_path: Path, tiny_model_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    b = tmp_path / "x.bin"
    b.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00" + bytes(range(256)))
    assert main(["clean", str(b), "--model", str(tiny_model_dir)]) == 1  # was a BinaryInputError traceback
    assert capsys.readouterr().err.strip().splitlines() == [
        f"article-filter: {b}: binary data, not text (skipped)"
    ]
    missing = str(tmp_path / "nothere.txt")
    assert main(["clean", missing, "--model", str(tiny_model_dir)]) == 2  # was "batch mode needs --output"
    assert capsys.readouterr().err.strip() == f"article-filter: no such file: {missing}"


# ================================================================================ classify --format, -o
# A user trial of the command line (issue 11): each format writes what it names, or says in one line why not.
def _article(tmp_path: Path) -> Path:
    f = tmp_path / "a.txt"
    f.write_text("Home\n\nPolice said a man was arrested on Friday.\n\nREAD MORE: 5 things", encoding="utf-8")
    return f


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_classify_table_format_without_output_says_add_o(
    tmp_path: Path, tiny_model_dir: Path, capsys: pytest.CaptureFixture[str], fmt: str
) -> None:
    f = _article(tmp_path)
    for inputs in ([f], [f, f.with_name("b.txt")]):  # one document, or a batch (b.txt need not exist)
        assert main(["classify", *map(str, inputs), "--format", fmt, "--model", str(tiny_model_dir)]) == 2
        captured = capsys.readouterr()
        assert captured.out == ""  # was "batch mode ... needs --output OUT", or a crash
        assert captured.err.strip().splitlines() == [
            f"article-filter: --format {fmt} writes files: add -o OUT (a file such as labels.{fmt}, or a folder)"
        ]


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_classify_one_document_format_to_a_file(
    tmp_path: Path, tiny_model_dir: Path, capsys: pytest.CaptureFixture[str], fmt: str
) -> None:
    f = _article(tmp_path)
    model = ["--model", str(tiny_model_dir)]
    assert main(["classify", str(f), "--format", fmt, *model]) == 0
    printed = capsys.readouterr().out
    out = tmp_path / f"labels.{fmt}"
    # text was written as JSONL rows; json was refused ("batch classify writes rows")
    assert main(["classify", str(f), "--format", fmt, "-o", str(out), *model]) == 0
    assert out.read_text(encoding="utf-8") == printed
    if fmt == "json":
        assert [p["label"] for p in json.loads(printed)["paragraphs"]] != []
    else:
        assert not printed.lstrip().startswith("{")
    # an existing output is refused as the batch refuses it, replaced with --overwrite
    out.write_text("old", encoding="utf-8")
    assert main(["classify", str(f), "--format", fmt, "-o", str(out), *model]) == 2
    assert (
        capsys.readouterr().err.strip()
        == f"article-filter: output {out} exists; add --overwrite to replace it"
    )
    assert main(["classify", str(f), "--format", fmt, "-o", str(out), "--overwrite", *model]) == 0
    assert out.read_text(encoding="utf-8") == printed


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_classify_one_document_format_refuses_a_batch(
    tmp_path: Path, tiny_model_dir: Path, capsys: pytest.CaptureFixture[str], fmt: str
) -> None:
    f = _article(tmp_path)
    g = tmp_path / "b.txt"
    g.write_text("Police said the road was closed.", encoding="utf-8")
    out = tmp_path / "out"
    model = ["--model", str(tiny_model_dir)]
    assert main(["classify", str(f), str(g), "--format", fmt, "-o", str(out), *model]) == 2
    assert capsys.readouterr().err.strip().splitlines() == [
        f"article-filter: --format {fmt} describes one document; for several inputs, a folder or a table "
        "use --format jsonl, csv or parquet"
    ]
    assert main(["classify", str(f), "--format", fmt, "-o", f"{out}/", *model]) == 2  # a folder for one
    assert "give -o FILE" in capsys.readouterr().err
    assert not out.exists()
    # without --format a batch still writes the rows (jsonl), as before
    assert main(["classify", str(f), str(g), "-o", str(out), "--quiet", "--jobs", "1", *model]) == 0
    assert sorted(p.name for p in out.glob("*.jsonl")) == ["a.jsonl", "b.jsonl"]


def test_classify_html_page_is_one_file_refused_like_the_others(
    tmp_path: Path, tiny_model_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A review page was written over an existing file, into a file named like the folder asked for, or
    failed with a raw rename error on an existing folder (second user trial)."""
    f = _article(tmp_path)
    model = ["--model", str(tiny_model_dir)]
    page = tmp_path / "page.html"
    assert main(["classify", str(f), "--format", "html", "-o", str(page), *model]) == 0
    assert "<html" in page.read_text(encoding="utf-8").lower()
    assert main(["classify", str(f), "--format", "html", "-o", str(page), *model]) == 2
    assert (
        capsys.readouterr().err.strip()
        == f"article-filter: output {page} exists; add --overwrite to replace it"
    )
    assert main(["classify", str(f), "--format", "html", "-o", str(page), "--overwrite", *model]) == 0
    folder = tmp_path / "pages"
    folder.mkdir()
    for inputs, out in (([f], str(folder)), ([tmp_path], f"{tmp_path / 'new'}/")):
        assert main(["classify", *map(str, inputs), "--format", "html", "-o", out, *model]) == 2
        assert capsys.readouterr().err.strip() == (
            f"article-filter: {out} is a folder: this output is one file, give -o FILE"
        )
    assert not (tmp_path / "new").exists()


def test_one_document_has_the_same_doc_id_on_stdout_and_in_files(
    tmp_path: Path, tiny_model_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    f = _article(tmp_path)
    model = ["--model", str(tiny_model_dir)]
    assert main(["classify", str(f), "--format", "jsonl", *model]) == 0
    printed = {json.loads(line)["doc_id"] for line in capsys.readouterr().out.splitlines()}
    out = tmp_path / "rows.jsonl"
    assert main(["classify", str(f), "-o", str(out), "--quiet", "--jobs", "1", *model]) == 0
    written = {json.loads(line)["doc_id"] for line in out.read_text(encoding="utf-8").splitlines()}
    assert printed == written == {"a.txt"}


def test_clean_text_folder_with_format_parquet_needs_no_pyarrow(
    tmp_path: Path, tiny_model_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Text documents stay text whatever --format says, so cleaning them never asks for the parquet extra."""
    from filter.commands import documents

    folder = tmp_path / "crawl"
    folder.mkdir()
    _article(folder)
    assert not documents._parquet_written("clean", "parquet", [str(folder)], ("**/*.txt",))
    assert documents._parquet_written("clean", "parquet", [str(folder), "t.jsonl.gz"], ("**/*.txt",))
    assert documents._parquet_written("clean", "parquet", [str(folder)], ("**/*.csv",))
    assert documents._parquet_written("classify", "parquet", [str(folder)], ("**/*.txt",))
    out = tmp_path / "out"
    assert main(["clean", str(folder), "-o", str(out), "--format", "parquet", "--quiet", "--jobs", "1",
                 "--model", str(tiny_model_dir)]) == 0  # fmt: skip
    assert [p.name for p in out.glob("*.txt")] == ["a.txt"]


# ========================================================================================== worker death
def _loky_children(pid: int) -> list[int]:
    kids = []
    for d in Path("/proc").iterdir():
        if d.name.isdigit():
            try:
                stat = (d / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                kids.append(int(d.name))
    return kids


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="uses /proc and SIGKILL")
def test_dead_worker_fails_only_its_task(tmp_path: Path, tiny_model_dir: Path) -> None:
    src = tmp_path / "in"
    for i, d in enumerate(_docs(24, seed=4)):
        (src / f"g{i % 3}").mkdir(parents=True, exist_ok=True)
        (src / f"g{i % 3}" / f"doc{i:02d}.txt").write_text(d, encoding="utf-8")
    (src / "g0" / "doc-kill.txt").write_text(_docs(1)[0], encoding="utf-8")
    out = tmp_path / "out"
    cmd, env = _command()
    env["ARTICLE_FILTER_TEST_KILL_WORKER"] = "doc-kill"
    args = ["clean", str(src), "-o", str(out), "--jobs", "2", "--batch-size", "4", "--quiet"]
    done = subprocess.run(
        [*cmd, *args, "--model", str(tiny_model_dir)], env=env, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 1, done.stderr  # the run finished
    errors = _errors(out)
    assert errors and {e["error"] for e in errors} == {"WorkerDied"}
    assert "g0/doc-kill.txt" in {Path(e["file"]).relative_to(src).as_posix() for e in errors}
    outputs = {p for p in tree(out) if p.endswith(".txt")}
    assert len(outputs) + len(errors) == 25  # every document either done or reported
    assert len(errors) <= 4  # only the dead task's documents (one --batch-size worth)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="uses /proc and SIGKILL")
def test_killed_run_leaves_no_workers_behind(tmp_path: Path, tiny_model_dir: Path) -> None:
    src = tmp_path / "in"
    src.mkdir()
    for i, d in enumerate(_docs(400, seed=6)):
        (src / f"{i:04d}.txt").write_text(d, encoding="utf-8")
    cmd, env = _command()
    args = ["clean", str(src), "-o", str(tmp_path / "out"), "--jobs", "2", "--batch-size", "2", "--quiet"]
    proc = subprocess.Popen([*cmd, *args, "--model", str(tiny_model_dir)], env=env, stderr=subprocess.DEVNULL)
    workers: list[int] = []
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and proc.poll() is None:
        workers = [k for k in _loky_children(proc.pid) if b"LokyProcess" in _cmdline(k)]
        # killed once the workers have started working (a worker that is still starting up notices its
        # parent is gone when it first talks to it)
        if len(workers) >= 2 and len(list((tmp_path / "out").glob("*.txt"))) >= 20:
            break
        time.sleep(0.05)
    if proc.poll() is not None:
        pytest.fail("the run ended before its workers were seen")
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    # was: blocked on their pipe for minutes. 30 s, not 5: a worker notices at its next read of the pipe,
    # which on a loaded 2-core machine (CI with other jobs) once took longer than 5 s.
    deadline = time.monotonic() + 30
    alive = workers
    while alive and time.monotonic() < deadline:
        alive = [w for w in alive if Path(f"/proc/{w}").exists() and "Z" not in _state(w)]
        time.sleep(0.1)
    assert not alive, f"workers {alive} outlived their killed parent"


def _cmdline(pid: int) -> bytes:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return b""


def _state(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return "Z"


def test_dead_dask_worker_fails_only_its_task(
    tmp_path: Path, tiny_model_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pytest.importorskip("distributed")
    import dask

    src = tmp_path / "in"
    src.mkdir()
    for i, d in enumerate(_docs(6, seed=4)):
        (src / f"doc{i}.txt").write_text(d, encoding="utf-8")
    (src / "doc-kill.txt").write_text(_docs(1)[0], encoding="utf-8")
    monkeypatch.setenv("ARTICLE_FILTER_TEST_KILL_WORKER", "doc-kill")  # inherited by the cluster's workers
    out = tmp_path / "out"
    # Dask reruns a task whose worker died (an innocent task queued on that worker succeeds on the rerun);
    # after allowed-failures deaths it gives up on the culprit with KilledWorker. 1 keeps the test short.
    with dask.config.set({"distributed.scheduler.allowed-failures": 1}):
        rc = main(
            ["clean", str(src), "-o", str(out), "--engine", "dask", "--jobs", "1", "--batch-size", "1"]
            + ["--quiet", "--model", str(tiny_model_dir)]
        )
    assert rc == 1
    assert [(Path(e["file"]).name, e["error"]) for e in _errors(out)] == [("doc-kill.txt", "WorkerDied")]
    assert len([p for p in tree(out) if p.endswith(".txt")]) == 6
