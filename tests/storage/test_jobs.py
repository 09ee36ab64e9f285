"""The job queue: enqueue, claim once, progress that notices a cancel, attempts, settling a run.

Rows only, no analysis process: the worker that drives these steps is tested
in ``tests/worker/``.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.exc import StatementError
from sqlalchemy.orm import Session

from clinic_world import make_settings, migrated_engine
from hipfirst.errors import AnalysisCancelledError
from hipfirst.storage import jobs
from hipfirst.storage.database import make_sessionmaker
from hipfirst.storage.models import Job, JobStatus, Patient, Role, User, VideoAnalysis


@dataclass
class Queue:
    engine: Engine
    patient_id: int

    def db(self) -> Session:
        return make_sessionmaker(self.engine)()

    def add(self, name: str = "squat.jpg") -> int:
        """A queued analysis with its job; returns the analysis id."""
        with self.db() as db:
            analysis = VideoAnalysis(
                patient_id=self.patient_id,
                upload_name=f"{len(name)}{name}",
                original_name=name,
                task="single-leg-squat",
                side="auto",
            )
            db.add(analysis)
            db.flush()
            jobs.enqueue(db, analysis)
            db.commit()
            return analysis.id

    def analysis(self, analysis_id: int) -> VideoAnalysis:
        with self.db() as db:
            found = db.get(VideoAnalysis, analysis_id)
            assert found is not None
            return found

    def job_of(self, analysis_id: int) -> Job:
        with self.db() as db:
            return db.scalars(select(Job).where(Job.video_analysis_id == analysis_id)).one()

    def start(self) -> jobs.StartedJob:
        """Claim the oldest job and start its analysis, as the worker does."""
        job_id = jobs.claim_next(self.engine, "worker-a")
        assert job_id is not None
        started = jobs.start(self.engine, job_id)
        assert isinstance(started, jobs.StartedJob)
        return started


@pytest.fixture
def queue(tmp_path: Path) -> Iterator[Queue]:
    engine = migrated_engine(make_settings(tmp_path))
    with make_sessionmaker(engine)() as db:
        alice = User(
            email="alice@example.org", name="Alice", role=Role.clinician, password_hash="x"
        )
        db.add(alice)
        db.flush()
        patient = Patient(clinician_id=alice.id, display_name="Pat")
        db.add(patient)
        db.commit()
        patient_id = patient.id
    yield Queue(engine, patient_id)
    engine.dispose()


def test_it_queues_an_analysis_as_a_video_job(queue: Queue) -> None:
    analysis_id = queue.add()
    job = queue.job_of(analysis_id)
    assert (job.kind, job.status, job.attempts, job.locked_by) == (
        "video_analysis",
        JobStatus.queued,
        0,
        None,
    )
    assert queue.analysis(analysis_id).status is JobStatus.queued


def test_it_claims_a_job_only_once_and_in_order(queue: Queue) -> None:
    first, second = queue.add("one.jpg"), queue.add("two.jpg")
    assert jobs.claim_next(queue.engine, "worker-a") == queue.job_of(first).id
    assert jobs.claim_next(queue.engine, "worker-b") == queue.job_of(second).id
    assert jobs.claim_next(queue.engine, "worker-c") is None
    claimed = queue.job_of(first)
    assert (claimed.status, claimed.attempts) == (JobStatus.running, 1)
    assert claimed.locked_by is not None and claimed.locked_by.startswith("worker-a/")
    assert claimed.locked_at is not None


def test_it_never_starts_an_analysis_cancelled_while_queued(queue: Queue) -> None:
    analysis_id = queue.add()
    with queue.db() as db:
        analysis = db.get(VideoAnalysis, analysis_id)
        assert analysis is not None
        assert jobs.cancel(db, analysis) is True
        assert jobs.cancel(db, analysis) is False  # already ended
    assert jobs.claim_next(queue.engine, "worker-a") is None
    assert queue.analysis(analysis_id).status is JobStatus.cancelled
    assert queue.job_of(analysis_id).status is JobStatus.cancelled


def test_it_ends_a_job_cancelled_between_claim_and_start(queue: Queue) -> None:
    analysis_id = queue.add()
    job_id = jobs.claim_next(queue.engine, "worker-a")
    assert job_id is not None
    with queue.db() as db:
        analysis = db.get(VideoAnalysis, analysis_id)
        assert analysis is not None
        jobs.cancel(db, analysis)
    assert jobs.start(queue.engine, job_id) is JobStatus.cancelled
    assert queue.job_of(analysis_id).status is JobStatus.cancelled


def test_it_fails_a_job_of_an_unknown_kind(queue: Queue) -> None:
    with queue.db() as db:
        job = Job(kind="send_newsletter")
        db.add(job)
        db.commit()
        job_id = job.id
    assert jobs.claim_next(queue.engine, "worker-a") == job_id
    assert jobs.start(queue.engine, job_id) is JobStatus.failed
    with queue.db() as db:
        failed = db.get(Job, job_id)
        assert failed is not None
        assert (failed.status, failed.error) == (
            JobStatus.failed,
            "unknown job kind 'send_newsletter'",
        )


def test_it_stops_a_running_analysis_at_the_next_progress_write(queue: Queue) -> None:
    queue.add()
    started = queue.start()
    writer = jobs.ProgressWriter(queue.engine, started.analysis_id)
    writer(0.25)
    assert queue.analysis(started.analysis_id).progress == 0.25
    writer(0.3)  # within the throttle interval: not written
    assert queue.analysis(started.analysis_id).progress == 0.25
    with queue.db() as db:
        analysis = db.get(VideoAnalysis, started.analysis_id)
        assert analysis is not None
        assert jobs.cancel(db, analysis) is True
    writer.last_write = 0.0  # past the throttle interval
    with pytest.raises(AnalysisCancelledError):
        writer(0.5)
    cancelled = queue.analysis(started.analysis_id)
    assert (cancelled.status, cancelled.progress) == (JobStatus.cancelled, 0.25)
    # the running job is left to the worker, which settles it as cancelled
    assert jobs.conclude(queue.engine, started, stopping=False, crash_error="") is (
        JobStatus.cancelled
    )
    assert queue.job_of(started.analysis_id).status is JobStatus.cancelled


def test_it_records_the_outcome_of_a_run_once(queue: Queue) -> None:
    queue.add()
    started = queue.start()
    jobs.record_done(queue.engine, started.analysis_id, {"task": "single-leg-squat"}, "a/1")
    done = queue.analysis(started.analysis_id)
    assert (done.status, done.progress, done.output_dir) == (JobStatus.done, 1.0, "a/1")
    assert done.summary_json == {"task": "single-leg-squat"}
    # a late failure report cannot overwrite a recorded outcome
    jobs.record_failure(queue.engine, started.analysis_id, "too late", retry=False)
    assert queue.analysis(started.analysis_id).error is None
    outcome = jobs.conclude(queue.engine, started, stopping=False, crash_error="")
    assert outcome is JobStatus.done
    job = queue.job_of(started.analysis_id)
    assert (job.status, job.error, job.attempts) == (JobStatus.done, None, 1)


def test_it_fails_an_analysis_whose_process_died_without_a_word(queue: Queue) -> None:
    queue.add()
    started = queue.start()
    outcome = jobs.conclude(queue.engine, started, stopping=False, crash_error="it died (-9)")
    assert outcome is JobStatus.failed
    failed = queue.analysis(started.analysis_id)
    assert (failed.status, failed.error) == (JobStatus.failed, "it died (-9)")
    assert failed.finished_at is not None
    job = queue.job_of(started.analysis_id)
    assert (job.status, job.error) == (JobStatus.failed, "it died (-9)")


def test_it_puts_a_job_back_without_counting_when_the_worker_stops(queue: Queue) -> None:
    queue.add()
    started = queue.start()
    jobs.ProgressWriter(queue.engine, started.analysis_id)(0.6)
    outcome = jobs.conclude(queue.engine, started, stopping=True, crash_error="unused")
    assert outcome is JobStatus.queued
    analysis = queue.analysis(started.analysis_id)
    assert (analysis.status, analysis.progress, analysis.started_at) == (
        JobStatus.queued,
        0.0,
        None,
    )
    job = queue.job_of(started.analysis_id)
    assert (job.status, job.attempts, job.locked_by) == (JobStatus.queued, 0, None)


def test_it_retries_a_non_permanent_failure_until_the_attempts_are_used(queue: Queue) -> None:
    analysis_id = queue.add()
    for attempt in (1, 2):
        started = queue.start()
        assert jobs.record_failure(queue.engine, analysis_id, "busy", retry=True) is True
        assert queue.analysis(analysis_id).status is JobStatus.queued
        assert jobs.conclude(queue.engine, started, stopping=False, crash_error="") is (
            JobStatus.queued
        )
        assert queue.job_of(analysis_id).attempts == attempt
    started = queue.start()  # the third and last attempt
    assert jobs.MAX_ATTEMPTS == 3
    assert jobs.record_failure(queue.engine, analysis_id, "busy", retry=True) is False
    assert jobs.conclude(queue.engine, started, stopping=False, crash_error="") is JobStatus.failed
    failed = queue.analysis(analysis_id)
    assert (failed.status, failed.error) == (JobStatus.failed, "busy")


def test_it_does_not_retry_a_permanent_failure(queue: Queue) -> None:
    queue.add()
    started = queue.start()
    assert jobs.record_failure(queue.engine, started.analysis_id, "no frames", retry=False) is False
    failed = queue.analysis(started.analysis_id)
    assert (failed.status, failed.error) == (JobStatus.failed, "no frames")


def leave_running(queue: Queue, analysis_id: int, attempts: int) -> None:
    """As a worker killed mid-analysis leaves its job."""
    with queue.db() as db:
        job = db.scalars(select(Job).where(Job.video_analysis_id == analysis_id)).one()
        job.status, job.locked_by, job.attempts = JobStatus.running, "gone:1", attempts
        analysis = db.get(VideoAnalysis, analysis_id)
        assert analysis is not None
        analysis.status, analysis.progress = JobStatus.running, 0.4
        db.commit()


def test_it_requeues_jobs_left_running_and_gives_up_after_three_starts(queue: Queue) -> None:
    resumed, doomed = queue.add("resumed.jpg"), queue.add("doomed.jpg")
    leave_running(queue, resumed, attempts=2)
    leave_running(queue, doomed, attempts=3)
    assert jobs.requeue_interrupted(queue.engine) == jobs.Recovered(requeued=1, given_up=1)
    again = queue.analysis(resumed)
    assert (again.status, again.progress) == (JobStatus.queued, 0.0)
    job = queue.job_of(resumed)
    assert (job.status, job.locked_by, job.attempts) == (JobStatus.queued, None, 2)
    message = (
        "The analysis was started 3 times and each time the worker stopped while it ran (the "
        "computer may have run out of memory), so it is not tried again. The upload is kept; "
        "try a shorter video or another one."
    )
    given_up = queue.analysis(doomed)
    assert (given_up.status, given_up.error) == (JobStatus.failed, message)
    assert queue.job_of(doomed).status is JobStatus.failed
    assert jobs.requeue_interrupted(queue.engine) == jobs.Recovered(requeued=0, given_up=0)


def test_it_reports_the_rows_of_a_deleted_patient_as_gone(queue: Queue) -> None:
    queue.add()
    started = queue.start()
    with queue.db() as db:
        patient = db.get(Patient, queue.patient_id)
        db.delete(patient)
        db.commit()
    assert jobs.analysis_status(queue.engine, started.analysis_id) is None
    assert jobs.conclude(queue.engine, started, stopping=False, crash_error="") is None
    assert jobs.patient_gone(queue.engine, queue.patient_id)


def test_it_refuses_every_write_of_a_claim_that_a_re_run_took_over(queue: Queue) -> None:
    """A worker killed mid-analysis: the re-run's result stands, the old child's never lands."""
    queue.add()
    first = queue.start()
    assert first.lease is not None and first.lease.startswith("worker-a/")
    jobs.ProgressWriter(queue.engine, first.analysis_id, first.lease)(0.4)
    assert jobs.requeue_interrupted(queue.engine).requeued == 1  # the next worker starts
    second = queue.start()
    assert second.lease != first.lease
    with pytest.raises(AnalysisCancelledError, match="cancelled or taken over by a re-run"):
        jobs.ProgressWriter(queue.engine, first.analysis_id, first.lease)(0.9)
    jobs.record_done(
        queue.engine, first.analysis_id, {"from": "orphan"}, "a/old", lease=first.lease
    )
    assert not jobs.record_failure(
        queue.engine, first.analysis_id, "orphan failed", retry=False, lease=first.lease
    )
    running = queue.analysis(first.analysis_id)
    assert (running.status, running.summary_json, running.error) == (JobStatus.running, None, None)
    jobs.ProgressWriter(queue.engine, second.analysis_id, second.lease)(0.5)
    jobs.record_done(
        queue.engine, second.analysis_id, {"from": "re-run"}, "a/1", lease=second.lease
    )
    done = queue.analysis(first.analysis_id)
    assert (done.status, done.summary_json) == (JobStatus.done, {"from": "re-run"})


def test_it_renews_the_lease_with_each_progress_write(queue: Queue) -> None:
    queue.add()
    started = queue.start()
    claimed_at = queue.job_of(started.analysis_id).locked_at
    assert claimed_at is not None
    with queue.db() as db:  # as if claimed a while ago
        job = db.scalars(select(Job).where(Job.video_analysis_id == started.analysis_id)).one()
        job.locked_at = claimed_at - timedelta(minutes=5)
        db.commit()
    jobs.ProgressWriter(queue.engine, started.analysis_id, started.lease)(0.2)
    renewed = queue.job_of(started.analysis_id).locked_at
    assert renewed is not None and renewed >= claimed_at


def test_it_refuses_to_store_a_summary_that_is_not_strict_json(queue: Queue) -> None:
    queue.add()
    started = queue.start()
    with pytest.raises(StatementError, match="Out of range float values are not JSON compliant"):
        jobs.record_done(queue.engine, started.analysis_id, {"mean": float("nan")}, "a/1")
    assert queue.analysis(started.analysis_id).summary_json is None
