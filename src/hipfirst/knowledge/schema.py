"""Pydantic models of the knowledge base files (``knowledge/data/*.yaml``).

The knowledge base is data, not code: every clinical number hipfirst uses
(thresholds, norms, MCID/MDC, dosage ranges, pain zones, return-to-sport
criteria) is a :class:`Measure` with its sources and an evidence
:class:`Status`; every exercise is an :class:`Exercise`; every source is a
:class:`Reference`. Cross-references (source ids, easier/harder exercise ids)
are checked by :func:`hipfirst.knowledge.loader.check_cross_references`.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Literal, Self

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from hipfirst.knowledge.vocabulary import Activity, Equipment, GoalId

Identifier = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$", max_length=64)]
"""Snake-case id, e.g. ``side_lying_hip_abduction`` or ``herrington_2014``."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class Status(StrEnum):
    """How far a number can be trusted; always shown next to the number.

    From most to least trusted: ``published`` (read in the primary paper or an indexed
    copy of it), ``derived`` (put together by hipfirst from published inputs),
    ``borrowed`` (validated in another population), ``secondary`` (seen only in a
    review, calculator or summary that reproduces the primary source),
    ``expert_opinion`` (a consensus or clinical judgement without measured support),
    ``web_article`` (stated by a clinic's or blog's web page), ``unconfirmed`` (not seen
    in any stored source).
    """

    PUBLISHED = "published"
    DERIVED = "derived"
    BORROWED = "borrowed"
    SECONDARY = "secondary"
    EXPERT_OPINION = "expert_opinion"
    WEB_ARTICLE = "web_article"
    UNCONFIRMED = "unconfirmed"


ReferenceKind = Literal["journal", "guideline", "preprint", "web_article"]
"""What a reference is: a journal paper, a clinical guideline (national or hospital),
a preprint, or grey literature on the web (a clinic's article, a blog, a reference site)."""


class Reference(_Strict):
    """A published source that backs numbers or exercises."""

    id: Identifier
    authors: str
    year: int | None = Field(default=None, ge=1900, le=2100, description="None: undated web page")
    title: str
    journal: str = Field(description="journal, or 'web article' / publisher for grey literature")
    doi: str | None = None
    kind: ReferenceKind = "journal"
    note: str = ""

    def short(self) -> str:
        """``Herrington 2014``-style label for tables."""
        first = self.authors.split(",")[0].split(" ")[0]
        return f"{first} {self.year if self.year is not None else 'n.d.'}"


MeasureKind = Literal[
    "threshold",  # a cut-off: flag when the value is above/below ``value``
    "range",  # an allowed or typical interval ``low``–``high``
    "norm",  # a population mean (``value``) with optional ``sd``
    "mcid",  # minimal clinically important difference
    "mdc",  # minimal detectable change / smallest detectable difference
    "sem",  # standard error of measurement
    "deficit",  # a reported group difference (e.g. 26% weaker)
    "odds_ratio",  # a reported association
    "rmse",  # root-mean-square error of a measurement against a reference method
    "estimate",  # a value a calculation assumes (e.g. seconds per repetition)
]


class Measure(_Strict):
    """A clinical number with its unit, context, evidence status and sources."""

    id: Identifier
    name: str
    kind: MeasureKind
    unit: str
    value: float | None = None
    low: float | None = None
    high: float | None = None
    sd: float | None = Field(default=None, ge=0)
    direction: Literal["above", "below"] | None = None
    context: str = Field(description="population, task or condition in plain words")
    status: Status
    sources: list[Identifier] = Field(min_length=1)
    note: str = ""

    @model_validator(mode="after")
    def _shape_matches_kind(self) -> Self:
        if self.kind == "range":
            if self.low is None or self.high is None:
                raise ValueError("a 'range' measure needs both 'low' and 'high'")
            if self.low > self.high:
                raise ValueError(f"'low' ({self.low}) must not exceed 'high' ({self.high})")
        elif self.value is None:
            raise ValueError(f"a '{self.kind}' measure needs 'value'")
        if self.kind == "threshold" and self.direction is None:
            raise ValueError("a 'threshold' measure needs 'direction' (above or below)")
        return self

    def describe(self) -> str:
        """Human-readable value, e.g. ``> 13.5 deg``, ``8–20 reps``, ``mean 10.19 % BW·h``.

        A minimal clinically important difference or detectable change is a size of
        *change* between two assessments, never a cut-off for one score, and reads so:
        ``a change of 10 points (MCID)``.
        """
        if self.kind == "range":
            return f"{_fmt(self.low)}–{_fmt(self.high)} {self.unit}"
        if self.kind in ("mcid", "mdc"):
            return f"a change of {_fmt(self.value)} {self.unit} ({self.kind.upper()})"
        if self.kind == "sem":
            return f"± {_fmt(self.value)} {self.unit} (SEM)"
        prefix = {"above": "> ", "below": "< "}.get(self.direction or "", "")
        if self.kind == "norm":
            prefix = "mean "
        spread = f" ± {_fmt(self.sd)}" if self.sd is not None else ""
        return f"{prefix}{_fmt(self.value)}{spread} {self.unit}"


def _fmt(number: float | None) -> str:
    if number is None:
        return "?"
    return f"{number:g}"


