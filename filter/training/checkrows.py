"""The data checker's reading side: every row of a data file validated, every problem collected.

:func:`filter.training.data.read_documents` stops at the first bad line (right for training: never train on
a half-read file); the checker (:mod:`filter.training.datacheck`) reads the same schema but keeps going and
records every problem with its file and line. Rows are validated by the schema parsers of
:mod:`filter.training.data` in their collecting mode (:func:`~filter.training.data.check_document_row`,
:func:`~filter.training.data.check_feedback_rows`, :func:`~filter.training.data.validate_line_row`), the
very ones loading uses, so the checker and training never disagree about a row.
"""

from __future__ import annotations

import gzip
import json
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .data import Checked, Document, check_document_row, check_feedback_rows, is_line_row, validate_line_row

__all__ = ["Problem", "Counts", "CheckReport", "read_file"]


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


def _located(doc: Document, path: str, line: int) -> _Doc:
    return _Doc(
        id=doc.id,
        path=path,
        line=line,
        texts=doc.paragraphs,
        labels=[lab.value for lab in doc.labels],
        source=doc.source,
        group=doc.group,
        style=doc.style,
        topic=doc.topic,
    )


def _take(checked: Checked, path: str, report: CheckReport) -> list[_Doc]:
    """Record the problems the schema parser found; the usable documents with their locations."""
    report.errors.extend(Problem(path, line, msg) for line, msg in checked.errors)
    report.warnings.extend(Problem(path, line, msg) for line, msg in checked.warnings)
    return [_located(doc, path, line) for line, doc in checked.documents]


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
        docs.extend(_take(check_document_row(row, line), name, report))
    if feedback:
        docs.extend(_take(check_feedback_rows(feedback, name), name, report))
    return docs
