"""Use cases of a patient's assessments: record one (validated by the engine), list the
finished video analyses an assessment may cite, find a stored one.

A saved assessment stores the format-v1 document (``exam_json``) and the engine's
report (``report_json``); an edit starts a new assessment, so history is never rewritten.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from hipfirst.application.records import done_analyses, summary_path, video_metrics
from hipfirst.core.assessment import parse_assessment
from hipfirst.core.reasoning import assess
from hipfirst.core.video_metrics import VideoMetrics
from hipfirst.errors import FieldError, InputValidationError
from hipfirst.knowledge.base import KnowledgeBase
from hipfirst.storage.models import Assessment, Patient, User

FORM_SOURCE = "assessment form"


def scoped_assessment(db: Session, patient: Patient, assessment_id: int) -> Assessment | None:
    """The patient's assessment with this id (None for anybody else's, or none)."""
    return db.scalar(
        select(Assessment).where(
            Assessment.id == assessment_id, Assessment.patient_id == patient.id
        )
    )


def analysis_choices(patient: Patient) -> list[tuple[str, str]]:
    """(summary path, label) of the finished video analyses an assessment may cite."""
    return [
        (
            summary_path(analysis),
            f"{analysis.created_at.date().isoformat()}: {analysis.task} ({analysis.side})",
        )
        for analysis in done_analyses(patient)
    ]


def record_assessment(
    db: Session,
    patient: Patient,
    clinician: User,
    document: Mapping[str, Any],
    form_problems: Sequence[FieldError],
    kb: KnowledgeBase,
) -> Assessment:
    """Validate ``document`` with the engine, reason over it and store both.

    ``form_problems`` are what the edge found while turning its input into the
    document; every problem (those and the engine's) is raised together as one
    :class:`InputValidationError`.
    """
    problems = list(form_problems)
    parsed = None
    try:
        parsed = parse_assessment(dict(document), FORM_SOURCE)
    except InputValidationError as error:
        problems += error.errors
    video: list[VideoMetrics] = []
    if parsed is not None and parsed.exam.video_analyses:
        try:
            video = video_metrics(patient, parsed.exam.video_analyses)
        except InputValidationError as error:
            problems += error.errors
    if parsed is None or problems:
        raise InputValidationError(FORM_SOURCE, problems)
    report = assess(parsed, kb, video)
    assessment = Assessment(
        patient=patient,
        assessed_on=parsed.date,
        exam_json=parsed.model_dump(mode="json", exclude_none=True),
        report_json=report.to_json(),
        created_by_id=clinician.id,
    )
    db.add(assessment)
    db.commit()
    return assessment
