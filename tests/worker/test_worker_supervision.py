"""The worker's supervision with fake analyses (no pose model): retries and giving up.

The real analysis and the crash, cancel and deletion cases with real children
are in ``test_worker.py``.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, select

from clinic_world import make_settings, migrated_engine
from hipfirst.errors import AnalysisError
from hipfirst.settings import Settings
from hipfirst.storage import jobs
from hipfirst.storage.database import make_engine, make_sessionmaker
from hipfirst.storage.files import generated_upload_name, uploads_dir
from hipfirst.storage.models import Job, JobStatus, Patient, Role, User, VideoAnalysis
from hipfirst.worker.child import analysis_child
from hipfirst.worker.loop import run_worker, stall_message


@dataclass
class Clinic:
    settings: Settings
    engine: Engine

    def queue(self, original_name: str) -> int:
        """A queued analysis of a stored (fake) upload; returns its id."""
        with make_sessionmaker(self.engine)() as db:
            clinician = db.scalar(select(User))
            if clinician is None:
                clinician = User(
                    email="alice@example.org", name="A", role=Role.clinician, password_hash="x"
                )
                db.add(clinician)
                db.flush()
            patient = Patient(clinician_id=clinician.id, display_name="Pat")
            db.add(patient)
            db.flush()
            name = generated_upload_name(".jpg")
            folder = uploads_dir(self.settings.data_dir, patient.id)
            folder.mkdir(parents=True)
            (folder / name).write_bytes(b"\xff\xd8\xff\xe0 not really a photo")
            analysis = VideoAnalysis(
                patient_id=patient.id,
                upload_name=name,
                original_name=original_name,
                task="single-leg-squat",
                side="auto",
            )
            db.add(analysis)
            db.flush()
            jobs.enqueue(db, analysis)
            db.commit()
            return analysis.id

    def rows(self, analysis_id: int) -> tuple[VideoAnalysis, Job]:
        with make_sessionmaker(self.engine)() as db:
            analysis = db.get(VideoAnalysis, analysis_id)
            assert analysis is not None
            job = db.scalars(select(Job).where(Job.video_analysis_id == analysis_id)).one()
            return analysis, job


@pytest.fixture
def clinic(tmp_path: Path) -> Iterator[Clinic]:
    settings = make_settings(tmp_path)
    engine = migrated_engine(settings)
    yield Clinic(settings, engine)
    engine.dispose()


def busy_model(*_args: Any, **_kwargs: Any) -> dict[str, Any]:
    raise AnalysisError("the pose model could not start", permanent=False)


def child_with_a_busy_model(
    data_dir: str, database_url: str, analysis_id: int, lease: str | None
) -> None:
    """The real analysis child, whose pipeline fails in a way a retry may cure."""
    from hipfirst.application import analyses

    analyses.analyze_upload = busy_model  # type: ignore[assignment]
    analysis_child(data_dir, database_url, analysis_id, lease)


def test_it_runs_a_non_permanent_failure_again_until_the_attempts_are_used(
    clinic: Clinic,
) -> None:
    analysis_id = clinic.queue("squat.jpg")
    lines: list[str] = []
    ran = run_worker(
        clinic.settings, until_idle=True, log=lines.append, child_target=child_with_a_busy_model
    )
    assert ran == 3
    job_id = clinic.rows(analysis_id)[1].id
    assert lines == [
        f"Job {job_id}: started.",
        f"Job {job_id}: queued.",
        f"Job {job_id}: started.",
        f"Job {job_id}: queued.",
        f"Job {job_id}: started.",
        f"Job {job_id}: failed.",
    ]
    analysis, job = clinic.rows(analysis_id)
    assert (analysis.status, analysis.error) == (JobStatus.failed, "the pose model could not start")
    assert (job.status, job.attempts, job.error) == (
        JobStatus.failed,
        3,
        "the pose model could not start",
    )


def test_it_gives_up_a_job_that_stopped_the_worker_three_times(clinic: Clinic) -> None:
    analysis_id = clinic.queue("heavy.mp4")
    with make_sessionmaker(clinic.engine)() as db:  # as the third dead worker left it
        job = db.scalars(select(Job).where(Job.video_analysis_id == analysis_id)).one()
        job.status, job.locked_by, job.attempts = JobStatus.running, "gone:3", 3
        analysis = db.get(VideoAnalysis, analysis_id)
        assert analysis is not None
        analysis.status, analysis.progress = JobStatus.running, 0.7
        db.commit()
    lines: list[str] = []
    assert run_worker(clinic.settings, until_idle=True, log=lines.append) == 0
    assert lines == ["Gave up 1 analysis job(s) started 3 times without finishing."]
    analysis, job = clinic.rows(analysis_id)
    assert analysis.status is JobStatus.failed
    assert analysis.error is not None
    assert analysis.error.startswith("The analysis was started 3 times and each time the worker")
    assert job.status is JobStatus.failed


def hung_child(data_dir: str, database_url: str, analysis_id: int, lease: str | None) -> None:
    """An analysis that hangs before writing any progress (a decoder stuck for ever)."""
    time.sleep(3600)


def slow_child(data_dir: str, database_url: str, analysis_id: int, lease: str | None) -> None:
    """An analysis slower than the stall limit that keeps writing progress, then the real one."""
    engine = make_engine(database_url)
    progress = jobs.ProgressWriter(engine, analysis_id, lease)
    for step in range(12):
        progress(step / 100)
        time.sleep(1.0)
    engine.dispose()
    analysis_child(data_dir, database_url, analysis_id, lease)


def test_a_child_that_stops_making_progress_is_stopped_and_its_analysis_fails(
    clinic: Clinic,
) -> None:
    analysis_id = clinic.queue("stuck.mp4")
    upload, _ = clinic.rows(analysis_id)
    lines: list[str] = []
    begun = time.monotonic()
    ran = run_worker(
        clinic.settings, until_idle=True, log=lines.append, child_target=hung_child, stall_s=2.0
    )
    assert ran == 1 and time.monotonic() - begun < 600  # not the child's hour
    analysis, job = clinic.rows(analysis_id)
    assert analysis.status is JobStatus.failed and job.status is JobStatus.failed
    assert analysis.error == stall_message(2.0)
    assert "made no progress for 2 seconds" in analysis.error
    assert stall_message(600.0).startswith("The analysis made no progress for 10 minutes")
    kept = uploads_dir(clinic.settings.data_dir, analysis.patient_id) / upload.upload_name
    assert kept.exists()  # the upload stays for a retry


def test_a_slow_child_that_keeps_writing_progress_is_not_stopped(clinic: Clinic) -> None:
    analysis_id = clinic.queue("slow.jpg")
    run_worker(clinic.settings, until_idle=True, child_target=slow_child, stall_s=8.0)
    analysis, _ = clinic.rows(analysis_id)
    # it ran past the 8 s limit (12 s of progress), then the real analysis refused the fake
    # photo: its own outcome, not the stall's
    assert analysis.status is JobStatus.failed
    assert analysis.error and "made no progress" not in analysis.error
