"""The mastery rule, defined once for exercise decisions and phase criteria.

A session masters an exercise when it was done for the planned sets at the mastery
level (20 repetitions, or the 45-s hold for an isometric hold, or the planned hold for a
stretch), without fatigue (logged effort not above ``progression_fatigue_effort``; not
logged: no sign of fatigue), with good form, pain in the safe zone during, and a known
next-morning pain in the safe zone (unknown is never settled). Running steps: the planned
run done with good form and pain in the safe zone during and the next morning.

An exercise is mastered when its latest sessions on ``progression_mastery_sessions``
different days (``running_stage_sessions`` for running steps) all mastered it. Seed 003
gives the rule "20 repetitions without fatigue or form breakdown"; the pain zones are
Silbernagel 2007's; the session counts are working values (knowledge base). Pure: no I/O.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from hipfirst.core.dosage import dose
from hipfirst.core.plan import PlannedExercise
from hipfirst.core.progress_report import SessionEntry
from hipfirst.knowledge.base import KnowledgeBase
from hipfirst.knowledge.schema import Exercise, Measure


def kb_value(value: float | None) -> float:
    """A knowledge-base value the schema guarantees (a threshold's value, a range's bound)."""
    assert value is not None  # the knowledge base's schema guarantees these values
    return value


class ProgressionNumbers:
    """The knowledge-base numbers progression uses, read once."""

    def __init__(self, kb: KnowledgeBase) -> None:
        self.kb = kb
        self.safe = kb.measure("pain_zone_safe")
        self.acceptable = kb.measure("pain_zone_acceptable")
        self.unacceptable = kb.measure("pain_zone_unacceptable")
        self.rise = kb.measure("pain_next_morning_rise")
        self.mastery_reps = kb.measure("progression_mastery_reps")
        self.mastery_hold = kb.measure("progression_mastery_hold_s")
        self.mastery_sessions = kb.measure("progression_mastery_sessions")
        self.fatigue = kb.measure("progression_fatigue_effort")
        self.running_sessions = kb.measure("running_stage_sessions")
        self.weekly_rise = kb.measure("running_weekly_increase_max_pct")
        self.load_step = kb.measure("progression_acsm_load_increase_pct")
        self.extra_reps = kb.measure("progression_acsm_extra_reps")

    @property
    def safe_max(self) -> float:
        """The top of the safe pain zone (0–10)."""
        return kb_value(self.safe.high)

    @property
    def unacceptable_above(self) -> float:
        """Pain above this (0–10) is in the unacceptable zone."""
        return kb_value(self.unacceptable.value)

    def sessions_needed(self, exercise: Exercise) -> Measure:
        """How many mastered sessions (different days) an exercise needs."""
        return self.running_sessions if exercise.load_type == "running" else self.mastery_sessions


@dataclass(frozen=True)
class Target:
    """What one session must reach: sets, and repetitions or seconds held."""

    sets: int
    amount: float
    unit: str
    """``reps``, ``s`` (a hold) or ``run`` (a running step: the planned run)."""
    measure: Measure


def target(
    exercise: Exercise, planned: PlannedExercise | None, numbers: ProgressionNumbers
) -> Target:
    """The planned sets, and 20 repetitions, the mastery hold or the planned stretch hold."""
    kb = numbers.kb
    sets = planned.sets if planned is not None else dose(exercise, kb, lower_volume=False).sets
    if exercise.load_type == "running":
        return Target(sets, 0, "run", numbers.safe)
    if exercise.dosage.hold_s is not None:
        if exercise.load_type == "stretch":
            hold = (
                planned.hold_s if planned is not None and planned.hold_s else exercise.dosage.hold_s
            )
            return Target(sets, float(hold), "s", kb.measure("programme_stretch_hold_s"))
        return Target(sets, kb_value(numbers.mastery_hold.value), "s", numbers.mastery_hold)
    return Target(sets, kb_value(numbers.mastery_reps.value), "reps", numbers.mastery_reps)


def shortfalls(entry: SessionEntry, goal: Target, numbers: ProgressionNumbers) -> list[str]:
    """Why one session did not master the exercise (empty: it did)."""
    missing: list[str] = []
    if entry.sets < goal.sets:
        missing.append(f"{entry.sets} of {goal.sets} planned sets")
    if goal.unit != "run" and entry.reps < goal.amount:
        missing.append(f"{entry.reps} {goal.unit} of {goal.amount:g}")
    fatigue = kb_value(numbers.fatigue.value)
    if entry.effort is not None and entry.effort > fatigue:
        missing.append(f"effort {entry.effort:g}/10 (fatigue above {fatigue:g})")
    if not entry.form_ok:
        missing.append("form not OK")
    if entry.pain_during > numbers.safe_max:
        missing.append(f"pain {entry.pain_during:g}/10 during")
    if entry.pain_next_morning is None:
        missing.append("next-morning pain not recorded")
    elif entry.pain_next_morning > numbers.safe_max:
        missing.append(f"pain {entry.pain_next_morning:g}/10 the next morning")
    return missing


@dataclass(frozen=True)
class Mastery:
    """Whether an exercise is mastered, what one session must reach, and what is missing."""

    done: bool
    target: Target
    sessions_needed: int
    missing: str = ""
    """Plain words: the latest shortfall, or how many sessions are still needed."""

    def level(self) -> str:
        """``3 × 20 reps``, ``2 × 45 s`` or ``the planned run``."""
        goal = self.target
        if goal.unit == "run":
            return "the planned run"
        return f"{goal.sets} × {goal.amount:g} {goal.unit}"


def mastery_status(
    entries: Sequence[SessionEntry],
    exercise: Exercise,
    planned: PlannedExercise | None,
    numbers: ProgressionNumbers,
) -> Mastery:
    """Whether the latest sessions (one per day, oldest first) master the exercise, and why."""
    goal = target(exercise, planned, numbers)
    needed = int(kb_value(numbers.sessions_needed(exercise).value))
    recent = list(entries)[-needed:]
    bad = [(entry, why) for entry in recent if (why := shortfalls(entry, goal, numbers))]
    if bad:
        entry, why = bad[-1]
        return Mastery(False, goal, needed, f"{entry.date.isoformat()}: {', '.join(why)}")
    if len(recent) < needed:
        return Mastery(False, goal, needed, f"{len(recent)} of {needed} sessions so far")
    return Mastery(True, goal, needed)
