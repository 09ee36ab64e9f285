"""Pydantic models of the exercise pictures (``knowledge/data/illustrations/*.yaml``).

Every exercise has exactly one :class:`Illustration`, keyed by the exercise id: the
body's posture, the start and end :class:`Pose` as joint angles, the equipment drawn
(:data:`Prop`), the camera and the movement arrow(s). ``hipfirst.core.figures`` turns
it into a shaded mannequin by forward kinematics; nothing here draws.

Conventions (every angle in degrees, every length in metres, zero = anatomical
standing position, arms hanging with the thumbs forward):

* **The posture** sets the base orientation of the pelvis in the room: upright
  (``standing``, ``kneeling``, ``half_kneeling``, ``sitting``), face up (``supine``),
  face down (``prone``, ``quadruped``) or lying on one side (``side_lying_left`` is
  lying on the left side, left side down). The joint angles then bend the body from
  that base, so a quadruped is the prone base with hips, knees and shoulders at 90°.
* **Pelvis** (relative to the posture's base, applied in this order): ``pelvis_rotation``
  about the body's long axis, + = the front of the pelvis turns to the person's left;
  ``pelvis_tilt`` about the left-right axis, + = anterior (the top of the pelvis moves
  toward the front of the body, as in a forward hip hinge; the trunk goes with it);
  ``pelvis_obliquity`` about the front-back axis, + = the left side rises.
* **Trunk** (thorax relative to pelvis, at the lumbar spine): ``trunk_flexion`` + =
  bending forward, ``trunk_side_bend`` + = toward the left, ``trunk_rotation`` + = the
  chest turns to the left. **Neck** (head relative to thorax): ``neck_flexion`` + =
  chin down, ``neck_rotation`` + = the face turns to the left.
* **Hip** (thigh relative to pelvis, the ISB joint-coordinate order flexion,
  abduction, rotation): ``hip_flexion`` + = the thigh moves forward (− = extension),
  ``hip_abduction`` + = away from the midline (− = adduction), ``hip_rotation`` + =
  external (the knee's front turns outward). **Knee**: ``knee_flexion`` 0 = straight,
  + = the shank folds back. **Ankle**: ``ankle_dorsiflexion`` 0 = foot at right angles
  to the shank, + = toes toward the shin (− = plantarflexion).
* **Shoulder** (upper arm relative to thorax, same order as the hip):
  ``shoulder_flexion`` + = the arm moves forward and up (180 = overhead),
  ``shoulder_abduction`` + = out to the side, ``shoulder_rotation`` + = external.
  **Elbow**: ``elbow_flexion`` 0 = straight. **Forearm**: ``forearm_pronation`` 0 =
  thumb forward, + 90 = palm backward (pronated), − 90 = palm forward. **Wrist**:
  ``wrist_extension`` + = back of the hand toward the forearm.
* **Placement**: each pose rests on its first contact (the lowest point of that body
  part touches the floor or the top of the named support); ``anchor`` is the body
  point that keeps its place on the floor from start to end, and ``end_shift`` moves
  the end position (a sideways step, a hop) along the posture's horizontal axes.
* **Camera**: ``view`` is the anatomical side the picture is taken from, in the
  posture's base (``right``: from the person's right side, so they face the
  picture's right; ``feet``: from beyond the feet, e.g. behind someone on all fours);
  it must be horizontal for the posture. ``elevation`` raises the camera to look
  down (0 = level), ``azimuth`` turns it round the person seen from above
  (+ = counter-clockwise).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Annotated, Any, Literal, Self

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, model_validator

from hipfirst.knowledge.vocabulary import Equipment

Posture = Literal[
    "standing",
    "kneeling",
    "half_kneeling",
    "sitting",
    "supine",
    "prone",
    "quadruped",
    "side_lying_left",
    "side_lying_right",
]
View = Literal["front", "back", "left", "right", "head", "feet"]
"""The anatomical side (in the posture's base orientation) the camera looks from."""

BASE_UP: dict[Posture, View] = {
    "standing": "head",
    "kneeling": "head",
    "half_kneeling": "head",
    "sitting": "head",
    "supine": "front",
    "prone": "back",
    "quadruped": "back",
    "side_lying_left": "right",
    "side_lying_right": "left",
}
"""Which anatomical side points at the ceiling in each posture's base orientation."""
OPPOSITE: dict[View, View] = {"front": "back", "back": "front", "left": "right"}
OPPOSITE |= {"right": "left", "head": "feet", "feet": "head"}

Side = Literal["left", "right"]
BodyPoint = Literal[
    "head",
    "chest",
    "pelvis",
    "left_shoulder",
    "left_elbow",
    "left_wrist",
    "left_hand",
    "left_hip",
    "left_knee",
    "left_ankle",
    "left_heel",
    "left_toes",
    "left_foot",
    "right_shoulder",
    "right_elbow",
    "right_wrist",
    "right_hand",
    "right_hip",
    "right_knee",
    "right_ankle",
    "right_heel",
    "right_toes",
    "right_foot",
]
"""Points of the mannequin: joint centres, and the centres of head, chest, pelvis,
hands and feet (``heel``/``toes``: the back and front of the sole)."""

Surface = Literal["floor", "step", "box", "bench", "towel"]
"""What a body part can rest on: the floor or the top of a drawn support."""
SUPPORTS: frozenset[str] = frozenset({"step", "box", "bench", "towel"})


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


def _contact_from_text(value: Any) -> Any:
    """``"chest on bench"`` → part chest on the bench; ``"left_foot"`` → on the floor."""
    if isinstance(value, str):
        part, _, surface = value.partition(" on ")
        return {"part": part.strip(), "on": surface.strip() or "floor"}
    return value


class Contact(_Strict):
    """A body part whose lowest point touches the floor or a support's top."""

    part: BodyPoint
    on: Surface = "floor"


def _angle(low: float, high: float) -> Any:
    return Field(default=0.0, ge=low, le=high)


class Pose(_Strict):
    """One position of the body as joint angles (degrees; conventions in the module doc).

    The ranges are those a drawing may show (a little beyond the usual active
    range, never an impossible joint). ``contacts`` lists what touches a surface;
    the first one places the figure.
    """

    pelvis_rotation: float = _angle(-90, 90)
    pelvis_tilt: float = _angle(-60, 100)
    pelvis_obliquity: float = _angle(-40, 40)
    trunk_flexion: float = _angle(-30, 90)
    trunk_side_bend: float = _angle(-40, 40)
    trunk_rotation: float = _angle(-60, 60)
    neck_flexion: float = _angle(-50, 70)
    neck_rotation: float = _angle(-80, 80)
    left_hip_flexion: float = _angle(-30, 140)
    left_hip_abduction: float = _angle(-30, 80)
    left_hip_rotation: float = _angle(-60, 90)
    left_knee_flexion: float = _angle(0, 160)
    left_ankle_dorsiflexion: float = _angle(-60, 35)
    left_shoulder_flexion: float = _angle(-60, 180)
    left_shoulder_abduction: float = _angle(-60, 180)
    left_shoulder_rotation: float = _angle(-90, 90)
    left_elbow_flexion: float = _angle(0, 150)
    left_forearm_pronation: float = _angle(-90, 90)
    left_wrist_extension: float = _angle(-80, 90)
    right_hip_flexion: float = _angle(-30, 140)
    right_hip_abduction: float = _angle(-30, 80)
    right_hip_rotation: float = _angle(-60, 90)
    right_knee_flexion: float = _angle(0, 160)
    right_ankle_dorsiflexion: float = _angle(-60, 35)
    right_shoulder_flexion: float = _angle(-60, 180)
    right_shoulder_abduction: float = _angle(-60, 180)
    right_shoulder_rotation: float = _angle(-90, 90)
    right_elbow_flexion: float = _angle(0, 150)
    right_forearm_pronation: float = _angle(-90, 90)
    right_wrist_extension: float = _angle(-80, 90)
    contacts: list[Annotated[Contact, BeforeValidator(_contact_from_text)]] = Field(min_length=1)

    def angles(self) -> dict[str, float]:
        """Every angle by field name (the contacts left out)."""
        return {name: value for name, value in self if isinstance(value, float)}


class Shift(_Strict):
    """A horizontal move of the end position (m) along the posture's base axes."""

    forward: float = Field(default=0.0, ge=-3, le=3, description="+ = toward the body's front")
    left: float = Field(default=0.0, ge=-3, le=3, description="+ = toward the body's left")
    headward: float = Field(default=0.0, ge=-3, le=3, description="+ = toward the head")


Align = Literal["center", "front", "back", "left", "right"]
"""Where a support sits under its part: centred, or one of its edges (front, back, left,
right, in the posture's base) level with that side of the part, the support reaching
away from it (``front``: the step's front edge under the toes, the step behind)."""
Where = Literal["behind", "in_front", "left", "right"]
"""A horizontal direction in the posture's base: behind = toward the body's back."""


class Band(_Strict):
    """An elastic loop round both legs: above the knees, at the ankles or the forefeet."""

    kind: Literal["band"]
    at: Literal["thighs", "knees", "ankles", "forefeet"]


class AnchoredBand(_Strict):
    """A band looped behind the knee(s) and tied to a post in front (or behind)."""

    kind: Literal["anchored_band"]
    at: Literal["left_knee", "right_knee", "knees"]
    toward: Where = "in_front"
    distance: float = Field(default=0.9, gt=0.2, le=2.5, description="post to knee (m)")


class Support(_Strict):
    """A step, box or bench standing on the floor under a part of the end position."""

    kind: Literal["step", "box", "bench"]
    under: BodyPoint
    height: float | None = Field(
        default=None, gt=0.02, le=1.0, description="m; None: up to the part's lowest point"
    )
    align: Align = "center"
    depth: float | None = Field(default=None, gt=0.1, le=2.0, description="m front to back")
    width: float | None = Field(default=None, gt=0.1, le=2.5, description="m side to side")


class Weight(_Strict):
    """A dumbbell or kettlebell held in the hand(s), or a dumbbell across the hips."""

    kind: Literal["dumbbell", "kettlebell"]
    at: Literal["left_hand", "right_hand", "hands", "pelvis"]

    @model_validator(mode="after")
    def _kettlebell_in_hand(self) -> Self:
        if self.kind == "kettlebell" and self.at == "pelvis":
            raise ValueError("a kettlebell is held in the hand(s): at must be a hand or 'hands'")
        return self


class Cable(_Strict):
    """A cable column beside the person, its cable clipped to a hand or an ankle."""

    kind: Literal["cable"]
    at: Literal["left_hand", "right_hand", "left_ankle", "right_ankle"]
    toward: Where
    distance: float = Field(default=1.0, gt=0.3, le=2.5)


class Wall(_Strict):
    """A wall touching a part (e.g. the back in a wall sit), or beside it for balance."""

    kind: Literal["wall"]
    touching: BodyPoint
    side: Where


class Chair(_Strict):
    """A chair whose back the hand rests on for balance; its seat reaches toward ``side``
    (default: the side of that hand)."""

    kind: Literal["chair"]
    under: Literal["left_hand", "right_hand"]
    side: Where | None = None


class Towel(_Strict):
    """A rolled towel on the floor under a part (e.g. under the knee)."""

    kind: Literal["towel"]
    under: BodyPoint


class Cone(_Strict):
    """A marker cone on the floor beside a part of the end position."""

    kind: Literal["cone"]
    beside: BodyPoint
    side: Where


class FloorProp(_Strict):
    """Things lying on the floor: an exercise mat under the whole figure, a line to hop
    over (half-way between start and end), an agility ladder along the movement, a
    treadmill under the feet, or a leg press (sled at the soles, back pad)."""

    kind: Literal["mat", "line", "ladder", "treadmill", "leg_press"]


Prop = Annotated[
    Band | AnchoredBand | Support | Weight | Cable | Wall | Chair | Towel | Cone | FloorProp,
    Field(discriminator="kind"),
]

EQUIPMENT_DRAWN_AS: dict[Equipment, frozenset[str]] = {
    "none": frozenset(),
    "band": frozenset({"band", "anchored_band"}),
    "step": frozenset({"step"}),
    "box": frozenset({"box"}),
    "dumbbells": frozenset({"dumbbell"}),
    "kettlebell": frozenset({"kettlebell"}),
    "cable": frozenset({"cable"}),
    "machine": frozenset({"leg_press"}),
    "ladder": frozenset({"ladder"}),
    "treadmill": frozenset({"treadmill"}),
}
"""Which drawn prop shows each item of an exercise's ``equipment``."""


class Arrow(_Strict):
    """An arrow along the path a body point travels from the start to the end position.

    ``offset`` (m) moves it sideways off the body: + = away from the figure's middle;
    ``arc`` (m) lifts its middle, for a jump or a hop.
    """

    part: BodyPoint
    offset: float = Field(default=0.1, ge=-0.4, le=0.4)
    arc: float = Field(default=0.0, ge=0, le=0.8)


class Illustration(_Strict):
    """The picture of one exercise: posture, camera, start and end pose, props, arrows."""

    id: Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$", max_length=64)]
    posture: Posture
    view: View
    elevation: float = Field(default=0.0, ge=0, le=75)
    azimuth: float = Field(default=0.0, ge=-90, le=90)
    anchor: BodyPoint
    start: Pose
    end: Pose
    end_shift: Shift = Shift()
    equipment: list[Prop] = Field(default_factory=list)
    arrows: list[Arrow] = Field(min_length=1, max_length=2)

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        up = BASE_UP[self.posture]
        if self.view in (up, OPPOSITE[up]):
            raise ValueError(
                f"view '{self.view}' looks straight down or up at a {self.posture} figure; "
                f"choose a side that is horizontal in this posture (not {up} or {OPPOSITE[up]})"
            )
        vertical = {"front": "forward", "back": "forward", "left": "left", "right": "left"}
        vertical |= {"head": "headward", "feet": "headward"}
        axis = vertical[up]
        if getattr(self.end_shift, axis) != 0:
            raise ValueError(f"end_shift.{axis} is vertical for a {self.posture} figure; use 0")
        kinds: list[str] = [prop.kind for prop in self.equipment]
        for kind in sorted(SUPPORTS):
            if kinds.count(kind) > 1:
                raise ValueError(f"at most one {kind} per picture (contacts name it by kind)")
        for pose_name, pose in (("start", self.start), ("end", self.end)):
            for contact in pose.contacts:
                if contact.on != "floor" and contact.on not in kinds:
                    raise ValueError(
                        f"{pose_name}.contacts: '{contact.part} on {contact.on}' but no "
                        f"{contact.on} is in equipment"
                    )
        first = self.end.contacts[0].on
        for prop in self.equipment:
            if isinstance(prop, Support) and prop.height is None and prop.kind == first:
                raise ValueError(
                    f"the end position rests on the {prop.kind}, so its height cannot be "
                    "measured from that position: give the height"
                )
        return self


def check_illustrations(
    exercises: Mapping[str, Any], illustrations: Mapping[str, Illustration]
) -> list[str]:
    """Exactly one illustration per exercise, naming an existing exercise, drawing its
    equipment. ``exercises`` maps ids to records with an ``equipment`` list."""
    problems: list[str] = []
    for exercise_id in sorted(set(exercises) - set(illustrations)):
        problems.append(f"exercise {exercise_id}: has no illustration")
    for illustration_id in sorted(set(illustrations) - set(exercises)):
        problems.append(f"illustration {illustration_id}: names no exercise")
    for exercise_id in sorted(set(exercises) & set(illustrations)):
        drawn = {prop.kind for prop in illustrations[exercise_id].equipment}
        needed: Sequence[Equipment] = exercises[exercise_id].equipment
        for item in needed:
            shown_by = EQUIPMENT_DRAWN_AS[item]
            if shown_by and not shown_by & drawn:
                problems.append(
                    f"illustration {exercise_id}.equipment: the exercise needs '{item}', "
                    f"so draw one of {sorted(shown_by)}"
                )
    return problems
