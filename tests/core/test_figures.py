"""Exercise pictures: every exercise is drawn, and what is drawn is what its angles say.

The joint positions in each SVG are checked against a forward-kinematics calculation
written here from the conventions documented in ``knowledge/illustration_schema.py``
(scipy rotations, each sign derived from the words "flexion moves the thigh forward",
"abduction moves it away from the midline" …), not with the implementation's
functions. Only the fixed proportions (``core.figures.body``) are shared.
Tolerance: 0.35 px (the SVG rounds coordinates to 0.1 px).
"""

from __future__ import annotations

import math
import xml.etree.ElementTree as ET
from collections.abc import Iterator

import numpy as np
import pytest
from numpy.typing import NDArray
from scipy.spatial.transform import Rotation

from hipfirst.core.figures import body, draw_exercise
from hipfirst.core.figures.body_props import BAND_LEVEL
from hipfirst.knowledge.illustration_schema import (
    EQUIPMENT_DRAWN_AS,
    Illustration,
    Pose,
    Weight,
)
from hipfirst.knowledge.loader import knowledge_base

SVG_NS = "{http://www.w3.org/2000/svg}"
TOLERANCE_PX = 0.35
Vec = NDArray[np.float64]
X, Y, Z = np.eye(3)
KB = knowledge_base()
IDS = sorted(KB.exercises)


def turn(about: Vec, moving: Vec, toward: Vec, degrees: float) -> Rotation:
    """The rotation about ``about`` that carries ``moving`` toward ``toward`` by ``degrees``."""
    sign = 1.0 if float(np.cross(about, moving) @ toward) > 0 else -1.0
    return Rotation.from_rotvec(sign * math.radians(degrees) * about)


BASES = {
    "upright": Rotation.identity(),
    "supine": turn(Y, Z, -X, 90),  # fallen backward: head toward −x, face up
    "prone": turn(Y, Z, X, 90),
    "side_lying_left": turn(X, Y, -Z, 90),  # left side down
    "side_lying_right": turn(X, -Y, -Z, 90),
}
POSTURE_BASE = {"standing": "upright", "kneeling": "upright", "half_kneeling": "upright"}
POSTURE_BASE |= {"sitting": "upright", "supine": "supine", "prone": "prone"}
POSTURE_BASE |= {"quadruped": "prone", "side_lying_left": "side_lying_left"}
POSTURE_BASE |= {"side_lying_right": "side_lying_right"}


