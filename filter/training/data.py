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

**Line files** (the line library in ``training_data/lines/``) hold single labelled lines, not documents,
for insertion into real clean articles at training time and for held-out-family evaluation::

    {"id": "line-promo-newsletter-0001", "label": "promotion", "family": "newsletter", "text": "...",
     "position": "any",                        # any | opening | middle | closing: where the line fits
     "provenance": {"method": "training_data/lines/generate.py", "seed": 20250611, "template": "..."}}

They are read by :func:`read_lines`. :func:`read_documents` skips a file whose first row is a line row, so
that a folder holding both kinds (``training_data/``) still reads as documents.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..types import Label

__all__ = [
    "Document",
    "DataError",
    "Checked",
    "DOCUMENT_KEYS",
    "check_document_row",
    "check_feedback_rows",
    "short_text",
    "read_documents",
    "iter_data_files",
    "write_documents",
    "content_hash",
    "split_of",
    "EVAL_FRACTION",
    "LabelledLine",
    "LINE_POSITIONS",
    "read_lines",
    "is_line_row",
    "is_line_file",
    "validate_line_row",
    "line_key",
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


#: The document-level keys training reads; any other key is reported (as a warning) by ``data check``.
DOCUMENT_KEYS = frozenset({"id", "source", "provenance", "language", "group", "style", "topic", "paragraphs"})
_STRING_KEYS = ("source", "group", "language", "style", "topic")


@dataclass
class Checked:
    """Rows parsed in collecting mode: the usable documents, each with the line it starts on, and every problem
    as ``(line, message)``. An error makes its row unusable; a warning does not (training ignores warnings).

    Loading (:func:`read_documents`) raises on the first error; ``article-filter data check`` reports them all.
    """

    documents: list[tuple[int, Document]] = field(default_factory=list)
    errors: list[tuple[int, str]] = field(default_factory=list)
    warnings: list[tuple[int, str]] = field(default_factory=list)

    def raise_first(self, path: str | Path) -> None:
        """Raise :class:`DataError` for the first error, if any."""
        if self.errors:
            line, message = self.errors[0]
            raise DataError(path, line, message)


def short_text(text: str, n: int = 60) -> str:
    """``text`` on one line, cut to ``n`` characters, quoted: how problem messages quote a paragraph."""
    text = " ".join(text.split())
    return repr(text if len(text) <= n else text[: n - 1] + "…")


def _check_label(value: Any, where: str, line: int, out: Checked) -> Label | None:
    """The label, or None after recording why the value is not one (a non-canonical spelling is a warning)."""
    if not isinstance(value, str):
        out.errors.append((line, f"{where}: missing or non-string 'label'"))
        return None
    try:
        label = Label.parse(value)
    except ValueError as exc:
        out.errors.append((line, f"{where}: {exc}"))
        return None
    if value != label.value:
        out.warnings.append((line, f"{where}: label {value!r} is not canonical (use {label.value!r})"))
    return label


def _check_header(row: dict[str, Any], line: int, out: Checked) -> str:
    """Check the document-level keys (id, string fields, provenance, unknown keys); how to name the row."""
    doc_id = row.get("id")
    if not isinstance(doc_id, str) or not doc_id.strip():
        out.errors.append((line, "missing or empty 'id'"))
        name = "document"
    else:
        name = f"document {doc_id!r}"
    for key in _STRING_KEYS:
        if key in row and not isinstance(row[key], str):
            out.errors.append((line, f"{name}: '{key}' must be a string"))
    if "provenance" not in row:
        out.warnings.append((line, f"{name}: no 'provenance' (how was this row made?)"))
    elif not isinstance(row["provenance"], dict):
        out.errors.append((line, f"{name}: 'provenance' must be an object"))
    unknown = sorted(set(row) - DOCUMENT_KEYS)
    if unknown:
        out.warnings.append((line, f"{name}: unknown keys {', '.join(unknown)} (ignored by training)"))
    return name


def _check_paragraphs(paras: list[Any], name: str, line: int, out: Checked) -> tuple[list[str], list[Label]]:
    """Check every paragraph object; the texts and labels of the usable ones."""
    texts: list[str] = []
    labels: list[Label] = []
    for i, para in enumerate(paras):
        where = f"{name}: paragraph {i}"
        if not isinstance(para, dict):
            out.errors.append((line, f"{where} must be an object"))
            continue
        text = para.get("text")
        if not isinstance(text, str) or not text.strip():
            out.errors.append((line, f"{where} has empty or missing 'text'"))
        label = _check_label(para.get("label"), where, line, out)
        if isinstance(text, str) and label is not None:
            texts.append(text)
            labels.append(label)
    seen: dict[str, int] = {}
    for i, text in enumerate(texts):
        key = text.strip()
        if key in seen:
            out.warnings.append(
                (line, f"{name}: paragraph {i} repeats paragraph {seen[key]} ({short_text(text)})")
            )
        else:
            seen.setdefault(key, i)
    return texts, labels


def check_document_row(row: Any, line: int = 0) -> Checked:
    """The one parser of a document row: the document (when usable) and every problem found in it."""
    out = Checked()
    if not isinstance(row, dict):
        out.errors.append((line, "a line must be a JSON object"))
        return out
    name = _check_header(row, line, out)
    paras = row.get("paragraphs")
    if not isinstance(paras, list) or not paras:
        out.errors.append((line, f"{name}: 'paragraphs' must be a non-empty list"))
        return out
    texts, labels = _check_paragraphs(paras, name, line, out)
    if out.errors:
        return out
    doc_id = row["id"]
    doc = Document(
        id=doc_id,
        paragraphs=texts,
        labels=labels,
        source=row.get("source", "unknown"),
        group=row.get("group") or doc_id,
        language=row.get("language", "en"),
        provenance=row.get("provenance", {}),
        style=row.get("style", ""),
        topic=row.get("topic", ""),
    )
    out.documents.append((line, doc))
    return out


def check_feedback_rows(rows: list[tuple[int, dict[str, Any]]], path: str | Path) -> Checked:
    """The one parser of feedback rows (``doc_id``/``index``/``text``/``label``, each with its line): rows with
    the same ``doc_id`` become one document, ordered by ``index``; every problem is collected."""
    out = Checked()
    name = Path(path).name
    by_doc: dict[str, list[tuple[int, int, str, Label]]] = {}
    for line, row in rows:
        where = f"feedback row for {row.get('doc_id')!r}"
        text = row.get("text")
        good = isinstance(text, str) and bool(text.strip())
        if not good:
            out.errors.append((line, f"{where} has empty or missing 'text'"))
        label = _check_label(row.get("label"), where, line, out)
        index = row.get("index", line)
        if not isinstance(index, int) or isinstance(index, bool):
            out.errors.append((line, f"{where}: 'index' must be an integer"))
            good = False
        if good and label is not None and isinstance(text, str) and isinstance(index, int):
            by_doc.setdefault(str(row["doc_id"]), []).append((index, line, text, label))
    for doc_id, items in by_doc.items():
        items.sort()
        indexes = [i for i, _, _, _ in items]
        if len(set(indexes)) != len(indexes):
            out.errors.append((items[0][1], f"feedback document {doc_id!r} repeats an 'index'"))
        doc = Document(
            id=f"feedback:{doc_id}",
            paragraphs=[t for _, _, t, _ in items],
            labels=[lab for _, _, _, lab in items],
            source=f"feedback:{name}",
            group=f"feedback:{doc_id}",
            provenance={"method": "feedback", "file": name, "lines": [ln for _, ln, _, _ in items]},
        )
        out.documents.append((items[0][1], doc))
    return out


def _json_rows(f: Path) -> Iterator[tuple[int, Any]]:
    """(line number, parsed row) of each non-blank line of a JSONL file; a broken line, bytes that are not
    UTF-8 or an unreadable file raise :class:`DataError` with the file and line (a missing file raises
    FileNotFoundError as it is)."""
    lineno = 0
    try:
        for lineno, line in enumerate(_open_text(f), start=1):  # noqa: B007 - lineno used in except
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as exc:
                raise DataError(f, lineno, f"broken JSON: {exc.msg} at column {exc.colno}") from None
            yield lineno, row
    except UnicodeDecodeError as exc:
        raise DataError(f, lineno + 1, f"not UTF-8: {exc.reason}") from None
    except (OSError, EOFError) as exc:
        if isinstance(exc, FileNotFoundError):
            raise
        raise DataError(f, lineno, f"cannot read: {exc}") from None


def read_documents(path: str | Path) -> Iterator[Document]:
    """Documents from a file or folder of JSONL; raises :class:`DataError` at the first bad line.

    Line-library files (:func:`is_line_file`) are skipped: they hold lines, not documents (:func:`read_lines`).
    """
    for f in iter_data_files(path):
        if is_line_file(f):
            continue
        feedback: list[tuple[int, dict[str, Any]]] = []
        for lineno, row in _json_rows(f):
            if isinstance(row, dict) and "family" in row and "paragraphs" not in row:
                continue  # a line-library row (training_data/lines), read by filter.training.augment
            if isinstance(row, dict) and "doc_id" in row and "paragraphs" not in row:
                feedback.append((lineno, row))
                continue
            checked = check_document_row(row, lineno)
            checked.raise_first(f)
            yield checked.documents[0][1]
        if feedback:
            checked = check_feedback_rows(feedback, f)
            checked.raise_first(f)
            yield from (doc for _, doc in checked.documents)


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


# ------------------------------------------------------------------------------------------ line library

#: Where a library line fits in an article: ``opening`` (first paragraphs), ``middle``, ``closing`` (last
#: paragraphs) or ``any``. Training inserts a line only where it fits, so "In a world where..." openers are
#: learnt at the top of articles and "Stay tuned" at the bottom, as real pages have them.
LINE_POSITIONS = ("any", "opening", "middle", "closing")
_LINE_KEYS = {"id", "label", "family", "text", "position", "provenance"}
_FAMILY = re.compile(r"^[a-z][a-z0-9_]*$")


@dataclass(frozen=True)
class LabelledLine:
    """One labelled line of the line library (see the module docstring for the schema)."""

    id: str
    label: Label
    family: str
    text: str
    position: str
    provenance: dict[str, Any] = field(default_factory=dict, hash=False, compare=False)

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "label": self.label.value,
            "family": self.family,
            "text": self.text,
            "position": self.position,
            "provenance": self.provenance,
        }


