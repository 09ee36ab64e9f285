"""Camera 1 of the reference trial: project the 3D keypoints into the shared video.

Used to check hipfirst's left/right labels frame by frame: a frame is *swapped*
when hipfirst's left landmark lies nearer the projected right keypoint than the
projected left one (summed over the pair). Pose2Sim's calibration is OpenCV's
pinhole model (Rodrigues rotation, translation in metres) in a Z-up world; its
``.trc`` files are Y-up with ``(X, Y, Z)_trc = (Y, Z, X)_world``. Lens distortion
(coefficients below 0.003) is ignored: under a pixel at this resolution.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt
from scipy.spatial.transform import Rotation

FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True)
class Camera:
    matrix: FloatArray
    rotation: FloatArray
    translation: FloatArray

    def project(self, points_trc: FloatArray) -> FloatArray:
        """Pixel coordinates (x right, y down) of ``(n, 3)`` Y-up trial points in metres."""
        world = np.stack([points_trc[:, 2], points_trc[:, 0], points_trc[:, 1]], axis=1)
        camera = world @ self.rotation.T + self.translation
        normalised = camera[:, :2] / camera[:, 2:3]
        return np.asarray(normalised @ self.matrix[:2, :2].T + self.matrix[:2, 2])


def load_camera(path: Path, name: str = "cam_01") -> Camera:
    entry = tomllib.loads(path.read_text("utf-8"))[name]
    return Camera(
        np.array(entry["matrix"], dtype=np.float64),
        Rotation.from_rotvec(entry["rotation"]).as_matrix(),
        np.array(entry["translation"], dtype=np.float64),
    )


def swapped_frames(
    left_px: FloatArray, right_px: FloatArray, left_ref: FloatArray, right_ref: FloatArray
) -> npt.NDArray[np.bool_]:
    """Per frame: are hipfirst's labels crossed relative to the reference's? (NaN: False)."""

    def distance(a: FloatArray, b: FloatArray) -> FloatArray:
        return np.asarray(np.hypot(a[:, 0] - b[:, 0], a[:, 1] - b[:, 1]))

    straight = distance(left_px, left_ref) + distance(right_px, right_ref)
    crossed = distance(left_px, right_ref) + distance(right_px, left_ref)
    return np.asarray(np.nan_to_num(crossed, nan=np.inf) < np.nan_to_num(straight, nan=np.inf))
