"""The equipment of a picture as shapes, placed from the poses they belong to.

Props on or under the floor line (supports, mat, towel, ladder, line, treadmill) are
drawn first (layer ``ground``); props fixed in the room that stand beside the person
(wall, chair, cone, cable column, band post) are sorted against the figure
(``fixed``); props that move with the body (bands, weights, cables, the leg-press
sled) belong to a pose: ``sorted`` among its parts, or ``under``/``over`` all of them
(the hidden and the visible half of a band's loop).
"""

from __future__ import annotations

import math

import numpy as np

from hipfirst.core.figures import kinematics as kin
from hipfirst.core.figures.body import THIGH_M
from hipfirst.core.figures.kinematics import Vector
from hipfirst.core.figures.scene import TOWEL_RADIUS_M, Scene, horizontal
from hipfirst.core.figures.shapes import Blob, Placed, Slab, Strand, box, oriented_box
from hipfirst.knowledge.illustration_schema import (
    AnchoredBand,
    Cable,
    Chair,
    Cone,
    FloorProp,
    Support,
    Towel,
    Wall,
    Where,
)


def _cable_column(prop: Cable, scene: Scene) -> list[Placed]:
    toward = horizontal(scene, prop.toward)
    end_hook = kin.point(scene.end.skeleton, prop.at)
    foot = np.array([end_hook[0], end_hook[1], 0.0]) + toward * prop.distance
    heading = kin.rot_z(math.degrees(math.atan2(toward[1], toward[0])))
    corners = box((float(foot[0]), float(foot[1])), (0.16, 0.28), 0.0, 2.0, heading)
    return [Placed(Slab("cable_column", corners, "steel", {"equipment": "cable"}), "fixed")]


def _extent(scene: Scene) -> tuple[Vector, Vector]:
    centres = [
        c
        for placed in (scene.start, scene.end)
        for part in placed.spheres.values()
        for c, _ in part
    ]
    points = np.array(centres)
    return points.min(axis=0), points.max(axis=0)


def world_props(scene: Scene) -> list[Placed]:
    """Props fixed in the room, placed from the end pose."""
    out: list[Placed] = []
    end = scene.end
    for prop in scene.illustration.equipment:
        if isinstance(prop, Support):
            out.append(_support(prop, scene))
        elif isinstance(prop, Towel):
            spot = kin.point(end.skeleton, prop.under)
            across = horizontal(scene, "left")
            ends = [
                np.array([spot[0], spot[1], TOWEL_RADIUS_M]) + across * s for s in (-0.16, 0.16)
            ]
            out.append(
                Placed(
                    Blob(
                        "towel",
                        [(p, TOWEL_RADIUS_M) for p in ends],
                        "towel",
                        True,
                        {"equipment": "towel"},
                    ),
                    "ground",
                )
            )
        elif isinstance(prop, Wall):
            out.append(_wall(prop, scene))
        elif isinstance(prop, Chair):
            out += _chair(prop, scene)
        elif isinstance(prop, Cone):
            spot = kin.point(end.skeleton, prop.beside) + horizontal(scene, prop.side) * 0.35
            spheres = [
                (np.array([spot[0], spot[1], 0.03]), 0.1),
                (np.array([spot[0], spot[1], 0.3]), 0.012),
            ]
            out.append(Placed(Blob("cone", spheres, "cone", False, {"equipment": "cone"}), "fixed"))
        elif isinstance(prop, Cable):
            out += _cable_column(prop, scene)
        elif isinstance(prop, AnchoredBand):
            sides = kin.SIDES if prop.at == "knees" else (prop.at.partition("_")[0],)
            knees = [
                end.skeleton.segments[f"{s}_thigh"].at((0.0, 0.0, -0.9 * THIGH_M)) for s in sides
            ]
            middle = np.mean(knees, axis=0)
            post = (
                np.array([middle[0], middle[1]])
                + horizontal(scene, prop.toward)[:2] * prop.distance
            )
            corners = box(
                (float(post[0]), float(post[1])), (0.06, 0.06), 0.0, float(middle[2]) + 0.35
            )
            out.append(
                Placed(Slab("band_post", corners, "steel", {"equipment": "anchored_band"}), "fixed")
            )
        elif isinstance(prop, FloorProp):
            out += _floor_prop(prop, scene)
    return out


def _support(prop: Support, scene: Scene) -> Placed:
    depth, width = prop.depth, prop.width
    default_depth, default_width = {"step": (0.36, 0.7), "box": (0.45, 0.5), "bench": (0.45, 1.1)}[
        prop.kind
    ]
    depth, width = depth or default_depth, width or default_width
    spheres = scene.end.spheres[kin.part_of(prop.under)]
    spot = kin.point(scene.end.skeleton, prop.under)
    x, y = float(spot[0]), float(spot[1])
    if prop.align != "center":
        where: dict[str, Where] = {
            "front": "in_front",
            "back": "behind",
            "left": "left",
            "right": "right",
        }
        toward = horizontal(scene, where[prop.align])
        edge = max(float(c @ toward) + r for c, r in spheres)
        reach = depth if abs(toward[0]) > abs(toward[1]) else width
        centre = np.array([x, y, 0.0])
        centre += toward * (edge - reach / 2 - float(centre @ toward))
        x, y = float(centre[0]), float(centre[1])
    corners = box((x, y), (depth, width), 0.0, scene.support_tops[prop.kind])
    style = "bench" if prop.kind == "bench" else "wood"
    data = {"equipment": prop.kind, "top": f"{scene.support_tops[prop.kind]:.3f}"}
    return Placed(Slab(prop.kind, corners, style, data), "ground")


