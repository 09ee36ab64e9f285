"""The mannequin's fixed proportions and the shapes of its parts.

A body of 1.75 m with segment lengths after Winter's anthropometric table
(Winter DA, *Biomechanics and Motor Control of Human Movement*, 4th ed. 2009,
fig. 4.1, after Drillis & Contini 1966): thigh 0.245 H, shank 0.246 H, ankle height
0.039 H, hip joint at 0.530 H, shoulder at 0.818 H, upper arm 0.186 H, forearm
0.146 H, hand 0.108 H. These are drawing proportions, not clinical numbers.

Every part is the convex hull of a few spheres given in its segment's frame
(metres; x = anterior, y = the body's left, z = proximal/up, origin at the
proximal joint). Orthographic projection maps a sphere to a circle of the same
radius, so the drawing of a part is exactly the convex hull of its circles.
"""

from __future__ import annotations

from dataclasses import dataclass

from hipfirst.knowledge.illustration_schema import Side

HEIGHT_M = 1.75
THIGH_M = 0.245 * HEIGHT_M
SHANK_M = 0.246 * HEIGHT_M
ANKLE_HEIGHT_M = 0.039 * HEIGHT_M
UPPER_ARM_M = 0.186 * HEIGHT_M
FOREARM_M = 0.146 * HEIGHT_M
HAND_M = 0.108 * HEIGHT_M
HIP_HALF_WIDTH_M = 0.085
"""Half the distance between the hip joint centres."""
LUMBAR_Z_M = 0.10
"""The lumbar joint (where the trunk bends) above the hip centres, in the pelvis frame."""
SHOULDER_IN_THORAX_M = (-0.01, 0.19, 0.40)
"""Left shoulder joint in the thorax frame (the right one mirrors y); 0.10 + 0.40 m above
the hip centres = 0.818 H − 0.530 H."""
NECK_BASE_IN_THORAX_M = (-0.015, 0.0, 0.44)
NECK_M = 0.10
FOOT_SOLE_Z_M = -ANKLE_HEIGHT_M
"""The sole below the ankle joint in the foot frame (the foot frame's origin is the ankle)."""

Sphere = tuple[tuple[float, float, float], float]
"""(centre in the segment frame, radius), metres."""


@dataclass(frozen=True)
class PartShape:
    """One drawn part: the segment frame it rides on and its spheres."""

    name: str
    segment: str
    spheres: tuple[Sphere, ...]
    side: Side | None = None
    limb: bool = False
    """Shaded as a cylinder along its first and last sphere (limbs), else as a ball."""


def _mirror(spheres: tuple[Sphere, ...], side: Side) -> tuple[Sphere, ...]:
    """The left side's spheres for ``side`` (the right side mirrors y)."""
    if side == "left":
        return spheres
    return tuple(((x, -y, z), radius) for (x, y, z), radius in spheres)


