"""Red flags, hip-origin clues and the PFP criteria, each with its reasons."""

from __future__ import annotations

from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from hipfirst.core.assessment import RedFlags, parse_assessment
from hipfirst.core.reasoning import assess
from hipfirst.core.screening import (
    HIP_EXAM_ADVICE,
    RED_FLAG_REASONS,
    check_pfp_criteria,
    screen_hip_origin,
    screen_red_flags,
)
from hipfirst.knowledge.loader import knowledge_base

from .assessment_builders import minimal

RED_FLAG_NAMES = list(RedFlags.model_fields)


def _assessment(**symptoms: Any) -> Any:
    data = minimal()
    data["symptoms"].update(symptoms)
    return parse_assessment(data, "t")


def test_it_does_not_refer_without_red_flags() -> None:
    screening = screen_red_flags(_assessment())
    assert screening.refer is False
    assert screening.reasons == ["no red flags reported"]


def test_it_refers_with_a_reason_per_red_flag() -> None:
    screening = screen_red_flags(
        _assessment(red_flags={"locking": True, "calf_swelling_or_tenderness": True})
    )
    assert screening.refer is True
    assert screening.reasons == [
        "the knee locks: possible meniscal or loose-body problem, needs examination",
        "a swollen or tender calf may be a blood clot: seek medical care the same day",
    ]


@given(st.sets(st.sampled_from(RED_FLAG_NAMES), min_size=1))
def test_it_always_refers_when_any_red_flag_is_present(flags: set[str]) -> None:
    assessment = _assessment(red_flags=dict.fromkeys(flags, True))
    report = assess(assessment, knowledge_base())
    assert report.screening.refer is True
    assert report.screening.reasons == [RED_FLAG_REASONS[n] for n in RED_FLAG_NAMES if n in flags]
    assert report.to_json()["screening"]["refer"] is True


def test_it_suspects_the_hip_from_groin_pain_and_lists_conditions() -> None:
    screen = screen_hip_origin(_assessment(hip_symptoms={"groin_pain": True}), [])
    assert screen.suspected is True
    assert screen.reasons == ["groin pain", HIP_EXAM_ADVICE]
    assert screen.conditions_to_consider == [
        "hip osteoarthritis",
        "femoroacetabular impingement",
        "labral tear",
    ]


def test_it_suspects_the_hip_from_lateral_hip_pain() -> None:
    screen = screen_hip_origin(_assessment(hip_symptoms={"lateral_hip_pain": True}), [])
    assert screen.conditions_to_consider == ["gluteal tendinopathy", "trochanteric bursitis"]


def test_it_does_not_suspect_the_hip_without_clues() -> None:
    screen = screen_hip_origin(_assessment(), [])
    assert screen.suspected is False
    assert screen.conditions_to_consider == []


def test_it_meets_the_pfp_criteria_for_anterior_pain_on_squatting() -> None:
    criteria = check_pfp_criteria(_assessment(pain_during={"squatting": 4}), refer=False)
    assert criteria.status == "met"
    assert criteria.reasons == [
        "pain is anterior (around or behind the kneecap)",
        "pain is reproduced by squatting",
        "the clinician must still exclude other causes of anterior knee pain",
    ]


def test_it_does_not_meet_the_pfp_criteria_for_lateral_pain() -> None:
    criteria = check_pfp_criteria(_assessment(location="lateral"), refer=False)
    assert criteria.status == "not_met"
    assert criteria.reasons == [
        "pain is lateral, not around or behind the kneecap "
        "(lateral pain fits an ITB syndrome pattern)"
    ]


def test_it_cannot_tell_the_pfp_criteria_without_loading_pain_data() -> None:
    criteria = check_pfp_criteria(_assessment(), refer=False)
    assert criteria.status == "cannot_tell"


def test_it_does_not_meet_the_pfp_criteria_when_referring() -> None:
    criteria = check_pfp_criteria(_assessment(pain_during={"stairs": 5}), refer=True)
    assert criteria.status == "not_met"
