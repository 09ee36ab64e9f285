"""Account management for admins: create accounts, deactivate them, set a new password.

Admins see names, e-mail addresses and roles only, never clinical records.
"""

from __future__ import annotations

import re
from typing import Annotated

from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from hipfirst.storage.models import Role, User
from hipfirst.web.deps import AdminUser, DbSession
from hipfirst.web.passwords import hash_password, password_problem
from hipfirst.web.ratelimit import clear_failures
from hipfirst.web.templating import flash, render

router = APIRouter(prefix="/admin")

EMAIL_PATTERN = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
MAX_NAME_LENGTH = 120


def account_form_errors(
    db: Session, email: str, name: str, role: str, password: str
) -> dict[str, str]:
    """Problems with a new account, keyed by form field (empty when it can be created)."""
    errors: dict[str, str] = {}
    if not EMAIL_PATTERN.match(email):
        errors["email"] = f"{email!r} is not an e-mail address (name@example.org)"
    elif db.scalar(select(User.id).where(User.email == email)) is not None:
        errors["email"] = f"an account with {email} already exists"
    if not 1 <= len(name) <= MAX_NAME_LENGTH:
        errors["name"] = f"must be 1 to {MAX_NAME_LENGTH} characters"
    if role not in {member.value for member in Role}:
        allowed = ", ".join(member.value for member in Role)
        errors["role"] = f"{role!r} is not a role; choose one of {allowed}"
    problem = password_problem(password)
    if problem:
        errors["password"] = problem
    return errors


@router.get("/accounts")
def accounts(request: Request, db: DbSession, admin: AdminUser) -> Response:
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
    errors = account_form_errors(db, email, name, role, password)
    if errors:
        form = {"email": email, "name": name, "role": role}
        return _page(request, db, form=form, errors=errors, status_code=400)
    db.add(User(email=email, name=name, role=Role(role), password_hash=hash_password(password)))
    db.commit()
    flash(request, f"Created the {role} account {email}.")
    return RedirectResponse("/admin/accounts", status_code=303)


@router.post("/accounts/{user_id}/active")
def set_active(
    request: Request,
    db: DbSession,
    admin: AdminUser,
    user_id: int,
    active: Annotated[str, Form()] = "",
) -> Response:
    account = db.get(User, user_id)
    if account is None:
        raise HTTPException(status_code=404, detail="No such account.")
    if active not in ("true", "false"):
        raise HTTPException(status_code=400, detail="active must be true or false.")
    if account.id == admin.id and active == "false":
        raise HTTPException(status_code=400, detail="You cannot deactivate your own account.")
    account.active = active == "true"
    db.commit()
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
    account = db.get(User, user_id)
    if account is None:
        raise HTTPException(status_code=404, detail="No such account.")
    problem = password_problem(password)
    if problem:
        raise HTTPException(status_code=400, detail=f"The new password {problem}.")
    account.password_hash = hash_password(password)
    clear_failures(db, account.email)
    db.commit()
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
