"""Use cases of the patient's own side: today's exercises, what may be logged, progress series.

Logging itself is :mod:`hipfirst.application.session_logging`; a logged session is validated
by the same rules as a session-log file (:func:`hipfirst.io.session_log.parse_session_log`)
plus two limits of the record (:func:`record_checks`: pain in whole points, load in kg).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from hipfirst.application.records import current_phase, current_programme, readable_plan
from hipfirst.core.plan import Plan, PlannedExercise
from hipfirst.errors import FieldError, InputValidationError
from hipfirst.io.video_summary import parse_video_summary
from hipfirst.knowledge.base import KnowledgeBase
from hipfirst.knowledge.vocabulary import SIDES
from hipfirst.storage.models import JobStatus, Patient, SessionLog

MAX_LOAD_KG = 500.0
"""Catches typing mistakes only (an external load above 500 kg is not a home exercise)."""
Series = dict[str, list[tuple[dt.date, float]]]


def current_plan(patient: Patient, kb: KnowledgeBase) -> tuple[Plan | None, int]:
    """The readable plan of the current programme version and the phase the patient is in."""
    programme = current_programme(patient)
    if programme is None:
        return None, 1
    plan, _ = readable_plan(programme, kb)
    return plan, current_phase(programme)


def todays_exercises(plan: Plan | None, phase: int) -> list[PlannedExercise]:
    """The exercises of the phase the patient is in, with the running step last."""
    if plan is None:
        return []
    found = next((p for p in plan.phases if p.number == phase), plan.phases[0])
    return [*found.exercises, *([found.running] if found.running else [])]


def log_choices(patient: Patient, kb: KnowledgeBase) -> list[tuple[str, str]]:
    """(id, name) of what may be logged: today's exercises first, then the rest of the plan,
    then anything logged before that is no longer planned."""
    plan, phase = current_plan(patient, kb)
    todays = [exercise.id for exercise in todays_exercises(plan, phase)]
    planned_ids = list(dict.fromkeys([*todays, *(plan.exercise_ids() if plan else [])]))
    choices = [(exercise_id, kb.exercise(exercise_id).name) for exercise_id in planned_ids]
    logged = {log.exercise_id for log in patient.session_logs} - set(planned_ids)
    choices += [
        (exercise_id, kb.exercises[exercise_id].name)
        for exercise_id in sorted(logged)
        if exercise_id in kb.exercises
    ]
    return list(dict.fromkeys(choices))


def record_checks(form: Mapping[str, str]) -> tuple[float | None, list[FieldError]]:
    """The limits the record adds: whole-point pain and effort, load as a number of kg."""
    problems: list[FieldError] = []
    for name in ("pain_during", "pain_next_morning", "effort"):
        text = form.get(name, "").strip()
        try:
            value = float(text)
        except ValueError:
            continue  # empty or not a number: the session-log rules report it
        if math.isfinite(value) and 0 <= value <= 10 and not value.is_integer():
            problems.append(
                FieldError(name, "must be a whole number between 0 and 10 (whole points)", text)
            )
    load_text = form.get("load", "").strip().removesuffix("kg").strip()
    load_kg = None
    if load_text:
        try:
            load_kg = float(load_text)
        except ValueError:
            load_kg = math.nan
        if not math.isfinite(load_kg) or not 0 <= load_kg <= MAX_LOAD_KG:
            problems.append(
                FieldError(
                    "load",
                    f"must be a number of kg between 0 and {MAX_LOAD_KG:g}, or empty for "
                    "body weight",
                    form.get("load", ""),
                )
            )
            load_kg = None
    return load_kg, problems


@dataclass(frozen=True)
class LoggedExercise:
    """A stored entry with what its page needs: the exercise's name, never its id."""

    log: SessionLog
    name: str
    hold: bool
    """A timed hold: ``reps`` is seconds."""
    running: bool


@dataclass(frozen=True)
class LoggedDay:
    day: dt.date
    entries: list[LoggedExercise]

    @property
    def waiting_for_next_morning(self) -> bool:
        return any(entry.log.pain_next_morning is None for entry in self.entries)


def logged_days(patient: Patient, kb: KnowledgeBase) -> list[LoggedDay]:
    """The logged sessions by day, newest first; an exercise the library no longer has keeps
    its stored id as its name."""
    days: dict[dt.date, list[LoggedExercise]] = {}
    for log in sorted(patient.session_logs, key=lambda item: (item.performed_on, item.id)):
        exercise = kb.exercises.get(log.exercise_id)
        entry = LoggedExercise(
            log=log,
            name=exercise.name if exercise else log.exercise_id,
            hold=exercise is not None and exercise.dosage.hold_s is not None,
            running=exercise is not None and exercise.load_type == "running",
        )
        days.setdefault(log.performed_on, []).append(entry)
    return [LoggedDay(day, entries) for day, entries in sorted(days.items(), reverse=True)]


def pain_points(patient: Patient) -> list[tuple[dt.date, float | None, float | None]]:
    """(date, pain during, pain next morning) of every logged exercise, oldest first."""
    logs = sorted(patient.session_logs, key=lambda log: (log.performed_on, log.id))
    return [
        (
            log.performed_on,
            None if log.pain_during is None else float(log.pain_during),
            None if log.pain_next_morning is None else float(log.pain_next_morning),
        )
        for log in logs
    ]


def measure_series(patient: Patient, keys: Callable[[str], str | None]) -> Series:
    """Per assessment: the value of each stored measure whose key ``keys`` names a series."""
    series: Series = {}
    for assessment in patient.assessments:
        measures = (assessment.report_json or {}).get("measures", {})
        for key, measure in measures.items():
            name = keys(key)
            value = measure.get("value") if isinstance(measure, dict) else None
            if name is not None and isinstance(value, int | float):
                series.setdefault(name, []).append((assessment.assessed_on, float(value)))
    return series


def fppa_series(patient: Patient) -> Series:
    """FPPA (mean per side) of every finished video analysis; doubtful means are left out."""
    series: Series = {}
    for analysis in patient.video_analyses:
        if analysis.status is not JobStatus.done or not analysis.summary_json:
            continue
        try:
            metrics = parse_video_summary(analysis.summary_json, f"video analysis {analysis.id}")
        except InputValidationError:
            continue  # not a summary this version can read: nothing to draw
        for side in SIDES:
            fppa = metrics.per_side.get(side, {}).get("fppa_deg")
            if fppa is not None and fppa.valid and fppa.mean is not None:
                label = f"{side} ({analysis.task})"
                series.setdefault(label, []).append((analysis.created_at.date(), fppa.mean))
    return series
