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

from hipfirst.application import programmes as use
from hipfirst.core import plan_edit as pe
from hipfirst.core.exercise_rules import phase_library, swap_choices
from hipfirst.core.plan import Plan
from hipfirst.errors import InputError
from hipfirst.knowledge.base import KnowledgeBase
from hipfirst.knowledge.loader import knowledge_base
from hipfirst.storage.models import Patient, Programme
from hipfirst.web.citations import cite
from hipfirst.web.deps import ClinicianPatient, ClinicianUser, DbSession, PatientRecord
from hipfirst.web.forms import field_messages
from hipfirst.web.templating import flash, render

router = APIRouter(prefix="/patients/{patient_id}/programme")


@router.post("")
def generate(
    request: Request,
    db: DbSession,
    clinician: ClinicianUser,
    patient: ClinicianPatient,
    assessment_id: Annotated[str, Form()] = "",
) -> Response:
    """Prescribe from an assessment: a new programme version, or the referral reasons."""
    try:
        generated = use.generate(db, patient, clinician, assessment_id, knowledge_base())
    except InputError as error:
        raise HTTPException(status_code=400, detail=str(error)) from None
    if generated.referral is not None:
        context = {
            "patient": patient,
            "assessment": generated.assessment,
            "referral": generated.referral,
        }
        return render(request, "programmes/referral.html", context)
    flash(request, "Generated a new programme version.")
    return RedirectResponse(f"/patients/{patient.id}/programme", status_code=303)


def _programme_context(patient: Patient, kb: KnowledgeBase) -> dict[str, Any]:
    view = use.programme_view(patient, kb)
    return {
        "patient": patient,
        "programme": view.programme,
        "plan": view.plan,
        "plan_error": view.plan_error,
        "phase": view.phase,
        "progress": view.progress,
        "offer_phase": view.offer_phase,
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
    return {
        "patient": patient,
        "programme": programme,
        "plan": plan,
        "form": form,
        "errors": field_messages(result.errors if result else []),
        "problems": result.errors if result else [],
        "warnings": result.warnings if result else [],
        "swap_choices": lambda exercise_id, phase: swap_choices(
            kb, exercise_id, phase, plan.equipment
        ),
        "library": lambda phase: [(e.id, e.name) for e in phase_library(kb, phase, plan.equipment)],
        "limit": lambda part, exercise_id: pe.dosage_range(kb, part, kb.exercises.get(exercise_id)),
    }


@router.get("/edit")
def edit_form(request: Request, patient: ClinicianPatient) -> Response:
    kb = knowledge_base()
    found = use.editable(patient, kb)
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
    found = use.editable(patient, kb)
    if found is None:
        raise HTTPException(status_code=400, detail="This patient has no programme to edit yet.")
    programme, plan = found
    raw = await request.form()
    form = {key: value for key, value in raw.items() if isinstance(value, str)}
    form.pop("csrf_token", None)
    outcome = use.save_edit(db, patient, clinician, programme, plan, form, kb)
    if outcome.saved is None:
        context = _edit_context(patient, programme, plan, kb, form, outcome.result)
        context["needs_confirmation"] = outcome.needs_confirmation
        return render(request, "programmes/edit.html", context, status_code=400)
    flash(request, f"Saved programme version {outcome.saved.version}.")
    return RedirectResponse(f"/patients/{patient.id}/programme", status_code=303)


@router.post("/progression")
async def accept_progression(
    request: Request, db: DbSession, clinician: ClinicianUser, patient: ClinicianPatient
) -> Response:
    """Apply only the suggestions the clinician ticked; a new version records them."""
    kb = knowledge_base()
    if use.editable(patient, kb) is None:
        raise HTTPException(status_code=400, detail="This patient has no programme yet.")
    raw = await request.form()
    accepted = {value for value in raw.getlist("accept") if isinstance(value, str)}
    advance = raw.get("advance_phase") == pe.CHECKED
    try:
        saved = use.accept_progression(
            db, patient, clinician, accepted, advance_phase=advance, kb=kb
        )
    except InputError as error:
        context = _programme_context(patient, kb)
        context["accept_error"] = str(error)
        return render(request, "programmes/show.html", context, status_code=400)
    flash(request, f"Applied the accepted suggestions as programme version {saved.version}.")
    return RedirectResponse(f"/patients/{patient.id}/programme", status_code=303)
