"""Frontal-plane angles on synthetic skeletons whose angles are known by construction."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hipfirst.knowledge.vocabulary import Side
from hipfirst.video import kinematics
from hipfirst.video.types import angle_key
from video_skeleton import sequence, skeleton

TOLERANCE = 0.1  # degrees


def one(frame: np.ndarray) -> np.ndarray:
    return sequence([frame])


@pytest.mark.parametrize("side", ["left", "right"])
@pytest.mark.parametrize("facing_away", [False, True])
def test_it_reads_valgus_as_positive_fppa_on_either_leg_and_view(
    side: Side, facing_away: bool
) -> None:
    # alpha 6 + beta 4: the knee 10 degrees medial of the hip-ankle line
    xy = one(skeleton(knee_medial_deg={side: (6.0, 4.0)}, facing_away=facing_away))
    assert kinematics.fppa(xy, side)[0] == pytest.approx(10.0, abs=TOLERANCE)
    assert kinematics.hip_adduction(xy, side)[0] == pytest.approx(6.0, abs=TOLERANCE)


@pytest.mark.parametrize("side", ["left", "right"])
def test_it_reads_varus_as_negative_fppa_and_abduction_as_negative(side: Side) -> None:
    xy = one(skeleton(knee_medial_deg={side: (-5.0, -7.0)}))
    assert kinematics.fppa(xy, side)[0] == pytest.approx(-12.0, abs=TOLERANCE)
    assert kinematics.hip_adduction(xy, side)[0] == pytest.approx(-5.0, abs=TOLERANCE)
    assert kinematics.knee_flexion(xy, side)[0] == pytest.approx(12.0, abs=TOLERANCE)


def test_it_keeps_the_other_leg_at_zero() -> None:
    xy = one(skeleton(knee_medial_deg={"left": (10.0, 10.0)}))
    assert kinematics.fppa(xy, "right")[0] == pytest.approx(0.0, abs=TOLERANCE)
    assert kinematics.fppa(xy, "left")[0] == pytest.approx(20.0, abs=TOLERANCE)


@pytest.mark.parametrize("tilt", [8.0, -8.0])
def test_it_measures_pelvic_drop_on_the_swing_side_for_each_stance_leg(tilt: float) -> None:
    # right hip lower by `tilt`: a drop for left stance, a rise for right stance
    xy = one(skeleton(pelvis_right_lower_deg=tilt))
    assert kinematics.pelvic_drop(xy, "left")[0] == pytest.approx(tilt, abs=TOLERANCE)
    assert kinematics.pelvic_drop(xy, "right")[0] == pytest.approx(-tilt, abs=TOLERANCE)


def test_it_subtracts_the_standing_baseline_from_pelvic_drop() -> None:
    xy = one(skeleton(pelvis_right_lower_deg=10.0))
    # standing obliquity of 3 degrees (e.g. a camera slightly rolled): 10 - 3 = 7
    assert kinematics.pelvic_drop(xy, "left", baseline_deg=3.0)[0] == pytest.approx(
        7.0, abs=TOLERANCE
    )


@pytest.mark.parametrize("facing_away", [False, True])
def test_it_signs_trunk_lean_towards_the_named_side(facing_away: bool) -> None:
    xy = one(skeleton(trunk_towards_left_deg=9.0, facing_away=facing_away))
    assert kinematics.trunk_lean(xy, "left")[0] == pytest.approx(9.0, abs=TOLERANCE)
    assert kinematics.trunk_lean(xy, "right")[0] == pytest.approx(-9.0, abs=TOLERANCE)


def test_it_gives_all_angles_under_their_keys() -> None:
    xy = one(skeleton(knee_medial_deg={"right": (3.0, 2.0)}, pelvis_right_lower_deg=4.0))
    angles = kinematics.all_angles(xy, {"left": 1.0})
    assert sorted(angles) == sorted(
        angle_key(metric, side)
        for metric in (
            "fppa_deg",
            "hip_adduction_deg",
            "pelvic_drop_deg",
            "trunk_lean_deg",
            "knee_flexion_deg",
        )
        for side in ("left", "right")
    )
    assert angles["fppa_deg_right"][0] == pytest.approx(5.0, abs=TOLERANCE)
    assert angles["pelvic_drop_deg_left"][0] == pytest.approx(3.0, abs=TOLERANCE)
    assert angles["pelvic_drop_deg_right"][0] == pytest.approx(-4.0, abs=TOLERANCE)


def test_it_passes_through_zero_without_a_180_degree_jump() -> None:
    frames = [skeleton(knee_medial_deg={"left": (v / 2, v / 2)}) for v in np.linspace(-4, 4, 17)]
    values = kinematics.fppa(sequence(frames), "left")
    assert np.allclose(values, np.linspace(-4, 4, 17), atol=TOLERANCE)
    assert np.max(np.abs(np.diff(values))) < 1.0


def test_it_returns_nan_where_a_landmark_is_missing() -> None:
    xy = one(skeleton())
    xy[0, 25] = np.nan  # left knee
    assert np.isnan(kinematics.fppa(xy, "left")[0])
    assert np.isfinite(kinematics.fppa(xy, "right")[0])


angles = st.floats(min_value=-25.0, max_value=25.0)


@settings(max_examples=60, deadline=None)
@given(
    alpha=angles,
    beta=angles,
    roll=st.floats(min_value=-15.0, max_value=15.0),
    side=st.sampled_from(["left", "right"]),
    facing_away=st.booleans(),
)
def test_it_keeps_knee_and_hip_angles_when_the_whole_body_is_rotated(
    alpha: float, beta: float, roll: float, side: Side, facing_away: bool
) -> None:
    xy = one(
        skeleton(knee_medial_deg={side: (alpha, beta)}, rotate_deg=roll, facing_away=facing_away)
    )
    assert kinematics.fppa(xy, side)[0] == pytest.approx(alpha + beta, abs=TOLERANCE)
    assert kinematics.hip_adduction(xy, side)[0] == pytest.approx(alpha, abs=TOLERANCE)
    # a rolled camera tilts the pelvis line by the roll: it shows as pelvic obliquity
    assert kinematics.pelvic_obliquity(xy, "left")[0] == pytest.approx(
        -roll if not facing_away else roll, abs=TOLERANCE
    )
