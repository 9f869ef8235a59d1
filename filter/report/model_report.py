"""The model report: a model card (and a registry's history) as one HTML page with matplotlib figures.

matplotlib is an optional extra (``pip install 'article-filter[report]'``), imported only when a report is
written, so the core library keeps its small dependency set.
"""

from __future__ import annotations

import base64
import io
from collections.abc import Mapping, Sequence
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..store import CARD_FILE, atomic_write_bytes, atomic_write_text, default_model_dir, read_card
from ..types import LABELS

if TYPE_CHECKING:  # pragma: no cover - typing only
    from matplotlib.figure import Figure

from .._extras import MissingExtraError, require
from .common import _CSP, ReportDependencyError, _e

__all__ = ["resolve_card", "registry_history", "render_model_report", "write_model_report"]


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

    Uses :class:`filter.training.registry.Registry` for the version list (so unfinished temporary folders are
    skipped) but only reads cards: a broken or tampered version keeps its row, marked, instead of failing
    the whole report.
    """
    from ..training.registry import Registry

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
        from ..training.registry import Registry, RegistryError

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
