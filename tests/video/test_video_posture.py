"""Front view or back view: side labels stay the person's own in both; the quality section
says which; every measurement error says where it comes from."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
from landmark_tracks import analyse, stance_track, world_from_xy

from hipfirst.knowledge.base import KnowledgeBase
from hipfirst.knowledge.vocabulary import VideoTask
from hipfirst.video.landmarks import Landmark
from hipfirst.video.posture import facing_check, facing_per_frame
from hipfirst.video.quality import turned_from_camera
from hipfirst.video.summary import measurement_error

STANCE = VideoTask.SINGLE_LEG_STANCE
LEFT_RIGHT = [
    (Landmark[name], Landmark[name.replace("LEFT", "RIGHT")])
    for name in Landmark.__members__
    if name.startswith("LEFT_")
]


def from_behind(track_xy: np.ndarray, width: float) -> np.ndarray:
    """The same person filmed from behind: the picture mirrored, the labels still theirs
    (their left side is now on the image left)."""
    xy = track_xy.copy()
    xy[..., 0] = width - xy[..., 0]
    return xy


def test_a_back_view_gives_the_front_views_angles_on_the_same_sides(kb: KnowledgeBase) -> None:
    front = stance_track(noise_px=0.5, seed=6)
    back_xy = from_behind(front.xy, 360.0)
    back = replace(front, xy=back_xy, world=world_from_xy(back_xy, facing_camera=False))
    seen_front = analyse(front, kb, STANCE)
    seen_back = analyse(back, kb, STANCE)

    assert seen_front.summary["quality"]["facing"]["value"] == "front"
    assert seen_back.summary["quality"]["facing"]["value"] == "back"
    assert seen_back.summary["quality"]["left_right_repaired"]["value"] == 0
    assert [(r.side, r.start_index, r.end_index) for r in seen_back.reps] == [
        (r.side, r.start_index, r.end_index) for r in seen_front.reps
    ]
    for metric in ("fppa_deg", "hip_adduction_deg", "pelvic_drop_deg", "trunk_lean_deg"):
        np.testing.assert_allclose(
            seen_back.angle(metric, "left"), seen_front.angle(metric, "left"), atol=1e-6
        )


def test_facing_comes_from_the_nose_depth_not_from_the_labels() -> None:
    xy = stance_track().xy[:5]
    world = world_from_xy(xy, facing_camera=True)
    mirrored = world.copy()
    for left, right in LEFT_RIGHT:
        mirrored[:, [left, right]] = world[:, [right, left]]
    assert facing_per_frame(world).tolist() == [1.0] * 5
    assert facing_per_frame(mirrored).tolist() == [1.0] * 5
    turning = np.concatenate([world, world_from_xy(xy, facing_camera=False)])
    check = facing_check(turning, np.ones(10, dtype=bool))
    assert (check.value, check.valid) == ("turning", True)
    assert "left and right stay the person's own sides" in check.reason
    assert facing_check(None, np.ones(5, dtype=bool)).value == "unknown"
    assert turned_from_camera(world)[0] == pytest.approx(0.0)


def test_each_measurement_error_says_where_it_comes_from(kb: KnowledgeBase) -> None:
    pelvis = measurement_error(kb, VideoTask.SINGLE_LEG_SQUAT, "pelvic_drop_deg")
    harness = pelvis["against_3d_reference"]
    assert harness["status"] == "derived"
    assert harness["basis"] == "derived from hipfirst's validation harness (docs/validation.md)"
    assert "hipfirst_validation_2026" in harness["sources"]
    assert pelvis["note"] == "no published 2D measurement error for this angle and task"

    fppa = measurement_error(kb, VideoTask.SINGLE_LEG_SQUAT, "fppa_deg")
    assert fppa["sem"]["basis"] == "published study"
    assert "note" not in fppa and "against_3d_reference" not in fppa  # no FPPA reference

    running = measurement_error(kb, VideoTask.RUNNING, "pelvic_drop_deg")
    assert running["between_day"]["basis"] == "published study"
    assert running["against_3d_reference"]["measure_id"] == "pelvic_drop_rmse_lab_oblique"
