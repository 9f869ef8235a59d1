"""One batch run: check the options and paths, take the lock, plan, execute, merge the error records.

:func:`run` is the library entry point (plain values and a :class:`BatchJob`); :func:`run_batch` is the
same plus what the command line prints and its exit status.
"""

from __future__ import annotations

import json
import math
import os
import sys
import time
from collections.abc import Iterator, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any, TextIO

from . import formats
from .engines import check_engine, execute
from .job import CLEAN_FORMATS, COMPRESS_CHOICES, DEFAULT_GLOBS, EXIT_USAGE, BatchJob, Summary, UsageError
from .plan import Planner, decide, is_within, resolve_inputs
from .records import Source, TaskResult, fs_name, json_line
from .state import (
    DECODING_FILE,
    ERRORS_FILE,
    JOURNAL_FILE,
    STATE_DIR,
    WARNINGS_FILE,
    Lock,
    TerminationAsInterrupt,
    check_manifest,
    errors_path,
    merge_errors,
    read_journal,
    remove_temp_files,
)
from .worker import remember_filter

__all__ = ["default_jobs", "run", "run_batch"]


def _check_options(job: BatchJob, inputs: Sequence[str], output: str | None, jobs: int) -> None:
    if output is None:
        raise UsageError("batch mode (folders, tables, several inputs) needs --output OUT")
    if inputs.count("-") > 1:
        raise UsageError("stdin (-) can be given once")
    if job.chunk_size < 1 or job.batch_size < 1 or jobs < 1:
        raise UsageError("--chunk-size, --batch-size and --jobs must be at least 1")
    if not (math.isfinite(job.doc_timeout) and job.doc_timeout > 0):
        raise UsageError(f"--doc-timeout must be a positive number of seconds, not {job.doc_timeout}")
    if not (math.isfinite(job.max_doc_mb) and job.max_doc_mb > 0):
        raise UsageError(f"--max-doc-mb must be a positive number, not {job.max_doc_mb}")
    if job.compress not in COMPRESS_CHOICES:
        raise UsageError(f"--compress must be one of {', '.join(COMPRESS_CHOICES)}, not {job.compress!r}")
    if job.command == "clean" and job.out_format not in (None, *CLEAN_FORMATS):
        raise UsageError(f"clean --format must be one of {', '.join(CLEAN_FORMATS)}, not {job.out_format!r}")
    if job.command == "clean" and job.out_format == "wet" and job.explain:
        raise UsageError("--explain has no place in --format wet output (WET records hold text only)")


def _check_paths(
    inputs: Sequence[str],
    out: Path,
    sources: list[Source],
    protected: frozenset[str],
    single_file: bool,
    overwrite: bool,
) -> None:
    """Refuse outputs that would overwrite an input or mix with it, before anything is written."""
    if single_file:
        if sources[0].path and out.resolve() == Path(sources[0].path).resolve():
            raise UsageError(f"output {out} is the input file")
        if out.exists() and not overwrite:
            raise UsageError(f"output {out} exists; add --overwrite to replace it")
        return
    if out.exists() and not out.is_dir():
        raise UsageError(f"output {out} is a file, but these inputs need an output folder")
    ro = out.resolve()
    for inp in inputs:
        if inp != "-" and Path(inp).is_dir():
            ri = Path(inp).resolve()
            if is_within(ro, ri) or is_within(ri, ro):
                raise UsageError(
                    f"output folder {out} and input folder {inp} overlap; write the output somewhere else"
                )
    for path in sorted(protected):
        if is_within(Path(path), ro):
            raise UsageError(
                f"input {fs_name(path)} is inside the output folder {out}, where outputs would overwrite "
                "it; write the output somewhere else"
            )


