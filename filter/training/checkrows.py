"""The data checker's reading side: every row of a data file validated, every problem collected.

:func:`filter.training.data.read_documents` stops at the first bad line (right for training: never train on
a half-read file); the checker (:mod:`filter.training.datacheck`) reads the same schema but keeps going and
records every problem with its file and line. Line-library rows are validated by the one line-schema
parser, :func:`filter.training.data.validate_line_row`.
"""

from __future__ import annotations

import gzip
import json
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..types import Label
from .data import is_line_row, validate_line_row

__all__ = ["Problem", "Counts", "CheckReport", "read_file"]

_KNOWN_KEYS = {"id", "source", "provenance", "language", "group", "style", "topic", "paragraphs"}


@dataclass(frozen=True)
class Problem:
    """One finding, located by file and line (line 0 when it concerns a whole file or the corpus)."""

    path: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}" if self.line else f"{self.path}: {self.message}"


@dataclass
class Counts:
    """Documents and paragraph labels, in total and broken down for the data card."""

    documents: int = 0
    labels: Counter[str] = field(default_factory=Counter)
    by_source: dict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    by_style: dict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    by_topic: dict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    by_split: dict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    docs_by_source: Counter[str] = field(default_factory=Counter)
    docs_by_style: Counter[str] = field(default_factory=Counter)
    docs_by_topic: Counter[str] = field(default_factory=Counter)
    docs_by_split: Counter[str] = field(default_factory=Counter)
    groups_by_split: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    #: line library: lines per (label, family)
    lines_by_family: Counter[tuple[str, str]] = field(default_factory=Counter)

    @property
    def lines(self) -> int:
        return sum(self.lines_by_family.values())

    @property
    def paragraphs(self) -> int:
        return sum(self.labels.values())


@dataclass
class CheckReport:
    """Everything the checker found. ``ok`` is true when there are no errors (warnings are allowed)."""

    files: list[str] = field(default_factory=list)
    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    counts: Counts = field(default_factory=Counts)

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass
class _Doc:
    """A parsed, valid document plus where it came from (the checker needs locations, Document has none)."""

    id: str
    path: str
    line: int
    texts: list[str]
    labels: list[str]
    source: str
    group: str
    style: str
    topic: str


@dataclass
class _Line:
    """A valid line-library row plus its location."""

    id: str
    path: str
    line: int
    label: str
    family: str
    text: str


def _short(text: str, n: int = 60) -> str:
    text = " ".join(text.split())
    return repr(text if len(text) <= n else text[: n - 1] + "…")


# ------------------------------------------------------------------------------------------------ reading


def _iter_lines(path: Path, report: CheckReport) -> Iterator[tuple[int, str]]:
    """Decoded lines; a line that is not UTF-8 is reported and skipped instead of ending the file."""
    try:
        fh = gzip.open(path, "rb") if path.name.endswith(".gz") else open(path, "rb")
    except OSError as exc:
        report.errors.append(Problem(str(path), 0, f"cannot open: {exc}"))
        return
    lineno = 0
    with fh:
        try:
            for lineno, raw in enumerate(fh, start=1):
                try:
                    yield lineno, raw.decode("utf-8")
                except UnicodeDecodeError as exc:
                    report.errors.append(Problem(str(path), lineno, f"not UTF-8: {exc.reason}"))
        except (OSError, EOFError) as exc:  # truncated or corrupt gzip
            report.errors.append(Problem(str(path), lineno + 1, f"cannot read: {exc}"))


def _label_ok(value: Any, where: str, path: str, line: int, report: CheckReport) -> str | None:
    """The canonical label name, or None after reporting why the value is not a label."""
    if not isinstance(value, str):
        report.errors.append(Problem(path, line, f"{where}: missing or non-string 'label'"))
        return None
    try:
        label = Label.parse(value)
    except ValueError as exc:
        report.errors.append(Problem(path, line, f"{where}: {exc}"))
        return None
    if value != label.value:
        report.warnings.append(
            Problem(path, line, f"{where}: label {value!r} is not canonical (use {label.value!r})")
        )
    return label.value


def _check_header(row: dict[str, Any], path: str, line: int, report: CheckReport) -> tuple[bool, str]:
    """Check the document-level keys (id, strings, provenance, unknown keys); (ok, how to name the row)."""
    ok = True
    doc_id = row.get("id")
    if not isinstance(doc_id, str) or not doc_id.strip():
        report.errors.append(Problem(path, line, "missing or empty 'id'"))
        ok = False
        name = "document"
    else:
        name = f"document {doc_id!r}"
    for key in ("source", "group", "language", "style", "topic"):
        if key in row and not isinstance(row[key], str):
            report.errors.append(Problem(path, line, f"{name}: '{key}' must be a string"))
            ok = False
    prov = row.get("provenance")
    if prov is None:
        report.warnings.append(Problem(path, line, f"{name}: no 'provenance' (how was this row made?)"))
    elif not isinstance(prov, dict):
        report.errors.append(Problem(path, line, f"{name}: 'provenance' must be an object"))
        ok = False
    unknown = sorted(set(row) - _KNOWN_KEYS)
    if unknown:
        report.warnings.append(
            Problem(path, line, f"{name}: unknown keys {', '.join(unknown)} (ignored by training)")
        )
    return ok, name


