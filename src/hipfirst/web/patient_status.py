"""The one-line status of a patient on the clinician's list.

Reads what is stored; where the engine has not produced something yet the
field says so in words rather than showing a blank.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from hipfirst.storage.models import Patient

PAIN_TREND_POINTS = 5


@dataclass(frozen=True)
class PatientStatus:
    phase: str
    last_session: date | None
    pain_trend: str
    flags: list[str]


def patient_status(patient: Patient) -> PatientStatus:
    """Phase from the newest programme, last session date, recent pain scores, report flags."""
    phase = "no programme yet"
    if patient.programmes:
        phase = phase_label(patient.programmes[-1].plan_json)
    logs = patient.session_logs
    last_session = logs[-1].performed_on if logs else None
    pains = [log.pain_during for log in logs if log.pain_during is not None]
    pain_trend = (
        " → ".join(str(p) for p in pains[-PAIN_TREND_POINTS:]) if pains else "no pain scores yet"
    )
    flags: list[str] = []
    if patient.assessments:
        flags = report_flags(patient.assessments[-1].report_json or {})
    return PatientStatus(phase, last_session, pain_trend, flags)


def phase_label(plan: dict[str, Any]) -> str:
    """``phase 2: …`` for a stored :class:`~hipfirst.core.plan.Plan`; ``referred`` for a referral.

    The current phase is ``current_phase`` in the stored JSON (the programme
    editor sets it when the clinician advances the patient); phase 1 otherwise.
    """
    if plan.get("kind") == "referral":
        return "referred (no programme)"
    number = plan.get("current_phase", 1)
    for phase in plan.get("phases") or []:
        if isinstance(phase, dict) and phase.get("number") == number:
            return f"phase {number}: {phase.get('name', '')}".rstrip(": ")
    return f"phase {number}"


def report_flags(report: dict[str, Any]) -> list[str]:
    """The flags of an engine report (``AssessmentReport.to_json()``) worth a glance."""
    flags: list[str] = []
    screening = report.get("screening") or {}
    if screening.get("refer"):
        flags.append("refer: " + "; ".join(screening.get("reasons") or ["red flags"]))
    hip = report.get("hip_origin_suspected") or {}
    if hip.get("suspected"):
        flags.append("hip origin suspected")
    return flags