def _prepare_folder(
    out: Path, job: BatchJob, flt: Any, sources: list[Source], overwrite: bool
) -> tuple[set[str], dict[str, dict[str, Any]]]:
    """Check the manifest, clear what ``--overwrite`` redoes; the units with old error records, the journal."""
    state = out / STATE_DIR
    if check_manifest(out, job, flt, sources, overwrite):
        remove_temp_files(out)
    if overwrite:
        for f in (state / "errors").glob("*.json"):
            f.unlink()
        (out / ERRORS_FILE).unlink(missing_ok=True)
        (state / JOURNAL_FILE).unlink(missing_ok=True)
    journal = read_journal(state / JOURNAL_FILE)
    stale: set[str] = set()
    for f in (state / "errors").glob("*.json"):
        try:
            stale.add(json.loads(f.read_text(encoding="utf-8"))["unit"])
        except (OSError, ValueError, KeyError, TypeError):
            f.unlink(missing_ok=True)
    for unit in [u for u in stale if u.startswith("list:")]:  # re-checked while listing
        errors_path(str(state), unit).unlink(missing_ok=True)
    return stale, journal


def _rows_format(out: Path) -> str:
    """``classify`` into one file: the rows format its suffix names (jsonl when it names none)."""
    name = formats.format_for_path(str(out))
    return name if name in formats.writer_names() else "jsonl"


def run(
    job: BatchJob,
    inputs: Sequence[str],
    output: str | None,
    *,
    globs: Sequence[str] = DEFAULT_GLOBS,
    jobs: int = 1,
    engine: str = "local",
    scheduler: str | None = None,
    overwrite: bool = False,
    quiet: bool = False,
    stdin: TextIO | None = None,
) -> Summary:
    """Clean or classify every input into ``output``; see :mod:`filter.batch` for layout and resuming.

    Raises :class:`UsageError` for bad options or paths (before writing anything) and
    :class:`filter.store.ModelIntegrityError` for a model that fails verification.
    """
    t0 = time.perf_counter()
    _check_options(job, inputs, output, jobs)
    assert output is not None
    problems: list[tuple[str, str]] = []
    sources = resolve_inputs(inputs, globs, problems)
    out = Path(output)
    single_file = decide(inputs, output).single_file
    protected = frozenset(str(Path(s.path).resolve()) for s in sources if s.path)
    _check_paths(inputs, out, sources, protected, single_file, overwrite)
    if job.command == "classify" and job.out_format is None and single_file:
        job = replace(job, out_format=_rows_format(out))
    check_engine(engine)
    flt = job.model.load()  # fail fast (exit 4) on a bad model, before any output exists
    remember_filter(job.model, flt)
    summary = Summary(output=str(out))
    if not sources:
        print(f"article-filter: no input files matched {', '.join(globs)}", file=sys.stderr)
        return summary
    lock: Lock | None = None
    if not single_file:
        state = out / STATE_DIR
        (state / "errors").mkdir(parents=True, exist_ok=True)
        lock = Lock(state / "lock")
        job = replace(job, state_dir=str(state))
    try:
        stale: set[str] = set()
        journal: dict[str, dict[str, Any]] = {}
        if single_file:
            for tmp in out.parent.glob(f".{out.name}.*.tmp"):
                tmp.unlink(missing_ok=True)
        else:
            stale, journal = _prepare_folder(out, job, flt, sources, overwrite)
        planner = Planner(
            job, sources, out, single_file, overwrite, stale, stdin, journal, problems, protected
        )
        with TerminationAsInterrupt():
            results = execute(job, planner.tasks(), engine=engine, jobs=jobs, scheduler=scheduler)
            _consume(job, planner, results, summary, single_file, out, quiet)
    finally:
        if not single_file:
            merge_errors(out)
        if lock is not None:
            lock.release()
        summary.seconds = time.perf_counter() - t0
    return summary


