"""Summary statistics, thresholds by task and sex, quality checks and the people counter."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from video_skeleton import skeleton

from hipfirst.knowledge.loader import knowledge_base
from hipfirst.knowledge.vocabulary import VideoTask
from hipfirst.video.landmarks import Landmark
from hipfirst.video.person import PeopleCounter
from hipfirst.video.quality import (
    QualityInputs,
    assess,
    frame_rate_check,
    people_check,
    turned_from_camera,
    verdict,
    view_label,
)
from hipfirst.video.scripted_pose import ScriptedPose
from hipfirst.video.settings import QualitySettings
from hipfirst.video.summary import left_right_difference, metric_summary, per_side
from hipfirst.video.types import Frame, QualityCheck, QualityReport, RepEvent, VideoInfo

QUALITY = QualitySettings(
    min_fps=24.0,
    max_fps_for_realtime=120.0,
    min_tracking_fraction=0.8,
    min_mean_visibility=0.6,
    min_frontal_width_ratio=0.45,
    max_frontal_yaw_deg=20.0,
    min_side_on_yaw_deg=65.0,
    edge_margin_fraction=0.01,
    min_landmark_visibility=0.5,
    max_out_of_frame_fraction=0.1,
    min_valid_reps=3,
)
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


def test_it_reads_the_body_turn_from_3d_landmarks() -> None:
    world = np.zeros((2, 33, 3))
    for frame, degrees in enumerate((0.0, 40.0)):
        turn = np.radians(degrees)
        for left, right in (
            (Landmark.LEFT_HIP, Landmark.RIGHT_HIP),
            (Landmark.LEFT_SHOULDER, Landmark.RIGHT_SHOULDER),
        ):
            world[frame, left] = [0.1 * np.cos(turn), 0.0, 0.1 * np.sin(turn)]
            world[frame, right] = -world[frame, left]
    assert turned_from_camera(world) == pytest.approx([0.0, 40.0])
    labels = [view_label(v, QUALITY) for v in (10.0, 20.0, 40.0, 64.9, 65.0, 80.0)]
    assert labels == ["front-on", "front-on", "oblique", "oblique", "side-on", "side-on"]


def test_it_judges_the_view_from_the_shoulder_width_without_3d_landmarks() -> None:
    xy = np.stack([skeleton()] * 10)
    xy[:, Landmark.LEFT_SHOULDER, 0] -= 70.0  # shoulders 40 px apart for a 250 px torso
    xy[:, Landmark.RIGHT_SHOULDER, 0] += 70.0
    info = VideoInfo(Path("x.mp4"), "x.mp4", 1000, 1000, 0, 30.0, 10, 0.33, "h264")
    inputs = QualityInputs(
        info=info,
        task=VideoTask.SINGLE_LEG_STANCE,
        xy=xy,
        visibility=np.ones((10, 33)),
        selected=np.ones(10, dtype=bool),
        turned_deg=None,
        reps=(rep("left", 1.0),),
        people_seen=1,
        decode_error="",
    )
    report = assess(inputs, QUALITY)
    view = report.check("view")
    assert view is not None
    assert (view.value, view.valid) == ("oblique", False)
    assert view.reason == (
        "shoulder width is 0.16 of torso height (at least 0.45 front-on); "
        "frontal-plane angles are distorted"
    )
    assert report.valid is False


def test_it_lists_every_check_in_the_summary_order_and_passes_a_good_video() -> None:
    xy = np.stack([skeleton()] * 30)
    info = VideoInfo(Path("x.mp4"), "x.mp4", 1000, 1000, 0, 30.0, 30, 1.0, "h264")
    inputs = QualityInputs(
        info=info,
        task=VideoTask.SINGLE_LEG_SQUAT,
        xy=xy,
        visibility=np.ones((30, 33)),
        selected=np.ones(30, dtype=bool),
        turned_deg=np.full(30, 5.0),
        reps=(rep("left", 1.0), rep("left", 2.0), rep("left", 3.0)),
        people_seen=1,
        decode_error="",
    )
    report = assess(inputs, QUALITY)
    assert [check.name for check in report.checks] == [
        "decoding",
        "frame_rate",
        "tracking_fraction",
        "mean_confidence",
        "fully_visible",
        "view",
        "turned_from_camera_deg",
        "shoulder_width_ratio",
        "valid_reps",
        "people",
    ]
    assert (report.valid, report.warnings) == (True, ())
    assert report.check("view") == QualityCheck("view", "front-on", True, "")
    assert report.check("turned_from_camera_deg") == QualityCheck(
        "turned_from_camera_deg", 5.0, True, ""
    )


def test_it_says_why_a_frame_rate_is_too_low_or_looks_like_slow_motion() -> None:
    def at(fps: float) -> VideoInfo:
        return VideoInfo(Path("x.mp4"), "x.mp4", 640, 480, 0, fps, 100, 4.0, "h264")

    assert frame_rate_check(at(15.0), QUALITY) == QualityCheck(
        "frame_rate", 15.0, False, "15.0 frames/s is below 24; fast movements are missed"
    )
    assert frame_rate_check(at(29.97), QUALITY) == QualityCheck("frame_rate", 29.97, True)
    assert frame_rate_check(at(240.0), QUALITY).reason == (
        "240 frames/s (slow motion?): if the clip was re-timed for playback, "
        "event times and cadence are stretched; angles are unaffected"
    )


def test_it_only_warns_when_someone_else_is_in_the_video() -> None:
    others = people_check(2)
    assert others == QualityCheck(
        "people",
        2,
        False,
        "2 people were seen; the analysis follows the one performing the task and leaves out "
        "frames showing anyone else",
    )
    assert verdict([others]).valid is True
    assert verdict([others]).warnings == (others.reason,)
    # nobody at all is said too; the video is then doubtful through tracking, not this check
    assert people_check(0) == QualityCheck("people", 0, False, "no person was found in the video")


def test_it_counts_someone_else_found_beside_the_masked_performer() -> None:
    performer = skeleton(centre=(300.0, 400.0))
    other = skeleton(centre=(800.0, 400.0))
    detector = ScriptedPose(np.stack([other]))
    counter = PeopleCounter(detector, every_s=0.5)
    image = np.zeros((900, 1000, 3), dtype=np.uint8)
    counter.visit(Frame(0, 0.0, image), performer, (1000, 900))
    assert (counter.checks, counter.others_seen) == (1, 1)


def test_it_does_not_count_the_performer_found_again() -> None:
    performer = skeleton(centre=(300.0, 400.0))
    detector = ScriptedPose(np.stack([performer + 10.0]))
    counter = PeopleCounter(detector, every_s=0.5)
    image = np.zeros((900, 1000, 3), dtype=np.uint8)
    counter.visit(Frame(0, 0.0, image), performer, (1000, 900))
    assert (counter.checks, counter.others_seen) == (1, 0)
