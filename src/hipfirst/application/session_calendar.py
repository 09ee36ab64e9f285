"""Use case: the patient's planned sessions as a calendar file for their phone.

The sessions come from :func:`hipfirst.application.programme_dates.planned_sessions`
(the sessions per week of each phase over its typical weeks, from the start of the
course); each event lists the exercises of that session with their dosage. No ids or
clinical codes are written, only the exercise names and what to do.
"""

from __future__ import annotations

from hipfirst.application.handouts import dosage_words
from hipfirst.application.programme_dates import PlannedSession, current_course, planned_sessions
from hipfirst.io.session_calendar import CalendarEvent, calendar_ics
from hipfirst.knowledge.base import KnowledgeBase
from hipfirst.storage.models import Patient

CALENDAR_NAME = "Knee exercise sessions"
TYPICAL_WEEKS_NOTE = (
    "The weeks of each phase are typical: your physiotherapist moves you on when you are "
    "ready, not by the calendar."
)


def _description(session: PlannedSession, phase_name: str) -> str:
    lines = [f"Phase {session.phase}: {phase_name}", ""]
    for exercise in session.exercises:
        lines.append(f"- {exercise.name}: {dosage_words(exercise)} ({exercise.load})")
    lines += ["", TYPICAL_WEEKS_NOTE]
    return "\n".join(lines)


def session_calendar(patient: Patient, kb: KnowledgeBase) -> bytes | None:
    """The ``.ics`` file of the current programme's planned sessions (None without a plan)."""
    course = current_course(patient, kb)
    if course is None:
        return None
    plan, start = course.plan, course.start
    names = {phase.number: phase.name for phase in plan.phases}
    events = []
    for session in planned_sessions(plan, start):
        if session.kind == "running":
            summary = f"Run: {session.exercises[0].name}"
        else:
            summary = f"Knee exercises ({len(session.exercises)})"
        events.append(
            CalendarEvent(
                uid=f"{session.day.isoformat()}-{session.kind}-{patient.id}@hipfirst",
                day=session.day,
                summary=summary,
                description=_description(session, names[session.phase]),
                sequence=course.programme.version,
                stamp=course.programme.created_at,
            )
        )
    return calendar_ics(CALENDAR_NAME, events)
