"""Defect 3: patellar instability is a differential, and the plan avoids its loads until cleared."""

from __future__ import annotations

from typing import Any

from hipfirst.knowledge.loader import knowledge_base

from .assessment_builders import a_plan, document, report_of

AKPS_ONE_DISLOCATION = [5, 5, 5, 8, 4, 6, 7, 8, 8, 10, 2, 5, 5]
"""AKPS item 11 answered "at least one documented dislocation" (2 points)."""


def _dancer(version: int = 1, **changes: Any) -> dict[str, Any]:
    return document(
        version=version,
        patient={"age_years": 22, "activities": ["court_sports"], "equipment": ["band", "step"]},
        symptoms={"pain_during": {"squatting": 4, "stairs": 3}},
        questionnaires={"akps": AKPS_ONE_DISLOCATION},
        **changes,
    )


def test_it_names_instability_from_the_akps_dislocation_answer() -> None:
    report = report_of(_dancer())
    assert report.finding("patellar_instability_signs").explanation == (
        "AKPS item 11: at least one documented dislocation"
    )
    (instability,) = report.differentials
    assert instability.id == "patellar_instability"
    assert instability.urgency == "routine"
    assert instability.precaution_active is True
    assert report.screening.refer is False
    # the CPG criterion "other causes excluded" cannot be confirmed
    assert report.pfp_criteria.status == "cannot_tell"
    assert report.pfp_criteria.reasons[-1] == (
        "patellar instability (subluxation or dislocation) must be excluded first "
        "(AKPS item 11: at least one documented dislocation)"
    )


def test_it_leaves_out_bounds_hops_cutting_and_lateral_lunges_until_cleared() -> None:
    kb = knowledge_base()
    plan = a_plan(_dancer())
    assert plan.goal == "sport"
    assert plan.excluded_load_types == ["plyometric"]
    assert plan.excluded_exercises == ["lateral_lunge"]
    planned = [kb.exercise(i) for i in plan.exercise_ids()]
    assert all(e.load_type != "plyometric" for e in planned)
    assert "lateral_lunge" not in plan.exercise_ids()
    (precaution,) = plan.precautions
    assert precaution.id == "patellar_instability"
    assert any("until a clinician has examined and cleared it" in n.text for n in plan.notes)
    # cleared by a clinician (format v2): the sport plan gets its impact work back
    cleared = a_plan(_dancer(version=2, exam={"precautions_cleared": ["patellar_instability"]}))
    assert cleared.precautions == []
    assert {"lateral_bounds", "lateral_hops"} & set(cleared.exercise_ids())


def test_it_reads_the_history_and_a_positive_apprehension_test() -> None:
    report = report_of(
        document(
            symptoms={"patellar_instability": {"subluxation": True}},
            exam={"patellar_apprehension": {"left": "positive"}},
        )
    )
    (instability,) = report.differentials
    assert instability.why == [
        "history of the kneecap slipping partly out (subluxation)",
        "patellar apprehension test positive (left)",
    ]
    assert instability.precaution_active is True  # apprehension is a precaution clue
    subluxation_only = report_of(document(symptoms={"patellar_instability": {"subluxation": True}}))
    assert subluxation_only.differentials[0].precaution_active is False
