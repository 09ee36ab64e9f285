"""Use cases: list the exercise library (``hipfirst exercises``) and show one exercise's
card (``hipfirst explain EXERCISE_ID``), with names resolved from the knowledge base."""

from __future__ import annotations

from dataclasses import dataclass
from typing import get_args

from hipfirst.core.exercise_evidence import activation_reasons
from hipfirst.core.exercise_rules import steps
from hipfirst.core.plan import Reason
from hipfirst.errors import FieldError, InputValidationError
from hipfirst.io.session_log import close_matches
from hipfirst.knowledge.loader import knowledge_base
from hipfirst.knowledge.schema import Exercise, Muscle

MUSCLES: tuple[str, ...] = get_args(Muscle)


def list_exercises(phase: int | None = None, muscle: str | None = None) -> list[Exercise]:
    """The shipped library's exercises in a phase (1–3) and/or targeting a muscle, sorted
    by phase then name; an unknown phase or muscle is an input error (both reported)."""
    kb = knowledge_base()
    problems: list[FieldError] = []
    if phase is not None and phase not in {p.number for p in kb.phases.values()}:
        problems.append(FieldError("--phase", "must be 1, 2 or 3", phase))
    if muscle is not None and muscle not in MUSCLES:
        similar = close_matches(muscle, MUSCLES)
        hint = f"; did you mean {', '.join(similar)}?" if similar else ""
        problems.append(
            FieldError("--muscle", f"unknown muscle{hint} Allowed: {', '.join(MUSCLES)}", muscle)
        )
    if problems:
        raise InputValidationError("exercises", problems)
    chosen = [
        exercise
        for exercise in kb.exercises.values()
        if (phase is None or phase in exercise.phases)
        and (muscle is None or muscle in exercise.target_muscles)
    ]
    return sorted(chosen, key=lambda item: (min(item.phases), item.name))


@dataclass(frozen=True)
class ExerciseCard:
    """One exercise with everything its card names, resolved."""

    exercise: Exercise
    evidence: list[Reason]
    """EMG activation, each number with its status and source."""
    helps_with: list[str]
    """The names of the contributors it addresses."""
    easier: list[tuple[str, str]]
    """(id, name) of its easier variants."""
    harder: list[tuple[str, str]]
    """(id, name) of its harder variants."""
    sources: list[tuple[str, str]]
    """(short label, title) of its references."""


def exercise_card(exercise_id: str) -> ExerciseCard:
    """The card of one exercise; an unknown id is an input error with close matches."""
    kb = knowledge_base()
    exercise = kb.exercises.get(exercise_id)
    if exercise is None:
        similar = close_matches(exercise_id, sorted(kb.exercises))
        hint = f"close matches: {', '.join(similar)}" if similar else "see 'hipfirst exercises'"
        raise InputValidationError(
            "explain", [FieldError("EXERCISE_ID", f"unknown exercise; {hint}", exercise_id)]
        )
    return ExerciseCard(
        exercise=exercise,
        evidence=activation_reasons(exercise, kb),
        helps_with=[kb.contributor(item).name for item in exercise.addresses],
        easier=[(other.id, other.name) for other in steps(exercise, kb, "easier")],
        harder=[(other.id, other.name) for other in steps(exercise, kb, "harder")],
        sources=[
            (kb.reference(source).short(), kb.reference(source).title)
            for source in exercise.sources
        ],
    )
