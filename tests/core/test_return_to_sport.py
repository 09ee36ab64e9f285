"""Return-to-sport checklist: each criterion met / not met / not measured, with sources."""

from __future__ import annotations

from typing import Any

import pytest

from hipfirst.core.assessment import parse_assessment
from hipfirst.core.reasoning import assess
from hipfirst.core.return_to_sport import RtsChecklist, return_to_sport_checklist
from hipfirst.knowledge.loader import knowledge_base

from .assessment_builders import minimal


def _reassessment() -> dict[str, Any]:
    document = minimal()
    document["patient"]["leg_length_cm"] = {"left": 90.0, "right": 90.0}
    document["symptoms"]["side"] = "right"
    document["symptoms"]["worst_pain_nrs"] = 2
    document["exam"] = {
        "strength_n": {
            "hip_abduction": {"left": 200, "right": 182},
            "hip_external_rotation": {"left": 100, "right": 85},
        },
        "y_balance_cm": {
            "left": {"anterior": 60.0, "posteromedial": 100.0, "posterolateral": 95.0},
            "right": {"anterior": 56.0, "posteromedial": 88.0, "posterolateral": 80.0},
        },
        "single_leg_squat_rating": {
            "left": {
                "overall": "good",
                "trunk": "good",
                "pelvis": "good",
                "hip": "good",
                "knee": "good",
            },
            "right": {
                "overall": "good",
                "trunk": "good",
                "pelvis": "good",
                "hip": "good",
                "knee": "poor",
            },
        },
    }
    return document


def _checklist(goal: str) -> RtsChecklist:
    kb = knowledge_base()
    report = assess(parse_assessment(_reassessment(), "re-assessment"), kb)
    return return_to_sport_checklist(report, kb, goal="sport" if goal == "sport" else "running")


def _by_id(checklist: RtsChecklist) -> dict[str, Any]:
    return {item.id: item for item in checklist.criteria}


def test_it_judges_strength_symmetry_against_the_borrowed_90_percent() -> None:
    items = _by_id(_checklist("running"))
    abduction = items["hip_abduction_lsi_pct"]  # 182 / 200 × 100 = 91.0
    assert abduction.value == pytest.approx(91.0, abs=0.01)
    assert (abduction.status, abduction.threshold, abduction.evidence_status) == (
        "met",
        "≥ 90 %",
        "borrowed",
    )
    assert abduction.sources == ["gokeler_2017", "welling_2018"]
    rotation = items["hip_external_rotation_lsi_pct"]  # 85 / 100 × 100 = 85.0
    assert rotation.value == pytest.approx(85.0, abs=0.01)
    assert rotation.status == "not_met"


def test_it_marks_tests_that_were_not_done_as_not_measured() -> None:
    checklist = _checklist("running")
    items = _by_id(checklist)
    assert items["hip_extension_lsi_pct"].status == "not_measured"
    assert items["hip_extension_lsi_pct"].value is None
    assert items["knee_extension_lsi_pct"].status == "not_measured"
    # pain during running and hopping (the running goal's activities) was not recorded
    assert checklist.not_measured == [
        "pain_during_running",
        "pain_during_hopping",
        "hip_extension_lsi_pct",
        "knee_extension_lsi_pct",
    ]
    assert not checklist.ready


def test_it_uses_85_percent_ybt_symmetry_for_running_and_90_for_sport() -> None:
    # composites: left (60+100+95)/270 = 94.44 %, right (56+88+80)/270 = 82.96 %;
    # symmetry right/left = 87.84 %: passes ≥ 85 (running), fails ≥ 90 (sport)
    running = _by_id(_checklist("running"))["y_balance_composite_lsi_pct"]
    sport = _by_id(_checklist("sport"))["y_balance_composite_lsi_pct"]
    assert running.value == pytest.approx(87.84, abs=0.01)
    assert (running.status, running.threshold, running.measure_id) == (
        "met",
        "≥ 85 %",
        "rts_ybt_symmetry_running_pct",
    )
    assert (sport.status, sport.threshold, sport.measure_id) == (
        "not_met",
        "≥ 90 %",
        "ybt_symmetry_full_sport",
    )


def test_it_checks_composite_anterior_asymmetry_squat_and_pain() -> None:
    items = _by_id(_checklist("running"))
    assert items["y_balance_composite_pct_left"].status == "met"  # 94.44 ≥ 94
    assert items["y_balance_composite_pct_right"].status == "not_met"  # 82.96 < 94
    assert items["y_balance_anterior_asymmetry_cm"].value == pytest.approx(4.0)
    assert items["y_balance_anterior_asymmetry_cm"].status == "met"  # 4 cm is not above 4
    assert items["single_leg_squat_poor_count_left"].status == "met"
    assert items["single_leg_squat_poor_count_right"].status == "not_met"  # 1 poor > 0
    pain = items["worst_pain_nrs"]
    assert (pain.value, pain.status, pain.threshold, pain.evidence_status) == (
        2.0,
        "met",
        "≤ 3 /10",
        "derived",
    )


def test_it_gives_every_criterion_a_source_in_the_knowledge_base() -> None:
    kb = knowledge_base()
    for item in _checklist("sport").criteria:
        assert item.sources
        assert all(source in kb.references for source in item.sources)
        # the screening lines have no number behind them
        assert item.measure_id in kb.measures or item.id in {
            "screening_clear",
            "precautions_cleared",
        }
