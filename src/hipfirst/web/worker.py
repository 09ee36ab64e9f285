"""The background worker: runs queued video analyses outside the web requests.

One worker process claims jobs from the ``jobs`` table one at a time and runs
each analysis in a *child* process, so a crash of the pose model (an
exception, or the child dying outright) fails that one job and the worker
carries on. The child writes its progress to the database (throttled) and
checks there, at the same moment, whether the analysis was cancelled.

Claiming is a conditional ``UPDATE … WHERE id = :id AND status = 'queued'``
whose row count says whether this worker won the job, which is atomic on
SQLite and PostgreSQL alike. On start the worker re-queues jobs left
``running`` by a worker that died, so nothing is lost after a restart.

Status moves: queued → running → done | failed | cancelled. Whatever
happens, the upload and earlier analyses are never touched; the analysis
writes its outputs atomically, so a failed run leaves no partial results.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import socket
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, cast

from sqlalchemy import CursorResult, Engine, select, update
from sqlalchemy.orm import Session

from hipfirst.errors import HipfirstError
from hipfirst.knowledge.vocabulary import OutputFile
from hipfirst.settings import Settings
from hipfirst.storage.database import make_engine, make_sessionmaker
from hipfirst.storage.files import analysis_dir, remove_patient_files, uploads_dir
from hipfirst.storage.models import (
    AnalysisStatus,
    Job,
    JobStatus,
    Patient,
    VideoAnalysis,
    utcnow,
)

VIDEO_JOB = "video_analysis"
PROGRESS_EVERY_S = 0.5  # at most two progress writes per second
CANCEL_GRACE_S = 10.0  # how long a cancelled child may take to stop before it is killed
Log = Callable[[str], None]
ChildTarget = Callable[[str, str, int], None]


class AnalysisCancelledError(Exception):
    """Raised inside the child when the analysis was cancelled from the web page."""


def enqueue_analysis(db: Session, analysis: VideoAnalysis) -> Job:
    """Queue ``analysis`` (already flushed, so it has an id) for the worker."""
    job = Job(
        kind=VIDEO_JOB,
        payload={"analysis_id": analysis.id},
        video_analysis_id=analysis.id,
        status=JobStatus.queued,
    )
    db.add(job)
    return job


def request_cancel(db: Session, analysis: VideoAnalysis) -> bool:
    """Cancel a queued or running analysis; False when it had already finished.

    A queued job is never claimed once cancelled; a running child notices at
    its next progress write (or is killed by the worker after a grace period).
    """
    active = (AnalysisStatus.queued, AnalysisStatus.running)
    changed = _rowcount(
        db.execute(
            update(VideoAnalysis)
            .where(VideoAnalysis.id == analysis.id, VideoAnalysis.status.in_(active))
            .values(status=AnalysisStatus.cancelled, finished_at=utcnow())
            .execution_options(synchronize_session=False)
        )
    )
    if changed:
        db.execute(
            update(Job)
            .where(Job.video_analysis_id == analysis.id, Job.status == JobStatus.queued)
            .values(status=JobStatus.cancelled, finished_at=utcnow())
            .execution_options(synchronize_session=False)
        )
    db.commit()
    db.refresh(analysis)
    return changed == 1


def recover_interrupted(engine: Engine) -> int:
    """Put jobs (and their analyses) left ``running`` by a dead worker back in the queue."""
    with make_sessionmaker(engine)() as db:
        count = _rowcount(
            db.execute(
                update(Job)
                .where(Job.status == JobStatus.running)
                .values(status=JobStatus.queued, locked_by=None, locked_at=None)
            )
        )
        db.execute(
            update(VideoAnalysis)
            .where(VideoAnalysis.status == AnalysisStatus.running)
            .values(status=AnalysisStatus.queued, progress=0.0, started_at=None)
        )
        db.commit()
    return count


def claim_next_job(engine: Engine, worker_id: str) -> int | None:
    """The id of the oldest queued job, now ``running`` and locked by this worker; or None."""
    with make_sessionmaker(engine)() as db:
        while True:
            job_id = db.scalar(
                select(Job.id).where(Job.status == JobStatus.queued).order_by(Job.id).limit(1)
            )
            if job_id is None:
                return None
            won = _rowcount(
                db.execute(
                    update(Job)
                    .where(Job.id == job_id, Job.status == JobStatus.queued)
                    .values(
                        status=JobStatus.running,
                        locked_by=worker_id,
                        locked_at=utcnow(),
                        attempts=Job.attempts + 1,
                    )
                )
            )
            db.commit()
            if won == 1:
                return job_id
            # another worker took it between our SELECT and UPDATE: try the next one


def run_job(
    settings: Settings,
    engine: Engine,
    job_id: int,
    *,
    should_stop: Callable[[], bool] = lambda: False,
    child_target: ChildTarget | None = None,
    poll_s: float = 0.5,
    cancel_grace_s: float = CANCEL_GRACE_S,
) -> JobStatus:
    """Run one claimed job to its end and record the outcome on the job and its analysis.

    ``child_target`` replaces the analysis child (tests of the supervision).
    """
    sessions = make_sessionmaker(engine)
    with sessions() as db:
        job = db.get(Job, job_id)
        if job is None:
            return JobStatus.failed
        analysis_id = job.video_analysis_id
        if job.kind != VIDEO_JOB or analysis_id is None:
            _finish_job(db, job, JobStatus.failed, f"unknown job kind {job.kind!r}")
            return JobStatus.failed
        started = _rowcount(
            db.execute(
                update(VideoAnalysis)
                .where(
                    VideoAnalysis.id == analysis_id, VideoAnalysis.status == AnalysisStatus.queued
                )
                .values(status=AnalysisStatus.running, progress=0.0, started_at=utcnow())
            )
        )
        db.commit()
        if started != 1:  # cancelled (or removed) after it was queued
            _finish_job(db, job, JobStatus.cancelled, None)
            return JobStatus.cancelled
        patient_id = db.scalar(
            select(VideoAnalysis.patient_id).where(VideoAnalysis.id == analysis_id)
        )

    context = multiprocessing.get_context("spawn")
    child = context.Process(
        target=child_target or analysis_child,
        args=(str(settings.data_dir), settings.database_url, analysis_id),
        name=f"hipfirst-analysis-{analysis_id}",
        daemon=True,
    )
    child.start()
    cancelled_at: float | None = None
    interrupted = False
    while child.is_alive():
        child.join(poll_s)
        if not child.is_alive():
            break
        if should_stop():
            interrupted = True
            child.kill()
            break
        if cancelled_at is None and _analysis_status(engine, analysis_id) in (
            AnalysisStatus.cancelled,
            None,  # the patient was deleted
        ):
            cancelled_at = time.monotonic()
        if cancelled_at is not None and time.monotonic() - cancelled_at > cancel_grace_s:
            child.kill()
    child.join()

    with sessions() as db:
        job = db.get(Job, job_id)
        analysis = db.get(VideoAnalysis, analysis_id)
        if job is None or analysis is None:  # the patient was deleted meanwhile
            if patient_id is not None and db.get(Patient, patient_id) is None:
                # the child may have written outputs after the deletion removed the folder
                remove_patient_files(settings.data_dir, patient_id)
            return JobStatus.cancelled
        if interrupted and analysis.status is AnalysisStatus.running:
            # the worker is shutting down: leave the job for the next start
            analysis.status, analysis.progress, analysis.started_at = (
                AnalysisStatus.queued,
                0.0,
                None,
            )
            job.status, job.locked_by, job.locked_at = JobStatus.queued, None, None
            db.commit()
            return JobStatus.queued
        if analysis.status is AnalysisStatus.running:
            analysis.status = AnalysisStatus.failed
            analysis.error = (
                "The analysis stopped unexpectedly (its process ended with code "
                f"{child.exitcode}). The upload is kept; try again or use another video."
            )
            analysis.finished_at = utcnow()
        outcome = {
            AnalysisStatus.done: JobStatus.done,
            AnalysisStatus.cancelled: JobStatus.cancelled,
        }.get(analysis.status, JobStatus.failed)
        _finish_job(db, job, outcome, analysis.error if outcome is JobStatus.failed else None)
        return outcome


def run_worker(
    settings: Settings,
    *,
    until_idle: bool = False,
    poll_s: float = 1.0,
    should_stop: Callable[[], bool] = lambda: False,
    log: Log = lambda _line: None,
    child_target: ChildTarget | None = None,
) -> int:
    """Process jobs until ``should_stop()`` (or, with ``until_idle``, the queue is empty).

    Returns the number of jobs run. Re-queues jobs a previous worker left running.
    """
    engine = make_engine(settings.database_url)
    worker_id = f"{socket.gethostname()}:{os.getpid()}"
    try:
        resumed = recover_interrupted(engine)
        if resumed:
            log(f"Re-queued {resumed} analysis job(s) interrupted by an earlier stop.")
        count = 0
        while not should_stop():
            job_id = claim_next_job(engine, worker_id)
            if job_id is None:
                if until_idle:
                    break
                _sleep(poll_s, should_stop)
                continue
            log(f"Job {job_id}: started.")
            outcome = run_job(
                settings, engine, job_id, should_stop=should_stop, child_target=child_target
            )
            log(f"Job {job_id}: {outcome.value}.")
            count += 1
        return count
    finally:
        engine.dispose()


def analysis_child(data_dir: str, database_url: str, analysis_id: int) -> None:
    """Entry point of the child process: analyse one upload and record the result.

    Ctrl+C is left to the worker (which re-queues the job), so the child ignores it.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    engine = make_engine(database_url)
    try:
        _analyse(Path(data_dir), engine, analysis_id)
    finally:
        engine.dispose()


