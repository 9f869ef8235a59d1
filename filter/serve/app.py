"""The ASGI app of the service: :func:`create_app` wires the endpoints of :class:`_Endpoints` behind the
guard of :mod:`filter.serve.guard`; :func:`run_server` checks the bind and serves it with uvicorn.

See :mod:`filter.serve` for the endpoints, the feedback files and the safety model.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Awaitable, Callable, Sequence
from importlib import resources
from pathlib import Path
from typing import Any

import anyio
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from ..api import ArticleFilter
from ..types import LABELS, Paragraph
from .guard import LOOPBACK_NAMES, Guard, check_bind, error_response, host_name
from .payloads import ApiError, parse_json, read_body, texts_of, write_feedback

__all__ = [
    "DEFAULT_HOST",
    "DEFAULT_PORT",
    "DEFAULT_MAX_BODY_BYTES",
    "MODEL_THREADS",
    "create_app",
    "run_server",
]

log = logging.getLogger("filter.serve")

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8765
#: 4 MiB per request. A long news article is 10-100 KB of text (the largest page of the Dragnet 2013
#: corpus renders to 247k characters), so this holds a batch of dozens of articles, or a 200-row
#: ``uncertain`` file saved back with its probabilities and cues, while one request cannot make the server
#: hold more than a few MB of JSON (JSON parsing roughly triples it in memory).
DEFAULT_MAX_BODY_BYTES = 4 * 1024 * 1024
#: Parallel model calls. Feature extraction and the numpy passes hold the GIL for much of their time, so
#: more threads than cores only add memory per in-flight request; up to 4 lets a short request overlap
#: with a long one on a small machine.
MODEL_THREADS = max(1, min(4, os.cpu_count() or 1))

Endpoint = Callable[[Request], Awaitable[Response]]


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


def _api(handler: Callable[[Request], Awaitable[dict[str, Any]]]) -> Endpoint:
    """A JSON endpoint: the handler's dict as the reply, an :class:`ApiError` as ``{"error": ...}``."""

    async def endpoint(request: Request) -> Response:
        try:
            return JSONResponse(await handler(request))
        except ApiError as exc:
            return error_response(exc.status, exc.message)

    return endpoint


def _static_endpoint(body: bytes, media_type: str) -> Endpoint:
    async def endpoint(request: Request) -> Response:
        return Response(body, media_type=media_type)

    return endpoint


async def _http_error(request: Request, exc: Exception) -> Response:
    if isinstance(exc, HTTPException):
        message = {404: "no such endpoint", 405: "method not allowed here"}.get(exc.status_code, exc.detail)
        return error_response(exc.status_code, str(message), exc.headers)
    return error_response(500, "internal error")


async def _server_error(request: Request, exc: Exception) -> Response:
    # The traceback goes to the server log only; the client learns nothing about the internals.
    log.error("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
    return error_response(500, "internal error (see the server log)")


class _Endpoints:
    """The API endpoints over one model; the model runs in a thread pool of ``model_threads``."""

    def __init__(
        self, flt: ArticleFilter, feedback_dir: Path | None, *, max_body_bytes: int, model_threads: int
    ) -> None:
        self.flt = flt
        self.feedback_dir = feedback_dir
        self.max_body_bytes = max_body_bytes
        self.model_threads = model_threads
        self.info = _model_info(flt)
        self.model_sha: str = self.info["sha256"]
        self._limiter: anyio.CapacityLimiter | None = None  # created in the event loop on first use

    async def in_thread(self, fn: Callable[..., Any], *args: Any) -> Any:
        if self._limiter is None:
            self._limiter = anyio.CapacityLimiter(self.model_threads)
        return await anyio.to_thread.run_sync(fn, *args, limiter=self._limiter)

    async def payload_of(self, request: Request) -> Any:
        return await self.in_thread(parse_json, await read_body(request, self.max_body_bytes))

    async def clean(self, request: Request) -> dict[str, Any]:
        texts, batch = texts_of(await self.payload_of(request))
        cleaned: list[str] = await self.in_thread(self.flt.clean_many, texts)
        return {"clean_texts": cleaned} if batch else {"clean_text": cleaned[0]}

    async def classify(self, request: Request) -> dict[str, Any]:
        texts, batch = texts_of(await self.payload_of(request))
        docs: list[list[Paragraph]] = await self.in_thread(self.flt.classify_many, texts)
        rows = [[p.to_dict() for p in doc] for doc in docs]
        out: dict[str, Any] = {"documents": rows} if batch else {"paragraphs": rows[0]}
        out["model_sha256"] = self.model_sha
        return out

    async def feedback(self, request: Request) -> dict[str, Any]:
        if self.feedback_dir is None:
            raise ApiError(403, "saving is off: start the server with --feedback DIR")
        payload = await self.payload_of(request)
        result: dict[str, Any] = await self.in_thread(
            write_feedback, Path(self.feedback_dir), payload, self.model_sha
        )
        return result

    async def health(self, request: Request) -> Response:
        return JSONResponse(
            {
                "status": "ok",
                "model": self.info,
                "feedback": self.feedback_dir is not None,
                "max_body_bytes": self.max_body_bytes,
            }
        )

    def routes(self) -> list[Route]:
        page, script, style = _static("review.html"), _static("review.js"), _static("review.css")
        return [
            Route("/", _static_endpoint(page, "text/html; charset=utf-8"), methods=["GET"]),
            Route(
                "/static/review.js",
                _static_endpoint(script, "text/javascript; charset=utf-8"),
                methods=["GET"],
            ),
            Route("/static/review.css", _static_endpoint(style, "text/css; charset=utf-8"), methods=["GET"]),
            Route("/health", self.health, methods=["GET"]),
            Route("/clean", _api(self.clean), methods=["POST"]),
            Route("/classify", _api(self.classify), methods=["POST"]),
            Route("/feedback", _api(self.feedback), methods=["POST"]),
        ]


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
    endpoints = _Endpoints(filter, feedback_dir, max_body_bytes=max_body_bytes, model_threads=model_threads)
    hosts = (
        frozenset(host_name(h) for h in allowed_hosts)
        if allowed_hosts is not None
        else (LOOPBACK_NAMES if token is None else None)
    )
    app = Starlette(
        debug=False,
        routes=endpoints.routes(),
        exception_handlers={HTTPException: _http_error, Exception: _server_error},
    )
    app.add_middleware(Guard, token=token, allowed_hosts=hosts, max_body_bytes=max_body_bytes)
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
        allowed_hosts=None if token else sorted(LOOPBACK_NAMES | {host.lower()}),
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
