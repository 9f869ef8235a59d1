"""Golden batch outputs: the cases, how to run one, and (as a script) how to record them.

Why: ``filter/batch`` was rebuilt from one 2,000-line module into a package; its outputs must stay
byte-identical. The goldens were recorded from the code *before* that refactor and are compared by
``tests/test_batch_identical.py``. Outputs embed the run's absolute paths, the inputs' mtimes and the model's
hash (also inside the journal's options key); the inputs get a fixed mtime and :func:`normalise` replaces the
rest, nothing else.

The goldens fix the *batch* behaviour for a given model behaviour. When the model itself changes (features,
training), the tiny model classifies differently and every golden moves for a reason that is not batch's:
``model_fingerprint`` records what the single-document API returns on the cases' inputs, and the test skips
with a pointer here when it no longer matches. Re-record then, from a tree whose batch code is trusted::

    PYTHONPATH=$PWD python tests/batch_goldens.py
"""

from __future__ import annotations

import base64
import csv
import hashlib
import io
import json
import os
import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

__all__ = ["CASES", "GOLDEN_FILE", "model_fingerprint", "run_case"]

HERE = Path(__file__).resolve().parent
GOLDEN_FILE = HERE / "goldens" / "batch_outputs.json"
#: a fixed input mtime (2023-11-14), so that journals and manifests do not depend on when the inputs were written
_MTIME_NS = 1_700_000_000_000_000_000


def _docs(n: int, seed: int) -> list[str]:
    from conftest import make_tiny_documents

    return ["\n\n".join(d.paragraphs) for d in make_tiny_documents(n, seed=seed)]


def _texts() -> list[str]:
    return _docs(6, seed=11)


def _text_folder(root: Path) -> list[str]:
    docs = _texts()
    src = root / "in"
    files: dict[str, bytes] = {
        "a.txt": docs[0].encode("utf-8"),
        "sub/b.txt": docs[1].encode("utf-8"),
        "sub/deep/c.text": docs[2].encode("utf-8"),
        "page.html": docs[3].encode("utf-8"),
        "latin.txt": (docs[4] + "\n\nCaf\xe9 au lait, na\xefve r\xe9sum\xe9.").encode("cp1252"),
        "binary.txt": b"\x00\x01\x02\x03PK\x00\x00" * 64,
        "empty.txt": b"",
    }
    for rel, data in files.items():
        (src / rel).parent.mkdir(parents=True, exist_ok=True)
        (src / rel).write_bytes(data)
    return [str(src)]


def _records() -> list[dict[str, Any]]:
    return [{"id": f"doc{i}", "text": t, "n": i} for i, t in enumerate(_texts())]


def _jsonl(root: Path) -> list[str]:
    src = root / "news.jsonl"
    lines = [json.dumps(r) for r in _records()]
    lines.insert(2, "{not json")
    lines.insert(4, json.dumps({"id": "no-text", "n": 99}))
    src.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return [str(src)]


def _csv(root: Path) -> list[str]:
    src = root / "news.csv"
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=["id", "text", "n"])
    w.writeheader()
    for r in _records():
        w.writerow(r)
    src.write_text(buf.getvalue(), encoding="utf-8")
    return [str(src)]


def _parquet(root: Path) -> list[str]:
    import pyarrow as pa
    import pyarrow.parquet as pq

    src = root / "news.parquet"
    recs = _records()
    pq.write_table(pa.Table.from_pylist(recs), src, row_group_size=2)
    return [str(src)]


#: case name -> (input maker, extra CLI arguments)
CASES: dict[str, tuple[Callable[[Path], list[str]], list[str]]] = {
    "clean_text_folder": (_text_folder, ["clean"]),
    "clean_jsonl": (_jsonl, ["clean", "--chunk-size", "3"]),
    "clean_jsonl_explain_id": (_jsonl, ["clean", "--explain", "--id-field", "id"]),
    "clean_csv": (_csv, ["clean", "--chunk-size", "4"]),
    "clean_csv_explain": (_csv, ["clean", "--explain", "--output-field", "kept"]),
    "clean_parquet": (_parquet, ["clean", "--chunk-size", "4"]),
    "clean_parquet_explain": (_parquet, ["clean", "--explain"]),
    "classify_text_folder": (_text_folder, ["classify"]),
    "classify_text_folder_csv": (_text_folder, ["classify", "--format", "csv"]),
    "classify_jsonl": (_jsonl, ["classify", "--id-field", "id"]),
    "classify_jsonl_parquet": (_jsonl, ["classify", "--format", "parquet"]),
    "classify_csv": (_csv, ["classify", "--chunk-size", "4"]),
    "classify_parquet_csv": (_parquet, ["classify", "--format", "csv", "--id-field", "id"]),
}


