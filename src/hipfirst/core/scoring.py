"""Questionnaire totals: AKPS (Kujala 1993) and LEFS (Binkley 1999).

Both are plain sums of item points; an incomplete form is not scored (None),
because a sum over fewer items would look like a worse result.
The item values were checked when the file was parsed
(:mod:`hipfirst.core.assessment`).
"""

from __future__ import annotations

from collections.abc import Sequence

from hipfirst.core.assessment import AKPS_ITEMS, LEFS_ITEM_COUNT


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
