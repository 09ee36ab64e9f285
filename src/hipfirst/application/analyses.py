"""Video analyses of stored uploads: queue one, run one, cancel one.

* :func:`queue_upload` (web upload page): check the choices, store the file
  under a generated name, add a queued ``VideoAnalysis`` and its job. Nothing
  is analysed inside a web request.
* :func:`run_analysis` (the worker's analysis process): find the row, run the
  video pipeline on the upload with a progress callback that also notices a
  cancel, and record the outcome.
* :func:`cancel_analysis` (web page): cancel a queued or running analysis.
* :func:`choose_person` (web page): the user names the subject among the people an
  analysis found; the same upload is analysed again with that person (a new job on
  the same analysis, whose earlier results stay until the new run succeeds).

:func:`analyze_upload` is the one place that calls the video pipeline.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any, BinaryIO, cast

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from hipfirst.errors import (
    AnalysisCancelledError,
    AnalysisError,
    FieldError,
    FileFormatError,
    HipfirstError,
    InputValidationError,
)
from hipfirst.knowledge.vocabulary import SIDE_CHOICES, VIDEO_TASKS, OutputFile, SideChoice
from hipfirst.settings import Settings
from hipfirst.storage import jobs
from hipfirst.storage.database import make_sessionmaker
from hipfirst.storage.files import analysis_dir, uploads_dir
from hipfirst.storage.models import JobStatus, Patient, User, VideoAnalysis
from hipfirst.storage.uploads import store_upload

MAX_ORIGINAL_NAME = 255
"""The user's file name is kept for display, cut to the column's length."""


def analyze_upload(
    upload: Path,
    *,
    task: str,
    side: SideChoice,
    out_dir: Path,
    progress: Callable[[float], None] | None = None,
    display_name: str | None = None,
    model: str | None = None,
    person: int | None = None,
) -> dict[str, Any]:
    """Run the video pipeline on one stored upload; its outputs go to ``out_dir``.

    Returns the summary document (the content of ``summary.json``). ``model``: the
    pose model (None: the default); ``person``: the subject chosen by the user
    (None: the analysis chooses). The pipeline (and the pose model behind it) is
    imported here, on first use, so the web app and the worker's supervisor never
    load it.
    """
    from hipfirst.application.video_analysis import analyze_video

    summary = analyze_video(
        upload,
        task=task,
        side=side,
        out_dir=out_dir,
        progress=progress,
        display_name=display_name,
        model=model,
        person=person,
    )
    return summary.data


def upload_choice_errors(task: str, side: str) -> list[FieldError]:
    """Problems with the movement and leg chosen on the upload form."""
    errors = []
    if task not in VIDEO_TASKS:
        errors.append(
            FieldError(
                "task",
                f"choose the movement filmed ({task!r} is not one of: "
                + ", ".join(VIDEO_TASKS)
                + ")",
            )
        )
    if side not in SIDE_CHOICES:
        message = f"choose left, right or auto ({side!r} is not one of these)"
        errors.append(FieldError("side", message))
    return errors


def queue_upload(
    db: Session,
    settings: Settings,
    patient: Patient,
    user: User,
    *,
    task: str,
    side: str,
    upload: BinaryIO | None,
    file_name: str | None,
) -> VideoAnalysis:
    """Store an uploaded video (or photo) of ``patient`` and queue its analysis.

    ``upload`` is None when no file was chosen. The file is stored only when
    the choices are valid. Raises :class:`~hipfirst.errors.InputValidationError`
    naming the fields ``task``, ``side`` and ``video``.
    """
    errors = upload_choice_errors(task, side)
    name = ""
    if upload is None:
        errors.append(FieldError("video", "choose a video or photo to upload"))
    elif not errors:
        folder = uploads_dir(settings.data_dir, patient.id)
        try:
            name = store_upload(upload, file_name, folder, settings.max_upload_bytes)
        except FileFormatError as error:
            errors.append(FieldError("video", str(error)))
    if errors:
        raise InputValidationError("video upload", errors)
    analysis = VideoAnalysis(
        patient_id=patient.id,
        upload_name=name,
        original_name=(file_name or "upload")[:MAX_ORIGINAL_NAME],
        task=task,
        side=side,
        status=JobStatus.queued,
        uploaded_by_id=user.id,
        pose_model=settings.pose_model,
    )
    db.add(analysis)
    db.flush()
    jobs.enqueue(db, analysis)
    db.commit()
    return analysis


def choose_person(db: Session, analysis: VideoAnalysis, person: str) -> None:
    """Analyse the same upload again with ``person`` (a candidate id from the form) as subject.

    Refused (field ``person``) unless the analysis has ended and listed that
    candidate. The summary and files of the earlier run stay until the new run
    succeeds; a failed re-run leaves them as they were.
    """
    from hipfirst.video_io.people_figure import candidates_of  # cv2, only when choosing

    ids = [int(c["id"]) for c in candidates_of(analysis.summary_json)]
    shown = ", ".join(str(number) for number in ids) or "none"
    if not person.isdigit() or int(person) not in ids:
        raise InputValidationError(
            "person choice",
            [FieldError("person", f"choose one of the people found (candidates: {shown})", person)],
        )
    if jobs.requeue_finished(db, analysis, person=int(person)) is None:
        db.rollback()
        raise InputValidationError(
            "person choice",
            [FieldError("person", "wait until the analysis running now has ended", person)],
        )
    db.commit()
    db.refresh(analysis)


def cancel_analysis(db: Session, analysis: VideoAnalysis) -> bool:
    """Cancel a queued or running analysis; False when it had already ended. Uploads stay."""
    return jobs.cancel(db, analysis)


def run_analysis(
    engine: Engine, data_dir: Path, analysis_id: int, *, lease: str | None = None
) -> None:
    """Analyse one stored upload and record the outcome on its row (the worker's child calls it).

    Every failure is recorded for the analysis page, worded for the user: the
    generated storage name in a message is replaced by the name the user
    uploaded. A non-permanent :class:`~hipfirst.errors.AnalysisError` goes back
    to the queue while the job has attempts left. A cancel stops the run at its
    next progress write and records nothing. ``lease`` is the worker's claim
    (:func:`hipfirst.storage.jobs.claim_next`): once a re-run has taken the job
    over, this run's progress and outcome are refused, so it stops and records nothing.
    """
    with make_sessionmaker(engine)() as db:
        analysis = db.get(VideoAnalysis, analysis_id)
        if analysis is None:
            return
        upload = uploads_dir(data_dir, analysis.patient_id) / analysis.upload_name
        out_dir = analysis_dir(data_dir, analysis.patient_id, analysis.id)
        task, side, original = analysis.task, analysis.side, analysis.original_name
        model, person = analysis.pose_model, analysis.person
    try:
        if not upload.is_file():
            raise HipfirstError(f"the uploaded file {original!r} is missing")
        analyze_upload(
            upload,
            task=task,
            side=cast(SideChoice, side),  # checked on upload; the pipeline checks again
            out_dir=out_dir,
            progress=jobs.ProgressWriter(engine, analysis_id, lease),
            display_name=original,
            model=model,
            person=person,
        )
        summary = _read_summary(out_dir)
    except AnalysisCancelledError:
        return
    except Exception as error:  # every failure is shown on the analysis page
        message = _describe(error).replace(upload.name, original)
        retry = isinstance(error, AnalysisError) and not error.permanent
        jobs.record_failure(engine, analysis_id, message, retry=retry, lease=lease)
        return
    output = out_dir.relative_to(data_dir).as_posix()
    jobs.record_done(engine, analysis_id, summary, output, lease=lease)


def _read_summary(out_dir: Path) -> dict[str, Any] | None:
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