def frames(pose: Pose, posture: str) -> dict[str, tuple[Vec, Rotation]]:
    """Segment origin and orientation for ``pose``, pelvis centre at the origin."""
    a = pose.angles()
    pelvis = (
        BASES[POSTURE_BASE[posture]]
        * turn(Z, X, Y, a["pelvis_rotation"])  # the front turns to the left
        * turn(Y, Z, X, a["pelvis_tilt"])  # anterior: the top moves forward
        * turn(X, Y, Z, a["pelvis_obliquity"])  # the left side rises
    )
    out: dict[str, tuple[Vec, Rotation]] = {"pelvis": (np.zeros(3), pelvis)}
    lumbar = pelvis.apply([0, 0, body.LUMBAR_Z_M])
    thorax = (
        pelvis
        * turn(Y, Z, X, a["trunk_flexion"])
        * turn(X, Z, Y, a["trunk_side_bend"])  # the top moves to the left
        * turn(Z, X, Y, a["trunk_rotation"])
    )
    out["thorax"] = (lumbar, thorax)
    neck = lumbar + thorax.apply(body.NECK_BASE_IN_THORAX_M)
    out["head"] = (
        neck,
        thorax * turn(Y, Z, X, a["neck_flexion"]) * turn(Z, X, Y, a["neck_rotation"]),
    )
    for side, lateral in (("left", Y), ("right", -Y)):

        def angle(name: str, side: str = side) -> float:
            return a[f"{side}_{name}"]

        hip = pelvis.apply(lateral * body.HIP_HALF_WIDTH_M)
        thigh = (
            pelvis
            * turn(Y, -Z, X, angle("hip_flexion"))  # the thigh moves forward
            * turn(X, -Z, lateral, angle("hip_abduction"))  # away from the midline
            * turn(Z, X, lateral, angle("hip_rotation"))  # external: the front turns out
        )
        knee = hip + thigh.apply([0, 0, -body.THIGH_M])
        shank = thigh * turn(Y, -Z, -X, angle("knee_flexion"))  # the shank folds back
        ankle = knee + shank.apply([0, 0, -body.SHANK_M])
        foot = shank * turn(Y, X, Z, angle("ankle_dorsiflexion"))  # toes toward the shin
        sx, sy, sz = body.SHOULDER_IN_THORAX_M
        shoulder = lumbar + thorax.apply(np.array([sx, 0, sz]) + lateral * sy)
        upper = (
            thorax
            * turn(Y, -Z, X, angle("shoulder_flexion"))
            * turn(X, -Z, lateral, angle("shoulder_abduction"))
            * turn(Z, X, lateral, angle("shoulder_rotation"))
        )
        elbow = shoulder + upper.apply([0, 0, -body.UPPER_ARM_M])
        # pronation: the palm (facing the midline, thumb forward) turns to face backward
        forearm = (
            upper
            * turn(Y, -Z, X, angle("elbow_flexion"))
            * turn(Z, -lateral, -X, angle("forearm_pronation"))
        )
        wrist = elbow + forearm.apply([0, 0, -body.FOREARM_M])
        # extension: the fingers move toward the back of the hand (lateral at thumb-forward)
        hand = forearm * turn(X, -Z, lateral, angle("wrist_extension"))
        out |= {
            f"{side}_thigh": (hip, thigh),
            f"{side}_shank": (knee, shank),
            f"{side}_foot": (ankle, foot),
            f"{side}_upper_arm": (shoulder, upper),
            f"{side}_forearm": (elbow, forearm),
            f"{side}_hand": (wrist, hand),
        }
    return out


JOINT_SEGMENT = {"hip": "thigh", "knee": "shank", "ankle": "foot"}
JOINT_SEGMENT |= {"shoulder": "upper_arm", "elbow": "forearm", "wrist": "hand"}
POINT_IN = {
    "head": ("head", body.HEAD_CENTRE_IN_HEAD),
    "chest": ("thorax", body.CHEST_IN_THORAX),
    "pelvis": ("pelvis", (0.0, 0.0, 0.0)),
    "hand": ("hand", body.PALM_IN_HAND),
    "foot": ("foot", body.FOOT_CENTRE_IN_FOOT),
    "heel": ("foot", body.HEEL_IN_FOOT),
    "toes": ("foot", body.TOES_IN_FOOT),
}


def point(segments: dict[str, tuple[Vec, Rotation]], name: str) -> Vec:
    side, _, rest = name.partition("_")
    if name in POINT_IN:
        segment, local = POINT_IN[name]
    elif rest in POINT_IN:
        segment, local = f"{side}_{POINT_IN[rest][0]}", POINT_IN[rest][1]
    else:
        segment, local = f"{side}_{JOINT_SEGMENT[rest]}", (0.0, 0.0, 0.0)
    origin, rotation = segments[segment]
    return origin + rotation.apply(local)


VIEW_AXIS = {"front": X, "back": -X, "left": Y, "right": -Y, "head": Z, "feet": -Z}


def image_axes(ill: Illustration) -> tuple[Vec, Vec]:
    """Picture right and up in room axes: the camera on the named side of the body,
    turned counter-clockwise (seen from above) by azimuth, raised by elevation."""
    toward_camera = BASES[POSTURE_BASE[ill.posture]].apply(VIEW_AXIS[ill.view])
    toward_camera = Rotation.from_rotvec(math.radians(ill.azimuth) * Z).apply(toward_camera)
    toward_camera[2] = 0.0
    toward_camera /= np.linalg.norm(toward_camera)
    right = np.cross(-toward_camera, Z)
    raised = turn(right, toward_camera, Z, ill.elevation).apply(toward_camera)
    return right, np.cross(right, -raised)


