"""The clinician's patients: list, create, timeline, export (JSON and zip), delete.

Every ``/patients/{patient_id}…`` route takes the patient through
:data:`~hipfirst.web.deps.ClinicianPatient`, which scopes it to the signed-in
clinician and writes the audit row.
"""

from __future__ import annotations

import os
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import FileResponse, JSONResponse, RedirectResponse, Response
from sqlalchemy import select
from starlette.background import BackgroundTask

from hipfirst.application import patients as use
from hipfirst.errors import InputValidationError
from hipfirst.storage.models import Patient
from hipfirst.web.audit import client_ip
from hipfirst.web.deps import (
    AppSettings,
    ClinicianPatient,
    ClinicianUser,
    DbSession,
    ExportedPatient,
)
from hipfirst.web.patient_status import patient_status
from hipfirst.web.templating import flash, render

router = APIRouter(prefix="/patients")


@router.get("")
def patient_list(request: Request, db: DbSession, clinician: ClinicianUser) -> Response:
    patients = db.scalars(
        select(Patient).where(Patient.clinician_id == clinician.id).order_by(Patient.display_name)
    ).all()
    rows = [(patient, patient_status(patient)) for patient in patients]
    return render(request, "patients/list.html", {"rows": rows})


@router.get("/new")
def new_patient_form(request: Request, clinician: ClinicianUser) -> Response:
    form = {"display_name": "", "login_email": "", "notes": ""}
    return render(request, "patients/new.html", {"form": form, "errors": {}})


@router.post("")
def create_patient(
    request: Request,
    db: DbSession,
    clinician: ClinicianUser,
    display_name: Annotated[str, Form()] = "",
    login_email: Annotated[str, Form()] = "",
    notes: Annotated[str, Form()] = "",
) -> Response:
    display_name, login_email = display_name.strip(), login_email.strip().lower()
    try:
        patient = use.create_patient(
            db,
            clinician,
            display_name=display_name,
            login_email=login_email,
            notes=notes.strip(),
            what="POST /patients",
            ip=client_ip(request),
        )
    except InputValidationError as error:
        form = {"display_name": display_name, "login_email": login_email, "notes": notes}
        context = {"form": form, "errors": _by_field(error)}
        return render(request, "patients/new.html", context, status_code=400)
    flash(request, f"Created the record of {display_name}.")
    return RedirectResponse(f"/patients/{patient.id}", status_code=303)


def _by_field(error: InputValidationError) -> dict[str, str]:
    return {problem.location: problem.message for problem in error.errors}


@router.get("/{patient_id}")
def timeline(request: Request, patient: ClinicianPatient) -> Response:
    context = {"patient": patient, "status": patient_status(patient)}
    return render(request, "patients/timeline.html", context)


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
        context = {"patient": patient, "errors": _by_field(error), "typed": confirm_name}
        return render(request, "patients/delete.html", context, status_code=400)
    flash(request, f"Deleted {name} with all their records and files.")
    return RedirectResponse("/patients", status_code=303)
