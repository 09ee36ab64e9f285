"""An illustration as a 3D scene: both poses placed in the room, the camera, the props
and the arrow paths. Pure geometry (metres); :mod:`hipfirst.core.figures.svg` draws it.

Placement (see the illustration schema): each pose is lifted so the lowest point of its
first contact touches its surface; the start pose's ``anchor`` point stands over the
room's origin and the end pose's over ``end_shift``. A support whose height is not given
reaches up to the lowest point of the part it is under, in the end pose.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from hipfirst.core.figures import body
from hipfirst.core.figures import kinematics as kin
from hipfirst.core.figures.kinematics import Matrix, Skeleton, Vector
from hipfirst.core.figures.shapes import Blob, Shape
from hipfirst.errors import KnowledgeBaseError
from hipfirst.knowledge.illustration_schema import (
    Contact,
    Illustration,
    Pose,
    Support,
    Towel,
    View,
    Where,
)

VIEW_AXIS: dict[View, tuple[float, float, float]] = {
    "front": (1.0, 0.0, 0.0),
    "back": (-1.0, 0.0, 0.0),
    "left": (0.0, 1.0, 0.0),
    "right": (0.0, -1.0, 0.0),
    "head": (0.0, 0.0, 1.0),
    "feet": (0.0, 0.0, -1.0),
}
"""Each view's direction from the body toward the camera, in the body's base axes."""
SUPPORT_SIZE_M: dict[str, tuple[float, float]] = {
    "step": (0.36, 0.7),
    "box": (0.45, 0.5),
    "bench": (0.45, 1.1),
}
"""(depth, width) of a support when the illustration does not give them."""
TOWEL_RADIUS_M = 0.05
TRUNK_DEPTH_BIAS_M = 0.06
"""Sort the trunk this much further away, so an arm hanging beside it is drawn over it."""
ARROW_SAMPLES = 25


@dataclass(frozen=True)
class Camera:
    """Orthographic camera: image ``right`` and ``up`` and the viewing direction ``ahead``
    (from the camera into the scene), unit vectors in room coordinates."""

    right: Vector
    up: Vector
    ahead: Vector

    def project(self, point: Vector) -> tuple[float, float]:
        """Image coordinates in metres (x to the right, y up)."""
        return float(point @ self.right), float(point @ self.up)


def camera_for(illustration: Illustration) -> Camera:
    """The camera of ``view``, turned by ``azimuth`` and raised by ``elevation``."""
    toward = kin.POSTURE_BASE[illustration.posture] @ np.array(VIEW_AXIS[illustration.view])
    toward = kin.rot_z(illustration.azimuth) @ toward
    level = toward - np.array([0.0, 0.0, toward[2]])
    level = level / np.linalg.norm(level)
    rise = math.radians(illustration.elevation)
    toward = level * math.cos(rise) + np.array([0.0, 0.0, math.sin(rise)])
    ahead = -toward
    right = np.cross(ahead, np.array([0.0, 0.0, 1.0]))
    right = right / np.linalg.norm(right)
    return Camera(right=right, up=np.cross(right, ahead), ahead=ahead)


@dataclass(frozen=True)
class PlacedPose:
    """One pose in the room: its skeleton (moved into place) and its part spheres."""

    pose: Pose
    skeleton: Skeleton
    spheres: dict[str, list[tuple[Vector, float]]]
    offset: Vector
    """Where the pelvis centre went (the move from the pelvis-at-origin solution)."""


@dataclass(frozen=True)
class Scene:
    """Everything to draw, in room coordinates."""

    illustration: Illustration
    camera: Camera
    start: PlacedPose
    end: PlacedPose
    support_tops: dict[str, float]
    """Top height of each support (step, box, bench, towel) by kind."""
    arrow_paths: list[Matrix]
    """One n×3 path per arrow: the arrow's body point from start to end."""


def _place(pose: Pose, illustration: Illustration, offset_xy: Vector, surface: float) -> PlacedPose:
    skeleton = kin.solve(pose, illustration.posture)
    spheres = kin.part_spheres(skeleton)
    first = pose.contacts[0]
    lift = surface - kin.lowest(kin.contact_spheres(spheres, first.part))
    offset = np.array([offset_xy[0], offset_xy[1], lift])
    return _moved(pose, skeleton, offset)


def _moved(pose: Pose, skeleton: Skeleton, offset: Vector) -> PlacedPose:
    moved = skeleton.moved(offset)
    return PlacedPose(pose, moved, kin.part_spheres(moved), offset)


def _anchor_xy(pose: Pose, illustration: Illustration) -> Vector:
    skeleton = kin.solve(pose, illustration.posture)
    return kin.point(skeleton, illustration.anchor)[:2]


