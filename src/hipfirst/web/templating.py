"""Jinja2 rendering: one base layout with named blocks, whole pages or single blocks.

``render(request, "page.html", {...})`` gives the full page; pass
``block="name"`` to render just that block (what an HTMX request swaps in).
Every template sees ``current_user``, ``csrf_token`` and ``flashes``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.templating import Jinja2Templates
from starlette.responses import HTMLResponse

from hipfirst.web.deps import csrf_token
from hipfirst.web.forms import shown_problems

TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"


def flash(request: Request, message: str) -> None:
    """Show ``message`` once, on the next page this browser renders."""
    request.session["flashes"] = [*request.session.get("flashes", []), message]


def _common_context(request: Request) -> dict[str, Any]:
    return {
        "current_user": getattr(request.state, "user", None),
        "csrf_token": csrf_token(request),
        "flashes": request.session.pop("flashes", []),
    }


templates = Jinja2Templates(directory=TEMPLATES_DIR, context_processors=[_common_context])
templates.env.globals["app_name"] = "hipfirst"
templates.env.globals["shown_problems"] = shown_problems


def render(
    request: Request,
    name: str,
    context: dict[str, Any] | None = None,
    *,
    status_code: int = 200,
    block: str | None = None,
) -> HTMLResponse:
    """Render a template (or one of its blocks) to an HTML response."""
    if block is None:
        return templates.TemplateResponse(request, name, context or {}, status_code=status_code)
    template = templates.env.get_template(name)
    full = {"request": request, **_common_context(request), **(context or {})}
    body = "".join(template.blocks[block](template.new_context(full)))
    return HTMLResponse(body, status_code=status_code)


def is_htmx(request: Request) -> bool:
    return request.headers.get("hx-request") == "true"
