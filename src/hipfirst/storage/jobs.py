"""The job queue beside the models: every status change of a job and of its video analysis.

A job row (``jobs``) carries one video analysis (``video_analyses``) through
``queued → running → done | failed | cancelled`` (:class:`JobStatus`, one enum
for both rows). Every change that can race another process is a conditional
``UPDATE … WHERE status = …`` whose row count says whether it happened, which is
atomic on SQLite and PostgreSQL alike:

* :func:`claim_next`: a worker takes the oldest queued job (two workers never get
  the same one);
* :class:`ProgressWriter`: the analysis process writes its progress (throttled)
  and learns, from the same statement, that the analysis was cancelled;
* :func:`cancel`: the web page cancels a queued or running analysis (this and
  :func:`enqueue` / :func:`requeue_finished`, the app's requests, live in
  :mod:`~hipfirst.storage.job_requests`);
* :func:`record_done` / :func:`record_failure`: the outcome, unless it was
  cancelled meanwhile.

**The lease.** Each claim writes a fresh token into ``jobs.locked_by``
(``host:pid/random``) and the time into ``locked_at``. The analysis process gets
the token and every write it makes (progress, outcome) holds only while the job
still carries it; progress writes renew ``locked_at``. When a re-run takes a job
over (:func:`requeue_interrupted`, then a new claim), an analysis process of the
old claim that is somehow still alive finds its writes refused: its progress
callback stops it, and its result is never recorded over the re-run's.

``attempts`` counts the starts of a job that did not end in a clean stop. A job
left running by a worker that died is queued again on the next start
(:func:`requeue_interrupted`) until it has used :data:`MAX_ATTEMPTS`; then it is
failed with a message on the analysis page, so a video that keeps killing the
worker does not block the queue for ever. A non-permanent
:class:`~hipfirst.errors.AnalysisError` is retried within the same limit.
"""

from __future__ import annotations

import secrets
import time
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Engine, exists, select, true, update
from sqlalchemy.orm import Session

from hipfirst.errors import AnalysisCancelledError
from hipfirst.storage.database import make_sessionmaker
from hipfirst.storage.job_requests import VIDEO_JOB, rowcount
from hipfirst.storage.job_requests import cancel as cancel  # the app's requests, re-exported:
from hipfirst.storage.job_requests import enqueue as enqueue  # one interface for the queue
from hipfirst.storage.job_requests import requeue_finished as requeue_finished
from hipfirst.storage.models import (
    ACTIVE_STATUSES,
    Job,
    JobStatus,
    Patient,
    VideoAnalysis,
    utcnow,
)

MAX_ATTEMPTS = 3
"""Starts of one job (clean stops of the worker not counted) before it is given up."""
PROGRESS_EVERY_S = 0.5
"""At most two progress writes per second."""
GAVE_UP = (
    "The analysis was started {attempts} times and each time the worker stopped while it "
    "ran (the computer may have run out of memory), so it is not tried again. The upload "
    "is kept; try a shorter video or another one."
)


@dataclass(frozen=True)
class StartedJob:
    """A claimed job whose analysis is now running."""

    job_id: int
    analysis_id: int
    patient_id: int
    lease: str | None = None
    """The claim's token in ``jobs.locked_by``; the analysis writes only while it holds."""


@dataclass(frozen=True)
class Recovered:
    """What :func:`requeue_interrupted` found: jobs queued again, and jobs given up."""

    requeued: int
    given_up: int


def requeue_interrupted(engine: Engine) -> Recovered:
    """Put jobs (and analyses) left ``running`` by a dead worker back in the queue.

    A job that has already been started :data:`MAX_ATTEMPTS` times is failed
    instead, with :data:`GAVE_UP` on its analysis.
    """
    with make_sessionmaker(engine)() as db:
        exhausted = db.execute(
            select(Job.id, Job.video_analysis_id, Job.attempts).where(
                Job.status == JobStatus.running, Job.attempts >= MAX_ATTEMPTS
            )
        ).all()
        for job_id, analysis_id, attempts in exhausted:
            error = GAVE_UP.format(attempts=attempts)
            db.execute(
                update(VideoAnalysis)
                .where(VideoAnalysis.id == analysis_id, VideoAnalysis.status.in_(ACTIVE_STATUSES))
                .values(status=JobStatus.failed, error=error, finished_at=utcnow())
            )
            db.execute(
                update(Job)
                .where(Job.id == job_id)
                .values(status=JobStatus.failed, error=error, finished_at=utcnow())
            )
        requeued = rowcount(
            db.execute(
                update(Job)
                .where(Job.status == JobStatus.running)
                .values(status=JobStatus.queued, locked_by=None, locked_at=None)
            )
        )
        db.execute(
            update(VideoAnalysis)
            .where(VideoAnalysis.status == JobStatus.running)
            .values(status=JobStatus.queued, progress=0.0, started_at=None)
        )
        db.commit()
    return Recovered(requeued=requeued, given_up=len(exhausted))


