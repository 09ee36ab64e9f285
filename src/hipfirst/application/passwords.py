"""Password hashing with argon2id (argon2-cffi's recommended parameters), and strength.

A new password must be at least :data:`MIN_PASSWORD_LENGTH` characters and hard
to guess by zxcvbn's estimate (Dropbox's estimator: dictionaries, names,
keyboard patterns, repeats, dates; score 0–4): at least :data:`MIN_STRENGTH`, i.e.
about 10^10 guesses, which resists an offline attack on a slow hash such as
argon2. ``aaaaaaaaaaaa`` scores 0 and is refused with zxcvbn's own advice.
"""

from __future__ import annotations

from collections.abc import Sequence

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from zxcvbn import zxcvbn

MIN_PASSWORD_LENGTH = 12
MIN_STRENGTH = 3
"""zxcvbn's score 3: "safely unguessable", about 10^10 guesses (a security limit)."""
ZXCVBN_MAX_CHARS = 72
"""zxcvbn judges at most this many characters (its own limit); the rest only adds strength."""

_hasher = PasswordHasher()
# Verified against when the account does not exist, so a wrong e-mail costs
# the same time as a wrong password and does not reveal which accounts exist.
_DUMMY_HASH = _hasher.hash("hipfirst-no-such-account")


def hash_password(password: str) -> str:
    """An argon2id hash string (``$argon2id$…``) for storage."""
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """True when ``password`` matches; spends the same effort when there is no hash."""
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, password) and password_hash is not None
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    """True when the hash was made with older parameters and should be replaced."""
    return _hasher.check_needs_rehash(password_hash)


def password_problem(password: str, personal: Sequence[str] = ()) -> str | None:
    """Why a new password is not acceptable, or None.

    ``personal`` holds words the password must not lean on (the account's e-mail
    address and name), which zxcvbn counts as easy to guess.
    """
    if len(password) < MIN_PASSWORD_LENGTH:
        return f"must be at least {MIN_PASSWORD_LENGTH} characters long"
    if password.strip() != password:
        return "must not start or end with spaces"
    words = [*personal, *(part for text in personal for part in text.replace("@", " ").split())]
    estimate = zxcvbn(password[:ZXCVBN_MAX_CHARS], user_inputs=words)
    if estimate["score"] >= MIN_STRENGTH:
        return None
    feedback = estimate["feedback"]
    advice = " ".join(
        part for part in (feedback.get("warning") or "", *feedback.get("suggestions", [])) if part
    )
    return (
        "is too easy to guess"
        + (f" ({advice})" if advice else "")
        + ("; a few uncommon words, or a password manager's random password, will do")
    )
