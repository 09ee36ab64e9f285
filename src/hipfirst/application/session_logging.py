"""Use cases: log a whole session in one go, edit a logged exercise, add next-morning pain.

A session form has one row per exercise of today (the dosage prefilled) and a tick for each
one done. Every ticked row is validated by the rules of a session-log file
(:func:`hipfirst.io.session_log.parse_session_log`: ranges, yes/no, a date not after today)
plus the record's own: a date not before the first programme, whole-point pain, load in kg.
Errors are named ``date``, ``exercises`` or ``<exercise id>.<field>`` (``clamshell_band.
pain_during``) so the form shows each one beside its field; nothing is saved unless every
ticked row is valid. An edit (``updated_at`` set) changes one stored exercise; next-morning
pain given for a day fills it in for every exercise of that day that lacks it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from hipfirst.application.programme_dates import programme_began
from hipfirst.application.sessions import current_plan, record_checks, todays_exercises
from hipfirst.core.plan import PlannedExercise
from hipfirst.core.progress_report import LOG_BOUNDS
from hipfirst.errors import FieldError, InputValidationError
from hipfirst.io.session_log import TRUE_WORDS, parse_session_log
from hipfirst.knowledge.base import KnowledgeBase
from hipfirst.storage.models import Patient, SessionLog, utcnow

ROW_FIELDS = (
    "sets",
    "reps",
    "load",
    "pain_during",
    "pain_next_morning",
    "effort",
    "form_ok",
    "notes",
    "distance_km",
)
"""What the patient fills in for one exercise (the session-log columns but date and id)."""
TYPED_FIELDS = ("pain_during", "pain_next_morning", "effort", "notes", "distance_km")
"""Fields that are never prefilled: anything typed there means the exercise was done."""
NOTHING_TICKED = "tick Done beside at least one exercise you did"
UNTICKED_BUT_FILLED = "tick Done to save this exercise, or clear what you typed"


@dataclass(frozen=True)
class SessionRow:
    """One exercise of the session form: what is planned and how to label it."""

    exercise_id: str
    name: str
    hold: bool
    """Timed hold: ``reps`` is seconds held."""
    running: bool
    """A running step: asks for the distance run."""
    planned: str
    """The planned dosage in words, e.g. ``2 × 12 reps, each side``."""


def began_problem(patient: Patient, day: dt.date) -> str | None:
    """Why ``day`` is too early: before the patient's first programme."""
    began = programme_began(patient)
    if began is not None and day < began:
        return (
            f"must not be before your programme began ({began.isoformat()}): sessions are "
            "logged from the day it started"
        )
    return None


def _row(exercise: PlannedExercise, kb: KnowledgeBase) -> SessionRow:
    amount = f"{exercise.hold_s} s hold" if exercise.hold_s else f"{exercise.reps} reps"
    side = ", each side" if exercise.per_side else ""
    return SessionRow(
        exercise_id=exercise.id,
        name=exercise.name,
        hold=exercise.hold_s is not None,
        running=kb.exercise(exercise.id).load_type == "running",
        planned=f"{exercise.sets} × {amount}{side} ({exercise.load})",
    )


def session_rows(patient: Patient, kb: KnowledgeBase) -> list[SessionRow]:
    """Today's exercises as rows of the session form (the running step last)."""
    plan, phase = current_plan(patient, kb)
    return [_row(exercise, kb) for exercise in todays_exercises(plan, phase)]


def prefilled(patient: Patient, kb: KnowledgeBase, today: dt.date) -> dict[str, str]:
    """The session form as it opens: today's date, each planned dosage, form OK."""
    plan, phase = current_plan(patient, kb)
    form = {"date": today.isoformat()}
    for exercise in todays_exercises(plan, phase):
        form[f"{exercise.id}.sets"] = str(exercise.sets)
        form[f"{exercise.id}.reps"] = str(exercise.hold_s or exercise.reps or "")
        form[f"{exercise.id}.form_ok"] = "yes"
    return form


def _checked(
    patient: Patient,
    rows: Sequence[Mapping[str, str]],
    kb: KnowledgeBase,
    today: dt.date,
    where: Sequence[str],
) -> list[tuple[Mapping[str, str], float | None]]:
    """Validate rows (each with ``date`` and ``exercise_id``); ``where[i]`` prefixes row i's
    field names in errors. Returns each row with its load in kg."""
    problems: list[FieldError] = []
    try:
        parse_session_log([dict(row) for row in rows], "session log", kb, today)
    except InputValidationError as error:
        for problem in error.errors:
            row_text, _, field = problem.location.partition(", ")
            index = int(row_text.removeprefix("row ")) - 1
            name = "date" if field == "date" else f"{where[index]}{field}"
            problems.append(FieldError(name, problem.message, problem.value))
    loads = []
    for index, row in enumerate(rows):
        load_kg, extra = record_checks(row)
        loads.append(load_kg)
        problems += [FieldError(f"{where[index]}{p.location}", p.message, p.value) for p in extra]
        try:
            day = dt.date.fromisoformat(row.get("date", "").strip())
        except ValueError:
            continue
        if (early := began_problem(patient, day)) is not None:
            problems.append(FieldError("date", early, row.get("date", "")))
    unique = list({p.location: p for p in problems}.values())  # the date once, not per row
    if unique:
        raise InputValidationError("session log", unique)
    return list(zip(rows, loads, strict=True))


