"""The audit trail's rows: who viewed, exported or changed which record, sign-ins, refusals.

The web edge decides what a request counts as (:mod:`hipfirst.web.audit`);
use cases record their own actions (``create``, ``delete``, ``account``) here.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from hipfirst.storage.models import AuditEntry, User, utcnow

ACTIONS = (
    "view",  # a page or file of a patient record was shown
    "export",  # the whole record left the system (export.json, export.zip)
    "change",  # a patient record was changed
    "create",  # a patient record was created
    "delete",  # a patient record was deleted
    "refused",  # a request was refused: another user's record, a role's limit, a forged form
    "sign_in",  # a successful sign-in
    "sign_in_failed",  # a refused sign-in (``target`` holds the e-mail address typed)
    "sign_out",
    "account",  # an admin created, (de)activated an account or set its password
)
"""Every ``action`` an audit row can have."""
MAX_TARGET_CHARS = 500


def record(
    db: Session,
    user: User | None,
    patient_id: int | None,
    action: str,
    what: str,
    ip: str | None,
    target: str | None = None,
) -> AuditEntry:
    """Add an audit row with an explicit action (e.g. ``delete``); the caller commits."""
    assert action in ACTIONS, action
    entry = AuditEntry(
        user_id=user.id if user else None,
        patient_id=patient_id,
        action=action,
        what=what[:200],
        target=None if target is None else target[:MAX_TARGET_CHARS],
        ip=ip,
    )
    db.add(entry)
    return entry


def viewed_since(db: Session, user: User, patient_id: int, target: str, seconds: int) -> bool:
    """True when ``user`` viewed exactly ``target`` of this patient in the last ``seconds``."""
    since = utcnow() - timedelta(seconds=seconds)
    found = db.scalar(
        select(AuditEntry.id)
        .where(
            AuditEntry.patient_id == patient_id,
            AuditEntry.user_id == user.id,
            AuditEntry.action == "view",
            AuditEntry.target == target[:MAX_TARGET_CHARS],
            AuditEntry.at >= since,
        )
        .limit(1)
    )
    return found is not None


def recent(
    db: Session,
    *,
    limit: int,
    before_id: int | None = None,
    action: str | None = None,
    user_id: int | None = None,
    patient_id: int | None = None,
    since: datetime | None = None,
) -> Sequence[AuditEntry]:
    """The newest rows first (at most ``limit``), optionally filtered; for the admin page."""
    query = select(AuditEntry).order_by(AuditEntry.id.desc()).limit(limit)
    if before_id is not None:
        query = query.where(AuditEntry.id < before_id)
    if action is not None:
        query = query.where(AuditEntry.action == action)
    if user_id is not None:
        query = query.where(AuditEntry.user_id == user_id)
    if patient_id is not None:
        query = query.where(AuditEntry.patient_id == patient_id)
    if since is not None:
        query = query.where(AuditEntry.at >= since)
    return db.scalars(query).all()
