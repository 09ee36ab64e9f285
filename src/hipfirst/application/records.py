"""Stored rows read back as the clinical engine's types, shared by the clinical use cases.

Stored JSON goes back through the engine's own validators (``parse_plan``,
``parse_video_summary``) so a page never shows what the engine would refuse.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from hipfirst.core.plan import Plan
from hipfirst.core.progress_report import SessionEntry
from hipfirst.core.video_metrics import VideoMetrics
from hipfirst.errors import FieldError, InputValidationError
from hipfirst.io.plan_file import parse_plan
from hipfirst.io.video_summary import parse_video_summary
from hipfirst.knowledge.base import KnowledgeBase
from hipfirst.knowledge.vocabulary import OutputFile
from hipfirst.storage.models import JobStatus, Patient, Programme, SessionLog, VideoAnalysis

PLAN_EXTRA_KEYS = ("current_phase",)
"""Keys the web app keeps in ``plan_json`` beside the engine's plan (see ``patient_status``)."""


def current_programme(patient: Patient) -> Programme | None:
    return patient.programmes[-1] if patient.programmes else None


def stored_plan(programme: Programme, kb: KnowledgeBase) -> Plan | None:
    """The engine plan of a stored programme version (None for a stored referral)."""
    document = {k: v for k, v in programme.plan_json.items() if k not in PLAN_EXTRA_KEYS}
    if document.get("kind") == "referral":
        return None
    return parse_plan(document, f"programme version {programme.version}", kb)


def readable_plan(programme: Programme, kb: KnowledgeBase) -> tuple[Plan | None, str]:
    """The stored plan, or None and why it cannot be used (a page shows that instead of failing).

    A plan can become unreadable when the knowledge base drops an exercise it names.
    """
    try:
        return stored_plan(programme, kb), ""
    except InputValidationError as error:
        return None, str(error)


def current_phase(programme: Programme) -> int:
    number = programme.plan_json.get("current_phase", 1)
    return number if isinstance(number, int) else 1


def plan_document(plan: Plan, phase: int = 1) -> dict[str, Any]:
    """What is stored in ``plan_json``: the engine's JSON plus the phase the patient is in."""
    return {**plan.model_dump(mode="json"), "current_phase": phase}


def summary_path(analysis: VideoAnalysis) -> str:
    """How an assessment refers to an analysis: its summary, relative to the data dir."""
    return f"{analysis.output_dir}/{OutputFile.SUMMARY}"


def done_analyses(patient: Patient) -> list[VideoAnalysis]:
    return [
        analysis
        for analysis in patient.video_analyses
        if analysis.status is JobStatus.done
        and analysis.summary_json is not None
        and analysis.output_dir
    ]


def video_metrics(patient: Patient, paths: Sequence[str]) -> list[VideoMetrics]:
    """The metrics of the chosen analyses; a path that names no finished analysis is an error."""
    by_path = {summary_path(analysis): analysis for analysis in done_analyses(patient)}
    found: list[VideoMetrics] = []
    problems: list[FieldError] = []
    for path in paths:
        analysis = by_path.get(path)
        if analysis is None or analysis.summary_json is None:
            problems.append(
                FieldError(
                    "exam.video_analyses",
                    "is not a finished video analysis of this patient; choose from the list",
                    path,
                )
            )
            continue
        found.append(parse_video_summary(analysis.summary_json, path))
    if problems:
        raise InputValidationError("assessment form", problems)
    return found


def session_entries(logs: Iterable[SessionLog]) -> list[SessionEntry]:
    """Stored logs as engine entries, oldest first; rows without a pain or form rating are
    left out (progression cannot judge them)."""
    entries = []
    for log in sorted(logs, key=lambda item: (item.performed_on, item.id)):
        if log.pain_during is None or log.form_ok is None:
            continue
        entries.append(
            SessionEntry(
                date=log.performed_on,
                exercise_id=log.exercise_id,
                sets=log.sets,
                reps=log.reps,
                load="" if log.load_kg is None else f"{log.load_kg:g} kg",
                pain_during=log.pain_during,
                pain_next_morning=log.pain_next_morning,
                form_ok=log.form_ok,
                effort=None if log.effort is None else float(log.effort),
                notes=log.notes,
                distance_km=log.distance_km,
            )
        )
    return entries
