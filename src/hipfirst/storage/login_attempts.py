"""Failed sign-ins, counted in the database so the limit holds across processes and restarts.

Failed sign-ins are counted per e-mail address and per client address
within a sliding window (``Settings.login_window_s``). A successful sign-in
clears that account's failures; rows older than the window are pruned.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from hipfirst.settings import Settings
from hipfirst.storage.models import LoginAttempt


def is_blocked(db: Session, settings: Settings, email: str, ip: str, now: datetime) -> bool:
    """True when this account or this address has used up its failed attempts."""
    since = now - timedelta(seconds=settings.login_window_s)
    db.execute(delete(LoginAttempt).where(LoginAttempt.at < since))
    per_account = db.scalar(
        select(func.count()).where(LoginAttempt.email == email, LoginAttempt.at >= since)
    )
    per_ip = db.scalar(select(func.count()).where(LoginAttempt.ip == ip, LoginAttempt.at >= since))
    return (per_account or 0) >= settings.login_limit_per_account or (
        per_ip or 0
    ) >= settings.login_limit_per_ip


def record_failure(db: Session, email: str, ip: str, now: datetime) -> None:
    db.add(LoginAttempt(email=email, ip=ip, at=now))


def clear_failures(db: Session, email: str) -> None:
    db.execute(delete(LoginAttempt).where(LoginAttempt.email == email))
