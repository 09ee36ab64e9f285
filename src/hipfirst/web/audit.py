"""The audit trail: who viewed or changed which patient record, and when."""

from __future__ import annotations

from datetime import timedelta

from fastapi import Request
from sqlalchemy import select
from sqlalchemy.orm import Session

from hipfirst.storage.models import AuditEntry, User, utcnow

VIEW_METHODS = frozenset({"GET", "HEAD"})
REPEATED_VIEW_S = 60


def client_ip(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def record_access(db: Session, request: Request, user: User, patient_id: int) -> AuditEntry | None:
    """Add one audit row for this request (``view`` for reads, ``change`` otherwise).

    ``what`` is the route template (``GET /patients/{patient_id}``), so the
    trail names the page or action, not just the URL with its ids. A view of
    the same page by the same user within :data:`REPEATED_VIEW_S` seconds is
    the same visit (a progress fragment polling every second, a reload) and
    adds no row; every change does. Returns the row added, if any.
    """
    route = request.scope.get("route")
    what = f"{request.method} {getattr(route, 'path', request.url.path)}"
    action = "view" if request.method in VIEW_METHODS else "change"
    if action == "view" and _seen_recently(db, user, patient_id, what):
        return None
    return record(db, user, patient_id, action, what, client_ip(request))


def _seen_recently(db: Session, user: User, patient_id: int, what: str) -> bool:
    since = utcnow() - timedelta(seconds=REPEATED_VIEW_S)
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


def record(
    db: Session, user: User | None, patient_id: int | None, action: str, what: str, ip: str | None
) -> AuditEntry:
    """Add an audit row with an explicit action (e.g. ``delete``, ``export``)."""
    entry = AuditEntry(
        user_id=user.id if user else None, patient_id=patient_id, action=action, what=what, ip=ip
    )
    db.add(entry)
    return entry
