"""The audit trail: who viewed or changed which patient record, and when."""

from __future__ import annotations

from fastapi import Request
from sqlalchemy.orm import Session

from hipfirst.storage.models import AuditEntry, User

VIEW_METHODS = frozenset({"GET", "HEAD"})


def client_ip(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def record_access(db: Session, request: Request, user: User, patient_id: int) -> AuditEntry:
    """Add one audit row for this request (``view`` for reads, ``change`` otherwise).

    ``what`` is the route template (``GET /patients/{patient_id}``), so the
    trail names the page or action, not just the URL with its ids.
    """
    route = request.scope.get("route")
    path = getattr(route, "path", request.url.path)
    action = "view" if request.method in VIEW_METHODS else "change"
    return record(db, user, patient_id, action, f"{request.method} {path}", client_ip(request))


def record(
    db: Session, user: User | None, patient_id: int | None, action: str, what: str, ip: str | None
) -> AuditEntry:
    """Add an audit row with an explicit action (e.g. ``delete``, ``export``)."""
    entry = AuditEntry(
        user_id=user.id if user else None, patient_id=patient_id, action=action, what=what, ip=ip
    )
    db.add(entry)
    return entry
