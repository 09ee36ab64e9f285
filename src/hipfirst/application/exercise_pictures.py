"""Use case: the picture of one exercise (``/exercises/{id}.svg``, the handout later).

Drawn once per process from the shipped knowledge base (the illustrations never change
while it runs) and kept with an ETag, so browsers can revalidate instead of downloading
again.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import cache

from hipfirst.core.figures import draw_exercise
from hipfirst.knowledge.loader import knowledge_base


@dataclass(frozen=True)
class ExercisePicture:
    """The SVG text and its entity tag (a quoted hash of the text)."""

    svg: str
    etag: str


def exercise_picture(exercise_id: str) -> ExercisePicture | None:
    """The picture of ``exercise_id``; None when the library has no such exercise."""
    if exercise_id not in knowledge_base().exercises:
        return None
    return _drawn(exercise_id)


@cache
def _drawn(exercise_id: str) -> ExercisePicture:
    kb = knowledge_base()
    svg = draw_exercise(kb.exercise(exercise_id), kb.illustrations[exercise_id])
    digest = hashlib.sha256(svg.encode()).hexdigest()[:20]
    return ExercisePicture(svg=svg, etag=f'"{digest}"')