def is_line_row(row: Any) -> bool:
    """A line-library row: an object with ``family`` and ``text`` and no ``paragraphs`` or ``doc_id``."""
    return isinstance(row, dict) and "family" in row and "paragraphs" not in row and "doc_id" not in row


def is_line_file(path: str | Path) -> bool:
    """Whether the first non-empty row of a JSONL file is a line row (unreadable files count as not)."""
    p = Path(path)
    try:
        for line in _open_text(p):
            if line.strip():
                return is_line_row(json.loads(line))
    except (OSError, EOFError, UnicodeDecodeError, json.JSONDecodeError):
        return False
    return False


def validate_line_row(row: Any) -> tuple[LabelledLine | None, list[str]]:
    """The line and an empty list, or None and every problem found (the checker reports them all)."""
    if not isinstance(row, dict):
        return None, ["a line must be a JSON object"]
    problems: list[str] = []
    line_id = row.get("id")
    if not isinstance(line_id, str) or not line_id.strip():
        problems.append("missing or empty 'id'")
        name = "line"
    else:
        name = f"line {line_id!r}"
    label: Label | None = None
    try:
        label = Label.parse(row.get("label", ""))
    except ValueError as exc:
        problems.append(f"{name}: {exc}")
    family = row.get("family")
    if not isinstance(family, str) or not _FAMILY.match(family):
        problems.append(f"{name}: 'family' must be a lower-case identifier like 'newsletter', got {family!r}")
    text = row.get("text")
    if not isinstance(text, str) or not text.strip():
        problems.append(f"{name}: empty or missing 'text'")
    elif "\n" in text or text != text.strip():
        problems.append(f"{name}: 'text' must be one line without leading/trailing space")
    position = row.get("position", "any")
    if position not in LINE_POSITIONS:
        problems.append(f"{name}: 'position' must be one of {', '.join(LINE_POSITIONS)}, got {position!r}")
    prov = row.get("provenance")
    if not isinstance(prov, dict) or not isinstance(prov.get("method"), str):
        problems.append(f"{name}: 'provenance' must be an object with a 'method' (how was this line made?)")
    unknown = sorted(set(row) - _LINE_KEYS)
    if unknown:
        problems.append(f"{name}: unknown keys {', '.join(unknown)}")
    if problems:
        return None, problems
    assert (
        isinstance(line_id, str) and isinstance(text, str) and isinstance(family, str) and label is not None
    )
    assert isinstance(prov, dict)
    return LabelledLine(line_id, label, family, text, str(position), prov), []


