"""``serve`` (the HTTP service and review page, filter/serve/) and ``uncertain`` (rows worth reviewing)."""

from __future__ import annotations

import os
from pathlib import Path

from .common import EXIT_FAILURES, EXIT_OK, ModelSpec, fail, say

__all__ = ["serve", "uncertain"]


def serve(
    *,
    host: str,
    port: int,
    model: ModelSpec,
    feedback: str | None,
    allow_remote: bool,
    token: str | None,
    max_body_bytes: int | None,
) -> int:
    """``article-filter serve``: checks the bind address before loading the model (fail fast)."""
    try:
        from ..serve import DEFAULT_MAX_BODY_BYTES, ServeConfigError, check_bind, run_server
    except ImportError as exc:  # the optional extra is missing: one line naming it
        return fail(exc)
    token = token or os.environ.get("ARTICLE_FILTER_TOKEN") or None
    try:
        check_bind(host, allow_remote, token)
        run_server(
            model.load(),
            host=host,
            port=port,
            feedback_dir=Path(feedback) if feedback else None,
            allow_remote=allow_remote,
            token=token,
            max_body_bytes=max_body_bytes or DEFAULT_MAX_BODY_BYTES,
        )
    except ServeConfigError as exc:
        return fail(exc)
    return EXIT_OK


def uncertain(
    *,
    inputs: list[str],
    n: int,
    output: str,
    by: str,
    per_document: int,
    glob: list[str] | None,
    text_field: str,
    id_field: str | None,
    site_field: str,
    model: ModelSpec,
) -> int:
    """``article-filter uncertain``: a bad input file or record is one line on stderr and the rest goes on
    (exit 1 at the end, as a batch with failed records); a missing input or bad option is exit 2 at once."""
    from ..batch.job import UsageError
    from ..uncertain import write_uncertain

    failed: list[str] = []

    def report(message: str) -> None:
        failed.append(message)
        say(message)

    try:
        counts = write_uncertain(
            model.load(),
            inputs,
            output,
            n=n,
            by=by,
            per_document=per_document,
            globs=glob,
            text_field=text_field,
            id_field=id_field,
            site_field=site_field,
            on_error=report,
        )
    except (UsageError, ValueError) as exc:
        return fail(exc)
    print(
        f"wrote {counts['rows']} paragraphs from {counts['chosen_documents']} documents and "
        f"{counts['sites']} sites (of {counts['documents']} documents read) to {output}"
        + (f"; {len(failed)} bad inputs skipped (see above)" if failed else "")
    )
    return EXIT_FAILURES if failed else EXIT_OK