def _analyse(data_dir: Path, engine: Engine, analysis_id: int) -> None:
    from hipfirst.application.video_analysis import analyze_video

    sessions = make_sessionmaker(engine)
    with sessions() as db:
        analysis = db.get(VideoAnalysis, analysis_id)
        if analysis is None:
            return
        patient = db.get(Patient, analysis.patient_id)
        assert patient is not None
        upload = uploads_dir(data_dir, patient.id) / analysis.upload_name
        out_dir = analysis_dir(data_dir, patient.id, analysis.id)
        task, side, original = analysis.task, analysis.side, analysis.original_name
    progress = _ProgressWriter(engine, analysis_id)
    try:
        if not upload.is_file():
            raise HipfirstError(f"the uploaded file {original!r} is missing")
        analyze_video(
            upload,
            task=task,
            side=cast(Any, side),
            out_dir=out_dir,
            progress=progress,
            display_name=original,
        )
        summary = _read_summary(out_dir)
    except AnalysisCancelledError:
        return
    except Exception as error:  # every failure is shown on the analysis page
        # the user knows the file by the name they uploaded, not by our generated one
        message = _describe(error).replace(upload.name, original)
        _record(engine, analysis_id, status=AnalysisStatus.failed, error=message)
        return
    _record(
        engine,
        analysis_id,
        status=AnalysisStatus.done,
        progress=1.0,
        summary_json=summary,
        output_dir=out_dir.relative_to(data_dir).as_posix(),
        error=None,
    )


