"""The background worker with the real pose model on the real lab video.

One clinic (data dir, database, Alice and her patient Pat) is shared by the
module so the real analysis runs once: uploads go through the real upload
route, the worker runs each analysis in a child process exactly as in
production. The queue's own rules (claim once, progress and cancel, attempts)
are in ``tests/storage/test_jobs.py``; supervision with fake children that
need no model in ``test_worker_supervision.py``.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import cv2
import pytest
from sqlalchemy import select

from clinic_world import PASSWORD, Client, World, make_settings, migrated_engine
from hipfirst.application.passwords import hash_password
from hipfirst.storage.database import make_engine, make_sessionmaker
from hipfirst.storage.files import (
    analysis_dir,
    generated_upload_name,
    patient_dir,
    remove_patient_files,
    uploads_dir,
)
from hipfirst.storage.jobs import cancel, claim_next, enqueue
from hipfirst.storage.migrate import upgrade
from hipfirst.storage.models import Job, JobStatus, Patient, Role, User, VideoAnalysis, utcnow
from hipfirst.web.app import create_app
from hipfirst.worker.child import analysis_child
from hipfirst.worker.loop import run_job, run_worker
from hipfirst.worker.process import worker_alongside

pytestmark = pytest.mark.video
LAB_VIDEO = "lab-single-leg-balance-oblique.mp4"


@dataclass
class Clinic:
    world: World
    alice: Client
    still_jpeg: bytes
    good_id: int = 0
    truncated_id: int = 0

    @property
    def patient_id(self) -> int:
        return self.world.patients["pat"].id

    def upload(self, content: bytes, name: str, task: str) -> int:
        response = self.alice.post(
            f"/patients/{self.patient_id}/videos",
            data={"task": task, "side": "auto", "csrf_token": self.alice.csrf()},
            files={"video": (name, content, "application/octet-stream")},
            follow_redirects=False,
        )
        assert response.status_code == 303, response.text
        return int(response.headers["location"].rsplit("/", 1)[1])

    def analysis(self, analysis_id: int) -> VideoAnalysis:
        with self.world.db() as db:
            found = db.get(VideoAnalysis, analysis_id)
            assert found is not None
            return found

    def job_of(self, analysis_id: int) -> Job:
        with self.world.db() as db:
            return db.scalars(select(Job).where(Job.video_analysis_id == analysis_id)).one()


@pytest.fixture(scope="module")
def clinic(tmp_path_factory: pytest.TempPathFactory, shared_videos: Path) -> Iterator[Clinic]:
    settings = make_settings(tmp_path_factory.mktemp("clinic"))
    engine = migrated_engine(settings)
    world = World(settings=settings, engine=engine, app=create_app(settings))
    with world.db() as db:
        alice = User(
            email="alice@example.org",
            name="Alice Treating",
            role=Role.clinician,
            password_hash=hash_password(PASSWORD),
        )
        db.add(alice)
        db.flush()
        pat = Patient(clinician_id=alice.id, display_name="Pat Patient")
        db.add(pat)
        db.commit()
        world.users["alice"], world.patients["pat"] = alice, pat
    capture = cv2.VideoCapture(str(shared_videos / LAB_VIDEO))
    ok, frame = capture.read()
    capture.release()
    assert ok
    still = bytes(cv2.imencode(".jpg", frame)[1])
    clinic = Clinic(world, world.client("alice"), still)
    video = (shared_videos / LAB_VIDEO).read_bytes()
    clinic.good_id = clinic.upload(video, "balance.mp4", "single-leg-stance")
    # The MP4 index (moov) sits at the end of this file: cut short, it cannot be opened.
    clinic.truncated_id = clinic.upload(video[:100_000], "cut-short.mp4", "single-leg-stance")
    assert run_worker(settings, until_idle=True) == 2
    yield clinic
    world.app.state.engine.dispose()
    engine.dispose()


def test_it_runs_the_real_analysis_to_done(clinic: Clinic) -> None:
    analysis = clinic.analysis(clinic.good_id)
    assert (analysis.status, analysis.progress, analysis.error) == (JobStatus.done, 1.0, None)
    assert analysis.summary_json is not None
    assert analysis.summary_json["task"] == "single-leg-stance"
    # outputs name the file as the user uploaded it, not by its generated storage name
    assert analysis.upload_name != "balance.mp4"
    assert analysis.summary_json["video"]["file_name"] == "balance.mp4"
    assert analysis.started_at is not None and analysis.finished_at is not None
    assert analysis.started_at <= analysis.finished_at
    folder = analysis_dir(clinic.world.settings.data_dir, clinic.patient_id, analysis.id)
    assert analysis.output_dir == folder.relative_to(clinic.world.settings.data_dir).as_posix()
    assert sorted(path.name for path in folder.iterdir()) == [
        "angles.png",
        "annotated.mp4",
        "frames.csv",
        "keyframes.png",
        "landmarks.trc",
        "summary.json",
    ]
    job = clinic.job_of(analysis.id)
    assert (job.status, job.attempts, job.error) == (JobStatus.done, 1, None)


def test_it_shows_the_result_with_metrics_and_quality_warnings(clinic: Clinic) -> None:
    analysis = clinic.analysis(clinic.good_id)
    assert analysis.summary_json is not None
    base = f"/patients/{clinic.patient_id}/videos/{analysis.id}"
    page = clinic.alice.get(base)
    assert page.status_code == 200
    assert "hx-get" not in page.text  # finished: nothing polls
    assert f'<video controls preload="metadata" src="{base}/files/annotated.mp4"' in page.text
    assert f'<img class="result" src="{base}/files/keyframes.png"' in page.text
    assert f'<img class="result" src="{base}/files/angles.png"' in page.text
    left_fppa = analysis.summary_json["per_side"]["left"]["fppa_deg"]
    assert f"{left_fppa['mean']:.1f}° (n={left_fppa['n']})" in page.text
    warnings = analysis.summary_json["quality"]["warnings"]
    assert warnings, "the oblique lab video is expected to carry a view warning"
    for warning in warnings:
        assert warning.replace("'", "&#39;") in page.text
    assert "no threshold for this angle in task &#39;single-leg-stance&#39;" in page.text


def test_it_serves_the_annotated_video_in_ranges(clinic: Clinic) -> None:
    base = f"/patients/{clinic.patient_id}/videos/{clinic.good_id}/files"
    size = (
        (
            analysis_dir(clinic.world.settings.data_dir, clinic.patient_id, clinic.good_id)
            / "annotated.mp4"
        )
        .stat()
        .st_size
    )
    part = clinic.alice.get(f"{base}/annotated.mp4", headers={"Range": "bytes=0-99"})
    assert part.status_code == 206
    assert part.headers["content-type"] == "video/mp4"
    assert part.headers["content-range"] == f"bytes 0-99/{size}"
    assert len(part.content) == 100
    assert clinic.alice.get(f"{base}/angles.png").headers["content-type"] == "image/png"
    assert clinic.alice.get(f"{base}/secret_key").status_code == 404
    assert clinic.alice.get(f"{base}/..%2F..%2Fsecret_key").status_code == 404


def test_it_marks_a_truncated_video_failed_and_keeps_everything_else(clinic: Clinic) -> None:
    failed = clinic.analysis(clinic.truncated_id)
    assert failed.status is JobStatus.failed
    assert failed.error is not None
    # the message names the file as the user uploaded it, not our generated name
    assert failed.error.startswith("file 'cut-short.mp4' is not a readable video")
    assert failed.upload_name not in failed.error
    assert failed.summary_json is None and failed.output_dir is None
    job = clinic.job_of(failed.id)
    assert (job.status, job.error) == (JobStatus.failed, failed.error)
    uploads = uploads_dir(clinic.world.settings.data_dir, clinic.patient_id)
    assert (uploads / failed.upload_name).stat().st_size == 100_000
    assert clinic.analysis(clinic.good_id).status is JobStatus.done
    page = clinic.alice.get(f"/patients/{clinic.patient_id}/videos/{failed.id}")
    assert "The analysis failed" in page.text
    assert "file &#39;cut-short.mp4&#39; is not a readable video" in page.text


def test_it_compares_two_analyses_of_the_same_task(clinic: Clinic) -> None:
    base = f"/patients/{clinic.patient_id}/videos/compare"
    same = clinic.alice.get(f"{base}?before={clinic.good_id}&after={clinic.good_id}")
    assert same.status_code == 200
    assert '<td data-label="Change">+0.0°</td>' in same.text
    assert "within the measurement error (may be noise)" in same.text
    assert "8.93 deg" in same.text and "munro_2012" in same.text
    failed = clinic.alice.get(f"{base}?before={clinic.truncated_id}&after={clinic.good_id}")
    assert failed.status_code == 400
    assert "both analyses must be finished analyses of this patient" in failed.text


def die_when_landing(data_dir: str, database_url: str, analysis_id: int, lease: str | None) -> None:
    """A child that dies outright (as a segfaulting model would) for a landing video."""
    engine = make_engine(database_url)
    with make_sessionmaker(engine)() as db:
        analysis = db.get(VideoAnalysis, analysis_id)
        assert analysis is not None
        task = analysis.task
    engine.dispose()
    if task == "landing":
        os.kill(os.getpid(), signal.SIGKILL)
    analysis_child(data_dir, database_url, analysis_id, lease)


def test_it_survives_a_dying_analysis_and_goes_on(clinic: Clinic) -> None:
    doomed = clinic.upload(clinic.still_jpeg, "jump.jpg", "landing")
    fine = clinic.upload(clinic.still_jpeg, "squat.jpg", "single-leg-squat")
    ran = run_worker(clinic.world.settings, until_idle=True, child_target=die_when_landing)
    assert ran == 2
    dead = clinic.analysis(doomed)
    assert dead.status is JobStatus.failed
    assert dead.error == (
        "The analysis stopped unexpectedly (its process ended with code -9). "
        "The upload is kept; try again or use another video."
    )
    assert clinic.job_of(doomed).status is JobStatus.failed
    assert clinic.analysis(fine).status is JobStatus.done


def test_it_resumes_a_job_left_running_by_a_crashed_worker(clinic: Clinic) -> None:
    analysis_id = clinic.upload(clinic.still_jpeg, "resume.jpg", "single-leg-squat")
    with clinic.world.db() as db:  # as a worker killed mid-analysis leaves it
        job = db.scalars(select(Job).where(Job.video_analysis_id == analysis_id)).one()
        job.status, job.locked_by, job.attempts = JobStatus.running, "gone:1", 1
        job.locked_at = utcnow() - timedelta(minutes=5)
        analysis = db.get(VideoAnalysis, analysis_id)
        assert analysis is not None
        analysis.status, analysis.progress, analysis.started_at = (
            JobStatus.running,
            0.4,
            utcnow(),
        )
        db.commit()
    lines: list[str] = []
    assert run_worker(clinic.world.settings, until_idle=True, log=lines.append) == 1
    assert lines[0] == "Re-queued 1 analysis job(s) interrupted by an earlier stop."
    assert clinic.analysis(analysis_id).status is JobStatus.done
    job = clinic.job_of(analysis_id)
    assert (job.status, job.attempts) == (JobStatus.done, 2)


def test_it_never_starts_an_analysis_cancelled_while_queued(clinic: Clinic) -> None:
    analysis_id = clinic.upload(clinic.still_jpeg, "never.jpg", "single-leg-squat")
    with clinic.world.db() as db:
        analysis = db.get(VideoAnalysis, analysis_id)
        assert analysis is not None
        assert cancel(db, analysis) is True
        assert cancel(db, analysis) is False
    assert run_worker(clinic.world.settings, until_idle=True) == 0
    assert clinic.analysis(analysis_id).status is JobStatus.cancelled
    assert clinic.job_of(analysis_id).status is JobStatus.cancelled


def test_it_runs_as_a_command_until_stopped(clinic: Clinic) -> None:
    analysis_id = clinic.upload(clinic.still_jpeg, "command.jpg", "single-leg-squat")
    job_id = clinic.job_of(analysis_id).id
    env = {key: value for key, value in os.environ.items() if not key.startswith("HIPFIRST_")}
    env.pop("DATABASE_URL", None)
    command = [sys.executable, "-c", "from hipfirst.cli import main; main()", "worker"]
    process = subprocess.Popen(
        [*command, "--data-dir", str(clinic.world.settings.data_dir)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        waited = 0.0
        while clinic.analysis(analysis_id).status is not JobStatus.done and waited < 300:
            assert process.poll() is None, process.stdout.read() if process.stdout else ""
            time.sleep(0.5)
            waited += 0.5
    finally:
        process.send_signal(signal.SIGTERM)
        output, _ = process.communicate(timeout=60)
    text = output.decode()
    assert process.returncode == 0, text
    assert clinic.analysis(analysis_id).status is JobStatus.done
    assert f"Job {job_id}: done." in text
    assert "Worker stopped after 1 job(s)." in text


@pytest.mark.postgres
def test_it_claims_and_runs_jobs_on_postgresql(
    clinic: Clinic, postgres_url: str, tmp_path: Path
) -> None:
    """The conditional UPDATE claim, progress writes and outcome on PostgreSQL."""
    engine = make_engine(postgres_url)
    upgrade(engine)
    settings = make_settings(tmp_path, database_url=postgres_url)
    with make_sessionmaker(engine)() as db:
        clinician = User(
            email="alice@example.org", name="Alice", role=Role.clinician, password_hash="x"
        )
        db.add(clinician)
        db.flush()
        patient = Patient(clinician_id=clinician.id, display_name="Pat")
        db.add(patient)
        db.flush()
        name = generated_upload_name(".jpg")
        folder = uploads_dir(settings.data_dir, patient.id)
        folder.mkdir(parents=True)
        (folder / name).write_bytes(clinic.still_jpeg)
        analysis = VideoAnalysis(
            patient_id=patient.id,
            upload_name=name,
            original_name="squat.jpg",
            task="single-leg-squat",
            side="auto",
        )
        db.add(analysis)
        db.flush()
        enqueue(db, analysis)
        db.commit()
        analysis_id = analysis.id
    try:
        assert run_worker(settings, until_idle=True) == 1
        assert claim_next(engine, "worker-b") is None
        with make_sessionmaker(engine)() as db:
            done = db.get(VideoAnalysis, analysis_id)
            assert done is not None
            job = db.scalars(select(Job).where(Job.video_analysis_id == analysis_id)).one()
        assert (done.status, done.progress) == (JobStatus.done, 1.0)
        assert done.summary_json is not None and done.summary_json["task"] == "single-leg-squat"
        assert (job.status, job.attempts) == (JobStatus.done, 1)
    finally:
        engine.dispose()


def cancel_then_hang(data_dir: str, database_url: str, analysis_id: int, lease: str | None) -> None:
    """A child that is cancelled from the page and then never looks at the flag again."""
    engine = make_engine(database_url)
    with make_sessionmaker(engine)() as db:
        analysis = db.get(VideoAnalysis, analysis_id)
        assert analysis is not None
        cancel(db, analysis)
    engine.dispose()
    time.sleep(600)


def test_it_kills_a_cancelled_analysis_that_does_not_stop(clinic: Clinic) -> None:
    analysis_id = clinic.upload(clinic.still_jpeg, "hang.jpg", "single-leg-squat")
    engine = clinic.world.engine
    job_id = claim_next(engine, "worker-a")
    assert job_id == clinic.job_of(analysis_id).id
    outcome = run_job(
        clinic.world.settings,
        engine,
        job_id,
        child_target=cancel_then_hang,
        poll_s=0.2,
        cancel_grace_s=0.5,
    )
    assert outcome is JobStatus.cancelled
    assert clinic.analysis(analysis_id).status is JobStatus.cancelled
    assert clinic.job_of(analysis_id).status is JobStatus.cancelled
    uploads = uploads_dir(clinic.world.settings.data_dir, clinic.patient_id)
    assert (uploads / clinic.analysis(analysis_id).upload_name).is_file()


def delete_patient_then_write(
    data_dir: str, database_url: str, analysis_id: int, lease: str | None
) -> None:
    """The clinician deletes the patient mid-analysis; the child still writes an output."""
    engine = make_engine(database_url)
    with make_sessionmaker(engine)() as db:
        analysis = db.get(VideoAnalysis, analysis_id)
        assert analysis is not None
        patient = db.get(Patient, analysis.patient_id)
        assert patient is not None
        patient_id = patient.id
        db.delete(patient)
        db.commit()
    engine.dispose()
    remove_patient_files(Path(data_dir), patient_id)
    late = analysis_dir(Path(data_dir), patient_id, analysis_id)
    late.mkdir(parents=True)
    (late / "summary.json").write_text("{}", encoding="utf-8")


def test_it_leaves_no_files_of_a_patient_deleted_during_the_analysis(clinic: Clinic) -> None:
    data_dir = clinic.world.settings.data_dir
    with clinic.world.db() as db:
        patient = Patient(clinician_id=clinic.world.users["alice"].id, display_name="Dee Leted")
        db.add(patient)
        db.flush()
        name = generated_upload_name(".jpg")
        uploads_dir(data_dir, patient.id).mkdir(parents=True)
        (uploads_dir(data_dir, patient.id) / name).write_bytes(clinic.still_jpeg)
        analysis = VideoAnalysis(
            patient_id=patient.id,
            upload_name=name,
            original_name="gone.jpg",
            task="single-leg-squat",
            side="auto",
        )
        db.add(analysis)
        db.flush()
        enqueue(db, analysis)
        db.commit()
        patient_id = patient.id
    ran = run_worker(clinic.world.settings, until_idle=True, child_target=delete_patient_then_write)
    assert ran == 1
    assert not patient_dir(data_dir, patient_id).exists()


def test_it_starts_the_worker_of_serve_again_after_it_fails(tmp_path: Path) -> None:
    # No schema yet: the worker refuses to run and exits with an error, every time.
    settings = make_settings(tmp_path)
    with worker_alongside(settings.data_dir, check_every_s=0.2) as worker:
        first = worker.process.pid
        waited = 0.0
        while worker.restarts == 0 and waited < 120:
            time.sleep(0.2)
            waited += 0.2
        assert worker.restarts >= 1
        assert worker.process.pid != first
    assert worker.process.poll() is not None  # stopped with the block
