"""``article-filter data check PATH...``: validate labelled training data and report every problem at once.

:func:`filter.training.data.read_documents` stops at the first bad line, which is right for training (never train on
half-read data) but slow for fixing a file by hand: one run per typo. This checker reads the same schema
(see :mod:`filter.training.data`) but keeps going and collects every problem with its file and line, then adds the
checks that need the whole corpus at once:

* schema errors (broken JSON, missing id, empty or missing paragraphs, unknown labels, bad provenance);
* duplicate ids and exact duplicate documents (they silently double a document's weight and, when the
  copies land in different groups, leak the same text into both train and eval);
* near-duplicate documents across the train/eval split (:func:`filter.training.data.split_of` of the group):
  Jaccard similarity of word 5-gram shingles >= 0.8, found with MinHash + LSH so that a few thousand
  documents take well under a second, then confirmed on the exact shingle sets;
* warnings that do not block training: repeated paragraphs inside one document, the same paragraph text
  labelled differently in different documents, missing provenance, unknown keys, non-canonical labels.

It also counts labels in total, per source, per style, per topic and per split, which is what the data
card in ``training_data/README.md`` is generated from (:func:`counts_markdown`).

**Line files** (the line library, schema in :mod:`filter.training.data`) are recognised by their rows and checked
too: schema of every row (:func:`filter.training.data.validate_line_row`), duplicate ids, the same text twice
(error), the same near-exact wording (:func:`filter.training.data.line_key`) in two labels or two families (error:
it would leak a held-out family into training, or teach two labels for one wording), and lines of 8+ words
whose word 3-gram Jaccard with a line of another family is >= ``NEAR_DUP_THRESHOLD`` (warning: close
paraphrases across families blur held-out-family evaluation). Counts per label and family are reported.

Exit semantics of the CLI: 0 when there are no errors (warnings allowed), 1 when there are errors.
"""

from __future__ import annotations

import gzip
import json
import re
import zlib
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from ..types import LABELS, Label
from .data import is_line_row, iter_data_files, line_key, split_of, validate_line_row

__all__ = [
    "Problem",
    "Counts",
    "CheckReport",
    "check_paths",
    "format_report",
    "counts_markdown",
    "lines_markdown",
    "run_check",
    "NEAR_DUP_THRESHOLD",
]

#: Jaccard similarity of word 5-gram shingle sets above which two documents count as near-duplicates. 0.8
#: catches re-posts with a changed headline, byline or footer (typically 0.85-0.95) while two different
#: stories from one template-heavy site stay far below (their shared chrome is a small part of the text).
NEAR_DUP_THRESHOLD = 0.8

_SHINGLE = 5
_NUM_PERM = 64
_BANDS = 16  # 16 bands x 4 rows: a pair at Jaccard 0.8 becomes a candidate with probability > 0.999
_PRIME = (1 << 31) - 1
_KNOWN_KEYS = {"id", "source", "provenance", "language", "group", "style", "topic", "paragraphs"}
_WORD = re.compile(r"\w+")


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


def _check_row(row: Any, path: str, line: int, report: CheckReport) -> _Doc | None:
    """Validate one document row, reporting every problem in it; the document when it is usable."""
    if not isinstance(row, dict):
        report.errors.append(Problem(path, line, "a line must be a JSON object"))
        return None
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
    paras = row.get("paragraphs")
    texts: list[str] = []
    labels: list[str] = []
    if not isinstance(paras, list) or not paras:
        report.errors.append(Problem(path, line, f"{name}: 'paragraphs' must be a non-empty list"))
        return None
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
    if not ok:
        return None
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


def _read_file(path: Path, report: CheckReport, lines: list[_Line] | None = None) -> list[_Doc]:
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


# ------------------------------------------------------------------------------------------ corpus checks


def _short(text: str, n: int = 60) -> str:
    text = " ".join(text.split())
    return repr(text if len(text) <= n else text[: n - 1] + "…")


