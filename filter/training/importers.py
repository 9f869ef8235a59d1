"""Importers: the real corpora in ``shared/corpora`` -> labelled :class:`~filter.training.data.Document` objects.

Why this module exists: users give the filter *text* produced by a scraper's HTML-to-text step, so the model
must be trained and measured on renderings of real pages, not on the corpora's own block splits. Every HTML
page is rendered with several converters (:data:`~filter.training.converters.CONVERTERS`), segmented exactly
as the product segments at inference (:func:`filter.segment.segment` with ``detect_html=False``), and each
paragraph gets a label from the corpus's gold. Nothing is written into the repository: documents live in
memory or in a cache outside git (``$ARTICLE_FILTER_CACHE/imports`` or ``~/.cache/article-filter/imports/``),
because the corpora are research-use only.

The work is split in three: :mod:`filter.training.converters` (HTML -> text), :mod:`filter.training.labelling`
(the labelling rules) and :mod:`filter.training.corpora` (one reader per corpus). This module finds the
corpora under a path, imports them and caches the result.
"""

from __future__ import annotations

import hashlib
import os
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from .converters import CONVERTERS, DEFAULT_CONVERTERS, render
from .corpora import CORPORA, _html_pages, _Page, _page_job, _Spec, _text_documents
from .data import DataError, Document, read_documents, write_documents

__all__ = ["GoldPage", "cache_dir", "gold_pages", "import_corpus", "is_corpus"]


# ----------------------------------------------------------------------------------------------- dispatch


def _find_specs(path: Path) -> tuple[Path, list[_Spec]]:
    """(corpora root, specs) for a corpus folder, the cleaneval parent, or the corpora root itself."""
    path = path.resolve()
    for spec in CORPORA:
        rel = Path(spec.rel).parts
        if path.parts[-len(rel) :] == rel and any(path.glob("*.json*")):
            return path.parents[len(rel) - 1], [spec]
    if path.name == "cleaneval" and (path / "dev").is_dir():
        return path.parent, [s for s in CORPORA if s.rel.startswith("cleaneval/")]
    present = [s for s in CORPORA if (path / s.rel).is_dir()]
    if len(present) >= 2 and (path / "README.md").exists():
        return path, present
    return path, []


def is_corpus(path: str | Path) -> bool:
    """True for one of the known corpus folders (or ``cleaneval/``) or the corpora root."""
    p = Path(path)
    return p.is_dir() and bool(_find_specs(p)[1])


def cache_dir() -> Path:
    """Where imported documents are cached: outside git, because the corpora may not be redistributed."""
    env = os.environ.get("ARTICLE_FILTER_CACHE")
    base = Path(env).expanduser() if env else Path.home() / ".cache" / "article-filter"
    return base / "imports"


def _code_version() -> str:
    """Hash of the code that determines the output, so a code change never serves stale cached labels."""
    h = hashlib.sha256()
    here = Path(__file__).resolve().parent
    mine = ("importers.py", "converters.py", "labelling.py", "corpora.py")
    for f in [here / name for name in mine] + [here.parent / "segment.py", here.parent / "config.py"]:
        if f.exists():
            h.update(f.read_bytes())
    return h.hexdigest()[:12]


def _data_version(folder: Path) -> str:
    h = hashlib.sha256()
    for f in sorted(folder.iterdir()):
        if f.is_file():
            st = f.stat()
            h.update(f"{f.name}:{st.st_size}:{int(st.st_mtime)}".encode())
    return h.hexdigest()[:8]


def _build_html(spec: _Spec, folder: Path, converter: str, limit: int | None, pool: bool) -> list[Document]:
    pages = _html_pages(spec, folder)
    jobs: Iterable[tuple[_Page, str, str]] = (
        (p, converter, spec.licence) for n, p in enumerate(pages) if limit is None or n < limit
    )
    if pool:
        import multiprocessing as mp

        with mp.get_context("fork" if os.name != "nt" else "spawn").Pool(2) as workers:
            results = list(workers.imap(_page_job, jobs, chunksize=4))
    else:
        results = [_page_job(j) for j in jobs]
    return [d for d in results if d is not None]


def _limited(docs: Iterator[Document], limit: int | None) -> list[Document]:
    """The first ``limit`` documents of each style (so a quick run still sees human and generated texts)."""
    if limit is None:
        return list(docs)
    out: list[Document] = []
    per_style: Counter[str] = Counter()
    for d in docs:
        if per_style[d.style] < limit:
            per_style[d.style] += 1
            out.append(d)
    return out


def _import_one(
    spec: _Spec, root: Path, converters: tuple[str, ...], limit: int | None, cache: bool
) -> list[Document]:
    folder = root / spec.rel
    out: list[Document] = []
    for conv in converters if spec.html else ("text",):
        if conv != "text" and conv not in CONVERTERS:
            raise ValueError(f"unknown converter {conv!r} (known: {', '.join(CONVERTERS)})")
        target = cache_dir() / f"{spec.name}.{conv}.{_code_version()}.{_data_version(folder)}.jsonl.gz"
        if cache and limit is None and target.exists():
            try:
                out.extend(read_documents(target))
                continue
            except (DataError, OSError):  # a truncated or foreign cache file: rebuild it
                target.unlink(missing_ok=True)
        if spec.html:
            docs = _build_html(spec, folder, conv, limit, pool=cache and limit is None)
        else:
            docs = _limited(_text_documents(spec, folder, root), limit)
        if cache and limit is None:
            # the temporary name keeps the .jsonl.gz suffix: write_documents picks gzip by suffix
            tmp = target.with_name(target.name.replace(".jsonl.gz", f".tmp{os.getpid()}.jsonl.gz"))
            write_documents(docs, tmp)
            tmp.replace(target)
        out.extend(docs)
    return out


def import_corpus(
    path: str | Path,
    converters: Iterable[str] = DEFAULT_CONVERTERS,
    limit: int | None = None,
    cache: bool = True,
) -> list[Document]:
    """Documents of a corpus folder (or every corpus below the corpora root), in a deterministic order.

    ``limit`` caps the source pages/articles per corpus (for quick runs; such partial imports are never
    cached). Full imports are cached per (corpus, converter, code version, data version) as ``.jsonl.gz`` in
    :func:`cache_dir`; building a cache renders pages with a pool of 2 processes.
    """
    root, specs = _find_specs(Path(path))
    if not specs:
        raise ValueError(f"not a known corpus folder: {path}")
    convs = tuple(converters)
    out: list[Document] = []
    for spec in specs:
        out.extend(_import_one(spec, root, convs, limit, cache))
    return out


@dataclass(frozen=True)
class GoldPage:
    """A rendered page and its gold main text, for benchmarks that score extraction against the gold."""

    corpus: str
    page_id: str
    group: str
    converter: str
    text: str
    gold_text: str


def gold_pages(
    path: str | Path, converters: Iterable[str] = DEFAULT_CONVERTERS, limit: int | None = None
) -> Iterator[GoldPage]:
    """Rendered pages with their gold text (HTML corpora only; L3S gold = headline + fulltext blocks)."""
    root, specs = _find_specs(Path(path))
    convs = tuple(converters)
    for spec in specs:
        if not spec.html:
            continue
        for n, page in enumerate(_html_pages(spec, root / spec.rel)):
            if limit is not None and n >= limit:
                break
            for conv in convs:
                text = render(page.html, conv)
                if text.strip() and page.gold_text.strip():
                    yield GoldPage(spec.name, page.page_id, page.group, conv, text, page.gold_text)