Muscle = Literal[
    "gluteus_medius",
    "gluteus_maximus",
    "gluteus_minimus",
    "hip_external_rotators",
    "hip_abductors",
    "hip_extensors",
    "hip_flexors",
    "hip_adductors",
    "tensor_fasciae_latae",
    "quadriceps",
    "vastus_medialis",
    "hamstrings",
    "calf",
    "trunk_lateral",
    "trunk_anterior",
    "trunk_posterior",
    "iliotibial_band",
]


LoadType = Literal[
    "body_weight",
    "elastic",
    "external",
    "isometric",
    "plyometric",
    "stretch",
    "mobility",
    "running",
]
"""How an exercise loads the body (``plyometric``: hops, bounds, jumps and drills with
impact; ``running``: a step of the running progression)."""


class Activation(_Strict):
    """EMG activation of one muscle during the exercise, in % of MVIC."""

    muscle: Muscle
    pct_mvic: float = Field(ge=0, le=200)
    sd: float | None = Field(default=None, ge=0)
    status: Status
    source: Identifier
    note: str = ""


class GlutealTflIndex(_Strict):
    """Selkowitz 2013 gluteal-to-TFL activation index (higher = more gluteal)."""

    value: float
    status: Status
    source: Identifier


class Dosage(_Strict):
    """Default dosage; prescription keeps it inside the knowledge-base ranges."""

    sets: int = Field(ge=1, le=5)
    reps: int | None = Field(default=None, ge=1, le=60)
    hold_s: int | None = Field(default=None, ge=1, le=300)
    per_side: bool = True
    load: str = Field(description="what resistance, e.g. 'body weight', 'light band'")

    @model_validator(mode="after")
    def _reps_or_hold(self) -> Self:
        if (self.reps is None) == (self.hold_s is None):
            raise ValueError("give exactly one of 'reps' or 'hold_s'")
        return self


class Exercise(_Strict):
    """One exercise of the library, with the evidence behind its choice."""

    id: Identifier
    name: str
    description: str
    phases: list[Literal[1, 2, 3]] = Field(min_length=1)
    region: Literal["hip", "knee", "trunk", "mobility", "running", "balance"]
    target_muscles: list[Muscle] = Field(min_length=1)
    addresses: list[Identifier] = Field(
        default_factory=list, description="contributor ids this exercise helps with"
    )
    activation: list[Activation] = Field(default_factory=list)
    gluteal_tfl_index: GlutealTflIndex | None = None
    equipment: list[Equipment] = Field(min_length=1)
    chain: Literal["open", "closed"]
    load_type: LoadType
    dosage: Dosage
    cues: list[str] = Field(min_length=2, max_length=4)
    faults: list[str] = Field(min_length=1)
    easier: list[Identifier] = Field(default_factory=list)
    harder: list[Identifier] = Field(default_factory=list)
    sources: list[Identifier] = Field(min_length=1)
    activities: list[Activity] = Field(
        default_factory=list,
        description="prescribed only to people doing one of these activities; empty: anyone",
    )
    goals: list[GoalId] = Field(
        default_factory=list,
        description="prescribed only for one of these goals (phase 3 work); empty: any goal",
    )
    entry_point: bool = Field(
        default=True,
        description=(
            "False: reached only by progression from its easier variant, so a plan never "
            "starts the patient on it (e.g. the band at the forefeet before the ankles)"
        ),
    )
    knee_bending: bool = Field(
        default=False,
        description="loads the knee through flexion, so the early-phase knee range applies",
    )
    after_usual_running_distance: bool = Field(
        default=False,
        description=(
            "a running step reached only once the runner's usual weekly distance is back "
            "(speed and hills after distance)"
        ),
    )


class Contributor(_Strict):
    """A kinetic-chain contributor to knee pain, explained two ways."""

    id: Identifier
    name: str
    patient_explanation: str = Field(description="plain words, second person")
    clinician_explanation: str
    sources: list[Identifier] = Field(min_length=1)


CriterionKind = Literal["pain", "mastery", "form", "reassessment"]
"""What decides a phase criterion: the session log (pain, mastery, form) or a re-assessment."""


class PhaseCriterion(_Strict):
    """One condition for leaving a programme phase (criteria-based, not calendar-based).

    ``kind`` says what decides it: ``pain`` and ``mastery`` and ``form`` from the
    session log, ``reassessment`` from a re-assessment (return-to-sport checklist).
    """

    id: Identifier
    kind: CriterionKind
    description: str
    measure_ids: list[Identifier] = Field(default_factory=list)
    sources: list[Identifier] = Field(min_length=1)


class Phase(_Strict):
    """A programme phase (seed 003): typical weeks, aim and advancement criteria."""

    id: Identifier
    number: int = Field(ge=1, le=3)
    name: str
    first_week: int = Field(ge=1)
    last_week: int = Field(ge=1)
    open_ended: bool = Field(default=False, description="the phase may run past last_week")
    aim: str
    advance_when: list[PhaseCriterion] = Field(min_length=1)
    sources: list[Identifier] = Field(min_length=1)

    @model_validator(mode="after")
    def _weeks_in_order(self) -> Self:
        if self.first_week > self.last_week:
            raise ValueError(
                f"'first_week' ({self.first_week}) must not exceed 'last_week' ({self.last_week})"
            )
        return self


class KnowledgeFile(_Strict):
    """Top of every data file: a schema version and one list of records."""

    version: int = Field(ge=1)
