"""Programmes: generate from an assessment, show by phase, edit, print, progress.

Every save (an edit, or progression suggestions the clinician accepted) adds a
new :class:`~hipfirst.storage.models.Programme` version with a change note, so
the history is kept. Progression suggestions come from the session logs
(:func:`~hipfirst.core.progression.evaluate_progress`) and change nothing
until the clinician accepts them.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import select

from hipfirst.core import plan_edit as pe
from hipfirst.core.assessment import parse_assessment
from hipfirst.core.exercise_rules import phase_library, swap_choices
from hipfirst.core.plan import Plan, Referral
from hipfirst.core.prescription import prescribe
from hipfirst.core.progress_report import ProgressReport
from hipfirst.core.progression import evaluate_progress
from hipfirst.core.reasoning import assess
from hipfirst.core.report import AssessmentReport
from hipfirst.errors import FieldError, HipfirstError
from hipfirst.knowledge.base import KnowledgeBase
from hipfirst.knowledge.loader import knowledge_base
from hipfirst.storage.models import Assessment, Patient, Programme, User
from hipfirst.web.clinical import (
    cite,
    current_phase,
    current_programme,
    plan_document,
    readable_plan,
    session_entries,
    video_metrics,
)
from hipfirst.web.deps import (
    ClinicianPatient,
    ClinicianUser,
    DbSession,
    PatientRecord,
    parse_record_id,
)
from hipfirst.web.templating import flash, render

router = APIRouter(prefix="/patients/{patient_id}/programme")


def _save_version(
    db: DbSession,
    patient: Patient,
    user: User,
    plan: Plan,
    note: str,
    *,
    phase: int,
    assessment_id: int | None,
) -> Programme:
    latest = current_programme(patient)
    programme = Programme(
        patient_id=patient.id,
        version=(latest.version if latest else 0) + 1,
        plan_json=plan_document(plan, phase),
        change_note=note,
        assessment_id=assessment_id,
        created_by_id=user.id,
    )
    db.add(programme)
    db.commit()
    return programme


def _report_for(assessment: Assessment, patient: Patient, kb: KnowledgeBase) -> AssessmentReport:
    """The engine report of a stored assessment, computed again from its document."""
    parsed = parse_assessment(assessment.exam_json, f"assessment {assessment.id}")
    video = video_metrics(patient, parsed.exam.video_analyses) if parsed.exam.video_analyses else []
    return assess(parsed, kb, video)


@router.post("")
def generate(
    request: Request,
    db: DbSession,
    clinician: ClinicianUser,
    patient: ClinicianPatient,
    assessment_id: Annotated[str, Form()] = "",
) -> Response:
    """Prescribe from an assessment: a new programme version, or the referral reasons."""
    assessment = None
    chosen = parse_record_id(assessment_id)
    if chosen is not None:
        assessment = db.scalar(
            select(Assessment).where(Assessment.id == chosen, Assessment.patient_id == patient.id)
        )
    if assessment is None:
        raise HTTPException(
            status_code=400,
            detail=f"assessment_id: no assessment {assessment_id[:40]!r} of this patient; "
            "open one of the patient's assessments and generate from there.",
        )
    kb = knowledge_base()
    try:
        parsed = parse_assessment(assessment.exam_json, f"assessment {assessment.id}")
        report = _report_for(assessment, patient, kb)
    except HipfirstError as error:
        raise HTTPException(status_code=400, detail=str(error)) from None
    result = prescribe(parsed, report, kb)
    if isinstance(result, Referral):
        context = {"patient": patient, "assessment": assessment, "referral": result}
        return render(request, "programmes/referral.html", context)
    note = f"generated from the assessment of {assessment.assessed_on.isoformat()}"
    _save_version(db, patient, clinician, result, note, phase=1, assessment_id=assessment.id)
    flash(request, "Generated a new programme version.")
    return RedirectResponse(f"/patients/{patient.id}/programme", status_code=303)


def _progress(patient: Patient, plan: Plan, kb: KnowledgeBase) -> ProgressReport | None:
    entries = [e for e in session_entries(patient.session_logs) if e.exercise_id in kb.exercises]
    if not entries:
        return None
    return evaluate_progress(plan, entries, kb)


def _programme_context(patient: Patient, kb: KnowledgeBase) -> dict[str, Any]:
    programme = current_programme(patient)
    plan, plan_error = readable_plan(programme, kb) if programme is not None else (None, "")
    progress = _progress(patient, plan, kb) if plan is not None else None
    phase = current_phase(programme) if programme is not None else 1
    return {
        "patient": patient,
        "programme": programme,
        "plan": plan,
        "plan_error": plan_error,
        "phase": phase,
        "progress": progress,
        "offer_phase": progress is not None and progress.current_phase > phase,
        "cite": lambda ids: cite(kb, ids),
        "kb": kb,
    }


@router.get("")
def show(request: Request, patient: ClinicianPatient) -> Response:
    kb = knowledge_base()
    return render(request, "programmes/show.html", _programme_context(patient, kb))


@router.get("/print")
def printable(request: Request, patient: PatientRecord) -> Response:
    kb = knowledge_base()
    return render(request, "programmes/print.html", _programme_context(patient, kb))


def _edit_context(
    patient: Patient,
    programme: Programme,
    plan: Plan,
    kb: KnowledgeBase,
    form: dict[str, str],
    result: pe.EditResult | None = None,
) -> dict[str, Any]:
    errors: dict[str, str] = {}
    for problem in result.errors if result else []:
        shown = f" (got {problem.value!r})" if problem.value not in (None, "") else ""
        errors[problem.location] = problem.message + shown
    return {
        "patient": patient,
        "programme": programme,
        "plan": plan,
        "form": form,
        "errors": errors,
        "problems": result.errors if result else [],
        "warnings": result.warnings if result else [],
        "swap_choices": lambda exercise_id, phase: swap_choices(
            kb, exercise_id, phase, plan.equipment
        ),
        "library": lambda phase: [(e.id, e.name) for e in phase_library(kb, phase, plan.equipment)],
        "limit": lambda part, exercise_id: pe.dosage_range(kb, part, kb.exercises.get(exercise_id)),
    }


def _editable(patient: Patient, kb: KnowledgeBase) -> tuple[Programme, Plan] | None:
    programme = current_programme(patient)
    if programme is None:
        return None
    plan, _ = readable_plan(programme, kb)
    return (programme, plan) if plan is not None else None


@router.get("/edit")
def edit_form(request: Request, patient: ClinicianPatient) -> Response:
    kb = knowledge_base()
    found = _editable(patient, kb)
    if found is None:
        return RedirectResponse(f"/patients/{patient.id}/programme", status_code=303)
    programme, plan = found
    context = _edit_context(patient, programme, plan, kb, pe.edit_fields(plan))
    return render(request, "programmes/edit.html", context)


@router.post("/edit")
async def save_edit(
    request: Request, db: DbSession, clinician: ClinicianUser, patient: ClinicianPatient
) -> Response:
    kb = knowledge_base()
    found = _editable(patient, kb)
    if found is None:
        raise HTTPException(status_code=400, detail="This patient has no programme to edit yet.")
    programme, plan = found
    raw = await request.form()
    form = {key: value for key, value in raw.items() if isinstance(value, str)}
    form.pop("csrf_token", None)
    result = pe.apply_edit(plan, form, kb)
    note = form.get("change_note", "").strip()
    if result.plan is not None and not result.changes:
        result.errors.append(
            FieldError("change_note", "nothing was changed; change the programme or go back")
        )
    confirmed = form.get("confirm_out_of_range") == pe.CHECKED
    if result.errors or result.plan is None or (result.warnings and not confirmed):
        context = _edit_context(patient, programme, plan, kb, form, result)
        context["needs_confirmation"] = bool(result.warnings) and not confirmed
        return render(request, "programmes/edit.html", context, status_code=400)
    lines = [note] if note else []
    lines += result.changes
    lines += [f"WARNING (confirmed): {warning}" for warning in result.warnings]
    saved = _save_version(
        db,
        patient,
        clinician,
        result.plan,
        "; ".join(lines),
        phase=current_phase(programme),
        assessment_id=programme.assessment_id,
    )
    flash(request, f"Saved programme version {saved.version}.")
    return RedirectResponse(f"/patients/{patient.id}/programme", status_code=303)


@router.post("/progression")
async def accept_progression(
    request: Request, db: DbSession, clinician: ClinicianUser, patient: ClinicianPatient
) -> Response:
    """Apply only the suggestions the clinician ticked; a new version records them."""
    kb = knowledge_base()
    found = _editable(patient, kb)
    if found is None:
        raise HTTPException(status_code=400, detail="This patient has no programme yet.")
    programme, plan = found
    raw = await request.form()
    accepted = {value for value in raw.getlist("accept") if isinstance(value, str)}
    move_phase = raw.get("advance_phase") == pe.CHECKED
    progress = _progress(patient, plan, kb)
    decisions = [
        d
        for d in (progress.decisions if progress else [])
        if d.exercise_id in accepted and d.decision != "hold"
    ]
    phase = current_phase(programme)
    if move_phase and progress is not None and progress.current_phase > phase:
        new_phase = progress.current_phase
    else:
        new_phase = phase
    if not decisions and new_phase == phase:
        context = _programme_context(patient, kb)
        context["accept_error"] = "Tick at least one suggestion to accept; nothing was changed."
        return render(request, "programmes/show.html", context, status_code=400)
    applied = pe.apply_decisions(plan, decisions, new_phase, kb)
    lines = ["accepted progression: " + "; ".join(applied.changes)] if applied.changes else []
    if new_phase != phase:
        lines.append(f"moved from phase {phase} to phase {new_phase}")
    saved = _save_version(
        db,
        patient,
        clinician,
        applied.plan,
        "; ".join(lines),
        phase=new_phase,
        assessment_id=programme.assessment_id,
    )
    flash(request, f"Applied the accepted suggestions as programme version {saved.version}.")
    return RedirectResponse(f"/patients/{patient.id}/programme", status_code=303)
