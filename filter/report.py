"""Show what the filter did: a review page for classified articles and a report page for a model card.

Both pages are single self-contained HTML files (inline CSS, images as ``data:`` URIs, no JavaScript, no
network), so they can be mailed, archived or opened from a CI artefact without a server. Every piece of
input text goes through :func:`html.escape`: scraped text routinely contains markup and sometimes script,
and a review page must *show* it, never run it. A Content-Security-Policy that forbids scripts backs the
escaping up, in case a future edit forgets it.

The model report draws its plots with matplotlib, an optional extra (``pip install 'article-filter[report]'``)
imported only when a report is written, so the core library keeps its small dependency set.
"""

from __future__ import annotations

import base64
import html
import io
from collections import Counter
from collections.abc import Mapping, Sequence
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ._extras import MissingExtraError, require
from .config import DEFAULT_CONFIG
from .store import CARD_FILE, atomic_write_bytes, atomic_write_text, default_model_dir, read_card
from .types import LABELS, Label, Paragraph

if TYPE_CHECKING:  # pragma: no cover - typing only
    from matplotlib.figure import Figure

    from .api import ArticleFilter

#: Flags for a headless Chromium that never reaches the network (this machine's is closed): used by the
#: browser test and by bench/make_screenshots.py to look at the review page as a person would.
HEADLESS_CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--hide-scrollbars",
    "--virtual-time-budget=3000",
)

__all__ = [
    "LABEL_COLOURS",
    "ReportDependencyError",
    "render_review",
    "write_review",
    "model_note",
    "resolve_card",
    "registry_history",
    "render_model_report",
    "write_model_report",
]

#: (tint, accent) per label: pale backgrounds keep the text readable; the accent marks the left edge and
#: the legend so labels stay distinguishable in greyscale print-outs (the label name is also written out).
LABEL_COLOURS: dict[Label, tuple[str, str]] = {
    Label.CORE: ("#e3f4e6", "#2e7d32"),
    Label.PROMOTION: ("#fff0dc", "#e65100"),
    Label.FILLER: ("#f4e6f7", "#8e24aa"),
    Label.BOILERPLATE: ("#eceff1", "#546e7a"),
}

_DESCRIPTIONS: dict[Label, str] = {
    Label.CORE: "factual reporting: kept in the cleaned text",
    Label.PROMOTION: "injected links and calls to action: dropped",
    Label.FILLER: "generic editorial padding: dropped",
    Label.BOILERPLATE: "site chrome (menus, footers, sharing): dropped",
}

# No script may run on either page, whatever the input contains; images only from data: URIs.
_CSP = "default-src 'none'; img-src data:; style-src 'unsafe-inline'"


class ReportDependencyError(MissingExtraError):
    """The model report needs matplotlib, which is the optional ``report`` extra."""


def _e(value: object) -> str:
    """Escape anything for HTML text and attribute values (quotes included)."""
    return html.escape(str(value), quote=True)


def _label_of(p: Paragraph) -> str:
    return p.label.value if p.label is not None else "unlabelled"


# ============================================================================================ review page
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
def _require_matplotlib() -> None:
    try:
        require("matplotlib.figure", "report", feature="models report")
    except MissingExtraError as exc:
        raise ReportDependencyError(str(exc), module=exc.module, extra=exc.extra) from exc


def _new_figure(width: float, height: float) -> Figure:
    # Figure() directly rather than pyplot: no global state, no GUI backend, safe in threads and servers.
    from matplotlib.figure import Figure

    return Figure(figsize=(width, height), dpi=100, layout="constrained")


def _png(fig: Figure) -> bytes:
    buf = io.BytesIO()
    # No "Software" metadata: the same card gives byte-identical PNGs, so regenerated docs diff cleanly.
    fig.savefig(buf, format="png", metadata={"Software": None})
    return buf.getvalue()


