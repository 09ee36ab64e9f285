"""Test helpers for the clinic: a browser-like client and the world of personae.

Used by the web, worker and storage tests (a helper module, not a test module;
``tests/`` is on the import path through ``tests/conftest.py``).

Personae (as in the style guide): ``alice`` the treating clinician, ``bob``
another clinician, ``pat`` Alice's patient (linked to Alice's record),
``quinn`` Bob's patient, ``ada`` the admin, and ``anon`` (nobody signed in).
"""

from __future__ import annotations

import copy
import functools
import re
import warnings
from dataclasses import dataclass, field
from http.cookiejar import Cookie
from pathlib import Path
from typing import Any

from fastapi import FastAPI
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from hipfirst.application.passwords import hash_password
from hipfirst.settings import Settings, load_settings
from hipfirst.storage.database import make_engine, make_sessionmaker
from hipfirst.storage.migrate import upgrade
from hipfirst.storage.models import Patient, Role, User
from hipfirst.web.app import create_app

with warnings.catch_warnings():
    # Starlette 1.x would rather use httpx2; the pinned httpx behaves the same for the TestClient.
    warnings.filterwarnings("ignore", "Using `httpx` with `starlette.testclient`")
    from fastapi.testclient import TestClient

PASSWORD = "correct horse battery staple"
CSRF_INPUT = re.compile(r'name="csrf_token" value="([^"]+)"')


class Client(TestClient):
    """A browser: keeps its cookies, signs in, and sends forms with this session's CSRF token."""

    def csrf(self) -> str:
        page = self.get("/login")
        found = CSRF_INPUT.search(page.text)
        assert found, "no CSRF token on the login page"
        return found.group(1)

    def sign_in(self, email: str, password: str = PASSWORD) -> Any:
        response = self.post(
            "/login",
            data={"email": email, "password": password, "csrf_token": self.csrf()},
            follow_redirects=False,
        )
        return response

    def submit(self, url: str, data: dict[str, str] | None = None, **kwargs: Any) -> Any:
        """POST a form the way a page would: with the CSRF token field."""
        kwargs.setdefault("follow_redirects", False)
        return self.post(url, data={**(data or {}), "csrf_token": self.csrf()}, **kwargs)


@dataclass
class World:
    """The data dir, the app, the accounts and the two patient records."""

    settings: Settings
    engine: Engine
    app: FastAPI
    users: dict[str, User] = field(default_factory=dict)
    patients: dict[str, Patient] = field(default_factory=dict)
    sessions: dict[str, list[Cookie]] = field(default_factory=dict)
    records: dict[str, dict[str, int]] = field(default_factory=dict)

    def db(self) -> Session:
        return make_sessionmaker(self.engine)()

    def client(self, persona: str | None = None) -> Client:
        """A new browser, signed in as ``persona`` (None: anonymous).

        The first browser of a persona signs in through the login form; later
        ones start with a copy of its session cookie, because each argon2
        check costs a noticeable fraction of a second by design.
        """
        client = Client(self.app, base_url="http://testserver")
        if persona is None:
            return client
        if persona not in self.sessions:
            response = client.sign_in(self.users[persona].email)
            assert response.status_code == 303, response.text
            self.sessions[persona] = [copy.copy(cookie) for cookie in client.cookies.jar]
            return client
        for cookie in self.sessions[persona]:
            client.cookies.jar.set_cookie(copy.copy(cookie))
        return client

    def signed_in_anew(self, persona: str) -> Client:
        """A new browser with a session of its own (signs in through the form)."""
        client = Client(self.app, base_url="http://testserver")
        response = client.sign_in(self.users[persona].email)
        assert response.status_code == 303, response.text
        return client


def make_settings(tmp_path: Path, **overrides: object) -> Settings:
    return load_settings(tmp_path / "data", environ={}, **overrides)


def migrated_engine(settings: Settings) -> Engine:
    engine = make_engine(settings.database_url)
    upgrade(engine)
    return engine


PERSONAE_ACCOUNTS = (
    ("alice", Role.clinician, "Alice Treating"),
    ("bob", Role.clinician, "Bob Other"),
    ("pat", Role.patient, "Pat Patient"),
    ("quinn", Role.patient, "Quinn Other"),
    ("ada", Role.admin, "Ada Admin"),
)


@functools.cache
def password_hash() -> str:
    """One real argon2 hash of PASSWORD, shared by the personae (hashing is slow on purpose)."""
    return hash_password(PASSWORD)


def build_world(settings: Settings) -> World:
    """Migrate a fresh database and add the five personae and the two patient records."""
    engine = migrated_engine(settings)
    world = World(settings=settings, engine=engine, app=create_app(settings))
    with world.db() as db:
        for key, role, name in PERSONAE_ACCOUNTS:
            user = User(
                email=f"{key}@example.org", name=name, role=role, password_hash=password_hash()
            )
            db.add(user)
            world.users[key] = user
        db.flush()
        for key, clinician in (("pat", "alice"), ("quinn", "bob")):
            patient = Patient(
                clinician_id=world.users[clinician].id,
                user_id=world.users[key].id,
                display_name=world.users[key].name,
            )
            db.add(patient)
            world.patients[key] = patient
        db.commit()
    return world


def close_world(world: World) -> None:
    world.app.state.engine.dispose()
    world.engine.dispose()