def read_lines(path: str | Path) -> list[LabelledLine]:
    """Lines from a line file or a folder of them; raises :class:`DataError` (file:line) at the first bad row.

    In a folder, only line files are read (document files are skipped), mirroring :func:`read_documents`.
    Duplicate ids are errors: ids name lines in evaluation reports.
    """
    p = Path(path)
    files = [p] if p.is_file() else [f for f in iter_data_files(p) if is_line_file(f)]
    out: list[LabelledLine] = []
    first: dict[str, tuple[Path, int]] = {}
    for f in files:
        for lineno, row in _json_rows(f):
            line, problems = validate_line_row(row)
            if line is None:
                raise DataError(f, lineno, "; ".join(problems))
            if line.id in first:
                prev = first[line.id]
                raise DataError(f, lineno, f"duplicate id {line.id!r} (first at {prev[0]}:{prev[1]})")
            first[line.id] = (f, lineno)
            out.append(line)
    return out


_NON_WORD = re.compile(r"[^\w]+")
_DIGITS = re.compile(r"\d+")


def line_key(text: str) -> str:
    """Key under which two lines are near-exact duplicates: case, digits, glyphs, punctuation, spacing ignored.

    ``"SAVE 40% TODAY!"`` and ``"» Save 50% today"`` share a key: for a model they are the same wording, so
    keeping both would double its weight, and finding one in two families would leak a held-out family.
    """
    t = unicodedata.normalize("NFKC", text).casefold()
    t = _DIGITS.sub("0", t)
    return _NON_WORD.sub(" ", t).strip()
