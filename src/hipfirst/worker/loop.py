"""The job loop of ``hipfirst worker``: claim a job, run its analysis in a child, settle it.

One worker process claims jobs one at a time (:func:`hipfirst.storage.jobs.claim_next`)
and runs each analysis in a *child* process, so a crash of the pose model (an
exception, or the child dying outright) fails that one job and the worker
carries on. The worker watches the child: it kills a cancelled child that has
not stopped after :data:`CANCEL_GRACE_S`, and on a stop request (Ctrl+C,
SIGTERM) it kills the child and leaves the job queued for the next start.

Whatever happens, the upload and earlier analyses are never touched; the
analysis writes its outputs atomically, so a failed run leaves no partial
results. If the patient is deleted while their video is analysed, anything the
child wrote after the deletion is removed.

The child dies with this worker and runs at a lower CPU priority than the web
server (:mod:`hipfirst.worker.child`); each claim is a lease, so after a worker
was killed the re-run of its job owns the job and an old child can record nothing.
A child that stops renewing its lease (its progress writes do, every few seconds
while it works) for :data:`STALL_S` is stuck, not slow: it is killed and the
analysis fails with a message, so one hung video does not hold the queue.
"""

from __future__ import annotations

import multiprocessing
import os
import socket
import time
from collections.abc import Callable

from sqlalchemy import Engine

from hipfirst.settings import Settings
from hipfirst.storage import jobs
from hipfirst.storage.database import make_engine
from hipfirst.storage.files import remove_patient_files
from hipfirst.storage.models import JobStatus
from hipfirst.worker.child import ChildTarget, analysis_child, child_entry

CANCEL_GRACE_S = 10.0
"""How long a cancelled child may take to stop before it is killed."""
STALL_S = 600.0
"""A child that has not renewed its lease (written progress) for this long is stuck."""
STALL_CHECK_S = 5.0
"""How often the worker looks at the lease's age."""
Log = Callable[[str], object]


def crash_message(exit_code: int | None) -> str:
    """The analysis page's message when the child ended without recording an outcome."""
    return (
        "The analysis stopped unexpectedly (its process ended with code "
        f"{exit_code}). The upload is kept; try again or use another video."
    )


def stall_message(stall_s: float) -> str:
    """The analysis page's message when the child was stopped for making no progress."""
    span = f"{stall_s:g} seconds" if stall_s < 120 else f"{stall_s / 60:g} minutes"
    return (
        f"The analysis made no progress for {span} and was stopped. "
        "The upload is kept; try again, or use a shorter or another video."
    )


def run_job(
    settings: Settings,
    engine: Engine,
    job_id: int,
    *,
    should_stop: Callable[[], bool] = lambda: False,
    child_target: ChildTarget | None = None,
    poll_s: float = 0.5,
    cancel_grace_s: float = CANCEL_GRACE_S,
    stall_s: float = STALL_S,
) -> JobStatus:
    """Run one claimed job to its end and record the outcome on the job and its analysis.

    ``child_target`` replaces the analysis child (tests of the supervision).
    """
    started = jobs.start(engine, job_id)
    if isinstance(started, JobStatus):
        return started
    context = multiprocessing.get_context("spawn")
    child = context.Process(
        target=child_entry,  # dies with this worker, runs at a lower priority
        args=(
            child_target or analysis_child,
            str(settings.data_dir),
            settings.database_url,
            started.analysis_id,
            started.lease,
        ),
        name=f"hipfirst-analysis-{started.analysis_id}",
        daemon=True,
    )
    child.start()
    cancelled_at: float | None = None
    stopping = stalled = False
    checked_at = time.monotonic()
    while child.is_alive():
        child.join(poll_s)
        if not child.is_alive():
            break
        if should_stop():
            stopping = True
            child.kill()
            break
        if time.monotonic() - checked_at >= min(STALL_CHECK_S, stall_s / 2):
            checked_at = time.monotonic()
            age = jobs.lease_age_s(engine, started)
            if age is not None and age > stall_s:
                stalled = True
                child.kill()
                break
        if cancelled_at is None and jobs.analysis_status(engine, started.analysis_id) in (
            JobStatus.cancelled,
            None,  # the patient was deleted
        ):
            cancelled_at = time.monotonic()
        if cancelled_at is not None and time.monotonic() - cancelled_at > cancel_grace_s:
            child.kill()
    child.join()
    error = stall_message(stall_s) if stalled else crash_message(child.exitcode)
    outcome = jobs.conclude(engine, started, stopping=stopping, crash_error=error)
    if outcome is None:  # the patient was deleted meanwhile
        # the child may have written outputs after the deletion removed the folder
        if jobs.patient_gone(engine, started.patient_id):
            remove_patient_files(settings.data_dir, started.patient_id)
        return JobStatus.cancelled
    return outcome


def run_worker(
    settings: Settings,
    *,
    until_idle: bool = False,
    poll_s: float = 1.0,
    should_stop: Callable[[], bool] = lambda: False,
    log: Log = lambda _line: None,
    child_target: ChildTarget | None = None,
    stall_s: float = STALL_S,
) -> int:
    """Process jobs until ``should_stop()`` (or, with ``until_idle``, the queue is empty).

    Re-queues jobs a previous worker left running (``hipfirst worker`` checks the
    schema first, like the web app). Returns the number of jobs run.
    """
    engine = make_engine(settings.database_url)
    worker_id = f"{socket.gethostname()}:{os.getpid()}"
    try:
        recovered = jobs.requeue_interrupted(engine)
        if recovered.requeued:
            log(f"Re-queued {recovered.requeued} analysis job(s) interrupted by an earlier stop.")
        if recovered.given_up:
            log(
                f"Gave up {recovered.given_up} analysis job(s) started {jobs.MAX_ATTEMPTS} "
                "times without finishing."
            )
        count = 0
        while not should_stop():
            job_id = jobs.claim_next(engine, worker_id)
            if job_id is None:
                if until_idle:
                    break
                _sleep(poll_s, should_stop)
                continue
            log(f"Job {job_id}: started.")
            outcome = run_job(
                settings,
                engine,
                job_id,
                should_stop=should_stop,
                child_target=child_target,
                stall_s=stall_s,
            )
            log(f"Job {job_id}: {outcome.value}.")
            count += 1
        return count
    finally:
        engine.dispose()


def _sleep(seconds: float, should_stop: Callable[[], bool]) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and not should_stop():
        time.sleep(min(0.2, seconds))
