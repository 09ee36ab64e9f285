"""assess(): measures with exact ids, findings against thresholds, contributors, sources."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hipfirst.core.assessment import parse_assessment
from hipfirst.core.reasoning import assess
from hipfirst.core.report import AssessmentReport
from hipfirst.core.video_metrics import VideoMetrics
from hipfirst.knowledge.loader import knowledge_base

from .assessment_builders import minimal


def _report(exam: dict[str, Any] | None = None, **extra: Any) -> AssessmentReport:
    data = minimal()
    if exam is not None:
        data["exam"] = exam
    for section, values in extra.items():
        data.setdefault(section, {}).update(values)
    return assess(parse_assessment(data, "t"), knowledge_base())


def test_it_computes_strength_measures_with_the_contract_ids() -> None:
    report = _report(
        {"strength_n": {"hip_abduction": {"left": 200, "right": 150, "lever_arm_m": 0.8}}}
    )
    m = report.measures
    # mass 60 kg, involved right: 150/60 = 2.5; 150*0.8/60 = 2.0; 150/588.6*100 = 25.48;
    # LSI 150/200 = 75 %.
    assert m["hip_abduction_n_per_kg_right"].value == 2.5
    assert m["hip_abduction_nm_per_kg_right"].value == 2.0
    assert m["hip_abduction_pct_bw_right"].value == 25.48
    assert m["hip_abduction_n_per_kg_left"].value == pytest.approx(3.33)
    assert m["hip_abduction_lsi_pct"].value == 75.0
    assert m["hip_abduction_lsi_pct"].side == "right"
    assert m["hip_abduction_lsi_pct"].measure_ref == "strength_lsi_pass"
    finding = report.finding("hip_abduction_lsi_low")
    assert finding.threshold == "< 90 %"
    assert finding.status == "borrowed"
    assert finding.sources == ["gokeler_2017", "welling_2018"]
    assert finding.explanation == (
        "the right side produces 75% of the other side's hip abduction force, a 25% deficit; "
        "groups with PFP average about 26% less than controls (ireland_2003)"
    )
    assert report.contributor_ids() == ["hip_abductor_weakness"]
    assert report.contributors[0].sides == ["right"]
    assert report.contributors[0].evidence == ["hip_abduction_lsi_low"]


def test_it_does_not_flag_an_lsi_at_the_pass_mark() -> None:
    report = _report({"strength_n": {"knee_extension": {"left": 200, "right": 180}}})
    assert report.measures["knee_extension_lsi_pct"].value == 90.0
    assert report.findings == []
    assert report.contributors == []


def test_it_computes_y_balance_measures() -> None:
    report = _report(
        {
            "y_balance_cm": {
                "left": {"anterior": 64.0, "posteromedial": 100.0, "posterolateral": 96.0},
                "right": {"anterior": 58.5, "posteromedial": 96.0, "posterolateral": 92.0},
            }
        },
        patient={"leg_length_cm": {"left": 88.0, "right": 88.0}},
    )
    m = report.measures
    # left composite 260/264 = 98.48 %; right 246.5/264 = 93.37 %; anterior 64/88 = 72.73 %;
    # asymmetry 5.5 cm; composite symmetry 93.37/98.48 = 246.5/260 = 94.81 %.
    assert m["y_balance_composite_pct_left"].value == 98.48
    assert m["y_balance_composite_pct_right"].value == 93.37
    assert m["y_balance_anterior_pct_left"].value == 72.73
    assert m["y_balance_anterior_asymmetry_cm"].value == 5.5
    assert m["y_balance_composite_lsi_pct"].value == 94.81
    assert [f.id for f in report.findings] == [
        "y_balance_composite_low_right",
        "y_balance_anterior_asymmetry",
    ]
    assert report.finding("y_balance_anterior_asymmetry").side == "right"
    assert report.contributor_ids() == ["poor_dynamic_balance"]


def test_it_says_what_is_missing_when_leg_length_is_absent() -> None:
    report = _report(
        {
            "y_balance_cm": {
                "left": {"anterior": 64.0, "posteromedial": 100.0, "posterolateral": 96.0},
                "right": {"anterior": 58.5, "posteromedial": 96.0, "posterolateral": 92.0},
            }
        }
    )
    assert "y_balance_composite_pct_left" not in report.measures
    assert report.measures["y_balance_anterior_asymmetry_cm"].value == 5.5
    assert (
        "patient.leg_length_cm: not given, so Y-Balance reaches cannot be normalised "
        "(only the anterior asymmetry in cm is shown)"
    ) in report.missing


def test_it_flags_hip_rotation_asymmetry_and_suspects_the_hip() -> None:
    report = _report({"hip_rom_deg": {"internal_rotation": {"left": 18, "right": 35}}})
    assert report.measures["hip_internal_rotation_asymmetry_deg"].value == 17.0
    finding = report.finding("hip_internal_rotation_asymmetry")
    assert finding.side == "left"
    assert finding.status == "unconfirmed"
    assert report.hip_origin.suspected is True
    assert report.hip_origin.reasons[0] == (
        "hip internal rotation 18 deg left vs 35 deg right (difference 17 deg; flagged > 10 deg, "
        "unconfirmed)"
    )
    assert report.contributor_ids() == ["reduced_hip_mobility"]


def test_it_counts_poor_single_leg_squat_criteria() -> None:
    report = _report(
        {
            "single_leg_squat_rating": {
                "left": {"overall": "good", "knee": "fair"},
                "right": {"overall": "poor", "pelvis": "poor", "knee": "poor", "trunk": "fair"},
            }
        }
    )
    assert report.measures["single_leg_squat_poor_count_left"].value == 0
    assert report.measures["single_leg_squat_poor_count_right"].value == 3
    assert [f.id for f in report.findings] == [
        "single_leg_squat_poor_right",
        "single_leg_squat_pelvis_poor_right",
        "single_leg_squat_knee_poor_right",
    ]
    assert report.contributor_ids() == [
        "hip_abductor_weakness",
        "dynamic_knee_valgus",
        "contralateral_pelvic_drop",
    ]


def test_it_scores_questionnaires_and_reports_incomplete_ones() -> None:
    report = _report(
        questionnaires={"akps": [5, 5, 5, 8, 3, 6, 7, 8, 8, 10, 10, 5, 5], "lefs": [4] * 10}
    )
    assert report.measures["akps"].value == 85
    assert report.measures["akps"].measure_ref == "akps_mcid"
    assert "lefs" not in report.measures
    assert "questionnaires.lefs: incomplete (10 of 20 items), not scored" in report.missing


def _video(**right: Any) -> VideoMetrics:
    metric = {
        "mean": 17.2,
        "sd": 3.0,
        "n": 5,
        "valid": True,
        "reason": "",
        "flagged": True,
        "threshold": {
            "measure_id": "fppa_sls_flag_female",
            "value": 13.5,
            "unit": "deg",
            "direction": "above",
            "status": "derived",
            "sources": ["herrington_2014"],
        },
    }
    metric.update(right)
    return VideoMetrics.model_validate(
        {
            "source": "s.json",
            "task": "single-leg-squat",
            "per_side": {"right": {"fppa_deg": metric}},
        }
    )


def test_it_turns_a_flagged_video_metric_into_a_finding() -> None:
    data = minimal()
    report = assess(parse_assessment(data, "t"), knowledge_base(), [_video()])
    measure = report.measures["video_single_leg_squat_fppa_deg_right"]
    assert (measure.value, measure.unit, measure.doubtful) == (17.2, "deg", False)
    finding = report.finding("video_single_leg_squat_fppa_deg_right_high")
    assert (finding.threshold, finding.status) == ("> 13.5 deg", "derived")
    assert finding.measure_id == "fppa_sls_flag_female"
    assert report.contributor_ids() == ["dynamic_knee_valgus"]


def test_it_shows_a_doubtful_video_metric_but_does_not_use_it() -> None:
    data = minimal()
    report = assess(
        parse_assessment(data, "t"), knowledge_base(), [_video(valid=False, reason="blurry")]
    )
    measure = report.measures["video_single_leg_squat_fppa_deg_right"]
    assert measure.doubtful is True
    assert measure.note == "doubtful: blurry; mean of 5, SD 3.0"
    assert report.findings == []


strength_pairs = st.fixed_dictionaries(
    {
        "left": st.integers(min_value=1, max_value=1500),
        "right": st.integers(min_value=1, max_value=1500),
        "lever_arm_m": st.sampled_from([0.3, 0.8]),
    }
)


@settings(max_examples=40, deadline=None)
@given(
    side=st.sampled_from(["left", "right", "both"]),
    abduction=strength_pairs,
    knee=strength_pairs,
    ir=st.integers(min_value=0, max_value=90),
    reach=st.floats(min_value=0, max_value=200),
    location=st.sampled_from(["anterior", "lateral", "medial", "posterior", "diffuse"]),
    rating=st.sampled_from(["good", "fair", "poor"]),
)
def test_it_gives_every_number_shown_a_source_that_resolves(
    side: str,
    abduction: dict[str, float],
    knee: dict[str, float],
    ir: int,
    reach: float,
    location: str,
    rating: str,
) -> None:
    kb = knowledge_base()
    data = minimal()
    data["symptoms"].update(side=side, location=location, load_history={"added_hills": True})
    data["patient"]["leg_length_cm"] = {"left": 90, "right": 90}
    data["exam"] = {
        "strength_n": {"hip_abduction": abduction, "knee_extension": knee},
        "hip_rom_deg": {"internal_rotation": {"left": ir, "right": 40}},
        "y_balance_cm": {
            "left": {"anterior": reach, "posteromedial": 90, "posterolateral": 90},
            "right": {"anterior": 60, "posteromedial": reach, "posterolateral": 90},
        },
        "single_leg_squat_rating": {"left": {"knee": rating, "pelvis": rating, "hip": rating}},
        "trendelenburg": {"left": "positive"},
    }
    report = assess(parse_assessment(data, "t"), kb)
    for measure in report.measures.values():
        assert measure.sources, measure.id
        assert all(source in kb.references for source in measure.sources), measure.id
        assert measure.measure_ref is None or measure.measure_ref in kb.measures
        assert measure.status in {"published", "derived", "borrowed", "unconfirmed"}
    finding_ids = {finding.id for finding in report.findings}
    for finding in report.findings:
        assert all(source in kb.references for source in finding.sources), finding.id
        assert finding.measure_id is None or finding.measure_id in kb.measures
    for contributor in report.contributors:
        assert contributor.id in kb.contributors
        assert set(contributor.evidence) <= finding_ids
    for key in ("hip_abduction_lsi_pct", "knee_extension_lsi_pct"):
        lsi = report.measures[key].value
        if side == "both":
            assert lsi <= 100
    assert report.to_json()["measures"].keys() == report.measures.keys()
