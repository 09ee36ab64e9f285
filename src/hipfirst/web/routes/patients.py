"""The clinician's patients: list (search, sort), create, edit details, timeline, export
(JSON and zip), delete.

Every ``/patients/{patient_id}…`` route takes the patient through
:data:`~hipfirst.web.deps.ClinicianPatient`, which scopes it to the signed-in
clinician and writes the audit row.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterable
from typing import Annotated, Any

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import FileResponse, JSONResponse, RedirectResponse, Response
from starlette.background import BackgroundTask

from hipfirst.application import patients as use
from hipfirst.application.patient_details import (
    DETAIL_FIELDS,
    INVOLVED_SIDES,
    age_on,
    details_form,
)
from hipfirst.application.patient_list import (
    DEFAULT_ORDER,
    SORT_KEYS,
    list_patients,
    patient_status,
)
from hipfirst.errors import FieldError, InputValidationError
from hipfirst.knowledge.loader import knowledge_base
from hipfirst.web.audit import client_ip
from hipfirst.web.deps import (
    AppSettings,
    ClinicianPatient,
    ClinicianUser,
    DbSession,
    ExportedPatient,
)
from hipfirst.web.templating import flash, is_htmx, render

router = APIRouter(prefix="/patients")


@router.get("")
def patient_list(
    request: Request,
    db: DbSession,
    clinician: ClinicianUser,
    q: Annotated[str, Query(max_length=200)] = "",
    sort: Annotated[str, Query(max_length=20)] = "name",
    order: Annotated[str, Query(max_length=4)] = "",
) -> Response:
    """The clinician's records, searched (``q``) and sorted (``sort``, ``order``)."""
    listed = list_patients(
        db, clinician, knowledge_base(), query=q, sort=sort, order=order, today=dt.date.today()
    )
    context = {"listed": listed, "sort_keys": SORT_KEYS, "default_order": DEFAULT_ORDER}
    block = "rows" if is_htmx(request) else None
    return render(request, "patients/list.html", context, block=block)


def _blank_form() -> dict[str, str]:
    return dict.fromkeys((*DETAIL_FIELDS, "login_email"), "")


def _details_context(form: dict[str, str], problems: list[FieldError]) -> dict[str, Any]:
    return {
        "form": form,
        "errors": _by_field(problems),
        "problems": problems,
        "sides": [(side, side) for side in INVOLVED_SIDES],
        "today": dt.date.today().isoformat(),
    }


@router.get("/new")
def new_patient_form(request: Request, clinician: ClinicianUser) -> Response:
    return render(request, "patients/new.html", _details_context(_blank_form(), []))


async def _form_fields(request: Request, names: tuple[str, ...]) -> dict[str, str]:
    raw = await request.form()
    return {name: str(raw.get(name, "")) for name in names}


@router.post("")
async def create_patient(request: Request, db: DbSession, clinician: ClinicianUser) -> Response:
    form = await _form_fields(request, (*DETAIL_FIELDS, "login_email"))
    login_email = form["login_email"].strip().lower()
    try:
        patient = use.create_patient(
            db,
            clinician,
            form,
            login_email=login_email,
            what="POST /patients",
            ip=client_ip(request),
            today=dt.date.today(),
        )
    except InputValidationError as error:
        context = _details_context(form, list(error.errors))
        return render(request, "patients/new.html", context, status_code=400)
    flash(request, f"Created the record of {patient.display_name}.")
    return RedirectResponse(f"/patients/{patient.id}", status_code=303)


def _by_field(problems: Iterable[FieldError]) -> dict[str, str]:
    return {problem.location: problem.message for problem in problems}


@router.get("/{patient_id}")
def timeline(request: Request, patient: ClinicianPatient) -> Response:
    context = {
        "patient": patient,
        "status": patient_status(patient, knowledge_base()),
        "age": age_on(patient.date_of_birth, dt.date.today()) if patient.date_of_birth else None,
    }
    return render(request, "patients/timeline.html", context)


@router.get("/{patient_id}/edit")
def edit_form(request: Request, patient: ClinicianPatient) -> Response:
    context = {"patient": patient, **_details_context(details_form(patient), [])}
    return render(request, "patients/edit.html", context)


@router.post("/{patient_id}/edit")
async def save_details(request: Request, db: DbSession, patient: ClinicianPatient) -> Response:
    """Change the record's details; every problem is shown beside its field, nothing saved."""
    form = await _form_fields(request, DETAIL_FIELDS)
    try:
        use.update_patient(db, patient, form, today=dt.date.today())
    except InputValidationError as error:
        context = {"patient": patient, **_details_context(form, list(error.errors))}
        return render(request, "patients/edit.html", context, status_code=400)
    flash(request, f"Saved the details of {patient.display_name}.")
    return RedirectResponse(f"/patients/{patient.id}", status_code=303)


@router.get("/{patient_id}/export.json")
def export_json(db: DbSession, patient: ExportedPatient) -> Response:
    record = use.export_record(db, patient)
    filename = f"hipfirst-patient-{patient.id}.json"
    return JSONResponse(
        record, headers={"Content-Disposition": f'attachment; filename="{filename}"'}
    )


@router.get("/{patient_id}/export.zip")
def export_zip(db: DbSession, settings: AppSettings, patient: ExportedPatient) -> Response:
    """``record.json`` plus every file of the patient, paths relative to their folder."""
    path = use.export_zip(db, settings, patient)
    return FileResponse(
        path,
        media_type="application/zip",
        filename=f"hipfirst-patient-{patient.id}.zip",
        background=BackgroundTask(os.unlink, path),
    )


@router.get("/{patient_id}/delete")
def delete_form(request: Request, patient: ClinicianPatient) -> Response:
    context = {"patient": patient, "errors": {}, "typed": ""}
    return render(request, "patients/delete.html", context)


@router.post("/{patient_id}/delete")
def delete_patient(
    request: Request,
    db: DbSession,
    settings: AppSettings,
    clinician: ClinicianUser,
    patient: ClinicianPatient,
    confirm_name: Annotated[str, Form()] = "",
) -> Response:
    """Delete the record, every row hanging off it, and its folder of files."""
    name = patient.display_name
    try:
        use.delete_patient(
            db,
            settings,
            clinician,
            patient,
            confirm_name=confirm_name.strip(),
            what="POST /patients/{patient_id}/delete",
            ip=client_ip(request),
        )
    except InputValidationError as error:
        context = {"patient": patient, "errors": _by_field(error.errors), "typed": confirm_name}
        return render(request, "patients/delete.html", context, status_code=400)
    flash(request, f"Deleted {name} with all their records and files.")
    return RedirectResponse("/patients", status_code=303)
