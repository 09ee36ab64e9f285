"""Word lists shared by the assessment format and the knowledge base.

``patient.activities`` and ``patient.equipment`` in the assessment file (the
contract in ``shared/domain/exam-format.md``) use the same words as an
exercise's ``activities`` and ``equipment`` in the knowledge base, so that a
person's answers can be matched to exercises directly. Defined once here; this
module imports nothing from hipfirst, so both sides can use it without a cycle.
"""

from __future__ import annotations

from typing import Literal, get_args

Activity = Literal[
    "running",
    "cycling",
    "court_sports",
    "field_sports",
    "jumping_sports",
    "lifting",
    "hiking",
    "dance",
    "general_fitness",
    "none",
]
"""What the person does for sport or exercise (``none``: nothing regular)."""

Equipment = Literal[
    "none",
    "band",
    "step",
    "dumbbells",
    "kettlebell",
    "cable",
    "machine",
    "box",
    "ladder",
    "treadmill",
]
"""What the person has to train with (``none``: body weight only)."""

ACTIVITIES: tuple[Activity, ...] = get_args(Activity)
EQUIPMENT: tuple[Equipment, ...] = get_args(Equipment)
