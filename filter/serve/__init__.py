"""A small HTTP service: clean and classify over JSON, and a review page where people correct labels.

Why Starlette + uvicorn: both are small, widely used and well maintained, Starlette ships a test client
(``starlette.testclient``) so the service is tested in-process exactly as it runs, and uvicorn is the
standard ASGI server. FastAPI would add pydantic and an OpenAPI layer for five endpoints whose bodies are
two tiny shapes; explicit validation here gives shorter, clearer 4xx messages than pydantic's error lists.
They are the optional ``serve`` extra (``pip install 'article-filter[serve]'``), so the library keeps its
small dependency set; importing this module without them raises :class:`ServeDependencyError` naming it.

Endpoints (JSON in and out, ``{"error": "one line"}`` on any failure, never a traceback):

* ``POST /clean``     ``{"text": s}`` -> ``{"clean_text": s}``; ``{"texts": [...]}`` -> ``{"clean_texts": [...]}``
* ``POST /classify``  ``{"text": s}`` -> ``{"paragraphs": [...]}``; ``{"texts": [...]}`` ->
  ``{"documents": [[...], ...]}``; each paragraph has the fields of :meth:`filter.types.Paragraph.to_dict`
* ``GET /health``     model source, registry version, sha256 and keep threshold; whether saving is on
* ``GET /``           the review page (``/static/review.js``, ``/static/review.css``)
* ``POST /feedback``  ``{"session": id, "rows": [...]}``: corrections in the feedback row format
  (``classify --format jsonl`` rows, see :mod:`filter.training.data`) that ``retrain --data FOLDER`` reads.

How feedback is written: one file per review session, ``FEEDBACK/review-<session>.jsonl``, replaced whole
on every save through a temporary file in the same folder, fsync and rename (then the folder is fsynced).
A rename is atomic, so ``retrain`` reading the folder at any moment sees either the previous save or the new
one, never half a file, and no lock is needed because no two sessions share a file. Replacing rather than
appending is deliberate: the page sends every row it shows on each save, so a second save supersedes the
first instead of duplicating its rows (duplicates would double-weight a correction, or keep a label the
reviewer later changed back). The page draws a new random session id each time a document set is opened.

Safety: the server binds to loopback unless started with ``allow_remote`` and a token (then every API call
needs ``Authorization: Bearer <token>``; the page and its static script hold no data and are served
without it, and the page asks for the token). Without a token, the ``Host`` header must name a loopback
address (a DNS-rebinding page cannot reach the API under another name), POST bodies must be
``application/json`` (which a cross-site form cannot send without a CORS preflight that is never granted),
and an ``Origin`` header, if present, must match the host. Bodies over ``max_body_bytes`` get 413. Every
response carries a strict Content-Security-Policy; the page renders all text with ``textContent``.

The model runs in a thread pool (``anyio.to_thread`` with a capacity limiter), so the event loop keeps
accepting and answering requests while a long article is classified.

The package: :mod:`.guard` (binding rules and the ASGI guard: host, origin, token, content type, size,
security headers), :mod:`.payloads` (request bodies and feedback rows validated, feedback files written;
no Starlette needed), :mod:`.app` (the app factory, its endpoints and :func:`run_server`). This
``__init__`` checks the ``serve`` extra before any of them is imported, so a missing extra is one message.
"""

from __future__ import annotations

__all__ = [
    "ServeDependencyError",
    "ServeConfigError",
    "MISSING_EXTRA",
    "DEFAULT_HOST",
    "DEFAULT_PORT",
    "DEFAULT_MAX_BODY_BYTES",
    "MIN_TOKEN_CHARS",
    "CSP",
    "create_app",
    "check_bind",
    "is_loopback",
    "feedback_file",
    "run_server",
]


class ServeDependencyError(ImportError):
    """``serve`` needs Starlette and uvicorn, which are the optional ``serve`` extra."""


MISSING_EXTRA = "serve needs the optional 'serve' extra: pip install 'article-filter[serve]'"

try:
    # Only checking that the extra is installed; the modules import what they use.
    import anyio  # noqa: F401
    import starlette.applications  # noqa: F401
    import starlette.responses  # noqa: F401
except ImportError as exc:  # pragma: no cover - exercised only without the extra
    raise ServeDependencyError(MISSING_EXTRA) from exc

# After the dependency check, so its message comes first.
from .app import DEFAULT_HOST, DEFAULT_MAX_BODY_BYTES, DEFAULT_PORT, create_app, run_server  # noqa: E402
from .guard import CSP, MIN_TOKEN_CHARS, ServeConfigError, check_bind, is_loopback  # noqa: E402
from .payloads import feedback_file  # noqa: E402
