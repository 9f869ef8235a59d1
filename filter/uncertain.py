"""The paragraphs worth labelling first: those the model is least sure about, spread over sites.

``article-filter uncertain INPUT... -n 200 -o to_label.jsonl`` classifies the inputs and writes the chosen
paragraphs in the feedback row format (``classify --format jsonl`` rows, see :mod:`filter.training.data`) with the
model's guess as ``label``. The review page (``article-filter serve``) opens that file; once a person has
checked the labels and saved, ``retrain --data FEEDBACK`` trains on them.

How "least sure" is measured: the **margin** between the two highest label probabilities (default), or the
**entropy** of the four probabilities (``by="entropy"``). Margin is the default because it asks exactly "how
close was the model to choosing another label", it is in the same 0..1 units as the probabilities shown on
the review page, and it ignores how the two unlikely labels share the rest; entropy also counts that
spread, so it prefers paragraphs where three labels compete.

How picks are spread: paragraphs of one site (or one page) are alike, so the N least sure paragraphs of a
crawl tend to come from one template and a reviewer would label the same mistake N times. Picks are taken
round-robin: each round visits every site (sites whose next candidate is least sure go first), and within a
site its documents take turns, each giving its least sure paragraph not yet chosen. So sites get picks that
differ by at most one until a site runs out of paragraphs, and ``per_document`` caps what one long page can
give. The site of a record is its ``site`` field (tables), else the host of its ``url`` field, else, for
files found in a folder, the first folder below it (``crawl/<site>/page.txt``), else the document itself.

A feedback document is built from the rows saved for it, so one made from picked paragraphs has only those,
without the page around them; the model's context features then see a shorter page than at prediction
time. That is the price of labelling 200 paragraphs rather than 200 pages; save whole pages from the review
page when the context matters (a run of boilerplate lines).
"""

from __future__ import annotations

import heapq
import json
import math
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from .types import LABELS, Paragraph

if TYPE_CHECKING:  # pragma: no cover - typing only; the CLI builds its parser without loading numpy
    from .api import ArticleFilter

__all__ = [
    "MEASURES",
    "DEFAULT_PER_DOCUMENT",
    "Candidate",
    "InputDocument",
    "margin",
    "entropy",
    "read_inputs",
    "candidates",
    "select",
    "uncertain_rows",
    "write_uncertain",
]

MEASURES = ("margin", "entropy")
#: At most this many paragraphs from one document. A news page has ~10-40 paragraphs and its mistakes
#: repeat (one template); 5 lets a page show its distinct problems (a headline run, a promo block, a
#: footer) without one page filling a site's share. Judgement, not tuned.
DEFAULT_PER_DOCUMENT = 5
#: Documents classified per model call: large enough to vectorise well, small enough to bound memory.
_BATCH_DOCS = 64


@dataclass(frozen=True)
class InputDocument:
    """A text to classify, its id (the ``doc_id`` of its rows) and its site (the unit picks are spread over)."""

    doc_id: str
    site: str
    text: str


@dataclass(frozen=True)
class Candidate:
    """One classified paragraph with how unsure the model is: lower ``score`` = less sure."""

    doc_id: str
    site: str
    paragraph: Paragraph
    score: float


def margin(probabilities: Sequence[float]) -> float:
    """Top probability minus the second: 0 = a coin toss between two labels, 1 = certain."""
    top = sorted(probabilities, reverse=True)
    return float(top[0] - (top[1] if len(top) > 1 else 0.0)) if top else 1.0


def entropy(probabilities: Sequence[float]) -> float:
    """Shannon entropy in nats (0 = certain, ln 4 = uniform over the four labels)."""
    return float(-sum(p * math.log(p) for p in probabilities if p > 0.0))


def _score(p: Paragraph, by: str) -> float:
    probs = [float(p.probabilities.get(lab, 0.0)) for lab in LABELS]
    # Lower is less sure for both: entropy is negated so one ordering serves both measures.
    return margin(probs) if by == "margin" else -entropy(probs)


# --------------------------------------------------------------------------------------------- inputs
def _site_of_record(row: dict[str, Any], site_field: str) -> str | None:
    site = row.get(site_field)
    if isinstance(site, str) and site.strip():
        return site.strip()
    url = row.get("url")
    if isinstance(url, str) and url:
        host = urlsplit(url).hostname
        if host:
            return host.lower().removeprefix("www.")
    return None


