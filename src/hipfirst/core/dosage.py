"""Dosage: how long, how often, how much, always inside the knowledge-base ranges.

* plan length: the requested weeks (``programme_weeks_allowed``, 6–52) or the top of
  the typical course (``programme_length_weeks``, 6–8);
* exercises per session (``programme_exercises_per_session``, 4–6) from the session
  length in minutes;
* sessions per week (``programme_sessions_per_week``, 3–5): the bottom while pain is
  irritable (a rating above ``pain_zone_unacceptable``, > 5/10), else the middle;
* sets, repetitions and holds: the exercise's default clamped into ``programme_sets``,
  ``programme_reps`` and the hold range (:func:`~hipfirst.core.exercise_rules.hold_range_id`);
  lower volume means the bottom of the set range.

Pure: no I/O. Every number comes from the knowledge base.
"""

from __future__ import annotations

from dataclasses import dataclass

from hipfirst.core.assessment import Assessment
from hipfirst.core.exercise_rules import hold_range_id
from hipfirst.core.plan import PlannedExercise, Reason
from hipfirst.errors import FieldError, InputValidationError
from hipfirst.knowledge.base import KnowledgeBase
from hipfirst.knowledge.schema import Exercise


def whole_range(kb: KnowledgeBase, measure_id: str) -> tuple[int, int]:
    """A knowledge-base range (``kind: range``) as whole numbers ``(low, high)``."""
    measure = kb.measure(measure_id)
    assert measure.low is not None and measure.high is not None  # kind 'range' guarantees it
    return int(measure.low), int(measure.high)


def value_of(kb: KnowledgeBase, measure_id: str) -> float:
    """The single value of a non-range knowledge-base measure."""
    measure = kb.measure(measure_id)
    assert measure.value is not None  # every non-range kind has a value
    return measure.value


def _clamp(value: int, bounds: tuple[int, int]) -> int:
    return max(bounds[0], min(bounds[1], value))


def plan_weeks(weeks: int | None, kb: KnowledgeBase) -> int:
    """Total weeks: the requested number, or the top of the typical 6–8 weeks."""
    allowed = whole_range(kb, "programme_weeks_allowed")
    if weeks is None:
        return whole_range(kb, "programme_length_weeks")[1]
    if (
        isinstance(weeks, bool)
        or not isinstance(weeks, int)
        or not (allowed[0] <= weeks <= allowed[1])
    ):
        raise InputValidationError(
            "plan",
            [
                FieldError(
                    "weeks", f"must be a whole number between {allowed[0]} and {allowed[1]}", weeks
                )
            ],
        )
    return weeks


def highest_pain(assessment: Assessment) -> float:
    """Worst pain (0–10) from the worst rating and every activity rating given."""
    during = assessment.symptoms.pain_during.model_dump()
    ratings = [float(value) for value in during.values() if value is not None]
    return max([float(assessment.symptoms.worst_pain_nrs), *ratings])


def is_irritable(assessment: Assessment, kb: KnowledgeBase) -> bool:
    """High irritability: some pain rating is in the unacceptable zone (> 5/10)."""
    return highest_pain(assessment) > value_of(kb, "pain_zone_unacceptable")


def exercises_per_session(minutes: float | None, kb: KnowledgeBase) -> int:
    """4–6 exercises: the fewest for short sessions, the most for long ones."""
    low, high = whole_range(kb, "programme_exercises_per_session")
    if minutes is None:
        return (low + high) // 2
    if minutes < value_of(kb, "programme_short_session_minutes"):
        return low
    if minutes >= value_of(kb, "programme_long_session_minutes"):
        return high
    return (low + high) // 2


def sessions_per_week(irritable: bool, kb: KnowledgeBase) -> int:
    """The bottom of the range while pain is irritable, otherwise its middle."""
    low, high = whole_range(kb, "programme_sessions_per_week")
    return low if irritable else (low + high) // 2


@dataclass(frozen=True)
class Dose:
    """Sets and either repetitions per set or a hold in seconds."""

    sets: int
    reps: int | None
    hold_s: int | None


def dose(exercise: Exercise, kb: KnowledgeBase, *, lower_volume: bool) -> Dose:
    """The exercise's default dosage, clamped into the knowledge-base ranges;
    ``lower_volume``: the fewest sets of the range.

    Running steps keep their own dosage (intervals and minutes are not sets × reps).
    """
    default = exercise.dosage
    if exercise.load_type == "running":
        return Dose(default.sets, default.reps, default.hold_s)
    set_range = whole_range(kb, "programme_sets")
    sets = set_range[0] if lower_volume else _clamp(default.sets, set_range)
    if default.reps is not None:
        return Dose(sets, _clamp(default.reps, whole_range(kb, "programme_reps")), None)
    assert default.hold_s is not None  # Dosage guarantees reps or hold_s
    return Dose(sets, None, _clamp(default.hold_s, whole_range(kb, hold_range_id(exercise))))


def planned_exercise(
    exercise: Exercise,
    kb: KnowledgeBase,
    sessions_per_week: int,
    reasons: list[Reason],
    *,
    lower_volume: bool = False,
) -> PlannedExercise:
    """One plan line: the exercise at its dose (inside the knowledge-base ranges), its cues,
    the reasons it was chosen and every source behind them (exercise sources first, no repeats).
    """
    amount = dose(exercise, kb, lower_volume=lower_volume)
    sources = list(dict.fromkeys([*exercise.sources, *(s for r in reasons for s in r.sources)]))
    return PlannedExercise(
        id=exercise.id,
        name=exercise.name,
        sets=amount.sets,
        reps=amount.reps,
        hold_s=amount.hold_s,
        per_side=exercise.dosage.per_side,
        load=exercise.dosage.load,
        sessions_per_week=sessions_per_week,
        cues=list(exercise.cues),
        sources=sources,
        why=reasons,
    )
