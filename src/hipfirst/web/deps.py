"""Request dependencies: the database session, the signed-in user, and record scoping.

Every patient-scoped route takes its patient through :func:`patient_scope`
(via the aliases :data:`ClinicianPatient` and :data:`PatientRecord`). That one
dependency loads the patient *for the current user* and writes the audit row,
so no route can forget either. A record of someone else answers 404, exactly
like a record that does not exist, so ids cannot be probed; a role that may
never use a route answers 403.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterator
from typing import Annotated

from fastapi import Depends, HTTPException, Request
from sqlalchemy import select
from sqlalchemy.orm import Session

from hipfirst.errors import LoginRequiredError
from hipfirst.settings import Settings
from hipfirst.storage.models import Patient, Role, User
from hipfirst.web.audit import record_access

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"


def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def get_db(request: Request) -> Iterator[Session]:
    with request.app.state.sessionmaker() as session:
        yield session


AppSettings = Annotated[Settings, Depends(get_settings)]
DbSession = Annotated[Session, Depends(get_db)]


def csrf_token(request: Request) -> str:
    """The CSRF token of this browser session, created on first use."""
    token = request.session.get("csrf")
    if not isinstance(token, str):
        token = secrets.token_urlsafe(32)
        request.session["csrf"] = token
    return token


async def csrf_protect(request: Request) -> None:
    """Refuse any state-changing request without this session's CSRF token.

    Forms send it as the ``csrf_token`` field; HTMX sends it as the
    ``X-CSRF-Token`` header (set once on ``<body hx-headers=…>``).
    """
    expected = csrf_token(request)
    if request.method in SAFE_METHODS:
        return
    sent = request.headers.get(CSRF_HEADER)
    if sent is None:
        form = await request.form()
        field = form.get(CSRF_FIELD)
        sent = field if isinstance(field, str) else None
    if not sent or not secrets.compare_digest(sent, expected):
        raise HTTPException(
            status_code=403,
            detail="This form has expired or did not come from hipfirst (missing or wrong "
            "security token). Reload the page and try again.",
        )


def optional_user(request: Request, db: DbSession) -> User | None:
    """The signed-in, active user, or None."""
    user_id = request.session.get("uid")
    if not isinstance(user_id, int):
        return None
    user = db.get(User, user_id)
    if user is None or not user.active:
        request.session.pop("uid", None)
        return None
    request.state.user = user
    return user


def current_user(user: Annotated[User | None, Depends(optional_user)]) -> User:
    if user is None:
        raise LoginRequiredError
    return user


CurrentUser = Annotated[User, Depends(current_user)]


def require_role(*roles: Role) -> Callable[[User], User]:
    """A dependency that lets only ``roles`` through (403 for the others)."""

    def dependency(user: CurrentUser) -> User:
        if user.role not in roles:
            raise HTTPException(status_code=403, detail="Your account cannot open this page.")
        return user

    return dependency


ClinicianUser = Annotated[User, Depends(require_role(Role.clinician))]
AdminUser = Annotated[User, Depends(require_role(Role.admin))]
PatientUser = Annotated[User, Depends(require_role(Role.patient))]


def patient_scope(*roles: Role) -> Callable[..., Patient]:
    """The patient ``{patient_id}`` as seen by the current user, audited.

    Clinicians reach only patients they own; a patient reaches only the record
    linked to their account; ``roles`` lists who may use the route at all.
    """

    def dependency(patient_id: int, request: Request, db: DbSession, user: CurrentUser) -> Patient:
        if user.role not in roles:
            raise HTTPException(status_code=403, detail="Your account cannot open this page.")
        patient = db.get(Patient, patient_id)
        owner_id = None
        if patient is not None:
            owner_id = patient.clinician_id if user.role is Role.clinician else patient.user_id
        if patient is None or owner_id != user.id:
            raise HTTPException(status_code=404, detail="No such patient.")
        record_access(db, request, user, patient.id)
        db.commit()
        return patient

    return dependency


ClinicianPatient = Annotated[Patient, Depends(patient_scope(Role.clinician))]
PatientRecord = Annotated[Patient, Depends(patient_scope(Role.clinician, Role.patient))]


def own_patient_record(request: Request, db: DbSession, user: PatientUser) -> Patient:
    """The record linked to the signed-in patient (404 when none is linked yet), audited."""
    patient = db.scalar(select(Patient).where(Patient.user_id == user.id))
    if patient is None:
        raise HTTPException(
            status_code=404,
            detail="Your account is not linked to a patient record yet. Ask your clinician.",
        )
    record_access(db, request, user, patient.id)
    db.commit()
    return patient


OwnRecord = Annotated[Patient, Depends(own_patient_record)]
