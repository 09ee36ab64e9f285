"""Use cases of a patient's stored programme: generate, show, edit, progress.

Every save (an edit, or progression suggestions the clinician accepted) adds a
new :class:`~hipfirst.storage.models.Programme` version with a change note, so
the history is kept. Progression suggestions come from the session logs
(:func:`~hipfirst.core.progression.evaluate_progress`) and change nothing
until the clinician accepts them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from hipfirst.application.records import (
    current_phase,
    current_programme,
    plan_document,
    readable_plan,
    session_entries,
    video_metrics,
)
from hipfirst.core import plan_edit
from hipfirst.core.assessment import parse_assessment
from hipfirst.core.plan import Plan, Referral
from hipfirst.core.prescription import prescribe
from hipfirst.core.progress_report import ProgressReport
from hipfirst.core.progression import evaluate_progress
from hipfirst.core.reasoning import assess
from hipfirst.core.report import AssessmentReport
from hipfirst.errors import FieldError, HipfirstError, InputError
from hipfirst.knowledge.base import KnowledgeBase
from hipfirst.storage.models import Assessment, Patient, Programme, User
from hipfirst.storage.record_ids import parse_record_id

NOTHING_CHANGED = "nothing was changed; change the programme or go back"
NOTHING_ACCEPTED = "Tick at least one suggestion to accept; nothing was changed."


def save_version(
    db: Session,
    patient: Patient,
    user: User,
    plan: Plan,
    note: str,
    *,
    phase: int,
    assessment_id: int | None,
) -> Programme:
    """Store ``plan`` as the patient's next programme version (the history is kept)."""
    latest = current_programme(patient)
    programme = Programme(
        patient=patient,
        version=(latest.version if latest else 0) + 1,
        plan_json=plan_document(plan, phase),
        change_note=note,
        assessment_id=assessment_id,
        created_by_id=user.id,
    )
    db.add(programme)
    db.commit()
    return programme


def report_for(assessment: Assessment, patient: Patient, kb: KnowledgeBase) -> AssessmentReport:
    """The engine report of a stored assessment, computed again from its document."""
    parsed = parse_assessment(assessment.exam_json, f"assessment {assessment.id}")
    video = video_metrics(patient, parsed.exam.video_analyses) if parsed.exam.video_analyses else []
    return assess(parsed, kb, video)


@dataclass(frozen=True)
class Generated:
    """What prescribing from an assessment gave: a saved programme, or a referral."""

    assessment: Assessment
    programme: Programme | None = None
    referral: Referral | None = None


def generate(
    db: Session, patient: Patient, clinician: User, assessment_id: str, kb: KnowledgeBase
) -> Generated:
    """Prescribe from one of the patient's assessments: a new version, or the referral.

    Raises :class:`InputError` for an id that names no assessment of this patient,
    or an assessment the engine cannot read.
    """
    assessment = None
    chosen = parse_record_id(assessment_id)
    if chosen is not None:
        assessment = db.scalar(
            select(Assessment).where(Assessment.id == chosen, Assessment.patient_id == patient.id)
        )
    if assessment is None:
        raise InputError(
            f"assessment_id: no assessment {assessment_id[:40]!r} of this patient; "
            "open one of the patient's assessments and generate from there."
        )
    try:
        parsed = parse_assessment(assessment.exam_json, f"assessment {assessment.id}")
        report = report_for(assessment, patient, kb)
    except HipfirstError as error:
        raise InputError(str(error)) from None
    result = prescribe(parsed, report, kb)
    if isinstance(result, Referral):
        return Generated(assessment, referral=result)
    note = f"generated from the assessment of {assessment.assessed_on.isoformat()}"
    saved = save_version(db, patient, clinician, result, note, phase=1, assessment_id=assessment.id)
    return Generated(assessment, programme=saved)


def progress_of(patient: Patient, plan: Plan, kb: KnowledgeBase) -> ProgressReport | None:
    """Progression decisions from the patient's logs (None before anything was logged)."""
    entries = [e for e in session_entries(patient.session_logs) if e.exercise_id in kb.exercises]
    if not entries:
        return None
    return evaluate_progress(plan, entries, kb)


