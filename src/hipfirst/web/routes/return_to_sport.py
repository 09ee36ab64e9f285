"""Return to sport and re-assessment: ``GET /patients/{patient_id}/return-to-sport``.

The checklist of a re-assessment (``?assessment=ID``, default the latest after the
baseline) for a goal (``?goal=running``, default the programme's), each criterion met,
not met or unknown with its value, pass mark, evidence status and source, and the change
since the baseline against each measure's MCID or MDC. Clinician only; the use case is
:func:`hipfirst.application.return_to_sport.return_to_sport`.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from hipfirst.application.return_to_sport import return_to_sport
from hipfirst.knowledge.loader import knowledge_base
from hipfirst.storage.record_ids import parse_record_id
from hipfirst.web.deps import ClinicianPatient
from hipfirst.web.plain_words import glossary_for
from hipfirst.web.templating import render

router = APIRouter(prefix="/patients/{patient_id}/return-to-sport")


@router.get("")
def checklist(
    request: Request,
    patient: ClinicianPatient,
    assessment: Annotated[str, Query(max_length=20)] = "",
    goal: Annotated[str, Query(max_length=20)] = "",
) -> Response:
    kb = knowledge_base()
    view = return_to_sport(
        patient, kb, assessment_id=parse_record_id(assessment), goal=goal or None
    )
    reports = [a.report_json for a in patient.assessments if a.report_json]
    context = {
        "patient": patient,
        "view": view,
        "goals": [(goal_id, item.name) for goal_id, item in kb.goals.items()],
        "glossary": glossary_for(kb).with_findings(reports),
        "asked_for": assessment,
    }
    return render(request, "return_to_sport/checklist.html", context)
