"""Frontal-plane angles per frame, in the image plane (2D), in degrees.

Pure functions of landmark arrays ``(n, 33, 2)`` in image pixels (x right,
y down). Every angle comes from :func:`numpy.arctan2` on vectors, so there is
no ±180° wrap for the postures filmed. Medial and lateral are taken from the
pelvis itself (the direction from a hip to the other hip), so the signs are
right for the left and the right leg and for front or back views alike.

Sign table (``side`` = the limb, or the stance leg for pelvis and trunk):

=================  ==============================================  ======================
angle              definition                                      positive means
=================  ==============================================  ======================
fppa_deg           180° − angle hip–knee–ankle                     knee medial to the
                                                                   hip–ankle line (valgus)
hip_adduction_deg  femur (hip→knee) vs the perpendicular to the    knee towards the
                   pelvis line (hip→hip), pointing down the body   midline (adduction)
pelvic_drop_deg    pelvis line vs image horizontal, minus the      the other side's hip
                   level-standing baseline when there is one       lower (contralateral
                                                                   pelvic drop)
trunk_lean_deg     mid-hip→mid-shoulder vs image vertical          shoulders shifted
                                                                   towards ``side``
knee_flexion_deg   180° − angle hip–knee–ankle, unsigned           knee bent (only
                                                                   meaningful side-on)
=================  ==============================================  ======================
"""

from __future__ import annotations

import numpy as np

from hipfirst.knowledge.vocabulary import SIDES, Side, other_side
from hipfirst.video.landmarks import ANKLE, HIP, KNEE, Landmark
from hipfirst.video.types import BoolArray, FloatArray, angle_key


def _cross(a: FloatArray, b: FloatArray) -> FloatArray:
    return np.asarray(a[..., 0] * b[..., 1] - a[..., 1] * b[..., 0], dtype=np.float64)


def _dot(a: FloatArray, b: FloatArray) -> FloatArray:
    return np.asarray(np.sum(a * b, axis=-1), dtype=np.float64)


def _unit(vectors: FloatArray) -> FloatArray:
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.asarray(vectors / np.linalg.norm(vectors, axis=-1, keepdims=True))


def bend_angle(hip: FloatArray, knee: FloatArray, ankle: FloatArray) -> FloatArray:
    """Unsigned 180° − included angle at the knee, in degrees (0 = straight leg)."""
    thigh = knee - hip
    shank = ankle - knee
    return np.asarray(np.degrees(np.abs(np.arctan2(_cross(thigh, shank), _dot(thigh, shank)))))


def medial_direction(xy: FloatArray, side: Side) -> FloatArray:
    """Unit vector from this side's hip towards the other hip, per frame ``(n, 2)``."""
    return _unit(xy[:, HIP[other_side(side)]] - xy[:, HIP[side]])


def fppa(xy: FloatArray, side: Side) -> FloatArray:
    """Frontal plane projection angle of one leg; valgus (knee medial) positive."""
    hip, knee, ankle = xy[:, HIP[side]], xy[:, KNEE[side]], xy[:, ANKLE[side]]
    magnitude = bend_angle(hip, knee, ankle)
    line = _unit(ankle - hip)
    offset = (knee - hip) - line * _dot(knee - hip, line)[:, None]
    sign = np.sign(_dot(offset, medial_direction(xy, side)))
    sign = np.where(sign == 0, 1.0, sign)
    return np.asarray(magnitude * sign)


def body_down(xy: FloatArray) -> FloatArray:
    """Unit vector from mid-shoulder to mid-hip (image down where shoulders are missing)."""
    shoulders = (xy[:, Landmark.LEFT_SHOULDER] + xy[:, Landmark.RIGHT_SHOULDER]) / 2.0
    hips = (xy[:, Landmark.LEFT_HIP] + xy[:, Landmark.RIGHT_HIP]) / 2.0
    down = _unit(hips - shoulders)
    missing = ~np.all(np.isfinite(down), axis=1)
    down[missing] = (0.0, 1.0)
    return down


def hip_adduction(xy: FloatArray, side: Side) -> FloatArray:
    """Femur against the pelvis perpendicular; adduction (knee towards midline) positive."""
    medial = medial_direction(xy, side)
    perpendicular = np.stack([-medial[:, 1], medial[:, 0]], axis=1)
    flip = np.sign(_dot(perpendicular, body_down(xy)))
    perpendicular = perpendicular * np.where(flip == 0, 1.0, flip)[:, None]
    femur = xy[:, KNEE[side]] - xy[:, HIP[side]]
    return np.asarray(np.degrees(np.arctan2(_dot(femur, medial), _dot(femur, perpendicular))))


