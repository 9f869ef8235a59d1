"""Retraining: train a candidate, score it and the current model on the same held-out documents, and
promote it into a registry (:mod:`filter.training.registry`) only if it is not worse.

Order matters for safety (see :func:`retrain`): lock -> clean leftovers -> skip if the data is unchanged ->
validate all data (before any training) -> train -> score candidate and current on the same held-out
documents (split by site/article hash, see :func:`filter.training.train.held_out_split`) -> write the
candidate as a new version -> switch ``current`` -> log. :func:`compare` is the promotion rule.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..store import CARD_FILE, ModelIntegrityError, default_model_dir, file_sha256, read_card
from .data import DataError, Document, iter_data_files, read_documents
from .registry import Registry

__all__ = [
    "TrainingDataError",
    "Comparison",
    "RetrainResult",
    "compare",
    "retrain",
    "validate_data",
    "CORE_RECALL_EPSILON",
    "DEFAULT_F1_TOLERANCE",
    "EXIT_OK",
    "EXIT_REJECTED",
    "EXIT_REFUSED",
    "EXIT_LOCKED",
]

#: Exit codes of ``article-filter retrain`` (shared with the rest of the CLI: 2 is a usage error).
EXIT_OK = 0
EXIT_REJECTED = 3
EXIT_REFUSED = 4
EXIT_LOCKED = 5

#: Core recall may drop by at most this much. Retraining is deterministic (fixed seeds), so this only
#: absorbs the 4-decimal rounding of the metrics and BLAS/thread summation-order jitter between machines;
#: it is below one core paragraph in 500, i.e. smaller than any real change on the held-out split.
CORE_RECALL_EPSILON = 0.002

#: Macro F1 may drop by at most this much (``--tolerance``). Chosen, not fitted: macro F1 averages four
#: labels, and the rarest (filler) has only ~100-200 held-out paragraphs, so a handful of flipped filler
#: paragraphs moves macro F1 by ~0.01. A stricter bound would reject candidates that add data (e.g. feedback)
#: for noise in one small class; a looser one would let a genuinely worse model through. Core recall, the
#: metric the product promises, gets no such slack (see ``CORE_RECALL_EPSILON``).
DEFAULT_F1_TOLERANCE = 0.01


class TrainingDataError(DataError):
    """One or more data files are bad; lists every file's first problem as ``file:line: message``.

    Each file is validated separately so that a nightly run reports all broken files at once instead of
    one per night.
    """

    def __init__(self, errors: Sequence[DataError]) -> None:
        first = errors[0]
        super().__init__(first.path, first.line, first.message)
        self.errors = list(errors)

    def __str__(self) -> str:
        return "; ".join(f"{e.path}:{e.line}: {e.message}" for e in self.errors)


# ------------------------------------------------------------------------------------------ promotion rule
@dataclass
class Comparison:
    """Whether a candidate may replace the current model, and why (one reason per checked metric)."""

    promote: bool
    reasons: list[str]


def compare(
    candidate: dict[str, Any],
    current: dict[str, Any] | None,
    *,
    tolerance: float = DEFAULT_F1_TOLERANCE,
    epsilon: float = CORE_RECALL_EPSILON,
) -> Comparison:
    """The promotion rule: a candidate is promoted only if it is not worse than the current model.

    * core recall (reporting paragraphs kept) may not drop by more than ``epsilon`` (float noise only):
      losing reporting is the failure users notice, so no trade-off is allowed there;
    * macro F1 may not drop by more than ``tolerance``.

    Both metric sets must come from the same held-out documents. With no current model the candidate is
    promoted: an empty registry serves nothing, and any verified model beats none.
    """
    if current is None:
        return Comparison(True, ["no current model: the first candidate is promoted"])
    checks = [
        _no_drop("core recall", float(candidate["core_recall"]), float(current["core_recall"]), epsilon),
        _no_drop("macro F1", float(candidate["macro_f1"]), float(current["macro_f1"]), tolerance),
    ]
    return Comparison(all(ok for ok, _ in checks), [reason for _, reason in checks])


def _no_drop(metric: str, cand: float, cur: float, allowed: float) -> tuple[bool, str]:
    """Whether ``metric`` dropped from ``cur`` to ``cand`` by no more than ``allowed``, and the reason line."""
    if cand < cur - allowed:
        return False, f"{metric} dropped {cur:.4f} -> {cand:.4f} (allowed: -{allowed})"
    return True, f"{metric} {cur:.4f} -> {cand:.4f} ok (allowed: -{allowed})"


# ---------------------------------------------------------------------------------------------- retrain
@dataclass
class RetrainResult:
    """What a retrain did: ``decision`` is promoted, rejected, unchanged or refused."""

    decision: str
    exit_code: int
    message: str
    version: str | None = None
    current_version: str | None = None
    candidate_metrics: dict[str, Any] | None = None
    current_metrics: dict[str, Any] | None = None
    reference_metrics: dict[str, Any] | None = None
    reasons: list[str] = field(default_factory=list)
    eval_size: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0

    def report(self) -> str:
        """Human-readable summary: the decision, then both metric sets side by side."""
        lines = [self.message]
        if self.candidate_metrics is not None:
            cur = self.current_metrics or self.reference_metrics
            cur_name = (
                f"current {self.current_version}"
                if self.current_metrics is not None
                else "shipped default"
                if self.reference_metrics is not None
                else "current (none)"
            )
            lines.append(f"  {'':<22}{'candidate':>12}{cur_name:>22}")
            rows = [
                ("core recall", "core_recall"),
                ("core precision", "core_precision"),
                ("macro F1", "macro_f1"),
                ("accuracy", "accuracy"),
            ]
            for title, key in rows:
                other = f"{cur[key]:.4f}" if cur and key in cur else "-"
                lines.append(f"  {title:<22}{self.candidate_metrics.get(key, 0):>12.4f}{other:>22}")
            for lab, v in self.candidate_metrics.get("per_label", {}).items():
                other_v = (cur or {}).get("per_label", {}).get(lab)
                other = f"{other_v['f1']:.4f}" if other_v else "-"
                lines.append(f"  {'F1 ' + lab:<22}{v['f1']:>12.4f}{other:>22}")
            if self.eval_size:
                lines.append(
                    f"  held-out split (same for both): {self.eval_size.get('documents')} docs, "
                    f"{self.eval_size.get('paragraphs')} paragraphs"
                )
        lines += [f"  {r}" for r in self.reasons]
        return "\n".join(lines)

    def log_entry(self) -> dict[str, Any]:
        def slim(m: dict[str, Any] | None) -> dict[str, Any] | None:
            if m is None:
                return None
            keep = (
                "n_documents",
                "n_paragraphs",
                "accuracy",
                "macro_f1",
                "core_recall",
                "core_precision",
                "min_core_probability",
            )
            out = {k: m[k] for k in keep if k in m}
            out["f1"] = {lab: v["f1"] for lab, v in m.get("per_label", {}).items()}
            return out

        return {
            "event": "retrain",
            "decision": self.decision,
            "exit_code": self.exit_code,
            "message": self.message,
            "version": self.version,
            "current": self.current_version,
            "candidate": slim(self.candidate_metrics),
            "current_metrics": slim(self.current_metrics),
            "reference_metrics": slim(self.reference_metrics),
            "reasons": self.reasons,
            "seconds": round(self.seconds, 1),
        }


def validate_data(paths: Sequence[str | Path], converters: Sequence[str] | None = None) -> list[Document]:
    """Read and check every data file before any training; raise :class:`TrainingDataError` listing all bad
    files (first problem of each, as ``file:line``). Returns the documents in the order training uses."""
    from . import importers
    from .train import load_documents

    docs: list[Document] = []
    errors: list[DataError] = []
    for path in paths:
        p = Path(path)
        if importers.is_corpus(p):
            try:
                docs.extend(load_documents([p], converters))
            except DataError as exc:
                errors.append(exc)
            continue
        for f in iter_data_files(p):
            try:
                docs.extend(read_documents(f))
            except DataError as exc:
                errors.append(exc)
    if errors:
        raise TrainingDataError(errors)
    if not docs:
        raise TrainingDataError(
            [DataError(", ".join(map(str, paths)) or "(no paths)", 0, "no training documents found")]
        )
    return docs


def _log(progress: Callable[[str], None] | None, text: str) -> None:
    if progress is not None:
        progress(text)


def retrain(
    registry: str | Path,
    data_paths: Sequence[str | Path],
    *,
    force: bool = False,
    tolerance: float = DEFAULT_F1_TOLERANCE,
    seed: int = 0,
    converters: Sequence[str] | None = None,
    feedback_in_eval: bool = False,
    progress: Callable[[str], None] | None = None,
) -> RetrainResult:
    """Train a candidate on ``data_paths`` and promote it into ``registry`` if it is not worse.

    Order matters for safety: lock -> clean leftovers -> skip if the data is unchanged -> validate all data
    (before any training) -> train -> score candidate and current on the same held-out documents -> write
    the candidate as a new version -> switch ``current`` -> log. Raises :class:`RegistryLockedError`,
    :class:`TrainingDataError` and :class:`~filter.store.ModelIntegrityError` (after logging them).
    """
    from ..api import load_model
    from ..model import ModelParams
    from .evaluation import evaluate
    from .train import card_markdown, data_fingerprint, held_out_split, train_model

    reg = Registry(registry)
    t0 = time.perf_counter()
    with reg.locked("retrain"):
        removed = reg.clean_stale()
        if removed:
            _log(progress, f"removed leftovers of an interrupted run: {', '.join(removed)}")
        for note in reg.recover_log():
            _log(progress, note)
        try:
            pointer = reg.pointer()
            cur_name = pointer.get("version")
            cur_dir = reg.current_dir() if cur_name else None
        except ModelIntegrityError as exc:
            reg.append_log(
                {"event": "retrain", "decision": "refused", "exit_code": EXIT_REFUSED, "message": str(exc)}
            )
            raise
        cur_card = read_card(cur_dir) if cur_dir else None
        data_hash = data_fingerprint(data_paths)

        if not force:
            same: str | None = None
            if cur_card is not None and cur_card.get("data_hash") == data_hash:
                same = f"the training data is unchanged since {cur_name} (data hash {data_hash[:12]})"
            for v in pointer.get("rolled_back", []):
                if v in reg.version_names() and reg.info(v).card.get("data_hash") == data_hash:
                    same = (
                        f"{v} was trained on exactly this data and was rolled back (data hash "
                        f"{data_hash[:12]})"
                    )
            if same:
                result = RetrainResult(
                    "unchanged",
                    EXIT_OK,
                    f"retrain: nothing to do: {same}; current model "
                    f"stays {cur_name} (use --force to retrain anyway)",
                    current_version=cur_name,
                    seconds=time.perf_counter() - t0,
                )
                reg.append_log({**result.log_entry(), "data_hash": data_hash})
                return result

        _log(progress, f"validating training data: {', '.join(map(str, data_paths))}")
        try:
            docs = validate_data(data_paths, converters)
        except DataError as exc:
            reg.append_log(
                {
                    "event": "retrain",
                    "decision": "refused",
                    "exit_code": EXIT_REFUSED,
                    "message": f"bad training data: {exc}",
                    "data_hash": data_hash,
                }
            )
            raise
        _, eval_docs = held_out_split(docs, feedback_in_eval=feedback_in_eval)
        _log(progress, f"training candidate on {len(docs)} documents (seed {seed})")
        try:
            model, card, config = train_model(
                data_paths, params=ModelParams(seed=seed), docs=docs, feedback_in_eval=feedback_in_eval
            )
        except Exception as exc:  # logged for the nightly record, then reported by the caller as usual
            reg.append_log(
                {
                    "event": "retrain",
                    "decision": "failed",
                    "message": f"training failed: {exc!r}",
                    "data_hash": data_hash,
                }
            )
            raise
        card["data_hash"] = data_hash
        cand_metrics = evaluate(model, eval_docs, config)

        cur_metrics: dict[str, Any] | None = None
        ref_metrics: dict[str, Any] | None = None
        if cur_dir is not None:
            _log(progress, f"scoring current model {cur_name} on the same held-out documents")
            cur = load_model(cur_dir)
            cur_metrics = evaluate(cur.model, eval_docs, cur.config)
        else:
            ref_metrics = _reference_metrics(eval_docs)
        cmp = compare(cand_metrics, cur_metrics, tolerance=tolerance)
        eval_size = {"documents": len(eval_docs), "paragraphs": sum(len(d.paragraphs) for d in eval_docs)}
        if ref_metrics is not None:
            cmp.reasons.append("shipped default model scored on the same split for information only")

        if cmp.promote:
            name = reg.next_version_name()
            card["registry"] = {
                "version": name,
                "parent": cur_name,
                "tolerance": tolerance,
                "core_recall_epsilon": CORE_RECALL_EPSILON,
                "reasons": cmp.reasons,
                "current_metrics": cur_metrics
                and {k: cur_metrics.get(k) for k in ("core_recall", "macro_f1")},
                "seed": seed,
            }
            result = RetrainResult(
                "promoted",
                EXIT_OK,
                f"retrain: PROMOTED {name}" + (f" (replaces {cur_name})" if cur_name else " (first model)"),
                version=name,
            )
        else:
            name = None
            result = RetrainResult(
                "rejected", EXIT_REJECTED, f"retrain: REJECTED candidate; current model stays {cur_name}"
            )
        result.current_version = cur_name
        result.candidate_metrics = cand_metrics
        result.current_metrics = cur_metrics
        result.reference_metrics = ref_metrics
        result.reasons = cmp.reasons
        result.eval_size = eval_size
        entry = {
            **result.log_entry(),
            "data_hash": data_hash,
            "data_paths": [str(p) for p in data_paths],
            "tolerance": tolerance,
            "core_recall_epsilon": CORE_RECALL_EPSILON,
            "eval": eval_size,
            "force": force,
        }
        if name is None:
            result.seconds = time.perf_counter() - t0
            reg.append_log({**entry, "seconds": round(result.seconds, 1)})
            return result
        final = reg.publish_version(reg.stage_version(model, card, card_markdown, name), name)
        result.seconds = time.perf_counter() - t0
        reg._switch_logged(
            name,
            file_sha256(final / CARD_FILE),
            {**entry, "seconds": round(result.seconds, 1)},
            reason=f"promoted by retrain over {cur_name or 'nothing'}",
        )
        return result


def _reference_metrics(eval_docs: Sequence[Document]) -> dict[str, Any] | None:
    """The shipped default model's metrics on the split, for information when the registry is empty.

    It is not used to block the first candidate: it was trained on other data (possibly overlapping this
    held-out split), and refusing to fill an empty registry would leave ``--registry`` users with nothing.
    """
    if not (default_model_dir() / CARD_FILE).exists():
        return None
    try:
        from ..api import load_model
        from .evaluation import evaluate

        ref = load_model(default_model_dir())
        return evaluate(ref.model, eval_docs, ref.config)
    except Exception:  # noqa: BLE001 - informational only; a broken default must not stop a retrain
        return None
