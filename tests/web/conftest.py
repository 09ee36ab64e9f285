"""Fixtures for the web app: a fresh data dir and real SQLite database per test, and personae.

The personae are described in ``webtest.py``.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from pathlib import Path

import pytest
from webtest import PASSWORD, World, make_settings, migrated_engine

from hipfirst.storage.models import Patient, Role, User
from hipfirst.web.app import create_app
from hipfirst.web.passwords import hash_password
from hipfirst.web.settings import Settings


@functools.cache
def password_hash() -> str:
    """One real argon2 hash of PASSWORD, shared by the personae (hashing is slow on purpose)."""
    return hash_password(PASSWORD)


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return make_settings(tmp_path)


@pytest.fixture
def world(settings: Settings) -> Iterator[World]:
    """Migrated database with the five personae and two patient records."""
    engine = migrated_engine(settings)
    world = World(settings=settings, engine=engine, app=create_app(settings))
    hashed = password_hash()
    with world.db() as db:
        for key, role, name in (
            ("alice", Role.clinician, "Alice Treating"),
            ("bob", Role.clinician, "Bob Other"),
            ("pat", Role.patient, "Pat Patient"),
            ("quinn", Role.patient, "Quinn Other"),
            ("ada", Role.admin, "Ada Admin"),
        ):
            user = User(
                email=f"{key}@example.org",
                name=name,
                role=role,
                password_hash=hashed,
            )
            db.add(user)
            world.users[key] = user
        db.flush()
        for key, clinician, login in (("pat", "alice", "pat"), ("quinn", "bob", "quinn")):
            patient = Patient(
                clinician_id=world.users[clinician].id,
                user_id=world.users[login].id,
                display_name=world.users[login].name,
            )
            db.add(patient)
            world.patients[key] = patient
        db.commit()
    yield world
    world.app.state.engine.dispose()
    engine.dispose()
