"""Video uploads and their analyses: upload, live progress, results, cancel, compare.

Both the clinician (their own patients) and the patient (their own record)
use these pages; every route takes the patient through
:data:`~hipfirst.web.deps.PatientRecord`, which scopes and audits it. The
analysis itself never runs here: an upload creates a ``VideoAnalysis`` and a
queued ``Job`` (:func:`hipfirst.application.analyses.queue_upload`) that the
worker process (:mod:`hipfirst.worker`) picks up.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, File, Form, HTTPException, Query, Request, UploadFile
from fastapi.responses import FileResponse, RedirectResponse, Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from hipfirst.application.analyses import cancel_analysis, choose_person, queue_upload
from hipfirst.errors import InputValidationError
from hipfirst.knowledge.vocabulary import OutputFile, VideoTask
from hipfirst.settings import Settings
from hipfirst.storage.files import analysis_dir
from hipfirst.storage.models import ACTIVE_STATUSES, JobStatus, Patient, Role, User, VideoAnalysis
from hipfirst.storage.record_ids import MAX_RECORD_ID
from hipfirst.web.deps import (
    AppSettings,
    CurrentUser,
    DbSession,
    PatientRecord,
    RecordId,
)
from hipfirst.web.templating import flash, render
from hipfirst.web.video_view import change_rows, metric_rows, quality_warnings

router = APIRouter(prefix="/patients/{patient_id}/videos")

TASK_LABELS = {
    VideoTask.SINGLE_LEG_SQUAT.value: "Single-leg squat",
    VideoTask.STEP_DOWN.value: "Step-down",
    VideoTask.LANDING.value: "Landing (drop jump)",
    VideoTask.RUNNING.value: "Running",
    VideoTask.SINGLE_LEG_STANCE.value: "Single-leg stance",
}
SIDE_LABELS = {"auto": "Detect automatically", "left": "Left leg", "right": "Right leg"}
# What the result page may serve from an analysis folder, with its content type.
OUTPUT_FILES: dict[str, str] = {
    OutputFile.ANNOTATED_VIDEO: "video/mp4",
    OutputFile.KEYFRAMES: "image/png",
    OutputFile.ANGLES: "image/png",
    OutputFile.SUMMARY: "application/json",
    OutputFile.FRAMES: "text/csv",
    OutputFile.LANDMARKS: "text/plain",
    OutputFile.PEOPLE: "image/png",
}


def _back_link(user: User, patient: Patient) -> str:
    return "/me" if user.role is Role.patient else f"/patients/{patient.id}"


def _analysis(db: Session, patient: Patient, analysis_id: int) -> VideoAnalysis:
    analysis = db.get(VideoAnalysis, analysis_id)
    if analysis is None or analysis.patient_id != patient.id:
        raise HTTPException(status_code=404, detail="No such video analysis.")
    return analysis


def _analyses(db: Session, patient: Patient) -> list[VideoAnalysis]:
    query = (
        select(VideoAnalysis)
        .where(VideoAnalysis.patient_id == patient.id)
        .order_by(VideoAnalysis.created_at.desc(), VideoAnalysis.id.desc())
    )
    return list(db.scalars(query).all())


def _form_context(
    patient: Patient, user: User, form: dict[str, str], errors: dict[str, str]
) -> dict[str, Any]:
    return {
        "patient": patient,
        "back": _back_link(user, patient),
        "form": form,
        "errors": errors,
        "tasks": TASK_LABELS,
        "sides": SIDE_LABELS,
    }


@router.get("")
def video_list(
    request: Request, db: DbSession, user: CurrentUser, patient: PatientRecord
) -> Response:
    context = {
        "patient": patient,
        "back": _back_link(user, patient),
        "analyses": _analyses(db, patient),
        "tasks": TASK_LABELS,
    }
    return render(request, "videos/list.html", context)


@router.get("/new")
def upload_form(request: Request, user: CurrentUser, patient: PatientRecord) -> Response:
    form = {"task": "", "side": "auto"}
    return render(request, "videos/new.html", _form_context(patient, user, form, {}))


@router.post("")
def upload_video(
    request: Request,
    db: DbSession,
    settings: AppSettings,
    user: CurrentUser,
    patient: PatientRecord,
    task: Annotated[str, Form()] = "",
    side: Annotated[str, Form()] = "auto",
    video: Annotated[UploadFile | None, File()] = None,
) -> Response:
    """Store the upload under a generated name and queue its analysis."""
    chosen = video is not None and (bool(video.filename) or video.size != 0)
    try:
        analysis = queue_upload(
            db,
            settings,
            patient,
            user,
            task=task,
            side=side,
            upload=video.file if chosen and video is not None else None,
            file_name=video.filename if video is not None else None,
        )
    except InputValidationError as error:
        errors = {problem.location: problem.message for problem in error.errors}
        context = _form_context(patient, user, {"task": task, "side": side}, errors)
        return render(request, "videos/new.html", context, status_code=400)
    flash(request, "Video uploaded. The analysis is queued and this page updates by itself.")
    return RedirectResponse(f"/patients/{patient.id}/videos/{analysis.id}", status_code=303)


@router.get("/compare")
def compare(
    request: Request,
    db: DbSession,
    user: CurrentUser,
    patient: PatientRecord,
    before: Annotated[int | None, Query(ge=1, le=MAX_RECORD_ID)] = None,
    after: Annotated[int | None, Query(ge=1, le=MAX_RECORD_ID)] = None,
) -> Response:
    """Two finished analyses of the same task side by side (before/after)."""
    done = [a for a in _analyses(db, patient) if a.status is JobStatus.done and a.summary_json]
    context: dict[str, Any] = {
        "patient": patient,
        "back": _back_link(user, patient),
        "choices": done,
        "tasks": TASK_LABELS,
        "before": None,
        "after": None,
        "rows": [],
        "error": "",
    }
    if before is None or after is None:
        status = 200 if before is None and after is None else 400
        if status == 400:
            context["error"] = "choose both a before and an after analysis"
        return render(request, "videos/compare.html", context, status_code=status)
    chosen = {a.id: a for a in done}
    if before not in chosen or after not in chosen:
        context["error"] = "both analyses must be finished analyses of this patient"
        return render(request, "videos/compare.html", context, status_code=400)
    first, second = chosen[before], chosen[after]
    context.update(before=first, after=second)
    if first.task != second.task:
        context["error"] = (
            f"only analyses of the same movement can be compared ({TASK_LABELS[first.task]} "
            f"vs {TASK_LABELS[second.task]})"
        )
        return render(request, "videos/compare.html", context, status_code=400)
    assert first.summary_json is not None and second.summary_json is not None
    context["rows"] = change_rows(first.summary_json, second.summary_json)
    return render(request, "videos/compare.html", context)


def _show_context(
    settings: Settings, patient: Patient, user: User, analysis: VideoAnalysis
) -> dict[str, Any]:
    summary = analysis.summary_json or {}
    folder = analysis_dir(settings.data_dir, patient.id, analysis.id)
    available = set()
    if analysis.output_dir:  # also while a re-analysis runs: the earlier files stay until then
        available = {name for name in OUTPUT_FILES if (folder / name).is_file()}
    return {
        "patient": patient,
        "back": _back_link(user, patient),
        "analysis": analysis,
        "active": analysis.status in ACTIVE_STATUSES,
        "percent": round(100 * analysis.progress),
        "tasks": TASK_LABELS,
        "sides": SIDE_LABELS,
        "rows": metric_rows(summary),
        "warnings": quality_warnings(summary),
        "base": f"/patients/{patient.id}/videos/{analysis.id}",
        "files": available,
        "earlier": bool(analysis.summary_json),
        "people": _people(summary),
    }


def _people(summary: dict[str, Any]) -> dict[str, Any] | None:
    """The ``people`` section of a summary as the page shows it, or None without candidates."""
    people = summary.get("people")
    if not isinstance(people, dict) or not isinstance(people.get("candidates"), list):
        return None
    candidates = [
        c for c in people["candidates"] if isinstance(c, dict) and isinstance(c.get("id"), int)
    ]
    return {
        "candidates": candidates,
        "chosen": people.get("chosen"),
        "ambiguous": bool(people.get("ambiguous")),
        "how": people.get("how") if isinstance(people.get("how"), str) else "",
    }


@router.get("/{analysis_id}")
def show(
    request: Request,
    db: DbSession,
    settings: AppSettings,
    user: CurrentUser,
    patient: PatientRecord,
    analysis_id: RecordId,
) -> Response:
    analysis = _analysis(db, patient, analysis_id)
    context = _show_context(settings, patient, user, analysis)
    return render(request, "videos/show.html", context)


@router.get("/{analysis_id}/progress")
def progress(
    request: Request,
    db: DbSession,
    settings: AppSettings,
    user: CurrentUser,
    patient: PatientRecord,
    analysis_id: RecordId,
    earlier: int = 0,
) -> Response:
    """The self-polling status block (HTMX); it stops polling once the analysis has ended.

    A page that showed earlier results below a re-analysis (``earlier=1``) is reloaded
    whole when the re-analysis ends, so the new results (or the failure) replace them.
    """
    analysis = _analysis(db, patient, analysis_id)
    context = _show_context(settings, patient, user, analysis)
    response = render(request, "videos/show.html", context, block="analysis")
    if earlier and not context["active"]:
        response.headers["HX-Refresh"] = "true"
    return response


@router.post("/{analysis_id}/person")
def person(
    request: Request,
    db: DbSession,
    patient: PatientRecord,
    analysis_id: RecordId,
    person: Annotated[str, Form()] = "",
) -> Response:
    """The user names the patient among the people found: the upload is analysed again."""
    analysis = _analysis(db, patient, analysis_id)
    try:
        choose_person(db, analysis, person)
    except InputValidationError as error:
        flash(request, "; ".join(problem.message for problem in error.errors))
    else:
        flash(
            request,
            f"The video is analysed again with person {analysis.person} as the patient; "
            "the earlier results stay until the new ones are ready.",
        )
    return RedirectResponse(f"/patients/{patient.id}/videos/{analysis.id}", status_code=303)


@router.post("/{analysis_id}/cancel")
def cancel(
    request: Request, db: DbSession, patient: PatientRecord, analysis_id: RecordId
) -> Response:
    analysis = _analysis(db, patient, analysis_id)
    if cancel_analysis(db, analysis):
        flash(request, "Analysis cancelled. The uploaded video is kept.")
    else:
        flash(request, f"This analysis had already ended ({analysis.status.value}).")
    return RedirectResponse(f"/patients/{patient.id}/videos/{analysis.id}", status_code=303)


@router.get("/{analysis_id}/files/{name}")
def output_file(
    db: DbSession, settings: AppSettings, patient: PatientRecord, analysis_id: RecordId, name: str
) -> Response:
    """One result file; Starlette's FileResponse answers Range requests (video seeking)."""
    analysis = _analysis(db, patient, analysis_id)
    if name not in OUTPUT_FILES:
        raise HTTPException(status_code=404, detail="No such result file.")
    folder = analysis_dir(settings.data_dir, patient.id, analysis.id)
    path = folder / name
    if not path.is_file():
        raise HTTPException(status_code=404, detail="No such result file.")
    return FileResponse(path, media_type=OUTPUT_FILES[name])
