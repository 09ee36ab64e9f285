"""The patient's side: today's exercises, the session log, progress charts, the explanation.

Both the patient (own record) and their clinician reach these pages through
:data:`~hipfirst.web.deps.PatientRecord`. Logging is
:mod:`hipfirst.application.session_logging` (a whole session in one form, an edit of one
logged exercise, next-morning pain for a day); the charts draw the series the use cases
read from the record.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from hipfirst.application import session_logging, sessions
from hipfirst.core.progress_report import LOG_BOUNDS
from hipfirst.errors import FieldError, InputValidationError
from hipfirst.knowledge.loader import knowledge_base
from hipfirst.storage.models import Patient, SessionLog
from hipfirst.web import charts
from hipfirst.web.citations import cite
from hipfirst.web.dates import long_date
from hipfirst.web.deps import DbSession, PatientRecord, RecordId
from hipfirst.web.forms import field_messages
from hipfirst.web.templating import flash, render

router = APIRouter(prefix="/patients/{patient_id}")

LSI_SUFFIX = "_lsi_pct"
LSI_REFERENCE = "strength_lsi_pass"
"""The knowledge-base symmetry threshold drawn on the symmetry chart."""
PNG = "image/png"


@router.get("/today")
def today(request: Request, patient: PatientRecord) -> Response:
    kb = knowledge_base()
    plan, phase = sessions.current_plan(patient, kb)
    context = {
        "patient": patient,
        "plan": plan,
        "phase": phase,
        "exercises": sessions.todays_exercises(plan, phase),
        "cite": lambda ids: cite(kb, ids),
    }
    return render(request, "logs/today.html", context)


def _log_context(
    patient: Patient, form: Mapping[str, str], problems: Sequence[FieldError]
) -> dict[str, Any]:
    kb = knowledge_base()
    return {
        "patient": patient,
        "form": form,
        "errors": field_messages(problems),
        "problems": problems,
        "rows": session_logging.session_rows(patient, kb),
        "bounds": LOG_BOUNDS,
        "days": sessions.logged_days(patient, kb),
        "day": long_date,
        "today": dt.date.today(),
        "morning_form": {},
        "morning_errors": {},
    }


@router.get("/logs")
def log_page(request: Request, patient: PatientRecord) -> Response:
    form = session_logging.prefilled(patient, knowledge_base(), dt.date.today())
    return render(request, "logs/logs.html", _log_context(patient, form, []))


async def _form(request: Request) -> dict[str, str]:
    raw = await request.form()
    return {name: value for name, value in raw.items() if isinstance(value, str)}


@router.post("/logs")
async def save_log(request: Request, db: DbSession, patient: PatientRecord) -> Response:
    """Save every ticked exercise of today's session at once."""
    form = await _form(request)
    try:
        saved = session_logging.log_session(db, patient, form, knowledge_base(), dt.date.today())
    except InputValidationError as error:
        context = _log_context(patient, form, error.errors)
        return render(request, "logs/logs.html", context, status_code=400)
    count = f"{len(saved)} exercise{'s' if len(saved) != 1 else ''}"
    flash(request, f"Logged {count} for {long_date(saved[0].performed_on)}.")
    return RedirectResponse(f"/patients/{patient.id}/logs#log-list", status_code=303)


@router.post("/logs/next-morning")
async def save_next_morning(request: Request, db: DbSession, patient: PatientRecord) -> Response:
    """Next-morning pain for one logged day (every exercise of it that lacks one)."""
    form = await _form(request)
    try:
        filled = session_logging.add_next_morning_pain(db, patient, form, dt.date.today())
    except InputValidationError as error:
        context = _log_context(
            patient, session_logging.prefilled(patient, knowledge_base(), dt.date.today()), []
        )
        context["morning_form"] = form
        context["morning_errors"] = field_messages(error.errors)
        return render(request, "logs/logs.html", context, status_code=400)
    flash(
        request,
        f"Added next-morning pain {filled[0].pain_next_morning}/10 to the session of "
        f"{long_date(filled[0].performed_on)}.",
    )
    return RedirectResponse(f"/patients/{patient.id}/logs#log-list", status_code=303)


