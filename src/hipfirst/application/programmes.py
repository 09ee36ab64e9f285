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
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from hipfirst.application.records import (
    current_phase,
    current_programme,
    plan_document,
    readable_plan,
    report_for,
    session_entries,
)
from hipfirst.application.return_to_sport import ReturnView, phase_three_reassessment
from hipfirst.core import plan_edit
from hipfirst.core.assessment import parse_assessment
from hipfirst.core.plan import Plan, Referral
from hipfirst.core.prescription import prescribe
from hipfirst.core.progress_report import ExerciseDecision, ProgressReport
from hipfirst.core.progression import evaluate_progress
from hipfirst.errors import FieldError, HipfirstError, InputError
from hipfirst.knowledge.base import KnowledgeBase
from hipfirst.storage.models import Assessment, Patient, Programme, User
from hipfirst.storage.record_ids import parse_record_id

NOTHING_CHANGED = (
    "nothing was changed; change the programme, write a note to keep with a new version, or go back"
)
NOTHING_ACCEPTED = "Tick at least one suggestion on offer to accept; nothing was changed."


ACCEPTED = "accepted_progression"
"""The ``plan_json`` key listing the suggestions accepted so far (carried to every later
version), so an accepted suggestion is never offered again on the same logs."""


def accepted_so_far(programme: Programme | None) -> list[dict[str, Any]]:
    """The accepted suggestions a stored version carries (see :data:`ACCEPTED`)."""
    found = programme.plan_json.get(ACCEPTED, []) if programme is not None else []
    return [item for item in found if isinstance(item, dict)] if isinstance(found, list) else []


def _signature(decision: ExerciseDecision) -> dict[str, str]:
    """What makes a suggestion the same one: the exercise, the move and the last log it
    was drawn from (a later session may suggest the same move again, for good reason)."""
    return {
        "exercise_id": decision.exercise_id,
        "decision": decision.decision,
        "next_exercise_id": decision.next_exercise_id,
        "last_date": decision.last_date.isoformat(),
    }


def _evidence(decision: ExerciseDecision) -> dict[str, str]:
    """The part of a suggestion's signature that names its evidence: exercise and last log."""
    signature = _signature(decision)
    return {key: signature[key] for key in ("exercise_id", "last_date")}


def _planned_ids(plan: Plan) -> set[str]:
    return {
        item.id
        for phase in plan.phases
        for item in [*phase.exercises, *([phase.running] if phase.running else [])]
    }


def acceptance(
    decision: ExerciseDecision, plan: Plan, accepted: list[dict[str, Any]]
) -> tuple[bool, str]:
    """Whether a suggestion may be accepted now, and if not, why (shown beside it).

    A suggestion drawn from the same exercise and last log as an accepted one is that
    accepted one, even when the new version changes what the logs now say (an exercise
    replaced by its harder variant is judged against the knowledge base's dose, so its
    advance may read as a hold): the row keeps saying it was accepted.
    """
    for item in accepted:
        if all(item.get(key) == value for key, value in _evidence(decision).items()):
            return False, f"accepted in version {item.get('version', '?')}"
    if decision.decision == "hold":
        return False, ""
    moves = decision.next_exercise_id != decision.exercise_id
    if moves and decision.exercise_id not in _planned_ids(plan):
        return False, "no longer in the programme: nothing to replace"
    return True, ""


def save_version(
    db: Session,
    patient: Patient,
    user: User,
    plan: Plan,
    note: str,
    *,
    phase: int,
    assessment_id: int | None,
    accepted: list[dict[str, Any]] | None = None,
) -> Programme:
    """Store ``plan`` as the patient's next programme version (the history is kept); the
    accepted suggestions of the latest version are carried over, plus ``accepted``."""
    latest = current_programme(patient)
    version = (latest.version if latest else 0) + 1
    carried = accepted_so_far(latest) + [{**item, "version": version} for item in accepted or []]
    programme = Programme(
        patient=patient,
        version=version,
        plan_json=plan_document(plan, phase, carried),
        change_note=note,
        assessment_id=assessment_id,
        created_by_id=user.id,
    )
    db.add(programme)
    db.commit()
    return programme


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


