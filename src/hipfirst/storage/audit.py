"""The audit trail's rows: who viewed or changed which patient record, and when.

The web edge decides what a request counts as (:mod:`hipfirst.web.audit`);
use cases record their own actions (``create``, ``delete``) here.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from hipfirst.storage.models import AuditEntry, User, utcnow


def record(
    db: Session, user: User | None, patient_id: int | None, action: str, what: str, ip: str | None
) -> AuditEntry:
    """Add an audit row with an explicit action (e.g. ``delete``); the caller commits."""
    entry = AuditEntry(
        user_id=user.id if user else None, patient_id=patient_id, action=action, what=what, ip=ip
    )
    db.add(entry)
    return entry


def viewed_since(db: Session, user: User, patient_id: int, what: str, seconds: int) -> bool:
    """True when ``user`` viewed ``what`` of this patient in the last ``seconds``."""
    since = utcnow() - timedelta(seconds=seconds)
    found = db.scalar(
        select(AuditEntry.id)
        .where(
            AuditEntry.patient_id == patient_id,
            AuditEntry.user_id == user.id,
            AuditEntry.action == "view",
            AuditEntry.what == what,
            AuditEntry.at >= since,
        )
        .limit(1)
    )
    return found is not None
