"""Use case: the patient handout of the current programme, in plain words.

The handout is what a patient takes home: the current phase (or, for the clinician, every
phase) with each exercise's picture, dosage and two or three cues, the pain rule and when
to move on written for a patient, the clinic's name and contact, and the next review.
It carries no ids, citation keys or evidence labels: those stay on the clinician's pages.
Every number comes from the plan or the knowledge base (the pain zones, the mastery
repetitions and days), so the words and the engine cannot drift apart.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from hipfirst.application.programme_dates import Review, current_course, next_review, phase_days
from hipfirst.application.records import current_phase
from hipfirst.core.plan import Plan, PlannedExercise, PlanPhase
from hipfirst.knowledge.base import KnowledgeBase
from hipfirst.storage.models import Patient

CUES_SHOWN = 3
"""A handout shows at most this many cues per exercise (the first, most important ones)."""

PAIN_WORDS = {
    "pain_zone_safe": "{text}: fine. Carry on, and build up as planned.",
    "pain_zone_acceptable": "{text}: acceptable. Keep the exercise as it is; do not add more yet.",
    "pain_zone_unacceptable": (
        "{text}: too much. Do less, or the easier version, and tell your physiotherapist."
    ),
    "pain_next_morning_rise": (
        "Worse the next morning than your usual level: the last session was too much, "
        "so do less next time."
    ),
}
"""The plan's pain-monitoring numbers (``text``: "0–3 /10") in a patient's words."""


@dataclass(frozen=True)
class HandoutExercise:
    """One exercise as the handout prints it."""

    id: str
    """Only for the picture's address; never printed."""
    name: str
    dosage: str
    load: str
    cues: tuple[str, ...]
    knee_range: str = ""


@dataclass(frozen=True)
class HandoutPhase:
    number: int
    name: str
    aim: str
    first_day: dt.date
    last_day: dt.date
    exercises: tuple[HandoutExercise, ...]
    running: HandoutExercise | None
    sessions_per_week: int
    session_minutes: int | None
    move_on_when: tuple[str, ...]


@dataclass(frozen=True)
class Handout:
    patient_name: str
    clinic_name: str
    clinic_contact: str
    start: dt.date
    current_phase: int
    phases: tuple[HandoutPhase, ...]
    pain_rules: tuple[str, ...]
    review: Review
    printed_on: dt.date
    all_phases: bool


def dosage_words(exercise: PlannedExercise) -> str:
    """``2 sets of 12, each side`` / ``2 holds of 30 seconds, each side``."""
    if exercise.hold_s:
        amount = f"{exercise.sets} {_plural(exercise.sets, 'hold')} of {exercise.hold_s} seconds"
    else:
        amount = f"{exercise.sets} {_plural(exercise.sets, 'set')} of {exercise.reps}"
    return amount + (", each side" if exercise.per_side else "")


def _plural(count: int, word: str) -> str:
    return word if count == 1 else f"{word}s"


def _exercise(exercise: PlannedExercise) -> HandoutExercise:
    knee = ""
    if exercise.knee_range_deg is not None:
        low, high = exercise.knee_range_deg
        knee = f"Bend the knee only between {low}° and {high}° for now."
    return HandoutExercise(
        id=exercise.id,
        name=exercise.name,
        dosage=dosage_words(exercise),
        load=exercise.load,
        cues=tuple(exercise.cues[:CUES_SHOWN]),
        knee_range=knee,
    )


def _number(kb: KnowledgeBase, measure_id: str) -> str:
    value = kb.measure(measure_id).value
    assert value is not None  # thresholds always carry a value
    return f"{value:g}"


def _move_on_words(plan: Plan, phase: PlanPhase, kb: KnowledgeBase) -> tuple[str, ...]:
    """Each criterion of the phase in a patient's words, numbers from the knowledge base."""
    safe = next((n.text for n in plan.pain_monitoring if n.measure_id == "pain_zone_safe"), "")
    goal = kb.goal(plan.goal).name.lower() if plan.goal else "your usual activities"
    words = {
        "pain": (
            f"Your knee pain stays at {_readable(safe)} during the exercises and the next morning."
        ),
        "mastery": (
            "You can do every exercise for all its sets, "
            f"{_number(kb, 'progression_mastery_reps')} repetitions each (or the full hold), "
            "with good form and without tiring, on "
            f"{_number(kb, 'progression_mastery_sessions')} different days."
        ),
        "form": "In single-leg exercises your knee stays over your foot and your hips stay level.",
        "reassessment": (
            f"Your physiotherapist tests you again and you pass the checks for getting back to "
            f"{goal}."
        ),
    }
    return tuple(dict.fromkeys(words[criterion.kind] for criterion in phase.advance_when))


def _pain_words(plan: Plan) -> tuple[str, ...]:
    return tuple(
        PAIN_WORDS[number.measure_id].format(text=_readable(number.text))
        for number in plan.pain_monitoring
        if number.measure_id in PAIN_WORDS
    )


def _readable(text: str) -> str:
    """``> 5 /10`` → ``Above 5/10``; ``0–3 /10`` → ``0–3/10``."""
    text = text.replace(" /10", "/10")
    return "Above " + text.removeprefix("> ") if text.startswith("> ") else text


def handout(
    patient: Patient,
    kb: KnowledgeBase,
    *,
    clinic_name: str,
    clinic_contact: str,
    all_phases: bool,
    today: dt.date,
) -> Handout | None:
    """The handout of the patient's current programme (None without a readable plan)."""
    course = current_course(patient, kb)
    if course is None:
        return None
    plan, start = course.plan, course.start
    number = current_phase(course.programme)
    chosen = [p for p in plan.phases if all_phases or p.number == number] or [plan.phases[0]]
    phases = []
    for phase in chosen:
        first_day, last_day = phase_days(start, phase)
        phases.append(
            HandoutPhase(
                number=phase.number,
                name=phase.name,
                aim=phase.aim,
                first_day=first_day,
                last_day=last_day,
                exercises=tuple(_exercise(e) for e in phase.exercises),
                running=_exercise(phase.running) if phase.running else None,
                sessions_per_week=max(e.sessions_per_week for e in phase.exercises),
                session_minutes=phase.session_minutes,
                move_on_when=_move_on_words(plan, phase, kb),
            )
        )
    return Handout(
        patient_name=patient.display_name,
        clinic_name=clinic_name,
        clinic_contact=clinic_contact,
        start=start,
        current_phase=number,
        phases=tuple(phases),
        pain_rules=_pain_words(plan),
        review=next_review(start, plan, number, today),
        printed_on=today,
        all_phases=all_phases,
    )