def _entry_values(row: Mapping[str, str], load_kg: float | None) -> dict[str, object]:
    """The stored columns of one valid row (already checked, so the parse cannot fail)."""

    def number(name: str) -> float | None:
        text = row.get(name, "").strip()
        return float(text) if text else None

    pain_next = number("pain_next_morning")
    effort = number("effort")
    return {
        "performed_on": dt.date.fromisoformat(row["date"].strip()),
        "exercise_id": row["exercise_id"].strip(),
        "sets": int(float(row["sets"])),
        "reps": int(float(row["reps"])),
        "load_kg": load_kg,
        "pain_during": int(float(row["pain_during"])),
        "pain_next_morning": None if pain_next is None else int(pain_next),
        "effort": None if effort is None else int(effort),
        "form_ok": row["form_ok"].strip().lower() in TRUE_WORDS,
        "notes": row.get("notes", "").strip(),
        "distance_km": number("distance_km"),
    }


def log_session(
    db: Session,
    patient: Patient,
    form: Mapping[str, str],
    kb: KnowledgeBase,
    today: dt.date,
) -> list[SessionLog]:
    """Store every ticked exercise of a session form at once, or raise
    :class:`InputValidationError` naming each field (nothing stored)."""
    exercise_ids = [row.exercise_id for row in session_rows(patient, kb)]
    rows: list[dict[str, str]] = []
    where: list[str] = []
    problems: list[FieldError] = []
    for exercise_id in exercise_ids:
        values = {name: form.get(f"{exercise_id}.{name}", "") for name in ROW_FIELDS}
        if form.get(f"{exercise_id}.done") != "yes":
            if any(values[name].strip() for name in TYPED_FIELDS):
                problems.append(FieldError(f"{exercise_id}.done", UNTICKED_BUT_FILLED))
            continue
        rows.append({"date": form.get("date", ""), "exercise_id": exercise_id, **values})
        where.append(f"{exercise_id}.")
    if not rows and not problems:
        problems.append(FieldError("exercises", NOTHING_TICKED))
    try:
        checked = _checked(patient, rows, kb, today, where) if rows else []
    except InputValidationError as error:
        problems = [*error.errors, *problems]
        checked = []
    if problems:
        raise InputValidationError("session log", problems)
    logs = [SessionLog(patient=patient, **_entry_values(row, load)) for row, load in checked]
    db.add_all(logs)
    db.commit()
    return logs


def scoped_log(db: Session, patient: Patient, log_id: int) -> SessionLog | None:
    """One logged exercise of this patient (None for another patient's or a missing one)."""
    return db.scalar(
        select(SessionLog).where(SessionLog.id == log_id, SessionLog.patient_id == patient.id)
    )


def edit_form(log: SessionLog) -> dict[str, str]:
    """A stored entry as the edit form shows it."""

    def shown(value: float | None) -> str:
        return "" if value is None else f"{value:g}"

    return {
        "date": log.performed_on.isoformat(),
        "sets": str(log.sets),
        "reps": str(log.reps),
        "load": shown(log.load_kg),
        "pain_during": shown(log.pain_during),
        "pain_next_morning": shown(log.pain_next_morning),
        "effort": shown(log.effort),
        "form_ok": {True: "yes", False: "no", None: ""}[log.form_ok],
        "notes": log.notes,
        "distance_km": shown(log.distance_km),
    }


def edit_log(
    db: Session,
    patient: Patient,
    log: SessionLog,
    form: Mapping[str, str],
    kb: KnowledgeBase,
    today: dt.date,
) -> SessionLog:
    """Change one logged exercise (its date too); raises :class:`InputValidationError`."""
    row = {"exercise_id": log.exercise_id, "date": form.get("date", "")}
    row |= {name: form.get(name, "") for name in ROW_FIELDS}
    [(checked, load_kg)] = _checked(patient, [row], kb, today, [""])
    for name, value in _entry_values(checked, load_kg).items():
        setattr(log, name, value)
    log.updated_at = utcnow()
    db.commit()
    return log


def add_next_morning_pain(
    db: Session, patient: Patient, form: Mapping[str, str], today: dt.date
) -> list[SessionLog]:
    """Next-morning pain for one day's session: given to each of that day's exercises that
    has none yet. Raises :class:`InputValidationError` (``pain_next_morning``, ``date``)."""
    problems: list[FieldError] = []
    day = None
    try:
        day = dt.date.fromisoformat(form.get("date", "").strip())
    except ValueError:
        problems.append(
            FieldError("date", "must be the date of a logged session", form.get("date"))
        )
    low, high = LOG_BOUNDS["pain_next_morning"]
    text = form.get("pain_next_morning", "").strip()
    if not (text.isdigit() and low <= int(text) <= high):
        problems.append(
            FieldError(
                "pain_next_morning",
                f"must be a whole number between {low:g} and {high:g}",
                text,
            )
        )
    waiting = [
        log
        for log in patient.session_logs
        if log.performed_on == day and log.pain_next_morning is None
    ]
    if day is not None and not waiting:
        problems.append(
            FieldError("date", "has no logged exercise waiting for next-morning pain", str(day))
        )
    if day is not None and day >= today:
        problems = [
            FieldError("date", "is today or later: add next-morning pain from tomorrow", str(day))
        ]
    if problems:
        raise InputValidationError("next-morning pain", problems)
    moment = utcnow()
    for log in waiting:
        log.pain_next_morning = int(text)
        log.updated_at = moment
    db.commit()
    return waiting