def _plot_confusion(card: Mapping[str, Any]) -> Figure | None:
    conf = card.get("metrics", {}).get("confusion")
    if not conf or not conf.get("matrix"):
        return None
    import numpy as np

    labels = list(conf.get("labels") or [lab.value for lab in LABELS])
    cm = np.asarray(conf["matrix"], dtype=float)
    rows = cm.sum(axis=1, keepdims=True)
    share = np.divide(cm, rows, out=np.zeros_like(cm), where=rows > 0)
    fig = _new_figure(5.6, 4.6)
    ax = fig.add_subplot()
    im = ax.imshow(share, cmap="Blues", vmin=0.0, vmax=1.0)
    for i in range(cm.shape[0]):
        for j in range(cm.shape[1]):
            ax.text(
                j,
                i,
                f"{int(cm[i, j])}\n{share[i, j]:.0%}",
                ha="center",
                va="center",
                fontsize=9,
                color="white" if share[i, j] > 0.6 else "black",
            )
    ax.set_xticks(range(len(labels)), labels, rotation=20)
    ax.set_yticks(range(len(labels)), labels)
    ax.set_xlabel("predicted label")
    ax.set_ylabel("true label")
    ax.set_title("Confusion matrix (held-out)\ncolour = share of the true label", fontsize=10)
    fig.colorbar(im, ax=ax, shrink=0.8)
    return fig


def _plot_per_label(card: Mapping[str, Any]) -> Figure | None:
    per = card.get("metrics", {}).get("per_label")
    if not per:
        return None
    import numpy as np

    names = _ordered(per, card)
    x = np.arange(len(names))
    fig = _new_figure(6.4, 3.8)
    ax = fig.add_subplot()
    for k, (key, colour) in enumerate((("precision", "#1f77b4"), ("recall", "#ff7f0e"), ("f1", "#2ca02c"))):
        values = [float(per[n].get(key, 0.0)) for n in names]
        bars = ax.bar(x + (k - 1) * 0.27, values, 0.27, label=key, color=colour)
        ax.bar_label(bars, fmt="%.2f", fontsize=7, padding=1)
    ax.set_xticks(x, [f"{n}\n(n={per[n].get('support', 0)})" for n in names])
    ax.set_ylim(0, 1.12)
    ax.set_ylabel("score")
    ax.set_title("Per-label precision, recall and F1 (held-out)")
    ax.legend(loc="lower right", fontsize=8)
    return fig


def _plot_calibration(card: Mapping[str, Any]) -> Figure | None:
    bins = card.get("metrics", {}).get("calibration")
    if not bins:
        return None
    fig = _new_figure(5.6, 5.0)
    ax, hx = fig.subplots(2, 1, sharex=True, height_ratios=[3, 1])
    pred = [float(b["mean_predicted"]) for b in bins]
    frac = [float(b["fraction_core"]) for b in bins]
    ax.plot([0, 1], [0, 1], ls="--", color="#888", label="perfectly calibrated")
    ax.plot(pred, frac, marker="o", color="#2e7d32", label="model")
    threshold = card.get("metrics", {}).get("min_core_probability")
    if isinstance(threshold, (int, float)):
        for a in (ax, hx):
            a.axvline(float(threshold), color="#c62828", lw=1, ls=":")
        ax.text(float(threshold), 0.02, f" keep threshold {threshold}", color="#c62828", fontsize=8)
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    ax.set_ylabel("observed share that is core")
    ax.set_title("Calibration of P(core) on held-out paragraphs")
    ax.legend(loc="upper left", fontsize=8)
    centres = [(float(b["lower"]) + float(b["upper"])) / 2 for b in bins]
    widths = [float(b["upper"]) - float(b["lower"]) for b in bins]
    hx.bar(centres, [int(b["count"]) for b in bins], widths, color="#90a4ae", edgecolor="white")
    hx.set_xlabel("predicted P(core)")
    hx.set_ylabel("paragraphs")
    return fig


