"""The patient's side: today's exercises, the session log, progress charts, the explanation.

Both the patient (own record) and their clinician reach these pages through
:data:`~hipfirst.web.deps.PatientRecord`. A logged session is validated by the
same rules as a session-log file (:func:`hipfirst.io.session_log.parse_session_log`);
the storage adds two limits of its own (pain is stored in whole points, load in kg).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from hipfirst.core.plan import Plan, PlannedExercise
from hipfirst.core.progress_report import LOG_BOUNDS
from hipfirst.errors import FieldError, InputValidationError
from hipfirst.io.session_log import parse_session_log
from hipfirst.io.video_summary import parse_video_summary
from hipfirst.knowledge.loader import knowledge_base
from hipfirst.knowledge.vocabulary import SIDES
from hipfirst.storage.models import JobStatus, Patient, SessionLog
from hipfirst.web import charts
from hipfirst.web.clinical import cite, current_phase, current_programme, readable_plan
from hipfirst.web.deps import DbSession, PatientRecord
from hipfirst.web.templating import flash, render

router = APIRouter(prefix="/patients/{patient_id}")

LOG_FIELDS = (
    "date",
    "exercise_id",
    "sets",
    "reps",
    "load",
    "pain_during",
    "pain_next_morning",
    "form_ok",
    "notes",
)
MAX_LOAD_KG = 500.0
"""Catches typing mistakes only (an external load above 500 kg is not a home exercise)."""
LSI_SUFFIX = "_lsi_pct"
LSI_REFERENCE = "strength_lsi_pass"
"""The knowledge-base symmetry threshold drawn on the symmetry chart."""
PNG = "image/png"


def _plan(patient: Patient) -> tuple[Plan | None, int]:
    programme = current_programme(patient)
    if programme is None:
        return None, 1
    plan, _ = readable_plan(programme, knowledge_base())
    return plan, current_phase(programme)


def todays_exercises(plan: Plan | None, phase: int) -> list[PlannedExercise]:
    """The exercises of the phase the patient is in, with the running step last."""
    if plan is None:
        return []
    found = next((p for p in plan.phases if p.number == phase), plan.phases[0])
    return [*found.exercises, *([found.running] if found.running else [])]


@router.get("/today")
def today(request: Request, patient: PatientRecord) -> Response:
    plan, phase = _plan(patient)
    kb = knowledge_base()
    context = {
        "patient": patient,
        "plan": plan,
        "phase": phase,
        "exercises": todays_exercises(plan, phase),
        "cite": lambda ids: cite(kb, ids),
    }
    return render(request, "logs/today.html", context)


def _log_context(
    patient: Patient, form: dict[str, str], problems: list[FieldError]
) -> dict[str, Any]:
    plan, phase = _plan(patient)
    kb = knowledge_base()
    todays = [exercise.id for exercise in todays_exercises(plan, phase)]
    planned_ids = list(dict.fromkeys([*todays, *(plan.exercise_ids() if plan else [])]))
    choices = [(exercise_id, kb.exercise(exercise_id).name) for exercise_id in planned_ids]
    logged = {log.exercise_id for log in patient.session_logs} - set(planned_ids)
    choices += [
        (exercise_id, kb.exercises[exercise_id].name)
        for exercise_id in sorted(logged)
        if exercise_id in kb.exercises
    ]
    errors: dict[str, str] = {}
    for problem in problems:
        shown = f" (got {problem.value!r})" if problem.value not in (None, "") else ""
        errors[problem.location] = problem.message + shown
    return {
        "patient": patient,
        "form": form,
        "errors": errors,
        "problems": problems,
        "choices": list(dict.fromkeys(choices)),
        "bounds": LOG_BOUNDS,
        "logs": sorted(
            patient.session_logs, key=lambda log: (log.performed_on, log.id), reverse=True
        ),
    }


@router.get("/logs")
def log_page(request: Request, patient: PatientRecord) -> Response:
    plan, phase = _plan(patient)
    first = todays_exercises(plan, phase)
    form = {"date": dt.date.today().isoformat(), "form_ok": "yes"}
    if first:
        form["exercise_id"] = first[0].id
    chosen = request.query_params.get("exercise_id")
    if chosen:
        form["exercise_id"] = chosen
    return render(request, "logs/logs.html", _log_context(patient, form, []))


def _field(location: str) -> str:
    """``row 1, pain_during`` (a session-log file location) → ``pain_during``."""
    return location.split(", ", 1)[1] if ", " in location else location


def _storage_checks(form: dict[str, str]) -> tuple[float | None, list[FieldError]]:
    """The limits the record adds: whole-point pain, load as a number of kg."""
    problems: list[FieldError] = []
    for name in ("pain_during", "pain_next_morning"):
        text = form.get(name, "").strip()
        try:
            value = float(text)
        except ValueError:
            continue  # empty or not a number: the session-log rules report it
        if math.isfinite(value) and 0 <= value <= 10 and not value.is_integer():
            problems.append(
                FieldError(name, "must be a whole number between 0 and 10 (whole points)", text)
            )
    load_text = form.get("load", "").strip().removesuffix("kg").strip()
    load_kg = None
    if load_text:
        try:
            load_kg = float(load_text)
        except ValueError:
            load_kg = math.nan
        if not math.isfinite(load_kg) or not 0 <= load_kg <= MAX_LOAD_KG:
            problems.append(
                FieldError(
                    "load",
                    f"must be a number of kg between 0 and {MAX_LOAD_KG:g}, or empty for "
                    "body weight",
                    form.get("load", ""),
                )
            )
            load_kg = None
    return load_kg, problems


@router.post("/logs")
async def save_log(request: Request, db: DbSession, patient: PatientRecord) -> Response:
    raw = await request.form()
    form = {name: str(raw.get(name, "")) for name in LOG_FIELDS}
    kb = knowledge_base()
    problems: list[FieldError] = []
    entry = None
    try:
        entry = parse_session_log([form], "session log", kb)[0]
    except InputValidationError as error:
        problems = [FieldError(_field(p.location), p.message, p.value) for p in error.errors]
    load_kg, storage_problems = _storage_checks(form)
    problems += [p for p in storage_problems if p.location not in {q.location for q in problems}]
    if entry is None or problems:
        return render(
            request, "logs/logs.html", _log_context(patient, form, problems), status_code=400
        )
    log = SessionLog(
        patient_id=patient.id,
        performed_on=entry.date,
        exercise_id=entry.exercise_id,
        sets=entry.sets,
        reps=entry.reps,
        load_kg=load_kg,
        pain_during=int(entry.pain_during),
        pain_next_morning=None if entry.pain_next_morning is None else int(entry.pain_next_morning),
        form_ok=entry.form_ok,
        notes=entry.notes,
    )
    db.add(log)
    db.commit()
    flash(request, f"Logged {kb.exercise(entry.exercise_id).name} on {entry.date.isoformat()}.")
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
    logs = sorted(patient.session_logs, key=lambda log: (log.performed_on, log.id))
    points = [
        (
            log.performed_on,
            None if log.pain_during is None else float(log.pain_during),
            None if log.pain_next_morning is None else float(log.pain_next_morning),
        )
        for log in logs
    ]
    return _png(lambda: charts.pain_chart(points))


def _measure_series(
    patient: Patient, keys: Callable[[str], str | None]
) -> dict[str, list[tuple[dt.date, float]]]:
    """Per assessment: the value of each stored measure whose key ``keys`` names a series."""
    series: dict[str, list[tuple[dt.date, float]]] = {}
    for assessment in patient.assessments:
        measures = (assessment.report_json or {}).get("measures", {})
        for key, measure in measures.items():
            name = keys(key)
            value = measure.get("value") if isinstance(measure, dict) else None
            if name is not None and isinstance(value, int | float):
                series.setdefault(name, []).append((assessment.assessed_on, float(value)))
    return series


@router.get("/charts/questionnaires.png")
def questionnaires_png(patient: PatientRecord) -> Response:
    names = {"akps": "AKPS (0–100)", "lefs": "LEFS (0–80)"}
    series = _measure_series(patient, names.get)
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
    series = _measure_series(patient, _lsi_name)
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
    series: dict[str, list[tuple[dt.date, float]]] = {}
    for analysis in patient.video_analyses:
        if analysis.status is not JobStatus.done or not analysis.summary_json:
            continue
        try:
            metrics = parse_video_summary(analysis.summary_json, f"video analysis {analysis.id}")
        except InputValidationError:
            continue  # not a summary this version can read: nothing to draw
        for side in SIDES:
            fppa = metrics.per_side.get(side, {}).get("fppa_deg")
            if fppa is not None and fppa.valid and fppa.mean is not None:
                label = f"{side} ({analysis.task})"
                series.setdefault(label, []).append((analysis.created_at.date(), fppa.mean))
    return _png(
        lambda: charts.series_chart(
            "Frontal plane projection angle (video)",
            "degrees",
            series,
            empty="No valid FPPA from a finished video analysis yet",
        )
    )
