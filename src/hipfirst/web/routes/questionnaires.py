"""Questionnaires the patient completes: AKPS, LEFS and KOOS-PF, on a phone.

``GET …/questionnaires`` lists every score (the patient's own responses and the clinician's
assessments) with the change since the first against the minimal important change;
``GET/POST …/questionnaires/{kind}`` is one questionnaire as a form. The patient and their
clinician reach both (:data:`~hipfirst.web.deps.PatientRecord`); an unknown kind is 404.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import RedirectResponse, Response

from hipfirst.application import questionnaires as use
from hipfirst.errors import FieldError, InputValidationError
from hipfirst.knowledge.loader import knowledge_base
from hipfirst.storage.models import Patient
from hipfirst.web.citations import cite
from hipfirst.web.dates import long_date
from hipfirst.web.deps import CurrentUser, DbSession, PatientRecord
from hipfirst.web.forms import field_messages
from hipfirst.web.questionnaire_forms import AKPS_FORM, KOOS_PF_FORM, LEFS_FORM, Item
from hipfirst.web.templating import flash, render

router = APIRouter(prefix="/patients/{patient_id}/questionnaires")

FORMS: dict[str, tuple[Item, ...]] = {"akps": AKPS_FORM, "lefs": LEFS_FORM, "koos_pf": KOOS_PF_FORM}
LEAD_INS = {
    "akps": "For each question, choose the answer that fits your knee best now.",
    "lefs": "Today, because of your knee, how much difficulty do you have with…",
    "koos_pf": (
        "Your physiotherapist gives you the KOOS-PF questions on paper. For each of its 11 "
        "questions, choose here the answer you ticked there."
    ),
}


@router.get("")
def overview(request: Request, patient: PatientRecord) -> Response:
    kb = knowledge_base()
    context = {
        "patient": patient,
        "histories": use.history(patient, kb),
        "day": long_date,
        "cite": lambda ids: cite(kb, ids),
    }
    return render(request, "questionnaires/overview.html", context)


def _questionnaire(kind: str) -> use.Questionnaire:
    found = use.QUESTIONNAIRES.get(kind)
    if found is None:
        raise HTTPException(status_code=404, detail="No such questionnaire.")
    return found


def _form_context(
    patient: Patient, kind: str, form: Mapping[str, str], problems: Sequence[FieldError]
) -> dict[str, Any]:
    return {
        "patient": patient,
        "questionnaire": _questionnaire(kind),
        "items": FORMS[kind],
        "lead_in": LEAD_INS[kind],
        "form": form,
        "errors": field_messages(problems),
        "problems": problems,
    }


@router.get("/{kind}")
def questionnaire_form(request: Request, patient: PatientRecord, kind: str) -> Response:
    return render(request, "questionnaires/form.html", _form_context(patient, kind, {}, []))


@router.post("/{kind}")
async def save_questionnaire(
    request: Request, db: DbSession, patient: PatientRecord, user: CurrentUser, kind: str
) -> Response:
    questionnaire = _questionnaire(kind)
    raw = await request.form()
    form = {name: value for name, value in raw.items() if isinstance(value, str)}
    try:
        saved = use.record_response(db, patient, user, kind, form, dt.date.today())
    except InputValidationError as error:
        context = _form_context(patient, kind, form, error.errors)
        return render(request, "questionnaires/form.html", context, status_code=400)
    total = use.score(kind, saved.answers[kind])
    flash(request, f"Saved your {questionnaire.name}: {total:g} of {questionnaire.scale}.")
    return RedirectResponse(f"/patients/{patient.id}/questionnaires", status_code=303)
