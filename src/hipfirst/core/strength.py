"""Hand-held dynamometer strength: normalisation and limb symmetry (evidence.md §3.1, App. A).

Forces are newtons, masses kilograms, lever arms metres, heights centimetres.
These are standard mechanics (status ``derived``); the LSI definition is
Gokeler 2017's involved / uninvolved x 100.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Literal, get_args

from hipfirst.knowledge.vocabulary import Side

STANDARD_GRAVITY = 9.81
"""m/s², as in the evidence brief's formulas (Appendix A)."""

Movement = Literal["hip_abduction", "hip_external_rotation", "hip_extension", "knee_extension"]
MOVEMENTS: tuple[Movement, ...] = get_args(Movement)


def newtons_per_kg(force_n: float, mass_kg: float) -> float:
    """Force normalised to body mass, N/kg."""
    return force_n / mass_kg


def newton_metres_per_kg(force_n: float, lever_arm_m: float, mass_kg: float) -> float:
    """Torque (force x lever arm) normalised to body mass, N·m/kg."""
    return force_n * lever_arm_m / mass_kg


def percent_body_weight(force_n: float, mass_kg: float) -> float:
    """Force as a percentage of body weight (mass x 9.81 m/s²), % BW."""
    return force_n / (mass_kg * STANDARD_GRAVITY) * 100.0


def percent_body_weight_height(
    force_n: float, lever_arm_m: float, mass_kg: float, height_cm: float
) -> float:
    """Torque normalised to body weight x height (Fredericson 2000), % BW·h."""
    torque = force_n * lever_arm_m
    return torque / (mass_kg * STANDARD_GRAVITY * height_cm / 100.0) * 100.0


def limb_symmetry_index(involved: float, uninvolved: float) -> float | None:
    """Involved / uninvolved x 100 (%); None when the uninvolved value is zero."""
    if uninvolved <= 0:
        return None
    return involved / uninvolved * 100.0


def involved_and_other(
    symptom_side: Literal["left", "right", "both"], left: float, right: float
) -> tuple[Side, Side]:
    """Which side is 'involved' for an index: the painful side, or with pain on
    both sides the weaker one (lower value), so a deficit shows as LSI < 100.

    Ties with ``both`` count the right side as involved (a fixed, stated choice).
    """
    if symptom_side == "left":
        return "left", "right"
    if symptom_side == "right":
        return "right", "left"
    return ("left", "right") if left < right else ("right", "left")


def side_symmetry(
    symptom_side: Literal["left", "right", "both"], values: Mapping[Side, float]
) -> tuple[Side, Side, float | None]:
    """The involved side, the other side and involved / other x 100 (%).

    ``values`` holds one number per side (force, reach); the involved side is
    chosen by :func:`involved_and_other`; the index is None when the other is zero.
    """
    involved, other = involved_and_other(symptom_side, values["left"], values["right"])
    return involved, other, limb_symmetry_index(values[involved], values[other])
