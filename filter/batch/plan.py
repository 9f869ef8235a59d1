"""Planning: which documents the command line names, where each output goes, and the tasks to run.

Runs in the main process only. :func:`decide` is the one place that tells a single document (printed, or
written to one file) from a batch (an output folder); the CLI and :func:`filter.batch.runner.run` both ask it.
"""

from __future__ import annotations

import itertools
import os
import re
import sys
from collections import deque
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from ..compress import strip_compression_suffix
from . import formats, output
from .formats.text import text_out_rel
from .job import _TASK_CHARS, DEFAULT_GLOBS, BatchJob, UsageError
from .records import ChunkTask, Source, Task, TaskResult, TextItem, TextTask, error_record, fs_name
from .state import DECODING_FILE, ERRORS_FILE, STATE_DIR, errors_path, save_unit_errors

__all__ = ["Mode", "Planner", "decide", "is_within", "resolve_inputs"]


@dataclass(frozen=True)
class Mode:
    """How the command line's inputs and ``--output`` are handled.

    ``single_document``: exactly one text document (a file that is not a table, or ``-``); the CLI prints
    it when there is no ``--output``. ``single_file``: that document written to one output file (the output
    has a suffix and is not a folder). Otherwise (also a single document with an output folder) a batch
    into an output folder.
    """

    single_document: bool
    single_file: bool
    has_output: bool

    @property
    def to_stdout(self) -> bool:
        return self.single_document and not self.has_output


def _is_document(inp: str) -> bool:
    return inp == "-" or (Path(inp).is_file() and formats.format_for_path(inp) is None)


def decide(inputs: Sequence[str], output: str | None) -> Mode:
    single = len(inputs) == 1 and _is_document(inputs[0])
    if not single or output is None:
        return Mode(single, False, output is not None)
    out = Path(output)
    to_file = not out.is_dir() and bool(out.suffix) and not str(output).endswith(("/", os.sep))
    return Mode(True, to_file, True)


def _glob_regex(pattern: str) -> re.Pattern[str]:
    """A ``Path.glob`` pattern as a regex over posix relative paths (``**/`` matches zero or more folders)."""
    out = []
    i = 0
    while i < len(pattern):
        if pattern.startswith("**/", i):
            out.append("(?:[^/]*/)*")
            i += 3
        elif pattern.startswith("**", i):
            out.append(".*")
            i += 2
        elif pattern[i] == "*":
            out.append("[^/]*")
            i += 1
        elif pattern[i] == "?":
            out.append("[^/]")
            i += 1
        elif pattern[i] == "[" and "]" in pattern[i + 2 :]:
            j = pattern.index("]", i + 2)
            body = pattern[i + 1 : j]
            out.append("[" + ("^" + re.escape(body[1:]) if body.startswith("!") else re.escape(body)) + "]")
            i = j + 1
        else:
            out.append(re.escape(pattern[i]))
            i += 1
    return re.compile("".join(out) + r"\Z")


def _walk(root: Path, globs: Sequence[str], problems: list[tuple[str, str]]) -> dict[str, Path]:
    """Files under ``root`` matching any glob, relative posix name -> path; hidden names are skipped.

    Why not ``Path.glob``: it silently skips folders it cannot list, and a batch must report those.
    ``os.walk`` reports them through ``onerror``; each becomes one error record. Symbolic links to folders
    are not followed (no cycles), as ``Path.glob("**/...")`` does not follow them either.
    """
    patterns = [_glob_regex(g) for g in globs]
    found: dict[str, Path] = {}

    def onerror(exc: OSError) -> None:
        problems.append((exc.filename or str(root), f"cannot list folder: {exc.strerror or exc}"))

    for dirpath, dirnames, filenames in os.walk(root, onerror=onerror):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        base = Path(dirpath)
        for name in filenames:
            if name.startswith("."):
                continue
            f = base / name
            rel = f.relative_to(root).as_posix()
            if any(p.match(rel) for p in patterns) and f.is_file():
                found[rel] = f
    return found


def _kind(path: Path) -> str:
    return formats.format_for_path(path.name) or "text"


def resolve_inputs(
    inputs: Sequence[str],
    globs: Sequence[str] = DEFAULT_GLOBS,
    problems: list[tuple[str, str]] | None = None,
) -> list[Source]:
    """The documents named by the command line, in a deterministic order, with their output-relative names.

    Folders that cannot be listed are appended to ``problems`` as (path, message) for the caller to report.
    """
    sources: list[Source] = []
    problems = problems if problems is not None else []
    multi = len(inputs) > 1
    for inp in inputs:
        if inp == "-":
            sources.append(Source("stdin", "", "stdin", direct=True))
            continue
        p = Path(inp)
        if p.is_dir():
            prefix = f"{p.resolve().name}/" if multi else ""
            found = _walk(p, globs, problems)
            for rel in sorted(found):
                f = found[rel]
                sources.append(Source(_kind(f), str(f), prefix + rel))
        elif p.is_file():
            sources.append(Source(_kind(p), str(p), p.name, direct=True))
        else:
            raise UsageError(f"no such input: {fs_name(inp)}")
    seen: dict[str, str] = {}
    for s in sources:
        if s.rel in seen:
            raise UsageError(
                f"two inputs map to the same output name {s.rel!r}: {seen[s.rel]} and "
                f"{s.path or '-'}; give them separately"
            )
        seen[s.rel] = s.path or "-"
    return sources


