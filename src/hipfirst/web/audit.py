"""What a request adds to the audit trail.

One row per view, export or change of a patient record (written by the scoping
dependency, so no route can forget it), and one per refused request (another
user's record, a role's limit, a forged or foreign form) and per sign-in, failed
sign-in and sign-out. ``what`` is the route pattern (``GET
/patients/{patient_id}/videos/{analysis_id}/files/{name}``), ``target`` the exact
path asked for, so the trail says which video or file was seen.
"""

from __future__ import annotations

from fastapi import Request
from sqlalchemy.orm import Session

from hipfirst.storage.audit import record, viewed_since
from hipfirst.storage.models import AuditEntry, User

VIEW_METHODS = frozenset({"GET", "HEAD"})
REPEATED_VIEW_S = 60


def client_ip(request: Request) -> str:
    """The client's address as the server sees it.

    ``X-Forwarded-For`` counts only when ``HIPFIRST_FORWARDED_ALLOW_IPS`` names the
    proxy it came through (uvicorn then rewrites the address; see ``hipfirst serve``).
    """
    return request.client.host if request.client else "unknown"


def route_of(request: Request) -> str:
    """``GET /patients/{patient_id}``: the route pattern, or the path when no route matched."""
    route = request.scope.get("route")
    return f"{request.method} {getattr(route, 'path', request.url.path)}"


def target_of(request: Request) -> str:
    """The exact path and query asked for (which record, which file)."""
    query = request.url.query
    return request.url.path + (f"?{query}" if query else "")


def record_access(
    db: Session, request: Request, user: User, patient_id: int, *, action: str | None = None
) -> AuditEntry | None:
    """Add one audit row for this request: ``action``, else ``view`` for reads, ``change`` else.

    A view of the same path by the same user within :data:`REPEATED_VIEW_S`
    seconds is the same visit (a progress fragment polling every second, a
    reload) and adds no row; every export and change does. Returns the row added.
    """
    chosen = action or ("view" if request.method in VIEW_METHODS else "change")
    target = target_of(request)
    if chosen == "view" and viewed_since(db, user, patient_id, target, REPEATED_VIEW_S):
        return None
    return record(db, user, patient_id, chosen, route_of(request), client_ip(request), target)


def record_event(
    request: Request,
    user: User | None,
    action: str,
    *,
    patient_id: int | None = None,
    target: str | None = None,
) -> None:
    """Record a refusal or sign-in event in its own transaction (it outlives the request's)."""
    with request.app.state.sessionmaker() as db:
        record(
            db,
            user,
            patient_id,
            action,
            route_of(request),
            client_ip(request),
            target if target is not None else target_of(request),
        )
        db.commit()
