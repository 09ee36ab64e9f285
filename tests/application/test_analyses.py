"""The analysis use cases in one process: queue an upload, run one analysis, its outcomes.

The pipeline is replaced here (``analyze_upload``); the real one runs in
``tests/worker/test_worker.py``.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, select

from clinic_world import make_settings, migrated_engine
from hipfirst.application import analyses
from hipfirst.errors import AnalysisCancelledError, InputValidationError, VideoInputError
from hipfirst.settings import Settings
from hipfirst.storage import jobs
from hipfirst.storage.database import make_sessionmaker
from hipfirst.storage.files import analysis_dir, uploads_dir
from hipfirst.storage.models import Job, JobStatus, Patient, Role, User, VideoAnalysis

JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 100


@dataclass
class Clinic:
    settings: Settings
    engine: Engine
    patient_id: int
    user_id: int

    def queue(self, name: str = "squat.jpg", content: bytes = JPEG, **choices: str) -> int:
        with make_sessionmaker(self.engine)() as db:
            patient, user = db.get(Patient, self.patient_id), db.get(User, self.user_id)
            assert patient is not None and user is not None
            analysis = analyses.queue_upload(
                db,
                self.settings,
                patient,
                user,
                task=choices.get("task", "single-leg-squat"),
                side=choices.get("side", "auto"),
                upload=io.BytesIO(content),
                file_name=name,
            )
            return analysis.id

    def running(self, analysis_id: int) -> None:
        """Claimed and started, as the worker leaves it before the child runs."""
        job_id = jobs.claim_next(self.engine, "worker-a")
        assert job_id is not None
        assert isinstance(jobs.start(self.engine, job_id), jobs.StartedJob)

    def analysis(self, analysis_id: int) -> VideoAnalysis:
        with make_sessionmaker(self.engine)() as db:
            found = db.get(VideoAnalysis, analysis_id)
            assert found is not None
            return found


@pytest.fixture
def clinic(tmp_path: Path) -> Iterator[Clinic]:
    settings = make_settings(tmp_path)
    engine = migrated_engine(settings)
    with make_sessionmaker(engine)() as db:
        user = User(email="pat@example.org", name="Pat", role=Role.patient, password_hash="x")
        clinician = User(email="a@example.org", name="A", role=Role.clinician, password_hash="x")
        db.add_all([user, clinician])
        db.flush()
        patient = Patient(clinician_id=clinician.id, user_id=user.id, display_name="Pat")
        db.add(patient)
        db.commit()
        ids = patient.id, user.id
    yield Clinic(settings, engine, *ids)
    engine.dispose()


def test_it_stores_and_queues_an_upload(clinic: Clinic) -> None:
    analysis_id = clinic.queue("My Photo.PNG")
    analysis = clinic.analysis(analysis_id)
    assert (analysis.status, analysis.original_name, analysis.uploaded_by_id) == (
        JobStatus.queued,
        "My Photo.PNG",
        clinic.user_id,
    )
    assert analysis.upload_name.endswith(".jpg")  # the content decides, not the name
    stored = uploads_dir(clinic.settings.data_dir, clinic.patient_id) / analysis.upload_name
    assert stored.read_bytes() == JPEG
    with make_sessionmaker(clinic.engine)() as db:
        job = db.scalars(select(Job)).one()
    assert (job.video_analysis_id, job.status) == (analysis_id, JobStatus.queued)


def test_it_names_every_bad_choice_and_stores_nothing(clinic: Clinic) -> None:
    with pytest.raises(InputValidationError) as caught:
        clinic.queue(task="jumping", side="middle")
    assert [(error.location, error.message) for error in caught.value.errors] == [
        (
            "task",
            "choose the movement filmed ('jumping' is not one of: single-leg-squat, "
            "step-down, landing, running, single-leg-stance)",
        ),
        ("side", "choose left, right or auto ('middle' is not one of these)"),
    ]
    assert not uploads_dir(clinic.settings.data_dir, clinic.patient_id).exists()


def test_it_runs_one_analysis_and_records_the_summary(
    clinic: Clinic, monkeypatch: pytest.MonkeyPatch
) -> None:
    analysis_id = clinic.queue()
    clinic.running(analysis_id)
    seen: dict[str, Any] = {}

    def pipeline(upload: Path, **options: Any) -> dict[str, Any]:
        seen.update(options, upload=upload)
        options["progress"](0.5)
        (options["out_dir"]).mkdir(parents=True)
        (options["out_dir"] / "summary.json").write_text('{"task": "single-leg-squat"}', "utf-8")
        return {"task": "single-leg-squat"}

    monkeypatch.setattr(analyses, "analyze_upload", pipeline)
    analyses.run_analysis(clinic.engine, clinic.settings.data_dir, analysis_id)
    analysis = clinic.analysis(analysis_id)
    out_dir = analysis_dir(clinic.settings.data_dir, clinic.patient_id, analysis_id)
    assert (seen["task"], seen["side"], seen["display_name"]) == (
        "single-leg-squat",
        "auto",
        "squat.jpg",
    )
    assert seen["out_dir"] == out_dir
    assert (analysis.status, analysis.progress, analysis.summary_json) == (
        JobStatus.done,
        1.0,
        {"task": "single-leg-squat"},
    )
    assert analysis.output_dir == f"patients/{clinic.patient_id}/analyses/{analysis_id}"


def test_it_names_the_file_as_the_user_uploaded_it_in_a_failure(
    clinic: Clinic, monkeypatch: pytest.MonkeyPatch
) -> None:
    analysis_id = clinic.queue("my jump.jpg")
    clinic.running(analysis_id)

    def pipeline(upload: Path, **_options: Any) -> dict[str, Any]:
        raise VideoInputError(f"file {upload.name!r} is not a readable image")

    monkeypatch.setattr(analyses, "analyze_upload", pipeline)
    analyses.run_analysis(clinic.engine, clinic.settings.data_dir, analysis_id)
    failed = clinic.analysis(analysis_id)
    assert (failed.status, failed.error) == (
        JobStatus.failed,
        "file 'my jump.jpg' is not a readable image",
    )


def test_it_describes_a_failure_that_is_not_ours_by_its_type(
    clinic: Clinic, monkeypatch: pytest.MonkeyPatch
) -> None:
    analysis_id = clinic.queue()
    clinic.running(analysis_id)

    def pipeline(_upload: Path, **_options: Any) -> dict[str, Any]:
        raise ZeroDivisionError("division by zero")

    monkeypatch.setattr(analyses, "analyze_upload", pipeline)
    analyses.run_analysis(clinic.engine, clinic.settings.data_dir, analysis_id)
    assert clinic.analysis(analysis_id).error == (
        "The analysis failed (ZeroDivisionError: division by zero)."
    )


def test_it_records_nothing_for_a_cancelled_run(
    clinic: Clinic, monkeypatch: pytest.MonkeyPatch
) -> None:
    analysis_id = clinic.queue()
    clinic.running(analysis_id)

    def pipeline(_upload: Path, **_options: Any) -> dict[str, Any]:
        raise AnalysisCancelledError("cancelled")

    monkeypatch.setattr(analyses, "analyze_upload", pipeline)
    analyses.run_analysis(clinic.engine, clinic.settings.data_dir, analysis_id)
    still = clinic.analysis(analysis_id)
    assert (still.status, still.error, still.finished_at) == (JobStatus.running, None, None)


def test_it_fails_an_analysis_whose_upload_is_missing(clinic: Clinic) -> None:
    analysis_id = clinic.queue("gone.jpg")
    clinic.running(analysis_id)
    upload = clinic.analysis(analysis_id).upload_name
    (uploads_dir(clinic.settings.data_dir, clinic.patient_id) / upload).unlink()
    analyses.run_analysis(clinic.engine, clinic.settings.data_dir, analysis_id)
    assert clinic.analysis(analysis_id).error == "the uploaded file 'gone.jpg' is missing"


def test_it_runs_with_the_queued_model_and_the_chosen_person(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = make_settings(tmp_path, pose_model="heavy")
    engine = migrated_engine(settings)
    with make_sessionmaker(engine)() as db:
        user = User(email="c@example.org", name="C", role=Role.clinician, password_hash="x")
        db.add(user)
        db.flush()
        db.add(Patient(clinician_id=user.id, display_name="P"))
        db.commit()
        patient_id, user_id = db.scalars(select(Patient.id)).one(), user.id
    clinic = Clinic(settings, engine, patient_id, user_id)
    analysis_id = clinic.queue()
    assert clinic.analysis(analysis_id).pose_model == "heavy"
    seen: list[tuple[object, object]] = []

    def pipeline(upload: Path, **options: Any) -> dict[str, Any]:
        seen.append((options["model"], options["person"]))
        options["out_dir"].mkdir(parents=True, exist_ok=True)
        summary = {"people": {"candidates": [{"id": 0}, {"id": 1}], "chosen": 0}}
        (options["out_dir"] / "summary.json").write_text(json.dumps(summary), "utf-8")
        return summary

    monkeypatch.setattr(analyses, "analyze_upload", pipeline)
    clinic.running(analysis_id)
    analyses.run_analysis(engine, settings.data_dir, analysis_id)
    with make_sessionmaker(engine)() as db:
        analysis = db.get(VideoAnalysis, analysis_id)
        assert analysis is not None and analysis.status is JobStatus.done
        analyses.choose_person(db, analysis, "1")
    clinic.running(analysis_id)
    analyses.run_analysis(engine, settings.data_dir, analysis_id)
    assert seen == [("heavy", None), ("heavy", 1)]
    engine.dispose()


def test_a_full_disk_goes_back_to_the_queue(
    clinic: Clinic, monkeypatch: pytest.MonkeyPatch
) -> None:
    from hipfirst.errors import AnalysisError

    analysis_id = clinic.queue()
    clinic.running(analysis_id)

    def pipeline(upload: Path, **options: Any) -> dict[str, Any]:
        raise AnalysisError("the disk holding '…' is full", permanent=False)

    monkeypatch.setattr(analyses, "analyze_upload", pipeline)
    analyses.run_analysis(clinic.engine, clinic.settings.data_dir, analysis_id)
    assert clinic.analysis(analysis_id).status is JobStatus.queued