def _plot_history(history: Sequence[Mapping[str, Any]]) -> Figure | None:
    if not history:
        return None
    fig = _new_figure(7.0, 3.8)
    ax = fig.add_subplot()
    x = list(range(len(history)))
    for key, colour in (
        ("macro_f1", "#1f77b4"),
        ("core_recall", "#2e7d32"),
        ("core_precision", "#ff7f0e"),
        ("accuracy", "#7b1fa2"),
    ):
        pts = [
            (i, float(h[key]))
            for i, h in zip(x, history, strict=True)
            if isinstance(h.get(key), (int, float))
        ]
        if pts:
            ax.plot([p[0] for p in pts], [p[1] for p in pts], marker="o", label=key, color=colour)
    ax.set_xticks(
        x,
        [f"{h['version']}{' (current)' if h.get('current') else ''}" for h in history],
        rotation=30,
        ha="right",
        fontsize=8,
    )
    ax.set_ylim(0, 1.02)
    ax.set_xlabel("registry version (oldest first)")
    ax.set_ylabel("held-out score")
    ax.set_title("Held-out metrics of each registry version")
    ax.legend(loc="lower left", fontsize=8)
    return fig


def registry_history(registry: str | Path) -> list[dict[str, Any]]:
    """Headline metrics of every version in a registry, oldest first, with its integrity status.

    Uses :class:`filter.registry.Registry` for the version list (so unfinished temporary folders are
    skipped) but only reads cards: a broken or tampered version keeps its row, marked, instead of failing
    the whole report.
    """
    from .registry import Registry

    rows: list[dict[str, Any]] = []
    for info in Registry(registry).versions():
        m = info.metrics
        rows.append(
            {
                "version": info.name,
                "current": "*" if info.is_current else "",
                "created": str(info.card.get("created", "")),
                "macro_f1": m.get("macro_f1"),
                "core_recall": m.get("core_recall"),
                "core_precision": m.get("core_precision"),
                "accuracy": m.get("accuracy"),
                "min_core_probability": m.get("min_core_probability"),
                "n_paragraphs": m.get("n_paragraphs"),
                "data_hash": str(info.card.get("data_hash", ""))[:12],
                "status": "ok" if info.ok else info.problem,
            }
        )
    return rows


def resolve_card(
    source: Mapping[str, Any] | str | Path | None, registry: str | Path | None = None
) -> tuple[dict[str, Any], str]:
    """The card to report on and a human name for where it came from.

    ``source`` may be a card dict, a model directory (or its ``card.json``), a version of ``registry``
    (``v0003`` or ``3``), or None for the registry's current model (the shipped model without a registry).
    Only the card is read, so a report can still be drawn for a version whose model file fails verification.
    """
    if isinstance(source, Mapping):
        return dict(source), "card"
    if registry is not None and (source is None or (isinstance(source, str) and not Path(source).is_dir())):
        from .registry import Registry, RegistryError

        reg = Registry(registry)
        try:
            name = reg.resolve(source) if source is not None else reg.current_version()
        except RegistryError as exc:
            raise FileNotFoundError(str(exc)) from None
        if name is None:
            raise FileNotFoundError(f"registry {registry} has no current model")
        current = " (current)" if name == reg.current_version() else ""
        return read_card(reg.versions_dir / name), f"registry {registry}, version {name}{current}"
    if source is None:
        d = default_model_dir()
        return read_card(d), f"shipped model ({d})"
    path = Path(source)
    if path.is_file():
        path = path.parent
    if not (path / CARD_FILE).exists():
        raise FileNotFoundError(f"no {CARD_FILE} in {path}")
    return read_card(path), str(path)


_REPORT_CSS = """
* { box-sizing: border-box; }
body { font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; color: #1b1b1b;
       background: #fafafa; margin: 0; padding: 1.5rem; }
main { max-width: 64rem; margin: 0 auto; }
h1 { font-size: 1.5rem; margin: 0 0 .5rem; }
h2 { font-size: 1.2rem; margin: 2rem 0 .5rem; border-bottom: 1px solid #ccc; padding-bottom: .25rem; }
table { border-collapse: collapse; margin: .25rem 0 1rem; background: #fff; }
th, td { border: 1px solid #ccc; padding: .2rem .6rem; text-align: right; }
th:first-child, td:first-child { text-align: left; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: .1rem 1rem; }
dt { font-weight: 600; } dd { margin: 0; overflow-wrap: anywhere; }
figure { margin: 1rem 0; background: #fff; border: 1px solid #ddd; padding: .5rem; display: inline-block;
         max-width: 100%; }
figure img { max-width: 100%; height: auto; display: block; }
figcaption { font-size: .85rem; color: #444; margin-top: .3rem; }
.empty { color: #777; font-style: italic; }
"""

