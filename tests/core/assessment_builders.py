"""A minimal valid assessment document for tests to modify (plain dicts, as from YAML)."""

from __future__ import annotations

import copy
from typing import Any

MINIMAL: dict[str, Any] = {
    "version": 1,
    "date": "2026-11-20",
    "patient": {"age_years": 30, "sex": "female", "body_mass_kg": 60.0, "height_cm": 167},
    "symptoms": {
        "side": "right",
        "location": "anterior",
        "duration_weeks": 8,
        "worst_pain_nrs": 5,
    },
}


def minimal() -> dict[str, Any]:
    """A fresh deep copy of :data:`MINIMAL`."""
    return copy.deepcopy(MINIMAL)