class _ProgressWriter:
    """The ``progress`` callback: writes the fraction done, and stops a cancelled run."""

    def __init__(self, engine: Engine, analysis_id: int) -> None:
        self.engine = engine
        self.analysis_id = analysis_id
        self.last_write = 0.0

    def __call__(self, fraction: float) -> None:
        now = time.monotonic()
        if now - self.last_write < PROGRESS_EVERY_S:
            return
        self.last_write = now
        with make_sessionmaker(self.engine)() as db:
            still_running = _rowcount(
                db.execute(
                    update(VideoAnalysis)
                    .where(
                        VideoAnalysis.id == self.analysis_id,
                        VideoAnalysis.status == AnalysisStatus.running,
                    )
                    .values(progress=max(0.0, min(1.0, float(fraction))))
                )
            )
            db.commit()
        if still_running != 1:
            raise AnalysisCancelledError


def _record(engine: Engine, analysis_id: int, **values: Any) -> None:
    """Store the outcome, unless the analysis was cancelled meanwhile."""
    with make_sessionmaker(engine)() as db:
        db.execute(
            update(VideoAnalysis)
            .where(
                VideoAnalysis.id == analysis_id,
                VideoAnalysis.status == AnalysisStatus.running,
            )
            .values(finished_at=utcnow(), **values)
        )
        db.commit()


def _read_summary(out_dir: Path) -> dict[str, Any] | None:
    import json

    path = out_dir / OutputFile.SUMMARY
    if not path.is_file():
        return None
    document = json.loads(path.read_text(encoding="utf-8"))
    return document if isinstance(document, dict) else None


def _describe(error: Exception) -> str:
    """A message for the analysis page: ours are written for users; others get their type."""
    if isinstance(error, HipfirstError):
        return str(error)
    return f"The analysis failed ({type(error).__name__}: {error})."


def _finish_job(db: Session, job: Job, status: JobStatus, error: str | None) -> None:
    job.status = status
    job.error = error
    job.finished_at = utcnow()
    db.commit()


def _analysis_status(engine: Engine, analysis_id: int) -> AnalysisStatus | None:
    with make_sessionmaker(engine)() as db:
        return db.scalar(select(VideoAnalysis.status).where(VideoAnalysis.id == analysis_id))


def _rowcount(result: Any) -> int:
    return cast(CursorResult[Any], result).rowcount


def _sleep(seconds: float, should_stop: Callable[[], bool]) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and not should_stop():
        time.sleep(min(0.2, seconds))
