"""What a batch keeps in ``OUT/.batch`` to resume and to report: journal, manifest, lock, per-unit errors.

Why here and not in the worker: every rule that decides whether an output can be trusted (the journal line
written before the output, the manifest that refuses mixed options, the lock, the canonical ``errors.jsonl``
and ``decoding.jsonl``) lives in one module, so resuming can be reasoned about in one place.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..store import atomic_write_bytes, atomic_write_text
from .job import BatchJob, UsageError
from .records import Source, json_line

if TYPE_CHECKING:
    from ..api import ArticleFilter

__all__ = [
    "DECODING_FILE",
    "ERRORS_FILE",
    "JOURNAL_FILE",
    "STATE_DIR",
    "Lock",
    "TerminationAsInterrupt",
    "check_manifest",
    "commit",
    "errors_path",
    "merge_errors",
    "read_journal",
    "remove_temp_files",
    "save_unit_errors",
]

STATE_DIR = ".batch"
ERRORS_FILE = "errors.jsonl"
#: One line per document that needed a decoding fallback (see :mod:`filter.io`); rebuilt like errors.jsonl.
DECODING_FILE = "decoding.jsonl"
#: One line per document whose verdict carries a warning (e.g. a language the model was not trained on,
#: kept unfiltered): never a silent empty output. Rebuilt like errors.jsonl.
WARNINGS_FILE = "warnings.jsonl"
#: Append-only record of committed units: what input (size, mtime) and options each output was made from.
JOURNAL_FILE = "done.jsonl"

#: Temporary files of :func:`filter.store.atomic_write_bytes` (``.<name>.<8 random>.tmp``), left behind only
#: when a process is killed mid-write; removed at the start of the next run.
_TMP_RE = re.compile(r"^\..+\.[A-Za-z0-9_]{8}\.tmp$")


def errors_path(state_dir: str, unit: str) -> Path:
    # surrogatepass: a unit named after a file whose name is not UTF-8 still hashes (and is never skipped)
    digest = hashlib.sha1(unit.encode("utf-8", errors="surrogatepass")).hexdigest()[:24]
    return Path(state_dir) / "errors" / (digest + ".json")


def save_unit_errors(
    state_dir: str | None,
    unit: str,
    errors: list[dict[str, Any]],
    stale: bool,
    notices: list[dict[str, Any]] | None = None,
    warnings: list[dict[str, Any]] | None = None,
) -> None:
    """Record a unit's failures and decoding notices (or clear old ones) *before* its output is committed."""
    if state_dir is None:
        return
    path = errors_path(state_dir, unit)
    if errors or notices or warnings:
        record = {"unit": unit, "errors": errors, "notices": notices or [], "warnings": warnings or []}
        atomic_write_text(path, json.dumps(record, ensure_ascii=True))
    elif stale:
        path.unlink(missing_ok=True)


