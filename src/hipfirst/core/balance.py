"""Y-Balance Test arithmetic (evidence.md §4.1, Appendix A).

Reaches and limb length are centimetres (limb length: ASIS to medial
malleolus); normalised values are % of limb length (% LL).
"""

from __future__ import annotations


def normalised_reach(reach_cm: float, limb_length_cm: float) -> float:
    """One direction's reach as % of limb length."""
    return reach_cm / limb_length_cm * 100.0


def composite_reach(
    anterior_cm: float, posteromedial_cm: float, posterolateral_cm: float, limb_length_cm: float
) -> float:
    """(ANT + PM + PL) / (3 x limb length) x 100, in % LL (Plisky 2006)."""
    total = anterior_cm + posteromedial_cm + posterolateral_cm
    return total / (3.0 * limb_length_cm) * 100.0


def anterior_asymmetry(left_anterior_cm: float, right_anterior_cm: float) -> float:
    """|left - right| anterior reach, cm (flagged above 4 cm by Plisky 2006)."""
    return abs(left_anterior_cm - right_anterior_cm)
