"""The data checker's output: the report for people, the count tables for the data card, the CLI entry."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from pathlib import Path

from ..types import LABELS
from .datacheck import NEAR_DUP_THRESHOLD, CheckReport, Counts, check_paths

__all__ = ["format_report", "counts_markdown", "lines_markdown", "run_check"]


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
