"""The words every layer shares, defined once: activities, equipment, sides, sexes,
video tasks and metrics, criterion statuses, and the names of the video analysis's
documented outputs.

Two contracts rest on these words:

* the assessment file (``shared/domain/exam-format.md``): ``patient.activities``
  and ``patient.equipment`` use the same words as an exercise's ``activities`` and
  ``equipment`` in the knowledge base, so a person's answers match exercises directly;
* the video analysis (``docs/video.md``): ``hipfirst analyze`` writes
  :data:`SUMMARY_SCHEMA` documents with :class:`VideoTask` values and
  :data:`VIDEO_METRICS` keys into the files of :class:`OutputFile`, and the
  assessment engine reads them back.

This module imports nothing from hipfirst, so the knowledge base (the bottom
layer), the core, the video stages and the edges can all use it without a cycle.
"""

from __future__ import annotations

from enum import StrEnum
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

Side = Literal["left", "right"]
"""A body side, always the person's own (anatomical) side, never the image's."""
SIDES: tuple[Side, Side] = ("left", "right")
SideChoice = Literal["left", "right", "auto"]
"""A side the user may ask for; ``auto`` lets the video analysis find it."""
SIDE_CHOICES: tuple[SideChoice, ...] = get_args(SideChoice)


def other_side(side: Side) -> Side:
    """The contralateral side."""
    return "right" if side == "left" else "left"


Sex = Literal["female", "male"]
"""Biological sex, where a published threshold differs between women and men."""
SEXES: tuple[Sex, ...] = get_args(Sex)

GoalId = Literal["daily_life", "walking", "stairs", "running", "sport"]
"""What the person wants to return to; ``sport`` is field or court sport (jumping,
cutting). Phase 3 and the return checklist follow it (``knowledge/data/goals``)."""
GOALS: tuple[GoalId, ...] = get_args(GoalId)

Urgency = Literal["emergency", "urgent", "routine"]
"""How soon a referral reason needs a clinician: ``emergency`` today (emergency
department), ``urgent`` within days, ``routine`` at the next ordinary appointment."""
URGENCIES: tuple[Urgency, ...] = get_args(Urgency)
"""Most urgent first."""

PainActivity = Literal[
    "stairs", "squatting", "running", "prolonged_sitting", "hopping", "walking", "cutting"
]
"""The activities of ``symptoms.pain_during`` (``walking`` and ``cutting``: format v2)."""
PAIN_ACTIVITIES: tuple[PainActivity, ...] = get_args(PainActivity)

HopTest = Literal["single", "triple", "crossover", "side"]
"""The hop tests of format v2: single, triple and crossover hop for distance (cm) and the
30-second side hop (count)."""
HOP_TESTS: tuple[HopTest, ...] = get_args(HopTest)

Precaution = Literal["patellar_instability", "hip_joint_pathology"]
"""A possible condition whose loads the programme avoids until a clinician has examined
it and cleared it (``exam.precautions_cleared``)."""
PRECAUTIONS: tuple[Precaution, ...] = get_args(Precaution)

Clue = Literal[
    "groin_pain",
    "buttock_pain",
    "lateral_hip_pain",
    "hip_stiffness",
    "hip_clicking",
    "diffuse_location",
    "knee_treatment_failed",
    "limited_internal_rotation",
    "painful_internal_rotation",
    "rotation_asymmetry",
    "limp",
    "tibial_tubercle_site",
    "lower_pole_site",
    "patellar_tendon_site",
    "anterior_activity_pain",
    "patellar_dislocation",
    "patellar_subluxation",
    "apprehension_positive",
    "giving_way",
]
"""A piece of the assessment data that points at a condition other than (or besides)
patellofemoral pain; the knowledge base's conditions list the clues that raise them."""
CLUES: tuple[Clue, ...] = get_args(Clue)

CriterionStatus = Literal["met", "not_met", "not_measured"]
"""Where a phase or return-to-sport criterion stands (``not_measured``: no data yet)."""


class VideoTask(StrEnum):
    """The movement filmed; values are the CLI spellings and the summary's ``task``."""

    SINGLE_LEG_SQUAT = "single-leg-squat"
    STEP_DOWN = "step-down"
    LANDING = "landing"
    RUNNING = "running"
    SINGLE_LEG_STANCE = "single-leg-stance"


VIDEO_TASKS: tuple[str, ...] = tuple(task.value for task in VideoTask)

VideoMetric = Literal[
    "fppa_deg", "hip_adduction_deg", "pelvic_drop_deg", "trunk_lean_deg", "knee_flexion_deg"
]
"""Per-side metrics of ``summary.json`` (``per_side.left.fppa_deg`` …), in degrees."""
VIDEO_METRICS: tuple[VideoMetric, ...] = get_args(VideoMetric)

FrontalMetric = Literal["fppa_deg", "hip_adduction_deg", "pelvic_drop_deg", "trunk_lean_deg"]
"""The frontal-plane metrics that have knowledge-base thresholds, so the assessment
engine can use them as evidence (knee flexion is reported, never judged)."""
FRONTAL_METRICS: tuple[FrontalMetric, ...] = get_args(FrontalMetric)

PoseModelName = Literal["full", "heavy"]
"""BlazePose landmark models hipfirst can run (``hipfirst analyze --model``)."""
POSE_MODEL_NAMES: tuple[PoseModelName, ...] = get_args(PoseModelName)
DEFAULT_POSE_MODEL: PoseModelName = "full"
"""The model used when none is chosen (why: docs/video.md, Model)."""

SUMMARY_SCHEMA = "hipfirst.video-summary/1"
"""The ``schema`` value of every ``summary.json`` this version writes and reads."""


class OutputFile(StrEnum):
    """The files of one video analysis folder (documented in ``docs/video.md``)."""

    SUMMARY = "summary.json"
    FRAMES = "frames.csv"
    LANDMARKS = "landmarks.trc"
    ANNOTATED_VIDEO = "annotated.mp4"
    KEYFRAMES = "keyframes.png"
    ANGLES = "angles.png"
    PEOPLE = "people.png"
    """Written only when more than one person could be the subject (summary ``people``)."""


OUTPUT_FILES: frozenset[str] = frozenset(name.value for name in OutputFile)
