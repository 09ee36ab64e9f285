"""The programme to take home: the handout PDF and the session calendar.

``GET …/programme/handout.pdf`` is the current phase on one or two A4 pages for the patient;
the clinician may add ``?phases=all`` for every phase. ``GET …/programme/calendar.ics`` is
the planned sessions as an iCalendar file for a phone. Both are the patient's own record
(:data:`~hipfirst.web.deps.PatientRecord`), scoped and audited like every patient page.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, HTTPException, Query
from fastapi.responses import Response

from hipfirst.application.handouts import handout
from hipfirst.application.session_calendar import session_calendar
from hipfirst.knowledge.loader import knowledge_base
from hipfirst.storage.models import Role
from hipfirst.web.deps import AppSettings, CurrentUser, PatientRecord
from hipfirst.web.handout_pdf import handout_pdf

router = APIRouter(prefix="/patients/{patient_id}/programme")

PHASE_CHOICES = ("current", "all")
NO_PROGRAMME = "There is no programme yet, so there is nothing to print or add to a calendar."


@router.get("/handout.pdf")
def handout_file(
    patient: PatientRecord,
    user: CurrentUser,
    settings: AppSettings,
    phases: Annotated[str, Query()] = "current",
) -> Response:
    if phases not in PHASE_CHOICES:
        raise HTTPException(
            status_code=400,
            detail=f"phases: must be 'current' or 'all' (got {phases[:40]!r})",
        )
    if phases == "all" and user.role is not Role.clinician:
        raise HTTPException(
            status_code=403,
            detail="Only your physiotherapist prints every phase; your handout is your phase now.",
        )
    found = handout(
        patient,
        knowledge_base(),
        clinic_name=settings.clinic_name,
        clinic_contact=settings.clinic_contact,
        all_phases=phases == "all",
        today=dt.date.today(),
    )
    if found is None:
        raise HTTPException(status_code=404, detail=NO_PROGRAMME)
    name = "exercise-programme-all-phases.pdf" if phases == "all" else "exercise-programme.pdf"
    return Response(
        handout_pdf(found),
        media_type="application/pdf",
        headers={"Content-Disposition": f'inline; filename="{name}"'},
    )


@router.get("/calendar.ics")
def calendar_file(patient: PatientRecord) -> Response:
    ics = session_calendar(patient, knowledge_base())
    if ics is None:
        raise HTTPException(status_code=404, detail=NO_PROGRAMME)
    return Response(
        ics,
        media_type="text/calendar; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="knee-exercise-sessions.ics"'},
    )
