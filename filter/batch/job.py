"""The job description: what a batch computes (:class:`BatchJob`), how to load its model, its defaults.

Why one object: the same frozen value goes to every worker (loky or Dask) and the command line reads its
defaults from here (``BatchJob.chunk_size`` ...), so a default is written once. Only the standard library
is imported, so that ``article-filter --help`` stays fast (no numpy).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ..api import ArticleFilter

__all__ = [
    "BatchJob",
    "ModelSpec",
    "Summary",
    "UsageError",
    "DEFAULT_GLOBS",
    "DEFAULT_DOC_TIMEOUT",
    "DEFAULT_MAX_DOC_MB",
    "ENGINES",
    "COMPRESS_CHOICES",
    "CLEAN_FORMATS",
    "EXIT_OK",
    "EXIT_FAILURES",
    "EXIT_USAGE",
    "TEST_KILL_ENV",
]

EXIT_OK = 0
EXIT_FAILURES = 1
EXIT_USAGE = 2

#: Files taken from a folder when no ``--glob`` is given: scraped text and saved pages, at any depth.
DEFAULT_GLOBS = ("**/*.txt", "**/*.text", "**/*.htm", "**/*.html")

#: ``--engine`` values: joblib's loky processes on this machine, or a Dask cluster (filter/batch/engines.py).
ENGINES = ("local", "dask")

#: ``--compress`` values: each output in its input's compression (default), uncompressed, or one for all.
COMPRESS_CHOICES = ("keep", "none", "gz", "bz2", "xz", "zst")
#: ``clean --format`` values (table outputs; see filter/batch/output.py). None keeps the input's format.
CLEAN_FORMATS = ("jsonl", "csv", "parquet", "wet")

#: Default per-document time budget, in seconds per started million characters (``--doc-timeout``). Normal
#: documents take milliseconds per MB; 60 s leaves a 50x margin for a loaded machine while a pathological
#: document still fails within a minute instead of stalling its task.
DEFAULT_DOC_TIMEOUT = 60.0
#: Default largest document, in MB of input (``--max-doc-mb``). Large enough for whole books and saved
#: archives (a 200 MB document peaks well under 2 GB, see :func:`filter.batch.huge.clean_huge`), small enough that one
#: mistaken multi-GB file fails at once instead of exhausting memory.
DEFAULT_MAX_DOC_MB = 512.0
#: Environment variable for tests only: a worker handling a unit whose name contains its value kills
#: itself with SIGKILL (as the out-of-memory killer would), to test that a dead worker fails only its task.
TEST_KILL_ENV = "ARTICLE_FILTER_TEST_KILL_WORKER"

#: Characters of text per worker task and per ``clean_many`` call, besides the document count: one task of
#: 32 enormous documents would otherwise hold them all (and their features) in memory at once.
_TASK_CHARS = 8_000_000


class UsageError(Exception):
    """Bad options or paths: reported in one line and exit status 2, before anything is written."""


@dataclass(frozen=True)
class ModelSpec:
    """How to load the model, small enough to send to every worker (which then loads it once)."""

    path: str | None = None
    registry: str | None = None
    min_core_probability: float | None = None

    def load(self) -> ArticleFilter:
        from ..api import load_model

        flt = load_model(self.path, registry=self.registry)
        if self.min_core_probability is not None:
            flt = flt.with_config(flt.config.with_options(min_core_probability=self.min_core_probability))
        return flt


@dataclass(frozen=True)
class BatchJob:
    """What to compute; the same object goes to every worker. Fields that shape outputs go in the manifest."""

    command: str  # "clean" or "classify"
    model: ModelSpec = field(default_factory=ModelSpec)
    text_field: str = "text"
    output_field: str = "clean_text"
    explain: bool = False
    id_field: str | None = None
    #: classify: "jsonl", "csv" or "parquet"; None means jsonl for text inputs, the input's format for tables.
    #: clean: a table output format of CLEAN_FORMATS; None means the input's format (text stays text).
    out_format: str | None = None
    #: one of COMPRESS_CHOICES: "keep" writes each output in its input's compression
    compress: str = "keep"
    chunk_size: int = 1000
    batch_size: int = 32
    #: ``OUT/.batch`` (None in single-file mode, where failures are only printed).
    state_dir: str | None = None
    #: seconds per started million characters a document may take (see DEFAULT_DOC_TIMEOUT)
    doc_timeout: float = DEFAULT_DOC_TIMEOUT
    #: largest document in MB (see DEFAULT_MAX_DOC_MB)
    max_doc_mb: float = DEFAULT_MAX_DOC_MB

    @property
    def decoding_field(self) -> str:
        return f"{self.output_field}_decoding"

    @property
    def max_doc_chars(self) -> int:
        return int(self.max_doc_mb * 1_000_000)

    @property
    def explain_field(self) -> str:
        return f"{self.output_field}_paragraphs"

    def manifest_options(self) -> dict[str, Any]:
        opts: dict[str, Any] = {
            "command": self.command,
            "text_field": self.text_field,
            "output_field": self.output_field,
            "explain": self.explain,
            "id_field": self.id_field,
            "format": self.out_format,
            "chunk_size": self.chunk_size,
        }
        if self.compress != "keep":  # absent by default, so manifests and journals of older runs still match
            opts["compress"] = self.compress
        return opts

    def options_key(self) -> str:
        """A short hash of everything that shapes an output, recorded per unit in the journal."""
        opts = {**self.manifest_options(), "model": self.model.path, "registry": self.model.registry}
        opts["min_core_probability"] = self.model.min_core_probability
        return hashlib.sha256(json.dumps(opts, sort_keys=True).encode("utf-8")).hexdigest()[:16]


@dataclass
class Summary:
    done: int = 0
    skipped: int = 0
    failed: int = 0
    seconds: float = 0.0
    chars: int = 0
    output: str = ""
    #: documents that needed a decoding fallback in this run (listed in OUT/decoding.jsonl)
    decoded_with_fallback: int = 0
    #: documents whose verdict carries a warning (listed in OUT/warnings.jsonl)
    warned: int = 0

    @property
    def exit_code(self) -> int:
        return EXIT_FAILURES if self.failed else EXIT_OK
