"""Security headers on every response, and the request-size guard for uploads.

Every response carries :data:`SECURITY_HEADERS`; every response outside
``/static`` also carries ``Cache-Control: no-store`` (patient pages, charts,
exports and result files must not stay in a shared computer's cache or a
proxy); HSTS is sent when the request came over HTTPS (or secure cookies are
configured, for a TLS proxy whose scheme header is not trusted).
"""

from __future__ import annotations

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

# No inline scripts or styles anywhere: HTMX is loaded from /static and its
# inline indicator styles are switched off in the base layout.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "media-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; "
    "frame-ancestors 'none'"
)

SECURITY_HEADERS: tuple[tuple[bytes, bytes], ...] = (
    (b"content-security-policy", CONTENT_SECURITY_POLICY.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"same-origin"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"permissions-policy", b"geolocation=(), microphone=(), camera=(self)"),
)


HSTS = (b"strict-transport-security", b"max-age=31536000")
NO_STORE = (b"cache-control", b"no-store")
STATIC_PREFIX = "/static/"


def headers_for(scope: Scope, *, hsts: bool) -> list[tuple[bytes, bytes]]:
    """The security headers a response to this request gets (see the module docstring)."""
    headers = list(SECURITY_HEADERS)
    if hsts or scope.get("scheme") == "https":
        headers.append(HSTS)
    if not str(scope.get("path", "")).startswith(STATIC_PREFIX):
        headers.append(NO_STORE)
    return headers


class SecurityHeadersMiddleware:
    """Adds :func:`headers_for` to every HTTP response (a header the app set itself wins)."""

    def __init__(self, app: ASGIApp, *, hsts: bool) -> None:
        self.app = app
        self.hsts = hsts

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        wanted = headers_for(scope, hsts=self.hsts)

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                present = {name.lower() for name, _ in message.get("headers", [])}
                extra = [(name, value) for name, value in wanted if name not in present]
                message["headers"] = [*message.get("headers", []), *extra]
            await send(message)

        await self.app(scope, receive, send_with_headers)


class BodySizeLimitMiddleware:
    """Refuses requests whose body is larger than ``limit`` bytes with 413.

    Checks the declared Content-Length first and then counts what actually
    arrives, so a chunked upload cannot slip past the limit.
    """

    def __init__(self, app: ASGIApp, *, limit: int) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        for name, value in scope.get("headers", []):
            if name == b"content-length" and value.isdigit() and int(value) > self.limit:
                await self._refuse(send)
                return
        received = 0

        async def counting_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.limit:
                    raise _TooLarge()
            return message

        try:
            await self.app(scope, counting_receive, send)
        except _TooLarge:
            await self._refuse(send)

    async def _refuse(self, send: Send) -> None:
        megabytes = self.limit // (1024 * 1024)
        body = f"Upload too large: the limit is {megabytes} MB.".encode()
        await send(
            {
                "type": "http.response.start",
                "status": 413,
                "headers": [
                    (b"content-type", b"text/plain; charset=utf-8"),
                    (b"content-length", str(len(body)).encode()),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})


class _TooLarge(HTTPException):
    """Raised mid-body; an HTTPException so FastAPI's body parser passes it through."""

    def __init__(self) -> None:
        super().__init__(status_code=413, detail="The upload is larger than the size limit.")
