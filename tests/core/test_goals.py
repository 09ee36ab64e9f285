"""Defect 4: phase 3 follows the person's goal and capacity (rules in the knowledge base)."""

from __future__ import annotations

from typing import Any

import pytest

from hipfirst.core.goals import resolve_goal
from hipfirst.knowledge.loader import knowledge_base

from .assessment_builders import a_plan, document, parsed

IMPACT = {
    "lateral_hops",
    "lateral_bounds",
    "single_leg_box_jump",
    "agility_ladder",
    "cutting_pivoting",
}


def _impact(plan_ids: list[str]) -> set[str]:
    return IMPACT & set(plan_ids)


def test_it_leaves_hops_and_bounds_out_for_a_67_year_old_with_a_hip_oa_picture() -> None:
    # groin pain, stiffness, IR 12° painful at 67: ACR clinical picture of hip OA
    plan = a_plan(
        document(
            patient={
                "age_years": 67,
                "activities": ["hiking", "general_fitness"],
                "equipment": ["band", "step", "box", "ladder"],
            },
            symptoms={
                "location": "diffuse",
                "hip_symptoms": {"groin_pain": True, "hip_stiffness": True},
            },
            exam={
                "hip_rom_deg": {
                    "internal_rotation": {"left": 28, "right": 12},
                    "internal_rotation_painful": {"right": True},
                }
            },
        )
    )
    assert plan.goal == "walking"
    assert _impact(plan.exercise_ids()) == set()
    assert plan.phases[2].aim.startswith("Walk further, on hills and uneven ground")
    assert "prepare for running, jumping and cutting" not in plan.phases[2].aim.lower()
    assert [p.id for p in plan.precautions] == ["hip_joint_pathology"]


def test_it_gives_a_72_year_old_without_sport_a_daily_life_phase_3() -> None:
    plan = a_plan(
        document(
            version=1,
            patient={
                "age_years": 72,
                "activities": ["none"],
                "equipment": ["step", "box", "ladder"],
            },
        )
    )
    assert plan.goal == "daily_life"
    assert plan.goal_reason == "daily life, from the activities (none)"
    assert _impact(plan.exercise_ids()) == set()
    assert plan.phases[2].aim.startswith("Build strength and control for everyday life")


def test_it_gives_no_plyometrics_to_a_cyclist_without_equipment() -> None:
    plan = a_plan(document(version=1, patient={"activities": ["cycling"], "equipment": ["none"]}))
    assert plan.goal == "daily_life"
    assert _impact(plan.exercise_ids()) == set()


def test_it_plans_impact_work_for_field_sport_and_hops_only_for_runners() -> None:
    sport = a_plan(
        document(
            version=1,
            patient={
                "age_years": 20,
                "activities": ["field_sports"],
                "equipment": ["box", "ladder"],
            },
        )
    )
    assert sport.goal == "sport"
    assert _impact([e.id for e in sport.phases[2].exercises])
    runner = a_plan(document(version=1, patient={"activities": ["running"], "equipment": ["box"]}))
    assert runner.goal == "running"
    assert _impact(runner.exercise_ids()) <= {"lateral_hops"}
    assert runner.phases[2].aim.startswith("Rebuild running step by step")


@pytest.mark.parametrize(
    ("goal", "impact_expected"),
    [("sport", True), (None, False)],
)
def test_it_plans_impact_work_for_an_older_adult_only_when_the_goal_is_set(
    goal: str | None, impact_expected: bool
) -> None:
    patient: dict[str, Any] = {
        "age_years": 66,
        "activities": ["court_sports"],
        "equipment": ["box"],
    }
    if goal is not None:
        patient["goal"] = goal
    plan = a_plan(document(patient=patient))
    assert plan.goal == "sport"
    assert bool(_impact(plan.exercise_ids())) is impact_expected
    if not impact_expected:
        assert any(
            n.text.startswith("At 66 years (older adult from 65, derived)") for n in plan.notes
        )


def test_it_takes_the_goal_from_the_assessment_before_the_activities() -> None:
    kb = knowledge_base()
    explicit = resolve_goal(
        parsed(document(patient={"activities": ["running"], "goal": "stairs"})), kb
    )
    assert (explicit.goal.id, explicit.explicit) == ("stairs", True)
    derived = resolve_goal(parsed(document(patient={"activities": ["hiking", "dance"]})), kb)
    assert (derived.goal.id, derived.reason) == (
        "sport",
        "field or court sport, from the activities (dance)",
    )
