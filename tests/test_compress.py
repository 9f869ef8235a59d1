"""filter.compress: gzip / bz2 / xz / zstd detected by magic bytes and name, round trips, and the CLI."""

from __future__ import annotations

import gzip
import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO, make_tiny_documents

from filter.api import ArticleFilter
from filter.cli import main
from filter.compress import (
    COMPRESSIONS,
    compression_from_magic,
    compression_from_name,
    compression_of,
    maybe_decompress,
    open_input,
    open_output,
    strip_compression_suffix,
    with_compression_suffix,
)
from filter.io import InputError, read_text_file

SUFFIX = {"gzip": ".gz", "bz2": ".bz2", "xz": ".xz", "zstd": ".zst"}


def _available(comp: str) -> bool:
    if comp != "zstd":
        return True
    try:
        import zstandard  # noqa: F401
    except ImportError:
        return False
    return True


FORMATS = [
    pytest.param(c, marks=pytest.mark.skipif(not _available(c), reason="zstandard not installed"))
    for c in COMPRESSIONS
]
TEXT = "\n\n".join(make_tiny_documents(1, seed=3)[0].paragraphs) + "\n\u00e9\u2019 \u4e2d\u6587\n"


@pytest.mark.parametrize("comp", FORMATS)
def test_round_trip_and_detection(tmp_path: Path, comp: str) -> None:
    path = tmp_path / f"a.txt{SUFFIX[comp]}"
    with open_output(path) as out:
        out.write(TEXT.encode("utf-8"))
    assert compression_of(path) == comp == compression_from_name(path)
    with open_input(path) as fh:
        assert fh.read().decode("utf-8") == TEXT
    # Content wins over the name: the same bytes without a suffix are still detected.
    bare = tmp_path / "noext"
    bare.write_bytes(path.read_bytes())
    assert compression_of(bare) == comp
    with open_input(bare) as fh:
        assert fh.readline().decode("utf-8") == TEXT.splitlines(keepends=True)[0]
    assert read_text_file(bare) == TEXT
    assert maybe_decompress(path.read_bytes()) == TEXT.encode("utf-8")


def test_plain_and_mislabelled(tmp_path: Path) -> None:
    fake = tmp_path / "plain.jsonl.gz"
    fake.write_text('{"text": "hello"}\n', encoding="utf-8")
    assert compression_from_name(fake) == "gzip" and compression_of(fake) is None
    with open_input(fake) as fh:
        assert fh.read() == b'{"text": "hello"}\n'
    assert compression_of(tmp_path / "missing.jsonl.xz") == "xz"  # not there yet: the name decides
    assert compression_from_magic(b"BZh is how this text starts") is None  # no block-size digit
    assert compression_from_magic(b"BZh91AY") == "bz2"


def test_names() -> None:
    assert strip_compression_suffix("crawl.warc.wet.gz") == "crawl.warc.wet"
    assert strip_compression_suffix("x/Export.JSONL.ZST") == "x/Export.JSONL"
    assert strip_compression_suffix("a.jsonl") == "a.jsonl"
    assert with_compression_suffix("part-00000.jsonl.gz", "xz") == "part-00000.jsonl.xz"
    assert with_compression_suffix("part-00000.jsonl.gz", None) == "part-00000.jsonl"
    with pytest.raises(ValueError, match="unknown compression 'lz4'"):
        with_compression_suffix("a", "lz4")


def test_gzip_output_is_deterministic(tmp_path: Path) -> None:
    """A resumed batch must write the same bytes as an uninterrupted one: no time stamp, no file name."""
    a, b = tmp_path / "a.gz", tmp_path / "sub-b.gz"
    for p in (a, b):
        with open_output(p) as out:
            out.write(TEXT.encode())
    assert a.read_bytes() == b.read_bytes()
    assert gzip.decompress(a.read_bytes()) == TEXT.encode()


def test_stream_input_and_limits() -> None:
    data = gzip.compress(b"line one\nline two\n")
    with open_input(io.BytesIO(data)) as fh:
        assert fh.read() == b"line one\nline two\n"
    with pytest.raises(ValueError, match="decompresses to more than 4 bytes"):
        maybe_decompress(data, "x.gz", max_bytes=4)
    with pytest.raises(ValueError, match="corrupt gzip"):
        maybe_decompress(data[:12], "x.gz")


def test_corrupt_file_is_an_input_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad.txt.gz"
    bad.write_bytes(gzip.compress(TEXT.encode())[:20])
    with pytest.raises(InputError, match="corrupt gzip"):
        read_text_file(bad)


@pytest.mark.parametrize("comp", FORMATS)
def test_cli_clean_compressed_equals_plain(
    tmp_path: Path,
    comp: str,
    tiny_model_dir: Path,
    tiny_filter: ArticleFilter,
    capsys: pytest.CaptureFixture[str],
) -> None:
    plain = tmp_path / "article.txt"
    plain.write_text(TEXT, encoding="utf-8")
    packed = tmp_path / f"article.txt{SUFFIX[comp]}"
    with open_output(packed) as out:
        out.write(TEXT.encode("utf-8"))
    assert main(["clean", str(plain), "--model", str(tiny_model_dir)]) == 0
    want = capsys.readouterr().out
    assert main(["clean", str(packed), "--model", str(tiny_model_dir)]) == 0
    assert capsys.readouterr().out == want
    assert want.rstrip("\n") == tiny_filter.clean(TEXT)


def test_cli_stdin_gzip(tmp_path: Path, tiny_model_dir: Path, tiny_filter: ArticleFilter) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "filter", "clean", "-", "--model", str(tiny_model_dir)],
        input=gzip.compress(TEXT.encode()), capture_output=True, timeout=120, check=False,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert done.stdout.decode().rstrip("\n") == tiny_filter.clean(TEXT)


def test_missing_zstandard_is_one_line(tmp_path: Path) -> None:
    code = (
        "import sys; sys.modules['zstandard'] = None\n"
        "from filter.compress import open_output\n"
        "try:\n    open_output(sys.argv[1])\nexcept ImportError as exc:\n    print(exc)\n"
    )
    target = tmp_path / "x.jsonl.zst"
    done = subprocess.run(
        [sys.executable, "-c", code, str(target)], env={**os.environ, "PYTHONPATH": str(REPO)},
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == (
        "article-filter zstd (.zst) support needs zstandard: pip install 'article-filter[zstd]'"
    )
    assert not target.exists()  # refused before creating the file
