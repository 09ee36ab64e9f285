"""What a request adds to the audit trail: one row per view or change of a patient record."""

from __future__ import annotations

from fastapi import Request
from sqlalchemy.orm import Session

from hipfirst.storage.audit import record, viewed_since
from hipfirst.storage.models import AuditEntry, User

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
    if action == "view" and viewed_since(db, user, patient_id, what, REPEATED_VIEW_S):
        return None
    return record(db, user, patient_id, action, what, client_ip(request))
