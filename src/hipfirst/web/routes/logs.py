"""The patient's side: today's exercises, the session log, progress charts, the explanation.

Both the patient (own record) and their clinician reach these pages through
:data:`~hipfirst.web.deps.PatientRecord`. Logging is the use case
:func:`hipfirst.application.sessions.log_session`; the charts draw the series the
use cases read from the record.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from hipfirst.application import sessions
from hipfirst.core.progress_report import LOG_BOUNDS
from hipfirst.errors import FieldError, InputValidationError
from hipfirst.knowledge.loader import knowledge_base
from hipfirst.storage.models import Patient
from hipfirst.web import charts
from hipfirst.web.citations import cite
from hipfirst.web.deps import DbSession, PatientRecord
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
    patient: Patient, form: dict[str, str], problems: list[FieldError]
) -> dict[str, Any]:
    return {
        "patient": patient,
        "form": form,
        "errors": field_messages(problems),
        "problems": problems,
        "choices": sessions.log_choices(patient, knowledge_base()),
        "bounds": LOG_BOUNDS,
        "logs": sorted(
            patient.session_logs, key=lambda log: (log.performed_on, log.id), reverse=True
        ),
    }


@router.get("/logs")
def log_page(request: Request, patient: PatientRecord) -> Response:
    plan, phase = sessions.current_plan(patient, knowledge_base())
    first = sessions.todays_exercises(plan, phase)
    form = {"date": dt.date.today().isoformat(), "form_ok": "yes"}
    if first:
        form["exercise_id"] = first[0].id
    chosen = request.query_params.get("exercise_id")
    if chosen:
        form["exercise_id"] = chosen
    return render(request, "logs/logs.html", _log_context(patient, form, []))


@router.post("/logs")
async def save_log(request: Request, db: DbSession, patient: PatientRecord) -> Response:
    raw = await request.form()
    form = {name: str(raw.get(name, "")) for name in sessions.LOG_FIELDS}
    kb = knowledge_base()
    try:
        log = sessions.log_session(db, patient, form, kb)
    except InputValidationError as error:
        context = _log_context(patient, form, list(error.errors))
        return render(request, "logs/logs.html", context, status_code=400)
    name = kb.exercise(log.exercise_id).name
    flash(request, f"Logged {name} on {log.performed_on.isoformat()}.")
    return RedirectResponse(f"/patients/{patient.id}/logs", status_code=303)


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