def normalise(data: bytes, root: Path, model_sha: str) -> bytes:
    """The run's own folder, the model's hash: the only things in an output that differ between runs."""
    for p in {str(root), str(root.resolve())}:
        data = data.replace(p.encode("utf-8"), b"<ROOT>")
        data = data.replace(json.dumps(p)[1:-1].encode("utf-8"), b"<ROOT>")
    data = data.replace(model_sha.encode("ascii"), b"<MODEL>")
    # the journal's options key hashes the model's absolute path with the options
    return re.sub(rb'"opts": "[0-9a-f]{16}"', b'"opts": "<OPTS>"', data)


def _snapshot(out: Path, root: Path, model_sha: str) -> dict[str, Any]:
    files: dict[str, Any] = {}
    for p in sorted(out.rglob("*")):
        if not p.is_file():
            continue
        rel = p.relative_to(out).as_posix()
        data = p.read_bytes()
        if p.suffix == ".parquet":
            import pyarrow
            import pyarrow.parquet as pq

            rows = pq.read_table(p).to_pylist()
            files[rel] = {
                "rows": json.loads(json.dumps(rows, default=str)),
                "bytes_sha256": hashlib.sha256(data).hexdigest(),
                "pyarrow": pyarrow.__version__,
            }
            continue
        data = normalise(data, root, model_sha)
        try:
            files[rel] = data.decode("utf-8")
        except UnicodeDecodeError:
            files[rel] = {"base64": base64.b64encode(data).decode("ascii")}
    return files


def run_case(name: str, root: Path, model_dir: Path) -> dict[str, Any]:
    """Build the case's inputs under ``root``, run the CLI in-process, return the normalised output tree."""
    from filter.cli import main

    make, args = CASES[name]
    root.mkdir(parents=True, exist_ok=True)
    inputs = make(root)
    for p in root.rglob("*"):
        if p.is_file():
            os.utime(p, ns=(_MTIME_NS, _MTIME_NS))
    out = root / "out"
    status = main(
        [args[0], *inputs, "-o", str(out), *args[1:], "--model", str(model_dir), "--quiet", "--jobs", "1"]
    )
    model_sha = hashlib.sha256((model_dir / "weights.npz").read_bytes()).hexdigest()
    return {"status": status, "files": _snapshot(out, root, model_sha)}


def model_fingerprint(model_dir: Path) -> str:
    """What the tiny model says on the cases' documents through the plain API (not batch)."""
    from filter.api import load_model

    flt = load_model(model_dir)
    said = [
        [(p.text, p.label.value if p.label else None, round(p.probability, 6)) for p in flt.classify(t)]
        for t in _texts()
    ]
    return hashlib.sha256(json.dumps(said).encode("utf-8")).hexdigest()


def _record() -> None:  # pragma: no cover - run by hand
    import tempfile

    from conftest import make_tiny_documents

    from filter.store import save_model_dir
    from filter.training.train import train_model

    with tempfile.TemporaryDirectory() as tmp:
        model_dir = Path(tmp) / "model"
        model, card, _ = train_model([], docs=make_tiny_documents())
        save_model_dir(model, model_dir, card)
        goldens = {"model_fingerprint": model_fingerprint(model_dir), "cases": {}}
        for name in CASES:
            goldens["cases"][name] = run_case(name, Path(tmp) / name, model_dir)
            print(name, goldens["cases"][name]["status"], len(goldens["cases"][name]["files"]), "files")
    GOLDEN_FILE.parent.mkdir(parents=True, exist_ok=True)
    GOLDEN_FILE.write_text(
        json.dumps(goldens, indent=1, sort_keys=True, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    print("wrote", GOLDEN_FILE)


if __name__ == "__main__":  # pragma: no cover
    sys.path.insert(0, str(HERE))
    _record()