def _check_paragraphs(
    paras: list[Any], name: str, path: str, line: int, report: CheckReport
) -> tuple[bool, list[str], list[str]]:
    """Check every paragraph object; (all good, texts, canonical labels) of the usable ones."""
    ok = True
    texts: list[str] = []
    labels: list[str] = []
    for i, para in enumerate(paras):
        where = f"{name}: paragraph {i}"
        if not isinstance(para, dict):
            report.errors.append(Problem(path, line, f"{where} must be an object"))
            ok = False
            continue
        text = para.get("text")
        if not isinstance(text, str) or not text.strip():
            report.errors.append(Problem(path, line, f"{where} has empty or missing 'text'"))
            ok = False
        label = _label_ok(para.get("label"), where, path, line, report)
        if label is None:
            ok = False
        if isinstance(text, str) and label is not None:
            texts.append(text)
            labels.append(label)
    return ok, texts, labels


def _check_row(row: Any, path: str, line: int, report: CheckReport) -> _Doc | None:
    """Validate one document row, reporting every problem in it; the document when it is usable."""
    if not isinstance(row, dict):
        report.errors.append(Problem(path, line, "a line must be a JSON object"))
        return None
    ok, name = _check_header(row, path, line, report)
    paras = row.get("paragraphs")
    if not isinstance(paras, list) or not paras:
        report.errors.append(Problem(path, line, f"{name}: 'paragraphs' must be a non-empty list"))
        return None
    paras_ok, texts, labels = _check_paragraphs(paras, name, path, line, report)
    if not (ok and paras_ok):
        return None
    doc_id = row.get("id")
    assert isinstance(doc_id, str)
    seen: dict[str, int] = {}
    for i, text in enumerate(texts):
        key = text.strip()
        if key in seen:
            report.warnings.append(
                Problem(path, line, f"{name}: paragraph {i} repeats paragraph {seen[key]} ({_short(text)})")
            )
        else:
            seen[key] = i
    return _Doc(
        id=doc_id,
        path=path,
        line=line,
        texts=texts,
        labels=labels,
        source=str(row.get("source", "unknown")),
        group=str(row.get("group") or doc_id),
        style=str(row.get("style", "")),
        topic=str(row.get("topic", "")),
    )


def _feedback_docs(rows: list[tuple[int, dict[str, Any]]], path: str, report: CheckReport) -> list[_Doc]:
    """Feedback rows (``doc_id``/``index``/``text``/``label``) grouped into documents like read_documents."""
    by_doc: dict[str, list[tuple[int, int, str, str]]] = defaultdict(list)
    for line, row in rows:
        text = row.get("text")
        where = f"feedback row for {row.get('doc_id')!r}"
        good = True
        if not isinstance(text, str) or not text.strip():
            report.errors.append(Problem(path, line, f"{where} has empty or missing 'text'"))
            good = False
        label = _label_ok(row.get("label"), where, path, line, report)
        index = row.get("index", line)
        if not isinstance(index, int) or isinstance(index, bool):
            report.errors.append(Problem(path, line, f"{where}: 'index' must be an integer"))
            good = False
        if good and label is not None and isinstance(text, str) and isinstance(index, int):
            by_doc[str(row["doc_id"])].append((index, line, text, label))
    docs = []
    for doc_id, items in by_doc.items():
        items.sort()
        indexes = [i for i, _, _, _ in items]
        if len(set(indexes)) != len(indexes):
            report.errors.append(
                Problem(path, items[0][1], f"feedback document {doc_id!r} repeats an 'index'")
            )
        docs.append(
            _Doc(
                id=f"feedback:{doc_id}",
                path=path,
                line=items[0][1],
                texts=[t for _, _, t, _ in items],
                labels=[lab for _, _, _, lab in items],
                source=f"feedback:{Path(path).name}",
                group=f"feedback:{doc_id}",
                style="",
                topic="",
            )
        )
    return docs


def read_file(path: Path, report: CheckReport, lines: list[_Line] | None = None) -> list[_Doc]:
    """Documents of one file; line-library rows are validated and appended to ``lines`` instead."""
    docs: list[_Doc] = []
    feedback: list[tuple[int, dict[str, Any]]] = []
    name = str(path)
    for line, text in _iter_lines(path, report):
        if not text.strip():
            continue
        try:
            row = json.loads(text)
        except json.JSONDecodeError as exc:
            report.errors.append(Problem(name, line, f"broken JSON: {exc.msg} at column {exc.colno}"))
            continue
        if isinstance(row, dict) and "doc_id" in row and "paragraphs" not in row:
            feedback.append((line, row))
            continue
        if is_line_row(row):
            parsed, problems = validate_line_row(row)
            report.errors.extend(Problem(name, line, msg) for msg in problems)
            if parsed is not None and lines is not None:
                lines.append(_Line(parsed.id, name, line, parsed.label.value, parsed.family, parsed.text))
            continue
        doc = _check_row(row, name, line, report)
        if doc is not None:
            docs.append(doc)
    if feedback:
        docs.extend(_feedback_docs(feedback, name, report))
    return docs
