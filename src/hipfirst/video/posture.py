"""Which way the person is: upright, lying or upside down in the picture; facing or back-on.

**Upright.** A video recorded sideways or upside down without rotation metadata shows the
person lying or standing on their head; so does a flip or a fall. The trunk
(mid-hip→mid-shoulder) is compared with the picture's up, after the camera-roll
correction: tilted more than ``max_upright_tilt_deg`` (``posture`` section of
``settings.yaml``) the frame is not upright, and its frontal-plane angles are meaningless
(the pelvis "drops" 90°, the stance foot is at the top). Such frames are invalid; when
fewer than ``min_upright_fraction`` of the tracked frames are upright the whole video's
frontal-plane angles are refused with the reason.

**Facing.** From the model's 3D landmarks: the nose nearer the camera than the middle of
the shoulders means the person faces the camera (a *front* view), farther means their
back is to it (a *back* view, common for running). The nose is one landmark, so this
does not depend on the left/right labels. The side keys stay anatomical in both: the
angles take medial and lateral from the hips themselves (:mod:`hipfirst.video.kinematics`),
and a back view is not mirrored to look like a front view.
"""

from __future__ import annotations

import numpy as np

from hipfirst.video.camera_level import trunk_tilt_deg
from hipfirst.video.landmarks import Landmark
from hipfirst.video.settings import PostureSettings
from hipfirst.video.types import BoolArray, FloatArray, QualityCheck

UPSIDE_DOWN_FROM_DEG = 135.0
"""Trunk tilt (degrees from upright) from which a person not upright is called upside down
rather than lying: halfway between lying (90°) and upside down (180°). Words only."""


def upright_frames(levelled: FloatArray, settings: PostureSettings) -> BoolArray:
    """Frames whose trunk is within ``max_upright_tilt_deg`` of the picture's up."""
    tilt = np.abs(trunk_tilt_deg(levelled))
    with np.errstate(invalid="ignore"):
        return np.asarray(np.isfinite(tilt) & (tilt <= settings.max_upright_tilt_deg))


def orientation_label(
    levelled: FloatArray, selected: BoolArray, settings: PostureSettings
) -> tuple[str, float | None]:
    """``upright``, ``lying`` or ``upside down`` from the tracked frames' median trunk tilt."""
    tilt = np.abs(trunk_tilt_deg(levelled[selected])) if selected.any() else np.array([])
    tilt = tilt[np.isfinite(tilt)]
    if tilt.size == 0:
        return "unknown", None
    median = float(np.median(tilt))
    if median <= settings.max_upright_tilt_deg:
        return "upright", median
    return ("lying" if median < UPSIDE_DOWN_FROM_DEG else "upside down"), median


def upright_check(
    levelled: FloatArray, selected: BoolArray, settings: PostureSettings
) -> QualityCheck:
    """``upright``: is the person upright in enough of the tracked frames?"""
    tracked = int(selected.sum())
    if tracked == 0:
        return QualityCheck("upright", None, True)
    upright = upright_frames(levelled, settings) & selected
    fraction = float(upright.sum()) / tracked
    label, tilt = orientation_label(levelled, selected, settings)
    if fraction >= settings.min_upright_fraction:
        return QualityCheck("upright", round(fraction, 3), True)
    how = "upside down" if label == "upside down" else "lying or on their side"
    return QualityCheck(
        "upright",
        round(fraction, 3),
        False,
        f"the person appears {how} in the picture (trunk about {tilt or 0:.0f}° from upright "
        f"in most frames): the video may be rotated without rotation metadata; frontal-plane "
        "angles are not measured",
    )


def facing_per_frame(world: FloatArray) -> FloatArray:
    """+1 facing the camera, −1 back to it, NaN unknown; ``world`` ``(n, 33, 3)``, z away."""
    shoulders = (world[:, Landmark.LEFT_SHOULDER, 2] + world[:, Landmark.RIGHT_SHOULDER, 2]) / 2
    depth = shoulders - world[:, Landmark.NOSE, 2]  # > 0: the nose is nearer the camera
    with np.errstate(invalid="ignore"):
        return np.where(np.isfinite(depth), np.sign(depth), np.nan)


def facing_check(world: FloatArray | None, selected: BoolArray) -> QualityCheck:
    """``facing``: front (facing the camera), back, or turning between them; information only."""
    if world is None or not selected.any():
        return QualityCheck("facing", "unknown", True, "")
    signs = facing_per_frame(world[selected])
    signs = signs[np.isfinite(signs)]
    if signs.size == 0:
        return QualityCheck("facing", "unknown", True, "")
    front = float(np.mean(signs > 0))
    if front >= 0.8:
        return QualityCheck("facing", "front", True)
    if front <= 0.2:
        return QualityCheck("facing", "back", True)
    return QualityCheck(
        "facing",
        "turning",
        True,
        f"the person faces the camera in {front:.0%} of the frames and has their back to it "
        "in the rest; left and right stay the person's own sides in both",
    )
