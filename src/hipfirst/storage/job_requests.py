"""The requests the app makes of the job queue: queue an analysis, queue it again, cancel it.

The worker's side (claim, progress, outcome, recovery) is :mod:`hipfirst.storage.jobs`,
which re-exports these so the queue reads as one interface. Every change that can race
the worker is a conditional ``UPDATE … WHERE status …`` whose row count says whether it
happened.
"""

from __future__ import annotations

from typing import Any, cast

from sqlalchemy import CursorResult, update
from sqlalchemy.orm import Session

from hipfirst.storage.models import ACTIVE_STATUSES, Job, JobStatus, VideoAnalysis, utcnow

VIDEO_JOB = "video_analysis"
"""The only kind of job so far: analyse the video of ``jobs.video_analysis_id``."""


def enqueue(db: Session, analysis: VideoAnalysis) -> Job:
    """Queue ``analysis`` (already flushed, so it has an id) for the worker; the caller commits."""
    job = Job(kind=VIDEO_JOB, video_analysis_id=analysis.id, status=JobStatus.queued)
    db.add(job)
    return job


def requeue_finished(db: Session, analysis: VideoAnalysis, **values: Any) -> Job | None:
    """Queue a finished analysis again (a new job), with ``values`` changed on its row.

    Its summary and output folder stay as they are until the new run records its
    own (the writers replace the folder only when every file is complete). None when
    the analysis is still queued or running. The caller commits.
    """
    changed = rowcount(
        db.execute(
            update(VideoAnalysis)
            .where(VideoAnalysis.id == analysis.id, VideoAnalysis.status.not_in(ACTIVE_STATUSES))
            .values(
                status=JobStatus.queued,
                progress=0.0,
                error=None,
                started_at=None,
                finished_at=None,
                **values,
            )
            .execution_options(synchronize_session=False)
        )
    )
    if changed != 1:
        return None
    return enqueue(db, analysis)


def cancel(db: Session, analysis: VideoAnalysis) -> bool:
    """Cancel a queued or running analysis; False when it had already finished.

    A queued job is never claimed once cancelled; a running analysis notices at
    its next progress write (or is killed by the worker after a grace period).
    """
    changed = rowcount(
        db.execute(
            update(VideoAnalysis)
            .where(VideoAnalysis.id == analysis.id, VideoAnalysis.status.in_(ACTIVE_STATUSES))
            .values(status=JobStatus.cancelled, finished_at=utcnow())
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


def rowcount(result: Any) -> int:
    """Rows an ``UPDATE`` changed (0 or 1 here): whether a racing change happened."""
    return cast(CursorResult[Any], result).rowcount
