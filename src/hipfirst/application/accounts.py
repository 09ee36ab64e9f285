"""Accounts: sign in (rate limited), and what an admin does (create, deactivate, new password).

Admins see names, e-mail addresses and roles only, never clinical records.
Callers pass e-mail addresses already trimmed and lower-cased. What an admin does
to an account is audited (``account``); a deactivation or a new password ends
every session of the account at once (server-side sessions, see
:mod:`hipfirst.storage.sessions`).
"""

from __future__ import annotations

import re
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from hipfirst.application.passwords import (
    hash_password,
    needs_rehash,
    password_problem,
    verify_password,
)
from hipfirst.errors import FieldError, InputError, InputValidationError, SignInError
from hipfirst.settings import Settings
from hipfirst.storage import audit, login_attempts, sessions
from hipfirst.storage.models import Role, User

EMAIL_PATTERN = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
MAX_NAME_LENGTH = 120
BAD_LOGIN = "Wrong e-mail address or password."
RATE_LIMITED = (
    "Too many failed sign-ins for this account or from this network. "
    "Wait {minutes} minutes and try again."
)


def sign_in(
    db: Session, settings: Settings, email: str, password: str, ip: str, now: datetime
) -> User:
    """The active account ``email`` with this ``password``; raises :class:`SignInError`.

    Failed attempts are counted per account and per client address ``ip``; over
    the limits of ``settings`` every attempt is refused (``blocked``) until the
    window has passed. A success forgives the account's failures and rehashes
    a password stored with older hashing parameters. Commits.
    """
    if login_attempts.is_blocked(db, settings, email, ip, now):
        db.commit()
        minutes = settings.login_window_s // 60
        raise SignInError(RATE_LIMITED.format(minutes=minutes), blocked=True)
    user = db.scalar(select(User).where(User.email == email))
    valid = verify_password(user.password_hash if user else None, password)
    if user is None or not valid or not user.active:
        login_attempts.record_failure(db, email, ip, now)
        db.commit()
        raise SignInError(BAD_LOGIN)
    login_attempts.clear_failures(db, email)
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    db.commit()
    return user


def account_errors(
    db: Session, email: str, name: str, role: str, password: str
) -> list[FieldError]:
    """Problems with a new account, by form field (empty when it can be created)."""
    errors: list[FieldError] = []
    if not EMAIL_PATTERN.match(email):
        errors.append(FieldError("email", f"{email!r} is not an e-mail address (name@example.org)"))
    elif db.scalar(select(User.id).where(User.email == email)) is not None:
        errors.append(FieldError("email", f"an account with {email} already exists"))
    if not 1 <= len(name) <= MAX_NAME_LENGTH:
        errors.append(FieldError("name", f"must be 1 to {MAX_NAME_LENGTH} characters"))
    if role not in {member.value for member in Role}:
        allowed = ", ".join(member.value for member in Role)
        errors.append(FieldError("role", f"{role!r} is not a role; choose one of {allowed}"))
    problem = password_problem(password, (email, name))
    if problem:
        errors.append(FieldError("password", problem))
    return errors


def create_account(
    db: Session,
    email: str,
    name: str,
    role: str,
    password: str,
    *,
    admin: User | None = None,
    ip: str | None = None,
) -> User:
    """A new active account; raises :class:`InputValidationError` naming each bad field."""
    errors = account_errors(db, email, name, role, password)
    if errors:
        raise InputValidationError("new account", errors)
    user = User(email=email, name=name, role=Role(role), password_hash=hash_password(password))
    db.add(user)
    audit.record(db, admin, None, "account", "create account", ip, f"{role} {email}")
    db.commit()
    return user


def set_active(
    db: Session, admin: User, account: User, active: bool, *, ip: str | None = None
) -> None:
    """(De)activate ``account``; a deactivation signs out every session of it at once."""
    if account.id == admin.id and not active:
        raise InputError("You cannot deactivate your own account.")
    account.active = active
    if not active:
        sessions.end_all(db, account)
    what = "reactivate account" if active else "deactivate account"
    audit.record(db, admin, None, "account", what, ip, account.email)
    db.commit()


def set_password(
    db: Session, account: User, password: str, *, admin: User | None = None, ip: str | None = None
) -> None:
    """Give ``account`` a new password (e.g. forgotten); its failed sign-ins are forgiven.

    Every session of the account ends: whoever held an old cookie must sign in again.
    """
    problem = password_problem(password, (account.email, account.name))
    if problem:
        raise InputError(f"The new password {problem}.")
    account.password_hash = hash_password(password)
    login_attempts.clear_failures(db, account.email)
    sessions.end_all(db, account)
    audit.record(db, admin, None, "account", "new password", ip, account.email)
    db.commit()
