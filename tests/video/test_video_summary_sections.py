"""The summary: mean ± SD of the valid reps, thresholds by task and sex, doubtful values kept."""

from __future__ import annotations

from hipfirst.knowledge.loader import knowledge_base
from hipfirst.knowledge.vocabulary import VideoTask
from hipfirst.video.summary import left_right_difference, metric_summary, per_side
from hipfirst.video.types import QualityCheck, QualityReport, RepEvent

FRONT_ON = QualityReport(True, (QualityCheck("view", "front-on", True),))
OBLIQUE = QualityReport(False, (QualityCheck("view", "oblique", False, "turned"),), ("turned",))


def rep(side: str, value: float, valid: bool = True) -> RepEvent:
    return RepEvent(
        number=1,
        side=side,  # type: ignore[arg-type]
        kind="rep",
        start_index=0,
        peak_index=1,
        end_index=2,
        start_s=0.0,
        peak_s=0.5,
        end_s=1.0,
        values={"fppa_deg": value, "pelvic_drop_deg": value / 2},
        valid=valid,
    )


def test_it_gives_mean_and_sample_sd_of_the_valid_reps() -> None:
    # 10, 12, 14: mean 12, SD sqrt(((-2)^2 + 0 + 2^2) / 2) = 2
    values = [10.0, 12.0, 14.0]
    summary = metric_summary(
        values, "fppa_deg", VideoTask.SINGLE_LEG_SQUAT, FRONT_ON, knowledge_base(), "female", 3
    )
    assert (summary["mean"], summary["sd"], summary["n"]) == (12.0, 2.0, 3)
    assert summary["valid"] is True
    assert summary["flagged"] is False  # 12 < 13.5
    assert summary["threshold_note"] == ""


def test_it_uses_the_sex_specific_landing_flag_only_when_the_sex_is_known() -> None:
    kb = knowledge_base()
    women = metric_summary([10.0], "fppa_deg", VideoTask.LANDING, FRONT_ON, kb, "female", 1)
    men = metric_summary([10.0], "fppa_deg", VideoTask.LANDING, FRONT_ON, kb, "male", 1)
    unknown = metric_summary([10.0], "fppa_deg", VideoTask.LANDING, FRONT_ON, kb, None, 1)
    assert (women["threshold"]["value"], women["flagged"]) == (13.0, False)
    assert (men["threshold"]["value"], men["flagged"]) == (8.0, True)
    assert (unknown["threshold"], unknown["flagged"]) == (None, None)
    assert unknown["threshold_note"] == "landing flags are sex-specific: give the sex to compare"


def test_it_reports_running_pelvic_drop_continuously_with_its_odds_ratio() -> None:
    summary = metric_summary(
        [6.0], "pelvic_drop_deg", VideoTask.RUNNING, FRONT_ON, knowledge_base(), None, 1
    )
    assert summary["threshold"] is None
    assert summary["flagged"] is None
    assert summary["association"]["value"] == 1.8
    assert summary["association"]["sources"] == ["bramah_2018"]
    assert summary["measurement_error"]["between_day"]["low"] == 9


def test_it_keeps_doubtful_values_visible_with_the_reason() -> None:
    summary = metric_summary(
        [15.0, 16.0], "fppa_deg", VideoTask.SINGLE_LEG_SQUAT, OBLIQUE, knowledge_base(), None, 3
    )
    assert summary["mean"] == 15.5
    assert summary["valid"] is False
    assert summary["reason"] == (
        "only 2 valid value(s); 3 or more give a steadier mean; "
        "camera view is oblique: frontal-plane angles are distorted"
    )


def test_it_leaves_doubtful_reps_out_of_the_side_means() -> None:
    reps = (rep("left", 10.0), rep("left", 30.0, valid=False), rep("right", 4.0))
    section = per_side(reps, VideoTask.SINGLE_LEG_SQUAT, FRONT_ON, knowledge_base(), None, 1)
    assert section["left"]["fppa_deg"]["mean"] == 10.0
    assert section["left"]["fppa_deg"]["n"] == 1
    difference = left_right_difference(section)
    assert difference["fppa_deg"] == {"left_minus_right": 6.0, "abs": 6.0}
