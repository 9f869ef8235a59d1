"""``classify --format html`` of several text inputs: one review page, drawn by :mod:`filter.report`.

The report wing is imported only here and only when the page is asked for, so the batch does not depend on
it (and a missing report module is a usage error, not an import failure).
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

from ..io import InputError, decode
from .job import DEFAULT_GLOBS, EXIT_FAILURES, EXIT_OK, ModelSpec, UsageError
from .plan import resolve_inputs
from .records import fs_name
from .worker import _cleaned

__all__ = ["review_page"]


def review_page(
    inputs: Sequence[str], output: str | None, model: ModelSpec, globs: Sequence[str] = DEFAULT_GLOBS
) -> int:
    """Classify every text input and write one review page to ``output``; returns the exit status."""
    try:
        from ..report import model_note, write_review
    except ImportError:
        raise UsageError("--format html needs filter.report, which this installation does not have") from None
    if not output:
        raise UsageError("--format html with several inputs needs --output PAGE.html")
    sources = resolve_inputs(inputs, tuple(globs))
    if any(s.kind not in ("text", "stdin") for s in sources):
        raise UsageError(
            "--format html reviews text documents; classify tables with --format jsonl, csv or parquet"
        )
    flt = model.load()
    items, cleaned, failed = [], [], 0
    for s in sources:
        try:
            data = sys.stdin.buffer.read() if s.kind == "stdin" else Path(s.path).read_bytes()
            decoded = decode(data, fs_name(s.path) or "<stdin>")
            text = decoded.text
        except (InputError, OSError) as exc:
            print(f"article-filter: {exc}", file=sys.stderr)
            failed += 1
            continue
        if decoded.fallback:
            print(f"article-filter: {fs_name(s.path) or '<stdin>'}: {decoded.note}", file=sys.stderr)
        paras = flt.classify(text)
        items.append((s.rel, paras))
        cleaned.append(_cleaned(flt, paras))
    write_review(items, output, cleaned, note=model_note(flt))
    return EXIT_FAILURES if failed else EXIT_OK