def _wall(prop: Wall, scene: Scene) -> Placed:
    toward = horizontal(scene, prop.side)
    spheres = scene.end.spheres[kin.part_of(prop.touching)]
    face = max(float(c @ toward) + r for c, r in spheres)
    spot = kin.point(scene.end.skeleton, prop.touching)
    across = np.array([-toward[1], toward[0], 0.0])
    centre = toward * (face + 0.05) + across * float(spot @ across)
    heading = kin.rot_z(math.degrees(math.atan2(toward[1], toward[0])))
    corners = box((float(centre[0]), float(centre[1])), (0.1, 1.0), 0.0, 1.95, heading)
    return Placed(
        Slab("wall", corners, "wall", {"equipment": "wall", "face": f"{face:.3f}"}), "fixed"
    )


def _chair(prop: Chair, scene: Scene) -> list[Placed]:
    """Back rest under the hand (its top at the hand's lowest point), seat beyond it."""
    side = prop.under.partition("_")[0]
    hand = scene.end.spheres[f"{side}_hand"]
    spot = kin.point(scene.end.skeleton, prop.under)
    top = kin.lowest(hand)
    away = horizontal(scene, prop.side or side)  # type: ignore[arg-type]
    heading = kin.rot_z(math.degrees(math.atan2(away[1], away[0])))
    back_centre = np.array([spot[0], spot[1], 0.0]) + away * 0.02
    seat_centre = back_centre + away * 0.21
    data = {"equipment": "chair", "top": f"{top:.3f}"}
    out = [
        Placed(
            Slab(
                "chair_back", box(_xy(back_centre), (0.04, 0.42), 0.47, top, heading), "wood", data
            ),
            "fixed",
        ),
        Placed(
            Slab(
                "chair_seat", box(_xy(seat_centre), (0.42, 0.42), 0.43, 0.47, heading), "wood", data
            ),
            "fixed",
        ),
    ]
    across = heading @ np.array([0.0, 1.0, 0.0])
    for along in (0.0, 0.38):
        for sideways in (-0.19, 0.19):
            leg = back_centre + away * along + across * sideways
            out.append(
                Placed(
                    Slab(
                        "chair_leg", box(_xy(leg), (0.035, 0.035), 0.0, 0.43, heading), "wood", data
                    ),
                    "fixed",
                )
            )
    return out


def _xy(point: Vector) -> tuple[float, float]:
    return float(point[0]), float(point[1])


def _floor_prop(prop: FloorProp, scene: Scene) -> list[Placed]:
    low, high = _extent(scene)
    data: dict[str, str] = {"equipment": prop.kind}
    travel = scene.end.offset[:2] - scene.start.offset[:2]
    if prop.kind == "mat":
        corners = box(
            ((low[0] + high[0]) / 2, (low[1] + high[1]) / 2),
            (high[0] - low[0] + 0.4, high[1] - low[1] + 0.4),
            -0.012,
            0.0,
        )
        return [Placed(Slab("mat", corners, "mat", data), "ground")]
    if prop.kind == "treadmill":
        feet = np.mean([kin.point(scene.end.skeleton, f"{s}_foot") for s in kin.SIDES], axis=0)  # type: ignore[arg-type]
        along = horizontal(scene, "in_front")
        heading = kin.rot_z(math.degrees(math.atan2(along[1], along[0])))
        corners = box((float(feet[0]), float(feet[1])), (1.7, 0.7), -0.1, 0.0, heading)
        console = np.array([feet[0], feet[1], 0.0]) + along * 0.85
        post = [(console, 0.025), (console + np.array([0, 0, 1.15]) - along * 0.1, 0.025)]
        return [
            Placed(Slab("treadmill", corners, "belt", data), "ground"),
            Placed(Blob("treadmill_post", post, "steel", True, data), "fixed"),
        ]
    if prop.kind == "leg_press":
        thorax = scene.end.skeleton.segments["thorax"]
        pad = oriented_box(thorax.at((-0.17, 0.0, 0.15)), thorax.axes, (0.04, 0.24, 0.42))
        return [Placed(Slab("leg_press_pad", pad, "bench", data), "fixed")]
    direction = (
        travel if float(np.linalg.norm(travel)) > 0.05 else horizontal(scene, "in_front")[:2]
    )
    direction = np.array([direction[0], direction[1], 0.0]) / float(np.linalg.norm(direction))
    across = np.array([-direction[1], direction[0], 0.0])
    start = kin.point(scene.start.skeleton, scene.illustration.anchor)
    middle = np.array([start[0], start[1], 0.002]) + np.append(travel, 0.0) / 2
    if prop.kind == "line":
        ends = np.array([middle - across * 0.45, middle + across * 0.45])
        return [Placed(Strand("line", ends, 0.03, "tape", False, data), "ground")]
    rails, rungs = [], []
    origin = np.array([start[0], start[1], 0.004]) - direction * 0.6
    for side in (-0.23, 0.23):
        rails.append(np.array([origin + across * side, origin + direction * 3.0 + across * side]))
    for i in range(8):
        spot = origin + direction * (i * 0.43)
        rungs.append(np.array([spot - across * 0.23, spot + across * 0.23]))
    return [Placed(Strand("ladder", p, 0.02, "tape", False, data), "ground") for p in rails + rungs]
