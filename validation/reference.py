"""The 3D reference of the shared lab trial, as per-frame angles in hipfirst's conventions.

The trial (``../shared/data/reference/pose2sim-balance-trial``, its README) is a
4-camera, 60 fps recording of one man balancing on his left leg; camera 1 is the
shared video ``lab-single-leg-balance-oblique.mp4``. Reference row ``i`` (time
``(i + 1) / 60`` s) lines up with video frame ``i + 1``.

How each reference angle is derived (degrees, signs as in ``docs/video.md``):

* **pelvic drop** (key: the stance leg): the pelvis orientation is rebuilt from the
  OpenSim inverse-kinematics angles ``pelvis_tilt``, ``pelvis_list`` and
  ``pelvis_rotation`` (body-fixed Z-X-Y, OpenSim's pelvis joint order); the tilt of
  its left-right axis against horizontal is the obliquity. Positive: the other
  (swing) side lower, i.e. contralateral pelvic drop. ``pelvis_list`` alone is not
  the obliquity here: the subject faces about 90° away from the model's forward axis.
* **trunk lean** (key: the stance leg): ``-(sum of the lumbar side bending + the
  obliquity)``, the trunk's lateral inclination against vertical. Positive: towards
  the stance side.
* **hip adduction** (key: the limb): ``hip_adduction_l/r`` of the inverse kinematics;
  positive = adduction.
* **knee flexion** (key: the limb): ``knee_angle_l/r``; positive = flexion.
* the same obliquity and trunk lean from the triangulated keypoints (hip line and
  mid-hip -> mid-shoulder line), as the reference's own internal check.

FPPA has no reference: the model's knee has one degree of freedom (no valgus).
Pure: parsing of text already read, and numpy; no hipfirst imports.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt
from scipy.spatial.transform import Rotation

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]

REFERENCE_DIR = (
    Path(__file__).resolve().parent.parent.parent
    / "shared"
    / "data"
    / "reference"
    / "pose2sim-balance-trial"
)
VIDEO = REFERENCE_DIR.parent.parent / "videos" / "lab-single-leg-balance-oblique.mp4"
FRAME_OFFSET = 1
"""Reference row ``i`` is video frame ``i + FRAME_OFFSET`` (equal timestamps, README)."""
STANCE = "left"
"""The subject stands on his left leg for the whole trial (README)."""
SWING = "right"
FOOT_OFF_HEIGHT_M = 0.02
"""The swing foot is off the floor while its lower toe point is this far above its
standing level (2 cm: above the keypoints' jitter, well below a deliberate lift)."""


@dataclass(frozen=True)
class Markers:
    """3D keypoints: ``xyz[frame, marker, axis]`` in metres, Y up."""

    names: tuple[str, ...]
    xyz: FloatArray

    def __getitem__(self, name: str) -> FloatArray:
        return self.xyz[:, self.names.index(name)]


def parse_trc(text: str) -> Markers:
    """An OpenSim ``.trc`` marker file (header of five lines, then one row per frame)."""
    lines = text.splitlines()
    names = tuple(name for name in lines[3].split("\t")[2:] if name)
    rows = [line.split("\t") for line in lines[5:] if line.strip()]
    values = np.array(
        [[float(cell) for cell in row[2 : 2 + 3 * len(names)]] for row in rows], dtype=np.float64
    )
    return Markers(names, values.reshape(len(rows), len(names), 3))


def parse_mot(text: str) -> dict[str, FloatArray]:
    """An OpenSim ``.mot`` motion file: its columns by name (angles in degrees)."""
    lines = text.splitlines()
    end = next(index for index, line in enumerate(lines) if line.strip() == "endheader")
    columns = [name.strip() for name in lines[end + 1].split("\t")]
    table = np.array([[float(cell) for cell in line.split()] for line in lines[end + 2 :] if line])
    return {name: table[:, index] for index, name in enumerate(columns)}


def pelvis_right_up_deg(ik: dict[str, FloatArray]) -> FloatArray:
    """Tilt of the pelvis left-right axis against horizontal; positive: right side higher."""
    angles = np.stack([ik["pelvis_tilt"], ik["pelvis_list"], ik["pelvis_rotation"]], axis=1)
    right_axis = Rotation.from_euler("ZXY", angles, degrees=True).apply([0.0, 0.0, 1.0])
    return np.asarray(np.degrees(np.arcsin(np.clip(right_axis[:, 1], -1.0, 1.0))))


def _lateral_bending_deg(ik: dict[str, FloatArray]) -> FloatArray:
    bending = [values for name, values in ik.items() if name.endswith("_Lat_Bending")]
    return np.asarray(np.sum(bending, axis=0))


def keypoint_right_up_deg(markers: Markers) -> FloatArray:
    """The hip line of the triangulated keypoints against horizontal; positive: right higher."""
    line = markers["RHip"] - markers["LHip"]
    return np.asarray(np.degrees(np.arcsin(line[:, 1] / np.linalg.norm(line, axis=1))))


def keypoint_lean_left_deg(markers: Markers) -> FloatArray:
    """Mid-hip -> mid-shoulder against vertical in the pelvis's frontal plane; + towards left."""
    hips = (markers["LHip"] + markers["RHip"]) / 2
    shoulders = (markers["LShoulder"] + markers["RShoulder"]) / 2
    trunk = shoulders - hips
    leftward = markers["LHip"] - markers["RHip"]
    leftward[:, 1] = 0.0
    leftward /= np.linalg.norm(leftward, axis=1, keepdims=True)
    return np.asarray(np.degrees(np.arctan2((trunk * leftward).sum(axis=1), trunk[:, 1])))


def swing_foot_off(markers: Markers, side: str = SWING) -> BoolArray:
    """Frames where the swing foot's lower toe point is off the floor (see FOOT_OFF_HEIGHT_M)."""
    prefix = "R" if side == "right" else "L"
    toe = np.minimum(markers[f"{prefix}BigToe"][:, 1], markers[f"{prefix}SmallToe"][:, 1])
    standing = float(np.median(toe[:5]))
    return np.asarray(toe > standing + FOOT_OFF_HEIGHT_M)


@dataclass(frozen=True)
class ReferenceAngles:
    """Per-frame reference angles keyed like ``frames.csv`` columns, indexed by video frame."""

    frames: npt.NDArray[np.int64]
    angles: dict[str, FloatArray]
    keypoint_angles: dict[str, FloatArray]
    single_leg: BoolArray

    def window(self) -> tuple[int, int]:
        """First and last video frame of single-leg support."""
        rows = self.frames[self.single_leg]
        return int(rows.min()), int(rows.max())


def reference_angles(markers: Markers, ik: dict[str, FloatArray]) -> ReferenceAngles:
    """The reference in hipfirst's sign conventions, for a subject standing on the left leg."""
    right_up = pelvis_right_up_deg(ik)
    lean_left = -(_lateral_bending_deg(ik) - right_up)
    # keyed by the stance leg: on the left leg the right (swing) side lower is a positive
    # drop and a lean to the left is positive; the right-leg keys mirror them (used to
    # judge a hold hipfirst reports on the right leg, which the subject never made)
    angles = {
        "pelvic_drop_deg_left": -right_up,
        "pelvic_drop_deg_right": right_up,
        "trunk_lean_deg_left": lean_left,
        "trunk_lean_deg_right": -lean_left,
        "hip_adduction_deg_left": ik["hip_adduction_l"],
        "hip_adduction_deg_right": ik["hip_adduction_r"],
        "knee_flexion_deg_left": ik["knee_angle_l"],
        "knee_flexion_deg_right": ik["knee_angle_r"],
    }
    keypoints = {
        "pelvic_drop_deg_left": -keypoint_right_up_deg(markers),
        "trunk_lean_deg_left": keypoint_lean_left_deg(markers),
    }
    frames = np.arange(markers.xyz.shape[0], dtype=np.int64) + FRAME_OFFSET
    return ReferenceAngles(frames, angles, keypoints, swing_foot_off(markers))


def load_markers(folder: Path = REFERENCE_DIR) -> Markers:
    return parse_trc((folder / "keypoints-3d-filtered.trc").read_text("utf-8"))


def load_reference(folder: Path = REFERENCE_DIR) -> ReferenceAngles:
    """Read the trial's filtered keypoints and inverse kinematics."""
    markers = load_markers(folder)
    ik = parse_mot((folder / "ik-body25b.mot").read_text("utf-8"))
    return reference_angles(markers, ik)
