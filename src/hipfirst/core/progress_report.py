"""What progression reads and writes: session-log entries, decisions, phase progress.

A session log holds one :class:`SessionEntry` per exercise per session; progression
answers with an :class:`ExerciseDecision` per exercise and a :class:`PhaseProgress`
per phase, together a :class:`ProgressReport` (``hipfirst progress --json``).
Pain and effort are 0–10 ratings. Pure data: no I/O.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from hipfirst.core.plan import Reason
from hipfirst.knowledge.vocabulary import CriterionStatus

Decision = Literal["advance", "hold", "regress"]
PhaseStatus = Literal["met", "not_met", "locked"]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


LOG_BOUNDS: dict[str, tuple[float, float]] = {
    "sets": (0, 20),
    "reps": (0, 600),
    "pain_during": (0, 10),
    "pain_next_morning": (0, 10),
    "effort": (0, 10),
    "distance_km": (0, 200),
}
"""Allowed ranges of the numeric session-log fields (pain and effort are 0–10 ratings;
the set, repetition and distance bounds only catch typing mistakes; reps up to 600 s
of hold; ``distance_km`` is a run's distance, for the weekly-distance rule)."""


def _log_range(field: str) -> Any:
    """The pydantic bound of a numeric log field, taken from :data:`LOG_BOUNDS`."""
    low, high = LOG_BOUNDS[field]
    return Field(ge=low, le=high)


class SessionEntry(_Frozen):
    """One logged exercise in one session.

    ``reps`` is repetitions per set; for a timed hold it is the seconds held.
    ``pain_next_morning`` may be missing when the log is written the same day (then the
    24-hour response is unknown, and unknown never counts as settled). ``distance_km``:
    the distance of a run (running steps), optional.
    """

    date: dt.date
    exercise_id: str
    sets: Annotated[int, _log_range("sets")]
    reps: Annotated[int, _log_range("reps")]
    load: str = ""
    pain_during: Annotated[float, _log_range("pain_during")]
    pain_next_morning: Annotated[float, _log_range("pain_next_morning")] | None = None
    form_ok: bool
    effort: Annotated[float, _log_range("effort")] | None = None
    notes: str = ""
    distance_km: Annotated[float, _log_range("distance_km")] | None = None

    @property
    def worst_pain(self) -> float:
        """The higher of the pain during and the next morning (0–10)."""
        return max(self.pain_during, self.pain_next_morning or 0.0)


class ExerciseDecision(_Frozen):
    exercise_id: str
    name: str
    decision: Decision
    next_exercise_id: str
    next_exercise_name: str
    action: str
    reasons: list[Reason] = Field(min_length=1)
    sessions_logged: int
    last_date: dt.date
    off_phase: bool = Field(
        default=False, description="logged before its phase: reported, never progressed"
    )


class CriterionResult(_Frozen):
    id: str
    description: str
    status: CriterionStatus
    reasons: list[str] = Field(default_factory=list)
    sources: list[str] = Field(min_length=1)


class PhaseProgress(_Frozen):
    number: int
    name: str
    status: PhaseStatus
    criteria: list[CriterionResult] = Field(default_factory=list)


class ProgressReport(_Frozen):
    """Per-exercise decisions and per-phase criteria; ``current_phase`` is the first
    phase whose criteria are not all met (``completed`` when none is left)."""

    decisions: list[ExerciseDecision]
    phases: list[PhaseProgress]
    current_phase: int
    completed: bool
    sessions_logged: int
    planned_sessions_per_week: int
    log_notes: list[str] = Field(
        default_factory=list, description="what was combined or set aside in the log"
    )
