"""A patient record's details as a form gives them: read, checked, written to the row.

The details are the name, date of birth (the age is computed from it, never stored),
contact e-mail and phone, diagnosis, involved side and notes. Every problem names the
form field, the value given and what is allowed, and all of them are reported
together. The age a date of birth gives must be one the assessment format accepts
(:data:`hipfirst.core.format_fields.AGE_YEARS_RANGE`), so a record's age can fill an
assessment.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass

from hipfirst.core.format_fields import AGE_YEARS_RANGE
from hipfirst.errors import FieldError
from hipfirst.storage.models import Patient

MAX_NAME_LENGTH = 120
MAX_EMAIL_LENGTH = 254
MAX_PHONE_LENGTH = 40
MAX_DIAGNOSIS_LENGTH = 200
MAX_NOTES_LENGTH = 5000
MIN_PHONE_DIGITS = 6
"""Fewer digits than this is no phone number anywhere (the shortest national numbers)."""
INVOLVED_SIDES = ("left", "right", "both")
DETAIL_FIELDS = (
    "display_name",
    "date_of_birth",
    "contact_email",
    "contact_phone",
    "diagnosis",
    "involved_side",
    "notes",
)
"""The form fields of a record's details (``login_email`` is asked for on creation only)."""
EMAIL_PATTERN = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
PHONE_PATTERN = re.compile(r"^\+?[0-9 ()./-]+$")


@dataclass(frozen=True)
class PatientDetails:
    """Checked details, ready to be written to a :class:`Patient` row."""

    display_name: str
    date_of_birth: dt.date | None
    contact_email: str | None
    contact_phone: str | None
    diagnosis: str
    involved_side: str | None
    notes: str

    def write_to(self, patient: Patient) -> None:
        patient.display_name = self.display_name
        patient.date_of_birth = self.date_of_birth
        patient.contact_email = self.contact_email
        patient.contact_phone = self.contact_phone
        patient.diagnosis = self.diagnosis
        patient.involved_side = self.involved_side
        patient.notes = self.notes


def age_on(date_of_birth: dt.date, day: dt.date) -> int:
    """Whole years of age on ``day`` (a birthday on 29 February counts from 1 March)."""
    had_birthday = (day.month, day.day) >= (date_of_birth.month, date_of_birth.day)
    return day.year - date_of_birth.year - (0 if had_birthday else 1)


def _date_of_birth(text: str, today: dt.date, errors: list[FieldError]) -> dt.date | None:
    if not text:
        return None
    try:
        born = dt.date.fromisoformat(text)
    except ValueError:
        errors.append(FieldError("date_of_birth", "must be a date such as 1990-04-23", text))
        return None
    if born > today:
        errors.append(
            FieldError("date_of_birth", f"must not be after today ({today.isoformat()})", text)
        )
        return None
    low, high = AGE_YEARS_RANGE
    age = age_on(born, today)
    if not low <= age <= high:
        errors.append(
            FieldError(
                "date_of_birth",
                f"gives an age of {age}; hipfirst's assessment covers ages {low:g} to {high:g}",
                text,
            )
        )
        return None
    return born


def _limited(name: str, text: str, limit: int, errors: list[FieldError]) -> str:
    if len(text) > limit:
        errors.append(
            FieldError(name, f"must be at most {limit} characters (got {len(text)})", None)
        )
    return text


def _email(text: str, errors: list[FieldError]) -> str | None:
    if not text:
        return None
    if len(text) > MAX_EMAIL_LENGTH or not EMAIL_PATTERN.match(text):
        errors.append(
            FieldError("contact_email", "must be an e-mail address such as name@example.org", text)
        )
        return None
    return text


def _phone(text: str, errors: list[FieldError]) -> str | None:
    if not text:
        return None
    digits = sum(character.isdigit() for character in text)
    if len(text) > MAX_PHONE_LENGTH or not PHONE_PATTERN.match(text) or digits < MIN_PHONE_DIGITS:
        errors.append(
            FieldError(
                "contact_phone",
                f"must be a phone number: at least {MIN_PHONE_DIGITS} digits, with spaces, "
                f"+ ( ) - . / allowed, at most {MAX_PHONE_LENGTH} characters",
                text,
            )
        )
        return None
    return text


def read_details(
    form: Mapping[str, str], today: dt.date
) -> tuple[PatientDetails | None, list[FieldError]]:
    """The checked details of ``form`` (texts as typed), or None and every problem."""
    text = {name: form.get(name, "").strip() for name in DETAIL_FIELDS}
    errors: list[FieldError] = []
    name = text["display_name"]
    if not 1 <= len(name) <= MAX_NAME_LENGTH:
        errors.append(
            FieldError("display_name", f"must be 1 to {MAX_NAME_LENGTH} characters", name or None)
        )
    born = _date_of_birth(text["date_of_birth"], today, errors)
    email = _email(text["contact_email"].lower(), errors)
    phone = _phone(text["contact_phone"], errors)
    diagnosis = _limited("diagnosis", text["diagnosis"], MAX_DIAGNOSIS_LENGTH, errors)
    notes = _limited("notes", form.get("notes", "").strip(), MAX_NOTES_LENGTH, errors)
    side = text["involved_side"] or None
    if side is not None and side not in INVOLVED_SIDES:
        errors.append(
            FieldError("involved_side", f"must be one of {', '.join(INVOLVED_SIDES)}", side)
        )
    if errors:
        return None, errors
    details = PatientDetails(name, born, email, phone, diagnosis, side, notes)
    return details, []


def details_form(patient: Patient) -> dict[str, str]:
    """A record's details as the form shows them."""
    return {
        "display_name": patient.display_name,
        "date_of_birth": patient.date_of_birth.isoformat() if patient.date_of_birth else "",
        "contact_email": patient.contact_email or "",
        "contact_phone": patient.contact_phone or "",
        "diagnosis": patient.diagnosis or "",
        "involved_side": patient.involved_side or "",
        "notes": patient.notes or "",
    }
