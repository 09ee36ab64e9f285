"""Defect 10: running follows a graded return (walk-run stages, runs per stage, a maximum
weekly rise, distance before speed and hills) using the runner's usual weekly distance."""

from __future__ import annotations

import datetime as dt

from hipfirst.core.exercise_decisions import LogContext, decide
from hipfirst.core.plan import Plan
from hipfirst.core.progress_report import SessionEntry
from hipfirst.core.progression import evaluate_progress
from hipfirst.knowledge.base import KnowledgeBase

from .assessment_builders import a_plan, document

DAY = dt.date(2026, 10, 1)


def run(exercise_id: str, day: int, km: float | None = None, pain: float = 1) -> SessionEntry:
    return SessionEntry(
        date=DAY + dt.timedelta(days=day),
        exercise_id=exercise_id,
        sets=1,
        reps=8,
        pain_during=pain,
        pain_next_morning=1,
        form_ok=True,
        distance_km=km,
    )


def _runner() -> Plan:
    return a_plan(document(version=1, patient={"activities": ["running"], "weekly_running_km": 40}))


def _decision(
    plan: Plan, log: list[SessionEntry], kb: KnowledgeBase, exercise_id: str
) -> tuple[str, str, list[str]]:
    """The decision for one running step, with the plan's usual weekly distance (the phase
    it belongs to is taken as current)."""
    assert plan.running_return is not None
    context = LogContext(log=log, usual_weekly_km=plan.running_return.usual_weekly_km)
    mine = [entry for entry in log if entry.exercise_id == exercise_id]
    found = decide(mine, kb.exercise(exercise_id), kb, equipment=[], context=context)
    return found.decision, found.next_exercise_id, [r.text for r in found.reasons]


def test_it_lays_out_the_graded_return_with_the_runners_usual_distance() -> None:
    plan = _runner()
    running = plan.running_return
    assert running is not None
    assert running.usual_weekly_km == 40
    assert [stage.split(":")[0] for stage in running.stages] == [
        "Walk-run intervals",
        "Walk-run intervals, 2 minutes running",
        "Walk-run intervals, 4 minutes running",
        "Continuous easy running",
        "Running with speed and hills",
    ]
    assert (running.max_weekly_rise.text, running.max_weekly_rise.status) == ("> 10 %", "derived")
    assert running.runs_per_stage.text == "< 3 sessions"
    assert "back to your usual 40 km a week" in running.rules[1].text


def test_it_does_not_jump_from_one_pain_free_interval_to_continuous_running(
    kb: KnowledgeBase,
) -> None:
    plan = _runner()
    decision, nxt, reasons = _decision(
        plan, [run("walk_run_intervals", 0)], kb, "walk_run_intervals"
    )
    assert (decision, nxt) == ("hold", "walk_run_intervals")
    assert "1 of 3 sessions so far" in reasons[0]
    three = [run("walk_run_intervals", day) for day in (0, 2, 4)]
    decision, nxt, _ = _decision(plan, three, kb, "walk_run_intervals")
    assert (decision, nxt) == ("advance", "walk_run_2_1")  # the next walk-run ratio


def test_it_does_not_move_to_speed_and_hills_after_one_continuous_run(kb: KnowledgeBase) -> None:
    plan = _runner()
    decision, nxt, _ = _decision(
        plan, [run("continuous_easy_running", 0, km=4)], kb, "continuous_easy_running"
    )
    assert (decision, nxt) == ("hold", "continuous_easy_running")
    # three pain-free runs but only 12 km in the last week: distance first
    three = [run("continuous_easy_running", day, km=4) for day in (0, 2, 4)]
    decision, nxt, reasons = _decision(plan, three, kb, "continuous_easy_running")
    assert (decision, nxt) == ("hold", "continuous_easy_running")
    assert reasons[1] == (
        "running with speed and hills waits until your usual weekly distance is back "
        "(usual: 40 km; last 7 days: 12 km): distance first, then speed and hills"
    )


def test_it_moves_to_speed_and_hills_once_the_usual_weekly_distance_is_back(
    kb: KnowledgeBase,
) -> None:
    plan = _runner()
    weeks = [run("continuous_easy_running", day, km=9.5) for day in (0, 2, 4, 6)]  # 38 km
    weeks += [run("continuous_easy_running", day, km=10.4) for day in (7, 9, 11, 13)]  # 41.6 km
    decision, nxt, _ = _decision(plan, weeks, kb, "continuous_easy_running")
    assert (decision, nxt) == ("advance", "running_speed_hills")


def test_it_holds_when_weekly_distance_rises_more_than_ten_percent(kb: KnowledgeBase) -> None:
    plan = _runner()
    log = [run("continuous_easy_running", day, km=5) for day in (0, 2, 4, 6)]  # 20 km
    log += [run("continuous_easy_running", day, km=7.5) for day in (7, 9, 11, 13)]  # 30 km
    decision, _, reasons = _decision(plan, log, kb, "continuous_easy_running")
    assert decision == "hold"
    assert reasons == [
        "weekly running distance rose from 20 to 30 km (+50%), more than > 10 % (derived) a week"
    ]


def test_it_reports_a_running_step_logged_before_its_phase(kb: KnowledgeBase) -> None:
    report = evaluate_progress(_runner(), [run("continuous_easy_running", 0, km=5)], kb)
    (decision,) = report.decisions
    assert decision.off_phase is True and decision.decision == "hold"
