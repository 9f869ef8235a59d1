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
card in ``training_data/README.md`` is generated from
(:func:`filter.training.datareport.counts_markdown`).

**Line files** (the line library, schema in :mod:`filter.training.data`) are recognised by their rows and checked
too: schema of every row (:func:`filter.training.data.validate_line_row`), duplicate ids, the same text twice
(error), the same near-exact wording (:func:`filter.training.data.line_key`) in two labels or two families (error:
it would leak a held-out family into training, or teach two labels for one wording), and lines of 8+ words
whose word 3-gram Jaccard with a line of another family is >= ``NEAR_DUP_THRESHOLD`` (warning: close
paraphrases across families blur held-out-family evaluation). Counts per label and family are reported.

Exit semantics of the CLI: 0 when there are no errors (warnings allowed), 1 when there are errors.

The row validation is :mod:`filter.training.checkrows`; the report, count tables and CLI entry are
:mod:`filter.training.datareport`.
"""

from __future__ import annotations

import re
import zlib
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path

import numpy as np

from .checkrows import CheckReport, Counts, Problem, _Doc, _Line, read_file
from .data import iter_data_files, line_key, split_of
from .data import short_text as _short

__all__ = ["Problem", "Counts", "CheckReport", "check_paths", "NEAR_DUP_THRESHOLD"]

#: Jaccard similarity of word 5-gram shingle sets above which two documents count as near-duplicates. 0.8
#: catches re-posts with a changed headline, byline or footer (typically 0.85-0.95) while two different
#: stories from one template-heavy site stay far below (their shared chrome is a small part of the text).
NEAR_DUP_THRESHOLD = 0.8

_SHINGLE = 5
_NUM_PERM = 64
_BANDS = 16  # 16 bands x 4 rows: a pair at Jaccard 0.8 becomes a candidate with probability > 0.999
_PRIME = (1 << 31) - 1
_WORD = re.compile(r"\w+")


# ------------------------------------------------------------------------------------------ corpus checks


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
            docs.extend(read_file(f, report, lines))
    _check_ids_and_duplicates(docs, report)
    _check_label_conflicts(docs, report)
    _check_near_duplicates(docs, report, near_dup_threshold)
    _count(docs, report.counts)
    _check_lines(lines, report, near_dup_threshold)
    return report
