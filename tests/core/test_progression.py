"""Progression: advance / hold / regress per exercise and phases checked in order."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hipfirst.core.exercise_decisions import RULES, decide
from hipfirst.core.plan import Plan
from hipfirst.core.prescription import prescribe
from hipfirst.core.progress_report import SessionEntry
from hipfirst.core.progression import evaluate_progress
from hipfirst.core.reasoning import assess
from hipfirst.core.return_to_sport import RtsChecklist, RtsCriterion
from hipfirst.io.assessment_file import load_assessment_file
from hipfirst.knowledge.base import KnowledgeBase
from hipfirst.knowledge.loader import knowledge_base
from hipfirst.knowledge.vocabulary import CriterionStatus

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
DAY = dt.date(2026, 11, 23)


def _plan(name: str = "runner-anterior-knee-pain.yaml") -> Plan:
    kb = knowledge_base()
    loaded = load_assessment_file(EXAMPLES / name)
    result = prescribe(loaded.assessment, assess(loaded.assessment, kb), kb)
    assert isinstance(result, Plan)
    return result


def entry(
    exercise_id: str,
    reps: int,
    pain: float = 1,
    morning: float | None = 1,
    form_ok: bool = True,
    day: int = 0,
    sets: int = 3,
) -> SessionEntry:
    return SessionEntry(
        date=DAY + dt.timedelta(days=day),
        exercise_id=exercise_id,
        sets=sets,
        reps=reps,
        pain_during=pain,
        pain_next_morning=morning,
        form_ok=form_ok,
    )


def twice(exercise_id: str, reps: int, **kwargs: object) -> list[SessionEntry]:
    """The same session on two different days (the mastery rule needs 2 sessions)."""
    return [
        entry(exercise_id, reps, day=0, **kwargs),  # type: ignore[arg-type]
        entry(exercise_id, reps, day=2, **kwargs),  # type: ignore[arg-type]
    ]


def mastered_log(plan: Plan, phases: tuple[int, ...]) -> list[SessionEntry]:
    """Two mastered sessions of every exercise (running step included) of these phases."""
    log: list[SessionEntry] = []
    for phase in plan.phases:
        if phase.number not in phases:
            continue
        for item in [*phase.exercises, *([phase.running] if phase.running else [])]:
            amount = max(item.hold_s, 45) if item.hold_s is not None else 20
            for day in (0, 2, 4):
                log.append(entry(item.id, amount, sets=item.sets, day=day + phase.number * 10))
    return log


# --- per-exercise decisions (worked examples) --------------------------------------------


def test_it_advances_to_the_harder_variant_after_20_clean_reps(kb: KnowledgeBase) -> None:
    result = decide(twice("clamshell", 20), kb.exercise("clamshell"), kb, equipment=["band"])
    assert result.decision == "advance"
    assert result.next_exercise_id == "clamshell_band"
    assert result.reasons[0].text == (
        "2 × 20 reps with good form, no fatigue and pain in the safe zone during and the next "
        "morning, on 2 different days (unconfirmed; level < 20 reps, web_article)"
    )
    assert result.reasons[0].sources == ["seed_003"]


def test_it_skips_harder_variants_needing_missing_equipment(kb: KnowledgeBase) -> None:
    # side-lying abduction → [standing abduction with band, hip hikes on a step]
    exercise = kb.exercise("side_lying_hip_abduction")
    with_step = decide(twice(exercise.id, 22), exercise, kb, equipment=["step"])
    assert with_step.next_exercise_id == "single_leg_stance_hip_hike"
    nothing = decide(twice(exercise.id, 22), exercise, kb, equipment=[])
    assert nothing.decision == "advance"
    assert nothing.next_exercise_id == exercise.id
    assert nothing.reasons[1].text == (
        "no harder variant: raise the load by 2–10 % (borrowed) and return to the target "
        "repetitions"
    )
    assert nothing.reasons[1].sources == ["acsm_2009"]


def test_it_regresses_to_the_easier_variant_when_pain_is_unacceptable(kb: KnowledgeBase) -> None:
    result = decide(
        [entry("clamshell_band", 12, pain=6)], kb.exercise("clamshell_band"), kb, equipment=[]
    )
    assert result.decision == "regress"
    assert result.next_exercise_id == "clamshell"
    assert result.reasons[0].text == (
        "pain reached 6/10 on 2026-11-23: unacceptable zone > 5 /10 (secondary)"
    )


def test_it_regresses_on_next_morning_pain_even_when_pain_during_was_low(
    kb: KnowledgeBase,
) -> None:
    result = decide(
        [entry("clamshell", 15, pain=0, morning=7)], kb.exercise("clamshell"), kb, equipment=[]
    )
    assert result.decision == "regress"
    assert result.next_exercise_id == "clamshell"  # no easier variant: reduce the load
    assert result.action == "reduce the load or the number of sets"


def test_it_regresses_the_load_when_next_morning_pain_rises_above_the_safe_zone(
    kb: KnowledgeBase,
) -> None:
    log = [entry("bridge", 15, pain=2, morning=1), entry("bridge", 18, pain=2, morning=4, day=2)]
    result = decide(log, kb.exercise("bridge"), kb, equipment=[])
    assert result.decision == "regress"
    assert result.next_exercise_id == "bridge"
    assert result.reasons[0].text == (
        "next-morning pain 4/10 is above the safe zone 0–3 /10 (secondary) and above your "
        "baseline of 1/10: the last load was too much (24-hour rule, secondary)"
    )


def test_it_holds_while_pain_is_in_the_acceptable_zone(kb: KnowledgeBase) -> None:
    result = decide(
        [entry("bridge", 20, pain=4, morning=2)], kb.exercise("bridge"), kb, equipment=[]
    )
    assert result.decision == "hold"
    assert result.reasons[0].text == (
        "pain 4/10 is in the acceptable zone 4–5 /10 (secondary): keep the load until it "
        "settles into the safe zone 0–3 /10 (secondary)"
    )


def test_it_holds_when_form_broke_down(kb: KnowledgeBase) -> None:
    result = decide([entry("bridge", 20, form_ok=False)], kb.exercise("bridge"), kb, equipment=[])
    assert result.decision == "hold"
    assert result.reasons[0].text.startswith("form broke down in the last session")


def test_it_holds_and_asks_for_more_reps_below_20(kb: KnowledgeBase) -> None:
    # bridge: 3 planned sets (library default); 13 reps is below the mastery level of 20
    result = decide([entry("bridge", 13)], kb.exercise("bridge"), kb, equipment=[])
    assert result.decision == "hold"
    assert result.reasons[0].text == (
        "not yet at the mastery level (2026-11-23: 13 reps of 20): 3 × 20 reps with good "
        "form, no fatigue and safe pain on 2 different days (unconfirmed)"
    )


def test_it_counts_timed_holds_in_seconds(kb: KnowledgeBase) -> None:
    plank = kb.exercise("side_plank_knees")
    assert decide(twice(plank.id, 30, sets=2), plank, kb, equipment=[]).decision == "hold"
    done = decide(twice(plank.id, 45, sets=2), plank, kb, equipment=[])
    assert done.decision == "advance"
    assert done.next_exercise_id == "side_plank"


# --- phases ------------------------------------------------------------------------------


def test_it_opens_phase_two_only_when_phase_one_is_mastered_pain_free() -> None:
    kb = knowledge_base()
    plan = _plan()
    report = evaluate_progress(plan, mastered_log(plan, (1,)), kb)
    assert [phase.status for phase in report.phases] == ["met", "not_met", "locked"]
    assert report.current_phase == 2
    assert not report.completed
    assert {c.status for c in report.phases[1].criteria} == {"not_measured"}
    assert report.phases[2].criteria == []


def test_it_keeps_phase_one_open_while_one_exercise_is_short_of_20(kb: KnowledgeBase) -> None:
    plan = _plan()
    first = plan.phases[0]
    short = first.exercises[1]
    log = [e for e in mastered_log(plan, (1,)) if e.exercise_id != short.id]
    log += [entry(short.id, 12, sets=short.sets, day=14)]
    report = evaluate_progress(plan, log, kb)
    assert report.current_phase == 1
    mastery = next(c for c in report.phases[0].criteria if c.id == "mastery")
    assert mastery.status == "not_met"
    assert mastery.reasons == [f"not mastered yet: {short.id} (2026-12-07: 12 reps of 20)"]


def _passed() -> RtsChecklist:
    return RtsChecklist(
        goal="running",
        criteria=[
            RtsCriterion(
                id="hip_abduction_lsi_pct",
                label="Hip abduction strength symmetry",
                status="met",
                value=95.0,
                unit="%",
                threshold="≥ 90 %",
                measure_id="strength_lsi_pass",
                evidence_status="borrowed",
                sources=["gokeler_2017"],
            )
        ],
    )


def test_it_needs_a_passed_reassessment_to_finish_the_last_phase(kb: KnowledgeBase) -> None:
    plan = _plan()
    log = mastered_log(plan, (1, 2, 3))
    without = evaluate_progress(plan, log, kb)
    assert [phase.status for phase in without.phases] == ["met", "met", "not_met"]
    rts = next(c for c in without.phases[2].criteria if c.id == "return_to_sport")
    assert rts.status == "not_measured"
    done = evaluate_progress(plan, log, kb, reassessment=_passed())
    assert done.completed
    assert done.current_phase == 3


log_entries = st.builds(
    SessionEntry,
    date=st.dates(min_value=dt.date(2026, 1, 1), max_value=dt.date(2026, 12, 31)),
    exercise_id=st.sampled_from(sorted(knowledge_base().exercises)),
    sets=st.integers(min_value=0, max_value=5),
    reps=st.integers(min_value=0, max_value=60),
    load=st.just(""),
    pain_during=st.integers(min_value=0, max_value=20).map(lambda v: v / 2),
    pain_next_morning=st.one_of(
        st.none(), st.integers(min_value=0, max_value=20).map(lambda v: v / 2)
    ),
    form_ok=st.booleans(),
)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(log=st.lists(log_entries, min_size=1, max_size=40))
def test_it_never_skips_a_phase(log: list[SessionEntry]) -> None:
    kb = knowledge_base()
    plan = _plan()
    report = evaluate_progress(plan, log, kb)
    statuses = [phase.status for phase in report.phases]
    first_open = next((i for i, status in enumerate(statuses) if status != "met"), len(statuses))
    assert all(status == "met" for status in statuses[:first_open])
    assert all(status == "locked" for status in statuses[first_open + 1 :])
    assert report.completed == (first_open == len(statuses))
    for decision in report.decisions:
        assert decision.next_exercise_id in kb.exercises
        assert all(reason.sources for reason in decision.reasons)


def test_it_applies_the_decision_rules_in_their_documented_order() -> None:
    assert [rule.__name__ for rule in RULES] == [
        "unacceptable_pain",
        "next_morning_rise",
        "acceptable_pain",
        "form_broke_down",
        "logged_before_its_phase",
        "next_morning_unknown",
        "running_limits",
        "mastered",
    ]


def test_it_regresses_before_it_holds_when_pain_and_form_both_fail(kb: KnowledgeBase) -> None:
    result = decide(
        [entry("clamshell_band", 20, pain=7, form_ok=False)],
        kb.exercise("clamshell_band"),
        kb,
        equipment=[],
    )
    assert (result.decision, result.next_exercise_id) == ("regress", "clamshell")


def _rts(status: CriterionStatus) -> RtsChecklist:
    return RtsChecklist(
        goal="running",
        criteria=[
            RtsCriterion(
                id="hip_abduction_lsi_pct",
                label="Hip abduction strength symmetry",
                status="met",
                value=95.0,
                unit="%",
                threshold="≥ 90 %",
                measure_id="strength_lsi_pass",
                evidence_status="borrowed",
                sources=["gokeler_2017"],
            ),
            RtsCriterion(
                id="y_balance_composite_lsi_pct",
                label="Y-Balance composite symmetry",
                status=status,
                value=80.0,
                unit="%",
                threshold="≥ 85 %",
                measure_id="ybt_symmetry_running",
                evidence_status="published",
                sources=["ijspt_2022_hip_rts"],
            ),
        ],
    )


def test_it_names_the_open_return_to_sport_items_of_a_failed_reassessment(
    kb: KnowledgeBase,
) -> None:
    plan = _plan()
    log = mastered_log(plan, (1, 2, 3))
    report = evaluate_progress(plan, log, kb, reassessment=_rts("not_met"))
    rts = next(c for c in report.phases[2].criteria if c.id == "return_to_sport")
    assert rts.status == "not_met"
    assert rts.reasons == ["not met or not measured: Y-Balance composite symmetry"]
    assert not report.completed


def test_it_keeps_phase_two_open_while_the_form_of_one_exercise_is_not_ok(
    kb: KnowledgeBase,
) -> None:
    plan = _plan()
    done = mastered_log(plan, (1,))
    second = [entry(e.id, 20, day=30) for e in plan.phases[1].exercises]  # step_up, …
    second[0] = entry("step_up", 20, form_ok=False, day=30)
    report = evaluate_progress(plan, [*done, *second], kb)
    form = next(c for c in report.phases[1].criteria if c.id == "movement_quality")
    assert form.status == "not_met"
    assert form.reasons == ["form to work on: step_up (form not OK)"]
    assert report.current_phase == 2
