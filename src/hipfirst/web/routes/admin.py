"""Account management for admins: create accounts, deactivate them, set a new password.

Admins see names, e-mail addresses and roles only, never clinical records.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from hipfirst.application import accounts
from hipfirst.errors import InputError, InputValidationError
from hipfirst.storage.models import Role, User
from hipfirst.web.deps import AdminUser, DbSession
from hipfirst.web.templating import flash, render

router = APIRouter(prefix="/admin")


@router.get("/accounts")
def accounts_page(request: Request, db: DbSession, admin: AdminUser) -> Response:
    return _page(request, db, form={"email": "", "name": "", "role": "clinician"}, errors={})


@router.post("/accounts")
def create_account(
    request: Request,
    db: DbSession,
    admin: AdminUser,
    email: Annotated[str, Form()] = "",
    name: Annotated[str, Form()] = "",
    role: Annotated[str, Form()] = "",
    password: Annotated[str, Form()] = "",
) -> Response:
    email, name = email.strip().lower(), name.strip()
    try:
        accounts.create_account(db, email, name, role, password)
    except InputValidationError as error:
        form = {"email": email, "name": name, "role": role}
        errors = {problem.location: problem.message for problem in error.errors}
        return _page(request, db, form=form, errors=errors, status_code=400)
    flash(request, f"Created the {role} account {email}.")
    return RedirectResponse("/admin/accounts", status_code=303)


def _account(db: Session, user_id: int) -> User:
    account = db.get(User, user_id)
    if account is None:
        raise HTTPException(status_code=404, detail="No such account.")
    return account


@router.post("/accounts/{user_id}/active")
def set_active(
    request: Request,
    db: DbSession,
    admin: AdminUser,
    user_id: int,
    active: Annotated[str, Form()] = "",
) -> Response:
    account = _account(db, user_id)
    if active not in ("true", "false"):
        raise HTTPException(status_code=400, detail="active must be true or false.")
    try:
        accounts.set_active(db, admin, account, active == "true")
    except InputError as error:
        raise HTTPException(status_code=400, detail=str(error)) from None
    state = "reactivated" if account.active else "deactivated"
    flash(request, f"{account.email} {state}.")
    return RedirectResponse("/admin/accounts", status_code=303)


@router.post("/accounts/{user_id}/password")
def set_password(
    request: Request,
    db: DbSession,
    admin: AdminUser,
    user_id: int,
    password: Annotated[str, Form()] = "",
) -> Response:
    """Give an account a new password (e.g. forgotten); its failed sign-ins are forgiven."""
    account = _account(db, user_id)
    try:
        accounts.set_password(db, account, password)
    except InputError as error:
        raise HTTPException(status_code=400, detail=str(error)) from None
    flash(request, f"New password set for {account.email}; give it to them in a safe way.")
    return RedirectResponse("/admin/accounts", status_code=303)


def _page(
    request: Request,
    db: Session,
    *,
    form: dict[str, str],
    errors: dict[str, str],
    status_code: int = 200,
) -> Response:
    users = db.scalars(select(User).order_by(User.role, User.email)).all()
    context = {"users": users, "form": form, "errors": errors, "roles": [r.value for r in Role]}
    return render(request, "admin/accounts.html", context, status_code=status_code)
