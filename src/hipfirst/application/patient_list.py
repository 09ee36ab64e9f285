"""The clinician's patient list: each record's status at a glance, searched and sorted.

A row shows the phase the patient is in (from the newest programme version), the last
logged session, the pain trend and the flags of the latest assessment. The pain trend
takes the highest pain logged during each session day (one point per session, as the
pain chart draws it) over the last :data:`PAIN_TREND_SESSIONS` session days, and
calls the change from the first to the last of them *better* or *worse* only when
it reaches the knowledge base's minimal clinically important difference for pain
(``nprs_mcid_pfp``); a smaller change is "no meaningful change".

Where the engine has not produced something yet the field says so in words.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Literal

from sqlalchemy import select
from sqlalchemy.orm import Session

from hipfirst.application.patient_details import age_on
from hipfirst.knowledge.base import KnowledgeBase
from hipfirst.storage.models import Patient, SessionLog, User

PAIN_TREND_SESSIONS = 5
"""How many of the latest session days the trend looks at (a display window, not a rule)."""
PAIN_MCID = "nprs_mcid_pfp"
SortKey = Literal["name", "phase", "last_session", "pain_trend"]
SORT_KEYS: tuple[SortKey, ...] = ("name", "phase", "last_session", "pain_trend")
Order = Literal["asc", "desc"]
DEFAULT_ORDER: dict[SortKey, Order] = {
    "name": "asc",
    "phase": "asc",
    "last_session": "desc",
    "pain_trend": "desc",
}
"""The first click on a column: names A–Z, phase 1 first, the latest session first, and
the pain that rose most first (who needs attention)."""
Trend = Literal["better", "worse", "no_meaningful_change", "one_session", "none"]


@dataclass(frozen=True)
class PainTrend:
    """The highest pain during each of the latest session days, and what the change means."""

    recent: list[int] = field(default_factory=list)
    change: int | None = None
    trend: Trend = "none"
    mcid: float | None = None

    @property
    def words(self) -> str:
        if not self.recent:
            return "no pain scores yet"
        points = " → ".join(str(value) for value in self.recent)
        if self.change is None:
            return f"{points} (one session so far)"
        meaning = {
            "better": "better",
            "worse": "worse",
            "no_meaningful_change": "no meaningful change",
        }[self.trend]
        sign = "+" if self.change > 0 else "−" if self.change < 0 else "±"
        return f"{points} ({sign}{abs(self.change)}: {meaning})"


@dataclass(frozen=True)
class PatientStatus:
    """One record's status as the list and the record's page show it."""

    phase: str
    phase_number: int | None
    last_session: dt.date | None
    pain: PainTrend
    flags: list[str]

    @property
    def pain_trend(self) -> str:
        return self.pain.words


def phase_of(plan: dict[str, Any]) -> tuple[str, int | None]:
    """``phase 2: …`` and 2 for a stored plan; ``referred`` and None for a referral.

    The current phase is ``current_phase`` in the stored JSON (set when the clinician
    moves the patient on); phase 1 otherwise.
    """
    if plan.get("kind") == "referral":
        return "referred (no programme)", None
    number = plan.get("current_phase", 1)
    number = number if isinstance(number, int) else 1
    for phase in plan.get("phases") or []:
        if isinstance(phase, dict) and phase.get("number") == number:
            return f"phase {number}: {phase.get('name', '')}".rstrip(": "), number
    return f"phase {number}", number


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


def session_pain(logs: Iterable[SessionLog]) -> list[tuple[dt.date, int]]:
    """The highest pain during per session day, oldest first (days without one left out)."""
    highest: dict[dt.date, int] = {}
    for log in logs:
        if log.pain_during is not None:
            day = log.performed_on
            highest[day] = max(highest.get(day, log.pain_during), log.pain_during)
    return sorted(highest.items())


def pain_trend(logs: Iterable[SessionLog], mcid: float) -> PainTrend:
    """The trend of :func:`session_pain` over the latest :data:`PAIN_TREND_SESSIONS` days."""
    recent = [value for _, value in session_pain(logs)][-PAIN_TREND_SESSIONS:]
    if not recent:
        return PainTrend()
    if len(recent) == 1:
        return PainTrend(recent, None, "one_session", mcid)
    change = recent[-1] - recent[0]
    trend: Trend = "no_meaningful_change"
    if change <= -mcid:
        trend = "better"
    elif change >= mcid:
        trend = "worse"
    return PainTrend(recent, change, trend, mcid)


def patient_status(patient: Patient, kb: KnowledgeBase) -> PatientStatus:
    """Phase, last session, pain trend and report flags of one record."""
    phase, number = "no programme yet", None
    if patient.programmes:
        phase, number = phase_of(patient.programmes[-1].plan_json)
    logs = patient.session_logs
    last_session = max((log.performed_on for log in logs), default=None)
    mcid = kb.measure(PAIN_MCID).value
    assert mcid is not None  # an MCID always carries its value
    flags: list[str] = []
    if patient.assessments:
        flags = report_flags(patient.assessments[-1].report_json or {})
    return PatientStatus(phase, number, last_session, pain_trend(logs, mcid), flags)


@dataclass(frozen=True)
class PatientRow:
    patient: Patient
    age: int | None
    status: PatientStatus


@dataclass(frozen=True)
class PatientList:
    """The rows to show, and how they were chosen (for the search box and the headers)."""

    rows: list[PatientRow]
    query: str
    sort: SortKey
    order: Order
    total: int


def _sort_value(row: PatientRow, key: SortKey) -> Any:
    """What a column sorts by; None when the record has nothing to sort by (it goes last)."""
    status = row.status
    if key == "phase":
        return status.phase_number
    if key == "last_session":
        return status.last_session
    if key == "pain_trend":
        return status.pain.change
    return row.patient.display_name.casefold()


def _matches(patient: Patient, words: list[str]) -> bool:
    haystack = " ".join(
        [patient.display_name, patient.diagnosis or "", patient.contact_email or ""]
    ).casefold()
    return all(word in haystack for word in words)


def list_patients(
    db: Session,
    clinician: User,
    kb: KnowledgeBase,
    *,
    query: str = "",
    sort: str = "name",
    order: str = "",
    today: dt.date,
) -> PatientList:
    """The clinician's records whose name, diagnosis or contact e-mail contain every word
    of ``query`` (any case), sorted by ``sort`` (:data:`SORT_KEYS`; anything else sorts by
    name) in ``order`` (``asc``/``desc``; empty: the column's :data:`DEFAULT_ORDER`)."""
    key: SortKey = next((known for known in SORT_KEYS if known == sort), "name")
    direction: Order = DEFAULT_ORDER[key]
    if order == "asc":
        direction = "asc"
    elif order == "desc":
        direction = "desc"
    patients = db.scalars(select(Patient).where(Patient.clinician_id == clinician.id)).all()
    words = query.casefold().split()
    chosen = [patient for patient in patients if _matches(patient, words)]
    rows = [
        PatientRow(
            patient,
            age_on(patient.date_of_birth, today) if patient.date_of_birth else None,
            patient_status(patient, kb),
        )
        for patient in chosen
    ]
    rows.sort(key=lambda row: row.patient.display_name.casefold())  # ties stay A–Z
    present = [row for row in rows if _sort_value(row, key) is not None]
    absent = [row for row in rows if _sort_value(row, key) is None]
    present.sort(key=lambda row: _sort_value(row, key), reverse=direction == "desc")
    return PatientList(present + absent, query, key, direction, len(patients))
