"""``models list|show|rollback|convert|report``: the versions of a model registry (filter/training/registry.py)."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .common import EXIT_FAILURES, EXIT_LOCKED, EXIT_OK, EXIT_USAGE, fail, say

if TYPE_CHECKING:
    from ..training.registry import Registry, VersionInfo

__all__ = ["models_list", "models_show", "models_rollback", "models_convert", "models_report"]


def _open_registry(registry: str | None) -> Registry:
    from ..training.registry import Registry, RegistryError, default_registry

    reg = Registry(registry or default_registry())
    if not reg.root.is_dir():
        raise RegistryError(f"no model registry at {reg.root}")
    return reg


def _num(value: object) -> float:
    """A card value as a number for display; NaN for anything else (cards may be hand-edited or hostile)."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    return float("nan")


def models_list(*, registry: str | None) -> int:
    """All versions, the current one marked; exit 1 when any (or the pointer) fails verification."""
    from ..store import ModelIntegrityError
    from ..training.registry import RegistryError

    try:
        reg = _open_registry(registry)
    except RegistryError as exc:
        return fail(exc)
    try:
        reg.pointer()
        pointer_ok = True
    except ModelIntegrityError as exc:  # still list the versions: that is how the user picks one to repair
        say(exc)
        pointer_ok = False
    infos = reg.versions()
    if not infos:
        print(f"registry {reg.root} has no versions yet")
        return EXIT_OK if pointer_ok else EXIT_FAILURES
    print(f"  {'version':<9}{'created':<27}{'core rec':>9}{'macro F1':>9}  {'data':<13}{'parent':<8}status")
    for v in infos:
        m = v.metrics
        print(
            f"{'*' if v.is_current else ' '} {v.name:<9}{str(v.card.get('created', '?'))[:26]:<27}"
            f"{_num(m.get('core_recall')):>9.4f}{_num(m.get('macro_f1')):>9.4f}  "
            f"{str(v.card.get('data_hash', ''))[:12]:<13}{v.parent or '-':<8}{v.status}"
        )
    return EXIT_OK if pointer_ok and all(v.ok for v in infos) else EXIT_FAILURES


def _print_summary(v: VersionInfo) -> None:
    """The card of one version, in the lines ``models show`` prints."""
    m: dict[str, Any] = v.metrics
    print(f"{v.name}{' (current)' if v.is_current else ''}: {v.path}")
    print(
        f"  integrity:   {'ok (files match the card, card matches the registry record)' if v.ok else v.status}"
    )
    for key, title in (("created", "created"), ("data_hash", "data hash"), ("data_paths", "data")):
        print(f"  {title + ':':<13}{v.card.get(key)}")
    print(f"  {'replaced:':<13}{v.parent or '-'}")
    print(
        f"  {'held-out:':<13}core recall {m.get('core_recall')}, macro F1 {m.get('macro_f1')}, "
        f"threshold {m.get('min_core_probability')}, {m.get('n_documents')} documents"
    )
    per_label = m.get("per_label")
    for lab, st in (per_label if isinstance(per_label, dict) else {}).items():
        st = st if isinstance(st, dict) else {}
        print(
            f"  {'':<13}{lab:<12} P {_num(st.get('precision')):.4f}  R {_num(st.get('recall')):.4f}  "
            f"F1 {_num(st.get('f1')):.4f}  n {st.get('support')}"
        )
    print(f"  {'labels:':<13}{v.card.get('label_counts')}")
    print(f"  {'versions:':<13}{v.card.get('versions')}")


def models_show(*, version: str | None, as_json: bool, registry: str | None) -> int:
    """A version's card summary (or the card as JSON) and its integrity check; exit 1 when it fails."""
    from ..training.registry import RegistryError

    try:
        reg = _open_registry(registry)
        name = reg.resolve(version) if version else reg.current_version()
        if name is None:
            raise RegistryError(f"registry {reg.root} has no current model")
    except RegistryError as exc:
        return fail(exc)
    v = reg.info(name)
    if as_json:
        print(json.dumps(v.card, indent=2, sort_keys=True, default=str))
    else:
        _print_summary(v)
    if not v.ok:
        say(f"{v.name} fails verification and will not be loaded")
    return EXIT_OK if v.ok else EXIT_FAILURES


def models_rollback(*, version: str | None, registry: str | None) -> int:
    from ..training.registry import RegistryError, RegistryLockedError

    try:
        reg = _open_registry(registry)
        old, new = reg.rollback(version)
    except RegistryLockedError as exc:
        return fail(exc, EXIT_LOCKED)
    except RegistryError as exc:  # ModelIntegrityError (exit 4) is reported by main()
        return fail(exc)
    print(f"rolled back: current model is now {new} (was {old or 'an unverifiable pointer'})")
    return EXIT_OK


def models_convert(*, old_dir: str, new_dir: str) -> int:
    """Thin wrapper over :func:`filter.store.convert_legacy_dir` (prints the loud warning)."""
    from ..store import convert_legacy_dir
    from ..training.train import card_markdown

    say(
        f"WARNING: unpickling {old_dir}: this runs any code the file contains. Convert only models you trust."
    )
    try:
        report = convert_legacy_dir(old_dir, new_dir, card_markdown)
    except FileExistsError as exc:
        return fail(exc)
    print(report)
    return EXIT_OK


def models_report(*, version: str | None, model: str | None, output: str, registry: str | None) -> int:
    """Thin wrapper over :func:`filter.report.write_model_report` (matplotlib is the optional extra)."""
    from ..report import ReportDependencyError, write_model_report
    from ..training.registry import default_registry

    if model is not None and version is not None:
        return fail("give a VERSION or --model DIR, not both")
    where = registry if model is not None else (registry or default_registry())
    if model is None and where is not None and not Path(where).is_dir():
        return fail(
            f"no model registry at {where} (use --registry DIR, or --model DIR for a model directory)"
        )
    try:
        written = write_model_report(model or version, output, registry=where)
    except ReportDependencyError as exc:
        # already "article-filter models report needs matplotlib: pip install ..."
        print(exc, file=sys.stderr)
        return EXIT_USAGE
    print("wrote " + ", ".join(str(path) for path in written.values()))
    return EXIT_OK