def svg_of(exercise_id: str) -> ET.Element:
    return ET.fromstring(draw_exercise(KB.exercise(exercise_id), KB.illustrations[exercise_id]))


def drawn_joints(root: ET.Element, pose: str) -> dict[str, Vec]:
    return {
        c.attrib["data-joint"]: np.array([float(c.attrib["cx"]), float(c.attrib["cy"])])
        for c in root.iter(f"{SVG_NS}circle")
        if c.attrib.get("data-pose") == pose and "data-joint" in c.attrib
    }


def expected_px(ill: Illustration, pose: Pose, name: str, scale: float) -> Vec:
    """Where ``name`` should be drawn relative to the left hip, in SVG pixels (y down)."""
    segments = frames(pose, ill.posture)
    right, up = image_axes(ill)
    offset = point(segments, name) - point(segments, "left_hip")
    return np.array([offset @ right, -(offset @ up)]) * scale


def poses(ill: Illustration) -> Iterator[tuple[str, Pose]]:
    yield "start", ill.start
    yield "end", ill.end


@pytest.mark.parametrize("exercise_id", IDS)
def test_it_draws_every_joint_where_the_angles_put_it(exercise_id: str) -> None:
    ill = KB.illustrations[exercise_id]
    root = svg_of(exercise_id)
    scale = float(root.attrib["data-px-per-m"])
    for pose_name, pose in poses(ill):
        drawn = drawn_joints(root, pose_name)
        assert len(drawn) == 12, f"{pose_name}: {sorted(drawn)}"
        for joint, position in drawn.items():
            wanted = drawn["left_hip"] + expected_px(ill, pose, joint, scale)
            assert np.linalg.norm(position - wanted) < TOLERANCE_PX, (pose_name, joint)


def side_view(**angles: float) -> Illustration:
    """A figure standing on its left leg seen from its right, level camera, end ``angles``."""
    end = {"contacts": ["left_foot"], **angles}
    return Illustration.model_validate(
        {
            "id": "squat",
            "posture": "standing",
            "view": "right",
            "anchor": "left_foot",
            "start": {"contacts": ["left_foot", "right_foot"]},
            "end": end,
            "arrows": [{"part": "right_knee"}],
        }
    )


def draw(ill: Illustration) -> ET.Element:
    return ET.fromstring(draw_exercise(KB.exercise(ill.id), ill))


def test_it_draws_a_90_degree_knee_bend_with_the_shank_at_right_angles() -> None:
    root = draw(side_view(right_hip_flexion=90, right_knee_flexion=90))
    scale = float(root.attrib["data-px-per-m"])
    joint = drawn_joints(root, "end")
    thigh = joint["right_knee"] - joint["right_hip"]
    shank = joint["right_ankle"] - joint["right_knee"]
    assert float(thigh @ shank) == pytest.approx(0, abs=0.5 * scale * 0.01)
    assert np.linalg.norm(thigh) == pytest.approx(body.THIGH_M * scale, abs=TOLERANCE_PX)
    # seen from the right the person faces the picture's right: thigh forward, shank down
    assert thigh[0] > 0 and abs(thigh[1]) < 1
    assert shank[1] > 0 and abs(shank[0]) < 1


def test_it_draws_hip_abduction_from_the_front_at_its_angle() -> None:
    ill = side_view(right_hip_abduction=30).model_copy(update={"view": "front"})
    joint = drawn_joints(draw(ill), "end")
    thigh = joint["right_knee"] - joint["right_hip"]
    # from the front the person's right is on the picture's left; the knee moves out
    assert math.degrees(math.atan2(-thigh[0], thigh[1])) == pytest.approx(30, abs=0.1)


