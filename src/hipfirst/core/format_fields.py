"""Building blocks of the assessment format's models: strict sections and bounded numbers.

Shared by :mod:`hipfirst.core.assessment` (format v1) and :mod:`hipfirst.core.exam_sections`
(the optional sections format v2 adds), so both report a bad value the same way:
``must be between 8 and 100``. Pure: no I/O.
"""

from __future__ import annotations

import math
from typing import Any

from pydantic import BaseModel, BeforeValidator, ConfigDict
from pydantic_core import PydanticCustomError


def number_text(number: float) -> str:
    """``8`` rather than ``8.0`` in messages."""
    return f"{number:g}"


def between(low: float, high: float, *, whole: bool = False, step: float | None = None) -> Any:
    """A before-validator: a real number (not a bool or a string) within [low, high].

    ``whole`` asks for an integer; ``step`` for a multiple of it (e.g. 0.5).
    """
    span = f"between {number_text(low)} and {number_text(high)}"
    kind = "a whole number" if whole else "a number"

    def check(value: object) -> object:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise PydanticCustomError(
                "hipfirst", "must be {kind} {span}", {"kind": kind, "span": span}
            )
        number = float(value)
        if not math.isfinite(number) or number < low or number > high:
            raise PydanticCustomError("hipfirst", "must be {span}", {"span": span})
        if whole and not number.is_integer():
            raise PydanticCustomError(
                "hipfirst", "must be {kind} {span}", {"kind": kind, "span": span}
            )
        if step is not None and not (number / step).is_integer():
            raise PydanticCustomError(
                "hipfirst",
                "must be {span} in steps of {step}",
                {"span": span, "step": number_text(step)},
            )
        return value

    return BeforeValidator(check)


class Section(BaseModel):
    """A section of the format: unknown fields are errors, values never change once read."""

    model_config = ConfigDict(extra="forbid", frozen=True)