def commit(job: BatchJob, unit: str, dst: str, stat: tuple[int, int] | None, data: bytes) -> None:
    """Write a unit's output so that resuming can trust it: old output gone, journal entry, then new output.

    The journal (``OUT/.batch/done.jsonl``) says which input (size, mtime) and options each output was made
    from; a unit is skipped on a rerun only if its latest entry matches and its output exists. Writing the
    entry *before* the output (and removing an older output first) means an output never exists without an
    entry that describes it, whenever the process is killed: a kill in between leaves no output, and the unit
    is redone. Lines are appended with one ``write`` on an ``O_APPEND`` descriptor, so the worker processes
    of a run can share the journal; a line torn by a kill is ignored when the journal is read.
    """
    if job.state_dir is not None and stat is not None:
        Path(dst).unlink(missing_ok=True)
        entry = json_line({"unit": unit, "dst": dst, "stat": list(stat), "opts": job.options_key()})
        fd = os.open(Path(job.state_dir) / JOURNAL_FILE, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        try:
            os.write(fd, entry.encode("utf-8"))
        finally:
            os.close(fd)
    atomic_write_bytes(dst, data)


def merge_errors(out: Path) -> int:
    """Rebuild ``errors.jsonl`` and ``decoding.jsonl`` from the per-unit records, sorted; returns #errors."""
    records: list[dict[str, Any]] = []
    notices: list[dict[str, Any]] = []
    warned: list[dict[str, Any]] = []
    d = out / STATE_DIR / "errors"
    if d.is_dir():
        for f in d.glob("*.json"):
            try:
                saved = json.loads(f.read_text(encoding="utf-8"))
                records.extend(saved["errors"])
                notices.extend(saved.get("notices", []))
                warned.extend(saved.get("warnings", []))
            except (OSError, ValueError, KeyError, TypeError):
                continue

    def key(r: dict[str, Any]) -> tuple[str, int, str, str]:
        return (str(r.get("file")), r.get("line") or 0, str(r.get("record_id")), str(r.get("message")))

    for name, recs in ((ERRORS_FILE, records), (DECODING_FILE, notices), (WARNINGS_FILE, warned)):
        recs.sort(key=key)
        path = out / name
        if recs:
            atomic_write_text(path, "".join(json_line(r) for r in recs))
        else:
            path.unlink(missing_ok=True)
    return len(records)


def read_journal(path: Path) -> dict[str, dict[str, Any]]:
    """unit -> its latest journal entry; a line torn by a kill is ignored (that unit is simply redone)."""
    entries: dict[str, dict[str, Any]] = {}
    try:
        with open(path, encoding="utf-8") as fh:
            for line in fh:
                try:
                    e = json.loads(line)
                    entries[e["unit"]] = e
                except (ValueError, KeyError, TypeError):
                    continue
    except FileNotFoundError:
        pass
    return entries


def remove_temp_files(out: Path) -> None:
    for root, _dirs, files in os.walk(out):
        for name in files:
            if _TMP_RE.match(name):
                Path(root, name).unlink(missing_ok=True)


def check_manifest(
    out: Path, job: BatchJob, flt: ArticleFilter, sources: list[Source], overwrite: bool
) -> bool:
    """Refuse to mix outputs made with other options, another model or a changed table; returns existed."""
    path = out / STATE_DIR / "manifest.json"
    tables = {}
    for s in sources:
        if s.kind not in ("text", "stdin"):
            st = os.stat(s.path)
            tables[s.rel] = {"size": st.st_size, "mtime_ns": st.st_mtime_ns}
    new: dict[str, Any] = {
        "version": 1,
        "options": job.manifest_options(),
        "model": {"sha256": flt.card.get("sha256"), "min_core_probability": flt.config.min_core_probability},
        "tables": tables,
    }
    existed = path.exists()
    if existed and not overwrite:
        try:
            old = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            old = {}
        problems = [
            f"{k} differ ({old.get(k)} then, {new[k]} now)"
            for k in ("options", "model")
            if old.get(k) != new[k]
        ]
        before = old.get("tables", {})
        changed = [rel for rel, st in tables.items() if rel in before and before[rel] != st]
        if changed:
            problems.append(f"input table(s) changed since: {', '.join(changed)}")
        if problems:
            raise UsageError(
                f"{out} holds outputs of another batch: {'; '.join(problems)}. "
                "Rerun with --overwrite to redo them, or choose another output folder"
            )
        new["tables"] = {**old.get("tables", {}), **tables}
    atomic_write_text(path, json.dumps(new, indent=2, sort_keys=True) + "\n")
    return existed


class Lock:
    """An exclusive lock on ``OUT/.batch/lock`` (released by the OS even if the process is killed)."""

    def __init__(self, path: Path) -> None:
        self.fh = open(path, "a+b")
        try:
            import fcntl

            fcntl.flock(self.fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except ImportError:  # pragma: no cover - not POSIX: no protection against a concurrent run
            pass
        except OSError:
            self.fh.close()
            raise UsageError(f"another article-filter batch is writing to {path.parent.parent}") from None

    def release(self) -> None:
        self.fh.close()


class TerminationAsInterrupt:
    """SIGTERM and SIGHUP raise KeyboardInterrupt while a batch runs, so that the worker pool is shut down
    (``kill_workers``) and the lock released exactly as for Ctrl-C, instead of the process vanishing and
    leaving its workers behind. Only in the main thread (signal handlers cannot be set elsewhere)."""

    def __enter__(self) -> TerminationAsInterrupt:
        import signal

        self._old: dict[int, Any] = {}
        if threading.current_thread() is threading.main_thread():
            for name in ("SIGTERM", "SIGHUP"):
                sig = getattr(signal, name, None)
                if sig is not None:
                    self._old[sig] = signal.signal(sig, self._raise)
        return self

    @staticmethod
    def _raise(signum: int, frame: Any) -> None:
        raise KeyboardInterrupt(f"signal {signum}")

    def __exit__(self, *exc: Any) -> None:
        import signal

        for sig, old in self._old.items():
            signal.signal(sig, old)
