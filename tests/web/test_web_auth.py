"""Signing in and out: passwords, session cookie, redirects, rate limiting."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from sqlalchemy import func, select

from clinic_world import PASSWORD, Client, World, make_settings, migrated_engine
from hipfirst.application.passwords import hash_password, password_problem, verify_password
from hipfirst.storage import login_attempts
from hipfirst.storage.database import make_sessionmaker
from hipfirst.storage.models import LoginAttempt, Role, User, utcnow
from hipfirst.web.app import SESSION_COOKIE, create_app


def test_it_hashes_passwords_with_argon2id() -> None:
    hashed = hash_password(PASSWORD)
    assert hashed.startswith("$argon2id$")
    assert verify_password(hashed, PASSWORD)
    assert not verify_password(hashed, PASSWORD + "x")
    assert not verify_password(None, PASSWORD)
    assert not verify_password("not a hash", PASSWORD)


def test_it_stores_only_the_hash(world: World) -> None:
    with world.db() as db:
        stored = db.scalar(select(User.password_hash).where(User.email == "alice@example.org"))
    assert stored is not None and stored.startswith("$argon2id$") and PASSWORD not in stored


def test_it_refuses_short_passwords() -> None:
    assert password_problem("short") == "must be at least 12 characters long"
    assert password_problem(" twelve chars ok") == "must not start or end with spaces"
    assert password_problem(PASSWORD) is None


def test_it_signs_in_and_sends_each_role_home(world: World) -> None:
    for persona, home in (("alice", "/patients"), ("pat", "/me"), ("ada", "/admin/accounts")):
        client = world.client()
        response = client.sign_in(f"{persona}@example.org")
        assert (response.status_code, response.headers["location"]) == (303, home)
        assert client.get("/", follow_redirects=False).headers["location"] == home


def test_it_sets_an_httponly_samesite_session_cookie(world: World) -> None:
    response = world.client().sign_in("alice@example.org")
    cookie = response.headers["set-cookie"]
    assert cookie.startswith(f"{SESSION_COOKIE}=")
    assert "httponly" in cookie.lower()
    assert "samesite=lax" in cookie.lower()
    assert "secure" not in cookie.lower()


def test_it_marks_the_cookie_secure_behind_https(tmp_path: Path) -> None:
    settings = make_settings(tmp_path, secure_cookies=True)
    migrated_engine(settings)
    client = Client(create_app(settings), base_url="https://testserver")
    response = client.get("/login")
    cookie = response.headers["set-cookie"].lower()
    assert "; secure" in cookie
    assert response.headers["strict-transport-security"] == "max-age=31536000"


def test_it_says_wrong_email_or_password_without_saying_which(world: World) -> None:
    client = world.client()
    wrong_password = client.sign_in("alice@example.org", "not the password")
    no_account = client.sign_in("nobody@example.org")
    for response in (wrong_password, no_account):
        assert response.status_code == 400
        assert "Wrong e-mail address or password." in response.text
    # The address typed is kept; the password never comes back.
    assert 'value="alice@example.org"' in wrong_password.text
    assert "not the password" not in wrong_password.text


def test_it_refuses_a_deactivated_account_and_ends_its_sessions(world: World) -> None:
    alice = world.client("alice")
    with world.db() as db:
        db.get_one(User, world.users["alice"].id).active = False
        db.commit()
    assert alice.get("/patients", follow_redirects=False).headers["location"].startswith("/login")
    assert world.client().sign_in("alice@example.org").status_code == 400


def test_it_returns_to_the_page_asked_for_but_only_on_this_site(world: World) -> None:
    client = world.client()
    page = client.get("/patients/new", follow_redirects=False)
    assert page.headers["location"] == "/login?next=/patients/new"
    for target, landing in (("/patients/new", "/patients/new"), ("//evil.example", "/patients")):
        response = client.post(
            "/login",
            data={
                "email": "alice@example.org",
                "password": PASSWORD,
                "next": target,
                "csrf_token": client.csrf(),
            },
            follow_redirects=False,
        )
        assert response.headers["location"] == landing


def test_it_signs_out(world: World) -> None:
    alice = world.client("alice")
    response = alice.submit("/logout")
    assert (response.status_code, response.headers["location"]) == (303, "/login")
    assert alice.get("/patients", follow_redirects=False).status_code == 303


def test_it_blocks_an_account_after_too_many_failed_sign_ins(world: World) -> None:
    limit = world.settings.login_limit_per_account
    client = world.client()
    for _ in range(limit):
        assert client.sign_in("alice@example.org", "wrong password!").status_code == 400
    # Even the right password is refused now, with a message that says how long to wait.
    blocked = client.sign_in("alice@example.org")
    assert blocked.status_code == 429
    assert (
        "Too many failed sign-ins for this account or from this network. "
        "Wait 15 minutes and try again." in blocked.text
    )
    # Another account from the same address is still below the per-address limit.
    assert world.client().sign_in("bob@example.org").status_code == 303


def test_it_blocks_an_address_that_tries_many_accounts(tmp_path: Path) -> None:
    settings = make_settings(tmp_path, login_limit_per_ip=3)
    engine = migrated_engine(settings)
    with make_sessionmaker(engine)() as db:
        db.add(
            User(
                email="a@example.org",
                name="A",
                role=Role.admin,
                password_hash=hash_password(PASSWORD),
            )
        )
        db.commit()
    client = Client(create_app(settings))
    for number in range(3):
        assert client.sign_in(f"guess{number}@example.org").status_code == 400
    assert client.sign_in("a@example.org").status_code == 429


def test_it_forgets_failures_after_the_window(world: World) -> None:
    settings = world.settings
    now = utcnow()
    with world.db() as db:
        for _ in range(settings.login_limit_per_account):
            login_attempts.record_failure(db, "alice@example.org", "10.0.0.1", now)
        db.commit()
        assert login_attempts.is_blocked(db, settings, "alice@example.org", "10.0.0.2", now)
        later = now + timedelta(seconds=settings.login_window_s + 1)
        assert not login_attempts.is_blocked(db, settings, "alice@example.org", "10.0.0.2", later)
        db.commit()
        assert db.scalar(select(func.count()).select_from(LoginAttempt)) == 0


def test_it_clears_an_accounts_failures_on_success(world: World) -> None:
    client = world.client()
    client.sign_in("alice@example.org", "wrong password!")
    assert client.sign_in("alice@example.org").status_code == 303
    with world.db() as db:
        assert db.scalar(select(func.count()).select_from(LoginAttempt)) == 0
