"""Forward kinematics: joint angles of a :class:`~hipfirst.knowledge.illustration_schema.Pose`
to the frame of every body segment, in metres, room axes x = the posture's forward,
y = its left, z = up, with the pelvis centre at the origin.

Each segment frame has its columns as the segment's own axes in the room (x anterior,
y the body's left, z proximal). A child frame is the parent's rotated by the joint's
angles in the order and with the signs documented in the illustration schema
(intrinsic rotations, like the ISB joint coordinate systems), so a knee flexion of 90°
puts the shank at right angles to the thigh, backward.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from hipfirst.core.figures import body
from hipfirst.knowledge.illustration_schema import BodyPoint, Pose, Posture, Side

Vector = NDArray[np.float64]
Matrix = NDArray[np.float64]
SIDES: tuple[Side, Side] = ("left", "right")


def rot_x(degrees: float) -> Matrix:
    """Right-handed rotation about x: +y turns toward +z."""
    c, s = math.cos(math.radians(degrees)), math.sin(math.radians(degrees))
    return np.array([[1.0, 0.0, 0.0], [0.0, c, -s], [0.0, s, c]])


def rot_y(degrees: float) -> Matrix:
    """Right-handed rotation about y: +z turns toward +x."""
    c, s = math.cos(math.radians(degrees)), math.sin(math.radians(degrees))
    return np.array([[c, 0.0, s], [0.0, 1.0, 0.0], [-s, 0.0, c]])


def rot_z(degrees: float) -> Matrix:
    """Right-handed rotation about z: +x turns toward +y."""
    c, s = math.cos(math.radians(degrees)), math.sin(math.radians(degrees))
    return np.array([[c, -s, 0.0], [s, c, 0.0], [0.0, 0.0, 1.0]])


POSTURE_BASE: dict[Posture, Matrix] = {
    "standing": np.eye(3),
    "kneeling": np.eye(3),
    "half_kneeling": np.eye(3),
    "sitting": np.eye(3),
    "supine": rot_y(-90),  # fallen backward: head toward −x, face up
    "prone": rot_y(90),  # fallen forward: head toward +x, face down
    "quadruped": rot_y(90),
    "side_lying_left": rot_x(-90),  # left side down, head toward +y
    "side_lying_right": rot_x(90),  # right side down, head toward −y
}
"""The pelvis orientation of each posture before any angle: columns = body axes in the room."""


@dataclass(frozen=True)
class Frame:
    """A segment's origin (its proximal joint) and axes in the room."""

    origin: Vector
    axes: Matrix

    def at(self, local: tuple[float, float, float]) -> Vector:
        """A point given in this segment's frame, in room coordinates."""
        return self.origin + self.axes @ np.asarray(local, dtype=np.float64)

    def child(self, local: tuple[float, float, float], rotation: Matrix) -> Frame:
        return Frame(self.at(local), self.axes @ rotation)


@dataclass(frozen=True)
class Skeleton:
    """Every segment frame of one pose; ``segments`` keyed like ``left_thigh``."""

    segments: dict[str, Frame]

    def moved(self, offset: Vector) -> Skeleton:
        return Skeleton({k: Frame(f.origin + offset, f.axes) for k, f in self.segments.items()})

    def joint(self, name: str) -> Vector:
        """Joint centre: ``left_knee`` is the origin of the left shank's frame, and so on."""
        side, _, joint = name.partition("_")
        if name == "pelvis":
            return self.segments["pelvis"].origin
        child = {
            "hip": "thigh",
            "knee": "shank",
            "ankle": "foot",
            "shoulder": "upper_arm",
            "elbow": "forearm",
            "wrist": "hand",
        }[joint]
        return self.segments[f"{side}_{child}"].origin


JOINTS: tuple[str, ...] = tuple(
    f"{side}_{joint}"
    for side in SIDES
    for joint in ("shoulder", "elbow", "wrist", "hip", "knee", "ankle")
)
"""The limb joints drawn as balls (and emitted with their positions)."""


