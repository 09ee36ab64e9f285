"""Signing in and out, and the front door that sends each role to its home page."""

from __future__ import annotations

import secrets
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import select

from hipfirst.storage.models import Role, User, utcnow
from hipfirst.web import ratelimit
from hipfirst.web.audit import client_ip
from hipfirst.web.deps import AppSettings, CurrentUser, DbSession
from hipfirst.web.passwords import hash_password, needs_rehash, verify_password
from hipfirst.web.templating import render

router = APIRouter()

HOME_BY_ROLE = {Role.clinician: "/patients", Role.patient: "/me", Role.admin: "/admin/accounts"}
BAD_LOGIN = "Wrong e-mail address or password."
RATE_LIMITED = (
    "Too many failed sign-ins for this account or from this network. "
    "Wait {minutes} minutes and try again."
)


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
    ip = client_ip(request)
    now = utcnow()
    context = {"next": _safe_next(next), "email": email}
    if ratelimit.is_blocked(db, settings, email, ip, now):
        db.commit()
        minutes = settings.login_window_s // 60
        error = RATE_LIMITED.format(minutes=minutes)
        return render(request, "login.html", {**context, "error": error}, status_code=429)
    user = db.scalar(select(User).where(User.email == email))
    valid = verify_password(user.password_hash if user else None, password)
    if user is None or not valid or not user.active:
        ratelimit.record_failure(db, email, ip, now)
        db.commit()
        return render(request, "login.html", {**context, "error": BAD_LOGIN}, status_code=400)
    ratelimit.clear_failures(db, email)
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    db.commit()
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
