"""Plan editing: the clinician's edit document and accepted progression decisions."""

from __future__ import annotations

import datetime as dt
from functools import cache
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from hipfirst.core.plan import Plan, Reason
from hipfirst.core.plan_edit import apply_decisions, apply_edit, dosage_range, edit_fields
from hipfirst.core.prescription import prescribe
from hipfirst.core.progress_report import ExerciseDecision
from hipfirst.core.reasoning import assess
from hipfirst.errors import FieldError
from hipfirst.io.assessment_file import load_assessment_file
from hipfirst.knowledge.base import KnowledgeBase
from hipfirst.knowledge.loader import knowledge_base

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


@cache
def runner_plan() -> Plan:
    """The runner example's plan: equipment band, step, dumbbells; runs; irritable (2 sets).

    Phase 1: quadriceps_sets 2 × 15, clamshell_band 2 × 12, quadruped_hip_abduction 2 × 12,
    single_leg_stance 2 × 30 s, standing_hip_abduction 2 × 15; 3 sessions a week.
    Phase 2 starts with step_up 2 × 10 and runs walk_run_intervals.
    """
    kb = knowledge_base()
    loaded = load_assessment_file(EXAMPLES / "runner-anterior-knee-pain.yaml")
    plan = prescribe(loaded.assessment, assess(loaded.assessment, kb, loaded.video), kb)
    assert isinstance(plan, Plan)
    return plan


def test_it_writes_the_plan_as_an_unchanged_edit_document() -> None:
    fields = edit_fields(runner_plan())
    assert {key: value for key, value in fields.items() if key.startswith("p1.e0.")} == {
        "p1.e0.exercise": "quadriceps_sets",
        "p1.e0.sets": "2",
        "p1.e0.reps": "15",
        "p1.e0.sessions_per_week": "3",
    }
    assert fields["p1.e3.exercise"] == "single_leg_stance"
    assert fields["p1.e3.hold_s"] == "30"
    assert "p1.e3.reps" not in fields
    assert len([key for key in fields if key.endswith(".exercise")]) == 15


def test_it_changes_nothing_when_nothing_was_edited(kb: KnowledgeBase) -> None:
    plan = runner_plan()
    result = apply_edit(plan, edit_fields(plan), kb)
    assert (result.plan, result.changes, result.warnings, result.errors) == (plan, [], [], [])


def test_it_swaps_removes_and_adds_with_a_line_per_change(kb: KnowledgeBase) -> None:
    plan = runner_plan()
    fields = edit_fields(plan)
    fields["p1.e1.exercise"] = "clamshell"  # the easier variant of clamshell_band
    fields["p1.e4.remove"] = "true"
    fields["p2.add"] = "side_step"

    result = apply_edit(plan, fields, kb)

    assert result.errors == []
    assert result.changes == [
        "phase 1: swapped Clamshell with band for Clamshell (body weight)",
        "phase 1: removed Standing hip abduction (body weight)",
        "phase 2: added Side-steps in a mini squat",
    ]
    assert result.plan is not None
    first = result.plan.phase(1).exercises
    assert [item.id for item in first] == [
        "quadriceps_sets",
        "clamshell",
        "quadruped_hip_abduction",
        "single_leg_stance",
    ]
    assert first[1].why == [
        Reason(
            text="chosen by the clinician",
            sources=["seed_002", "selkowitz_2013", "distefano_2009"],  # the clamshell's sources
        )
    ]
    assert result.plan.phase(2).exercises[-1].id == "side_step"


def test_it_refuses_a_swap_to_an_exercise_that_is_no_variant_or_needs_other_equipment(
    kb: KnowledgeBase,
) -> None:
    plan = runner_plan()
    fields = edit_fields(plan)
    fields["p1.e1.exercise"] = "leg_press"  # phase 2-3 and needs a machine
    fields["p1.add"] = "leg_press"

    result = apply_edit(plan, fields, kb)

    assert result.plan is None
    assert result.errors == [
        FieldError(
            "p1.e1.exercise",
            "must be an easier or harder variant of Clamshell with band, or a phase 1 "
            "exercise the patient has the equipment for",
            "leg_press",
        ),
        FieldError(
            "p1.add", "must be a phase 1 exercise the patient has the equipment for", "leg_press"
        ),
    ]


