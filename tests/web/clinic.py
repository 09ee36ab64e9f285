"""Helpers for the clinical page tests: the example assessment as a filled-in form.

The runner example (``examples/runner-anterior-knee-pain.yaml``) without its
video reference is the valid assessment the tests type into the form.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import yaml

from clinic_world import Client, World
from hipfirst.storage.models import Assessment, Programme
from hipfirst.web.assessment_form import document_to_form

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "runner-anterior-knee-pain.yaml"


def example_document() -> dict[str, Any]:
    document: dict[str, Any] = yaml.safe_load(EXAMPLE.read_text("utf-8"))
    document["date"] = document["date"].isoformat()
    del document["exam"]["video_analyses"]
    return document


def example_form() -> dict[str, Any]:
    """The example as the browser sends it (check lists as lists of values)."""
    return dict(document_to_form(example_document()))


def error_next_to(page: str, field: str) -> str:
    """The error message shown beside one field (raises if there is none)."""
    found = re.search(rf'<small class="error" id="e-{re.escape(field)}">([^<]*)</small>', page)
    assert found, f"no error shown next to {field}"
    return found.group(1).replace("&#39;", "'").replace("&lt;", "<").replace("&gt;", ">")


def value_of(page: str, field: str) -> str:
    found = re.search(rf'name="{re.escape(field)}" type="[a-z]+"[^>]* value="([^"]*)"', page)
    assert found, f"no input {field}"
    return found.group(1)


def save_assessment(client: Client, patient_id: int, form: dict[str, Any]) -> int:
    response = client.submit(f"/patients/{patient_id}/assessments", form)
    assert response.status_code == 303, response.text
    return int(response.headers["location"].rsplit("/", 1)[1])


def with_programme(world: World, alice: Client) -> tuple[int, int]:
    """Pat assessed with the example and a programme generated: (assessment id, programme id)."""
    patient_id = world.patients["pat"].id
    assessment_id = save_assessment(alice, patient_id, example_form())
    response = alice.submit(
        f"/patients/{patient_id}/programme", {"assessment_id": str(assessment_id)}
    )
    assert response.status_code == 303, response.text
    with world.db() as db:
        programme = db.query(Programme).filter_by(patient_id=patient_id).one()
        assert db.get(Assessment, assessment_id) is not None
        return assessment_id, programme.id


TODAY = dt.date.today()


def backdate_programme(world: World, days: int) -> None:
    """Move every programme version ``days`` back in time (as if made that long ago)."""
    with world.db() as db:
        for programme in db.query(Programme).all():
            programme.created_at -= dt.timedelta(days=days)
        db.commit()


def session_form(day: dt.date, **rows: dict[str, str]) -> dict[str, str]:
    """A session form as the browser sends it: ``rows`` maps an exercise id to its fields
    (``done`` is added)."""
    form = {"date": day.isoformat()}
    for exercise_id, fields in rows.items():
        form[f"{exercise_id}.done"] = "yes"
        form |= {f"{exercise_id}.{name}": value for name, value in fields.items()}
    return form
