"""The review page: classified articles as one self-contained HTML page (labels, probabilities, cues).

Every piece of input text goes through :func:`html.escape`: scraped text routinely contains markup and
sometimes script, and a review page must *show* it, never run it; the CSP in :mod:`.common` backs that up.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from ..config import DEFAULT_CONFIG
from ..store import atomic_write_text
from ..types import LABELS, Label, Paragraph

if TYPE_CHECKING:  # pragma: no cover - typing only
    from ..api import ArticleFilter
from .common import _CSP, _DESCRIPTIONS, LABEL_COLOURS, _e, _label_of

__all__ = ["render_review", "write_review", "model_note"]

_REVIEW_CSS = """
:root { color-scheme: light; }
* { box-sizing: border-box; }
body { font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; color: #1b1b1b;
       background: #fafafa; margin: 0; padding: 1.5rem; }
main { max-width: 72rem; margin: 0 auto; }
h1 { font-size: 1.5rem; margin: 0 0 .25rem; }
h2 { font-size: 1.2rem; margin: 2rem 0 .5rem; border-bottom: 1px solid #ccc; padding-bottom: .25rem; }
h3 { font-size: 1rem; margin: 1.25rem 0 .5rem; }
.note { color: #555; margin: 0 0 1rem; }
.legend { display: flex; flex-wrap: wrap; gap: .5rem 1rem; padding: 0; margin: .5rem 0 1rem;
          list-style: none; }
.legend li { padding: .2rem .6rem; border-left-width: 6px; border-left-style: solid; border-radius: 3px; }
table.counts { border-collapse: collapse; margin: .25rem 0 1rem; }
table.counts th, table.counts td { border: 1px solid #ccc; padding: .2rem .6rem; text-align: right; }
table.counts th:first-child, table.counts td:first-child { text-align: left; }
nav.toc ol { margin: .25rem 0 1rem; }
.para { display: grid; grid-template-columns: minmax(0, 1fr) 17rem; gap: 1rem; margin: .4rem 0;
        padding: .5rem .75rem; border-left: 6px solid; border-radius: 3px; }
.para .text { white-space: pre-wrap; overflow-wrap: anywhere; margin: 0; }
.para .why { font-size: .8rem; color: #333; border-left: 1px solid rgba(0,0,0,.15); padding-left: .75rem; }
.para .lab { font-weight: 700; text-transform: uppercase; letter-spacing: .03em; }
.para .idx { color: #666; font-weight: 400; }
.probs { width: 100%; border-collapse: collapse; margin: .2rem 0; table-layout: fixed; }
.probs td { padding: 0 .3rem 0 0; white-space: nowrap; }
.probs td:nth-child(1) { width: 6.4rem; } .probs td:nth-child(2) { width: 2.6rem; }
.probs .track { display: block; height: .55rem; background: rgba(0,0,0,.08); border-radius: 2px; }
.probs .fill { display: block; height: 100%; border-radius: 2px; }
.probs tr.assigned td { font-weight: 700; }
.cues { margin: .2rem 0 0; padding-left: 1.1rem; }
.cleaned { white-space: pre-wrap; overflow-wrap: anywhere; background: #fff; border: 1px solid #ccc;
           padding: .75rem; border-radius: 3px; margin: 0; font: inherit; }
.empty { color: #777; font-style: italic; }
@media (max-width: 48rem) { .para { grid-template-columns: 1fr; }
  .para .why { border-left: 0; padding-left: 0; border-top: 1px solid rgba(0,0,0,.15); padding-top: .3rem; } }
@media print { body { background: #fff; padding: 0; } .para { break-inside: avoid; } }
"""


def _label_css() -> str:
    rules = [
        f".lab-{lab.value} {{ background: {tint}; border-left-color: {accent}; }}\n"
        f".lab-{lab.value} .lab, .fill-{lab.value} {{ color: {accent}; }}\n"
        f".fill-{lab.value} {{ background: {accent}; }}"
        for lab, (tint, accent) in LABEL_COLOURS.items()
    ]
    rules.append(".lab-unlabelled { background: #fff; border-left-color: #bbb; }")
    return "\n".join(rules)


def _counts(paragraphs: Sequence[Paragraph]) -> Counter[str]:
    return Counter(_label_of(p) for p in paragraphs)


def _counts_table(rows: Sequence[tuple[str, Counter[str]]]) -> str:
    head = "".join(f"<th scope='col'>{_e(lab.value)}</th>" for lab in LABELS)
    body = []
    for name, c in rows:
        cells = "".join(f"<td>{c.get(lab.value, 0)}</td>" for lab in LABELS)
        body.append(f"<tr><td>{_e(name)}</td>{cells}<td>{sum(c.values())}</td></tr>")
    return (
        f"<table class='counts'><thead><tr><th scope='col'>document</th>{head}<th scope='col'>paragraphs"
        f"</th></tr></thead><tbody>{''.join(body)}</tbody></table>"
    )


def _legend() -> str:
    items = "".join(
        f"<li class='lab-{lab.value}'><strong>{_e(lab.value)}</strong> &ndash; {_e(_DESCRIPTIONS[lab])}</li>"
        for lab in LABELS
    )
    return f"<ul class='legend' aria-label='legend'>{items}</ul>"


def _paragraph_html(p: Paragraph) -> str:
    label = _label_of(p)
    prob_rows = []
    for lab in LABELS:
        value = float(p.probabilities.get(lab, 0.0))
        pct = max(0.0, min(100.0, value * 100.0))
        cls = " class='assigned'" if lab is p.label else ""
        prob_rows.append(
            f"<tr{cls}><td>{_e(lab.value)}</td><td>{value:.2f}</td><td class='bar'><span class='track'>"
            f"<span class='fill fill-{lab.value}' style='width:{pct:.1f}%'></span></span></td></tr>"
        )
    cues = (
        ("<ul class='cues'>" + "".join(f"<li>{_e(c)}</li>" for c in p.cues) + "</ul>")
        if p.cues
        else "<div class='empty'>no cues recorded</div>"
    )
    if p.clickbait is not None:  # headline-shaped lines only (filter.clickbait.is_headline_like)
        cues += f"<div class='bait'>clickbait score {p.clickbait:.2f}</div>"
    probs_text = ", ".join(f"{lab.value} {float(p.probabilities.get(lab, 0.0)):.2f}" for lab in LABELS)
    tooltip = f"#{p.index} {label} ({probs_text})" + (f"; cues: {'; '.join(p.cues)}" if p.cues else "")
    return (
        f"<section class='para lab-{_e(label)}' id='p-{p.index}' title='{_e(tooltip)}' "
        f"data-label='{_e(label)}'>"
        f"<p class='text'>{_e(p.text)}</p>"
        f"<div class='why'><div><span class='lab'>{_e(label)}</span> <span class='idx'>&para;{p.index}"
        f"</span></div><table class='probs' aria-label='probabilities'>{''.join(prob_rows)}</table>"
        f"{cues}</div></section>"
    )


def render_review(
    items: Sequence[tuple[str, Sequence[Paragraph]]],
    cleaned: Sequence[str] | None = None,
    *,
    title: str = "article-filter review",
    note: str = "",
) -> str:
    """One HTML page showing each article's paragraphs in order, tinted by label, with the reasons.

    ``items`` are (name, classified paragraphs) pairs, e.g. ``[(path, flt.classify(text))]``. ``cleaned`` is
    the cleaned text of each item (``flt.clean_many``); when omitted it is rebuilt from the core paragraphs
    with the default joiner, which is what :func:`filter.cleaner.keep_core` returns for the default config.
    ``note`` is a line under the title (say which model and threshold made the decisions).

    Probabilities and cues sit beside each paragraph rather than only in a hover tooltip, so the page is
    readable on paper and on touch screens; the same summary is also in the ``title`` attribute.
    """
    if cleaned is not None and len(cleaned) != len(items):
        raise ValueError(f"got {len(cleaned)} cleaned texts for {len(items)} items")
    many = len(items) > 1
    parts: list[str] = [
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>",
        f"<meta http-equiv='Content-Security-Policy' content=\"{_CSP}\">",
        "<meta name='viewport' content='width=device-width, initial-scale=1'>",
        f"<title>{_e(title)}</title><style>{_REVIEW_CSS}{_label_css()}</style></head><body><main>",
        f"<h1>{_e(title)}</h1>",
    ]
    if note:
        parts.append(f"<p class='note'>{_e(note)}</p>")
    parts.append(_legend())
    per_doc = [(name, _counts(paras)) for name, paras in items]
    total: Counter[str] = Counter()
    for _, c in per_doc:
        total.update(c)
    rows = per_doc + ([("all documents", total)] if many else [])
    parts.append("<h2 id='counts'>Paragraphs per label</h2>" + _counts_table(rows))
    if many:
        toc = "".join(
            f"<li><a href='#doc-{i}'>{_e(name)}</a> &ndash; {sum(c.values())} paragraphs, "
            f"{c.get(Label.CORE.value, 0)} kept</li>"
            for i, (name, c) in enumerate(per_doc, start=1)
        )
        parts.append(f"<nav class='toc' aria-label='contents'><h2>Contents</h2><ol>{toc}</ol></nav>")
    joiner = DEFAULT_CONFIG.joiner
    for i, (name, paragraphs) in enumerate(items, start=1):
        parts.append(f"<article id='doc-{i}'><h2>{_e(name)}</h2>")
        if not paragraphs:
            parts.append("<p class='empty'>no paragraphs</p>")
        parts.extend(_paragraph_html(p) for p in paragraphs)
        text = (
            cleaned[i - 1]
            if cleaned is not None
            else joiner.join(p.text for p in paragraphs if p.label is Label.CORE)
        )
        parts.append("<h3>Cleaned text</h3>")
        parts.append(
            f"<pre class='cleaned'>{_e(text)}</pre>"
            if text
            else "<p class='empty'>nothing kept: no paragraph was labelled core</p>"
        )
        parts.append("</article>")
    parts.append("</main></body></html>\n")
    return "\n".join(parts)


def model_note(flt: ArticleFilter) -> str:
    """The line under a review page's title: which model made the decisions, at which keep threshold.

    A review page is evidence about one model; without this it cannot be compared with a later one.
    """
    sha = str(flt.card.get("sha256", ""))[:12]
    where = flt.source or "shipped default model"
    return (
        f"model: {where}"
        + (f" (sha256 {sha})" if sha else "")
        + f"; kept when P(core) >= {flt.config.min_core_probability:g}"
    )


def write_review(
    items: Sequence[tuple[str, Sequence[Paragraph]]],
    output_path: str | Path,
    cleaned: Sequence[str] | None = None,
    *,
    title: str = "article-filter review",
    note: str = "",
) -> Path:
    """Render :func:`render_review` and write it atomically (readers never see half a page)."""
    out = Path(output_path)
    atomic_write_text(out, render_review(items, cleaned, title=title, note=note))
    return out


# =========================================================================================== model report