class _Progress:
    """Adds results to the summary, writes error lines as they come, and draws the progress bar."""

    def __init__(
        self, job: BatchJob, planner: Planner, summary: Summary, single_file: bool, out: Path, quiet: bool
    ):
        from tqdm import tqdm

        self.planner, self.summary, self.single_file = planner, summary, single_file
        self.errors_fh = None if single_file else open(out / ERRORS_FILE, "a", encoding="utf-8")
        self.bar = tqdm(
            total=planner.known_total(),
            unit="doc",
            disable=quiet,
            file=sys.stderr,
            mininterval=0.5,
            smoothing=0.2,
            desc=job.command,
        )
        self.last = 0.0
        self.t0 = time.perf_counter()

    def take(self, res: TaskResult) -> None:
        summary = self.summary
        summary.done += res.done
        summary.failed += res.failed
        summary.chars += res.chars
        summary.decoded_with_fallback += len(res.notices)
        summary.warned += len(res.warnings)
        for rec in res.errors:
            if self.errors_fh is not None:
                self.errors_fh.write(json_line(rec))
            else:
                print(f"article-filter: {rec['file']}: {rec['message']}", file=sys.stderr)
        if self.single_file:
            for rec in res.notices:
                print(f"article-filter: {rec['file']}: {rec['message']}", file=sys.stderr)
        if self.errors_fh is not None and res.errors:
            self.errors_fh.flush()
        self.bar.update(res.done + res.failed)
        now = time.perf_counter()
        if now - self.last > 0.5:
            self.last = now
            self.bar.set_postfix(
                failed=summary.failed,
                skipped=self.planner.skipped,
                MB_s=f"{summary.chars / 1e6 / max(now - self.t0, 1e-9):.2f}",
                refresh=False,
            )

    def close(self) -> None:
        self.summary.skipped = self.planner.skipped
        self.bar.close()
        if self.errors_fh is not None:
            self.errors_fh.close()


def _consume(
    job: BatchJob,
    planner: Planner,
    results: Iterator[TaskResult],
    summary: Summary,
    single_file: bool,
    out: Path,
    quiet: bool,
) -> None:
    progress = _Progress(job, planner, summary, single_file, out, quiet)
    try:
        for res in results:
            while planner.pending:
                progress.take(planner.pending.popleft())
            progress.take(res)
        while planner.pending:
            progress.take(planner.pending.popleft())
    finally:
        progress.close()


def default_jobs() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


def run_batch(
    job: BatchJob,
    inputs: Sequence[str],
    output: str | None,
    *,
    globs: Sequence[str] = DEFAULT_GLOBS,
    jobs: int | None = None,
    engine: str = "local",
    scheduler: str | None = None,
    overwrite: bool = False,
    quiet: bool = False,
) -> int:
    """:func:`run` as ``article-filter clean|classify`` does it: usage errors and the summary on stderr."""
    try:
        if scheduler and engine != "dask":
            raise UsageError("--scheduler needs --engine dask")
        summary = run(
            job,
            list(inputs),
            output,
            globs=tuple(globs),
            jobs=jobs or default_jobs(),
            engine=engine,
            scheduler=scheduler,
            overwrite=overwrite,
            quiet=quiet,
        )
    except UsageError as exc:
        print(f"article-filter: {exc}", file=sys.stderr)
        return EXIT_USAGE
    _print_summary(job.command, summary, quiet)
    return summary.exit_code


def _print_summary(command: str, summary: Summary, quiet: bool) -> None:
    """The summary line on stderr; with ``quiet`` only the failures, counted in one line, if any."""
    errors_file = Path(summary.output) / ERRORS_FILE
    where = f" (see {errors_file})" if summary.failed and errors_file.exists() else ""
    if quiet:
        if summary.failed:
            print(f"article-filter {command}: {summary.failed} failed{where}", file=sys.stderr)
    else:
        rate = summary.done / summary.seconds if summary.seconds > 0 else 0.0
        print(
            f"article-filter {command}: {summary.done} done, {summary.skipped} skipped (already done), "
            f"{summary.failed} failed{where}; {summary.seconds:.1f} s, {rate:.1f} docs/s, "
            f"{summary.chars / 1e6 / max(summary.seconds, 1e-9):.2f} MB/s",
            file=sys.stderr,
        )
    if summary.warned and Path(summary.output).is_dir():
        print(
            f"article-filter {command}: {summary.warned} document(s) carry a warning, e.g. a language the model "
            f"was not trained on, kept unfiltered (see {Path(summary.output) / WARNINGS_FILE})",
            file=sys.stderr,
        )
    if summary.decoded_with_fallback and Path(summary.output).is_dir():
        print(
            f"article-filter {command}: {summary.decoded_with_fallback} document(s) were not plain UTF-8 and "
            f"were decoded with a fallback (see {Path(summary.output) / DECODING_FILE})",
            file=sys.stderr,
        )