_FIGURES = (
    (
        "confusion",
        "Confusion matrix",
        "Rows are the true labels of held-out paragraphs, columns what the "
        "model said; numbers are counts and the share of the row.",
    ),
    (
        "per_label",
        "Per-label scores",
        "Precision, recall and F1 of each label on held-out paragraphs "
        "(n = paragraphs with that true label).",
    ),
    (
        "calibration",
        "Calibration",
        "Held-out paragraphs grouped by predicted P(core): a calibrated model's "
        "points lie on the diagonal. The dotted line is the keep threshold; the lower panel shows how many "
        "paragraphs fall in each bin.",
    ),
    (
        "history",
        "Registry history",
        "Held-out metrics of every version in the registry, oldest first. "
        "Versions evaluated on different data are not strictly comparable: check the data hash column.",
    ),
)

_MISSING = {
    "confusion": "The card has no confusion matrix.",
    "per_label": "The card has no per-label metrics.",
    "calibration": "The card has no calibration bins: it was trained before they were recorded. Retrain (or "
    "re-evaluate) the model to get them.",
    "history": "No registry was given, so there is no version history to plot.",
}


def _ordered(per_label: Mapping[str, Any], card: Mapping[str, Any]) -> list[str]:
    """Label names in the card's label order (card.json is written with sorted, i.e. alphabetical, keys)."""
    order = [str(lab) for lab in (card.get("labels") or [lab.value for lab in LABELS])]
    return [n for n in order if n in per_label] + [n for n in per_label if n not in order]


def _fmt(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:.3f}"
    return "" if value is None else str(value)


