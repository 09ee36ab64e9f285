"""A patient's full record as plain JSON-ready data (for export and archiving).

Everything stored about the patient is included: the record's details,
assessments with their reports, every programme version, every session log,
every questionnaire response, every video analysis, and the audit trail of who
viewed or changed the record.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from hipfirst.storage.models import AuditEntry, Base, Patient

EXPORT_FORMAT = "hipfirst-patient-record"
EXPORT_VERSION = 1


def _row(obj: Base, skip: frozenset[str] = frozenset()) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for column in obj.__table__.columns:
        if column.key in skip:
            continue
        value = getattr(obj, column.key)
        if isinstance(value, datetime | date):
            value = value.isoformat()
        elif hasattr(value, "value"):  # enums
            value = value.value
        out[column.key] = value
    return out


def patient_record(db: Session, patient: Patient) -> dict[str, Any]:
    """Everything about ``patient`` as a JSON-serialisable dict."""
    audit = db.scalars(
        select(AuditEntry).where(AuditEntry.patient_id == patient.id).order_by(AuditEntry.id)
    ).all()
    return {
        "format": EXPORT_FORMAT,
        "version": EXPORT_VERSION,
        "patient": {
            **_row(patient),
            "clinician": {"name": patient.clinician.name, "email": patient.clinician.email},
            "login_email": patient.user.email if patient.user else None,
        },
        "assessments": [_row(a) for a in patient.assessments],
        "programmes": [_row(p) for p in patient.programmes],
        "session_logs": [_row(s) for s in patient.session_logs],
        "questionnaire_responses": [_row(r) for r in patient.questionnaire_responses],
        "video_analyses": [_row(v) for v in patient.video_analyses],
        "audit_log": [_row(entry) for entry in audit],
    }
