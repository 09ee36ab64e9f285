"""Left/right label swaps: injected mirrors (whole body, legs only, flickers) are found and
undone, frame by frame or over a whole track; what cannot be told apart is invalid."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
from landmark_tracks import analyse, mirrored, squat_track

from hipfirst.knowledge.base import KnowledgeBase
from hipfirst.video.label_swaps import (
    GROUP_NAMES,
    GROUPS,
    LabelFrame,
    SwapTracker,
    relabel,
    repair_labels,
)
from hipfirst.video_io.settings import video_settings

LABELS = video_settings().labels
WHOLE_BODY = GROUP_NAMES
LEGS_ONLY = ("legs",)
LEGS_AND_HIPS = ("hips", "legs")
FRONTAL = ("fppa_deg", "hip_adduction_deg", "pelvic_drop_deg", "trunk_lean_deg")


def confused_legs(xy: np.ndarray, frame: int) -> np.ndarray:
    """A copy with every leg pair of ``frame`` turned 100° about its midpoint: the mirrored
    labels fit a little better than the model's, but far from well."""
    confused = xy.copy()
    turn = np.radians(100.0)
    rotation = np.array([[np.cos(turn), -np.sin(turn)], [np.sin(turn), np.cos(turn)]])
    for left, right in GROUPS["legs"]:
        middle = (confused[frame, left] + confused[frame, right]) / 2
        half = (confused[frame, left] - middle) @ rotation.T
        confused[frame, left], confused[frame, right] = middle + half, middle - half
    return confused


@pytest.mark.parametrize("groups", [WHOLE_BODY, LEGS_ONLY, LEGS_AND_HIPS])
@pytest.mark.parametrize("length", [1, 5, 40])
def test_it_undoes_an_injected_mirror_of_any_length(groups: tuple[str, ...], length: int) -> None:
    truth = squat_track(noise_px=1.5, seed=length)
    start = 40  # inside the first squat: the body is moving
    window = slice(start, start + length)
    swapped = mirrored(truth, window, groups)

    repair = repair_labels(
        swapped.time_s,
        swapped.xy,
        swapped.visibility,
        swapped.world,
        np.ones(len(swapped.time_s), dtype=bool),
        LABELS,
    )

    assert not repair.unresolved.any()
    assert np.flatnonzero(repair.repaired).tolist() == list(range(start, start + length))
    for name in GROUP_NAMES:
        assert repair.count(name) == (length if name in groups else 0)
    np.testing.assert_allclose(repair.xy, truth.xy)
    np.testing.assert_allclose(repair.visibility, truth.visibility)


def test_it_undoes_a_mirror_the_model_made_in_the_picture_only() -> None:
    # the 2D labels flipped but the model's 3D landmarks kept their labels
    truth = squat_track(noise_px=1.5, seed=3)
    swapped = mirrored(truth, slice(60, 70), WHOLE_BODY, world=False)
    repair = repair_labels(
        swapped.time_s,
        swapped.xy,
        swapped.visibility,
        swapped.world,
        np.ones(len(swapped.time_s), dtype=bool),
        LABELS,
    )
    assert np.flatnonzero(repair.repaired).tolist() == list(range(60, 70))
    np.testing.assert_allclose(repair.xy, truth.xy)


def test_the_incremental_tracker_decides_each_frame_as_it_arrives() -> None:
    truth = squat_track(noise_px=1.0, seed=7)
    swapped = mirrored(truth, slice(30, 35), LEGS_ONLY)
    tracker = SwapTracker(LABELS)
    decisions = [
        tracker.update(
            LabelFrame(float(t), swapped.xy[k], swapped.visibility[k], swapped.world[k])  # type: ignore[index]
        )
        for k, t in enumerate(swapped.time_s)
    ]
    assert all(decision.resolved for decision in decisions)
    assert [k for k, d in enumerate(decisions) if d.swapped] == list(range(30, 35))
    assert all(decisions[k].swapped == ("legs",) for k in range(30, 35))
    assert tracker.update(None).resolved is False  # nobody in this frame


def test_a_track_that_starts_mirrored_takes_the_labels_the_model_gives_most_of_the_time() -> None:
    # the model mirrored the first 20 frames: continuity alone would keep the mirror
    truth = squat_track(noise_px=1.0, seed=9)
    swapped = mirrored(truth, slice(0, 20), WHOLE_BODY)
    repair = repair_labels(
        swapped.time_s,
        swapped.xy,
        swapped.visibility,
        swapped.world,
        np.ones(len(swapped.time_s), dtype=bool),
        LABELS,
    )
    assert np.flatnonzero(repair.repaired).tolist() == list(range(20))
    np.testing.assert_allclose(repair.xy, truth.xy)


def test_a_frame_that_cannot_be_told_apart_is_unresolved_never_flipped() -> None:
    truth = squat_track(noise_px=0.5, seed=11)
    confused = confused_legs(truth.xy, 50)
    repair = repair_labels(
        truth.time_s,
        confused,
        truth.visibility,
        None,
        np.ones(len(truth.time_s), dtype=bool),
        LABELS,
    )
    assert np.flatnonzero(repair.unresolved).tolist() == [50]
    assert not repair.repaired[50]
    np.testing.assert_allclose(repair.xy[50], confused[50])  # kept as the model gave it


def test_shoulders_and_hips_turned_apart_impossibly_are_unresolved() -> None:
    # the model mirrored the upper body only in the very first frame: nothing to follow yet,
    # and a body cannot twist 180° between its shoulders and its hips
    truth = squat_track(noise_px=0.5, seed=13)
    first = relabel(truth.xy[0], ("upper",))
    tracker = SwapTracker(LABELS)
    decision = tracker.update(LabelFrame(0.0, first, truth.visibility[0], None))
    assert decision.resolved is False


def test_the_unresolved_frame_is_invalid_in_the_analysis(kb: KnowledgeBase) -> None:
    truth = squat_track(noise_px=0.5, seed=11)
    result = analyse(replace(truth, xy=confused_legs(truth.xy, 50), world=None), kb)
    assert not result.series.valid[50]
    assert np.isnan(result.angle("fppa_deg", "left")[50])
    check = result.summary["quality"]["left_right_repaired"]
    assert check["value"] == 0
    assert "could not be told apart" in check["reason"]


@pytest.mark.parametrize("groups", [WHOLE_BODY, LEGS_ONLY])
def test_repaired_angles_equal_the_unmirrored_ones(
    kb: KnowledgeBase, groups: tuple[str, ...]
) -> None:
    truth = squat_track(noise_px=1.0, seed=21)
    clean = analyse(truth, kb)
    repaired = analyse(mirrored(truth, slice(25, 65), groups), kb)
    assert repaired.summary["quality"]["left_right_repaired"]["value"] == 40
    assert repaired.series.data["left_right_repaired"][25:65].all()
    for metric in FRONTAL:
        for side in ("left", "right"):
            np.testing.assert_allclose(
                repaired.angle(metric, side), clean.angle(metric, side), atol=0.5, equal_nan=True
            )
    assert repaired.summary["per_side"] == clean.summary["per_side"]
