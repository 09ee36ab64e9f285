"""Pydantic models of the clinical-rule records of the knowledge base.

Beside the numbers (:class:`~hipfirst.knowledge.schema.Measure`) the knowledge base holds
the rules a clinician would want to read and change without touching code:

* :class:`RedFlag` (``data/red_flags``): each screening red flag, its urgency, what it
  may mean and what to do, and the questionnaire answers that raise it from the data;
* :class:`Condition` (``data/conditions``): differentials to name (hip conditions that
  refer pain to the knee, adolescent apophysitis, patellar instability), the data clues
  and typical ages that raise each one, whether it stops the programme (a referral) and
  the loads to avoid until a clinician has cleared it;
* :class:`Goal` (``data/goals``): what the person returns to, which decides phase 3 and
  the return checklist;
* :class:`LoadFactor` (``data/load_factors``): each load-history item with its own
  advice (runners get running advice);
* :class:`Guidance` (``data/guidance``): education, adjuncts and gait-retraining cues
  shown with plans.

Every record carries its evidence :class:`~hipfirst.knowledge.schema.Status` and sources.
"""

from __future__ import annotations

from typing import Literal, Self

from pydantic import BaseModel, ConfigDict, Field, model_validator

from hipfirst.knowledge.schema import Identifier, LoadType, Status
from hipfirst.knowledge.vocabulary import (
    Activity,
    Clue,
    FrontalMetric,
    GoalId,
    HopTest,
    PainActivity,
    Precaution,
    Urgency,
)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class AkpsAnswer(_Strict):
    """Answers of one AKPS item (1–13, form order) that raise a red flag from the data."""

    item: int = Field(ge=1, le=13)
    points: list[int] = Field(min_length=1, description="the points of the options meant")
    words: str = Field(description="the options in words, for the reason shown")


class RedFlag(_Strict):
    """A screening red flag (``symptoms.red_flags.<id>``): refer before any exercise."""

    id: Identifier
    name: str
    urgency: Urgency
    reason: str = Field(description="what it may mean, plain words")
    action: str = Field(description="what to do, plain words")
    from_akps: list[AkpsAnswer] = Field(
        default_factory=list, description="questionnaire answers that raise it from the data"
    )
    status: Status
    sources: list[Identifier] = Field(min_length=1)
    note: str = ""


class Condition(_Strict):
    """A differential diagnosis hipfirst names when its clues and the age fit.

    ``refer``: naming it stops the programme (a referral with ``urgency``). ``precaution``:
    while it is not cleared by a clinician (``exam.precautions_cleared``), the plan leaves
    out ``excludes_load_types`` and ``excludes_exercises``; ``precaution_clues`` limits the
    precaution to some of the clues (empty: any clue of the condition).
    """

    id: Identifier
    name: str
    region: Literal["hip", "knee"]
    age_low: float | None = Field(default=None, ge=0, le=120)
    age_high: float | None = Field(default=None, ge=0, le=120)
    clues: list[Clue] = Field(min_length=1)
    refer: bool = False
    urgency: Urgency | None = None
    precaution: Precaution | None = None
    precaution_clues: list[Clue] = Field(default_factory=list)
    excludes_load_types: list[LoadType] = Field(default_factory=list)
    excludes_exercises: list[Identifier] = Field(default_factory=list)
    advice: str
    status: Status
    sources: list[Identifier] = Field(min_length=1)
    note: str = ""

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        if self.refer and self.urgency is None:
            raise ValueError("a condition that refers needs an 'urgency'")
        if self.precaution is not None and not (
            self.excludes_load_types or self.excludes_exercises
        ):
            raise ValueError("a precaution must exclude some load types or exercises")
        if self.age_low is not None and self.age_high is not None and self.age_low > self.age_high:
            raise ValueError(f"'age_low' ({self.age_low}) must not exceed 'age_high'")
        unknown = set(self.precaution_clues) - set(self.clues)
        if unknown:
            raise ValueError(f"precaution_clues {sorted(unknown)} are not clues of the condition")
        return self

    def fits_age(self, age_years: float) -> bool:
        """The person's age lies within the condition's typical ages (bounds included)."""
        low_ok = self.age_low is None or age_years >= self.age_low
        return low_ok and (self.age_high is None or age_years <= self.age_high)


class Goal(_Strict):
    """What the person returns to; it decides phase 3 and the return checklist.

    ``from_activities``/``priority``: a goal not set in the assessment is derived from
    the activities (the matching goal with the highest priority). ``plyometric``: impact
    work (hops, bounds, jumps) belongs in phase 3. ``rts_*``: what the return checklist
    of a re-assessment checks for this goal.
    """

    id: GoalId
    name: str
    from_activities: list[Activity] = Field(default_factory=list)
    priority: int = Field(ge=0, le=100)
    phase3_aim: str
    plyometric: bool
    rts_pain_activities: list[PainActivity] = Field(min_length=1)
    rts_hop_tests: list[HopTest] = Field(default_factory=list)
    rts_balance: bool
    rts_ybt_symmetry: Identifier | None = None
    status: Status
    sources: list[Identifier] = Field(min_length=1)

    @model_validator(mode="after")
    def _balance_threshold(self) -> Self:
        if self.rts_balance and self.rts_ybt_symmetry is None:
            raise ValueError("a goal that checks balance needs 'rts_ybt_symmetry'")
        return self


class LoadFactor(_Strict):
    """A load-history item (``symptoms.load_history.<id>``) and its own advice."""

    id: Identifier
    history: str = Field(description="the history item in plain words")
    advice: str = Field(description="advice for everyone, plain words, second person")
    advice_runner: str | None = Field(
        default=None, description="advice for runners instead (running words only for them)"
    )
    status: Status
    sources: list[Identifier] = Field(min_length=1)


GuidanceKind = Literal["education", "adjunct", "gait_retraining", "live_cue"]


class Guidance(_Strict):
    """A piece of guidance a plan shows: education, an adjunct or a running gait cue.

    ``video_metric``: a gait-retraining cue shown when the running video flags that metric;
    a live cue (``kind: live_cue``, the live mirror) is shown while that metric passes the
    threshold measure ``cue_measure``, ``title`` being the words on the screen.
    """

    id: Identifier
    kind: GuidanceKind
    title: str
    text: str = Field(description="for the patient, plain words, second person")
    clinician_note: str = ""
    video_metric: FrontalMetric | None = None
    cue_measure: Identifier | None = Field(
        default=None, description="live cue: the threshold measure past which it is shown"
    )
    status: Status
    sources: list[Identifier] = Field(min_length=1)

    @model_validator(mode="after")
    def _live_cue_complete(self) -> Self:
        if self.kind == "live_cue" and (self.video_metric is None or self.cue_measure is None):
            raise ValueError("a 'live_cue' needs 'video_metric' and 'cue_measure'")
        if self.kind != "live_cue" and self.cue_measure is not None:
            raise ValueError("'cue_measure' belongs to a 'live_cue' only")
        return self
