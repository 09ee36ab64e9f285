"""The clinician's patients: list, create, timeline, export (JSON and zip), delete.

Every ``/patients/{patient_id}…`` route takes the patient through
:data:`~hipfirst.web.deps.ClinicianPatient`, which scopes it to the signed-in
clinician and writes the audit row.
"""

from __future__ import annotations

import json
import os
import tempfile
import zipfile
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import FileResponse, JSONResponse, RedirectResponse, Response
from sqlalchemy import select
from sqlalchemy.orm import Session
from starlette.background import BackgroundTask

from hipfirst.storage.export import patient_record
from hipfirst.storage.files import patient_dir, patient_files, remove_patient_files
from hipfirst.storage.models import Patient, Role, User
from hipfirst.web import audit
from hipfirst.web.deps import AppSettings, ClinicianPatient, ClinicianUser, DbSession
from hipfirst.web.patient_status import patient_status
from hipfirst.web.templating import flash, render

router = APIRouter(prefix="/patients")

MAX_NAME_LENGTH = 120


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


def new_patient_errors(db: Session, display_name: str, login_email: str) -> dict[str, str]:
    """Problems with the create-patient form, keyed by field."""
    errors: dict[str, str] = {}
    if not 1 <= len(display_name) <= MAX_NAME_LENGTH:
        errors["display_name"] = f"must be 1 to {MAX_NAME_LENGTH} characters"
    if login_email:
        account = db.scalar(select(User).where(User.email == login_email))
        if account is None or account.role is not Role.patient or not account.active:
            errors["login_email"] = (
                f"no active patient account {login_email!r}; ask an admin to create it first, "
                "or leave this empty"
            )
        elif db.scalar(select(Patient.id).where(Patient.user_id == account.id)) is not None:
            errors["login_email"] = f"{login_email} is already linked to another patient record"
    return errors


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
    errors = new_patient_errors(db, display_name, login_email)
    if errors:
        form = {"display_name": display_name, "login_email": login_email, "notes": notes}
        context = {"form": form, "errors": errors}
        return render(request, "patients/new.html", context, status_code=400)
    account = db.scalar(select(User).where(User.email == login_email)) if login_email else None
    patient = Patient(
        clinician_id=clinician.id,
        user_id=account.id if account else None,
        display_name=display_name,
        notes=notes.strip(),
    )
    db.add(patient)
    db.flush()
    audit.record(db, clinician, patient.id, "create", "POST /patients", audit.client_ip(request))
    db.commit()
    flash(request, f"Created the record of {display_name}.")
    return RedirectResponse(f"/patients/{patient.id}", status_code=303)


@router.get("/{patient_id}")
def timeline(request: Request, patient: ClinicianPatient) -> Response:
    context = {"patient": patient, "status": patient_status(patient)}
    return render(request, "patients/timeline.html", context)


@router.get("/{patient_id}/export.json")
def export_json(db: DbSession, patient: ClinicianPatient) -> Response:
    record = patient_record(db, patient)
    filename = f"hipfirst-patient-{patient.id}.json"
    return JSONResponse(
        record, headers={"Content-Disposition": f'attachment; filename="{filename}"'}
    )


@router.get("/{patient_id}/export.zip")
def export_zip(db: DbSession, settings: AppSettings, patient: ClinicianPatient) -> Response:
    """``record.json`` plus every file of the patient, paths relative to their folder."""
    record = patient_record(db, patient)
    root = patient_dir(settings.data_dir, patient.id)
    handle, name = tempfile.mkstemp(prefix="export-", suffix=".zip", dir=settings.data_dir)
    with os.fdopen(handle, "wb") as raw, zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("record.json", json.dumps(record, indent=2, ensure_ascii=False))
        for path in patient_files(settings.data_dir, patient.id):
            zf.write(path, f"files/{path.relative_to(root).as_posix()}")
    return FileResponse(
        name,
        media_type="application/zip",
        filename=f"hipfirst-patient-{patient.id}.zip",
        background=BackgroundTask(os.unlink, name),
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
    if confirm_name.strip() != patient.display_name:
        errors = {"confirm_name": f"type the name exactly as shown: {patient.display_name}"}
        context = {"patient": patient, "errors": errors, "typed": confirm_name}
        return render(request, "patients/delete.html", context, status_code=400)
    name, patient_id = patient.display_name, patient.id
    audit.record(
        db,
        clinician,
        patient_id,
        "delete",
        "POST /patients/{patient_id}/delete",
        audit.client_ip(request),
    )
    db.delete(patient)
    db.commit()
    remove_patient_files(settings.data_dir, patient_id)
    flash(request, f"Deleted {name} with all their records and files.")
    return RedirectResponse("/patients", status_code=303)
