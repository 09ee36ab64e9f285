"""A rolled camera: the angles follow gravity once the roll is taken out; past the limit in the
knowledge base the frontal-plane angles are doubtful, and the user is told how to hold the
phone. An upside-down or lying person is refused."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
from landmark_tracks import analyse, rotated, squat_track, stance_track

from hipfirst.knowledge.base import KnowledgeBase
from hipfirst.knowledge.vocabulary import VideoTask
from hipfirst.video.camera_level import level, roll_check, rotation, trunk_tilt_deg
from hipfirst.video.types import CameraRoll
from video_skeleton import SIZE, skeleton

LIMIT = "camera_roll_frontal_limit"


@pytest.mark.parametrize("degrees", [-20.0, -10.0, -5.0, 5.0, 10.0, 20.0])
def test_the_roll_corrected_angles_match_the_level_camera(
    kb: KnowledgeBase, degrees: float
) -> None:
    track = squat_track(noise_px=0.5, seed=2)
    level_result = analyse(track, kb)
    rolled_result = analyse(rotated(track, degrees, SIZE), kb)

    for metric in ("pelvic_drop_deg", "trunk_lean_deg", "fppa_deg", "hip_adduction_deg"):
        level_value = level_result.summary["per_side"]["left"][metric]["mean"]
        rolled_value = rolled_result.summary["per_side"]["left"][metric]["mean"]
        assert rolled_value == pytest.approx(level_value, abs=2.0), metric
        np.testing.assert_allclose(
            rolled_result.angle(metric, "left"),
            level_result.angle(metric, "left"),
            atol=2.0,
            equal_nan=True,
        )
    assert rolled_result.summary["quality"]["camera_roll_deg"]["value"] == degrees
    assert [rep.peak_index for rep in rolled_result.reps] == [
        rep.peak_index for rep in level_result.reps
    ]


def test_without_the_correction_the_roll_adds_to_pelvic_drop_and_trunk_lean() -> None:
    upright = skeleton(pelvis_right_lower_deg=6.0, trunk_towards_left_deg=4.0)[None]
    tilted = skeleton(pelvis_right_lower_deg=6.0, trunk_towards_left_deg=4.0, rotate_deg=10.0)[None]
    assert trunk_tilt_deg(tilted)[0] - trunk_tilt_deg(upright)[0] == pytest.approx(10.0)
    levelled = level(tilted, CameraRoll(10.0, "test"), (1000, 800))
    assert trunk_tilt_deg(levelled)[0] == pytest.approx(trunk_tilt_deg(upright)[0])
    assert np.allclose(rotation(10.0) @ rotation(-10.0), np.eye(2))


def test_past_the_limit_the_frontal_angles_are_doubtful_and_the_user_is_told_why(
    kb: KnowledgeBase,
) -> None:
    limit = kb.measure(LIMIT)
    assert (limit.status.value, limit.value) == ("derived", 5.0)
    result = analyse(rotated(squat_track(noise_px=0.5, seed=2), 10.0, SIZE), kb)
    check = result.summary["quality"]["camera_roll_deg"]
    assert (check["value"], check["valid"]) == (10.0, False)
    assert "hold the phone upright and level" in check["reason"]
    pelvis = result.summary["per_side"]["left"]["pelvic_drop_deg"]
    assert pelvis["valid"] is False and "rolled 10° from level" in pelvis["reason"]
    knee = result.summary["per_side"]["left"]["knee_flexion_deg"]
    assert "rolled" not in knee["reason"]  # not a frontal-plane angle
    assert result.summary["quality"]["valid"] is False


def test_within_the_limit_the_corrected_angles_stay_valid(kb: KnowledgeBase) -> None:
    result = analyse(rotated(squat_track(noise_px=0.5, seed=2), 4.0, SIZE), kb)
    assert result.summary["quality"]["camera_roll_deg"] == {
        "value": 4.0,
        "valid": True,
        "reason": "",
    }
    assert result.summary["per_side"]["left"]["pelvic_drop_deg"]["valid"] is True


def test_a_roll_nobody_estimated_shows_in_the_standing_trunk(kb: KnowledgeBase) -> None:
    track = rotated(stance_track(), 10.0, SIZE)
    result = analyse(replace(track, camera_roll=None), kb, VideoTask.SINGLE_LEG_STANCE)
    check = result.summary["quality"]["camera_roll_deg"]
    assert (check["value"], check["valid"]) == (None, False)
    assert "tilted 10° in the picture" in check["reason"]


def test_the_estimate_is_checked_against_the_person_standing(kb: KnowledgeBase) -> None:
    # the picture is rolled 4° but the estimate says -3°: standing, the trunk leans 7°
    track = rotated(stance_track(), 4.0, SIZE)
    wrong = replace(track, camera_roll=CameraRoll(-3.0, "scene lines", 12, 1.0))
    right = analyse(track, kb, VideoTask.SINGLE_LEG_STANCE).summary["quality"]
    assert right["camera_roll_deg"] == {"value": 4.0, "valid": True, "reason": ""}
    check = analyse(wrong, kb, VideoTask.SINGLE_LEG_STANCE).summary["quality"]["camera_roll_deg"]
    assert check["valid"] is False
    assert "the roll estimate and the standing posture disagree" in check["reason"]


def test_roll_check_reports_the_source_of_the_estimate(kb: KnowledgeBase) -> None:
    check = roll_check(CameraRoll(-8.0, "scene lines", 30, 0.8), None, kb.measure(LIMIT), 5.0)
    assert check.value == -8.0 and not check.valid
    assert "(from scene lines)" in check.reason


@pytest.mark.parametrize(("degrees", "how"), [(180.0, "upside down"), (90.0, "lying")])
def test_an_upside_down_or_lying_person_is_refused(
    kb: KnowledgeBase, degrees: float, how: str
) -> None:
    # a video turned without rotation metadata (no CameraRoll: nobody knows it is turned)
    track = replace(rotated(squat_track(noise_px=0.5, seed=2), degrees, SIZE), camera_roll=None)
    result = analyse(track, kb)
    check = result.summary["quality"]["upright"]
    assert check["valid"] is False
    assert f"the person appears {how}" in check["reason"]
    assert "may be rotated without rotation metadata" in check["reason"]
    for metric in ("fppa_deg", "pelvic_drop_deg", "trunk_lean_deg", "hip_adduction_deg"):
        summary = result.summary["per_side"]["left"][metric]
        assert summary["mean"] is None and summary["valid"] is False
    assert result.reps == ()
    assert result.summary["stance_side"] is None
