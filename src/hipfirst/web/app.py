"""The FastAPI application factory.

``create_app(settings)`` opens the database, refuses an out-of-date schema
(:class:`~hipfirst.errors.SchemaOutOfDateError`, telling the user to
run ``hipfirst db upgrade``), and wires middleware, error pages and the
routers in ``web/routes/``. To add a page, see ``docs/web.md``.

Every error page, an unexpected 500 included, carries the security headers: a
500 is answered by Starlette's outermost middleware, outside ours, so
:func:`_server_error` adds them itself.
"""

from __future__ import annotations

import logging
from pathlib import Path
from urllib.parse import quote

from fastapi import Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.sessions import SessionMiddleware

from hipfirst import __version__
from hipfirst.errors import LoginRequiredError
from hipfirst.settings import Settings
from hipfirst.storage.database import make_engine, make_sessionmaker
from hipfirst.storage.migrate import check_current
from hipfirst.web.deps import csrf_protect
from hipfirst.web.headers import BodySizeLimitMiddleware, SecurityHeadersMiddleware, headers_for
from hipfirst.web.routes import ROUTERS
from hipfirst.web.templating import is_htmx, render

STATIC_DIR = Path(__file__).resolve().parent / "static"
SESSION_COOKIE = "hipfirst_session"
MIRROR_RUNTIME_PATH = "/static/mediapipe"
"""Where the live mirror's page finds ``@mediapipe/pose`` (settings.mirror_runtime_dir)."""


def create_app(settings: Settings) -> FastAPI:
    """The web app for ``settings``; raises if the database schema is not current."""
    engine = make_engine(settings.database_url)
    check_current(engine)

    app = FastAPI(
        title="hipfirst",
        version=__version__,
        docs_url=None,
        redoc_url=None,
        openapi_url=None,
        dependencies=[Depends(csrf_protect)],
    )
    app.state.settings = settings
    app.state.engine = engine
    app.state.sessionmaker = make_sessionmaker(engine)

    # Starlette wraps in reverse: the last added (security headers) is the outermost,
    # so even a 413 from the size guard carries them.
    app.add_middleware(
        SessionMiddleware,
        secret_key=settings.secret_key.get_secret_value(),
        session_cookie=SESSION_COOKIE,
        max_age=settings.session_max_age_s,
        same_site="lax",
        https_only=settings.secure_cookies,
    )
    app.add_middleware(BodySizeLimitMiddleware, limit=settings.max_upload_bytes)
    app.add_middleware(SecurityHeadersMiddleware, hsts=settings.secure_cookies)

    if settings.mirror_runtime_dir.is_dir():  # the live mirror's pose runtime (npm package)
        runtime = StaticFiles(directory=settings.mirror_runtime_dir)
        app.mount(MIRROR_RUNTIME_PATH, runtime, name="mediapipe")
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    for router in ROUTERS:
        app.include_router(router)

    app.add_exception_handler(LoginRequiredError, _login_required)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(RequestValidationError, _malformed_request)
    app.add_exception_handler(Exception, _server_error)
    return app


SERVER_ERROR_PAGE = (
    '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Something went '
    'wrong · hipfirst</title><link rel="stylesheet" href="/static/style.css"></head><body>'
    "<main><h1>Something went wrong</h1><p>hipfirst could not answer this request. Nothing was "
    "changed by the part that failed; go back and try again, and tell your administrator if "
    'it happens again.</p><p><a href="/">Back to the start page</a></p></main></body></html>'
)


async def _server_error(request: Request, exc: Exception) -> Response:
    """An unexpected error: logged with its traceback, answered with a plain page and headers."""
    logging.getLogger("hipfirst.web").error(
        "unexpected error on %s %s", request.method, request.url.path, exc_info=exc
    )
    settings: Settings = request.app.state.settings
    headers = {
        name.decode(): value.decode()
        for name, value in headers_for(request.scope, hsts=settings.secure_cookies)
    }
    return HTMLResponse(SERVER_ERROR_PAGE, status_code=500, headers=headers)


async def _login_required(request: Request, _exc: Exception) -> Response:
    target = "/login"
    if request.method == "GET":
        target += "?next=" + quote(request.url.path + _query(request), safe="/")
    if is_htmx(request):
        return Response(status_code=401, headers={"HX-Redirect": target})
    return RedirectResponse(target, status_code=303)


def _query(request: Request) -> str:
    return f"?{request.url.query}" if request.url.query else ""


TITLES = {
    400: "Request not understood",
    403: "Not allowed",
    404: "Not found",
    405: "Not allowed",
    413: "Upload too large",
    429: "Too many attempts",
}


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)
    title = TITLES.get(exc.status_code, "Something went wrong")
    detail = exc.detail if isinstance(exc.detail, str) else title
    return render(
        request,
        "error.html",
        {"title": title, "detail": detail, "status": exc.status_code},
        status_code=exc.status_code,
        block="content" if is_htmx(request) else None,
    )


async def _malformed_request(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    # Path ids that are not numbers name nothing that exists.
    if any(error.get("loc", ("",))[0] == "path" for error in exc.errors()):
        return await _http_error(request, StarletteHTTPException(404, "No such page."))
    return await _http_error(
        request,
        StarletteHTTPException(400, "The request was incomplete. Go back and try again."),
    )
