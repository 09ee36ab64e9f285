"""The assessment file format (v1, and v2's optional sections) as pydantic models, and its parser.

The field names, units and allowed values are the contract written in
``shared/domain/exam-format.md`` (format v1); the bounds below are that contract (where
the format names no bound, the one chosen here says so). Format v2 adds optional
sections only (:mod:`hipfirst.core.exam_sections`): every v1 file still loads, and a
``version: 1`` file that uses a v2 section is told to say ``version: 2``. Unknown fields
are errors so that a typo is never silently ignored. :func:`parse_assessment`
turns every problem in a document into one :class:`InputValidationError`
whose lines name the dotted field, what is allowed and the value given.

The AKPS item points come from ``evidence.md`` §6.1 (the Kujala 1993 scale
as reproduced in J Orthop 2023); some calculators print other weights for
two options, see ``docs/clinical-engine.md``.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Sequence
from typing import Annotated, Literal

from pydantic import BeforeValidator, Field, StrictBool, ValidationError, field_validator
from pydantic_core import ErrorDetails, PydanticCustomError

from hipfirst.core.exam_sections import (
    KOOS_PF_ITEM_COUNT,
    KOOS_PF_ITEM_MAX,
    Flexibility,
    FootPosture,
    HopDistances,
    PatellarInstability,
    SidedFlags,
    SidedTest,
    SideHopCount,
    StepDownScores,
    TenderSite,
    TestResult,
    v2_fields_used,
)
from hipfirst.core.format_fields import Section as _Section
from hipfirst.core.format_fields import between as _between
from hipfirst.errors import FieldError, InputValidationError
from hipfirst.knowledge.vocabulary import (
    ACTIVITIES as ACTIVITIES,  # re-exported: the format's words
)
from hipfirst.knowledge.vocabulary import Activity, Equipment, GoalId, Precaution

FORMAT_VERSION = 2
"""The version this hipfirst writes; it reads 1 and 2 (:data:`FORMAT_VERSIONS`)."""
FORMAT_VERSIONS = (1, 2)

SymptomSide = Literal["left", "right", "both"]

EquipmentItem = Equipment
"""One word of ``patient.equipment`` (the name the web form imports)."""

Rating = Literal["good", "fair", "poor"]
PainLocation = Literal["anterior", "lateral", "medial", "posterior", "diffuse"]

AKPS_ITEMS: tuple[tuple[str, tuple[int, ...]], ...] = (
    ("limp", (0, 3, 5)),
    ("support", (0, 3, 5)),
    ("walking", (0, 2, 3, 5)),
    ("stairs", (0, 5, 8, 10)),
    ("squatting", (0, 2, 3, 4, 5)),
    ("running", (0, 3, 6, 8, 10)),
    ("jumping", (0, 2, 7, 10)),
    ("prolonged sitting", (0, 4, 6, 8, 10)),
    ("pain", (0, 3, 6, 8, 10)),
    ("swelling", (0, 4, 6, 8, 10)),
    ("patellar subluxation", (0, 2, 4, 6, 10)),
    ("thigh atrophy", (0, 3, 5)),
    ("flexion deficiency", (0, 3, 5)),
)
"""AKPS (Kujala 1993) item name and the points each option gives, in form order
(evidence.md §6.1, source id ``kujala_1993``)."""

LEFS_ITEM_COUNT = 20
LEFS_ITEM_MAX = 4


class LegLengths(_Section):
    """ASIS to medial malleolus, cm (the format names no bound; 40–130 cm chosen here)."""

    left: Annotated[float, _between(40, 130)]
    right: Annotated[float, _between(40, 130)]


class Patient(_Section):
    id: str | None = None
    age_years: Annotated[float, _between(8, 100)]
    sex: Literal["female", "male", "other"]
    body_mass_kg: Annotated[float, _between(20, 250)]
    height_cm: Annotated[float, _between(100, 230)]
    leg_length_cm: LegLengths | None = None
    activities: list[Activity] = Field(default_factory=list)
    weekly_running_km: Annotated[float, _between(0, 300)] | None = None
    equipment: list[Equipment] = Field(default_factory=list)
    minutes_per_session: Annotated[float, _between(10, 120)] | None = None
    goal: GoalId | None = None


PainScore = Annotated[float, _between(0, 10, step=0.5)]
"""0–10 numeric pain rating, whole or half points."""


class PainDuring(_Section):
    stairs: PainScore | None = None
    squatting: PainScore | None = None
    running: PainScore | None = None
    prolonged_sitting: PainScore | None = None
    hopping: PainScore | None = None
    walking: PainScore | None = None
    cutting: PainScore | None = None


class HipSymptoms(_Section):
    groin_pain: StrictBool = False
    buttock_pain: StrictBool = False
    lateral_hip_pain: StrictBool = False
    hip_stiffness: StrictBool = False
    hip_clicking: StrictBool = False


class RedFlags(_Section):
    trauma_with_rapid_swelling: StrictBool = False
    locking: StrictBool = False
    giving_way: StrictBool = False
    hot_swollen_joint_or_fever: StrictBool = False
    night_or_constant_rest_pain: StrictBool = False
    unexplained_weight_loss: StrictBool = False
    calf_swelling_or_tenderness: StrictBool = False
    numbness_or_weakness: StrictBool = False
    painful_limited_hip_rotation_adolescent: StrictBool = False


class LoadHistory(_Section):
    rapid_mileage_increase: StrictBool = False
    added_hills: StrictBool = False
    high_volume_single_leg_work: StrictBool = False
    mostly_sedentary: StrictBool = False
    single_sport: StrictBool = False
    previous_lower_limb_injury: StrictBool = False


class Symptoms(_Section):
    side: SymptomSide
    location: PainLocation
    duration_weeks: Annotated[float, _between(0, 1040)]
    worst_pain_nrs: PainScore
    pain_during: PainDuring = Field(default_factory=PainDuring)
    hip_symptoms: HipSymptoms = Field(default_factory=HipSymptoms)
    knee_treatment_failed: StrictBool = False
    red_flags: RedFlags = Field(default_factory=RedFlags)
    load_history: LoadHistory = Field(default_factory=LoadHistory)
    tender_site: TenderSite | None = None
    patellar_instability: PatellarInstability | None = None


Newtons = Annotated[float, _between(0, 1500)]


class StrengthTest(_Section):
    """Hand-held dynamometer peak force per side (N) and the lever arm (m) for torque.

    A side may be missing (not tested); the lever arm bound 0.05–1.5 m is chosen here.
    """

    left: Newtons | None = None
    right: Newtons | None = None
    lever_arm_m: Annotated[float, _between(0.05, 1.5)] | None = None


class Strength(_Section):
    hip_abduction: StrengthTest | None = None
    hip_external_rotation: StrengthTest | None = None
    hip_extension: StrengthTest | None = None
    knee_extension: StrengthTest | None = None


Degrees = Annotated[float, _between(0, 90)]


class RomPair(_Section):
    left: Degrees | None = None
    right: Degrees | None = None


class HipRom(_Section):
    internal_rotation: RomPair | None = None
    external_rotation: RomPair | None = None
    internal_rotation_painful: SidedFlags | None = None


Reach = Annotated[float, _between(0, 200)]


class YBalanceSide(_Section):
    """Best reach per direction, cm."""

    anterior: Reach
    posteromedial: Reach
    posterolateral: Reach


class YBalance(_Section):
    left: YBalanceSide | None = None
    right: YBalanceSide | None = None


class SingleLegSquatSide(_Section):
    overall: Rating | None = None
    trunk: Rating | None = None
    pelvis: Rating | None = None
    hip: Rating | None = None
    knee: Rating | None = None


class SingleLegSquat(_Section):
    left: SingleLegSquatSide | None = None
    right: SingleLegSquatSide | None = None


class Trendelenburg(_Section):
    left: TestResult | None = None
    right: TestResult | None = None


class Exam(_Section):
    strength_n: Strength | None = None
    hip_rom_deg: HipRom | None = None
    y_balance_cm: YBalance | None = None
    single_leg_squat_rating: SingleLegSquat | None = None
    trendelenburg: Trendelenburg | None = None
    video_analyses: list[str] = Field(default_factory=list)
    patellar_apprehension: SidedTest | None = None
    hop_distance_cm: HopDistances | None = None
    side_hop_count: SideHopCount | None = None
    step_down_score: StepDownScores | None = None
    flexibility: Flexibility | None = None
    foot_posture_index: FootPosture | None = None
    precautions_cleared: list[Precaution] | None = None


class Questionnaires(_Section):
    """Item answers in form order; fewer items than the form has = incomplete (not scored)."""

    akps: list[Annotated[int, _between(0, 10, whole=True)]] | None = Field(
        default=None, max_length=len(AKPS_ITEMS)
    )
    lefs: list[Annotated[int, _between(0, LEFS_ITEM_MAX, whole=True)]] | None = Field(
        default=None, max_length=LEFS_ITEM_COUNT
    )
    koos_pf: list[Annotated[int, _between(0, KOOS_PF_ITEM_MAX, whole=True)]] | None = Field(
        default=None, max_length=KOOS_PF_ITEM_COUNT
    )

    @field_validator("akps")
    @classmethod
    def _akps_points_exist(cls, items: list[int] | None) -> list[int] | None:
        if items is None:
            return items
        wrong = [
            (index, value) for index, value in enumerate(items) if value not in AKPS_ITEMS[index][1]
        ]
        if wrong:
            raise PydanticCustomError("akps_item", "AKPS item points not allowed", {"wrong": wrong})
        return items

    @property
    def akps_complete(self) -> bool:
        return self.akps is not None and len(self.akps) == len(AKPS_ITEMS)

    @property
    def lefs_complete(self) -> bool:
        return self.lefs is not None and len(self.lefs) == LEFS_ITEM_COUNT

    @property
    def koos_pf_complete(self) -> bool:
        return self.koos_pf is not None and len(self.koos_pf) == KOOS_PF_ITEM_COUNT


def _iso_date_only(value: object) -> object:
    """Only ``2026-11-20`` (or a date): pydantic reads ``0``, ``1798761600`` as Unix time."""
    if isinstance(value, dt.date) or (
        isinstance(value, str) and re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value.strip())
    ):
        return value
    raise PydanticCustomError("hipfirst", "must be an ISO date such as 2026-11-20")


def _whole_version(value: object) -> object:
    """A whole number (1 or 2), not ``true`` or ``1.0`` (which compare equal to them)."""
    if type(value) is not int:
        raise PydanticCustomError("hipfirst", "must be 1 or 2")
    return value


class Assessment(_Section):
    """One assessment (format v1 or v2). ``patient`` and ``symptoms`` are required."""

    version: Annotated[Literal[1, 2], BeforeValidator(_whole_version)]
    date: Annotated[dt.date, BeforeValidator(_iso_date_only)]
    patient: Patient
    symptoms: Symptoms
    exam: Exam = Field(default_factory=Exam)
    questionnaires: Questionnaires = Field(default_factory=Questionnaires)


def akps_item_rule(index: int) -> str:
    """``item 4 (stairs) allows 0, 5, 8, 10``: what one AKPS item accepts."""
    name, points = AKPS_ITEMS[index]
    return f"item {index + 1} ({name}) allows {', '.join(str(p) for p in points)}"


def _location(parts: Sequence[int | str]) -> str:
    text = ""
    for part in parts:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else part
    return text


def _join_choices(expected: str) -> str:
    """Pydantic's "'a', 'b' or 'c'" → "a, b, c"."""
    return expected.replace("'", "").replace(" or ", ", ")


