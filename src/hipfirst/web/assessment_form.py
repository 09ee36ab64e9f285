"""The new-assessment web form as a flat set of fields, and its translation to the format.

A document is written as format v1 unless a format-v2 section was filled in (goal,
instability history, hop tests, step-down, flexibility, foot posture, KOOS-PF …), then
as v2: the lowest version that holds what was entered.

Every form field is named by the dotted location the engine uses in its
error messages (``exam.strength_n.hip_abduction.left``, ``questionnaires.akps[3]``),
so a :class:`~hipfirst.errors.FieldError` from
:func:`~hipfirst.core.assessment.parse_assessment` lands next to the field it
is about without a lookup table. The web form applies no rules of its own
beyond turning text into numbers: the engine validates everything (the one
web-only rule: a questionnaire answered with a gap cannot be sent as a list).

Pure: no I/O.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, get_args

from hipfirst.core.assessment import (
    ACTIVITIES,
    AKPS_ITEMS,
    LEFS_ITEM_COUNT,
    EquipmentItem,
    HipSymptoms,
    LoadHistory,
    PainDuring,
    RedFlags,
    SingleLegSquatSide,
    Strength,
    YBalanceSide,
)
from hipfirst.core.exam_sections import (
    KOOS_PF_ITEM_COUNT,
    Flexibility,
    HopDistances,
    PatellarInstability,
    TenderSite,
    v2_fields_used,
)
from hipfirst.errors import FieldError
from hipfirst.knowledge.vocabulary import GOALS, PRECAUTIONS, SIDES

FormValues = dict[str, str | list[str]]
"""What the browser sent (or what the form shows): one text per field, a list for check lists."""

EQUIPMENT: tuple[str, ...] = get_args(EquipmentItem)
STRENGTH_TESTS: tuple[str, ...] = tuple(Strength.model_fields)
PAIN_ACTIVITIES: tuple[str, ...] = tuple(PainDuring.model_fields)
HIP_SYMPTOMS: tuple[str, ...] = tuple(HipSymptoms.model_fields)
RED_FLAGS: tuple[str, ...] = tuple(RedFlags.model_fields)
LOAD_HISTORY: tuple[str, ...] = tuple(LoadHistory.model_fields)
REACH_DIRECTIONS: tuple[str, ...] = tuple(YBalanceSide.model_fields)
SQUAT_CRITERIA: tuple[str, ...] = tuple(SingleLegSquatSide.model_fields)
ROTATIONS = ("internal_rotation", "external_rotation")
GOAL_CHOICES: tuple[str, ...] = GOALS
TENDER_SITES: tuple[str, ...] = get_args(TenderSite)
INSTABILITY_HISTORY: tuple[str, ...] = tuple(PatellarInstability.model_fields)
HOP_TESTS: tuple[str, ...] = tuple(HopDistances.model_fields)
FLEXIBILITY_TESTS: tuple[str, ...] = tuple(Flexibility.model_fields)
PRECAUTION_CHOICES: tuple[str, ...] = PRECAUTIONS
KOOS_PF_COUNT = KOOS_PF_ITEM_COUNT
LIST_FIELDS = frozenset(
    {
        "patient.activities",
        "patient.equipment",
        "exam.video_analyses",
        "exam.precautions_cleared",
    }
)
CHECKED = "true"


def words(name: str) -> str:
    """``hip_external_rotation`` → ``hip external rotation`` (labels from field names)."""
    return name.replace("_", " ")


def options(values: Sequence[str]) -> list[tuple[str, str]]:
    """``(value, words)`` pairs for a choice or check list (the template's options)."""
    return [(value, words(value)) for value in values]


def blank_form(today: dt.date) -> FormValues:
    """A new, empty form dated ``today``."""
    return {"date": today.isoformat()}


def read_form(items: Sequence[tuple[str, str]]) -> FormValues:
    """The submitted fields; check lists keep every ticked value, text fields the last."""
    values: FormValues = {}
    for name, value in items:
        if name in LIST_FIELDS:
            current = values.setdefault(name, [])
            assert isinstance(current, list)
            current.append(value)
        elif name != "csrf_token":
            values[name] = value
    return values


def _text(form: Mapping[str, str | list[str]], name: str) -> str:
    value = form.get(name, "")
    return value.strip() if isinstance(value, str) else ""


def _number(text: str) -> object:
    """A typed number as int or float; anything else stays text for the engine to refuse."""
    try:
        number = float(text.replace(",", "."))
    except ValueError:
        return text
    if number != number or number in (float("inf"), float("-inf")):
        return text
    return int(number) if number.is_integer() else number


@dataclass
class _Builder:
    form: Mapping[str, str | list[str]]
    problems: list[FieldError] = field(default_factory=list)

    def numbers(self, prefix: str, names: Sequence[str]) -> dict[str, object]:
        found: dict[str, object] = {}
        for name in names:
            text = _text(self.form, f"{prefix}.{name}")
            if text:
                found[name] = _number(text)
        return found

    def choices(self, prefix: str, names: Sequence[str]) -> dict[str, object]:
        found: dict[str, object] = {}
        for name in names:
            text = _text(self.form, f"{prefix}.{name}")
            if text:
                found[name] = text
        return found

    def flags(self, prefix: str, names: Sequence[str]) -> dict[str, object]:
        return {name: True for name in names if _text(self.form, f"{prefix}.{name}") == CHECKED}

    def listed(self, name: str) -> list[str]:
        value = self.form.get(name, [])
        return [item for item in value if item] if isinstance(value, list) else []

    def questionnaire(self, name: str, count: int, rule: str) -> list[object] | None:
        answers = [_text(self.form, f"questionnaires.{name}[{index}]") for index in range(count)]
        if not any(answers):
            return None
        first_gap = next((index for index, text in enumerate(answers) if not text), count)
        if any(answers[first_gap:]):
            self.problems.append(
                FieldError(
                    f"questionnaires.{name}[{first_gap}]",
                    f"not answered, but later items are: answer it ({rule}) or clear the "
                    "later items to record the questionnaire as incomplete",
                )
            )
        return [_number(text) for text in answers[:first_gap]]


def _put(target: dict[str, Any], key: str, value: object) -> None:
    if value not in (None, {}, []):
        target[key] = value


def form_to_document(
    form: Mapping[str, str | list[str]],
) -> tuple[dict[str, Any], list[FieldError]]:
    """The format-v1 document the form describes, and the problems only the form can see.

    Empty fields are left out (the format treats a missing value as not measured);
    a section is sent as soon as one of its fields is filled, so a half-filled
    section gets the engine's "required field is missing" next to the empty field.
    """
    build = _Builder(form)
    patient: dict[str, Any] = {}
    patient_id = _text(form, "patient.id")
    if patient_id:
        patient["id"] = patient_id
    patient.update(
        build.numbers("patient", ("age_years", "body_mass_kg", "height_cm")),
    )
    patient.update(build.choices("patient", ("sex",)))
    _put(patient, "leg_length_cm", build.numbers("patient.leg_length_cm", SIDES))
    _put(patient, "activities", build.listed("patient.activities"))
    patient.update(build.numbers("patient", ("weekly_running_km", "minutes_per_session")))
    _put(patient, "equipment", build.listed("patient.equipment"))
    patient.update(build.choices("patient", ("goal",)))

    symptoms: dict[str, Any] = {}
    symptoms.update(build.choices("symptoms", ("side", "location")))
    symptoms.update(build.numbers("symptoms", ("duration_weeks", "worst_pain_nrs")))
    _put(symptoms, "pain_during", build.numbers("symptoms.pain_during", PAIN_ACTIVITIES))
    _put(symptoms, "hip_symptoms", build.flags("symptoms.hip_symptoms", HIP_SYMPTOMS))
    symptoms.update(build.flags("symptoms", ("knee_treatment_failed",)))
    _put(symptoms, "red_flags", build.flags("symptoms.red_flags", RED_FLAGS))
    _put(symptoms, "load_history", build.flags("symptoms.load_history", LOAD_HISTORY))
    symptoms.update(build.choices("symptoms", ("tender_site",)))
    _put(
        symptoms,
        "patellar_instability",
        build.flags("symptoms.patellar_instability", INSTABILITY_HISTORY),
    )

    exam: dict[str, Any] = {}
    strength = {
        test: build.numbers(f"exam.strength_n.{test}", (*SIDES, "lever_arm_m"))
        for test in STRENGTH_TESTS
    }
    _put(exam, "strength_n", {test: found for test, found in strength.items() if found})
    rom: dict[str, Any] = {
        rotation: build.numbers(f"exam.hip_rom_deg.{rotation}", SIDES) for rotation in ROTATIONS
    }
    rom["internal_rotation_painful"] = build.flags(
        "exam.hip_rom_deg.internal_rotation_painful", SIDES
    )
    _put(exam, "hip_rom_deg", {rotation: found for rotation, found in rom.items() if found})
    reach = {side: build.numbers(f"exam.y_balance_cm.{side}", REACH_DIRECTIONS) for side in SIDES}
    _put(exam, "y_balance_cm", {side: found for side, found in reach.items() if found})
    squat = {
        side: build.choices(f"exam.single_leg_squat_rating.{side}", SQUAT_CRITERIA)
        for side in SIDES
    }
    _put(exam, "single_leg_squat_rating", {side: found for side, found in squat.items() if found})
    _put(exam, "trendelenburg", build.choices("exam.trendelenburg", SIDES))
    _put(exam, "video_analyses", build.listed("exam.video_analyses"))
    _put(exam, "patellar_apprehension", build.choices("exam.patellar_apprehension", SIDES))
    hops = {test: build.numbers(f"exam.hop_distance_cm.{test}", SIDES) for test in HOP_TESTS}
    _put(exam, "hop_distance_cm", {test: found for test, found in hops.items() if found})
    _put(exam, "side_hop_count", build.numbers("exam.side_hop_count", SIDES))
    _put(exam, "step_down_score", build.numbers("exam.step_down_score", SIDES))
    flexibility = {
        test: build.choices(f"exam.flexibility.{test}", SIDES) for test in FLEXIBILITY_TESTS
    }
    _put(exam, "flexibility", {test: found for test, found in flexibility.items() if found})
    _put(exam, "foot_posture_index", build.numbers("exam.foot_posture_index", SIDES))
    _put(exam, "precautions_cleared", build.listed("exam.precautions_cleared"))

    questionnaires: dict[str, Any] = {}
    _put(
        questionnaires,
        "akps",
        build.questionnaire("akps", len(AKPS_ITEMS), "choose one of its answers"),
    )
    _put(questionnaires, "lefs", build.questionnaire("lefs", LEFS_ITEM_COUNT, "0 to 4"))
    _put(
        questionnaires,
        "koos_pf",
        build.questionnaire("koos_pf", KOOS_PF_ITEM_COUNT, "0 to 4"),
    )

    document: dict[str, Any] = {"version": 1}
    date = _text(form, "date")
    if date:
        document["date"] = date
    document["patient"] = patient
    document["symptoms"] = symptoms
    _put(document, "exam", exam)
    _put(document, "questionnaires", questionnaires)
    if v2_fields_used(document):
        document["version"] = 2  # the lowest format version that holds what was entered
    return document, build.problems


def document_to_form(document: Mapping[str, Any]) -> FormValues:
    """The form that shows a stored format-v1 document (to start a new, edited assessment)."""
    values: FormValues = {}

    def walk(prefix: str, node: object) -> None:
        if isinstance(node, Mapping):
            for key, child in node.items():
                walk(f"{prefix}.{key}" if prefix else str(key), child)
        elif prefix in LIST_FIELDS and isinstance(node, list):
            values[prefix] = [str(item) for item in node]
        elif isinstance(node, list):
            for index, child in enumerate(node):
                walk(f"{prefix}[{index}]", child)
        elif isinstance(node, bool):
            if node:
                values[prefix] = CHECKED
        elif isinstance(node, float):
            values[prefix] = f"{node:g}"
        elif node is not None:
            values[prefix] = str(node)

    walk("", document)
    values.pop("version", None)
    return values


def errors_by_field(problems: Sequence[FieldError]) -> dict[str, str]:
    """One message per form field (several problems with one field are joined)."""
    found: dict[str, str] = {}
    for problem in problems:
        location = problem.location
        base = location.split("[", 1)[0]
        if base in LIST_FIELDS:
            location = base
        message = problem.message
        if problem.value is not None and problem.value != "":
            message += f" (got {problem.value!r})"
        found[location] = f"{found[location]}; {message}" if location in found else message
    return found


ACTIVITY_CHOICES: tuple[str, ...] = ACTIVITIES
