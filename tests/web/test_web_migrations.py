"""Migrations: empty → head on SQLite and PostgreSQL, models in step, stale schemas refused."""

from __future__ import annotations

import os
import pwd
import re
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Engine, func, inspect, select, text
from webtest import PASSWORD, Client, make_settings

from hipfirst.storage.database import DatabaseUrlError, make_engine, make_sessionmaker
from hipfirst.storage.migrate import (
    SchemaOutOfDateError,
    check_current,
    current_revision,
    downgrade,
    head_revision,
    is_empty,
    upgrade,
)
from hipfirst.storage.models import AuditEntry, Base, Role, SessionLog, User
from hipfirst.web.app import create_app
from hipfirst.web.passwords import hash_password

TABLES = {
    "alembic_version",
    "assessments",
    "audit_log",
    "jobs",
    "login_attempts",
    "patients",
    "programmes",
    "session_logs",
    "users",
    "video_analyses",
}


def assert_migrates_from_empty_to_head_and_back(engine: Engine) -> None:
    assert is_empty(engine)
    assert current_revision(engine) is None
    upgrade(engine)
    assert current_revision(engine) == head_revision()
    assert set(inspect(engine).get_table_names()) == TABLES
    check_current(engine)
    with engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    assert differences == [], "models and migrations differ: add a migration"
    downgrade(engine, "base")
    assert set(inspect(engine).get_table_names()) == {"alembic_version"}
    upgrade(engine)
    assert current_revision(engine) == head_revision()


def test_it_migrates_sqlite_from_empty_to_head(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'hipfirst.db'}")
    assert_migrates_from_empty_to_head_and_back(engine)


def test_it_turns_on_wal_and_foreign_keys_for_sqlite(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'hipfirst.db'}")
    with engine.connect() as connection:
        assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1


def test_it_refuses_to_start_on_an_empty_database(tmp_path: Path) -> None:
    settings = make_settings(tmp_path)
    with pytest.raises(SchemaOutOfDateError, match="has no hipfirst schema yet") as caught:
        create_app(settings)
    assert str(caught.value) == (
        f"the database sqlite:///{settings.data_dir / 'hipfirst.db'} has no hipfirst schema yet. "
        "Run `hipfirst db upgrade` (with the same --data-dir or DATABASE_URL), then start again."
    )


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
    with pytest.raises(SchemaOutOfDateError) as starting:
        create_app(settings)
    with pytest.raises(SchemaOutOfDateError) as upgrading:
        upgrade(engine)
    assert str(starting.value) == str(upgrading.value) == message


def test_it_refuses_a_database_url_it_cannot_use() -> None:
    with pytest.raises(
        DatabaseUrlError,
        match=r"DATABASE_URL: unsupported scheme 'mysql'; use one of sqlite://…, postgresql\+psycopg://…",
    ):
        make_engine("mysql://localhost/hipfirst")


def postgres_bin() -> Path | None:
    """The newest Debian PostgreSQL server binaries, or None when not installed."""
    found = sorted(
        Path("/usr/lib/postgresql").glob("*/bin/initdb"), key=lambda p: p.parent.parent.name
    )
    if found:
        return found[-1].parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def postgres_server() -> Iterator[str]:
    """A throw-away PostgreSQL server in a temp dir on a free port, stopped afterwards.

    PostgreSQL refuses to run as root, so as root the server runs as the
    ``postgres`` OS user that Debian's package creates, in a folder under the
    system temp dir (pytest's own temp folders are private to root).
    """
    binaries = postgres_bin()
    if binaries is None:
        pytest.skip(
            "PostgreSQL server binaries not installed (bash scripts/test-deps.sh installs them)"
        )
    root = Path(tempfile.mkdtemp(prefix="hipfirst-pg-"))
    data, sockets = root / "data", root / "run"
    sockets.mkdir()
    as_user: list[str] = []
    if os.geteuid() == 0:
        postgres = pwd.getpwnam("postgres")
        for path in (root, sockets):
            os.chown(path, postgres.pw_uid, postgres.pw_gid)
        as_user = ["runuser", "-u", "postgres", "--"]
    port = free_port()

    def run(*args: str) -> None:
        done = subprocess.run([*as_user, *args], capture_output=True, text=True, cwd=root)
        assert done.returncode == 0, f"{args[0]} failed:\n{done.stdout}\n{done.stderr}"

    run(str(binaries / "initdb"), "-D", str(data), "-U", "postgres", "--auth=trust", "-E", "UTF8")
    options = f"-p {port} -k {sockets} -c listen_addresses=127.0.0.1 -c fsync=off"
    run(
        str(binaries / "pg_ctl"),
        "-D",
        str(data),
        "-o",
        options,
        "-l",
        str(root / "log"),
        "-w",
        "start",
    )
    try:
        yield f"postgresql+psycopg://postgres@127.0.0.1:{port}"
    finally:
        run(str(binaries / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop")
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture
def postgres_url(postgres_server: str, request: pytest.FixtureRequest) -> Iterator[str]:
    """A new, empty database on the throw-away server for one test."""
    name = "t_" + re.sub(r"\W", "_", request.node.name)[:50].lower()
    admin = make_engine(f"{postgres_server}/postgres").execution_options(
        isolation_level="AUTOCOMMIT"
    )
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    yield f"{postgres_server}/{name}"


@pytest.mark.postgres
def test_it_migrates_postgresql_from_empty_to_head(postgres_url: str) -> None:
    engine = make_engine(postgres_url)
    try:
        assert_migrates_from_empty_to_head_and_back(engine)
    finally:
        engine.dispose()


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
