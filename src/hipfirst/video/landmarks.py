"""The BlazePose landmark topology: the 33 points, the skeleton drawn, the lower body.

``LEFT``/``RIGHT`` are always the person's own sides (see
:data:`hipfirst.knowledge.vocabulary.Side`): facing the camera, the person's
left hip appears on the right of the image. :data:`HIP`, :data:`KNEE`,
:data:`ANKLE` and :data:`SHOULDER` give the landmark of each side, so no stage
spells the sides again.
"""

from __future__ import annotations

from enum import IntEnum

from hipfirst.knowledge.vocabulary import SIDES, Side


class Landmark(IntEnum):
    """BlazePose 33-landmark topology (MediaPipe ``PoseLandmark`` order).

    ``LEFT``/``RIGHT`` are the person's own sides: facing the camera, the
    person's left hip appears on the right of the image.
    """

    NOSE = 0
    LEFT_EYE_INNER = 1
    LEFT_EYE = 2
    LEFT_EYE_OUTER = 3
    RIGHT_EYE_INNER = 4
    RIGHT_EYE = 5
    RIGHT_EYE_OUTER = 6
    LEFT_EAR = 7
    RIGHT_EAR = 8
    MOUTH_LEFT = 9
    MOUTH_RIGHT = 10
    LEFT_SHOULDER = 11
    RIGHT_SHOULDER = 12
    LEFT_ELBOW = 13
    RIGHT_ELBOW = 14
    LEFT_WRIST = 15
    RIGHT_WRIST = 16
    LEFT_PINKY = 17
    RIGHT_PINKY = 18
    LEFT_INDEX = 19
    RIGHT_INDEX = 20
    LEFT_THUMB = 21
    RIGHT_THUMB = 22
    LEFT_HIP = 23
    RIGHT_HIP = 24
    LEFT_KNEE = 25
    RIGHT_KNEE = 26
    LEFT_ANKLE = 27
    RIGHT_ANKLE = 28
    LEFT_HEEL = 29
    RIGHT_HEEL = 30
    LEFT_FOOT_INDEX = 31
    RIGHT_FOOT_INDEX = 32


N_LANDMARKS = 33
LANDMARK_NAMES: tuple[str, ...] = tuple(member.name.lower() for member in Landmark)
"""``nose``, ``left_eye_inner``, … in index order (used as column/marker names)."""

POSE_CONNECTIONS: tuple[tuple[Landmark, Landmark], ...] = (
    (Landmark.LEFT_SHOULDER, Landmark.RIGHT_SHOULDER),
    (Landmark.LEFT_HIP, Landmark.RIGHT_HIP),
    (Landmark.LEFT_SHOULDER, Landmark.LEFT_HIP),
    (Landmark.RIGHT_SHOULDER, Landmark.RIGHT_HIP),
    (Landmark.LEFT_SHOULDER, Landmark.LEFT_ELBOW),
    (Landmark.LEFT_ELBOW, Landmark.LEFT_WRIST),
    (Landmark.RIGHT_SHOULDER, Landmark.RIGHT_ELBOW),
    (Landmark.RIGHT_ELBOW, Landmark.RIGHT_WRIST),
    (Landmark.LEFT_HIP, Landmark.LEFT_KNEE),
    (Landmark.LEFT_KNEE, Landmark.LEFT_ANKLE),
    (Landmark.LEFT_ANKLE, Landmark.LEFT_HEEL),
    (Landmark.LEFT_HEEL, Landmark.LEFT_FOOT_INDEX),
    (Landmark.LEFT_ANKLE, Landmark.LEFT_FOOT_INDEX),
    (Landmark.RIGHT_HIP, Landmark.RIGHT_KNEE),
    (Landmark.RIGHT_KNEE, Landmark.RIGHT_ANKLE),
    (Landmark.RIGHT_ANKLE, Landmark.RIGHT_HEEL),
    (Landmark.RIGHT_HEEL, Landmark.RIGHT_FOOT_INDEX),
    (Landmark.RIGHT_ANKLE, Landmark.RIGHT_FOOT_INDEX),
)
"""Body segments drawn as the skeleton (face and hands left out)."""

LOWER_BODY: tuple[Landmark, ...] = (
    Landmark.LEFT_SHOULDER,
    Landmark.RIGHT_SHOULDER,
    Landmark.LEFT_HIP,
    Landmark.RIGHT_HIP,
    Landmark.LEFT_KNEE,
    Landmark.RIGHT_KNEE,
    Landmark.LEFT_ANKLE,
    Landmark.RIGHT_ANKLE,
)
"""The landmarks every angle is computed from (shoulders for trunk lean)."""


def _per_side(joint: str) -> dict[Side, Landmark]:
    return {side: Landmark[f"{side.upper()}_{joint}"] for side in SIDES}


HIP: dict[Side, Landmark] = _per_side("HIP")
KNEE: dict[Side, Landmark] = _per_side("KNEE")
ANKLE: dict[Side, Landmark] = _per_side("ANKLE")
SHOULDER: dict[Side, Landmark] = _per_side("SHOULDER")
