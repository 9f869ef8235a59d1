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
  (``classify --format jsonl`` rows, see :mod:`filter.data`) that ``retrain --data FOLDER`` reads.

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
"""

from __future__ import annotations

import hmac
import ipaddress
import json
import logging
import os
import re
import uuid
from collections.abc import Awaitable, Callable, Mapping, Sequence
from datetime import datetime, timezone
from importlib import resources
from pathlib import Path
from typing import Any

from .store import atomic_write_text, fsync_dir
from .types import LABELS, Label, Paragraph

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
    import anyio
    from starlette.applications import Starlette
    from starlette.datastructures import Headers, MutableHeaders
    from starlette.exceptions import HTTPException
    from starlette.requests import Request
    from starlette.responses import JSONResponse, Response
    from starlette.routing import Route
    from starlette.types import ASGIApp, Message, Receive, Scope, Send
except ImportError as exc:  # pragma: no cover - exercised only without the extra
    raise ServeDependencyError(MISSING_EXTRA) from exc

from .api import ArticleFilter  # noqa: E402 - after the dependency check, so its message comes first

log = logging.getLogger("filter.serve")

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8765
#: 4 MiB per request. A long news article is 10-100 KB of text (the largest page of the Dragnet 2013
#: corpus renders to 247k characters), so this holds a batch of dozens of articles, or a 200-row
#: ``uncertain`` file saved back with its probabilities and cues, while one request cannot make the server
#: hold more than a few MB of JSON (JSON parsing roughly triples it in memory).
DEFAULT_MAX_BODY_BYTES = 4 * 1024 * 1024
#: A bearer token shorter than this is refused: 16 URL-safe characters are ~96 bits, beyond online
#: guessing; ``secrets.token_urlsafe(24)`` gives 32.
MIN_TOKEN_CHARS = 16
#: Longest ``doc_id`` accepted in feedback: ids are file names or record ids, never kilobytes.
MAX_DOC_ID_CHARS = 1000
#: Parallel model calls. Feature extraction and the numpy passes hold the GIL for much of their time, so
#: more threads than cores only add memory per in-flight request; up to 4 lets a short request overlap
#: with a long one on a small machine.
MODEL_THREADS = max(1, min(4, os.cpu_count() or 1))

#: Scripts and styles only from this server, no inline script or style element, no framing, no forms
#: posting elsewhere; ``connect-src 'self'`` means the page can talk to nothing but this server.
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; "
    "base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)
_SECURITY_HEADERS = {
    "content-security-policy": CSP,
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "x-frame-options": "DENY",
    "cache-control": "no-store",
}
_PUBLIC_PATHS = frozenset({"/", "/static/review.js", "/static/review.css"})
_LOOPBACK_NAMES = frozenset({"localhost", "127.0.0.1", "::1", "[::1]"})
_SESSION_RE = re.compile(r"^[A-Za-z0-9_-]{8,64}$")
_SURROGATE_RE = re.compile("[\ud800-\udfff]")


class ServeConfigError(ValueError):
    """The server cannot be started as asked (non-loopback host without --allow-remote and a token, ...)."""


class _ApiError(Exception):
    """A client error with its HTTP status; the message is shown to the client as one line."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def _error(status: int, message: str, headers: Mapping[str, str] | None = None) -> JSONResponse:
    one_line = " ".join(str(message).split())[:500]
    return JSONResponse({"error": one_line}, status_code=status, headers=dict(headers or {}))


# ---------------------------------------------------------------------------------------------- binding
def is_loopback(host: str) -> bool:
    """True for ``localhost`` and any loopback IP (127.0.0.0/8, ::1)."""
    h = host.strip().lower()
    if h in _LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(h.strip("[]")).is_loopback
    except ValueError:
        return False


def check_bind(host: str, allow_remote: bool, token: str | None) -> None:
    """Refuse a non-loopback bind unless ``allow_remote`` and a long enough token are both given."""
    if token is not None and len(token) < MIN_TOKEN_CHARS:
        raise ServeConfigError(
            f"the token must have at least {MIN_TOKEN_CHARS} characters "
            "(e.g. python -c 'import secrets; print(secrets.token_urlsafe(24))')"
        )
    if is_loopback(host):
        return
    if not allow_remote:
        raise ServeConfigError(
            f"refusing to listen on {host}: the service has no login and serves only this machine by "
            "default; use --allow-remote --token T to accept other machines"
        )
    if token is None:
        raise ServeConfigError(f"--allow-remote on {host} needs --token T (sent as Authorization: Bearer T)")


