"""Screening: red flags (ticked and from the data) with urgency, hip origin, PFP criteria."""

from __future__ import annotations

from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from hipfirst.core.assessment import RedFlags, parse_assessment
from hipfirst.core.plan import Referral
from hipfirst.core.prescription import prescribe
from hipfirst.core.reasoning import assess
from hipfirst.core.referrals import URGENCY_WORDS, urgency_rank
from hipfirst.core.report import AssessmentReport
from hipfirst.core.screening import HIP_EXAM_ADVICE, check_pfp_criteria
from hipfirst.knowledge.loader import knowledge_base

from .assessment_builders import minimal

RED_FLAG_NAMES = list(RedFlags.model_fields)


def _report(
    version: int = 1, exam: dict[str, Any] | None = None, **symptoms: Any
) -> AssessmentReport:
    data = minimal()
    data["version"] = version
    data["symptoms"].update(symptoms)
    if exam:
        data["exam"] = exam
    return assess(parse_assessment(data, "t"), knowledge_base())


def _adolescent(
    age: float, exam: dict[str, Any], version: int = 2, **symptoms: Any
) -> AssessmentReport:
    data = minimal()
    data["version"] = version
    data["patient"].update(
        {"age_years": age, "sex": "male", "body_mass_kg": 55.0, "height_cm": 160}
    )
    data["symptoms"].update(symptoms)
    data["exam"] = exam
    return assess(parse_assessment(data, "t"), knowledge_base())


def test_it_does_not_refer_without_red_flags() -> None:
    report = _report()
    assert report.screening.refer is False
    assert report.screening.reasons == ["no red flags reported"]
    assert report.screening.urgency is None


def test_it_puts_the_most_urgent_reason_first_in_plain_words() -> None:
    report = _report(red_flags={"locking": True, "calf_swelling_or_tenderness": True})
    assert report.screening.refer is True
    assert report.screening.urgency == "emergency"
    assert report.screening.reasons == [
        "Emergency, today: a swollen, tender calf may be a blood clot in a deep vein; seek "
        "medical care today (emergency department or urgent same-day doctor)",
        "Urgent, within days: a knee that locks may have a torn meniscus or a loose body "
        "caught in the joint; have the knee examined by a doctor or physiotherapist within "
        "the next few days",
    ]
    assert [r.raised_by for r in report.screening.referrals] == [
        ["ticked in the assessment"],
        ["ticked in the assessment"],
    ]


def test_it_calls_night_pain_with_weight_loss_urgent_not_just_a_medical_assessment() -> None:
    # Defect 5: "needs medical assessment" under "see a doctor or physiotherapist".
    report = _report(
        red_flags={"night_or_constant_rest_pain": True, "unexplained_weight_loss": True}
    )
    assert report.screening.urgency == "urgent"
    assert all(r.startswith("Urgent, within days: ") for r in report.screening.reasons)
    assert [r.sources for r in report.screening.referrals] == [["nice_ng12_2015"]] * 2
    assessment = parse_assessment(
        {
            **minimal(),
            "symptoms": {
                **minimal()["symptoms"],
                "red_flags": {"night_or_constant_rest_pain": True, "unexplained_weight_loss": True},
            },
        },
        "t",
    )
    referral = prescribe(assessment, report, knowledge_base())
    assert isinstance(referral, Referral)
    assert referral.urgency == "urgent"
    assert referral.advice.startswith("See a doctor within the next few days.")


@given(st.sets(st.sampled_from(RED_FLAG_NAMES), min_size=1))
def test_it_always_refers_with_an_urgency_when_any_red_flag_is_present(flags: set[str]) -> None:
    report = _report(red_flags=dict.fromkeys(flags, True))
    kb = knowledge_base()
    assert report.screening.refer is True
    ranks = [urgency_rank(r.urgency) for r in report.screening.referrals]
    assert ranks == sorted(ranks)
    assert {r.id for r in report.screening.referrals} == flags
    for reason, referral in zip(report.screening.reasons, report.screening.referrals, strict=True):
        assert reason.startswith(URGENCY_WORDS[kb.red_flag(referral.id).urgency] + ": ")
    assert report.to_json()["screening"]["urgency"] == report.screening.referrals[0].urgency


def test_it_refers_a_13_year_old_with_painful_limited_hip_rotation_although_no_box_is_ticked() -> (
    None
):
    # Defect 1: knee pain, groin ache, painful right hip internal rotation of 8° (vs 35°).
    report = _adolescent(
        13,
        {
            "hip_rom_deg": {
                "internal_rotation": {"left": 35, "right": 8},
                "internal_rotation_painful": {"right": True},
            }
        },
        hip_symptoms={"groin_pain": True},
        pain_during={"running": 4, "hopping": 5},
    )
    assert report.screening.refer is True
    assert report.screening.urgency == "emergency"
    scfe = report.screening.referrals[0]
    assert (scfe.id, scfe.kind) == ("slipped_capital_femoral_epiphysis", "condition")
    assert scfe.raised_by == [
        "pain on right hip internal rotation",
        "right hip internal rotation 8 deg (flagged < 15 deg, published)",
        "hip internal rotation 35 deg left vs 8 deg right (difference 27 deg; flagged > 10 deg, "
        "unconfirmed)",
        "groin pain",
        "age 13 (typical age 8-16 years)",
    ]
    assert report.screening.reasons[0].startswith(
        "Emergency, today: the data fit slipped capital femoral epiphysis (SCFE) (pain on right "
        "hip internal rotation; "
    )
    # never hip osteoarthritis for a 13-year-old (nor the other adult hip conditions)
    assert report.hip_origin.conditions_to_consider == ["slipped capital femoral epiphysis (SCFE)"]
    assert "hip osteoarthritis" not in str(report.to_json())
    assert report.pfp_criteria.status == "not_met"


