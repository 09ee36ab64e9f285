"""Questionnaire totals: AKPS (Kujala 1993), LEFS (Binkley 1999), KOOS-PF (Crossley 2018).

AKPS and LEFS are plain sums of item points; KOOS-PF uses the standard KOOS transform
(100 − mean item × 25, 100 = no problems; applying it to KOOS-PF is an inference, so the
score is labelled unconfirmed). An incomplete form is not scored (None), because a score
over fewer items would look like a worse (or better) result.
The item values were checked when the file was parsed
(:mod:`hipfirst.core.assessment`).
"""

from __future__ import annotations

from collections.abc import Sequence

from hipfirst.core.assessment import AKPS_ITEMS, LEFS_ITEM_COUNT
from hipfirst.core.exam_sections import KOOS_PF_ITEM_COUNT, KOOS_PF_ITEM_MAX


def akps_total(items: Sequence[int] | None) -> int | None:
    """AKPS 0–100 (higher = better), or None when not all 13 items are answered."""
    if items is None or len(items) != len(AKPS_ITEMS):
        return None
    return sum(items)


def lefs_total(items: Sequence[int] | None) -> int | None:
    """LEFS 0–80 (higher = better), or None when not all 20 items are answered."""
    if items is None or len(items) != LEFS_ITEM_COUNT:
        return None
    return sum(items)


def koos_pf_score(items: Sequence[int] | None) -> float | None:
    """KOOS-PF 0–100 (100 = no problems), or None when not all 11 items are answered.

    Items are 0 (none) to 4 (extreme): score = 100 − mean × 100 / 4.
    """
    if items is None or len(items) != KOOS_PF_ITEM_COUNT:
        return None
    return 100.0 - sum(items) / len(items) * 100.0 / KOOS_PF_ITEM_MAX