PELVIS: tuple[Sphere, ...] = (
    ((0.0, 0.085, 0.0), 0.085),
    ((0.0, -0.085, 0.0), 0.085),
    ((-0.05, 0.06, -0.02), 0.085),
    ((-0.05, -0.06, -0.02), 0.085),
    ((0.02, 0.09, 0.09), 0.07),
    ((0.02, -0.09, 0.09), 0.07),
    ((0.05, 0.0, 0.06), 0.07),
)
THORAX: tuple[Sphere, ...] = (
    ((0.0, 0.06, 0.04), 0.078),
    ((0.0, -0.06, 0.04), 0.078),
    ((0.025, 0.07, 0.24), 0.11),
    ((0.025, -0.07, 0.24), 0.11),
    ((-0.03, 0.10, 0.30), 0.09),
    ((-0.03, -0.10, 0.30), 0.09),
    ((-0.01, 0.15, 0.39), 0.06),
    ((-0.01, -0.15, 0.39), 0.06),
)
NECK: tuple[Sphere, ...] = (((0.0, 0.0, 0.0), 0.05), ((0.01, 0.0, NECK_M), 0.045))
HEAD: tuple[Sphere, ...] = (
    ((0.02, 0.0, 0.19), 0.10),
    ((0.065, 0.0, 0.115), 0.06),
    ((0.118, 0.0, 0.158), 0.016),
)
THIGH: tuple[Sphere, ...] = (
    ((0.0, 0.0, 0.0), 0.08),
    ((0.012, 0.0, -0.20), 0.07),
    ((0.0, 0.0, -THIGH_M), 0.05),
)
SHANK: tuple[Sphere, ...] = (
    ((0.0, 0.0, 0.0), 0.05),
    ((-0.018, 0.0, -0.12), 0.052),
    ((0.0, 0.0, -SHANK_M), 0.031),
)
FOOT: tuple[Sphere, ...] = (
    ((-0.045, 0.0, FOOT_SOLE_Z_M + 0.032), 0.032),
    ((0.0, 0.0, 0.0), 0.033),
    ((0.135, -0.022, FOOT_SOLE_Z_M + 0.021), 0.021),
    ((0.125, 0.022, FOOT_SOLE_Z_M + 0.019), 0.019),
    ((0.185, 0.0, FOOT_SOLE_Z_M + 0.015), 0.015),
)
"""Left foot: heel, ankle, ball of the big toe (medial, −y), little-toe ball, toe tip."""
UPPER_ARM: tuple[Sphere, ...] = (
    ((0.0, 0.0, 0.0), 0.05),
    ((0.0, 0.0, -0.12), 0.046),
    ((0.0, 0.0, -UPPER_ARM_M), 0.036),
)
FOREARM: tuple[Sphere, ...] = (
    ((0.0, 0.0, 0.0), 0.036),
    ((0.0, 0.0, -0.07), 0.038),
    ((0.0, 0.0, -FOREARM_M), 0.024),
)
HAND: tuple[Sphere, ...] = (
    ((0.0, 0.0, 0.0), 0.024),
    ((0.0, 0.0, -0.07), 0.033),
    ((0.0, 0.0, -HAND_M * 0.85), 0.017),
)
HEEL_IN_FOOT = (-0.06, 0.0, FOOT_SOLE_Z_M)
TOES_IN_FOOT = (0.2, 0.0, FOOT_SOLE_Z_M)
FOOT_CENTRE_IN_FOOT = (0.07, 0.0, FOOT_SOLE_Z_M / 2)
PALM_IN_HAND = HAND[1][0]
HEAD_CENTRE_IN_HEAD = HEAD[0][0]
CHEST_IN_THORAX = (0.0, 0.0, 0.24)
"""The named body points that are not joints, in their segment's frame (see
:func:`hipfirst.core.figures.kinematics.point`)."""

JOINT_BALLS: dict[str, float] = {
    "shoulder": 0.05,
    "elbow": 0.035,
    "wrist": 0.024,
    "hip": 0.07,
    "knee": 0.048,
    "ankle": 0.031,
}
"""Radius of the ball drawn at each limb joint (a mannequin's ball joints)."""


def part_shapes() -> tuple[PartShape, ...]:
    """Every drawn part of the mannequin (both sides)."""
    parts = [
        PartShape("pelvis", "pelvis", PELVIS),
        PartShape("thorax", "thorax", THORAX),
        PartShape("neck", "head", NECK),
        PartShape("head", "head", HEAD),
    ]
    side: Side
    for side in ("left", "right"):
        for name, shape, limb in (
            ("thigh", THIGH, True),
            ("shank", SHANK, True),
            ("foot", FOOT, False),
            ("upper_arm", UPPER_ARM, True),
            ("forearm", FOREARM, True),
            ("hand", HAND, False),
        ):
            parts.append(
                PartShape(f"{side}_{name}", f"{side}_{name}", _mirror(shape, side), side, limb)
            )
    return tuple(parts)


PARTS = part_shapes()
