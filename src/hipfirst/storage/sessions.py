"""Server-side web sessions: a signed-in browser exists as long as its row does.

The browser's signed cookie carries a random token (:func:`start`); the table keeps
only its SHA-256, so a copy of the database does not hold usable cookies. Every
request looks its row up (:func:`user_of`): signing out (:func:`end`) deletes it,
so a copied cookie stops working at once; a new password or a deactivation
(:func:`end_all`) deletes every session of the account. Rows past their
``expires_at`` are refused and pruned.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from hipfirst.storage.models import User, WebSession

MAX_TOKEN_CHARS = 100
"""A cookie token is 43 characters; anything much longer is not ours and not looked up."""


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def start(db: Session, user: User, *, max_age_s: int, now: datetime, ip: str | None) -> str:
    """A new session of ``user``; returns the token for the cookie. Commits."""
    token = secrets.token_urlsafe(32)
    db.execute(delete(WebSession).where(WebSession.expires_at < now))
    db.add(
        WebSession(
            token_hash=_digest(token),
            user_id=user.id,
            created_at=now,
            expires_at=now + timedelta(seconds=max_age_s),
            ip=ip,
        )
    )
    db.commit()
    return token


def user_of(db: Session, token: object, now: datetime) -> User | None:
    """The active account of a live session ``token``; None for anything else."""
    if not isinstance(token, str) or not 0 < len(token) <= MAX_TOKEN_CHARS:
        return None
    row = db.scalar(select(WebSession).where(WebSession.token_hash == _digest(token)))
    if row is None or row.expires_at <= now:
        return None
    user = db.get(User, row.user_id)
    return user if user is not None and user.active else None


def end(db: Session, token: object) -> None:
    """Sign this session out (a no-op for an unknown token). Commits."""
    if isinstance(token, str) and 0 < len(token) <= MAX_TOKEN_CHARS:
        db.execute(delete(WebSession).where(WebSession.token_hash == _digest(token)))
        db.commit()


def end_all(db: Session, user: User) -> int:
    """Sign every session of ``user`` out; the caller commits. Returns how many ended."""
    result = db.execute(delete(WebSession).where(WebSession.user_id == user.id))
    return int(getattr(result, "rowcount", 0) or 0)
