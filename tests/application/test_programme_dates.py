"""The programme on the calendar: course start, phase days, planned sessions, next review."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from hipfirst.application.plan_files import plan_file
from hipfirst.application.programme_dates import (
    course_start,
    next_review,
    phase_days,
    planned_sessions,
    programme_began,
)
from hipfirst.core.plan import Plan
from hipfirst.storage.models import Patient, Programme

START = dt.date(2026, 11, 2)  # a Monday
EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def plan() -> Plan:
    """The runner example's plan: phase weeks 1–2, 3–5, 6–8; 3 sessions a week; a running step
    in phases 2 and 3."""
    result = plan_file(EXAMPLES / "runner-anterior-knee-pain.yaml")
    assert isinstance(result, Plan)
    return result


def version(number: int, assessment_id: int | None, day: dt.date) -> Programme:
    moment = dt.datetime.combine(day, dt.time(9), tzinfo=dt.UTC)
    return Programme(version=number, assessment_id=assessment_id, plan_json={}, created_at=moment)


def test_it_starts_the_course_at_the_first_version_from_the_current_assessment() -> None:
    patient = Patient(
        display_name="P",
        programmes=[
            version(1, 10, dt.date(2026, 9, 1)),  # an earlier course
            version(2, 11, START),  # re-assessed: the course starts again
            version(3, 11, dt.date(2026, 11, 20)),  # an edit keeps the course
        ],
    )
    assert course_start(patient) == START
    assert programme_began(patient) == dt.date(2026, 9, 1)
    assert course_start(Patient(display_name="Q")) is None
    assert programme_began(Patient(display_name="Q")) is None


def test_it_places_each_phase_on_its_programme_weeks() -> None:
    phases = plan().phases
    assert [p.weeks for p in phases] == [(1, 2), (3, 5), (6, 8)]
    assert phase_days(START, phases[0]) == (START, dt.date(2026, 11, 15))
    assert phase_days(START, phases[1]) == (dt.date(2026, 11, 16), dt.date(2026, 12, 6))
    assert phase_days(START, phases[2]) == (dt.date(2026, 12, 7), dt.date(2026, 12, 27))


def test_it_spreads_the_sessions_of_a_week_and_runs_on_the_days_between() -> None:
    the_plan = plan()
    sessions = planned_sessions(the_plan, START)
    home = [s for s in sessions if s.kind == "home"]
    runs = [s for s in sessions if s.kind == "running"]
    # 3 sessions a week over 8 weeks; the running step (3 a week) in phases 2 and 3 (6 weeks)
    assert len(home) == 3 * 8
    assert len(runs) == 3 * 6
    assert [s.day for s in home[:6]] == [
        START,
        START + dt.timedelta(days=2),
        START + dt.timedelta(days=4),
        START + dt.timedelta(days=7),
        START + dt.timedelta(days=9),
        START + dt.timedelta(days=11),
    ]
    assert runs[0].day == dt.date(2026, 11, 17)  # the day after the first phase-2 session
    assert {s.day for s in home}.isdisjoint({s.day for s in runs})
    for session in home:
        phase = the_plan.phase(session.phase)
        assert session.exercises == tuple(phase.exercises)
        first, last = phase_days(START, phase)
        assert first <= session.day <= last
    assert [s.day for s in sessions] == sorted(s.day for s in sessions)


def test_it_reviews_the_day_after_the_phase_and_says_when_that_has_passed() -> None:
    the_plan = plan()
    review = next_review(START, the_plan, 2, today=dt.date(2026, 11, 20))
    assert (review.on, review.phase, review.overdue) == (dt.date(2026, 12, 7), 2, False)
    late = next_review(START, the_plan, 1, today=dt.date(2026, 11, 20))
    assert (late.on, late.overdue) == (dt.date(2026, 11, 16), True)


def test_the_example_plan_is_what_the_tests_assume() -> None:
    the_plan = plan()
    assert the_plan.sessions_per_week == 3
    assert [p.running is not None for p in the_plan.phases] == [False, True, True]
    assert json.loads(the_plan.model_dump_json())["total_weeks"] == 8