def test_it_suspects_the_hip_from_limited_rotation_on_both_sides_of_a_14_year_old() -> None:
    # Defect 1: IR 10°/12° on both sides (no side difference) read "hip origin not suspected".
    report = _adolescent(
        14,
        {"hip_rom_deg": {"internal_rotation": {"left": 10, "right": 12}}},
        version=1,
        side="both",
        pain_during={"stairs": 3},
    )
    assert report.hip_origin.suspected is True
    assert report.hip_origin.reasons[:2] == [
        "left hip internal rotation 10 deg (flagged < 15 deg, published)",
        "right hip internal rotation 12 deg (flagged < 15 deg, published)",
    ]
    assert report.hip_origin.reasons[-1] == HIP_EXAM_ADVICE
    assert report.screening.urgency == "emergency"
    assert [f.id for f in report.findings][:2] == [
        "hip_internal_rotation_limited_left",
        "hip_internal_rotation_limited_right",
    ]
    # anterior loading pain with no tender site at 14: palpate the tibial tubercle
    assert [d.id for d in report.differentials] == [
        "slipped_capital_femoral_epiphysis",
        "femoroacetabular_impingement",
        "osgood_schlatter",
    ]


def test_it_names_osgood_schlatter_and_sinding_larsen_where_the_tender_site_fits() -> None:
    lower_pole = _adolescent(
        12, {}, tender_site="lower_pole_of_kneecap", pain_during={"hopping": 5}
    )
    assert [d.id for d in lower_pole.differentials] == ["sinding_larsen_johansson"]
    tubercle = _adolescent(12, {}, tender_site="tibial_tubercle", pain_during={"hopping": 5})
    assert [d.id for d in tubercle.differentials] == ["osgood_schlatter"]
    assert tubercle.differentials[0].why == [
        "tender at the tibial tubercle",
        "age 12 (typical age 10-15 years)",
    ]
    assert tubercle.screening.refer is False
    # pain reproduced by loading, but another cause fits: the PFP criteria cannot be met yet
    adult = _report(version=2, tender_site="tibial_tubercle", pain_during={"squatting": 4})
    assert adult.differentials == []


def test_it_raises_a_red_flag_from_the_akps_answer_when_the_box_was_not_ticked() -> None:
    data = minimal()
    data["questionnaires"] = {"akps": [5, 5, 5, 8, 3, 6, 7, 8, 0, 10, 10, 5, 5]}
    report = assess(parse_assessment(data, "t"), knowledge_base())
    assert report.screening.refer is True
    flag = report.screening.referrals[0]
    assert (flag.id, flag.raised_by) == (
        "night_or_constant_rest_pain",
        ["AKPS item 9: pain constant and severe"],
    )
    assert "(raised by AKPS item 9: pain constant and severe)" in report.screening.reasons[0]


def test_it_suspects_the_hip_from_groin_pain_and_lists_adult_conditions() -> None:
    report = _report(hip_symptoms={"groin_pain": True})
    assert report.hip_origin.suspected is True
    assert report.hip_origin.reasons == ["groin pain", HIP_EXAM_ADVICE]
    assert report.hip_origin.conditions_to_consider == [
        "femoroacetabular impingement",
        "labral tear",
    ]  # 30 years old: below the working lower bound of 40 for hip osteoarthritis
    older = minimal()
    older["patient"]["age_years"] = 52
    older["symptoms"]["hip_symptoms"] = {"groin_pain": True}
    report = assess(parse_assessment(older, "t"), knowledge_base())
    assert report.hip_origin.conditions_to_consider == [
        "hip osteoarthritis",
        "femoroacetabular impingement",
        "labral tear",
    ]


def test_it_suspects_the_hip_from_lateral_hip_pain() -> None:
    report = _report(hip_symptoms={"lateral_hip_pain": True})
    assert report.hip_origin.conditions_to_consider == [
        "gluteal tendinopathy",
        "trochanteric bursitis",
    ]


def test_it_does_not_suspect_the_hip_without_clues() -> None:
    report = _report()
    assert report.hip_origin.suspected is False
    assert report.hip_origin.conditions_to_consider == []


def test_it_meets_the_pfp_criteria_for_anterior_pain_on_squatting() -> None:
    data = minimal()
    data["symptoms"]["pain_during"] = {"squatting": 4}
    criteria = check_pfp_criteria(parse_assessment(data, "t"), refer=False)
    assert criteria.status == "met"
    assert criteria.reasons == [
        "pain is anterior (around or behind the kneecap)",
        "pain is reproduced by squatting",
        "the clinician must still exclude other causes of anterior knee pain",
    ]


def test_it_does_not_meet_the_pfp_criteria_for_lateral_pain() -> None:
    data = minimal()
    data["symptoms"]["location"] = "lateral"
    criteria = check_pfp_criteria(parse_assessment(data, "t"), refer=False)
    assert criteria.status == "not_met"
    assert criteria.reasons == [
        "pain is lateral, not around or behind the kneecap "
        "(lateral pain fits an ITB syndrome pattern)"
    ]


def test_it_cannot_tell_the_pfp_criteria_without_loading_pain_data() -> None:
    criteria = check_pfp_criteria(parse_assessment(minimal(), "t"), refer=False)
    assert criteria.status == "cannot_tell"


def test_it_does_not_meet_the_pfp_criteria_when_referring() -> None:
    data = minimal()
    data["symptoms"]["pain_during"] = {"stairs": 5}
    criteria = check_pfp_criteria(parse_assessment(data, "t"), refer=True)
    assert criteria.status == "not_met"
