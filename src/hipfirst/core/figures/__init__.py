"""Exercise pictures drawn by code: pose angles → forward kinematics → a shaded mannequin.

``draw_exercise(exercise, illustration)`` is the one entry point: the illustration
(``knowledge/data/illustrations``) gives the posture, the start and end joint angles,
the equipment, the camera and the arrows; :mod:`.kinematics` turns angles into segment
frames, :mod:`.scene` places both poses in the room, :mod:`.props` builds the
equipment and :mod:`.svg` draws it. Pure: numpy and the knowledge-base models only.
"""

from __future__ import annotations

from hipfirst.core.figures.scene import build_scene
from hipfirst.core.figures.svg import render_svg
from hipfirst.knowledge.illustration_schema import Illustration
from hipfirst.knowledge.schema import Exercise


def picture_title(exercise: Exercise) -> str:
    """What the picture shows, in words (its accessible name)."""
    return (
        f"{exercise.name}: the pale figure is the start position, the solid figure the end "
        "position; the arrow shows the movement."
    )


def draw_exercise(exercise: Exercise, illustration: Illustration) -> str:
    """The exercise's picture as SVG text (400 × 300, self-contained)."""
    return render_svg(build_scene(illustration), picture_title(exercise))