# -------------------------------------------------------------------------------------------- guard
def _host_name(host_header: str) -> str:
    h = host_header.strip().lower()
    if h.startswith("["):
        return h[: h.find("]") + 1] if "]" in h else h
    return h.rsplit(":", 1)[0] if h.count(":") == 1 else h


class _Guard:
    """Pure ASGI middleware: host/origin/auth/content-type/size checks, and security headers on every reply.

    Pure ASGI (not ``BaseHTTPMiddleware``) so that it adds no task per request and sees 404s and errors too.
    """

    def __init__(
        self, app: ASGIApp, *, token: str | None, allowed_hosts: frozenset[str] | None, max_body_bytes: int
    ) -> None:
        self.app = app
        self.token = token
        self.allowed_hosts = allowed_hosts
        self.max_body_bytes = max_body_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_secured(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for k, v in _SECURITY_HEADERS.items():
                    headers[k] = v
            await send(message)

        problem = self._check(scope)
        if problem is not None:
            await problem(scope, receive, send_secured)
            return
        await self.app(scope, receive, send_secured)

    def _check(self, scope: Scope) -> Response | None:
        headers = Headers(scope=scope)
        host = _host_name(headers.get("host", ""))
        if self.allowed_hosts is not None and host not in self.allowed_hosts:
            return _error(403, f"host {host!r} is not served here (loopback only)")
        origin = headers.get("origin")
        if self.token is None and origin is not None and origin != "null":
            # The page's own requests carry Origin http://<host>; anything else is another site's page.
            o = origin.lower().split("://", 1)[-1].rstrip("/")
            if o != headers.get("host", "").strip().lower():
                return _error(403, "cross-origin requests are not accepted")
        path = scope.get("path", "")
        if self.token is not None and path not in _PUBLIC_PATHS:
            auth = headers.get("authorization", "")
            scheme, _, given = auth.partition(" ")
            ok = scheme.lower() == "bearer" and hmac.compare_digest(
                given.strip().encode(), self.token.encode()
            )
            if not ok:
                return _error(401, "missing or wrong bearer token", {"www-authenticate": "Bearer"})
        if scope.get("method") == "POST":
            ctype = headers.get("content-type", "").split(";", 1)[0].strip().lower()
            if ctype != "application/json":
                return _error(415, "send the body as JSON with Content-Type: application/json")
            length = headers.get("content-length")
            if length is not None:
                if not length.isdigit():
                    return _error(400, "bad Content-Length")
                if int(length) > self.max_body_bytes:
                    return _error(413, f"request body over the limit of {self.max_body_bytes} bytes")
        return None


# ------------------------------------------------------------------------------------------ validation
async def _read_body(request: Request, limit: int) -> bytes:
    """The body, refusing (413) as soon as more than ``limit`` bytes arrived (chunked bodies have no length)."""
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise _ApiError(413, f"request body over the limit of {limit} bytes")
        chunks.append(chunk)
    return b"".join(chunks)


def _parse_json(body: bytes) -> Any:
    if not body.strip():
        raise _ApiError(400, "empty body: send a JSON object")
    try:
        return json.loads(body.decode("utf-8"))
    except UnicodeDecodeError:
        raise _ApiError(400, "the body is not UTF-8") from None
    except json.JSONDecodeError as exc:
        raise _ApiError(400, f"bad JSON: {exc.msg} at line {exc.lineno} column {exc.colno}") from None
    except RecursionError:
        raise _ApiError(400, "bad JSON: nested too deeply") from None


def _check_text(value: Any, where: str) -> str:
    if not isinstance(value, str):
        raise _ApiError(422, f"{where} must be a string, got {_json_type(value)}")
    if _SURROGATE_RE.search(value):
        raise _ApiError(422, f"{where} contains an unpaired UTF-16 surrogate (not valid Unicode text)")
    return value


def _json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "an array"
    return "an object"


def _texts_of(payload: Any) -> tuple[list[str], bool]:
    """(texts, batch?) from ``{"text": s}`` or ``{"texts": [s, ...]}``; 422 for anything else."""
    if not isinstance(payload, dict):
        raise _ApiError(
            422, f'the body must be a JSON object like {{"text": "..."}}, got {_json_type(payload)}'
        )
    unknown = sorted(set(payload) - {"text", "texts"})
    if unknown:
        raise _ApiError(422, f"unknown field {unknown[0]!r} (expected 'text' or 'texts')")
    if ("text" in payload) == ("texts" in payload):
        raise _ApiError(422, "give exactly one of 'text' (a string) or 'texts' (an array of strings)")
    if "text" in payload:
        return [_check_text(payload["text"], "'text'")], False
    texts = payload["texts"]
    if not isinstance(texts, list):
        raise _ApiError(422, f"'texts' must be an array of strings, got {_json_type(texts)}")
    return [_check_text(t, f"'texts'[{i}]") for i, t in enumerate(texts)], True


def _int_field(row: Mapping[str, Any], key: str, where: str, *, required: bool) -> int | None:
    value = row.get(key)
    if value is None and not required:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise _ApiError(422, f"{where}: {key!r} must be a non-negative integer")
    return value


def _feedback_row(row: Any, i: int, model_sha: str) -> dict[str, Any]:
    """One validated feedback row, in the field order ``classify --format jsonl`` writes (plus review fields).

    Only known fields are kept, each checked for its type, so a hostile page cannot smuggle anything into the
    training data that ``retrain`` would trip over later.
    """
    where = f"rows[{i}]"
    if not isinstance(row, dict):
        raise _ApiError(422, f"{where} must be an object")
    doc_id = _check_text(row.get("doc_id"), f"{where}.doc_id")
    if not doc_id.strip() or len(doc_id) > MAX_DOC_ID_CHARS:
        raise _ApiError(422, f"{where}.doc_id must be a non-empty string of at most {MAX_DOC_ID_CHARS} chars")
    text = _check_text(row.get("text"), f"{where}.text")
    if not text.strip():
        raise _ApiError(422, f"{where}.text is empty")
    try:
        label = Label.parse(_check_text(row.get("label"), f"{where}.label"))
    except ValueError as exc:
        raise _ApiError(422, f"{where}: {exc}") from None
    out: dict[str, Any] = {"doc_id": doc_id, "index": _int_field(row, "index", where, required=True)}
    for key in ("start", "end"):
        value = _int_field(row, key, where, required=False)
        if value is not None:
            out[key] = value
    out["text"] = text
    out["label"] = label.value
    probs = row.get("probabilities")
    if probs is not None:
        if not isinstance(probs, dict) or not all(
            k in {lab.value for lab in LABELS}
            and isinstance(v, (int, float))
            and not isinstance(v, bool)
            and 0.0 <= float(v) <= 1.0
            for k, v in probs.items()
        ):
            raise _ApiError(422, f"{where}.probabilities must map label names to numbers in [0, 1]")
    if probs:  # rows opened from training data have none: then neither field is written
        out["probability"] = round(float(probs.get(label.value, 0.0)), 6)
        out["probabilities"] = {k: round(float(v), 6) for k, v in probs.items()}
    cues = row.get("cues")
    if cues is not None:
        if not isinstance(cues, list):
            raise _ApiError(422, f"{where}.cues must be an array of strings")
        out["cues"] = [_check_text(c, f"{where}.cues[{k}]") for k, c in enumerate(cues)]
    guess = row.get("model_label")
    if guess is not None:
        try:
            out["model_label"] = Label.parse(_check_text(guess, f"{where}.model_label")).value
        except ValueError as exc:
            raise _ApiError(422, f"{where}.model_label: {exc}") from None
    out["reviewed"] = True
    if model_sha:
        out["model_sha256"] = model_sha
    return out


def feedback_file(feedback_dir: Path, session: str) -> Path:
    """Where a review session's corrections are saved (see the module docstring for why one per session)."""
    if not _SESSION_RE.match(session):
        raise ValueError(f"bad session id {session!r}")
    return feedback_dir / f"review-{session}.jsonl"


def _write_feedback(feedback_dir: Path, payload: Any, model_sha: str) -> dict[str, Any]:
    if not isinstance(payload, dict):
        raise _ApiError(
            422, f'the body must be a JSON object like {{"rows": [...]}}, got {_json_type(payload)}'
        )
    unknown = sorted(set(payload) - {"session", "rows"})
    if unknown:
        raise _ApiError(422, f"unknown field {unknown[0]!r} (expected 'session' and 'rows')")
    session = payload.get("session")
    if session is None:
        session = uuid.uuid4().hex
    if not isinstance(session, str) or not _SESSION_RE.match(session):
        raise _ApiError(422, "'session' must be 8-64 characters from A-Z a-z 0-9 _ -")
    rows = payload.get("rows")
    if not isinstance(rows, list) or not rows:
        raise _ApiError(422, "'rows' must be a non-empty array of feedback rows")
    checked = [_feedback_row(r, i, model_sha) for i, r in enumerate(rows)]
    seen: set[tuple[str, int]] = set()
    for i, r in enumerate(checked):
        key = (r["doc_id"], r["index"])
        if key in seen:
            raise _ApiError(422, f"rows[{i}]: paragraph {r['index']} of {r['doc_id']!r} appears twice")
        seen.add(key)
    stamp = datetime.now(timezone.utc).isoformat(timespec="seconds")
    for r in checked:
        r["reviewed_at"] = stamp
    path = feedback_file(feedback_dir, session)
    feedback_dir.mkdir(parents=True, exist_ok=True)
    atomic_write_text(path, "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in checked))
    fsync_dir(feedback_dir)
    changed = sum(1 for r in checked if r.get("model_label") not in (None, r["label"]))
    return {"saved": len(checked), "changed": changed, "file": path.name, "session": session}


# --------------------------------------------------------------------------------------------- the app
def _static(name: str) -> bytes:
    return resources.files("filter").joinpath("static", name).read_bytes()


def _model_info(flt: ArticleFilter) -> dict[str, Any]:
    card = flt.card
    reg = card.get("registry")
    metrics = card.get("metrics")
    return {
        "source": flt.source or "shipped default model",
        "version": reg.get("version") if isinstance(reg, dict) else None,
        "sha256": str(card.get("sha256", "")),
        "created": card.get("created"),
        "min_core_probability": flt.config.min_core_probability,
        "macro_f1": metrics.get("macro_f1") if isinstance(metrics, dict) else None,
        "labels": [lab.value for lab in LABELS],
    }


def create_app(
    filter: ArticleFilter,  # noqa: A002 - the name the callers use
    feedback_dir: Path | None,
    *,
    token: str | None,
    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES,
    allowed_hosts: Sequence[str] | None = None,
    model_threads: int = MODEL_THREADS,
) -> Starlette:
    """The ASGI app. ``feedback_dir=None`` turns saving off (``POST /feedback`` answers 403).

    ``allowed_hosts``: ``Host`` names accepted (default: the loopback names when there is no token, any host
    with a token, which then guards every API call).
    """
    if max_body_bytes < 1:
        raise ValueError("max_body_bytes must be positive")
    flt = filter
    info = _model_info(flt)
    model_sha = info["sha256"]
    page, script, style = _static("review.html"), _static("review.js"), _static("review.css")
    limiter: list[anyio.CapacityLimiter] = []  # created in the event loop on first use

    async def in_thread(fn: Callable[..., Any], *args: Any) -> Any:
        if not limiter:
            limiter.append(anyio.CapacityLimiter(model_threads))
        return await anyio.to_thread.run_sync(fn, *args, limiter=limiter[0])

    async def payload_of(request: Request) -> Any:
        return await in_thread(_parse_json, await _read_body(request, max_body_bytes))

    def api(
        handler: Callable[[Request], Awaitable[dict[str, Any]]],
    ) -> Callable[[Request], Awaitable[Response]]:
        async def endpoint(request: Request) -> Response:
            try:
                return JSONResponse(await handler(request))
            except _ApiError as exc:
                return _error(exc.status, exc.message)

        return endpoint

    async def clean(request: Request) -> dict[str, Any]:
        texts, batch = _texts_of(await payload_of(request))
        cleaned: list[str] = await in_thread(flt.clean_many, texts)
        return {"clean_texts": cleaned} if batch else {"clean_text": cleaned[0]}

    async def classify(request: Request) -> dict[str, Any]:
        texts, batch = _texts_of(await payload_of(request))
        docs: list[list[Paragraph]] = await in_thread(flt.classify_many, texts)
        rows = [[p.to_dict() for p in doc] for doc in docs]
        out: dict[str, Any] = {"documents": rows} if batch else {"paragraphs": rows[0]}
        out["model_sha256"] = model_sha
        return out

    async def feedback(request: Request) -> dict[str, Any]:
        if feedback_dir is None:
            raise _ApiError(403, "saving is off: start the server with --feedback DIR")
        payload = await payload_of(request)
        result: dict[str, Any] = await in_thread(_write_feedback, Path(feedback_dir), payload, model_sha)
        return result

    async def health(request: Request) -> Response:
        return JSONResponse(
            {
                "status": "ok",
                "model": info,
                "feedback": feedback_dir is not None,
                "max_body_bytes": max_body_bytes,
            }
        )

    def static(body: bytes, media_type: str) -> Callable[[Request], Awaitable[Response]]:
        async def endpoint(request: Request) -> Response:
            return Response(body, media_type=media_type)

        return endpoint

    async def http_error(request: Request, exc: Exception) -> Response:
        if isinstance(exc, HTTPException):
            message = {404: "no such endpoint", 405: "method not allowed here"}.get(
                exc.status_code, exc.detail
            )
            return _error(exc.status_code, str(message), exc.headers)
        return _error(500, "internal error")

    async def server_error(request: Request, exc: Exception) -> Response:
        # The traceback goes to the server log only; the client learns nothing about the internals.
        log.error("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
        return _error(500, "internal error (see the server log)")

    routes = [
        Route("/", static(page, "text/html; charset=utf-8"), methods=["GET"]),
        Route("/static/review.js", static(script, "text/javascript; charset=utf-8"), methods=["GET"]),
        Route("/static/review.css", static(style, "text/css; charset=utf-8"), methods=["GET"]),
        Route("/health", health, methods=["GET"]),
        Route("/clean", api(clean), methods=["POST"]),
        Route("/classify", api(classify), methods=["POST"]),
        Route("/feedback", api(feedback), methods=["POST"]),
    ]
    hosts = (
        frozenset(_host_name(h) for h in allowed_hosts)
        if allowed_hosts is not None
        else (_LOOPBACK_NAMES if token is None else None)
    )
    app = Starlette(
        debug=False,
        routes=routes,
        exception_handlers={HTTPException: http_error, Exception: server_error},
    )
    app.add_middleware(_Guard, token=token, allowed_hosts=hosts, max_body_bytes=max_body_bytes)
    return app


def run_server(
    flt: ArticleFilter,
    *,
    host: str = DEFAULT_HOST,
    port: int = DEFAULT_PORT,
    feedback_dir: Path | None = None,
    allow_remote: bool = False,
    token: str | None = None,
    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES,
) -> None:
    """Check the bind (:func:`check_bind`), then serve with uvicorn until interrupted."""
    import uvicorn

    check_bind(host, allow_remote, token)
    app = create_app(
        flt,
        feedback_dir,
        token=token,
        max_body_bytes=max_body_bytes,
        allowed_hosts=None if token else sorted(_LOOPBACK_NAMES | {host.lower()}),
    )
    # limit_concurrency: beyond 64 open requests uvicorn answers 503 at once rather than queueing without
    # bound (each in-flight request may hold up to max_body_bytes). server_header off: no version banner.
    config = uvicorn.Config(
        app,
        host=host,
        port=port,
        log_level="info",
        access_log=False,
        server_header=False,
        proxy_headers=False,
        limit_concurrency=64,
        timeout_keep_alive=5,
    )
    uvicorn.Server(config).run()