def is_within(child: Path, parent: Path) -> bool:
    try:
        child.relative_to(parent)
        return True
    except ValueError:
        return False


class Planner:
    """Turns sources into tasks, skipping finished units; runs in the main process only."""

    def __init__(
        self,
        job: BatchJob,
        sources: list[Source],
        out: Path,
        single_file: bool,
        overwrite: bool,
        stale: set[str],
        stdin: TextIO | None = None,
        journal: dict[str, dict[str, Any]] | None = None,
        problems: Sequence[tuple[str, str]] = (),
        protected: frozenset[str] = frozenset(),
    ) -> None:
        self.job, self.sources, self.out = job, sources, out
        self.single_file, self.overwrite, self.stale = single_file, overwrite, stale
        self.stdin = stdin
        self.journal = journal or {}
        self.opts = job.options_key()
        #: resolved paths of every input: never deleted or overwritten, whatever the options
        self.protected = protected
        self.skipped = 0
        self._stat: tuple[int, int] | None = None
        self.pending: deque[TaskResult] = deque()
        for path, message in problems:
            rec = error_record(path, None, None, "UnlistableFolder", message)
            save_unit_errors(job.state_dir, f"list:{path}", [rec], True)
            self.pending.append(TaskResult(failed=1, errors=[rec]))
        self._stdin_data: bytes | None = None
        #: output compression of every text input and table (by rel), see filter/batch/output.py
        self.text_comp: dict[str, str | None] = {}
        self._table_comp: dict[str, str | None] = {}
        self.dst, self.folders = self._assign_outputs()
        self.text_tasks = self._text_tasks()
        self.text_docs = sum(len(t.items) for t in self.text_tasks)

    def _assign_outputs(self) -> tuple[dict[str, Path], dict[str, Path]]:
        """Output file of every text input and part folder of every table, no two of them colliding.

        Natural names first (``a.txt`` -> ``a.txt``, ``a.html`` -> ``a.html.txt``, table ``a.jsonl`` ->
        folder ``a.jsonl/``). A name already taken by another output -- same file, or a file where a folder
        is needed, or the other way round, or the bookkeeping files -- gets the next free alternative in a
        fixed order (``<rel><ext>``, then ``<rel>.2<ext>`` ...), so reruns pick the same names. Example:
        ``classify --glob '**/*'`` over ``a.txt`` and ``a.jsonl`` writes ``a.txt.jsonl`` and ``a.jsonl/``.
        """
        job = self.job
        files: set[str] = {ERRORS_FILE, DECODING_FILE}
        dirs: set[str] = {STATE_DIR}

        def free(rel: str) -> bool:
            parents = [p.as_posix() for p in Path(rel).parents][:-1]
            return rel not in files and rel not in dirs and not any(p in files for p in parents)

        def take(rel: str, is_dir: bool) -> None:
            (dirs if is_dir else files).add(rel)
            dirs.update(p.as_posix() for p in list(Path(rel).parents)[:-1])

        folders: dict[str, Path] = {}
        for s in self.sources:
            if s.kind not in ("text", "stdin"):
                if s.direct and len(self.sources) == 1:
                    folders[s.rel] = self.out
                    continue
                rel = next(
                    c
                    for c in itertools.chain([s.rel], (f"{s.rel}.{n}" for n in itertools.count(2)))
                    if free(c)
                )
                take(rel, True)
                folders[s.rel] = self.out / rel
        dst: dict[str, Path] = {}
        rows_format = None if job.command == "clean" else job.out_format or "jsonl"
        ext = ".txt" if rows_format is None else formats.entry(rows_format).ext
        for s in self.sources:
            if s.kind not in ("text", "stdin"):
                continue
            if self.single_file:
                dst[s.rel] = self.out
                self.text_comp[s.rel] = output.single_file_compression(job, self.out, rows_format)
                continue
            comp_in = output.input_compression(s.path, self._stdin_bytes() if s.kind == "stdin" else None)
            comp = self.text_comp[s.rel] = output.output_compression(job, comp_in, rows_format)
            # a.txt.gz -> a.txt (+ the output's suffix); an uncompressed input keeps today's names exactly
            base = strip_compression_suffix(s.rel) if comp_in else s.rel
            cs = output.compression_suffix(comp)
            options = itertools.chain(
                [text_out_rel(base, ext) + cs, base + ext + cs],
                (f"{base}.{n}{ext}{cs}" for n in itertools.count(2)),
            )
            rel = next(c for c in options if free(c))
            take(rel, False)
            dst[s.rel] = self.out / rel
        return dst, folders

    def _journal_done(self, unit: str, dst: Path | str, stat: tuple[int, int] | None) -> bool:
        """A unit is done only if the journal says its output was made from this input with these options."""
        if self.overwrite or stat is None:
            return False
        entry = self.journal.get(unit)
        return (
            entry is not None
            and entry.get("opts") == self.opts
            and entry.get("stat") == list(stat)
            and entry.get("dst") == str(dst)
            and os.path.exists(dst)
        )

    # ---------------------------------------------------------------------------------------- text
    def _stdin_bytes(self) -> bytes:
        """stdin's bytes, read once (its compression names its output before the tasks are made)."""
        if self._stdin_data is None:
            stream = self.stdin or sys.stdin
            self._stdin_data = (
                stream.buffer.read() if hasattr(stream, "buffer") else stream.read().encode("utf-8")
            )
        return self._stdin_data

    def _text_tasks(self) -> list[TextTask]:
        job = self.job
        tasks: list[TextTask] = []
        cur: list[TextItem] = []
        size = 0
        for s in self.sources:
            if s.kind not in ("text", "stdin"):
                continue
            dst = self.dst[s.rel]
            data = None
            stat: tuple[int, int] | None = None
            if s.kind == "stdin":
                data = self._stdin_bytes()
                nbytes = len(data)
            else:
                try:
                    st_in = os.stat(s.path)
                    nbytes = st_in.st_size
                    stat = (st_in.st_size, st_in.st_mtime_ns)
                    if self._journal_done(f"text:{s.rel}", dst, stat):
                        self.skipped += 1
                        continue
                except OSError:
                    nbytes = 0  # reported when the worker reads it
            item = TextItem(
                s.path,
                str(dst),
                s.rel,
                data,
                stale_errors=f"text:{s.rel}" in self.stale,
                stat=stat,
                compression=self.text_comp.get(s.rel),
            )
            if cur and (len(cur) >= job.batch_size or size + nbytes > _TASK_CHARS):
                tasks.append(TextTask(cur))
                cur, size = [], 0
            cur.append(item)
            size += nbytes
        if cur:
            tasks.append(TextTask(cur))
        return tasks

    def known_total(self) -> int | None:
        """Documents to process, when known without reading the tables (Parquet metadata has row counts)."""
        total = self.text_docs
        for s in self.sources:
            if s.kind not in ("text", "stdin"):
                rows = formats.reader(s.kind).count_rows(s.path)
                if rows is None:
                    return None
                total += rows
        return total

    def tasks(self) -> Iterator[Task]:
        yield from self.text_tasks
        for s in self.sources:
            if s.kind not in ("text", "stdin"):
                yield from self._table_tasks(s)

    # -------------------------------------------------------------------------------------- tables
    def _part_folder(self, s: Source) -> Path:
        return self.folders[s.rel]

    def file_error(self, s: Source, line: int | None, exc: BaseException | str, error: str = "") -> None:
        msg = str(exc) if not isinstance(exc, str) else exc
        rec = error_record(s.path, line, None, error or type(exc).__name__, msg)
        save_unit_errors(self.job.state_dir, f"file:{s.rel}", [rec], True)
        self.pending.append(TaskResult(failed=1, errors=[rec]))

    def _table_tasks(self, s: Source) -> Iterator[ChunkTask]:
        if f"file:{s.rel}" in self.stale and self.job.state_dir is not None:
            errors_path(self.job.state_dir, f"file:{s.rel}").unlink(missing_ok=True)
        folder = self._part_folder(s)
        try:
            st = os.stat(s.path)
            self._stat = (st.st_size, st.st_mtime_ns)
            if self.overwrite and folder.is_dir():
                for old in folder.glob("part-*"):
                    if str(old.resolve()) not in self.protected:  # --overwrite never deletes an input
                        old.unlink()
        except OSError as exc:
            self.file_error(s, None, exc)
            return
        try:
            yield from formats.reader(s.kind).plan_chunks(self, s, folder)
        except Exception as exc:  # noqa: BLE001 - whatever goes wrong reading this table fails it alone
            self.file_error(
                s, None, f"{fs_name(s.path)}: could not be read to the end: {exc}", type(exc).__name__
            )

    def _part_format(self, s: Source) -> str:
        """The format of a table's parts: ``--format`` or, without it, the input's (WARC -> JSONL)."""
        return self.job.out_format or s.kind

    def chunk(self, s: Source, folder: Path, k: int, **kw: Any) -> ChunkTask:
        fmt = self._part_format(s)
        if s.rel not in self._table_comp:
            self._table_comp[s.rel] = output.output_compression(
                self.job, output.input_compression(s.path), fmt
            )
        comp = self._table_comp[s.rel]
        ext = formats.entry(fmt).ext + output.compression_suffix(comp)
        unit = f"chunk:{s.rel}:{k}"
        return ChunkTask(
            s.kind,
            s.path,
            s.rel,
            k,
            str(folder / f"part-{k:05d}{ext}"),
            stale_errors=unit in self.stale,
            stat=self._stat,
            compression=comp,
            **kw,
        )

    def skip(self, n: int) -> None:
        """``n`` records are done already (counted as skipped)."""
        self.skipped += n

    def done(self, s: Source, folder: Path, k: int) -> bool:
        c = self.chunk(s, folder, k)
        return self._journal_done(c.unit, c.part, self._stat)
