"""Jinja2 rendering: one base layout with named blocks, whole pages or single blocks.

``render(request, "page.html", {...})`` gives the full page; pass
``block="name"`` to render just that block (what an HTMX request swaps in).
Every template sees ``current_user``, ``csrf_token`` and ``flashes``.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.templating import Jinja2Templates
from jinja2 import pass_context
from jinja2.runtime import Context
from markupsafe import Markup
from starlette.responses import HTMLResponse

from hipfirst.knowledge.loader import knowledge_base
from hipfirst.web.deps import csrf_token
from hipfirst.web.forms import shown_problems
from hipfirst.web.plain_words import Glossary, glossary_for

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


def _glossary(context: Context) -> Glossary:
    """The page's glossary (with its patient's findings) or the knowledge base's."""
    found = context.get("glossary")
    return found if isinstance(found, Glossary) else glossary_for(knowledge_base())


@pass_context
def _plain(context: Context, text: object) -> Markup:
    """``{{ text|plain }}``: ids as plain names, sources as links (web/plain_words.py)."""
    return _glossary(context).plain(text)


@pass_context
def _sources(context: Context, ids: Iterable[str]) -> Markup:
    """``{{ sources(ids) }}``: ``Gokeler 2017, Welling 2018`` linked to the references page."""
    return _glossary(context).cite(ids)


templates.env.globals["app_name"] = "hipfirst"
templates.env.globals["shown_problems"] = shown_problems
templates.env.globals["sources"] = _sources
templates.env.filters["plain"] = _plain


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