def test_it_refuses_dosage_the_plan_cannot_hold(kb: KnowledgeBase) -> None:
    plan = runner_plan()
    fields = edit_fields(plan)
    fields["p1.e0.sets"] = "2.5"
    fields["p1.e0.sessions_per_week"] = "8"
    fields["p1.e3.hold_s"] = "zero"

    result = apply_edit(plan, fields, kb)

    assert result.plan is None
    assert result.errors == [
        FieldError("p1.e0.sets", "must be a whole number of 1 or more", "2.5"),
        FieldError("p1.e0.sessions_per_week", "must be between 1 and 7", 8),
        FieldError("p1.e3.hold_s", "must be a whole number of 1 or more", "zero"),
    ]


def test_it_checks_each_dosage_field_against_its_knowledge_base_range(kb: KnowledgeBase) -> None:
    def cited(part: str, exercise_id: str | None) -> str:
        exercise = kb.exercise(exercise_id) if exercise_id else None
        return dosage_range(kb, part, exercise).describe()

    assert cited("sets", "clamshell") == "2–3 sets (web_article, seed_003)"
    assert cited("reps", "clamshell") == "8–20 reps (web_article, seed_003)"
    assert cited("sessions_per_week", None) == (
        "3–5 sessions/week (web_article, seed_003, khayambashi_2012)"
    )
    assert cited("hold_s", "hamstring_stretch") == "15–30 s (unconfirmed, fredericson_2000)"
    assert cited("hold_s", "side_plank") == (
        "15–45 s (derived, josr_2020_itbs_pilot, ijspt_2022_hip_rts)"
    )


@settings(max_examples=30, deadline=None)
@given(sets=st.integers(min_value=1, max_value=12))
def test_it_warns_exactly_when_the_sets_leave_the_knowledge_base_range(sets: int) -> None:
    kb = knowledge_base()
    plan = runner_plan()
    fields = edit_fields(plan)
    fields["p2.e0.sets"] = str(sets)  # step_up, planned at 2 sets; the range is 2–3

    result = apply_edit(plan, fields, kb)

    assert result.errors == []
    assert result.plan is not None
    assert result.plan.phase(2).exercises[0].sets == sets
    if sets in (2, 3):
        assert result.warnings == []
    else:
        assert result.warnings == [
            f"phase 2: Forward step-up: sets {sets} is outside the knowledge-base range "
            "2–3 sets (web_article, seed_003)"
        ]
    assert result.changes == ([] if sets == 2 else [f"phase 2: Forward step-up: sets 2 → {sets}"])


def _advance(exercise_id: str, name: str, next_id: str, next_name: str) -> ExerciseDecision:
    return ExerciseDecision(
        exercise_id=exercise_id,
        name=name,
        decision="advance",
        next_exercise_id=next_id,
        next_exercise_name=next_name,
        action=f"move on to {next_name}",
        reasons=[Reason(text="pain stayed in the safe zone", sources=["silbernagel_2007"])],
        sessions_logged=3,
        last_date=dt.date(2026, 11, 23),
    )


def test_it_replaces_a_running_step_when_its_progression_is_accepted(kb: KnowledgeBase) -> None:
    decision = _advance(
        "walk_run_intervals",
        "Walk-run intervals",
        "continuous_easy_running",
        "Continuous easy running",
    )

    applied = apply_decisions(runner_plan(), [decision], 2, kb)

    running = applied.plan.phase(2).running
    assert running is not None and running.id == "continuous_easy_running"
    assert applied.changes == [
        "advance Walk-run intervals: move on to Continuous easy running (phase 2 running)"
    ]


def test_it_replaces_a_home_exercise_in_the_current_phase(kb: KnowledgeBase) -> None:
    decision = _advance(
        "clamshell_band", "Clamshell with band", "side_lying_hip_abduction", "Side-lying"
    )

    applied = apply_decisions(runner_plan(), [decision], 1, kb)

    replaced = applied.plan.phase(1).exercises[1]
    assert (replaced.id, replaced.sets, replaced.reps) == ("side_lying_hip_abduction", 3, 12)
    assert applied.changes == ["advance Clamshell with band: move on to Side-lying (phase 1)"]


def test_it_keeps_a_decision_on_an_exercise_not_in_the_plan_as_a_note(kb: KnowledgeBase) -> None:
    decision = _advance("clamshell", "Clamshell", "clamshell_band", "Clamshell with band")

    applied = apply_decisions(runner_plan(), [decision], 1, kb)

    assert applied.plan == runner_plan()
    assert applied.changes == [
        "advance Clamshell: move on to Clamshell with band (not in the plan; nothing replaced)"
    ]