def _check_ids_and_duplicates(docs: list[_Doc], report: CheckReport) -> None:
    first_id: dict[str, _Doc] = {}
    first_text: dict[tuple[str, ...], _Doc] = {}
    for doc in docs:
        prev = first_id.get(doc.id)
        if prev is not None:
            report.errors.append(
                Problem(doc.path, doc.line, f"duplicate id {doc.id!r} (first at {prev.path}:{prev.line})")
            )
        else:
            first_id[doc.id] = doc
        key = tuple(t.strip() for t in doc.texts)
        twin = first_text.get(key)
        if twin is None:
            first_text[key] = doc
        elif twin.labels == doc.labels:
            report.errors.append(
                Problem(
                    doc.path,
                    doc.line,
                    f"document {doc.id!r} is an exact duplicate of {twin.id!r} ({twin.path}:{twin.line})",
                )
            )
        else:
            report.errors.append(
                Problem(
                    doc.path,
                    doc.line,
                    f"document {doc.id!r} has the same text as {twin.id!r} "
                    f"({twin.path}:{twin.line}) but different labels",
                )
            )


def _check_label_conflicts(docs: list[_Doc], report: CheckReport, max_examples: int = 10) -> None:
    """Warn when one paragraph text carries different labels in different documents.

    Some of this is legitimate (a bare headline is core on its own page and promotion in a related-stories
    list), so it is a warning with counts and examples, not an error.
    """
    seen: dict[str, dict[str, _Doc]] = defaultdict(dict)
    for doc in docs:
        for text, label in zip(doc.texts, doc.labels, strict=True):
            seen[text.strip()].setdefault(label, doc)
    conflicts = [(t, by) for t, by in seen.items() if len(by) > 1]
    if not conflicts:
        return
    for text, by in conflicts[:max_examples]:
        where = "; ".join(f"{lab} in {d.id!r} ({d.path}:{d.line})" for lab, d in sorted(by.items()))
        first = min(by.values(), key=lambda d: (d.path, d.line))
        report.warnings.append(
            Problem(first.path, first.line, f"paragraph {_short(text)} has conflicting labels: {where}")
        )
    if len(conflicts) > max_examples:
        report.warnings.append(
            Problem(
                "<corpus>",
                0,
                f"{len(conflicts)} distinct paragraph texts have conflicting labels "
                f"({len(conflicts) - max_examples} more not listed)",
            )
        )


_MIX = np.array(
    [0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F, 0x165667B19E3779F9, 0xD6E8FEB86659FD93, 0xFF51AFD7ED558CCD],
    dtype=np.uint64,
)


def _shingles(text: str, vocab: dict[str, int], size: int = _SHINGLE) -> np.ndarray:
    """Sorted unique 64-bit hashes of the word 5-grams of ``text`` (the whole text if it is shorter).

    Words are hashed once (crc32, stable across runs) and 5-grams are mixed in numpy: a few thousand documents
    take a fraction of a second instead of seconds with per-shingle Python strings.
    """
    words = _WORD.findall(text.lower())
    if not words:
        return np.zeros(0, dtype=np.uint64)
    for w in set(words).difference(vocab):
        vocab[w] = zlib.crc32(w.encode())
    ids = np.fromiter(map(vocab.__getitem__, words), dtype=np.uint64, count=len(words))
    n = max(1, len(ids) - size + 1)
    k = min(size, len(ids))
    h = np.zeros(n, dtype=np.uint64)
    with np.errstate(over="ignore"):
        for j in range(k):
            h = (h ^ ids[j : j + n]) * _MIX[j]
    return np.unique(h)


