"""filter.frame: clean_frame / classify_frame on pandas (and per partition on Dask) equal clean_many."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO, make_tiny_documents

pd = pytest.importorskip("pandas")

from filter.api import ArticleFilter  # noqa: E402
from filter.frame import PROBABILITY_COLUMNS, classify_frame, classify_meta, clean_frame  # noqa: E402
from filter.types import LABELS  # noqa: E402


def _texts(n: int = 12) -> list[str]:
    return ["\n\n".join(d.paragraphs) for d in make_tiny_documents(n, seed=5)]


def test_clean_frame_equals_clean_many_and_keeps_the_input(tiny_filter: ArticleFilter) -> None:
    texts = _texts()
    df = pd.DataFrame({"text": texts, "n": range(len(texts))}, index=[f"r{i}" for i in range(len(texts))])
    before = df.copy()
    out = clean_frame(df, model=tiny_filter, chunk_size=5)  # 12 rows: chunks of 5, 5, 2
    assert out["clean_text"].tolist() == tiny_filter.clean_many(texts)
    assert list(out.columns) == ["text", "n", "clean_text"] and list(out.index) == list(df.index)
    pd.testing.assert_frame_equal(df, before)  # not modified
    assert any(c != t for c, t in zip(out["clean_text"], texts))  # the toy model does drop paragraphs


def test_clean_frame_model_directory_and_chunking_agree(
    tiny_filter: ArticleFilter, tiny_model_dir: Path
) -> None:
    df = pd.DataFrame({"body": _texts(7)})
    a = clean_frame(df, "body", "c", model=str(tiny_model_dir), chunk_size=1)
    b = clean_frame(df, "body", "c", model=tiny_filter, chunk_size=1000)
    assert a["c"].tolist() == b["c"].tolist()


def test_existing_output_column_needs_overwrite(tiny_filter: ArticleFilter) -> None:
    df = pd.DataFrame({"text": _texts(2), "clean_text": ["keep me", "and me"]})
    with pytest.raises(ValueError, match="overwrite=True"):
        clean_frame(df, model=tiny_filter)
    assert clean_frame(df, model=tiny_filter, overwrite=True)[
        "clean_text"
    ].tolist() == tiny_filter.clean_many(_texts(2))
    with pytest.raises(KeyError, match="no column 'body'"):
        clean_frame(df, "body", model=tiny_filter)


def test_non_string_cells(tiny_filter: ArticleFilter) -> None:
    text = _texts(1)[0]
    df = pd.DataFrame({"text": [text, None, float("nan"), pd.NA, text.encode("utf-8"), ""]}, dtype=object)
    out = clean_frame(df, model=tiny_filter)["clean_text"].tolist()
    cleaned = tiny_filter.clean(text)
    assert out == [cleaned, None, None, None, cleaned, tiny_filter.clean("")]
    numbers = pd.DataFrame({"text": [text, 42]}, dtype=object)
    with pytest.raises(TypeError, match=r"row 1: expected text, got int"):
        clean_frame(numbers, model=tiny_filter)
    assert clean_frame(numbers, model=tiny_filter, non_string="missing")["clean_text"].tolist() == [
        cleaned,
        None,
    ]
    binary = pd.DataFrame({"text": [b"\x00\x01\x02binary"]})
    with pytest.raises(TypeError, match="binary data"):
        clean_frame(binary, model=tiny_filter)


def test_classify_frame_rows_match_classify_many(tiny_filter: ArticleFilter) -> None:
    texts = _texts(5)
    df = pd.DataFrame({"text": texts + [None], "url": [f"u{i}" for i in range(6)]})
    rows = classify_frame(df, id_column="url", model=tiny_filter, chunk_size=2)
    expected = tiny_filter.classify_many(texts)
    assert len(rows) == sum(len(d) for d in expected)
    assert list(rows.columns) == [
        "id",
        "index",
        "start",
        "end",
        "text",
        "label",
        *PROBABILITY_COLUMNS,
        "cues",
    ]
    flat = [(f"u{i}", p) for i, doc in enumerate(expected) for p in doc]
    for (doc_id, p), row in zip(flat, rows.itertuples(index=False)):
        assert (row.id, row.index, row.start, row.end, row.text) == (doc_id, p.index, p.start, p.end, p.text)
        assert row.label == p.label.value and list(row.cues) == list(p.cues)
        for lab, col in zip(LABELS, PROBABILITY_COLUMNS):
            assert getattr(row, col) == pytest.approx(p.probabilities[lab])
        assert texts[int(doc_id[1:])][row.start : row.end] == row.text
    assert "u5" not in set(rows["id"])  # the missing cell has no paragraphs
    by_index = classify_frame(df.iloc[:2], model=tiny_filter, cues=False)
    assert set(by_index["id"]) == {0, 1} and all(c == [] for c in by_index["cues"])
    empty = classify_frame(df.iloc[5:], model=tiny_filter)
    assert empty.empty and list(empty.columns) == list(classify_meta().columns)


def test_dask_map_partitions_equals_pandas(tiny_filter: ArticleFilter, tiny_model_dir: Path) -> None:
    dd = pytest.importorskip("dask.dataframe")
    import dask

    texts = _texts(10)
    pdf = pd.DataFrame({"text": texts, "url": [f"u{i}" for i in range(10)]})
    ddf = dd.from_pandas(pdf, npartitions=3)
    meta = clean_frame(ddf._meta, column="text")  # as in the README: an empty frame loads no model
    cleaned = ddf.map_partitions(clean_frame, column="text", model=str(tiny_model_dir), meta=meta)
    rows = ddf.map_partitions(
        classify_frame, column="text", id_column="url", model=str(tiny_model_dir), meta=classify_meta(object)
    )
    with dask.config.set(scheduler="synchronous"):
        got = cleaned.compute()
        got_rows = rows.compute()
    assert got["clean_text"].tolist() == tiny_filter.clean_many(texts)
    want_rows = classify_frame(pdf, id_column="url", model=tiny_filter)
    assert got_rows["text"].tolist() == want_rows["text"].tolist()
    assert got_rows["label"].tolist() == want_rows["label"].tolist()


def test_import_filter_does_not_import_pandas() -> None:
    code = (
        "import sys, filter; assert 'pandas' not in sys.modules, 'pandas imported';"
        "f = filter.clean_frame; assert 'pandas' not in sys.modules; print(f.__module__)"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, env={"PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin"},
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "filter.frame"


def test_missing_pandas_is_one_line() -> None:
    code = (
        "import sys; sys.modules['pandas'] = None\n"
        "from filter.frame import clean_frame\n"
        "try:\n    clean_frame(None)\nexcept ImportError as exc:\n    print(exc)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, env={"PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin"},
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert (
        done.stdout.strip() == "article-filter clean_frame needs pandas: pip install 'article-filter[pandas]'"
    )