@dataclass(frozen=True)
class ProgrammeView:
    """The current programme as a page shows it."""

    programme: Programme | None
    plan: Plan | None
    plan_error: str
    phase: int
    progress: ProgressReport | None

    @property
    def offer_phase(self) -> bool:
        """The logs say the patient is past the phase they are in."""
        return self.progress is not None and self.progress.current_phase > self.phase


def programme_view(patient: Patient, kb: KnowledgeBase) -> ProgrammeView:
    programme = current_programme(patient)
    plan, plan_error = readable_plan(programme, kb) if programme is not None else (None, "")
    progress = progress_of(patient, plan, kb) if plan is not None else None
    phase = current_phase(programme) if programme is not None else 1
    return ProgrammeView(programme, plan, plan_error, phase, progress)


def editable(patient: Patient, kb: KnowledgeBase) -> tuple[Programme, Plan] | None:
    """The current version and its plan, when there is a readable one to change."""
    programme = current_programme(patient)
    if programme is None:
        return None
    plan, _ = readable_plan(programme, kb)
    return (programme, plan) if plan is not None else None


@dataclass(frozen=True)
class EditOutcome:
    """An edit either saved as a new version, or refused with the problems to show."""

    result: plan_edit.EditResult
    saved: Programme | None = None
    needs_confirmation: bool = False


def save_edit(
    db: Session,
    patient: Patient,
    clinician: User,
    programme: Programme,
    plan: Plan,
    form: Mapping[str, str],
    kb: KnowledgeBase,
) -> EditOutcome:
    """Apply the editor's fields; out-of-range dosage needs ``confirm_out_of_range``."""
    result = plan_edit.apply_edit(plan, form, kb)
    note = form.get("change_note", "").strip()
    if result.plan is not None and not result.changes:
        result.errors.append(FieldError("change_note", NOTHING_CHANGED))
    confirmed = form.get("confirm_out_of_range") == plan_edit.CHECKED
    if result.errors or result.plan is None or (result.warnings and not confirmed):
        return EditOutcome(result, needs_confirmation=bool(result.warnings) and not confirmed)
    lines = [note] if note else []
    lines += result.changes
    lines += [f"WARNING (confirmed): {warning}" for warning in result.warnings]
    saved = save_version(
        db,
        patient,
        clinician,
        result.plan,
        "; ".join(lines),
        phase=current_phase(programme),
        assessment_id=programme.assessment_id,
    )
    return EditOutcome(result, saved=saved)


def accept_progression(
    db: Session,
    patient: Patient,
    clinician: User,
    accepted: set[str],
    *,
    advance_phase: bool,
    kb: KnowledgeBase,
) -> Programme:
    """Apply only the ticked suggestions (and the phase move, if ticked) as a new version.

    Raises :class:`InputError` when there is no programme, or nothing was ticked.
    """
    found = editable(patient, kb)
    if found is None:
        raise InputError("This patient has no programme yet.")
    programme, plan = found
    progress = progress_of(patient, plan, kb)
    decisions = [
        d
        for d in (progress.decisions if progress else [])
        if d.exercise_id in accepted and d.decision != "hold"
    ]
    phase = current_phase(programme)
    if advance_phase and progress is not None and progress.current_phase > phase:
        new_phase = progress.current_phase
    else:
        new_phase = phase
    if not decisions and new_phase == phase:
        raise InputError(NOTHING_ACCEPTED)
    applied = plan_edit.apply_decisions(plan, decisions, new_phase, kb)
    lines = ["accepted progression: " + "; ".join(applied.changes)] if applied.changes else []
    if new_phase != phase:
        lines.append(f"moved from phase {phase} to phase {new_phase}")
    return save_version(
        db,
        patient,
        clinician,
        applied.plan,
        "; ".join(lines),
        phase=new_phase,
        assessment_id=programme.assessment_id,
    )
