"""Labelled training data: the project's JSONL schema, reading it with precise error locations, and feedback rows.

Schema (one JSON object per line, UTF-8; files ``*.jsonl`` or ``*.jsonl.gz``)::

    {"id": "gen-politics-000123",              # unique per document
     "source": "project:generator",            # where the document comes from (dataset or tool)
     "provenance": {"method": "...", ...},     # how this row was made: generator+seed, importer+page id, ...
     "language": "en",
     "group": "site:example-daily",            # split key: documents sharing a group never straddle train/eval
     "style": "content_farm",                  # optional: page style, for data cards
     "topic": "politics",                      # optional
     "paragraphs": [{"text": "...", "label": "core"}, ...]}

Feedback rows (what ``article-filter classify --format jsonl`` writes, with ``label`` corrected by a person)
are accepted too: ``{"doc_id": ..., "index": ..., "text": ..., "label": ...}``; rows with the same ``doc_id``
in one file become one document, ordered by ``index``.
"""

from __future__ import annotations

import gzip
import hashlib
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .types import Label

__all__ = [
    "Document",
    "DataError",
    "read_documents",
    "iter_data_files",
    "write_documents",
    "content_hash",
    "split_of",
    "EVAL_FRACTION",
]


@dataclass
class Document:
    """A labelled document: paragraphs in reading order with one label each."""

    id: str
    paragraphs: list[str]
    labels: list[Label]
    source: str = "unknown"
    group: str = ""
    language: str = "en"
    provenance: dict[str, Any] = field(default_factory=dict)
    style: str = ""
    topic: str = ""

    def __post_init__(self) -> None:
        if not self.group:
            self.group = self.id

    def to_json(self) -> dict[str, Any]:
        row: dict[str, Any] = {
            "id": self.id,
            "source": self.source,
            "provenance": self.provenance,
            "language": self.language,
            "group": self.group,
        }
        if self.style:
            row["style"] = self.style
        if self.topic:
            row["topic"] = self.topic
        row["paragraphs"] = [{"text": t, "label": lab.value} for t, lab in zip(self.paragraphs, self.labels)]
        return row


class DataError(ValueError):
    """Bad training data, located by file and line so that it can be fixed by hand."""

    def __init__(self, path: str | Path, line: int, message: str) -> None:
        self.path = str(path)
        self.line = line
        self.message = message
        super().__init__(f"{path}:{line}: {message}")


def iter_data_files(path: str | Path) -> list[Path]:
    """The JSONL files below ``path`` (or ``path`` itself), sorted for determinism."""
    p = Path(path)
    if p.is_file():
        return [p]
    if not p.exists():
        raise FileNotFoundError(f"no such training data: {p}")
    return sorted(
        f for f in p.rglob("*") if f.is_file() and (f.name.endswith(".jsonl") or f.name.endswith(".jsonl.gz"))
    )


def _open_text(path: Path) -> Iterator[str]:
    opener = gzip.open if path.name.endswith(".gz") else open
    with opener(path, "rt", encoding="utf-8", errors="strict") as fh:
        yield from fh


def _parse_document(row: Any, path: Path, lineno: int) -> Document:
    if not isinstance(row, dict):
        raise DataError(path, lineno, "a line must be a JSON object")
    doc_id = row.get("id")
    if not isinstance(doc_id, str) or not doc_id:
        raise DataError(path, lineno, "missing or empty 'id'")
    paras = row.get("paragraphs")
    if not isinstance(paras, list) or not paras:
        raise DataError(path, lineno, f"document {doc_id!r}: 'paragraphs' must be a non-empty list")
    texts: list[str] = []
    labels: list[Label] = []
    for i, para in enumerate(paras):
        if not isinstance(para, dict):
            raise DataError(path, lineno, f"document {doc_id!r}: paragraph {i} must be an object")
        text = para.get("text")
        if not isinstance(text, str) or not text.strip():
            raise DataError(path, lineno, f"document {doc_id!r}: paragraph {i} has empty or missing 'text'")
        try:
            label = Label.parse(para.get("label", ""))
        except ValueError as exc:
            raise DataError(path, lineno, f"document {doc_id!r}: paragraph {i}: {exc}") from None
        texts.append(text)
        labels.append(label)
    prov = row.get("provenance", {})
    if not isinstance(prov, dict):
        raise DataError(path, lineno, f"document {doc_id!r}: 'provenance' must be an object")
    return Document(
        id=doc_id,
        paragraphs=texts,
        labels=labels,
        source=str(row.get("source", "unknown")),
        group=str(row.get("group") or doc_id),
        language=str(row.get("language", "en")),
        provenance=prov,
        style=str(row.get("style", "")),
        topic=str(row.get("topic", "")),
    )