def new_lease(worker_id: str) -> str:
    """A token for one claim: the worker's id and a random part (fits ``locked_by``)."""
    return f"{worker_id[:80]}/{secrets.token_hex(6)}"


def holds_lease(analysis_id: int, lease: str | None) -> ColumnElement[bool]:
    """SQL: the running job of this analysis still carries ``lease`` (always true for None)."""
    if lease is None:
        return true()
    return exists().where(
        Job.video_analysis_id == analysis_id,
        Job.status == JobStatus.running,
        Job.locked_by == lease,
    )


def claim_next(engine: Engine, worker_id: str) -> int | None:
    """The oldest queued job's id, now ``running`` under a new lease of this worker; or None."""
    with make_sessionmaker(engine)() as db:
        while True:
            job_id = db.scalar(
                select(Job.id).where(Job.status == JobStatus.queued).order_by(Job.id).limit(1)
            )
            if job_id is None:
                return None
            won = rowcount(
                db.execute(
                    update(Job)
                    .where(Job.id == job_id, Job.status == JobStatus.queued)
                    .values(
                        status=JobStatus.running,
                        locked_by=new_lease(worker_id),
                        locked_at=utcnow(),
                        attempts=Job.attempts + 1,
                    )
                )
            )
            db.commit()
            if won == 1:
                return job_id
            # another worker took it between our SELECT and UPDATE: try the next one


def start(engine: Engine, job_id: int) -> StartedJob | JobStatus:
    """Mark the analysis of a claimed job running; or end the job and return its status.

    A job of an unknown kind fails; one whose analysis was cancelled (or
    removed) after it was queued ends cancelled.
    """
    with make_sessionmaker(engine)() as db:
        job = db.get(Job, job_id)
        if job is None:
            return JobStatus.failed
        analysis_id = job.video_analysis_id
        if job.kind != VIDEO_JOB or analysis_id is None:
            finish(db, job, JobStatus.failed, f"unknown job kind {job.kind!r}")
            return JobStatus.failed
        started = rowcount(
            db.execute(
                update(VideoAnalysis)
                .where(VideoAnalysis.id == analysis_id, VideoAnalysis.status == JobStatus.queued)
                .values(status=JobStatus.running, progress=0.0, started_at=utcnow())
            )
        )
        db.commit()
        patient_id = db.scalar(
            select(VideoAnalysis.patient_id).where(VideoAnalysis.id == analysis_id)
        )
        if started != 1 or patient_id is None:
            finish(db, job, JobStatus.cancelled, None)
            return JobStatus.cancelled
        return StartedJob(job_id, analysis_id, patient_id, job.locked_by)


def analysis_status(engine: Engine, analysis_id: int) -> JobStatus | None:
    """The analysis's status now; None once it is gone (its patient was deleted)."""
    with make_sessionmaker(engine)() as db:
        return db.scalar(select(VideoAnalysis.status).where(VideoAnalysis.id == analysis_id))


def lease_age_s(engine: Engine, started: StartedJob) -> float | None:
    """Seconds since the analysis last renewed its lease (progress writes renew it); None
    when the job no longer carries this claim's lease."""
    with make_sessionmaker(engine)() as db:
        renewed = db.scalar(
            select(Job.locked_at).where(Job.id == started.job_id, Job.locked_by == started.lease)
        )
    if renewed is None:
        return None
    return (utcnow() - renewed).total_seconds()


