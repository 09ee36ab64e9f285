"""The web app and its database: it refuses a schema it cannot use, and runs on PostgreSQL."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select

from clinic_world import PASSWORD, Client, make_settings
from hipfirst.application.passwords import hash_password
from hipfirst.errors import SchemaOutOfDateError
from hipfirst.storage.database import make_engine, make_sessionmaker
from hipfirst.storage.migrate import upgrade
from hipfirst.storage.models import AuditEntry, Role, SessionLog, User
from hipfirst.web.app import create_app


def test_it_refuses_to_start_on_an_empty_database(tmp_path: Path) -> None:
    settings = make_settings(tmp_path)
    with pytest.raises(SchemaOutOfDateError) as caught:
        create_app(settings)
    assert str(caught.value) == (
        f"the database sqlite:///{settings.data_dir / 'hipfirst.db'} has no hipfirst schema yet. "
        "Run `hipfirst db upgrade` (with the same --data-dir or DATABASE_URL), then start again."
    )


def test_it_refuses_to_start_on_a_schema_at_an_older_revision(tmp_path: Path) -> None:
    settings = make_settings(tmp_path)
    engine = make_engine(settings.database_url)
    upgrade(engine, "0001")
    engine.dispose()
    with pytest.raises(SchemaOutOfDateError) as caught:
        create_app(settings)
    assert str(caught.value) == (
        f"the database sqlite:///{settings.data_dir / 'hipfirst.db'} is at revision 0001, "
        "older than this version of hipfirst needs (0006). Run `hipfirst db upgrade` (with "
        "the same --data-dir or DATABASE_URL), then start again."
    )


@pytest.mark.postgres
def test_it_runs_the_app_on_postgresql(postgres_url: str, tmp_path: Path) -> None:
    """Sign in, create a patient with a log, delete it: cascades and audit work on PostgreSQL."""
    engine = make_engine(postgres_url)
    upgrade(engine)
    settings = make_settings(tmp_path, database_url=postgres_url)
    app = create_app(settings)
    with make_sessionmaker(engine)() as db:
        clinician = User(
            email="alice@example.org",
            name="Alice",
            role=Role.clinician,
            password_hash=hash_password(PASSWORD),
        )
        db.add(clinician)
        db.commit()
    try:
        alice = Client(app)
        assert alice.sign_in("alice@example.org").status_code == 303
        created = alice.submit("/patients", {"display_name": "Pg Patient"})
        patient_url = created.headers["location"]
        patient_id = int(patient_url.rsplit("/", 1)[1])
        with make_sessionmaker(engine)() as db:
            db.add(
                SessionLog(
                    patient_id=patient_id,
                    performed_on=date(2026, 3, 1),
                    exercise_id="clamshell",
                    sets=3,
                    reps=10,
                )
            )
            db.commit()
        assert "clamshell" in alice.get(patient_url).text
        deleted = alice.submit(f"{patient_url}/delete", {"confirm_name": "Pg Patient"})
        assert deleted.status_code == 303
        with make_sessionmaker(engine)() as db:
            assert db.scalar(select(func.count()).select_from(SessionLog)) == 0
            actions = db.scalars(
                select(AuditEntry.action).where(AuditEntry.patient_id == patient_id)
            ).all()
        assert list(actions) == ["create", "view", "change", "delete"]
    finally:
        app.state.engine.dispose()
        engine.dispose()