def _feedback_documents(rows: list[tuple[int, dict[str, Any]]], path: Path) -> list[Document]:
    by_doc: dict[str, list[tuple[int, int, str, Label]]] = {}
    for lineno, row in rows:
        text = row.get("text")
        if not isinstance(text, str) or not text.strip():
            raise DataError(path, lineno, "feedback row has empty or missing 'text'")
        try:
            label = Label.parse(row.get("label", ""))
        except ValueError as exc:
            raise DataError(path, lineno, str(exc)) from None
        index = row.get("index", lineno)
        if not isinstance(index, int):
            raise DataError(path, lineno, "feedback row 'index' must be an integer")
        by_doc.setdefault(str(row["doc_id"]), []).append((index, lineno, text, label))
    docs = []
    for doc_id, items in by_doc.items():
        items.sort()
        docs.append(
            Document(
                id=f"feedback:{doc_id}",
                paragraphs=[t for _, _, t, _ in items],
                labels=[lab for _, _, _, lab in items],
                source=f"feedback:{path.name}",
                group=f"feedback:{doc_id}",
                provenance={"method": "feedback", "file": path.name, "lines": [ln for _, ln, _, _ in items]},
            )
        )
    return docs


def read_documents(path: str | Path) -> Iterator[Document]:
    """Documents from a file or folder of JSONL; raises :class:`DataError` at the first bad line."""
    for f in iter_data_files(path):
        feedback: list[tuple[int, dict[str, Any]]] = []
        lineno = 0
        try:
            for lineno, line in enumerate(_open_text(f), start=1):  # noqa: B007 - lineno used in except
                if not line.strip():
                    continue
                try:
                    row = json.loads(line)
                except json.JSONDecodeError as exc:
                    raise DataError(f, lineno, f"broken JSON: {exc.msg} at column {exc.colno}") from None
                if isinstance(row, dict) and "family" in row and "paragraphs" not in row:
                    continue  # a line-library row (training_data/lines), read by filter.augment
                if isinstance(row, dict) and "doc_id" in row and "paragraphs" not in row:
                    feedback.append((lineno, row))
                    continue
                yield _parse_document(row, f, lineno)
        except UnicodeDecodeError as exc:
            raise DataError(f, lineno + 1, f"not UTF-8: {exc.reason}") from None
        except (OSError, EOFError) as exc:
            if isinstance(exc, FileNotFoundError):
                raise
            raise DataError(f, lineno, f"cannot read: {exc}") from None
        if feedback:
            yield from _feedback_documents(feedback, f)


def write_documents(docs: Iterable[Document], path: str | Path) -> int:
    """Write documents as JSONL (gzip when the name ends in .gz); returns the count."""
    p = Path(path)
    p.parent.mkdir(parents=True, exist_ok=True)
    n = 0
    opener = gzip.open if p.name.endswith(".gz") else open
    with opener(p, "wt", encoding="utf-8") as fh:
        for doc in docs:
            fh.write(json.dumps(doc.to_json(), ensure_ascii=False) + "\n")
            n += 1
    return n


def content_hash(paths: Iterable[str | Path]) -> str:
    """SHA-256 over the bytes of every data file (sorted), to tell whether training data changed."""
    h = hashlib.sha256()
    for path in paths:
        p = Path(path)
        files = iter_data_files(p) if (p.is_dir() or p.suffix in {".jsonl", ".gz"}) else [p]
        for f in files:
            h.update(str(f.name).encode())
            with open(f, "rb") as fh:
                for chunk in iter(lambda: fh.read(1 << 20), b""):
                    h.update(chunk)
    return h.hexdigest()


#: Share of groups (sites or articles) held out for evaluation. 20% gives ~300 held-out documents from the
#: real corpora, enough for per-label recall within about +-2 points, while keeping 80% for training.
EVAL_FRACTION = 0.2


def split_of(group: str, eval_fraction: float = EVAL_FRACTION, salt: str = "article-filter-split-v1") -> str:
    """``"train"`` or ``"eval"`` for a group key, stable across runs, machines and Python versions.

    Splitting by group (site or article), never by paragraph: paragraphs of one page share template and
    phrasing, so a paragraph-level split would leak and flatter every metric.
    """
    digest = hashlib.sha256(f"{salt}:{group}".encode()).digest()
    bucket = int.from_bytes(digest[:8], "big") / 2**64
    return "eval" if bucket < eval_fraction else "train"
