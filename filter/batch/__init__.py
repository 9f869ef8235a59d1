"""Batch cleaning and classification: folders, stdin and large tables in; mirrored, resumable outputs out.

Why it is built this way
------------------------
* Work is cut into small independent *units* -- one text file, or one chunk of ``--chunk-size`` rows of a
  table -- and each unit's output is committed by an atomic rename (temporary file in the same folder, then
  ``os.replace``). An output that exists is therefore complete. Before it is written, a journal line
  records the input's size and mtime and the options it is made from (:func:`_commit`); rerunning the same
  command skips a unit only if its output exists and its latest journal line matches, and redoes the rest,
  so an interrupted run (Ctrl-C, ``kill -9``, a reboot) followed by a rerun leaves exactly the files an
  uninterrupted run leaves, and a changed input is never mistaken for a finished one.
* Bad input is data, not an exception. A binary or undecodable file, a malformed JSONL line, a bad CSV row,
  a missing text field: each becomes one record in ``OUT/errors.jsonl`` and the batch goes on. Exit status
  is 0 when everything succeeded, 1 when some records failed, 2 for usage errors (bad options, missing input,
  an output path that conflicts with the input).
* Tables are streamed: JSONL is read line by line (so a malformed line is one error, not a crash), CSV with
  the ``csv`` module, Parquet with ``pyarrow`` record batches; only the chunks in flight are in memory, so
  memory does not grow with file size.
* Workers (``--jobs N``, joblib's loky processes) load the model once each and get batches of documents, so
  features are vectorised over ``--batch-size`` documents at a time (:meth:`ArticleFilter.clean_many`).

Output layout
-------------
Text inputs (files, folders searched recursively with ``--glob``, ``-`` for stdin)::

    OUT/<rel>                    clean: the cleaned text; "a/b.txt" -> "a/b.txt", "a/b.html" -> "a/b.html.txt"
    OUT/<rel minus .txt>.jsonl   classify: one row per paragraph (.csv / .parquet with --format)

``<rel>`` is the path relative to the folder when a single folder is given; with several inputs each input
contributes its own name (``OUT/<folder name>/...``, ``OUT/<file name>``, ``OUT/stdin.txt``). A single text
input with an output path that has a suffix and is not a folder (``-o cleaned.txt``) writes just that file.

Tabular inputs (``.jsonl``/``.ndjson``, ``.csv``, ``.parquet``)::

    OUT/part-00000.jsonl ...     one part per input chunk, same format as the input (a single table input)
    OUT/<rel>/part-00000.csv     tables among several inputs, or found in folders with --glob

Tables also come compressed (``.jsonl.gz``, ``.csv.xz``, ...), and WARC/WET files give JSONL parts. Every
output keeps its input's compression unless ``--compress`` names one (``a.txt.gz`` -> ``OUT/a.txt.gz``,
``in.jsonl.gz`` -> ``OUT/part-00000.jsonl.gz``), and ``clean --format`` writes table parts as JSONL, CSV,
Parquet or WET records (:mod:`filter.batch.output`).

``clean`` parts hold every input row and column plus ``--output-field`` (default ``clean_text``; ``null``/
empty when that row failed) and, with ``--explain``, ``<output-field>_paragraphs``: a list of
``{text, label, probabilities}`` (a JSON string in CSV and Parquet). Lines that cannot be parsed at all
cannot be copied and are only reported. ``classify`` parts hold per-paragraph rows ``doc_id, index, start,
end, text, label, probability, probabilities, cues`` -- the feedback format :mod:`filter.training.data` reads back.

Bookkeeping, always in folder mode::

    OUT/errors.jsonl             one JSON object per failure: file, line, record_id, error, message
    OUT/decoding.jsonl           same fields, one per document that was not plain UTF-8 (error = encoding)
    OUT/.batch/done.jsonl        journal: unit, output, input size + mtime, options hash (see _commit)
    OUT/.batch/manifest.json     the options the outputs were made with; a rerun with other options is refused
    OUT/.batch/errors/*.json     per-unit failure records; errors.jsonl is rebuilt from them after each run
    OUT/.batch/lock              held while a run writes to OUT, so two runs cannot interleave

``errors.jsonl`` is appended to while the run goes (``tail -f`` works) and rewritten in a canonical order
(by file, line) when it ends, so that resumed and uninterrupted runs agree on it too. A unit's error records
are saved *before* its output is committed, so a kill in between cannot lose them; a failed text file has no
output and is retried by the next run (a fixed file then succeeds).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .job import (
    DEFAULT_DOC_TIMEOUT,
    DEFAULT_GLOBS,
    DEFAULT_MAX_DOC_MB,
    ENGINES,
    EXIT_FAILURES,
    EXIT_OK,
    EXIT_USAGE,
    BatchJob,
    ModelSpec,
    Summary,
    UsageError,
)

if TYPE_CHECKING:
    from .plan import Mode, decide, resolve_inputs
    from .review import review_page
    from .runner import run, run_batch

__all__ = [
    "BatchJob",
    "DEFAULT_DOC_TIMEOUT",
    "DEFAULT_GLOBS",
    "DEFAULT_MAX_DOC_MB",
    "ENGINES",
    "EXIT_FAILURES",
    "EXIT_OK",
    "EXIT_USAGE",
    "Mode",
    "ModelSpec",
    "Summary",
    "UsageError",
    "decide",
    "resolve_inputs",
    "review_page",
    "run",
    "run_batch",
]

#: Names served on first use (PEP 562), so that importing the job description -- as the command line does to
#: read its defaults -- does not import the worker, numpy or the model.
_LAZY = {
    "Mode": "plan",
    "decide": "plan",
    "resolve_inputs": "plan",
    "review_page": "review",
    "run": "runner",
    "run_batch": "runner",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(f"{__name__}.{_LAZY[name]}"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
