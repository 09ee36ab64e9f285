"""Each shipped example assessment gives its documented key outputs."""

from __future__ import annotations

from pathlib import Path

import pytest

from hipfirst.core.reasoning import assess
from hipfirst.core.report import AssessmentReport
from hipfirst.io.assessment_file import load_assessment_file
from hipfirst.knowledge.loader import knowledge_base

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def _report(name: str) -> AssessmentReport:
    loaded = load_assessment_file(EXAMPLES / name)
    return assess(loaded.assessment, knowledge_base(), loaded.video)


def test_it_ships_at_least_six_examples_that_all_load() -> None:
    names = sorted(path.name for path in EXAMPLES.glob("*.yaml"))
    assert len(names) >= 6
    for name in names:
        _report(name)


def test_it_finds_hip_weakness_and_valgus_in_the_runner() -> None:
    report = _report("runner-anterior-knee-pain.yaml")
    assert report.screening.refer is False
    assert report.hip_origin.suspected is False
    assert report.pfp_criteria.status == "met"
    # 150 / 200 = 75 %, 80 / 100 = 80 %, 210 / 220 = 95.45 %, 330 / 350 = 94.29 %.
    assert report.measures["hip_abduction_lsi_pct"].value == 75.0
    assert report.measures["hip_external_rotation_lsi_pct"].value == 80.0
    assert report.measures["hip_extension_lsi_pct"].value == 95.45
    assert report.measures["knee_extension_lsi_pct"].value == 94.29
    assert report.contributor_ids() == [
        "hip_abductor_weakness",
        "hip_external_rotator_weakness",
        "dynamic_knee_valgus",
        "contralateral_pelvic_drop",
        "load_management_error",
    ]
    valgus = report.contributors[2]
    assert "video_single_leg_squat_fppa_deg_right_high" in valgus.evidence
    assert report.measures["video_single_leg_squat_pelvic_drop_deg_right"].doubtful is True


def test_it_reads_lateral_pain_in_the_itbs_runner() -> None:
    report = _report("itbs-female-runner.yaml")
    assert report.screening.refer is False
    assert report.pfp_criteria.status == "not_met"
    # 130 / 170 = 76.47 %.
    assert report.measures["hip_abduction_lsi_pct"].value == 76.47
    assert report.contributor_ids() == [
        "hip_abductor_weakness",
        "contralateral_pelvic_drop",
        "soft_tissue_tightness",
        "load_management_error",
    ]
    assert report.contributors[0].sides == ["left"]


def test_it_refers_the_red_flag_example() -> None:
    report = _report("red-flags-refer.yaml")
    assert report.screening.refer is True
    assert len(report.screening.reasons) == 2
    assert report.to_json()["screening"]["refer"] is True


def test_it_suspects_the_hip_in_the_hip_origin_example() -> None:
    report = _report("hip-origin-clues.yaml")
    assert report.screening.refer is False
    assert report.hip_origin.suspected is True
    assert report.hip_origin.reasons[:4] == [
        "groin pain",
        "hip stiffness",
        "knee pain is diffuse and poorly localised",
        "earlier knee-focused treatment did not help",
    ]
    assert "hip osteoarthritis" in report.hip_origin.conditions_to_consider
    assert report.measures["hip_internal_rotation_asymmetry_deg"].value == 17.0
    assert report.contributor_ids() == ["reduced_hip_mobility"]


def test_it_finds_no_deficit_in_the_mild_cyclist() -> None:
    report = _report("cyclist-mild-no-equipment.yaml")
    assert report.screening.refer is False
    # 155 / 160 = 96.875 % -> 96.88.
    assert report.measures["hip_abduction_lsi_pct"].value == 96.88
    assert report.contributors == []
    assert report.measures["akps"].value == 88
    assert "questionnaires.lefs: incomplete (15 of 20 items), not scored" in report.missing


def test_it_compares_the_weaker_side_when_both_knees_hurt() -> None:
    report = _report("bilateral-symptoms.yaml")
    assert report.involved_side == "both"
    # weaker / stronger: 120 / 150 = 80 %, 240 / 280 = 85.71 %, 60 / 66 = 90.91 %.
    assert report.measures["hip_abduction_lsi_pct"].value == 80.0
    assert report.measures["hip_abduction_lsi_pct"].side == "right"
    assert report.measures["knee_extension_lsi_pct"].value == 85.71
    assert report.measures["hip_external_rotation_lsi_pct"].value == 90.91
    assert report.measures["hip_external_rotation_lsi_pct"].side == "left"
    assert "quadriceps_weakness" in report.contributor_ids()
    assert "hip_external_rotator_weakness" not in report.contributor_ids()


@pytest.mark.parametrize("name", ["runner-anterior-knee-pain.yaml", "bilateral-symptoms.yaml"])
def test_it_keeps_every_example_number_sourced(name: str) -> None:
    kb = knowledge_base()
    report = _report(name)
    for measure in report.measures.values():
        assert measure.sources and all(s in kb.references for s in measure.sources)
