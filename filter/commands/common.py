"""What the command groups share: exit codes, the model and batch options, reading one input, messages.

Exit codes: 0 success, 1 some records failed (batch) or a check found problems, 2 usage error,
3 retrain candidate rejected, 4 a model or data file was refused, 5 the model registry is locked.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, replace
from pathlib import Path

from ..batch.job import DEFAULT_GLOBS, BatchJob, ModelSpec

__all__ = [
    "EXIT_OK",
    "EXIT_FAILURES",
    "EXIT_USAGE",
    "EXIT_REJECTED",
    "EXIT_REFUSED",
    "EXIT_LOCKED",
    "BatchOptions",
    "ModelSpec",
    "SingleInputError",
    "missing_single",
    "read_single",
    "resolved",
    "say",
]

EXIT_OK = 0
EXIT_FAILURES = 1
EXIT_USAGE = 2
EXIT_REJECTED = 3
EXIT_REFUSED = 4
EXIT_LOCKED = 5


def say(message: object) -> None:
    """One line on stderr, prefixed with the program name."""
    print(f"article-filter: {message}", file=sys.stderr)


def fail(message: object, code: int = EXIT_USAGE) -> int:
    """:func:`say` the message and return ``code`` (a usage error unless told otherwise)."""
    say(message)
    return code


def resolved(model: ModelSpec) -> ModelSpec:
    """The model choice with absolute paths, as the batch workers (other processes, other folders) load it."""
    return replace(
        model,
        path=str(Path(model.path).resolve()) if model.path else model.path,
        registry=str(Path(model.registry).resolve()) if model.registry else model.registry,
    )


@dataclass(frozen=True)
class BatchOptions:
    """The options of the batch form (folders, tables, several inputs); defaults are :class:`BatchJob`'s."""

    glob: list[str] | None = None
    text_field: str = BatchJob.text_field
    output_field: str = BatchJob.output_field
    explain: bool = False
    id_field: str | None = None
    chunk_size: int = BatchJob.chunk_size
    batch_size: int = BatchJob.batch_size
    jobs: int | None = None
    doc_timeout: float = BatchJob.doc_timeout
    max_doc_mb: float = BatchJob.max_doc_mb
    engine: str = "local"
    scheduler: str | None = None
    compress: str = "keep"
    overwrite: bool = False
    quiet: bool = False

    @property
    def globs(self) -> tuple[str, ...]:
        return tuple(self.glob or DEFAULT_GLOBS)


class SingleInputError(Exception):
    """A single file that cannot be read as text: one line on stderr, exit 1 (like a failed batch record)."""


def read_single(path: str) -> str:
    """The text of one input file (or stdin); a decoding fallback is announced in one line on stderr."""
    from ..compress import maybe_decompress
    from ..io import InputError, decode

    name = "<stdin>" if path == "-" else path
    try:
        raw = sys.stdin.buffer.read() if path == "-" else Path(path).read_bytes()
        decoded = decode(maybe_decompress(raw, name), name)
    except (InputError, ValueError) as exc:
        raise SingleInputError(str(exc)) from None
    if decoded.fallback:
        say(f"{name}: {decoded.note}")
    return decoded.text


def missing_single(inputs: list[str], output: str | None) -> bool:
    """One named input that does not exist: say so (the batch form would ask for --output instead)."""
    if output is None and len(inputs) == 1 and inputs[0] != "-" and not Path(inputs[0]).exists():
        say(f"no such file: {inputs[0]}")
        return True
    return False