def test_it_draws_the_start_pale_behind_the_solid_end() -> None:
    root = svg_of("squat")
    groups = [g for g in root.iter(f"{SVG_NS}g") if "data-pose" in g.attrib]
    assert [g.attrib["data-pose"] for g in groups] == ["start", "end"]
    assert float(groups[0].attrib["opacity"]) < 0.5
    assert "opacity" not in groups[1].attrib


@pytest.mark.parametrize("exercise_id", IDS)
def test_it_draws_the_arrow_from_the_start_to_the_end_position(exercise_id: str) -> None:
    ill = KB.illustrations[exercise_id]
    root = svg_of(exercise_id)
    scale = float(root.attrib["data-px-per-m"])
    arrows = [g for g in root.iter(f"{SVG_NS}g") if "data-arrow" in g.attrib]
    assert [g.attrib["data-arrow"] for g in arrows] == [a.part for a in ill.arrows]
    for group, arrow in zip(arrows, ill.arrows, strict=True):
        ends = {}
        for pose_name, pose in poses(ill):
            hip = drawn_joints(root, pose_name)["left_hip"]
            ends[pose_name] = hip + expected_px(ill, pose, arrow.part, scale)
        begin = np.array([float(v) for v in group.attrib["data-from"].split(",")])
        finish = np.array([float(v) for v in group.attrib["data-to"].split(",")])
        assert np.linalg.norm(begin - ends["start"]) < TOLERANCE_PX
        assert np.linalg.norm(finish - ends["end"]) < TOLERANCE_PX
        shaft = next(e for e in group if e.attrib.get("data-shaft"))
        points = [
            np.array([float(v) for v in p.split(",")]) for p in shaft.attrib["points"].split()
        ]
        first, last = points[0], points[-1]
        assert float((last - first) @ (finish - begin)) > 0, "the arrow points from start to end"
        if np.linalg.norm(finish - begin) > 0.2 * scale:
            reach = abs(arrow.offset) * scale + 0.1 * np.linalg.norm(finish - begin) + 12
            assert np.linalg.norm(first - begin) < reach + 0.15 * scale * (arrow.arc > 0)


def _band_points(root: ET.Element) -> Iterator[tuple[str, str, list[Vec]]]:
    for line in root.iter(f"{SVG_NS}polyline"):
        if line.attrib.get("data-equipment") in ("band", "anchored_band"):
            pts = [
                np.array([float(v) for v in p.split(",")]) for p in line.attrib["points"].split()
            ]
            yield line.attrib["data-pose"], line.attrib["data-at"], pts


def _distance_to_segment(p: Vec, a: Vec, b: Vec) -> float:
    ab = b - a
    t = 0.0 if not ab.any() else float(np.clip((p - a) @ ab / (ab @ ab), 0, 1))
    return float(np.linalg.norm(p - (a + ab * t)))


LOOPED = [i for i in IDS if any(p.kind == "band" for p in KB.illustrations[i].equipment)]


@pytest.mark.parametrize("exercise_id", LOOPED)
def test_it_draws_bands_round_both_legs_where_described(exercise_id: str) -> None:
    root = svg_of(exercise_id)
    scale = float(root.attrib["data-px-per-m"])
    loops = [b for b in _band_points(root) if b[1] in BAND_LEVEL]
    assert {pose for pose, _, _ in loops} == {"start", "end"}
    for pose_name, at, pts in loops:
        joint = drawn_joints(root, pose_name)
        if at in ("knees", "thighs"):
            fraction = 0.84 if at == "knees" else 0.5
            level = [
                joint[f"{s}_hip"] + (joint[f"{s}_knee"] - joint[f"{s}_hip"]) * fraction
                for s in ("left", "right")
            ]
        else:  # ankles and forefeet: at the ankle, within a foot's length
            level = [joint[f"{s}_ankle"] for s in ("left", "right")]
        reach = (BAND_LEVEL[at][2] + 0.03 + (0.15 if at == "forefeet" else 0)) * scale
        for p in pts:
            assert _distance_to_segment(p, *level) < reach, (pose_name, at)


