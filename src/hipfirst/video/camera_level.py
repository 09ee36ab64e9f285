"""A rolled camera: turn the landmarks upright so the angles follow gravity, not the picture.

Pelvic drop (the hip line against the horizontal) and trunk lean (the trunk against the
vertical) are read against the picture's axes; a phone held rolled by ``r`` degrees adds
``r`` to one and subtracts it from the other. FPPA, hip adduction and knee flexion are
angles between body segments and do not change. :func:`level` rotates the landmarks about
the picture's centre by the camera's estimated roll
(:class:`~hipfirst.video.types.CameraRoll`, positive = picture rotated clockwise), so
that every angle and every foot height downstream is measured against gravity.

The estimate comes from the picture (near-vertical scene lines, in
:mod:`hipfirst.video_io`); :func:`roll_check` reports it in the quality section, checks
it against the person's own level standing when the video has some (the trunk of a
person standing on both feet is close to vertical), and marks the frontal-plane angles
doubtful past the knowledge base's limit (``camera_roll_frontal_limit``): a correction
that large rests too much on the estimate.
"""

from __future__ import annotations

import numpy as np

from hipfirst.knowledge.schema import Measure
from hipfirst.video.landmarks import Landmark
from hipfirst.video.types import BoolArray, CameraRoll, FloatArray, QualityCheck

HOLD_THE_PHONE = (
    "hold the phone upright and level (a door frame or wall edge should look vertical in "
    "the picture), or stand it against something steady at hip height"
)
"""What to tell the user when the picture was rolled."""


def rotation(degrees: float) -> FloatArray:
    """2×2 matrix turning image vectors (y down) clockwise on screen by ``degrees``."""
    theta = np.radians(degrees)
    return np.array([[np.cos(theta), -np.sin(theta)], [np.sin(theta), np.cos(theta)]])


def level(xy: FloatArray, roll: CameraRoll | None, size: tuple[int, int]) -> FloatArray:
    """``xy`` (…, 2) pixels turned upright about the picture's centre (a copy when no roll).

    ``size`` = (width, height) of the displayed picture.
    """
    if roll is None or not np.isfinite(roll.degrees) or roll.degrees == 0:
        return np.array(xy, copy=True)
    centre = np.array([size[0] / 2.0, size[1] / 2.0])
    return np.asarray((xy - centre) @ rotation(-roll.degrees).T + centre)


def trunk_tilt_deg(xy: FloatArray) -> FloatArray:
    """Mid-hip→mid-shoulder line against the picture's up, per frame; + = top to the right."""
    shoulders = (xy[:, Landmark.LEFT_SHOULDER] + xy[:, Landmark.RIGHT_SHOULDER]) / 2.0
    hips = (xy[:, Landmark.LEFT_HIP] + xy[:, Landmark.RIGHT_HIP]) / 2.0
    trunk = shoulders - hips
    return np.asarray(np.degrees(np.arctan2(trunk[:, 0], -trunk[:, 1])))


def standing_trunk_tilt(levelled: FloatArray, standing: BoolArray) -> float | None:
    """Median trunk tilt over the level-standing frames of upright landmarks (None: none)."""
    if not standing.any():
        return None
    values = trunk_tilt_deg(levelled[standing])
    values = values[np.isfinite(values)]
    return float(np.median(values)) if values.size else None


def roll_check(
    roll: CameraRoll | None,
    standing_tilt_deg: float | None,
    limit: Measure,
    crosscheck_deg: float,
    *,
    corrected: bool = True,
) -> QualityCheck:
    """``camera_roll_deg``: the roll estimated, checked against standing and the limit.

    ``standing_tilt_deg``: the trunk's tilt while standing on both feet, after the
    correction (None without level standing); ``limit``: the knowledge base's
    ``camera_roll_frontal_limit``; ``crosscheck_deg``: the largest standing tilt
    accepted as posture rather than a wrong estimate; ``corrected``: False when the
    angles were not turned by the roll (a view at an angle to the body, where
    perspective, not only the roll, tilts the pelvis line).
    """
    if roll is None:
        reason = ""
        if standing_tilt_deg is not None and abs(standing_tilt_deg) > crosscheck_deg:
            reason = (
                f"the camera roll was not estimated and the trunk of the person standing on "
                f"both feet is tilted {standing_tilt_deg:.0f}° in the picture: the camera may "
                f"be rolled, which shifts pelvic drop and trunk lean; {HOLD_THE_PHONE}"
            )
        return QualityCheck("camera_roll_deg", None, not reason, reason)
    value = round(roll.degrees, 1)
    bar = float(limit.value if limit.value is not None else 0.0)
    if not corrected:
        past = abs(roll.degrees) > bar
        return QualityCheck(
            "camera_roll_deg",
            value,
            not past,
            (
                f"the camera was rolled {abs(roll.degrees):.0f}° from level (from "
                f"{roll.source}); not corrected, because the body is at an angle to the camera "
                f"and perspective tilts the pelvis line too (film front-on for a correction); "
                f"{HOLD_THE_PHONE}"
            )
            if past
            else "",
        )
    if abs(roll.degrees) > bar:
        return QualityCheck(
            "camera_roll_deg",
            value,
            False,
            f"the camera was rolled {abs(roll.degrees):.0f}° from level (from {roll.source}); "
            f"pelvic drop and trunk lean were corrected for it, but past {bar:g}° the "
            f"correction rests too much on the estimate; {HOLD_THE_PHONE}",
        )
    if standing_tilt_deg is not None and abs(standing_tilt_deg) > crosscheck_deg:
        return QualityCheck(
            "camera_roll_deg",
            value,
            False,
            f"after correcting a {roll.degrees:.0f}° camera roll (from {roll.source}) the "
            f"trunk of the person standing on both feet still leans {standing_tilt_deg:.0f}°: "
            f"the roll estimate and the standing posture disagree; {HOLD_THE_PHONE}",
        )
    return QualityCheck("camera_roll_deg", value, True)
