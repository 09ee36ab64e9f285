"""Props that move with the body, drawn with each pose: elastic bands (their loop split
into the half behind the legs, drawn under them, and the half in front, drawn over),
dumbbells and kettlebells in the hands or across the hips, a cable's line to its hook,
and the leg-press sled at the soles.
"""

from __future__ import annotations

import math

import numpy as np

from hipfirst.core.figures import kinematics as kin
from hipfirst.core.figures.body import FOOT_SOLE_Z_M, THIGH_M
from hipfirst.core.figures.kinematics import Matrix, Vector
from hipfirst.core.figures.scene import PlacedPose, Scene, horizontal
from hipfirst.core.figures.shapes import Blob, Placed, Shape, Slab, Strand, hull_2d, oriented_box
from hipfirst.knowledge.illustration_schema import (
    AnchoredBand,
    Band,
    Cable,
    FloorProp,
    Prop,
    Weight,
)

BAND_LEVEL: dict[str, tuple[str, tuple[float, float, float], float]] = {
    "thighs": ("thigh", (0.012, 0.0, -0.5 * THIGH_M), 0.074),
    "knees": ("thigh", (0.008, 0.0, -0.84 * THIGH_M), 0.06),
    "ankles": ("shank", (0.0, 0.0, -0.40), 0.038),
    "forefeet": ("foot", (0.12, 0.0, FOOT_SOLE_Z_M + 0.025), 0.034),
}
"""Where a band's loop goes round each leg: segment, point in its frame, loop radius (m)."""
BAND_WIDTH_M = 0.022
LOOP_SAMPLES = 48


def band_loop(circles: list[tuple[Vector, float]], normal: Vector) -> Matrix:
    """A closed loop hugging the circles (centre, radius) in the plane of ``normal``."""
    normal = normal / np.linalg.norm(normal)
    helper = np.array([0.0, 0.0, 1.0]) if abs(normal[2]) < 0.9 else np.array([1.0, 0.0, 0.0])
    u = np.cross(normal, helper)
    u /= np.linalg.norm(u)
    w = np.cross(normal, u)
    middle = np.mean([centre for centre, _ in circles], axis=0)
    flat = []
    for centre, radius in circles:
        cu, cw = (centre - middle) @ u, (centre - middle) @ w
        for i in range(LOOP_SAMPLES):
            angle = 2 * math.pi * i / LOOP_SAMPLES
            flat.append((cu + radius * math.cos(angle), cw + radius * math.sin(angle)))
    hull = hull_2d(np.array(flat))
    return np.array([middle + u * a + w * b for a, b in hull])


def _split_loop(loop: Matrix, ahead: Vector, pivot: float) -> tuple[list[Matrix], list[Matrix]]:
    """Runs of the loop behind and in front of the depth ``pivot``."""
    behind: list[Matrix] = []
    front: list[Matrix] = []
    count = len(loop)
    flags = [float(p @ ahead) > pivot for p in loop]
    start = next((i for i in range(count) if flags[i] != flags[i - 1]), 0)
    run = [loop[start]]
    for step in range(1, count + 1):
        i = (start + step) % count
        if flags[i] != flags[(i - 1) % count]:
            run.append(loop[i])
            (behind if flags[(i - 1) % count] else front).append(np.array(run))
            run = [loop[i]]
        else:
            run.append(loop[i])
    if len(run) > 1:
        (behind if flags[start - 1] else front).append(np.array(run))
    return behind, front


def _band(prop: Band, placed: PlacedPose, name: str, scene: Scene) -> list[Placed]:
    segment, local, radius = BAND_LEVEL[prop.at]
    circles = []
    normals = []
    for side in kin.SIDES:
        frame = placed.skeleton.segments[f"{side}_{segment}"]
        circles.append((frame.at(local), radius))
        normals.append(frame.axes[:, 0] if segment == "foot" else frame.axes[:, 2])
    loop = band_loop(circles, normals[0] + normals[1])
    ahead = scene.camera.ahead
    pivot = float(np.mean([c @ ahead for c, _ in circles]))
    behind, front = _split_loop(loop, ahead, pivot)
    data = {"equipment": "band", "at": prop.at, "pose": name}
    shapes = [
        Placed(Strand("band", run, BAND_WIDTH_M, "band", False, data), "under", name)
        for run in behind
    ]
    shapes += [
        Placed(Strand("band", run, BAND_WIDTH_M, "band", False, data), "over", name)
        for run in front
    ]
    return shapes


def _anchored_band(prop: AnchoredBand, placed: PlacedPose, name: str, scene: Scene) -> list[Placed]:
    sides = kin.SIDES if prop.at == "knees" else (prop.at.partition("_")[0],)
    toward = horizontal(scene, prop.toward)
    knees = [
        placed.skeleton.segments[f"{side}_thigh"].at((0.0, 0.0, -0.9 * THIGH_M)) for side in sides
    ]
    end_knees = [
        scene.end.skeleton.segments[f"{s}_thigh"].at((0.0, 0.0, -0.9 * THIGH_M)) for s in sides
    ]
    middle = np.mean(end_knees, axis=0)
    post = np.array([middle[0], middle[1], 0.0]) + toward * prop.distance
    tie = post + np.array([0.0, 0.0, float(middle[2])])
    data = {"equipment": "anchored_band", "at": prop.at, "pose": name}
    out = []
    for knee in knees:
        back = knee - toward * 0.055
        out.append(
            Placed(
                Strand("band", np.array([tie, back]), BAND_WIDTH_M, "band", False, data),
                "under",
                name,
            )
        )
        loop = band_loop([(knee, 0.058)], placed.skeleton.segments[f"{sides[0]}_thigh"].axes[:, 2])
        _, front = _split_loop(loop, scene.camera.ahead, float(knee @ scene.camera.ahead))
        out += [
            Placed(Strand("band", run, BAND_WIDTH_M, "band", False, data), "over", name)
            for run in front
        ]
    return out


