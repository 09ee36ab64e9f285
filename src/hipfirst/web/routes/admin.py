"""Account management for admins: accounts (create, deactivate, new password) and the audit trail.

Admins see names, e-mail addresses and roles only, never clinical records: the
audit page lists who did what to which record id, when and from where, not what
the record holds.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, HTTPException, Query, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from hipfirst.application import accounts
from hipfirst.errors import InputError, InputValidationError
from hipfirst.storage import audit
from hipfirst.storage.models import Role, User
from hipfirst.storage.record_ids import parse_record_id
from hipfirst.web.audit import client_ip
from hipfirst.web.deps import AdminUser, DbSession, RecordId
from hipfirst.web.templating import flash, render

AUDIT_PAGE_ROWS = 200

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
        accounts.create_account(db, email, name, role, password, admin=admin, ip=client_ip(request))
    except InputValidationError as error:
        form = {"email": email, "name": name, "role": role}
        errors = {problem.location: problem.message for problem in error.errors}
        return _page(request, db, form=form, errors=errors, status_code=400)
    flash(request, f"Created the {role} account {email}.")
    return RedirectResponse("/admin/accounts", status_code=303)


def _account(db: Session, user_id: RecordId) -> User:
    account = db.get(User, user_id)
    if account is None:
        raise HTTPException(status_code=404, detail="No such account.")
    return account


@router.post("/accounts/{user_id}/active")
def set_active(
    request: Request,
    db: DbSession,
    admin: AdminUser,
    user_id: RecordId,
    active: Annotated[str, Form()] = "",
) -> Response:
    account = _account(db, user_id)
    if active not in ("true", "false"):
        raise HTTPException(status_code=400, detail="active must be true or false.")
    try:
        accounts.set_active(db, admin, account, active == "true", ip=client_ip(request))
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
    user_id: RecordId,
    password: Annotated[str, Form()] = "",
) -> Response:
    """Give an account a new password (e.g. forgotten); its failed sign-ins are forgiven."""
    account = _account(db, user_id)
    try:
        accounts.set_password(db, account, password, admin=admin, ip=client_ip(request))
    except InputError as error:
        raise HTTPException(status_code=400, detail=str(error)) from None
    flash(request, f"New password set for {account.email}; give it to them in a safe way.")
    return RedirectResponse("/admin/accounts", status_code=303)


@router.get("/audit")
def audit_page(
    request: Request,
    db: DbSession,
    admin: AdminUser,
    action: Annotated[str, Query()] = "",
    user: Annotated[str, Query()] = "",
    patient: Annotated[str, Query()] = "",
    before: Annotated[str, Query()] = "",
) -> Response:
    """The newest audit rows, filtered by action, account (e-mail) or patient id; paged by id."""
    chosen_action = action if action in audit.ACTIONS else None
    account = db.scalar(select(User).where(User.email == user.strip().lower())) if user else None
    rows = audit.recent(
        db,
        limit=AUDIT_PAGE_ROWS,
        before_id=parse_record_id(before),
        action=chosen_action,
        user_id=account.id if account else (0 if user else None),
        patient_id=parse_record_id(patient) if patient else None,
    )
    emails: dict[int, str] = dict(db.execute(select(User.id, User.email)).all())
    context = {
        "rows": rows,
        "emails": emails,
        "actions": audit.ACTIONS,
        "filters": {"action": chosen_action or "", "user": user, "patient": patient},
        "older": rows[-1].id if len(rows) == AUDIT_PAGE_ROWS else None,
    }
    return render(request, "admin/audit.html", context)


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
