"""Migration 0006 (live mirror takes): ``video_analyses.source`` on SQLite and PostgreSQL."""

from __future__ import annotations

from pathlib import Path

import pytest
from migration_rows import add_analysis, add_clinician_and_patient
from sqlalchemy import Engine, inspect, text

from hipfirst.storage.database import make_engine
from hipfirst.storage.migrate import downgrade, upgrade


def _columns(engine: Engine) -> set[str]:
    return {column["name"] for column in inspect(engine).get_columns("video_analyses")}


def assert_0006_adds_the_source_keeping_uploads(engine: Engine) -> None:
    """0005 → 0006 → 0005 with an upload: it becomes ``upload``; live rows can be added."""
    upgrade(engine, "0005")
    with engine.begin() as connection:
        add_clinician_and_patient(connection)
        add_analysis(connection, task="single-leg-squat", side="left", status="done", progress=1)
    upgrade(engine, "0006")
    assert "source" in _columns(engine)
    with engine.begin() as connection:
        found = connection.execute(text("SELECT id, source FROM video_analyses")).all()
        assert [tuple(row) for row in found] == [(7, "upload")]
        connection.execute(
            text(
                "INSERT INTO video_analyses (id, patient_id, upload_name, original_name, task, "
                "side, status, progress, created_at, source) VALUES (8, 1, 'live-x', 'Live', "
                "'single-leg-squat', 'left', 'done', 1, '2026-01-02', 'live')"
            )
        )
    downgrade(engine, "0005")
    assert "source" not in _columns(engine)
    with engine.connect() as connection:
        kept = connection.execute(text("SELECT id FROM video_analyses ORDER BY id")).all()
    assert [row[0] for row in kept] == [7, 8]
    downgrade(engine, "base")


def test_it_adds_the_analysis_source_on_sqlite(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'hipfirst.db'}")
    try:
        assert_0006_adds_the_source_keeping_uploads(engine)
    finally:
        engine.dispose()


@pytest.mark.postgres
def test_it_adds_the_analysis_source_on_postgresql(postgres_url: str) -> None:
    engine = make_engine(postgres_url)
    try:
        assert_0006_adds_the_source_keeping_uploads(engine)
    finally:
        engine.dispose()
