"""Defect 8: the session log is checked (same-day rows, future dates, unknown next-morning
pain, exercises of a later phase) and defect 9: the 24-hour rule uses the KB threshold and
the person's baseline."""

from __future__ import annotations

import datetime as dt

import pytest

from hipfirst.core.exercise_decisions import decide
from hipfirst.core.log_checks import combine_same_day, future_date_problem
from hipfirst.core.progress_report import SessionEntry
from hipfirst.core.progression import evaluate_progress
from hipfirst.errors import InputValidationError
from hipfirst.io.session_log import parse_session_log
from hipfirst.knowledge.base import KnowledgeBase
from hipfirst.knowledge.loader import knowledge_base

from .assessment_builders import a_plan, document

DAY = dt.date(2026, 11, 2)


def entry(
    exercise_id: str,
    day: int,
    *,
    pain: float = 1,
    morning: float | None = 1,
    form_ok: bool = True,
    reps: int = 20,
) -> SessionEntry:
    return SessionEntry(
        date=DAY + dt.timedelta(days=day),
        exercise_id=exercise_id,
        sets=3,
        reps=reps,
        pain_during=pain,
        pain_next_morning=morning,
        form_ok=form_ok,
    )


def test_it_combines_same_day_rows_with_the_worst_pain_and_form(kb: KnowledgeBase) -> None:
    # Defect 8: a pain 7 / form "no" row was overridden by a later clean row → advance.
    log = [
        entry("bridge", 0),
        entry("bridge", 2, pain=7, form_ok=False),
        entry("bridge", 2, pain=1, form_ok=True),
    ]
    combined, notes = combine_same_day(log)
    assert len(combined) == 2
    worst = combined[1]
    assert (worst.pain_during, worst.form_ok) == (7, False)
    assert notes == [
        "bridge on 2026-11-04: 2 rows combined into one session with the worst of them "
        "(pain 7/10, form not OK, 3 sets of 20)"
    ]
    plan = a_plan(document(version=1))
    report = evaluate_progress(plan, log, kb)
    (decision,) = report.decisions
    assert decision.decision == "regress"
    assert report.log_notes == notes


def test_it_refuses_a_session_dated_after_today() -> None:
    # Defect 8: a session dated 2031 was accepted.
    today = dt.date(2026, 12, 1)
    assert future_date_problem(dt.date(2031, 1, 5), today) == (
        "must not be after today (2026-12-01): a session is logged after it happens"
    )
    assert future_date_problem(today, today) is None
    row = {
        "date": "2031-01-05",
        "exercise_id": "bridge",
        "sets": "3",
        "reps": "12",
        "pain_during": "1",
        "form_ok": "yes",
    }
    with pytest.raises(InputValidationError) as caught:
        parse_session_log([row], "log.csv", knowledge_base(), today)
    assert [str(e) for e in caught.value.errors] == [
        "row 1, date: must not be after today (2026-12-01): a session is logged after it "
        "happens (got '2031-01-05')"
    ]


def test_it_does_not_settle_pain_without_a_next_morning_rating(kb: KnowledgeBase) -> None:
    # Defect 8: with no next-morning pain at all, the 24-hour criterion passed.
    plan = a_plan(document(version=1, patient={"equipment": ["band"]}))
    log = [
        entry(e.id, day, morning=None, reps=45 if e.hold_s else 20)
        for e in plan.phases[0].exercises
        for day in (0, 2)
    ]
    report = evaluate_progress(plan, log, kb)
    pain = next(c for c in report.phases[0].criteria if c.id == "pain_settled")
    assert pain.status == "not_met"
    assert pain.reasons[0].startswith("next-morning pain not recorded (not settled): ")
    assert {d.decision for d in report.decisions} == {"hold"}
    assert report.decisions[0].action == "record tomorrow morning's pain, then decide"


def test_it_reports_a_later_phase_exercise_logged_in_phase_1_and_never_advances_it(
    kb: KnowledgeBase,
) -> None:
    # Defect 8: phase-3 exercises logged in phase 1 got "advance".
    plan = a_plan(
        document(version=1, patient={"activities": ["field_sports"], "equipment": ["box"]})
    )
    log = [entry("lateral_bounds", 0), entry("lateral_bounds", 2)]
    report = evaluate_progress(plan, log, kb)
    assert report.current_phase == 1
    (decision,) = report.decisions
    assert (decision.decision, decision.off_phase) == ("hold", True)
    assert decision.reasons[0].text.startswith(
        "Lateral bounds belongs to phase 3 and you are in phase 1: it is reported, not progressed"
    )
    assert report.log_notes == [decision.reasons[0].text]


def test_it_keeps_a_small_rise_inside_the_safe_zone(kb: KnowledgeBase) -> None:
    # Defect 9: 1 → 2 gave "regress … above the safe zone 0–3".
    log = [entry("bridge", 0, morning=1), entry("bridge", 2, morning=2)]
    result = decide(log, kb.exercise("bridge"), kb, equipment=[])
    assert result.decision == "advance"
    assert "24-hour rule" not in result.reasons[0].text


def test_it_regresses_when_next_morning_pain_leaves_the_safe_zone_above_the_baseline(
    kb: KnowledgeBase,
) -> None:
    log = [
        entry("clamshell", 0, morning=2),
        entry("bridge", 1, morning=1),
        entry("bridge", 3, morning=4),
    ]
    result = decide(log[1:], kb.exercise("bridge"), kb, equipment=[])
    assert result.decision == "regress"
    assert result.reasons[0].text == (
        "next-morning pain 4/10 is above the safe zone 0–3 /10 (secondary) and above your "
        "baseline of 1/10: the last load was too much (24-hour rule, secondary)"
    )
    # the person's baseline is the lowest next-morning pain of an earlier day, all exercises
    settled = [entry("clamshell", 0, morning=4), entry("bridge", 3, morning=4)]
    held = decide(settled[1:], kb.exercise("bridge"), kb, equipment=[])
    assert held.decision == "hold"  # 4/10 is acceptable pain, not above a baseline of 4