_Translator = Callable[[ErrorDetails], str]

_MESSAGES: dict[str, _Translator] = {
    "extra_forbidden": lambda e: "unknown field",
    "missing": lambda e: "required field is missing",
    "literal_error": lambda e: f"must be one of: {_join_choices(str(e['ctx']['expected']))}",
    "enum": lambda e: f"must be one of: {_join_choices(str(e['ctx']['expected']))}",
    "bool_type": lambda e: "must be true or false",
    "string_type": lambda e: "must be text",
    "list_type": lambda e: "must be a list",
    "model_type": lambda e: "must be a mapping of fields",
    "model_attributes_type": lambda e: "must be a mapping of fields",
    "dict_type": lambda e: "must be a mapping of fields",
    "too_long": lambda e: (
        f"must have at most {e['ctx']['max_length']} items (got {e['ctx']['actual_length']})"
    ),
    "date_type": lambda e: "must be an ISO date such as 2026-11-20",
    "date_parsing": lambda e: "must be an ISO date such as 2026-11-20",
    "date_from_datetime_parsing": lambda e: "must be an ISO date such as 2026-11-20",
    "date_from_datetime_inexact": lambda e: "must be an ISO date such as 2026-11-20",
}


def field_errors(error: ValidationError) -> list[FieldError]:
    """Pydantic errors as field errors: dotted location, allowed values in words, value."""
    problems: list[FieldError] = []
    for detail in error.errors(include_url=False):
        loc = list(detail["loc"])
        kind = detail["type"]
        value = detail.get("input")
        if kind == "akps_item":
            for index, given in detail["ctx"]["wrong"]:
                problems.append(FieldError(_location([*loc, index]), akps_item_rule(index), given))
            continue
        if kind == "literal_error" and loc == ["version"]:
            problems.append(FieldError(_location(loc), "must be 1 or 2", value))
            continue
        translate = _MESSAGES.get(kind)
        message = translate(detail) if translate is not None else detail["msg"]
        shown = None if kind in {"extra_forbidden", "missing"} else value
        if isinstance(shown, dict | list):
            shown = None
        problems.append(FieldError(_location(loc), message, shown))
    return problems


def parse_assessment(data: object, source: str) -> Assessment:
    """Validate a decoded YAML/JSON document; every problem is reported at once.

    ``source`` (usually the file name) heads the error message.
    """
    if not isinstance(data, dict):
        raise InputValidationError(
            source, [FieldError("(top level)", "must be a mapping with 'version', 'patient', …")]
        )
    problems: list[FieldError] = []
    if data.get("version") == 1:
        problems = [
            FieldError(location, "added in format version 2: set 'version: 2' to use it")
            for location in v2_fields_used(data)
        ]
    try:
        parsed = Assessment.model_validate(data)
    except ValidationError as error:
        raise InputValidationError(source, [*problems, *field_errors(error)]) from None
    if problems:
        raise InputValidationError(source, problems)
    return parsed
