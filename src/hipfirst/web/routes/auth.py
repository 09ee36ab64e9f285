"""Signing in and out, and the front door that sends each role to its home page.

Signing in starts a server-side session (its token in the signed cookie) and a
fresh cookie, so nothing from before survives (fixation); signing out deletes
the session, so every copy of the cookie stops working. Both, and every failed
or blocked sign-in, are audited.
"""

from __future__ import annotations

import secrets
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from hipfirst.application.accounts import sign_in
from hipfirst.errors import SignInError
from hipfirst.storage import sessions
from hipfirst.storage.models import Role, utcnow
from hipfirst.web.audit import client_ip, record_event
from hipfirst.web.deps import SESSION_KEY, AppSettings, CurrentUser, DbSession, optional_user
from hipfirst.web.templating import render

router = APIRouter()

HOME_BY_ROLE = {Role.clinician: "/patients", Role.patient: "/me", Role.admin: "/admin/accounts"}


@router.get("/")
def home(user: CurrentUser) -> Response:
    return RedirectResponse(HOME_BY_ROLE[user.role], status_code=303)


@router.get("/login")
def login_form(request: Request, next: str = "") -> Response:
    return render(request, "login.html", {"next": _safe_next(next), "email": "", "error": None})


@router.post("/login")
def login(
    request: Request,
    db: DbSession,
    settings: AppSettings,
    email: Annotated[str, Form()] = "",
    password: Annotated[str, Form()] = "",
    next: Annotated[str, Form()] = "",
) -> Response:
    email = email.strip().lower()
    context = {"next": _safe_next(next), "email": email}
    now = utcnow()
    try:
        user = sign_in(db, settings, email, password, client_ip(request), now)
    except SignInError as error:
        status = 429 if error.blocked else 400
        shown = f"{email[:254]}{' (blocked: too many failures)' if error.blocked else ''}"
        record_event(request, None, "sign_in_failed", target=shown)
        return render(request, "login.html", {**context, "error": str(error)}, status_code=status)
    # A fresh session on sign-in: nothing from before (fixation) survives.
    sessions.end(db, request.session.get(SESSION_KEY))
    request.session.clear()
    request.session[SESSION_KEY] = sessions.start(
        db, user, max_age_s=settings.session_max_age_s, now=now, ip=client_ip(request)
    )
    request.session["csrf"] = secrets.token_urlsafe(32)
    record_event(request, user, "sign_in", target=email)
    return RedirectResponse(_safe_next(next) or HOME_BY_ROLE[user.role], status_code=303)


@router.post("/logout")
def logout(request: Request, db: DbSession) -> Response:
    """End this session everywhere: a copy of the cookie is signed out too."""
    user = optional_user(request, db)
    sessions.end(db, request.session.get(SESSION_KEY))
    request.session.clear()
    if user is not None:
        record_event(request, user, "sign_out")
    return RedirectResponse("/login", status_code=303)


def _safe_next(target: str) -> str:
    """Only same-site paths; anything else (``//evil``, ``https://…``) becomes empty."""
    if target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return ""