def _shift(illustration: Illustration) -> Vector:
    shift = illustration.end_shift
    base = kin.POSTURE_BASE[illustration.posture]
    moved = base @ np.array([shift.forward, shift.left, shift.headward])
    return np.asarray(moved[:2], dtype=np.float64)


def surface_height(contact: Contact, tops: dict[str, float]) -> float:
    return 0.0 if contact.on == "floor" else tops[contact.on]


def build_scene(illustration: Illustration) -> Scene:
    """Place both poses, size the supports, trace the arrows."""
    tops: dict[str, float] = {
        p.kind: p.height for p in illustration.equipment if isinstance(p, Support) and p.height
    }
    end_xy = _shift(illustration) - _anchor_xy(illustration.end, illustration)
    end = _place(
        illustration.end, illustration, end_xy, surface_height(illustration.end.contacts[0], tops)
    )
    for prop in illustration.equipment:
        if isinstance(prop, Support) and prop.height is None:
            tops[prop.kind] = kin.lowest(kin.contact_spheres(end.spheres, prop.under))
        if isinstance(prop, Towel):
            tops["towel"] = 2 * TOWEL_RADIUS_M
    start_xy = -_anchor_xy(illustration.start, illustration)
    start = _place(
        illustration.start,
        illustration,
        start_xy,
        surface_height(illustration.start.contacts[0], tops),
    )
    paths = [
        _path(illustration, start, end, arrow.part, arrow.arc) for arrow in illustration.arrows
    ]
    return Scene(illustration, camera_for(illustration), start, end, tops, paths)


def _path(
    illustration: Illustration, start: PlacedPose, end: PlacedPose, part: str, arc: float
) -> Matrix:
    points = []
    for i in range(ARROW_SAMPLES):
        fraction = i / (ARROW_SAMPLES - 1)
        pose = kin.interpolate(start.pose, end.pose, fraction)
        offset = start.offset + (end.offset - start.offset) * fraction
        skeleton = kin.solve(pose, illustration.posture).moved(offset)
        lift = np.array([0.0, 0.0, arc * math.sin(math.pi * fraction)])
        points.append(kin.point(skeleton, part) + lift)  # type: ignore[arg-type]
    path = np.array(points)
    if float(np.linalg.norm(path[-1] - path[0])) < 0.01:
        raise KnowledgeBaseError(
            f"illustration {illustration.id}: the arrow's part {part!r} moves less than 1 cm "
            "from start to end; follow a part that moves"
        )
    return path


def body_blobs(placed: PlacedPose, pose_name: str, camera: Camera) -> list[Shape]:
    """The mannequin's parts and ball joints; the limbs of the far side styled ``far``."""
    near_side = _near_side(placed, camera)
    shapes: list[Shape] = []
    for part in body.PARTS:
        far = near_side is not None and part.side not in (None, near_side)
        style = "far" if far else "body"
        bias = TRUNK_DEPTH_BIAS_M if part.name in ("thorax", "pelvis") else 0.0
        data = {"pose": pose_name}
        shapes.append(Blob(part.name, placed.spheres[part.name], style, part.limb, data, bias))
    for joint in kin.JOINTS:
        side, _, kind = joint.partition("_")
        style = "far_joint" if near_side not in (None, side) else "joint"
        centre = placed.skeleton.joint(joint)
        data = {"pose": pose_name, "joint": joint}
        shapes.append(Blob(f"{joint}_ball", [(centre, body.JOINT_BALLS[kind])], style, False, data))
    return shapes


def _near_side(placed: PlacedPose, camera: Camera) -> str | None:
    """The side nearer the camera (None when both are about equally near, as from the front)."""
    depth = {
        side: float(
            np.mean(
                [placed.skeleton.joint(f"{side}_{j}") @ camera.ahead for j in ("hip", "shoulder")]
            )
        )
        for side in kin.SIDES
    }
    if abs(depth["left"] - depth["right"]) < 0.05:
        return None
    return "left" if depth["left"] < depth["right"] else "right"


def horizontal(scene: Scene, where: Where) -> Vector:
    """The unit horizontal vector of ``where`` in the posture's base (room axes)."""
    base = kin.POSTURE_BASE[scene.illustration.posture]
    local = {
        "in_front": (1.0, 0.0, 0.0),
        "behind": (-1.0, 0.0, 0.0),
        "left": (0.0, 1.0, 0.0),
        "right": (0.0, -1.0, 0.0),
    }[where]
    axis = base @ np.array(local)
    axis[2] = 0.0
    norm = float(np.linalg.norm(axis))
    if norm < 1e-6:  # vertical in this posture: fall back on the head direction
        axis = base @ np.array([0.0, 0.0, 1.0 if where in ("in_front", "left") else -1.0])
        axis[2] = 0.0
        norm = float(np.linalg.norm(axis))
    unit: Vector = axis / norm
    return unit