def _folder_site(path: Path, folders: Sequence[Path]) -> str | None:
    """``<site>`` for ``FOLDER/<site>/.../page.txt``; None for a file directly in FOLDER or named alone."""
    for folder in folders:
        try:
            parts = path.relative_to(folder).parts
        except ValueError:
            continue
        if len(parts) > 1:
            return parts[0]
    return None


def _raise(message: str) -> None:
    raise ValueError(message)


def _jsonl_documents(
    path: Path,
    rel: str,
    text_field: str,
    id_field: str | None,
    site_field: str,
    on_error: Callable[[str], None] = _raise,
) -> Iterator[InputDocument]:
    with open(path, encoding="utf-8") as fh:
        for lineno, line in enumerate(fh, start=1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as exc:
                on_error(f"{path}:{lineno}: broken JSON: {exc.msg}")
                continue
            if not isinstance(row, dict) or not isinstance(row.get(text_field), str):
                on_error(f"{path}:{lineno}: no string field {text_field!r}")
                continue
            rid = row.get(id_field) if id_field else None
            doc_id = str(rid) if rid is not None else f"{rel}:{lineno}"
            yield InputDocument(doc_id, _site_of_record(row, site_field) or doc_id, row[text_field])


def read_inputs(
    inputs: Sequence[str],
    *,
    globs: Sequence[str] | None = None,
    text_field: str = "text",
    id_field: str | None = None,
    site_field: str = "site",
    on_error: Callable[[str], None] | None = None,
) -> Iterator[InputDocument]:
    """Documents from text/HTML files, folders of them, and ``.jsonl`` tables (one record per line).

    Inputs are enumerated as the batch commands do (:func:`filter.batch.resolve_inputs`), so a doc_id is the
    same name a ``classify`` batch run gives that file. CSV and Parquet tables are refused (convert to JSONL).
    A bad input (a file that is not text, a broken JSONL record, a table of another kind) raises
    :class:`ValueError`; with ``on_error`` it is passed there as one line instead and the rest is read.
    A missing input is always an error (:class:`filter.batch.job.UsageError`), before anything is read.
    """
    from .batch.job import DEFAULT_GLOBS
    from .batch.plan import resolve_inputs
    from .io import InputError, read_text_file

    report = on_error or _raise
    folders = [Path(i) for i in inputs if i != "-" and Path(i).is_dir()]
    for src in resolve_inputs(inputs, globs or DEFAULT_GLOBS):
        try:
            if src.kind == "text":
                site = _folder_site(Path(src.path), folders) or src.rel
                yield InputDocument(src.rel, site, read_text_file(Path(src.path)))
            elif src.kind == "jsonl":
                yield from _jsonl_documents(Path(src.path), src.rel, text_field, id_field, site_field, report)
            else:
                report(f"{src.path or '-'}: {src.kind} input is not supported here; convert it to JSONL")
        except (OSError, ValueError) as exc:  # InputError and UnicodeDecodeError are ValueErrors
            if on_error is None:
                raise
            on_error(str(exc) if isinstance(exc, InputError) else f"{src.path or '-'}: {exc}")


# ------------------------------------------------------------------------------------------- choosing
def candidates(
    flt: ArticleFilter,
    docs: Iterable[InputDocument],
    *,
    by: str = "margin",
    per_document: int = DEFAULT_PER_DOCUMENT,
) -> Iterator[Candidate]:
    """Each document's ``per_document`` least sure paragraphs, least sure first (documents in input order).

    Only that many per document are kept, so memory grows with the number of documents, not paragraphs.
    """
    if by not in MEASURES:
        raise ValueError(f"unknown measure {by!r} (allowed: {', '.join(MEASURES)})")
    if per_document < 1:
        raise ValueError("per_document must be at least 1")
    batch: list[InputDocument] = []

    def flush() -> Iterator[Candidate]:
        for doc, paragraphs in zip(batch, flt.classify_many([d.text for d in batch])):
            scored = [(_score(p, by), p.index, p) for p in paragraphs]
            for score, _, p in heapq.nsmallest(per_document, scored, key=lambda s: (s[0], s[1])):
                yield Candidate(doc.doc_id, doc.site, p, score)
        batch.clear()

    for doc in docs:
        batch.append(doc)
        if len(batch) >= _BATCH_DOCS:
            yield from flush()
    if batch:
        yield from flush()


def select(cands: Iterable[Candidate], n: int) -> list[Candidate]:
    """Up to ``n`` candidates, round-robin over sites and, within a site, over its documents (module doc).

    Deterministic: ties are broken by input order, so the same inputs and model give the same file.
    """
    if n < 1:
        return []
    # site -> doc -> that document's candidates, least sure first (candidates() yields them so; re-sorted to
    # accept any iterable).
    sites: OrderedDict[str, OrderedDict[str, list[Candidate]]] = OrderedDict()
    for c in cands:
        sites.setdefault(c.site, OrderedDict()).setdefault(c.doc_id, []).append(c)
    queues: dict[str, list[list[Candidate]]] = {}
    for site, by_doc in sites.items():
        docs = [sorted(cs, key=lambda c: (c.score, c.paragraph.index)) for cs in by_doc.values()]
        docs.sort(key=lambda cs: cs[0].score)  # stable: input order among equally unsure documents
        queues[site] = docs
    order = {site: k for k, site in enumerate(sites)}
    turn = dict.fromkeys(queues, 0)
    chosen: list[Candidate] = []
    while len(chosen) < n and queues:
        # One round: every site with paragraphs left, least sure next candidate first.
        heads = []
        for site, docs in queues.items():
            d = docs[turn[site] % len(docs)]
            heads.append((d[0].score, order[site], site))
        for _, _, site in sorted(heads):
            docs = queues[site]
            k = turn[site] % len(docs)
            chosen.append(docs[k].pop(0))
            if not docs[k]:
                docs.pop(k)  # the next document moves into slot k: the turn stays on k
            else:
                turn[site] = k + 1
            if not docs:
                del queues[site]
            if len(chosen) >= n:
                break
    return chosen


def uncertain_rows(chosen: Sequence[Candidate], *, by: str = "margin") -> list[dict[str, Any]]:
    """Feedback rows (the ``classify --format jsonl`` fields, ``label`` = the model's guess) plus review fields.

    Rows are grouped by document and ordered by paragraph index, the order a reviewer reads a page in and
    the one ``retrain`` rebuilds documents in. ``model_label`` repeats the guess so that the review page
    and later analysis can tell corrections from confirmations.
    """
    first: dict[str, int] = {}
    for k, c in enumerate(chosen):
        first.setdefault(c.doc_id, k)
    rows = []
    for c in sorted(chosen, key=lambda c: (first[c.doc_id], c.paragraph.index)):
        d = c.paragraph.to_dict()
        probs = [float(c.paragraph.probabilities.get(lab, 0.0)) for lab in LABELS]
        rows.append(
            {
                "doc_id": c.doc_id,
                **d,
                "model_label": d["label"],
                "site": c.site,
                "uncertainty": {
                    "measure": by,
                    "margin": round(margin(probs), 6),
                    "entropy": round(entropy(probs), 6),
                },
            }
        )
    return rows


def write_uncertain(
    flt: ArticleFilter,
    inputs: Sequence[str],
    output: str | Path,
    *,
    n: int = 200,
    by: str = "margin",
    per_document: int = DEFAULT_PER_DOCUMENT,
    globs: Sequence[str] | None = None,
    text_field: str = "text",
    id_field: str | None = None,
    site_field: str = "site",
    on_error: Callable[[str], None] | None = None,
) -> dict[str, int]:
    """Choose and write the rows (atomically: a half-written file is never left); returns counts.

    ``on_error``: see :func:`read_inputs` (without it the first bad input raises :class:`ValueError`)."""
    docs = read_inputs(
        inputs,
        globs=globs,
        text_field=text_field,
        id_field=id_field,
        site_field=site_field,
        on_error=on_error,
    )
    seen = {"documents": 0}

    def counted() -> Iterator[InputDocument]:
        for d in docs:
            seen["documents"] += 1
            yield d

    chosen = select(candidates(flt, counted(), by=by, per_document=per_document), n)
    rows = uncertain_rows(chosen, by=by)
    from .store import atomic_write_text  # here, not at the top: the CLI reads MEASURES without numpy

    atomic_write_text(Path(output), "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows))
    return {
        "documents": seen["documents"],
        "rows": len(rows),
        "sites": len({c.site for c in chosen}),
        "chosen_documents": len({c.doc_id for c in chosen}),
    }