def solve(pose: Pose, posture: Posture) -> Skeleton:
    """The segment frames of ``pose`` with the pelvis centre at the origin."""
    a = pose.angles()
    pelvis = Frame(
        np.zeros(3),
        POSTURE_BASE[posture]
        @ rot_z(a["pelvis_rotation"])
        @ rot_y(a["pelvis_tilt"])
        @ rot_x(a["pelvis_obliquity"]),
    )
    thorax = pelvis.child(
        (0.0, 0.0, body.LUMBAR_Z_M),
        rot_y(a["trunk_flexion"]) @ rot_x(-a["trunk_side_bend"]) @ rot_z(a["trunk_rotation"]),
    )
    head = thorax.child(
        body.NECK_BASE_IN_THORAX_M, rot_y(a["neck_flexion"]) @ rot_z(a["neck_rotation"])
    )
    segments = {"pelvis": pelvis, "thorax": thorax, "head": head}
    for side in SIDES:
        mirror = 1.0 if side == "left" else -1.0

        def angle(name: str, side: Side = side) -> float:
            return a[f"{side}_{name}"]

        thigh = pelvis.child(
            (0.0, mirror * body.HIP_HALF_WIDTH_M, 0.0),
            rot_y(-angle("hip_flexion"))
            @ rot_x(mirror * angle("hip_abduction"))
            @ rot_z(mirror * angle("hip_rotation")),
        )
        shank = thigh.child((0.0, 0.0, -body.THIGH_M), rot_y(angle("knee_flexion")))
        foot = shank.child((0.0, 0.0, -body.SHANK_M), rot_y(-angle("ankle_dorsiflexion")))
        x, y, z = body.SHOULDER_IN_THORAX_M
        upper_arm = thorax.child(
            (x, mirror * y, z),
            rot_y(-angle("shoulder_flexion"))
            @ rot_x(mirror * angle("shoulder_abduction"))
            @ rot_z(mirror * angle("shoulder_rotation")),
        )
        forearm = upper_arm.child(
            (0.0, 0.0, -body.UPPER_ARM_M),
            rot_y(-angle("elbow_flexion")) @ rot_z(-mirror * angle("forearm_pronation")),
        )
        hand = forearm.child((0.0, 0.0, -body.FOREARM_M), rot_x(mirror * angle("wrist_extension")))
        segments |= {
            f"{side}_thigh": thigh,
            f"{side}_shank": shank,
            f"{side}_foot": foot,
            f"{side}_upper_arm": upper_arm,
            f"{side}_forearm": forearm,
            f"{side}_hand": hand,
        }
    return Skeleton(segments)


def part_spheres(skeleton: Skeleton) -> dict[str, list[tuple[Vector, float]]]:
    """Every drawn part as its spheres in room coordinates (centre, radius)."""
    spheres: dict[str, list[tuple[Vector, float]]] = {}
    for part in body.PARTS:
        frame = skeleton.segments[part.segment]
        spheres[part.name] = [(frame.at(centre), radius) for centre, radius in part.spheres]
    return spheres


def point(skeleton: Skeleton, name: BodyPoint) -> Vector:
    """The room position of a named body point (a joint, or a part's centre)."""
    side, _, rest = name.partition("_")
    if name == "head":
        return skeleton.segments["head"].at(body.HEAD_CENTRE_IN_HEAD)
    if name == "chest":
        return skeleton.segments["thorax"].at(body.CHEST_IN_THORAX)
    if name == "pelvis":
        return skeleton.segments["pelvis"].origin
    if rest == "hand":
        return skeleton.segments[f"{side}_hand"].at(body.PALM_IN_HAND)
    if rest in ("foot", "heel", "toes"):
        foot = skeleton.segments[f"{side}_foot"]
        local = {"foot": body.FOOT_CENTRE_IN_FOOT, "heel": body.HEEL_IN_FOOT}
        return foot.at(local.get(rest, body.TOES_IN_FOOT))
    return skeleton.joint(name)


def part_of(name: BodyPoint) -> str:
    """The drawn part a body point belongs to (the part a support sits under)."""
    side, _, rest = name.partition("_")
    if name == "head":
        return "head"
    if name == "pelvis" or rest == "hip":
        return "pelvis"
    if name == "chest":
        return "thorax"
    return (
        f"{side}_"
        + {
            "shoulder": "upper_arm",
            "elbow": "forearm",
            "wrist": "hand",
            "hand": "hand",
            "knee": "shank",
            "ankle": "foot",
            "heel": "foot",
            "toes": "foot",
            "foot": "foot",
        }[rest]
    )


CONTACT_SPHERES: dict[str, slice] = {
    "shoulder": slice(0, 1),
    "elbow": slice(0, 1),
    "wrist": slice(0, 1),
    "knee": slice(0, 1),
    "ankle": slice(1, 2),
    "heel": slice(0, 1),
    "toes": slice(2, 5),
}
"""Which spheres of the part touch for a contact on a joint, the heel or the toes (the
knee's: the top of the shank); hands, feet, head, chest and pelvis touch with all."""


def contact_spheres(
    spheres: dict[str, list[tuple[Vector, float]]], name: BodyPoint
) -> list[tuple[Vector, float]]:
    """The spheres whose lowest point a contact on ``name`` puts on its surface."""
    part = spheres[part_of(name)]
    rest = name.partition("_")[2]
    chosen = CONTACT_SPHERES.get(rest)
    return part if chosen is None or rest == "hip" else part[chosen]


def lowest(spheres: list[tuple[Vector, float]]) -> float:
    """The lowest z of a set of spheres (their surface, not their centres)."""
    return min(float(centre[2]) - radius for centre, radius in spheres)


def interpolate(start: Pose, end: Pose, fraction: float) -> Pose:
    """The pose a ``fraction`` (0–1) of the way from start to end, angle by angle."""
    a, b = start.angles(), end.angles()
    mixed = {name: a[name] + (b[name] - a[name]) * fraction for name in a}
    return start.model_copy(update=mixed)
