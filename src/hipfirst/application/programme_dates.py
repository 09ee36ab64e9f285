"""The programme on the calendar: when it began, its planned sessions, the next review.

A course of exercise starts on the day its first programme version was generated from an
assessment; edits and accepted progressions keep the same assessment and so the same
start. Phase weeks are programme weeks (week 1 starts on the start day, both ends of a
phase's ``weeks`` included), so phase ``weeks = (3, 5)`` runs from day 14 to day 34.
The weeks are the plan's typical weeks (``phases.yaml``): a phase changes on its criteria,
not on the calendar, so dates are a schedule to aim for, not a rule.

Sessions of one week are spread out: with ``n`` sessions a week they fall on days
``floor(i × 7 / n)`` of the week (3 → days 0, 2, 4; 4 → 0, 1, 3, 5); an exercise planned
fewer times a week than the phase's busiest one takes every ``n / k``-th of those days.
A runner's running step is its own session, on the day after each of its slots.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal

from hipfirst.application.records import current_programme, readable_plan
from hipfirst.core.plan import Plan, PlannedExercise, PlanPhase
from hipfirst.knowledge.base import KnowledgeBase
from hipfirst.storage.models import Patient, Programme

DAYS_PER_WEEK = 7


def course_start(patient: Patient) -> dt.date | None:
    """The day the current course began: the oldest version in an unbroken run of versions
    from the same assessment as the current one (None without a programme)."""
    current = current_programme(patient)
    if current is None:
        return None
    first: Programme = current
    for programme in reversed(patient.programmes):
        if programme.assessment_id != current.assessment_id:
            break
        first = programme
    return first.created_at.date()


@dataclass(frozen=True)
class Course:
    """The patient's current programme, its readable plan and the day the course began."""

    programme: Programme
    plan: Plan
    start: dt.date


def current_course(patient: Patient, kb: KnowledgeBase) -> Course | None:
    """The course the handout and the calendar describe (None without a readable plan)."""
    programme = current_programme(patient)
    start = course_start(patient)
    if programme is None or start is None:
        return None
    plan, _ = readable_plan(programme, kb)
    return None if plan is None else Course(programme, plan, start)


def programme_began(patient: Patient) -> dt.date | None:
    """The day the patient's first programme version was made (None without one): no session
    can be logged before it."""
    return patient.programmes[0].created_at.date() if patient.programmes else None


def week_start(start: dt.date, week: int) -> dt.date:
    """The first day of programme week ``week`` (week 1 begins on ``start``)."""
    return start + dt.timedelta(days=(week - 1) * DAYS_PER_WEEK)


def phase_days(start: dt.date, phase: PlanPhase) -> tuple[dt.date, dt.date]:
    """The first and last day of a phase's typical weeks."""
    first_week, last_week = phase.weeks
    return week_start(start, first_week), week_start(start, last_week + 1) - dt.timedelta(days=1)


@dataclass(frozen=True)
class Review:
    """The next review: the day after the current phase's typical weeks end."""

    on: dt.date
    phase: int
    overdue: bool = False


def next_review(start: dt.date, plan: Plan, phase_number: int, today: dt.date) -> Review:
    """When the current phase is due to be reviewed (``overdue`` when that day has passed)."""
    phase = _phase(plan, phase_number)
    _, last_day = phase_days(start, phase)
    due = last_day + dt.timedelta(days=1)
    return Review(on=due, phase=phase.number, overdue=due < today)


@dataclass(frozen=True)
class PlannedSession:
    """One planned session: a home session (its exercises) or a run (the running step)."""

    day: dt.date
    phase: int
    kind: Literal["home", "running"]
    exercises: tuple[PlannedExercise, ...]


def _slots(count: int) -> list[int]:
    """Days of the week (0–6) for ``count`` sessions a week, spread out."""
    return [index * DAYS_PER_WEEK // count for index in range(count)]


def _phase_sessions(start: dt.date, phase: PlanPhase) -> list[PlannedSession]:
    sessions: list[PlannedSession] = []
    busiest = max(exercise.sessions_per_week for exercise in phase.exercises)
    slots = _slots(busiest)
    first_week, last_week = phase.weeks
    for week in range(first_week, last_week + 1):
        monday = week_start(start, week)
        for index, slot in enumerate(slots):
            chosen = tuple(
                exercise
                for exercise in phase.exercises
                if index in _every_nth(busiest, exercise.sessions_per_week)
            )
            day = monday + dt.timedelta(days=slot)
            sessions.append(PlannedSession(day, phase.number, "home", chosen))
        if phase.running is not None:
            for slot in _slots(phase.running.sessions_per_week):
                day = monday + dt.timedelta(days=(slot + 1) % DAYS_PER_WEEK)
                sessions.append(PlannedSession(day, phase.number, "running", (phase.running,)))
    return sessions


def _every_nth(slots: int, wanted: int) -> set[int]:
    """Which of ``slots`` sessions an exercise planned ``wanted`` times a week takes."""
    return {index * slots // wanted for index in range(min(wanted, slots))}


def planned_sessions(plan: Plan, start: dt.date) -> list[PlannedSession]:
    """Every planned session of every phase, in date order (home before running)."""
    sessions = [session for phase in plan.phases for session in _phase_sessions(start, phase)]
    return sorted(sessions, key=lambda session: (session.day, session.kind != "home"))


def _phase(plan: Plan, number: int) -> PlanPhase:
    return next((phase for phase in plan.phases if phase.number == number), plan.phases[0])