def _table(headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    head = "".join(f"<th scope='col'>{_e(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{_e(_fmt(v))}</td>" for v in row) + "</tr>" for row in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _figures(card: Mapping[str, Any], history: Sequence[Mapping[str, Any]] | None) -> dict[str, bytes]:
    _require_matplotlib()
    drawn = {
        "confusion": _plot_confusion(card),
        "per_label": _plot_per_label(card),
        "calibration": _plot_calibration(card),
        "history": _plot_history(history or []),
    }
    return {name: _png(fig) for name, fig in drawn.items() if fig is not None}


def render_model_report(
    card: Mapping[str, Any],
    pngs: Mapping[str, bytes],
    *,
    source: str = "",
    history: Sequence[Mapping[str, Any]] | None = None,
    png_names: Mapping[str, str] | None = None,
) -> str:
    """The model card as one HTML page, with the given PNG plots embedded as data URIs.

    Split from :func:`write_model_report` so the page can be tested or re-rendered without drawing.
    """
    m = card.get("metrics", {})
    name = str(card.get("name", "article-filter model"))
    versions = card.get("versions", {})
    facts = [
        ("Source", source),
        ("Created", card.get("created", "")),
        ("Model file SHA-256", card.get("sha256", "")),
        ("Training data hash", card.get("data_hash", "")),
        ("Training time", f"{card.get('training_seconds', '')} s"),
        ("Keep threshold (min P(core))", m.get("min_core_probability", "")),
        ("Held-out documents / paragraphs", f"{m.get('n_documents', '')} / {m.get('n_paragraphs', '')}"),
        ("Accuracy / macro F1", f"{_fmt(m.get('accuracy'))} / {_fmt(m.get('macro_f1'))}"),
        ("Core precision / recall", f"{_fmt(m.get('core_precision'))} / {_fmt(m.get('core_recall'))}"),
        (
            "Software",
            ", ".join(f"{k} {v}" for k, v in versions.items()) if isinstance(versions, dict) else "",
        ),
    ]
    parts = [
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>",
        f"<meta http-equiv='Content-Security-Policy' content=\"{_CSP}\">",
        "<meta name='viewport' content='width=device-width, initial-scale=1'>",
        f"<title>Model report: {_e(name)}</title><style>{_REPORT_CSS}</style></head><body><main>",
        f"<h1>Model report: {_e(name)}</h1>",
        "<dl>" + "".join(f"<dt>{_e(k)}</dt><dd>{_e(_fmt(v))}</dd>" for k, v in facts) + "</dl>",
    ]
    per = m.get("per_label", {})
    if per:
        parts.append("<h2>Held-out metrics per label</h2>")
        parts.append(
            _table(
                ["label", "precision", "recall", "F1", "support"],
                [
                    [
                        lab,
                        per[lab].get("precision"),
                        per[lab].get("recall"),
                        per[lab].get("f1"),
                        per[lab].get("support"),
                    ]
                    for lab in _ordered(per, card)
                ],
            )
        )
    parts.append("<h2>Plots</h2>")
    for key, heading, caption in _FIGURES:
        parts.append(f"<h3>{_e(heading)}</h3>")
        data = pngs.get(key)
        if data is None:
            parts.append(f"<p class='empty'>{_e(_MISSING[key])}</p>")
            continue
        uri = "data:image/png;base64," + base64.b64encode(data).decode("ascii")
        file_note = f" (also saved as {png_names[key]})" if png_names and key in png_names else ""
        parts.append(
            f"<figure id='fig-{key}'><img src='{uri}' alt='{_e(heading)} plot'>"
            f"<figcaption>{_e(caption + file_note)}</figcaption></figure>"
        )
    sweep = m.get("threshold_sweep") or []
    if sweep:
        parts.append("<h2>Keep-threshold sweep (held-out)</h2>")
        parts.append(
            _table(
                ["threshold", "core recall", "core precision", "macro F1"],
                [
                    [s.get("threshold"), s.get("core_recall"), s.get("core_precision"), s.get("macro_f1")]
                    for s in sweep
                ],
            )
        )
    sources = card.get("sources", {})
    if sources:
        parts.append("<h2>Training data</h2>")
        parts.append(
            _table(
                ["source", "documents", "paragraphs", "licence"],
                [
                    [k, s.get("documents"), s.get("paragraphs"), s.get("licence", "")]
                    for k, s in sorted(sources.items())
                ],
            )
        )
    counts = card.get("label_counts", {})
    if counts:
        labels = list(card.get("labels") or [lab.value for lab in LABELS])
        parts.append("<h2>Label counts</h2>")
        parts.append(
            _table(
                ["split", *labels],
                [[split, *(c.get(lab, 0) for lab in labels)] for split, c in counts.items()],
            )
        )
    if history:
        parts.append("<h2>Registry versions</h2>")
        cols = [
            "version",
            "current",
            "created",
            "macro_f1",
            "core_recall",
            "core_precision",
            "accuracy",
            "min_core_probability",
            "n_paragraphs",
            "data_hash",
            "status",
        ]
        parts.append(_table(cols, [[h.get(c) for c in cols] for h in history]))
    generated = datetime.now(timezone.utc).isoformat(timespec="seconds")
    parts.append(f"<p class='empty'>Generated {_e(generated)} by article-filter.</p></main></body></html>\n")
    return "\n".join(parts)


def write_model_report(
    card_or_model_dir_or_version: Mapping[str, Any] | str | Path | None,
    output_path: str | Path,
    registry: str | Path | None = None,
) -> dict[str, Path]:
    """Write the model report page and its plots as PNG files beside it; returns {name: path}.

    The PNGs (``<stem>_confusion.png``, ``<stem>_per_label.png``, ``<stem>_calibration.png`` and, with a
    registry, ``<stem>_history.png``) are for pasting into other documents; the page embeds the same bytes
    as data URIs so it stays a single self-contained file. Raises :class:`ReportDependencyError` with an
    install hint when matplotlib is missing.
    """
    card, source = resolve_card(card_or_model_dir_or_version, registry)
    history = registry_history(registry) if registry is not None else None
    pngs = _figures(card, history)
    out = Path(output_path)
    written: dict[str, Path] = {}
    names: dict[str, str] = {}
    for key, data in pngs.items():
        png_path = out.with_name(f"{out.stem}_{key}.png")
        atomic_write_bytes(png_path, data)
        written[key] = png_path
        names[key] = png_path.name
    atomic_write_text(out, render_model_report(card, pngs, source=source, history=history, png_names=names))
    written["html"] = out
    return written