class ProgressWriter:
    """The ``progress`` callback of one running analysis.

    Writes the fraction done (0..1) at most every :data:`PROGRESS_EVERY_S`
    seconds with ``UPDATE … WHERE status = 'running'`` (and, with a ``lease``,
    while the job still carries it, renewing ``locked_at``); when that touches no
    row the analysis was cancelled, deleted or taken over by a re-run, and it
    raises :class:`~hipfirst.errors.AnalysisCancelledError` to stop the run.
    """

    def __init__(self, engine: Engine, analysis_id: int, lease: str | None = None) -> None:
        self.engine = engine
        self.analysis_id = analysis_id
        self.lease = lease
        self.last_write = 0.0

    def __call__(self, fraction: float) -> None:
        now = time.monotonic()
        if now - self.last_write < PROGRESS_EVERY_S:
            return
        self.last_write = now
        with make_sessionmaker(self.engine)() as db:
            still_running = rowcount(
                db.execute(
                    update(VideoAnalysis)
                    .where(
                        VideoAnalysis.id == self.analysis_id,
                        VideoAnalysis.status == JobStatus.running,
                        holds_lease(self.analysis_id, self.lease),
                    )
                    .values(progress=max(0.0, min(1.0, float(fraction))))
                    .execution_options(synchronize_session=False)
                )
            )
            if still_running == 1 and self.lease is not None:
                db.execute(
                    update(Job).where(Job.locked_by == self.lease).values(locked_at=utcnow())
                )
            db.commit()
        if still_running != 1:
            raise AnalysisCancelledError(
                f"analysis {self.analysis_id} was cancelled or taken over by a re-run"
            )


def record_done(
    engine: Engine,
    analysis_id: int,
    summary: dict[str, Any] | None,
    output_dir: str,
    *,
    lease: str | None = None,
) -> None:
    """Store a finished analysis (summary JSON, output folder relative to the data dir)."""
    _record(
        engine,
        analysis_id,
        lease,
        status=JobStatus.done,
        progress=1.0,
        summary_json=summary,
        output_dir=output_dir,
        error=None,
        finished_at=utcnow(),
    )


def record_failure(
    engine: Engine, analysis_id: int, error: str, *, retry: bool, lease: str | None = None
) -> bool:
    """Store a failed run; with ``retry``, queue it again instead while attempts are left.

    Returns True when the analysis went back to the queue (the worker then
    queues its job again, see :func:`conclude`).
    """
    with make_sessionmaker(engine)() as db:
        attempts = db.scalar(
            select(Job.attempts).where(
                Job.video_analysis_id == analysis_id,
                Job.status == JobStatus.running,
                *([Job.locked_by == lease] if lease is not None else []),
            )
        )
    if retry and attempts is not None and attempts < MAX_ATTEMPTS:
        _record(engine, analysis_id, lease, status=JobStatus.queued, progress=0.0, started_at=None)
        return True
    _record(engine, analysis_id, lease, status=JobStatus.failed, error=error, finished_at=utcnow())
    return False


def _record(engine: Engine, analysis_id: int, lease: str | None, **values: Any) -> None:
    """Update a running analysis, unless it was cancelled, deleted or taken over meanwhile."""
    with make_sessionmaker(engine)() as db:
        db.execute(
            update(VideoAnalysis)
            .where(
                VideoAnalysis.id == analysis_id,
                VideoAnalysis.status == JobStatus.running,
                holds_lease(analysis_id, lease),
            )
            .values(**values)
            .execution_options(synchronize_session=False)
        )
        db.commit()


def conclude(
    engine: Engine, started: StartedJob, *, stopping: bool, crash_error: str
) -> JobStatus | None:
    """Settle a job after its analysis process ended; None when its rows are gone.

    * the worker is ``stopping`` and the analysis still runs: both go back to
      the queue for the next start, and this start is not counted;
    * the analysis asked for a retry (it is queued again): so is the job;
    * the analysis still shows ``running``: the process died without recording
      anything, and the analysis fails with ``crash_error``;
    * otherwise the job takes the analysis's outcome.
    """
    with make_sessionmaker(engine)() as db:
        job = db.get(Job, started.job_id)
        analysis = db.get(VideoAnalysis, started.analysis_id)
        if job is None or analysis is None:
            return None
        if stopping and analysis.status is JobStatus.running:
            analysis.status, analysis.progress, analysis.started_at = JobStatus.queued, 0.0, None
            job.attempts -= 1
        if analysis.status is JobStatus.queued:
            job.status, job.locked_by, job.locked_at = JobStatus.queued, None, None
            db.commit()
            return JobStatus.queued
        if analysis.status is JobStatus.running:
            analysis.status = JobStatus.failed
            analysis.error = crash_error
            analysis.finished_at = utcnow()
        outcome = analysis.status  # done, failed or cancelled
        finish(db, job, outcome, analysis.error if outcome is JobStatus.failed else None)
        return outcome


def patient_gone(engine: Engine, patient_id: int) -> bool:
    """True when the patient of a job was deleted (the job's rows went with it)."""
    with make_sessionmaker(engine)() as db:
        return db.get(Patient, patient_id) is None


def finish(db: Session, job: Job, status: JobStatus, error: str | None) -> None:
    """End a job with ``status`` (and the error shown for a failure) and commit."""
    job.status = status
    job.error = error
    job.finished_at = utcnow()
    db.commit()