def _weight(prop: Weight, placed: PlacedPose, name: str) -> list[Placed]:
    data = {"equipment": prop.kind, "at": prop.at, "pose": name}
    if prop.at == "pelvis":
        pelvis = placed.skeleton.segments["pelvis"]
        centre = pelvis.at((0.135, 0.0, 0.0))
        grip = pelvis.axes[:, 1]
        return [Placed(s, "sorted", name) for s in _dumbbell(centre, grip, 0.17, data)]
    sides = kin.SIDES if prop.at == "hands" else (prop.at.partition("_")[0],)
    out: list[Placed] = []
    if prop.kind == "kettlebell":
        hands = [kin.point(placed.skeleton, f"{side}_hand") for side in sides]  # type: ignore[arg-type]
        grip = np.mean(hands, axis=0)
        ball = grip - np.array([0.0, 0.0, 0.13])
        handle = [
            grip + (ball - grip) * 0.1 + np.array([0.0, 0.0, 0.02]) + offset
            for offset in (
                np.array([0.05, 0.0, -0.07]),
                np.array([0.03, 0.0, 0.0]),
                np.array([-0.03, 0.0, 0.0]),
                np.array([-0.05, 0.0, -0.07]),
            )
        ]
        out.append(
            Placed(
                Strand("kettlebell_handle", np.array(handle), 0.02, "iron", False, data),
                "sorted",
                name,
            )
        )
        out.append(
            Placed(
                Blob(
                    "kettlebell",
                    [(ball, 0.09), (ball - np.array([0, 0, 0.03]), 0.085)],
                    "iron",
                    False,
                    data,
                ),
                "sorted",
                name,
            )
        )
        return out
    for side in sides:
        hand = placed.skeleton.segments[f"{side}_hand"]
        centre = hand.at((0.0, 0.0, -0.075))
        out += [Placed(s, "sorted", name) for s in _dumbbell(centre, hand.axes[:, 0], 0.11, data)]
    return out


def _dumbbell(centre: Vector, axis: Vector, half: float, data: dict[str, str]) -> list[Shape]:
    bar = Blob(
        "dumbbell_bar",
        [(centre - axis * half, 0.014), (centre + axis * half, 0.014)],
        "iron",
        True,
        data,
    )
    heads = [
        Blob(
            "dumbbell",
            [(centre + axis * sign * (half - 0.045), 0.046), (centre + axis * sign * half, 0.046)],
            "iron",
            False,
            data,
        )
        for sign in (-1.0, 1.0)
    ]
    return [bar, *heads]


def _cable(prop: Cable, placed: PlacedPose, name: str, scene: Scene) -> list[Placed]:
    toward = horizontal(scene, prop.toward)
    hook = kin.point(placed.skeleton, prop.at)
    end_hook = kin.point(scene.end.skeleton, prop.at)
    foot = np.array([end_hook[0], end_hook[1], 0.0]) + toward * prop.distance
    pulley = foot - toward * 0.09 + np.array([0.0, 0.0, max(float(end_hook[2]), 0.1)])
    data = {"equipment": "cable", "at": prop.at, "pose": name}
    return [
        Placed(
            Strand("cable", np.array([pulley, hook]), 0.008, "cable", False, data), "sorted", name
        )
    ]


def pose_props(scene: Scene, placed: PlacedPose, name: str) -> list[Placed]:
    """Props that move with the body, for one pose."""
    out: list[Placed] = []
    for prop in scene.illustration.equipment:
        out += _pose_prop(prop, scene, placed, name)
    return out


def _pose_prop(prop: Prop, scene: Scene, placed: PlacedPose, name: str) -> list[Placed]:
    if isinstance(prop, Band):
        return _band(prop, placed, name, scene)
    if isinstance(prop, AnchoredBand):
        return _anchored_band(prop, placed, name, scene)
    if isinstance(prop, Weight):
        return _weight(prop, placed, name)
    if isinstance(prop, Cable):
        return _cable(prop, placed, name, scene)
    if isinstance(prop, FloorProp) and prop.kind == "leg_press":
        return _leg_press(placed, name)
    return []


def _leg_press(placed: PlacedPose, name: str) -> list[Placed]:
    feet = [placed.skeleton.segments[f"{side}_foot"] for side in kin.SIDES]
    soles = np.mean([f.at((0.07, 0.0, FOOT_SOLE_Z_M - 0.02)) for f in feet], axis=0)
    axes = feet[0].axes
    plate = oriented_box(soles, axes, (0.24, 0.32, 0.02))
    data = {"equipment": "leg_press", "pose": name}
    return [Placed(Slab("leg_press_sled", plate, "steel", data), "sorted", name)]