def _minhash(shingles: np.ndarray, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    x = shingles % np.uint64(_PRIME)
    # (a*x + b) mod p for every permutation at once; a, x < 2**31 so the product fits in 64 bits.
    return ((np.outer(a, x) + b[:, None]) % np.uint64(_PRIME)).min(axis=1)


def _jaccard(x: np.ndarray, y: np.ndarray) -> float:
    inter = len(np.intersect1d(x, y, assume_unique=True))
    return inter / (len(x) + len(y) - inter)


def _check_near_duplicates(docs: list[_Doc], report: CheckReport, threshold: float) -> None:
    """Report document pairs in different splits whose shingle Jaccard is >= threshold."""
    if len(docs) < 2:
        return
    gen = np.random.default_rng(20240917)
    a = gen.integers(1, _PRIME, size=_NUM_PERM, dtype=np.uint64)
    b = gen.integers(0, _PRIME, size=_NUM_PERM, dtype=np.uint64)
    vocab: dict[str, int] = {}
    sets = [_shingles("\n".join(d.texts), vocab) for d in docs]
    splits = [split_of(d.group) for d in docs]
    rows = _NUM_PERM // _BANDS
    buckets: dict[tuple[int, bytes], list[int]] = defaultdict(list)
    for i, s in enumerate(sets):
        if not len(s):
            continue
        sig = _minhash(s, a, b)
        for band in range(_BANDS):
            buckets[(band, sig[band * rows : (band + 1) * rows].tobytes())].append(i)
    pairs: set[tuple[int, int]] = set()
    for members in buckets.values():
        if len(members) < 2:
            continue
        train = [i for i in members if splits[i] == "train"]
        evals = [i for i in members if splits[i] == "eval"]
        for i in train:
            for j in evals:
                pairs.add((min(i, j), max(i, j)))
    for i, j in sorted(pairs):
        jac = _jaccard(sets[i], sets[j])
        if jac >= threshold:
            d, e = docs[j], docs[i]
            report.errors.append(
                Problem(
                    d.path,
                    d.line,
                    f"document {d.id!r} ({splits[j]}, group {d.group!r}) is a near-duplicate "
                    f"of {e.id!r} ({splits[i]}, group {e.group!r}, {e.path}:{e.line}): Jaccard {jac:.2f} "
                    "across the train/eval split",
                )
            )


#: Lines shorter than this are compared only by :func:`filter.training.data.line_key`: a Jaccard over the 3-grams of
#: a five-word line is too coarse (one changed word moves it from 1.0 to 0.5).
_LINE_JACCARD_MIN_WORDS = 8
_LINE_SHINGLE = 3


def _check_lines(lines: list[_Line], report: CheckReport, threshold: float, max_examples: int = 10) -> None:
    """Duplicate ids and texts, near-exact wording shared by labels or families, close paraphrases."""
    first_id: dict[str, _Line] = {}
    first_text: dict[str, _Line] = {}
    first_key: dict[str, _Line] = {}
    same_family_keys = 0
    for ln in lines:
        report.counts.lines_by_family[(ln.label, ln.family)] += 1
        prev = first_id.get(ln.id)
        if prev is not None:
            report.errors.append(
                Problem(ln.path, ln.line, f"duplicate id {ln.id!r} (first at {prev.path}:{prev.line})")
            )
        else:
            first_id[ln.id] = ln
        twin = first_text.get(ln.text)
        if twin is not None:
            report.errors.append(
                Problem(
                    ln.path,
                    ln.line,
                    f"line {ln.id!r} repeats the text of {twin.id!r} ({twin.path}:{twin.line})",
                )
            )
            continue
        first_text[ln.text] = ln
        key = line_key(ln.text)
        other = first_key.get(key)
        if other is None:
            first_key[key] = ln
        elif other.label != ln.label or other.family != ln.family:
            what = "label" if other.label != ln.label else "family"
            report.errors.append(
                Problem(
                    ln.path,
                    ln.line,
                    f"line {ln.id!r} ({ln.label}/{ln.family}) is a near-exact duplicate of {other.id!r} "
                    f"({other.label}/{other.family}, {other.path}:{other.line}) in another {what}: {_short(ln.text)}",
                )
            )
        else:
            same_family_keys += 1
    if same_family_keys:
        report.warnings.append(
            Problem(
                "<lines>",
                0,
                f"{same_family_keys} lines are near-exact duplicates of a line of the same family",
            )
        )
    _check_line_paraphrases(lines, report, threshold, max_examples)


def _check_line_paraphrases(
    lines: list[_Line], report: CheckReport, threshold: float, max_examples: int
) -> None:
    long = [ln for ln in lines if len(ln.text.split()) >= _LINE_JACCARD_MIN_WORDS]
    if len(long) < 2:
        return
    gen = np.random.default_rng(20240917)
    a = gen.integers(1, _PRIME, size=_NUM_PERM, dtype=np.uint64)
    b = gen.integers(0, _PRIME, size=_NUM_PERM, dtype=np.uint64)
    vocab: dict[str, int] = {}
    sets = [_shingles(ln.text, vocab, _LINE_SHINGLE) for ln in long]
    rows = _NUM_PERM // _BANDS
    buckets: dict[tuple[int, bytes], list[int]] = defaultdict(list)
    for i, sh in enumerate(sets):
        sig = _minhash(sh, a, b)
        for band in range(_BANDS):
            buckets[(band, sig[band * rows : (band + 1) * rows].tobytes())].append(i)
    pairs: set[tuple[int, int]] = set()
    for members in buckets.values():
        for pos, i in enumerate(members):
            for j in members[pos + 1 :]:
                if long[i].family != long[j].family or long[i].label != long[j].label:
                    pairs.add((min(i, j), max(i, j)))
    found = [(i, j, _jaccard(sets[i], sets[j])) for i, j in sorted(pairs)]
    found = [f for f in found if f[2] >= threshold]
    for i, j, jac in found[:max_examples]:
        x, y = long[i], long[j]
        report.warnings.append(
            Problem(
                y.path,
                y.line,
                f"line {y.id!r} ({y.family}) is a close paraphrase of {x.id!r} ({x.family}, {x.path}:{x.line}): "
                f"word 3-gram Jaccard {jac:.2f}",
            )
        )
    if len(found) > max_examples:
        report.warnings.append(
            Problem(
                "<lines>",
                0,
                f"{len(found)} close paraphrases across families ({len(found) - max_examples} not listed)",
            )
        )


def _count(docs: list[_Doc], counts: Counts) -> None:
    for doc in docs:
        split = split_of(doc.group)
        counts.documents += 1
        counts.docs_by_source[doc.source] += 1
        counts.docs_by_style[doc.style or "-"] += 1
        counts.docs_by_topic[doc.topic or "-"] += 1
        counts.docs_by_split[split] += 1
        counts.groups_by_split[split].add(doc.group)
        for label in doc.labels:
            counts.labels[label] += 1
            counts.by_source[doc.source][label] += 1
            counts.by_style[doc.style or "-"][label] += 1
            counts.by_topic[doc.topic or "-"][label] += 1
            counts.by_split[split][label] += 1


def check_paths(paths: Iterable[str | Path], near_dup_threshold: float = NEAR_DUP_THRESHOLD) -> CheckReport:
    """Check every JSONL file below ``paths`` and return all problems found, plus label counts."""
    report = CheckReport()
    docs: list[_Doc] = []
    lines: list[_Line] = []
    for p in paths:
        try:
            files = iter_data_files(p)
        except FileNotFoundError:
            report.errors.append(Problem(str(p), 0, "no such file or folder"))
            continue
        if not files:
            report.warnings.append(Problem(str(p), 0, "no .jsonl or .jsonl.gz files found"))
        for f in files:
            report.files.append(str(f))
            docs.extend(_read_file(f, report, lines))
    _check_ids_and_duplicates(docs, report)
    _check_label_conflicts(docs, report)
    _check_near_duplicates(docs, report, near_dup_threshold)
    _count(docs, report.counts)
    _check_lines(lines, report, near_dup_threshold)
    return report


# ------------------------------------------------------------------------------------------------ output


def _table_rows(by: dict[str, Counter[str]], docs: Counter[str]) -> list[list[str]]:
    rows = []
    for key in sorted(by, key=lambda k: (-docs[k], k)):
        c = by[key]
        rows.append(
            [key, f"{docs[key]:,}"] + [f"{c[lab.value]:,}" for lab in LABELS] + [f"{sum(c.values()):,}"]
        )
    return rows


def _md_table(title: str, first: str, rows: list[list[str]]) -> str:
    header = [first, "documents"] + [lab.value for lab in LABELS] + ["paragraphs"]
    lines = [f"**{title}**", "", "| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(r) + " |" for r in rows]
    return "\n".join(lines)


def counts_markdown(report: CheckReport) -> str:
    """Markdown tables of the label counts (total, per source, style, topic and split) for a data card."""
    c = report.counts
    total = c.paragraphs or 1
    lines = [
        f"{c.documents:,} documents, {c.paragraphs:,} paragraphs in {len(report.files)} files; "
        f"checker: {len(report.errors)} errors, {len(report.warnings)} warnings.",
        "",
        "| label | paragraphs | share |",
        "|---|---|---|",
    ]
    lines += [
        f"| {lab.value} | {c.labels[lab.value]:,} | {100 * c.labels[lab.value] / total:.1f}% |"
        for lab in LABELS
    ]
    split_docs = Counter({k: v for k, v in c.docs_by_split.items()})
    parts = [
        "\n".join(lines),
        _md_table("Per source", "source", _table_rows(c.by_source, c.docs_by_source)),
        _md_table("Per style", "style", _table_rows(c.by_style, c.docs_by_style)),
        _md_table("Per topic", "topic", _table_rows(c.by_topic, c.docs_by_topic)),
        _md_table(
            "Per split (by group, `filter.data.split_of`)", "split", _table_rows(c.by_split, split_docs)
        ),
        "Groups per split: " + ", ".join(f"{k} {len(v)}" for k, v in sorted(c.groups_by_split.items())) + ".",
    ]
    if c.lines:
        parts.append(lines_markdown(report))
    return "\n\n".join(parts)


def _families_by_label(c: Counts) -> dict[str, list[tuple[str, int]]]:
    by: dict[str, list[tuple[str, int]]] = defaultdict(list)
    for (label, family), n in sorted(c.lines_by_family.items()):
        by[label].append((family, n))
    order = [lab.value for lab in LABELS]
    return {k: by[k] for k in sorted(by, key=lambda k: order.index(k) if k in order else len(order))}


def lines_markdown(report: CheckReport) -> str:
    """Markdown table of the line library: lines per label and family."""
    c = report.counts
    by = _families_by_label(c)
    head = ", ".join(
        f"{lab} {sum(n for _, n in fams):,} lines / {len(fams)} families" for lab, fams in by.items()
    )
    out = [f"**Line library** ({c.lines:,} lines: {head})", "", "| label | family | lines |", "|---|---|---|"]
    for lab, fams in by.items():
        out += [f"| {lab} | {fam} | {n:,} |" for fam, n in fams]
    return "\n".join(out)


def _text_table(title: str, by: dict[str, Counter[str]], docs: Counter[str]) -> list[str]:
    header = ["", "docs"] + [lab.value for lab in LABELS]
    rows = [[r[0], r[1]] + r[2:-1] for r in _table_rows(by, docs)]
    widths = [max(len(str(x)) for x in col) for col in zip(header, *rows, strict=True)]
    out = [title]
    for r in [header] + rows:
        pairs = enumerate(zip(r, widths, strict=True))
        cells = [str(x).rjust(w) if i else str(x).ljust(w) for i, (x, w) in pairs]
        out.append("  " + "  ".join(cells))
    return out


def format_report(report: CheckReport, max_warnings: int = 50) -> str:
    """Human-readable report: every error (file:line: message), warnings up to a cap, then the counts."""
    c = report.counts
    out = [
        f"checked {len(report.files)} files: {c.documents:,} documents, {c.paragraphs:,} paragraphs",
        "labels: " + ", ".join(f"{lab.value} {c.labels[lab.value]:,}" for lab in LABELS),
    ]
    if report.errors:
        out.append(f"\n{len(report.errors)} error(s):")
        out += [f"  {p}" for p in report.errors]
    if report.warnings:
        out.append(f"\n{len(report.warnings)} warning(s):")
        out += [f"  {p}" for p in report.warnings[:max_warnings]]
        if len(report.warnings) > max_warnings:
            out.append(f"  ... and {len(report.warnings) - max_warnings} more")
    if c.lines:
        out.append(f"\nline library: {c.lines:,} lines")
        for lab, fams in _families_by_label(c).items():
            total = sum(n for _, n in fams)
            out.append(f"  {lab}: {total:,} lines in {len(fams)} families")
            out.append("    " + ", ".join(f"{fam} {n}" for fam, n in fams))
    if c.documents:
        out.append("")
        out += _text_table("per source:", c.by_source, c.docs_by_source)
        out += _text_table("per style:", c.by_style, c.docs_by_style)
        out += _text_table("per split:", c.by_split, c.docs_by_split)
    out.append("\nOK" if report.ok else "\nFAILED: fix the errors above")
    return "\n".join(out)


# --------------------------------------------------------------------------------- command-line entry
def run_check(
    paths: Sequence[str | Path],
    *,
    markdown: bool = False,
    max_warnings: int = 50,
    near_dup_threshold: float | None = None,
) -> int:
    """``article-filter data check``: print the report (and the count tables); 0 when no errors, else 1.

    Plain values in (the command line in :mod:`filter.cli` parses them); ``None`` threshold means
    :data:`NEAR_DUP_THRESHOLD`.
    """
    threshold = NEAR_DUP_THRESHOLD if near_dup_threshold is None else near_dup_threshold
    report = check_paths(paths, near_dup_threshold=threshold)
    print(format_report(report, max_warnings=max_warnings))
    if markdown:
        print()
        print(counts_markdown(report))
    return 0 if report.ok else 1