def progress_of(
    patient: Patient, plan: Plan, kb: KnowledgeBase, returning: ReturnView | None = None
) -> ProgressReport | None:
    """Progression decisions from the patient's logs (None before anything was logged);
    the phase-3 criterion is judged on ``returning``, the latest re-assessment's return
    checklist (:func:`phase_three_reassessment`)."""
    entries = [e for e in session_entries(patient.session_logs) if e.exercise_id in kb.exercises]
    if not entries:
        return None
    checklist = returning.checklist if returning is not None else None
    return evaluate_progress(plan, entries, kb, reassessment=checklist)


@dataclass(frozen=True)
class ProgrammeView:
    """The current programme as a page shows it."""

    programme: Programme | None
    plan: Plan | None
    plan_error: str
    phase: int
    progress: ProgressReport | None
    offers: dict[str, tuple[bool, str]]
    """Per suggestion (by exercise id): may it be accepted now, and if not, why."""
    returning: ReturnView | None = None
    """The latest re-assessment's return checklist (the phase-3 criterion), if any."""

    @property
    def offer_phase(self) -> bool:
        """The logs say the patient is past the phase they are in."""
        return self.progress is not None and self.progress.current_phase > self.phase

    @property
    def anything_on_offer(self) -> bool:
        return self.offer_phase or any(ok for ok, _ in self.offers.values())


def programme_view(patient: Patient, kb: KnowledgeBase) -> ProgrammeView:
    programme = current_programme(patient)
    plan, plan_error = readable_plan(programme, kb) if programme is not None else (None, "")
    returning = phase_three_reassessment(patient, kb) if plan is not None else None
    progress = progress_of(patient, plan, kb, returning) if plan is not None else None
    phase = current_phase(programme) if programme is not None else 1
    offers: dict[str, tuple[bool, str]] = {}
    if plan is not None and progress is not None:
        before = accepted_so_far(programme)
        offers = {d.exercise_id: acceptance(d, plan, before) for d in progress.decisions}
    return ProgrammeView(programme, plan, plan_error, phase, progress, offers, returning)


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
    if result.plan is not None and not result.changes and not note:
        result.errors.append(FieldError("change_note", NOTHING_CHANGED))
    confirmed = form.get("confirm_out_of_range") == plan_edit.CHECKED
    if result.errors or result.plan is None or (result.warnings and not confirmed):
        return EditOutcome(result, needs_confirmation=bool(result.warnings) and not confirmed)
    lines = [note] if note else []
    lines += result.changes or ["note only: the exercises and dosage are unchanged"]
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
    """Apply only the ticked suggestions that are still on offer (and the phase move, if
    ticked) as a new version; each accepted one is recorded so it is not offered again.

    Raises :class:`InputError` when there is no programme, or nothing ticked is on offer
    (e.g. the same form sent twice): an empty version is never saved.
    """
    found = editable(patient, kb)
    if found is None:
        raise InputError("This patient has no programme yet.")
    programme, plan = found
    progress = progress_of(patient, plan, kb, phase_three_reassessment(patient, kb))
    before = accepted_so_far(programme)
    ticked = [d for d in (progress.decisions if progress else []) if d.exercise_id in accepted]
    decisions = [d for d in ticked if acceptance(d, plan, before)[0]]
    phase = current_phase(programme)
    if advance_phase and progress is not None and progress.current_phase > phase:
        new_phase = progress.current_phase
    else:
        new_phase = phase
    if not decisions and new_phase == phase:
        reasons = [f"{d.name}: {why}" for d in ticked if (why := acceptance(d, plan, before)[1])]
        detail = f" ({'; '.join(reasons)})" if reasons else ""
        raise InputError(NOTHING_ACCEPTED + detail)
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
        accepted=[_signature(d) for d in decisions],
    )
