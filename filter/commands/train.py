"""``train`` and ``retrain``: thin wrappers over :mod:`filter.training.train` and :mod:`filter.training.retrain`."""

from __future__ import annotations

import sys

from .common import EXIT_LOCKED, EXIT_OK, EXIT_REFUSED, fail

__all__ = ["train", "retrain"]


def _require_train(command: str) -> None:
    """Fail before reading any data when the ``train`` extra is missing (one line, exit 2)."""
    from .._extras import require

    require("sklearn", "train", feature=command)
    require("scipy.sparse", "train", feature=command)


def _split(converters: str | None) -> list[str] | None:
    return converters.split(",") if converters else None


def train(*, data: list[str], output: str, converters: str | None, seed: int) -> int:
    """``article-filter train``: a model directory from labelled data."""
    _require_train("train")
    from ..model import ModelParams
    from ..store import save_model_dir
    from ..training.data import DataError
    from ..training.train import card_markdown, train_model

    try:
        model, card, _ = train_model(data, params=ModelParams(seed=seed), converters=_split(converters))
    except DataError as exc:
        return fail(f"bad training data: {exc}", EXIT_REFUSED)
    digest = save_model_dir(model, output, card, card_markdown)
    m = card["metrics"]
    print(
        f"model written to {output} (sha256 {digest[:12]}); held-out macro F1 {m['macro_f1']}, "
        f"core recall {m['core_recall']}, threshold {m['min_core_probability']}"
    )
    return EXIT_OK


def retrain(
    *,
    data: list[str],
    registry: str | None,
    force: bool,
    tolerance: float | None,
    converters: str | None,
    seed: int,
    feedback_in_eval: bool,
) -> int:
    """``article-filter retrain``: train a candidate, promote it if it is not worse (exit 3 if rejected)."""
    _require_train("retrain")
    from ..training.data import DataError
    from ..training.registry import RegistryLockedError, default_registry
    from ..training.retrain import DEFAULT_F1_TOLERANCE
    from ..training.retrain import retrain as run_retrain

    try:
        result = run_retrain(
            registry or default_registry(),
            data,
            force=force,
            tolerance=DEFAULT_F1_TOLERANCE if tolerance is None else tolerance,
            seed=seed,
            converters=_split(converters),
            feedback_in_eval=feedback_in_eval,
            progress=lambda msg: print(f"retrain: {msg}", file=sys.stderr, flush=True),
        )
    except RegistryLockedError as exc:
        return fail(exc, EXIT_LOCKED)
    except DataError as exc:
        return fail(f"bad training data, nothing was trained: {exc}", EXIT_REFUSED)
    print(result.report())
    return result.exit_code
