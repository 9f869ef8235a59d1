"""The service's gatekeeping: where it may listen (:func:`check_bind`) and the ASGI guard in front of every
request (host, origin, bearer token, content type, body size) that also stamps the security headers.

See :mod:`filter.serve` for the safety model these implement.
"""

from __future__ import annotations

import hmac
import ipaddress
from collections.abc import Mapping

from starlette.datastructures import Headers, MutableHeaders
from starlette.responses import JSONResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

__all__ = ["CSP", "MIN_TOKEN_CHARS", "LOOPBACK_NAMES", "ServeConfigError", "Guard", "check_bind",
           "error_response", "host_name", "is_loopback"]  # fmt: skip

#: A bearer token shorter than this is refused: 16 URL-safe characters are ~96 bits, beyond online
#: guessing; ``secrets.token_urlsafe(24)`` gives 32.
MIN_TOKEN_CHARS = 16

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
LOOPBACK_NAMES = frozenset({"localhost", "127.0.0.1", "::1", "[::1]"})


class ServeConfigError(ValueError):
    """The server cannot be started as asked (non-loopback host without --allow-remote and a token, ...)."""


def error_response(status: int, message: str, headers: Mapping[str, str] | None = None) -> JSONResponse:
    one_line = " ".join(str(message).split())[:500]
    return JSONResponse({"error": one_line}, status_code=status, headers=dict(headers or {}))


# ---------------------------------------------------------------------------------------------- binding
def is_loopback(host: str) -> bool:
    """True for ``localhost`` and any loopback IP (127.0.0.0/8, ::1)."""
    h = host.strip().lower()
    if h in LOOPBACK_NAMES:
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
def host_name(host_header: str) -> str:
    h = host_header.strip().lower()
    if h.startswith("["):
        return h[: h.find("]") + 1] if "]" in h else h
    return h.rsplit(":", 1)[0] if h.count(":") == 1 else h


class Guard:
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
        host = host_name(headers.get("host", ""))
        if self.allowed_hosts is not None and host not in self.allowed_hosts:
            return error_response(403, f"host {host!r} is not served here (loopback only)")
        origin = headers.get("origin")
        if self.token is None and origin is not None and origin != "null":
            # The page's own requests carry Origin http://<host>; anything else is another site's page.
            o = origin.lower().split("://", 1)[-1].rstrip("/")
            if o != headers.get("host", "").strip().lower():
                return error_response(403, "cross-origin requests are not accepted")
        path = scope.get("path", "")
        if self.token is not None and path not in _PUBLIC_PATHS:
            auth = headers.get("authorization", "")
            scheme, _, given = auth.partition(" ")
            ok = scheme.lower() == "bearer" and hmac.compare_digest(
                given.strip().encode(), self.token.encode()
            )
            if not ok:
                return error_response(401, "missing or wrong bearer token", {"www-authenticate": "Bearer"})
        if scope.get("method") == "POST":
            ctype = headers.get("content-type", "").split(";", 1)[0].strip().lower()
            if ctype != "application/json":
                return error_response(415, "send the body as JSON with Content-Type: application/json")
            length = headers.get("content-length")
            if length is not None:
                if not length.isdigit():
                    return error_response(400, "bad Content-Length")
                if int(length) > self.max_body_bytes:
                    return error_response(413, f"request body over the limit of {self.max_body_bytes} bytes")
        return None