def test_it_draws_an_anchored_band_from_behind_the_knee_to_a_post_in_front() -> None:
    root = svg_of("terminal_knee_extension")
    joint = drawn_joints(root, "end")
    posts = [g for g in root.iter(f"{SVG_NS}g") if g.attrib.get("data-part") == "band_post"]
    (post,) = posts
    post_x = [float(p.split(",")[0]) for poly in post for p in poly.attrib["points"].split()]
    # seen from the right the front is the picture's right
    assert min(post_x) > joint["right_knee"][0] + 0.5 * float(root.attrib["data-px-per-m"])
    strands = [pts for pose, at, pts in _band_points(root) if pose == "end" and at == "right_knee"]
    assert any(abs(p[0] - min(post_x)) < 10 for pts in strands for p in pts)


@pytest.mark.parametrize("exercise_id", IDS)
def test_it_draws_the_equipment_the_exercise_needs(exercise_id: str) -> None:
    root = svg_of(exercise_id)
    drawn = {e.attrib["data-equipment"] for e in root.iter() if "data-equipment" in e.attrib}
    for item in KB.exercises[exercise_id].equipment:
        if item != "none":
            assert drawn & EQUIPMENT_DRAWN_AS[item], item
    for prop in KB.illustrations[exercise_id].equipment:
        assert prop.kind in drawn


def _polygon_points(group: ET.Element) -> list[Vec]:
    return [
        np.array([float(v) for v in p.split(",")])
        for poly in group.iter(f"{SVG_NS}polygon")
        for p in poly.attrib["points"].split()
    ]


@pytest.mark.parametrize(
    "exercise_id", [i for i in IDS if any(p.kind == "step" for p in KB.illustrations[i].equipment)]
)
def test_it_draws_the_step_under_the_foot_that_stands_on_it(exercise_id: str) -> None:
    root = svg_of(exercise_id)
    scale = float(root.attrib["data-px-per-m"])
    (step,) = [g for g in root.iter(f"{SVG_NS}g") if g.attrib.get("data-part") == "step"]
    corners = _polygon_points(step)
    prop = next(p for p in KB.illustrations[exercise_id].equipment if p.kind == "step")
    ankle = drawn_joints(root, "end")[prop.under.replace("foot", "ankle")]
    xs = [c[0] for c in corners]
    assert min(xs) - 0.05 * scale < ankle[0] < max(xs) + 0.05 * scale
    top = min(c[1] for c in corners)
    # the ankle stands an ankle height above the step's top (level views: exactly)
    assert ankle[1] < top
    assert top - ankle[1] == pytest.approx(body.ANKLE_HEIGHT_M * scale, abs=0.03 * scale)


def test_it_puts_the_dumbbell_across_the_hips_for_the_hip_thrust() -> None:
    root = svg_of("hip_thrust")
    assert any(
        isinstance(p, Weight) and p.at == "pelvis" for p in KB.illustrations["hip_thrust"].equipment
    )
    scale = float(root.attrib["data-px-per-m"])
    joint = drawn_joints(root, "end")
    hips = (joint["left_hip"] + joint["right_hip"]) / 2
    weights = [
        e
        for e in root.iter(f"{SVG_NS}path")
        if e.attrib.get("data-equipment") == "dumbbell" and e.attrib.get("data-pose") == "end"
    ]
    assert weights
    for weight in weights:
        numbers = [
            float(v)
            for v in weight.attrib["d"]
            .replace("M", " ")
            .replace("L", " ")
            .replace("A", " ")
            .replace("Z", " ")
            .split()
        ]
        x, y = numbers[0], numbers[1]
        assert np.linalg.norm(np.array([x, y]) - hips) < 0.3 * scale