def pelvic_obliquity(xy: FloatArray, stance: Side) -> FloatArray:
    """Pelvis line against image horizontal; positive when the other side's hip is lower."""
    stance_hip = xy[:, HIP[stance]]
    other_hip = xy[:, HIP[other_side(stance)]]
    dx = np.abs(other_hip[:, 0] - stance_hip[:, 0])
    dy = other_hip[:, 1] - stance_hip[:, 1]  # y grows downwards: positive = other hip lower
    return np.asarray(np.degrees(np.arctan2(dy, dx)))


def pelvic_drop(xy: FloatArray, stance: Side, baseline_deg: float | None = None) -> FloatArray:
    """Contralateral pelvic drop for this stance leg, relative to the standing baseline."""
    obliquity = pelvic_obliquity(xy, stance)
    return obliquity if baseline_deg is None else obliquity - baseline_deg


def trunk_lean(xy: FloatArray, side: Side) -> FloatArray:
    """Trunk (mid-hip→mid-shoulder) against image vertical; lean towards ``side`` positive."""
    shoulders = (xy[:, Landmark.LEFT_SHOULDER] + xy[:, Landmark.RIGHT_SHOULDER]) / 2.0
    hips = (xy[:, Landmark.LEFT_HIP] + xy[:, Landmark.RIGHT_HIP]) / 2.0
    trunk = shoulders - hips
    towards = np.sign(xy[:, HIP[side], 0] - xy[:, HIP[other_side(side)], 0])
    return np.asarray(np.degrees(np.arctan2(trunk[:, 0] * towards, -trunk[:, 1])))


def knee_flexion(xy: FloatArray, side: Side) -> FloatArray:
    """2D knee bend, unsigned; a true flexion angle only in a side-on view."""
    return bend_angle(xy[:, HIP[side]], xy[:, KNEE[side]], xy[:, ANKLE[side]])


def all_angles(
    xy: FloatArray, pelvis_baseline_deg: dict[Side, float] | None = None
) -> dict[str, FloatArray]:
    """Every metric for both sides, keyed by :func:`hipfirst.video.types.angle_key`."""
    baseline = pelvis_baseline_deg or {}
    angles: dict[str, FloatArray] = {}
    for side in SIDES:
        angles[angle_key("fppa_deg", side)] = fppa(xy, side)
        angles[angle_key("hip_adduction_deg", side)] = hip_adduction(xy, side)
        angles[angle_key("pelvic_drop_deg", side)] = pelvic_drop(xy, side, baseline.get(side))
        angles[angle_key("trunk_lean_deg", side)] = trunk_lean(xy, side)
        angles[angle_key("knee_flexion_deg", side)] = knee_flexion(xy, side)
    return angles


def drift_deg(values: FloatArray) -> float:
    """How far a run of values moved: median of its last third minus its first third."""
    third = max(1, values.size // 3)
    return float(np.median(values[-third:]) - np.median(values[:third]))


def pelvis_baseline(
    xy: FloatArray, level: BoolArray, max_drift_deg: float | None = None
) -> dict[Side, float]:
    """Median pelvic obliquity of each stance side over the level-standing frames ``level``.

    Empty when no frame is level, or when the obliquity drifts by more than
    ``max_drift_deg`` within a run of level frames (:func:`drift_deg`: the person was
    already moving, so those frames are no resting posture to read the drop against).
    Pelvic drop is then read against the (roll-corrected) horizontal (see
    :func:`pelvic_drop`).
    """
    if not level.any():
        return {}
    result: dict[Side, float] = {}
    for side in SIDES:
        obliquity = pelvic_obliquity(xy, side)
        if max_drift_deg is not None:
            for first, last in _runs(level):
                values = obliquity[first : last + 1]
                values = values[np.isfinite(values)]
                if values.size >= 3 and abs(drift_deg(values)) > max_drift_deg:
                    return {}
        values = obliquity[level]
        values = values[np.isfinite(values)]
        if values.size:
            result[side] = float(np.median(values))
    return result


def _runs(mask: BoolArray) -> list[tuple[int, int]]:
    padded = np.concatenate(([False], np.asarray(mask, dtype=bool), [False])).astype(np.int8)
    edges = np.flatnonzero(np.diff(padded))
    return [(int(edges[k]), int(edges[k + 1]) - 1) for k in range(0, edges.size, 2)]
