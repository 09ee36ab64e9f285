"""Signing in and out, and the front door that sends each role to its home page."""

from __future__ import annotations

import secrets
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from hipfirst.application.accounts import sign_in
from hipfirst.errors import SignInError
from hipfirst.storage.models import Role, utcnow
from hipfirst.web.audit import client_ip
from hipfirst.web.deps import AppSettings, CurrentUser, DbSession
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
    try:
        user = sign_in(db, settings, email, password, client_ip(request), utcnow())
    except SignInError as error:
        status = 429 if error.blocked else 400
        return render(request, "login.html", {**context, "error": str(error)}, status_code=status)
    # A fresh session on sign-in: nothing from before (fixation) survives.
    request.session.clear()
    request.session["uid"] = user.id
    request.session["csrf"] = secrets.token_urlsafe(32)
    return RedirectResponse(_safe_next(next) or HOME_BY_ROLE[user.role], status_code=303)


@router.post("/logout")
def logout(request: Request) -> Response:
    request.session.clear()
    return RedirectResponse("/login", status_code=303)


def _safe_next(target: str) -> str:
    """Only same-site paths; anything else (``//evil``, ``https://…``) becomes empty."""
    if target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return ""
