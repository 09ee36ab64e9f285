"""Rows the migration tests put in before a revision runs: raw SQL, as the schema was then."""

from __future__ import annotations

from sqlalchemy import Connection, text


def add_clinician_and_patient(connection: Connection, patient_id: int = 1, name: str = "P") -> None:
    """User 1 (a clinician) and their patient ``patient_id``."""
    connection.execute(
        text(
            "INSERT INTO users (id, email, name, password_hash, role, active, created_at) "
            "VALUES (1, 'a@example.org', 'A', 'x', 'clinician', true, '2026-01-01')"
        )
    )
    connection.execute(
        text(
            "INSERT INTO patients (id, clinician_id, display_name, notes, created_at) "
            "VALUES (:id, 1, :name, '', '2026-01-01')"
        ),
        {"id": patient_id, "name": name},
    )


def add_analysis(
    connection: Connection, *, task: str, side: str, status: str, progress: float
) -> None:
    """Video analysis 7 of patient 1 (upload ``u.mp4``, shown as ``o.mp4``)."""
    connection.execute(
        text(
            "INSERT INTO video_analyses (id, patient_id, upload_name, original_name, task, "
            "side, status, progress, created_at) VALUES (7, 1, 'u.mp4', 'o.mp4', :task, "
            ":side, :status, :progress, '2026-01-01')"
        ),
        {"task": task, "side": side, "status": status, "progress": progress},
    )
