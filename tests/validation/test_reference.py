"""The 3D reference as the harness reads it: parsing, alignment and the derived angles."""

from __future__ import annotations

import numpy as np
import pytest
from validation.camera import load_camera, swapped_frames
from validation.compare import agreement

from validation import reference as ref

pytestmark = pytest.mark.skipif(
    not ref.REFERENCE_DIR.is_dir(), reason="../shared/data/reference is not beside the repository"
)


@pytest.fixture(scope="module")
def trial() -> ref.ReferenceAngles:
    return ref.load_reference()


def test_it_reads_100_rows_of_21_keypoints_and_the_inverse_kinematics() -> None:
    markers = ref.load_markers()
    assert markers.xyz.shape == (100, 21, 3)
    assert markers.names[:3] == ("RHip", "RKnee", "RAnkle")
    ik = ref.parse_mot((ref.REFERENCE_DIR / "ik-body25b.mot").read_text("utf-8"))
    assert ik["time"][0] == pytest.approx(1 / 60, abs=1e-6)
    assert ik["pelvis_rotation"][0] == pytest.approx(-75.445, abs=1e-3)


def test_it_lines_reference_row_i_up_with_video_frame_i_plus_1(trial: ref.ReferenceAngles) -> None:
    assert trial.frames[0] == 1
    assert trial.frames[-1] == 100


def test_it_finds_single_leg_support_where_the_readme_puts_it(trial: ref.ReferenceAngles) -> None:
    # README: the right foot is off the floor in video frames 19-71 (from the ankles);
    # the toe criterion starts a few frames earlier, as the heel rises first.
    first, last = trial.window()
    assert 14 <= first <= 19
    assert last == 71
    assert trial.single_leg[(trial.frames >= 19) & (trial.frames <= 71)].all()


def test_its_two_pelvis_estimates_agree_within_3_degrees(trial: ref.ReferenceAngles) -> None:
    # README: the pelvis rebuilt from the IK agrees with the keypoint hip line within ~3 deg RMSE
    support = trial.single_leg
    stats = agreement(
        np.where(support, trial.keypoint_angles["pelvic_drop_deg_left"], np.nan),
        trial.angles["pelvic_drop_deg_left"],
    )
    assert stats.rmse_deg is not None and stats.rmse_deg < 3.0
    assert stats.r is not None and stats.r > 0.95


def test_its_trunk_lean_estimates_agree_within_4_degrees(trial: ref.ReferenceAngles) -> None:
    support = trial.single_leg
    stats = agreement(
        np.where(support, trial.keypoint_angles["trunk_lean_deg_left"], np.nan),
        trial.angles["trunk_lean_deg_left"],
    )
    assert stats.rmse_deg is not None and stats.rmse_deg < 4.0


def test_the_subject_drops_the_swing_side_and_leans_over_the_stance_leg_mid_hold(
    trial: ref.ReferenceAngles,
) -> None:
    # frame 46 (row 45): the right (swing) hip about 35 deg higher, the trunk over the left leg
    row = 45
    assert trial.angles["pelvic_drop_deg_left"][row] == pytest.approx(-35.0, abs=1.5)
    assert trial.angles["trunk_lean_deg_left"][row] == pytest.approx(48.1, abs=1.5)
    assert trial.angles["pelvic_drop_deg_right"][row] == -trial.angles["pelvic_drop_deg_left"][row]


def test_it_projects_the_keypoints_into_the_shared_video() -> None:
    markers = ref.load_markers()
    camera = load_camera(ref.REFERENCE_DIR / "calibration.toml")
    hips = camera.project(markers["LHip"])
    # the subject stands in the middle of the 1080 x 1920 portrait picture
    assert np.all((hips[:, 0] > 200) & (hips[:, 0] < 900))
    assert np.all((hips[:, 1] > 500) & (hips[:, 1] < 1100))


def test_it_counts_crossed_labels_and_ignores_missing_ones() -> None:
    left = np.array([[0.0, 0.0], [10.0, 0.0], [np.nan, np.nan]])
    right = np.array([[10.0, 0.0], [0.0, 0.0], [np.nan, np.nan]])
    reference_left = np.array([[1.0, 0.0], [1.0, 0.0], [1.0, 0.0]])
    reference_right = np.array([[9.0, 0.0], [9.0, 0.0], [9.0, 0.0]])
    crossed = swapped_frames(left, right, reference_left, reference_right)
    assert crossed.tolist() == [False, True, False]


def test_agreement_is_withheld_below_ten_frames() -> None:
    values = np.arange(9, dtype=np.float64)
    assert agreement(values, values).rmse_deg is None
    stats = agreement(np.arange(12.0) + 1.0, np.arange(12.0))
    assert (stats.bias_deg, stats.rmse_deg, stats.r) == (1.0, 1.0, 1.0)
