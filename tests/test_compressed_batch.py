"""A compressed JSONL table gives the same cleaned output as the plain one (issue 13)."""

from __future__ import annotations

import bz2
import gzip
import json
import lzma
from pathlib import Path

import pytest

from filter.cli import main


@pytest.mark.parametrize("suffix,opener", [(".gz", gzip.open), (".bz2", bz2.open), (".xz", lzma.open)])
def test_compressed_jsonl_equals_plain(tmp_path: Path, tiny_model_dir: Path, suffix: str, opener) -> None:  # type: ignore[no-untyped-def]
    rows = [
        {"id": i, "text": f"The council voted {i}-2 on Tuesday.\n\nSign up for our newsletter!"}
        for i in range(5)
    ]
    body = "".join(json.dumps(r) + "\n" for r in rows)
    plain = tmp_path / "in.jsonl"
    plain.write_text(body, encoding="utf-8")
    packed = tmp_path / f"in.jsonl{suffix}"
    with opener(packed, "wt", encoding="utf-8") as fh:
        fh.write(body)
    for src, out in ((plain, "out_plain"), (packed, "out_packed")):
        assert (
            main(["clean", str(src), "-o", str(tmp_path / out), "--model", str(tiny_model_dir), "--quiet"])
            == 0
        )
    a = (tmp_path / "out_plain" / "part-00000.jsonl").read_bytes()
    b = (tmp_path / "out_packed" / "part-00000.jsonl").read_bytes()
    assert a == b and len(a.splitlines()) == 5
