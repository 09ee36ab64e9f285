"""The exercise illustrations in the knowledge base: one per exercise, validated on load,
with messages that name the file, the record and the field; and poses that rest on
what they say they rest on."""

from __future__ import annotations

import numpy as np
import pytest

from hipfirst.core.figures import kinematics as kin
from hipfirst.core.figures.props import world_props
from hipfirst.core.figures.scene import build_scene
from hipfirst.core.figures.shapes import Slab
from hipfirst.errors import KnowledgeBaseError
from hipfirst.knowledge.illustration_schema import Illustration, check_illustrations
from hipfirst.knowledge.loader import knowledge_base, parse_records

KB = knowledge_base()
CONTACT_TOLERANCE_M = 0.025

GOOD = """
version: 1
illustrations:
  - id: clamshell
    posture: side_lying_right
    view: front
    anchor: pelvis
    start: {contacts: [pelvis]}
    end: {left_hip_abduction: 30, contacts: [pelvis]}
    arrows: [{part: left_knee}]
"""


def parse(text: str) -> dict[str, Illustration]:
    return parse_records("illustrations/test.yaml", text, "illustrations", Illustration)


def test_it_has_exactly_one_illustration_per_exercise() -> None:
    assert set(KB.illustrations) == set(KB.exercises)
    assert check_illustrations(KB.exercises, KB.illustrations) == []


def test_it_reads_a_contact_written_as_words() -> None:
    text = GOOD.replace(
        "end: {left_hip_abduction: 30, contacts: [pelvis]}",
        "end: {contacts: [pelvis, right_knee on towel]}",
    )
    text += "    equipment: [{kind: towel, under: right_knee}]\n"
    contact = parse(text)["clamshell"].end.contacts[1]
    assert (contact.part, contact.on) == ("right_knee", "towel")


def test_it_refuses_a_knee_bent_past_its_range_naming_the_field() -> None:
    text = GOOD.replace("left_hip_abduction: 30", "left_knee_flexion: 170")
    with pytest.raises(KnowledgeBaseError) as caught:
        parse(text)
    assert (
        "illustrations[0] (clamshell).end.left_knee_flexion: Input should be less than or "
        "equal to 160 (got 170)"
    ) in str(caught.value)


def test_it_refuses_a_camera_looking_straight_down() -> None:
    with pytest.raises(KnowledgeBaseError) as caught:
        parse(GOOD.replace("view: front", "view: left"))
    assert (
        "view 'left' looks straight down or up at a side_lying_right figure; choose a side "
        "that is horizontal in this posture (not left or right)"
    ) in str(caught.value)


def test_it_refuses_a_contact_on_a_support_that_is_not_drawn() -> None:
    with pytest.raises(KnowledgeBaseError) as caught:
        parse(
            GOOD.replace(
                "start: {contacts: [pelvis]}", "start: {contacts: [pelvis, chest on bench]}"
            )
        )
    assert "start.contacts: 'chest on bench' but no bench is in equipment" in str(caught.value)


def test_it_refuses_an_unknown_body_part_and_an_unknown_prop() -> None:
    text = GOOD.replace("arrows: [{part: left_knee}]", "arrows: [{part: left_kneecap}]")
    text += "    equipment: [{kind: trampoline}]\n"
    with pytest.raises(KnowledgeBaseError) as caught:
        parse(text)
    message = str(caught.value)
    assert "illustrations[0] (clamshell).arrows.0.part: Input should be 'head'," in message
    assert (
        "illustrations[0] (clamshell).equipment.0: Input tag 'trampoline' found using 'kind'"
        in message
    )


def test_it_names_missing_extra_and_undrawn_illustrations() -> None:
    illustrations = dict(KB.illustrations)
    del illustrations["squat"]
    illustrations["moonwalk"] = KB.illustrations["clamshell"].model_copy(update={"id": "moonwalk"})
    illustrations["clamshell_band"] = KB.illustrations["clamshell"].model_copy(
        update={"id": "clamshell_band"}
    )
    assert check_illustrations(KB.exercises, illustrations) == [
        "exercise squat: has no illustration",
        "illustration moonwalk: names no exercise",
        "illustration clamshell_band.equipment: the exercise needs 'band', so draw one of "
        "['anchored_band', 'band']",
    ]


def _support_footprints(scene_props: list[object]) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    found = {}
    for placed in scene_props:
        shape = placed.shape  # type: ignore[attr-defined]
        if isinstance(shape, Slab) and shape.name in ("step", "box", "bench"):
            found[shape.name] = (shape.corners[:, :2].min(axis=0), shape.corners[:, :2].max(axis=0))
    return found


@pytest.mark.parametrize("exercise_id", sorted(KB.illustrations))
def test_it_rests_each_pose_on_what_it_names_and_nothing_sinks_into_the_floor(
    exercise_id: str,
) -> None:
    scene = build_scene(KB.illustrations[exercise_id])
    footprints = _support_footprints(world_props(scene))
    for placed in (scene.start, scene.end):
        for contact in placed.pose.contacts:
            spheres = kin.contact_spheres(placed.spheres, contact.part)
            top = 0.0 if contact.on == "floor" else scene.support_tops[contact.on]
            gap = kin.lowest(spheres) - top
            assert abs(gap) < CONTACT_TOLERANCE_M, (contact, round(gap, 3))
            if contact.on in footprints:
                low, high = footprints[contact.on]
                lowest = min(spheres, key=lambda s: s[0][2] - s[1])[0][:2]
                assert np.all(lowest > low - 0.05) and np.all(lowest < high + 0.05), contact
        for part, spheres in placed.spheres.items():
            assert kin.lowest(spheres) > -CONTACT_TOLERANCE_M, part
