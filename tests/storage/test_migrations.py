"""Migrations: empty → head and back on SQLite and PostgreSQL, each revision's data kept,
models in step, and schemas of another version refused with what to do."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from migration_rows import add_analysis, add_clinician_and_patient
from sqlalchemy import Engine, inspect, text
from sqlalchemy.exc import IntegrityError

from clinic_world import make_settings
from hipfirst.errors import DatabaseUrlError, SchemaOutOfDateError
from hipfirst.storage.database import make_engine
from hipfirst.storage.migrate import (
    check_current,
    current_revision,
    downgrade,
    head_revision,
    is_empty,
    known_revisions,
    upgrade,
)
from hipfirst.storage.models import Base

TABLES = {
    "alembic_version",
    "assessments",
    "audit_log",
    "jobs",
    "login_attempts",
    "patients",
    "programmes",
    "questionnaire_responses",
    "session_logs",
    "users",
    "video_analyses",
    "web_sessions",
}
REVISIONS = ["0001", "0002", "0003", "0004", "0005", "0006"]
"""Every revision, oldest first: a new migration is added here (and gets its data test)."""


def assert_migrates_from_empty_to_head_and_back(engine: Engine) -> None:
    assert is_empty(engine)
    assert current_revision(engine) is None
    upgrade(engine)
    assert current_revision(engine) == head_revision() == REVISIONS[-1]
    assert set(inspect(engine).get_table_names()) == TABLES
    check_current(engine)
    with engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    assert differences == [], "models and migrations differ: add a migration"
    downgrade(engine, "base")
    assert set(inspect(engine).get_table_names()) == {"alembic_version"}
    upgrade(engine)
    assert current_revision(engine) == head_revision()


def job_columns(engine: Engine) -> set[str]:
    return {column["name"] for column in inspect(engine).get_columns("jobs")}


def assert_0002_drops_the_job_payload_and_its_downgrade_restores_it(engine: Engine) -> None:
    """0001 → 0002 → 0001 with a queued job: the job survives, the payload comes back."""
    upgrade(engine, "0001")
    with engine.begin() as connection:
        add_clinician_and_patient(connection)
        add_analysis(connection, task="landing", side="auto", status="queued", progress=0)
        connection.execute(
            text(
                "INSERT INTO jobs (id, kind, payload, status, attempts, video_analysis_id, "
                "created_at) VALUES (3, 'video_analysis', '{\"analysis_id\": 7}', 'queued', 0, 7, "
                "'2026-01-01')"
            )
        )
    assert "payload" in job_columns(engine)

    upgrade(engine, "0002")
    assert "payload" not in job_columns(engine)
    with engine.connect() as connection:
        rows = connection.execute(
            text("SELECT id, kind, status, attempts, video_analysis_id FROM jobs")
        ).all()
    assert [tuple(row) for row in rows] == [(3, "video_analysis", "queued", 0, 7)]
    # the copied table keeps the CHECK constraint of the status and the cascade from analyses
    with pytest.raises(IntegrityError), engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO jobs (kind, status, attempts, created_at) "
                "VALUES ('video_analysis', 'sleeping', 0, '2026-01-01')"
            )
        )
    assert {index["name"] for index in inspect(engine).get_indexes("jobs")} == {
        "ix_jobs_status",
        "ix_jobs_video_analysis_id",
    }

    downgrade(engine, "0001")
    with engine.connect() as connection:
        payload = connection.execute(text("SELECT payload FROM jobs WHERE id = 3")).scalar()
    assert payload in ({"analysis_id": 7}, '{"analysis_id": 7}')  # PostgreSQL JSON vs SQLite text
    with engine.begin() as connection:
        connection.execute(text("DELETE FROM video_analyses"))
        assert connection.execute(text("SELECT count(*) FROM jobs")).scalar() == 0  # cascade
    downgrade(engine, "base")
    assert set(inspect(engine).get_table_names()) == {"alembic_version"}


def assert_0003_adds_sessions_and_audit_targets_keeping_the_trail(engine: Engine) -> None:
    """0002 → 0003 → 0002 with an audit row: the row survives both ways, its target is empty."""
    upgrade(engine, "0002")
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO audit_log (id, at, patient_id, action, what, ip) "
                "VALUES (5, '2026-01-01', 9, 'view', 'GET /patients/{patient_id}', '10.0.0.1')"
            )
        )
    upgrade(engine, "0003")
    assert "web_sessions" in inspect(engine).get_table_names()
    with engine.connect() as connection:
        row = connection.execute(text("SELECT id, action, what, target FROM audit_log")).one()
    assert tuple(row) == (5, "view", "GET /patients/{patient_id}", None)
    assert {index["name"] for index in inspect(engine).get_indexes("audit_log")} == {
        "ix_audit_log_at",
        "ix_audit_log_patient_id",
    }
    downgrade(engine, "0002")
    assert "web_sessions" not in inspect(engine).get_table_names()
    with engine.connect() as connection:
        assert connection.execute(text("SELECT id FROM audit_log")).scalars().all() == [5]
    downgrade(engine, "base")


def assert_0004_adds_record_details_responses_and_log_edits(engine: Engine) -> None:
    """0003 → 0004 → 0003 with a patient and a log: both survive, the new fields start empty."""
    upgrade(engine, "0003")
    with engine.begin() as connection:
        add_clinician_and_patient(connection, patient_id=2, name="Runner")
        connection.execute(
            text(
                "INSERT INTO session_logs (id, patient_id, performed_on, exercise_id, sets, reps,"
                " notes, created_at) VALUES (3, 2, '2026-11-20', 'clamshell', 2, 15, '', "
                "'2026-11-20')"
            )
        )
    upgrade(engine, "0004")
    assert "questionnaire_responses" in inspect(engine).get_table_names()
    with engine.connect() as connection:
        patient = connection.execute(
            text("SELECT display_name, date_of_birth, diagnosis, involved_side FROM patients")
        ).one()
        log = connection.execute(
            text("SELECT exercise_id, effort, distance_km, updated_at FROM session_logs")
        ).one()
    assert tuple(patient) == ("Runner", None, "", None)
    assert tuple(log) == ("clamshell", None, None, None)
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO questionnaire_responses (id, patient_id, kind, completed_on, answers,"
                " created_at) VALUES (4, 2, 'lefs', '2026-11-21', '[4]', '2026-11-21')"
            )
        )
        connection.execute(text("DELETE FROM patients WHERE id = 2"))
        remaining = connection.execute(text("SELECT count(*) FROM questionnaire_responses"))
        assert remaining.scalar() == 0  # cascade with the patient
    downgrade(engine, "0003")
    assert "questionnaire_responses" not in inspect(engine).get_table_names()
    assert "diagnosis" not in {column["name"] for column in inspect(engine).get_columns("patients")}
    downgrade(engine, "base")


@pytest.fixture
def sqlite_engine(tmp_path: Path) -> Iterator[Engine]:
    engine = make_engine(f"sqlite:///{tmp_path / 'hipfirst.db'}")
    yield engine
    engine.dispose()


def analysis_columns(engine: Engine) -> set[str]:
    return {column["name"] for column in inspect(engine).get_columns("video_analyses")}


def assert_0005_adds_person_and_pose_model_keeping_the_rows(engine: Engine) -> None:
    """0004 → 0005 → 0004 with an analysis: it keeps its values; the new columns start NULL."""
    upgrade(engine, "0004")
    with engine.begin() as connection:
        add_clinician_and_patient(connection)
        add_analysis(connection, task="landing", side="auto", status="done", progress=1)
    upgrade(engine, "0005")
    assert {"person", "pose_model"} <= analysis_columns(engine)
    with engine.begin() as connection:
        found = connection.execute(
            text("SELECT id, status, person, pose_model FROM video_analyses")
        ).all()
        assert [tuple(row) for row in found] == [(7, "done", None, None)]
        connection.execute(
            text("UPDATE video_analyses SET person = 1, pose_model = 'heavy' WHERE id = 7")
        )
    downgrade(engine, "0004")
    assert not {"person", "pose_model"} & analysis_columns(engine)
    with engine.connect() as connection:
        kept = connection.execute(text("SELECT id, status FROM video_analyses")).all()
    assert [tuple(row) for row in kept] == [(7, "done")]
    downgrade(engine, "base")


def test_it_knows_every_revision_in_order() -> None:
    assert known_revisions() == set(REVISIONS)
    assert head_revision() == REVISIONS[-1]


def test_it_migrates_sqlite_from_empty_to_head(sqlite_engine: Engine) -> None:
    assert_migrates_from_empty_to_head_and_back(sqlite_engine)


def test_it_drops_the_job_payload_and_restores_it_on_sqlite(sqlite_engine: Engine) -> None:
    assert_0002_drops_the_job_payload_and_its_downgrade_restores_it(sqlite_engine)


def test_it_adds_sessions_and_audit_targets_on_sqlite(sqlite_engine: Engine) -> None:
    assert_0003_adds_sessions_and_audit_targets_keeping_the_trail(sqlite_engine)


def test_it_adds_record_details_responses_and_log_edits_on_sqlite(sqlite_engine: Engine) -> None:
    assert_0004_adds_record_details_responses_and_log_edits(sqlite_engine)


def test_it_adds_the_person_and_pose_model_columns_on_sqlite(sqlite_engine: Engine) -> None:
    assert_0005_adds_person_and_pose_model_keeping_the_rows(sqlite_engine)


def test_it_turns_on_wal_and_foreign_keys_for_sqlite(sqlite_engine: Engine) -> None:
    with sqlite_engine.connect() as connection:
        assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1


def test_it_refuses_an_empty_database(tmp_path: Path) -> None:
    settings = make_settings(tmp_path)
    engine = make_engine(settings.database_url)
    with pytest.raises(SchemaOutOfDateError) as caught:
        check_current(engine)
    assert str(caught.value) == (
        f"the database sqlite:///{settings.data_dir / 'hipfirst.db'} has no hipfirst schema yet. "
        "Run `hipfirst db upgrade` (with the same --data-dir or DATABASE_URL), then start again."
    )


def test_it_refuses_a_schema_at_an_older_revision(tmp_path: Path) -> None:
    settings = make_settings(tmp_path)
    engine = make_engine(settings.database_url)
    upgrade(engine, "0001")
    with pytest.raises(SchemaOutOfDateError) as caught:
        check_current(engine)
    assert str(caught.value) == (
        f"the database sqlite:///{settings.data_dir / 'hipfirst.db'} is at revision 0001, "
        "older than this version of hipfirst needs (0006). Run `hipfirst db upgrade` (with "
        "the same --data-dir or DATABASE_URL), then start again."
    )
    upgrade(engine)
    check_current(engine)


def test_it_refuses_a_schema_written_by_a_newer_hipfirst(tmp_path: Path) -> None:
    settings = make_settings(tmp_path)
    engine = make_engine(settings.database_url)
    upgrade(engine)
    with engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = 'ffff'"))
    message = (
        f"the database {settings.database_url} is at revision ffff, which this version of "
        "hipfirst does not know: it was probably written by a newer hipfirst. Run that "
        "version, or restore a backup made with this one."
    )
    with pytest.raises(SchemaOutOfDateError) as checking:
        check_current(engine)
    with pytest.raises(SchemaOutOfDateError) as upgrading:
        upgrade(engine)
    assert str(checking.value) == str(upgrading.value) == message


def test_it_refuses_a_database_url_it_cannot_use() -> None:
    with pytest.raises(
        DatabaseUrlError,
        match=r"DATABASE_URL: unsupported scheme 'mysql'; use one of sqlite://…, postgresql\+psycopg://…",
    ):
        make_engine("mysql://localhost/hipfirst")


@pytest.mark.postgres
def test_it_migrates_postgresql_from_empty_to_head(postgres_url: str) -> None:
    engine = make_engine(postgres_url)
    try:
        assert_migrates_from_empty_to_head_and_back(engine)
    finally:
        engine.dispose()


@pytest.mark.postgres
def test_it_drops_the_job_payload_and_restores_it_on_postgresql(postgres_url: str) -> None:
    engine = make_engine(postgres_url)
    try:
        assert_0002_drops_the_job_payload_and_its_downgrade_restores_it(engine)
    finally:
        engine.dispose()


@pytest.mark.postgres
def test_it_adds_sessions_and_audit_targets_on_postgresql(postgres_url: str) -> None:
    engine = make_engine(postgres_url)
    try:
        assert_0003_adds_sessions_and_audit_targets_keeping_the_trail(engine)
    finally:
        engine.dispose()


@pytest.mark.postgres
def test_it_adds_record_details_responses_and_log_edits_on_postgresql(postgres_url: str) -> None:
    engine = make_engine(postgres_url)
    try:
        assert_0004_adds_record_details_responses_and_log_edits(engine)
    finally:
        engine.dispose()


@pytest.mark.postgres
def test_it_adds_the_person_and_pose_model_columns_on_postgresql(postgres_url: str) -> None:
    engine = make_engine(postgres_url)
    try:
        assert_0005_adds_person_and_pose_model_keeping_the_rows(engine)
    finally:
        engine.dispose()
