"""Assessments: the whole format-v1 form (with AKPS and LEFS), the engine's report, history.

The form is validated by the engine itself (:func:`parse_assessment`), and
every problem is shown next to its field with everything typed kept. A saved
assessment stores the format-v1 document (``exam_json``) and the report
(``report_json``); editing one starts a new assessment from its values, so
the history is never rewritten.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import RedirectResponse, Response

from hipfirst.application.assessments import analysis_choices, record_assessment, scoped_assessment
from hipfirst.errors import FieldError, InputValidationError
from hipfirst.knowledge.loader import knowledge_base
from hipfirst.storage.models import Patient
from hipfirst.storage.record_ids import parse_record_id
from hipfirst.web import assessment_form as af
from hipfirst.web.citations import cite
from hipfirst.web.deps import (
    ClinicianPatient,
    ClinicianUser,
    DbSession,
    RecordId,
)
from hipfirst.web.questionnaire_forms import (
    AKPS_FORM,
    KOOS_PF_FORM,
    LEFS_FORM,
    Item,
    scores_in_words,
)
from hipfirst.web.templating import flash, render

router = APIRouter(prefix="/patients/{patient_id}/assessments")


def _form_context(
    patient: Patient, form: af.FormValues, problems: list[FieldError]
) -> dict[str, Any]:
    return {
        "patient": patient,
        "form": form,
        "errors": af.errors_by_field(problems),
        "problems": problems,
        "af": af,
        "akps_items": _items(AKPS_FORM),
        "lefs_items": _items(LEFS_FORM),
        "koos_pf_items": _items(KOOS_PF_FORM),
        "activity_options": [(value, af.words(value)) for value in af.ACTIVITY_CHOICES],
        "equipment_options": [(value, af.words(value)) for value in af.EQUIPMENT],
        "analyses": analysis_choices(patient),
        "scores": questionnaire_scores(form),
    }


def _items(form: tuple[Item, ...]) -> list[tuple[str, list[tuple[str, str]]]]:
    """Question and (value, words) options of each item; the words show the points."""
    return [
        (
            item.question,
            [(str(option.points), f"{option.words} ({option.points})") for option in item.options],
        )
        for item in form
    ]


def questionnaire_scores(form: af.FormValues) -> dict[str, str]:
    """The AKPS, LEFS and KOOS-PF scores of a form in words (what the live score shows).

    Scored by the engine's own rules: an answer the item does not allow, or a
    missing item, means no total.
    """
    document, _ = af.form_to_document(form)
    return scores_in_words(document.get("questionnaires", {}))


@router.get("/new")
def new_assessment(
    request: Request,
    db: DbSession,
    patient: ClinicianPatient,
    from_: Annotated[str | None, Query(alias="from")] = None,
) -> Response:
    """An empty form, or (``?from=ID``) one filled from an earlier assessment to edit."""
    form = af.blank_form(dt.date.today())
    earlier_id = parse_record_id(from_)
    if from_ is not None:
        earlier = None if earlier_id is None else scoped_assessment(db, patient, earlier_id)
        if earlier is None:
            raise HTTPException(status_code=404, detail="No such assessment.")
        form = {**af.document_to_form(earlier.exam_json), "date": dt.date.today().isoformat()}
    context = _form_context(patient, form, [])
    context["edited_from"] = earlier_id
    return render(request, "assessments/form.html", context)


@router.post("/score")
async def live_score(request: Request, patient: ClinicianPatient) -> Response:
    """The questionnaire totals of the form as it is now (HTMX swaps this in on change)."""
    form = af.read_form(
        [(k, v) for k, v in (await request.form()).multi_items() if isinstance(v, str)]
    )
    return render(
        request, "assessments/form.html", {"scores": questionnaire_scores(form)}, block="scores"
    )


@router.post("")
async def create_assessment(
    request: Request, db: DbSession, clinician: ClinicianUser, patient: ClinicianPatient
) -> Response:
    raw = await request.form()
    form = af.read_form([(k, v) for k, v in raw.multi_items() if isinstance(v, str)])
    document, problems = af.form_to_document(form)
    try:
        assessment = record_assessment(db, patient, clinician, document, problems, knowledge_base())
    except InputValidationError as error:
        context = _form_context(patient, form, list(error.errors))
        return render(request, "assessments/form.html", context, status_code=400)
    flash(request, f"Saved the assessment of {assessment.assessed_on.isoformat()}.")
    return RedirectResponse(f"/patients/{patient.id}/assessments/{assessment.id}", status_code=303)


@router.get("/{assessment_id}")
def show_report(
    request: Request, db: DbSession, patient: ClinicianPatient, assessment_id: RecordId
) -> Response:
    assessment = scoped_assessment(db, patient, assessment_id)
    if assessment is None:
        raise HTTPException(status_code=404, detail="No such assessment.")
    kb = knowledge_base()
    context = {
        "patient": patient,
        "assessment": assessment,
        "report": assessment.report_json or {},
        "cite": lambda ids: cite(kb, ids),
    }
    return render(request, "assessments/report.html", context)
