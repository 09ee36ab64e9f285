"""Request dependencies: the database session, the signed-in user, and record scoping.

Every patient-scoped route takes its patient through :func:`patient_scope`
(via the aliases :data:`ClinicianPatient` and :data:`PatientRecord`). That one
dependency loads the patient *for the current user* and writes the audit row,
so no route can forget either. A record of someone else answers 404, exactly
like a record that does not exist, so ids cannot be probed; a role that may
never use a route answers 403; both refusals are audited.

Ids in paths, queries and forms are :data:`RecordId` (1 to :data:`MAX_RECORD_ID`,
the largest id a database column holds): a larger number names nothing and
answers 404 instead of overflowing the database driver.

The signed-in user comes from a server-side session (:mod:`hipfirst.storage.sessions`);
state-changing requests need the session's CSRF token *and*, when the browser says
where the request came from (``Origin``, else ``Referer``), this site as that origin.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterator
from typing import Annotated
from urllib.parse import urlsplit

from fastapi import Depends, HTTPException, Path, Request
from sqlalchemy import select
from sqlalchemy.orm import Session

from hipfirst.errors import LoginRequiredError
from hipfirst.settings import Settings
from hipfirst.storage import sessions
from hipfirst.storage.models import Patient, Role, User, utcnow
from hipfirst.storage.record_ids import MAX_RECORD_ID
from hipfirst.web.audit import record_access, record_event

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"
SESSION_KEY = "sid"
"""The key of the server-side session's token in the signed cookie."""
FOREIGN_FORM = (
    "This form was sent from another site ({origin}), so it was refused. Open hipfirst "
    "itself and try again."
)

RecordId = Annotated[int, Path(ge=1, le=MAX_RECORD_ID)]
"""A record id in a path: out of range answers 404 like any id that names nothing."""


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


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower() if parts.scheme and parts.netloc else url


def _own_origin(request: Request, settings: Settings) -> set[str]:
    """This site as a browser names it: the Host asked for, over http(s)."""
    host = request.headers.get("host", request.url.netloc).lower()
    schemes = {request.url.scheme}
    if settings.secure_cookies:  # behind a TLS proxy whose scheme header is not trusted
        schemes.add("https")
    return {f"{scheme}://{host}" for scheme in schemes}


async def csrf_protect(request: Request) -> None:
    """Refuse any state-changing request without this session's CSRF token, or from elsewhere.

    Forms send the token as the ``csrf_token`` field; HTMX sends it as the
    ``X-CSRF-Token`` header (set once on ``<body hx-headers=…>``). Browsers name
    the page a request came from in ``Origin`` (or at least ``Referer``); one that
    is not this site is refused even with a valid token (a token can leak; the
    origin a browser sends cannot be chosen by a page). Refusals are audited.
    """
    expected = csrf_token(request)
    if request.method in SAFE_METHODS:
        return
    claimed = request.headers.get("origin") or request.headers.get("referer")
    if claimed is not None:
        origin = _origin(claimed)
        if origin not in _own_origin(request, get_settings(request)):
            record_event(request, None, "refused", target=f"foreign origin {origin[:200]}")
            raise HTTPException(status_code=403, detail=FOREIGN_FORM.format(origin=origin[:200]))
    sent = request.headers.get(CSRF_HEADER)
    if sent is None:
        form = await request.form()
        field = form.get(CSRF_FIELD)
        sent = field if isinstance(field, str) else None
    if not sent or not secrets.compare_digest(sent.encode(), expected.encode()):
        record_event(request, None, "refused", target="missing or wrong CSRF token")
        raise HTTPException(
            status_code=403,
            detail="This form has expired or did not come from hipfirst (missing or wrong "
            "security token). Reload the page and try again.",
        )


def optional_user(request: Request, db: DbSession) -> User | None:
    """The active user of this browser's live server-side session, or None."""
    token = request.session.get(SESSION_KEY)
    if token is None:
        return None
    user = sessions.user_of(db, token, utcnow())
    if user is None:  # signed out elsewhere, expired, new password, deactivated
        request.session.pop(SESSION_KEY, None)
        return None
    request.state.user = user
    return user


def current_user(user: Annotated[User | None, Depends(optional_user)]) -> User:
    if user is None:
        raise LoginRequiredError
    return user


CurrentUser = Annotated[User, Depends(current_user)]


def require_role(*roles: Role) -> Callable[..., User]:
    """A dependency that lets only ``roles`` through (403 for the others)."""

    def dependency(request: Request, user: CurrentUser) -> User:
        if user.role not in roles:
            record_event(request, user, "refused")
            raise HTTPException(status_code=403, detail="Your account cannot open this page.")
        return user

    return dependency


ClinicianUser = Annotated[User, Depends(require_role(Role.clinician))]
AdminUser = Annotated[User, Depends(require_role(Role.admin))]
PatientUser = Annotated[User, Depends(require_role(Role.patient))]


def may_open_record(user: User, patient: Patient) -> bool:
    """The one record-access rule: a clinician their own patients, a patient their own record."""
    if user.role not in (Role.clinician, Role.patient):
        return False
    owner_id = patient.clinician_id if user.role is Role.clinician else patient.user_id
    return owner_id == user.id


def patient_scope(*roles: Role, action: str | None = None) -> Callable[..., Patient]:
    """The patient ``{patient_id}`` as seen by the current user, audited.

    Clinicians reach only patients they own; a patient reaches only the record
    linked to their account; ``roles`` lists who may use the route at all.
    ``action`` overrides the audited action (``export`` for the export routes).
    """

    def dependency(
        patient_id: RecordId, request: Request, db: DbSession, user: CurrentUser
    ) -> Patient:
        if user.role not in roles:
            record_event(request, user, "refused", patient_id=patient_id)
            raise HTTPException(status_code=403, detail="Your account cannot open this page.")
        patient = db.get(Patient, patient_id)
        if patient is None or not may_open_record(user, patient):
            record_event(request, user, "refused", patient_id=patient_id)
            raise HTTPException(status_code=404, detail="No such patient.")
        record_access(db, request, user, patient.id, action=action)
        db.commit()
        return patient

    return dependency


ClinicianPatient = Annotated[Patient, Depends(patient_scope(Role.clinician))]
PatientRecord = Annotated[Patient, Depends(patient_scope(Role.clinician, Role.patient))]
ExportedPatient = Annotated[Patient, Depends(patient_scope(Role.clinician, action="export"))]
"""The clinician's own patient, audited as ``export`` (the whole record leaves the system)."""


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
