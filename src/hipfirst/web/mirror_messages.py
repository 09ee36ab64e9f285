"""The live mirror socket's messages from the browser, validated one by one (pydantic).

Every message is one JSON object with a ``type``:

- ``start``: ``task`` (single-leg-squat, step-down, single-leg-stance), ``side`` (left,
  right), ``model`` (lite, full), and ``take`` to carry on with an earlier take after a
  dropped connection;
- ``frame``: ``t`` the browser's clock in milliseconds (increasing), ``w``/``h`` the image
  size in pixels, ``landmarks`` 33 × [x, y, z, visibility] with x, y fractions of the image
  (null: nobody found), ``world`` 33 × [x, y, z] metres (optional), ``brightness`` the
  frame's mean 0..1 (optional), ``tilt`` how far the phone leans sideways from upright in
  degrees, 0..90, from its motion sensor (optional);
- ``stop``: end the take; ``save`` true stores it in the record, false throws it away.

Sizes are bounded (:data:`MAX_MESSAGE_BYTES`, exact array lengths, ranges), so a message
costs a bounded amount of work; :func:`problem_text` turns a validation error into one
plain sentence naming the field, the value and what is allowed.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError

from hipfirst.knowledge.vocabulary import Side
from hipfirst.video.landmarks import N_LANDMARKS

MAX_MESSAGE_BYTES = 32 * 1024
"""A frame with 3D landmarks is about 4 KB of JSON; anything far larger is refused unread."""
MAX_IMAGE_SIDE = 8192
COORDINATE_LIMIT = 10.0
"""Landmarks a little outside the picture are normal (a foot past the edge); far off is not."""

LiveTaskName = Literal["single-leg-squat", "step-down", "single-leg-stance"]
Number = Annotated[float, Field(allow_inf_nan=False, ge=-COORDINATE_LIMIT, le=COORDINATE_LIMIT)]
Point4 = Annotated[list[Number], Field(min_length=4, max_length=4)]
Point3 = Annotated[list[Number], Field(min_length=3, max_length=3)]


class _Message(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class StartMessage(_Message):
    type: Literal["start"]
    task: LiveTaskName
    side: Side
    model: Literal["lite", "full"] = "full"
    take: Annotated[str, Field(min_length=8, max_length=64, pattern=r"^[A-Za-z0-9_-]+$")] | None = (
        None
    )


class FrameMessage(_Message):
    type: Literal["frame"]
    t: Annotated[float, Field(allow_inf_nan=False, ge=0, le=1e12)]
    w: Annotated[int, Field(ge=16, le=MAX_IMAGE_SIDE)]
    h: Annotated[int, Field(ge=16, le=MAX_IMAGE_SIDE)]
    landmarks: Annotated[list[Point4], Field(min_length=N_LANDMARKS, max_length=N_LANDMARKS)] | None
    world: Annotated[list[Point3], Field(min_length=N_LANDMARKS, max_length=N_LANDMARKS)] | None = (
        None
    )
    brightness: Annotated[float, Field(allow_inf_nan=False, ge=0, le=1)] | None = None
    tilt: Annotated[float, Field(allow_inf_nan=False, ge=0, le=90)] | None = None


class StopMessage(_Message):
    type: Literal["stop"]
    save: bool = True


ClientMessage = Annotated[StartMessage | FrameMessage | StopMessage, Field(discriminator="type")]
_ADAPTER: TypeAdapter[StartMessage | FrameMessage | StopMessage] = TypeAdapter(ClientMessage)


def parse_message(text: str) -> StartMessage | FrameMessage | StopMessage:
    """One message from its JSON text; raises :class:`ValueError` with a plain sentence."""
    if len(text.encode()) > MAX_MESSAGE_BYTES:
        raise ValueError(
            f"message of {len(text.encode())} bytes refused: at most {MAX_MESSAGE_BYTES} are "
            "allowed (one frame's landmarks, never an image)"
        )
    try:
        return _ADAPTER.validate_json(text)
    except ValidationError as error:
        raise ValueError(problem_text(error)) from None


def problem_text(error: ValidationError) -> str:
    """The first problem as ``field: what is wrong (value …)``, plus how many more."""
    problems = error.errors(include_url=False)
    first = problems[0]
    where = ".".join(str(part) for part in first["loc"] if part not in ("start", "frame", "stop"))
    value = first.get("input")
    shown = repr(value) if not isinstance(value, (dict, list)) else type(value).__name__
    text = f"{where or 'message'}: {first['msg']} (got {shown[:80]})"
    if len(problems) > 1:
        text += f"; and {len(problems) - 1} more problem(s)"
    return text