def _entry(db: Session, patient: Patient, log_id: int) -> SessionLog:
    log = session_logging.scoped_log(db, patient, log_id)
    if log is None:
        raise HTTPException(status_code=404, detail="No such logged exercise.")
    return log


def _edit_context(
    patient: Patient, log: SessionLog, form: Mapping[str, str], problems: Sequence[FieldError]
) -> dict[str, Any]:
    kb = knowledge_base()
    exercise = kb.exercises.get(log.exercise_id)
    return {
        "patient": patient,
        "log": log,
        "name": exercise.name if exercise else log.exercise_id,
        "running": exercise is not None and exercise.load_type == "running",
        "hold": exercise is not None and exercise.dosage.hold_s is not None,
        "form": form,
        "errors": field_messages(problems),
        "problems": problems,
        "bounds": LOG_BOUNDS,
        "day": long_date,
    }


@router.get("/logs/{log_id}")
def edit_page(
    request: Request, db: DbSession, patient: PatientRecord, log_id: RecordId
) -> Response:
    log = _entry(db, patient, log_id)
    context = _edit_context(patient, log, session_logging.edit_form(log), [])
    return render(request, "logs/edit.html", context)


@router.post("/logs/{log_id}")
async def save_edit(
    request: Request, db: DbSession, patient: PatientRecord, log_id: RecordId
) -> Response:
    log = _entry(db, patient, log_id)
    form = await _form(request)
    kb = knowledge_base()
    try:
        session_logging.edit_log(db, patient, log, form, kb, dt.date.today())
    except InputValidationError as error:
        context = _edit_context(patient, log, form, error.errors)
        return render(request, "logs/edit.html", context, status_code=400)
    flash(request, f"Saved your changes to {_edit_context(patient, log, {}, [])['name']}.")
    return RedirectResponse(f"/patients/{patient.id}/logs#log-list", status_code=303)


@router.get("/progress")
def progress_page(request: Request, patient: PatientRecord) -> Response:
    """Charts and the kinetic-chain explanation in plain words (latest assessment)."""
    latest = next((a for a in reversed(patient.assessments) if a.report_json), None)
    contributors = (latest.report_json or {}).get("contributors", []) if latest else []
    context = {"patient": patient, "latest": latest, "contributors": contributors}
    return render(request, "logs/progress.html", context)


def _png(chart: Callable[[], bytes]) -> Response:
    return Response(chart(), media_type=PNG, headers={"Cache-Control": "private, no-store"})


@router.get("/charts/pain.png")
def pain_png(patient: PatientRecord) -> Response:
    points = sessions.pain_points(patient)
    return _png(lambda: charts.pain_chart(points))


@router.get("/charts/questionnaires.png")
def questionnaires_png(patient: PatientRecord) -> Response:
    names = {"akps": "AKPS (0–100)", "lefs": "LEFS (0–80)"}
    series = sessions.measure_series(patient, names.get)
    return _png(
        lambda: charts.series_chart(
            "Questionnaires per assessment",
            "points",
            series,
            empty="No scored questionnaire yet",
            limits=(0, 100),
        )
    )


def _lsi_name(key: str) -> str | None:
    if key.endswith(LSI_SUFFIX):
        return key.removesuffix(LSI_SUFFIX).replace("_", " ")
    return None


@router.get("/charts/symmetry.png")
def symmetry_png(patient: PatientRecord) -> Response:
    series = sessions.measure_series(patient, _lsi_name)
    target = knowledge_base().measure(LSI_REFERENCE)
    assert target.value is not None  # a threshold always has a value
    reference = (target.value, f"{target.name}: {target.value:g} {target.unit} ({target.status})")
    return _png(
        lambda: charts.series_chart(
            "Limb symmetry index per assessment",
            "% of the other side",
            series,
            empty="No strength or balance symmetry measured yet",
            reference=reference,
        )
    )


@router.get("/charts/fppa.png")
def fppa_png(patient: PatientRecord) -> Response:
    """FPPA (mean per side) of every finished video analysis; doubtful means are left out."""
    series = sessions.fppa_series(patient)
    return _png(
        lambda: charts.series_chart(
            "Frontal plane projection angle (video)",
            "degrees",
            series,
            empty="No valid FPPA from a finished video analysis yet",
        )
    )
