"""Patient records: create one, export one (JSON or zip with every file), delete one.

The caller passes values already trimmed (e-mail addresses lower-cased) and
the audit details of the request: ``what`` (the route, e.g. ``POST /patients``)
and the client address ``ip``.
"""

from __future__ import annotations

import json
import os
import tempfile
import zipfile
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from hipfirst.errors import FieldError, InputValidationError
from hipfirst.settings import Settings
from hipfirst.storage import audit
from hipfirst.storage.export import patient_record
from hipfirst.storage.files import patient_dir, patient_files, remove_patient_files
from hipfirst.storage.models import Patient, Role, User

MAX_NAME_LENGTH = 120


def new_patient_errors(db: Session, display_name: str, login_email: str) -> list[FieldError]:
    """Problems with a new patient record, by form field."""
    errors: list[FieldError] = []
    if not 1 <= len(display_name) <= MAX_NAME_LENGTH:
        errors.append(FieldError("display_name", f"must be 1 to {MAX_NAME_LENGTH} characters"))
    if login_email:
        account = db.scalar(select(User).where(User.email == login_email))
        if account is None or account.role is not Role.patient or not account.active:
            errors.append(
                FieldError(
                    "login_email",
                    f"no active patient account {login_email!r}; ask an admin to create it "
                    "first, or leave this empty",
                )
            )
        elif db.scalar(select(Patient.id).where(Patient.user_id == account.id)) is not None:
            errors.append(
                FieldError(
                    "login_email", f"{login_email} is already linked to another patient record"
                )
            )
    return errors


def create_patient(
    db: Session,
    clinician: User,
    *,
    display_name: str,
    login_email: str,
    notes: str,
    what: str,
    ip: str,
) -> Patient:
    """A new record owned by ``clinician``, linked to the patient account ``login_email`` if given.

    Raises :class:`~hipfirst.errors.InputValidationError` naming each bad field;
    the creation is audited. Commits.
    """
    errors = new_patient_errors(db, display_name, login_email)
    if errors:
        raise InputValidationError("new patient", errors)
    account = db.scalar(select(User).where(User.email == login_email)) if login_email else None
    patient = Patient(
        clinician_id=clinician.id,
        user_id=account.id if account else None,
        display_name=display_name,
        notes=notes,
    )
    db.add(patient)
    db.flush()
    audit.record(db, clinician, patient.id, "create", what, ip)
    db.commit()
    return patient


def export_record(db: Session, patient: Patient) -> dict[str, Any]:
    """Everything stored about ``patient`` (rows and audit trail) as JSON-ready data."""
    return patient_record(db, patient)


def export_zip(db: Session, settings: Settings, patient: Patient) -> Path:
    """``record.json`` plus every file of the patient (paths relative to their folder), zipped.

    The zip is a temporary file in the data folder; the caller removes it once sent.
    """
    record = patient_record(db, patient)
    root = patient_dir(settings.data_dir, patient.id)
    handle, name = tempfile.mkstemp(prefix="export-", suffix=".zip", dir=settings.data_dir)
    with os.fdopen(handle, "wb") as raw, zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(
            "record.json", json.dumps(record, indent=2, ensure_ascii=False, allow_nan=False)
        )
        for path in patient_files(settings.data_dir, patient.id):
            zf.write(path, f"files/{path.relative_to(root).as_posix()}")
    return Path(name)


def delete_patient(
    db: Session,
    settings: Settings,
    clinician: User,
    patient: Patient,
    *,
    confirm_name: str,
    what: str,
    ip: str,
) -> None:
    """Delete the record, every row hanging off it, and its folder of files.

    ``confirm_name`` must be the record's name exactly (else
    :class:`~hipfirst.errors.InputValidationError`). The deletion is audited;
    the audit rows outlive the record.
    """
    if confirm_name != patient.display_name:
        raise InputValidationError(
            "delete patient",
            [FieldError("confirm_name", f"type the name exactly as shown: {patient.display_name}")],
        )
    patient_id = patient.id
    audit.record(db, clinician, patient_id, "delete", what, ip)
    db.delete(patient)
    db.commit()
    remove_patient_files(settings.data_dir, patient_id)
