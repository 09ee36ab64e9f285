"""Quality checks: the camera view, the frame rate, the people seen, and the order reported."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from hipfirst.knowledge.vocabulary import VideoTask
from hipfirst.video.landmarks import Landmark
from hipfirst.video.quality import (
    QualityInputs,
    assess,
    frame_rate_check,
    people_check,
    turned_from_camera,
    verdict,
    view_label,
)
from hipfirst.video.settings import QualitySettings
from hipfirst.video.types import QualityCheck, RepEvent, VideoInfo
from video_skeleton import skeleton

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
