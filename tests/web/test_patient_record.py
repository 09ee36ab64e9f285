"""The patient record (issue 11, item 10): date of birth with the age worked out, contact,
diagnosis and involved side on the create and edit forms, checked field by field; the
patient list searched and sorted by name, phase, last session and pain trend."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from clinic_world import World
from hipfirst.application.patient_details import age_on, read_details
from hipfirst.application.patient_list import pain_trend
from hipfirst.storage.models import Patient, Programme, SessionLog

TODAY = dt.date.today()
GOOD = {
    "display_name": "Robin Hill",
    "date_of_birth": "1990-04-23",
    "contact_email": "Robin.Hill@Example.org",
    "contact_phone": "+44 (0)20 7946 0958",
    "diagnosis": "patellofemoral pain",
    "involved_side": "right",
    "notes": "prefers mornings",
}


def _rows(page: str) -> list[str]:
    """The patient names in the order the list shows them."""
    return re.findall(
        r'<tr id="patient-\d+">\s*<td data-label="Name"><a href="[^"]+">([^<]+)</a>', page
    )


def test_it_works_out_the_age_from_the_date_of_birth() -> None:
    assert age_on(dt.date(1990, 4, 23), dt.date(2026, 4, 22)) == 35
    assert age_on(dt.date(1990, 4, 23), dt.date(2026, 4, 23)) == 36
    assert age_on(dt.date(2008, 2, 29), dt.date(2026, 2, 28)) == 17  # leap-day birthday
    assert age_on(dt.date(2008, 2, 29), dt.date(2026, 3, 1)) == 18


def test_it_creates_a_record_with_every_detail_and_shows_the_age(world: World) -> None:
    alice = world.client("alice")
    response = alice.submit("/patients", GOOD)
    assert response.status_code == 303
    with world.db() as db:
        patient = db.query(Patient).filter_by(display_name="Robin Hill").one()
        assert patient.date_of_birth == dt.date(1990, 4, 23)
        assert patient.contact_email == "robin.hill@example.org"  # e-mail addresses lower-cased
        assert patient.contact_phone == "+44 (0)20 7946 0958"
        assert (patient.diagnosis, patient.involved_side, patient.notes) == (
            "patellofemoral pain",
            "right",
            "prefers mornings",
        )
    page = alice.get(response.headers["location"]).text
    age = age_on(dt.date(1990, 4, 23), TODAY)
    assert f"{age} years (born 1990-04-23)" in page
    assert 'href="mailto:robin.hill@example.org"' in page
    assert 'href="tel:+44(0)2079460958"' in page
    listing = alice.get("/patients").text
    assert f"{age} years · patellofemoral pain (right)" in listing


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("date_of_birth", "23/04/1990", "Date of birth</a>: must be a date such as 1990-04-23"),
        ("date_of_birth", (TODAY + dt.timedelta(days=1)).isoformat(), "must not be after today"),
        ("date_of_birth", "1900-01-01", "hipfirst&#39;s assessment covers ages 8 to 100"),
        ("contact_email", "robin at home", "Contact e-mail</a>: must be an e-mail address"),
        ("contact_phone", "call me", "Contact phone</a>: must be a phone number"),
        ("contact_phone", "12 34", "at least 6 digits"),
        ("involved_side", "middle", "Involved side</a>: must be one of left, right, both"),
        ("display_name", "", "Name</a>: must be 1 to 120 characters"),
        ("diagnosis", "x" * 201, "Diagnosis</a>: must be at most 200 characters"),
    ],
)
def test_it_refuses_a_bad_detail_naming_the_field_as_the_form_does(
    world: World, field: str, value: str, message: str
) -> None:
    alice = world.client("alice")
    response = alice.submit("/patients", {**GOOD, field: value})
    assert response.status_code == 400
    assert message in response.text
    assert "patient." not in re.sub(r"<[^>]+>", "", response.text.split('id="problems"')[1])[:400]
    assert f'value="{GOOD["diagnosis"] if field != "diagnosis" else "x" * 201}"' in response.text
    with world.db() as db:
        assert db.query(Patient).filter_by(display_name="Robin Hill").count() == 0


def test_it_reports_every_bad_detail_together() -> None:
    details, errors = read_details(
        {"display_name": "", "date_of_birth": "soon", "contact_email": "x", "involved_side": "up"},
        TODAY,
    )
    assert details is None
    assert [error.location for error in errors] == [
        "display_name",
        "date_of_birth",
        "contact_email",
        "involved_side",
    ]


def test_it_edits_the_details_of_a_record(world: World) -> None:
    alice = world.client("alice")
    patient_id = world.patients["pat"].id
    form = alice.get(f"/patients/{patient_id}/edit").text
    assert 'value="Pat Patient"' in form
    response = alice.submit(f"/patients/{patient_id}/edit", {**GOOD, "display_name": "Pat P."})
    assert response.status_code == 303
    with world.db() as db:
        patient = db.get_one(Patient, patient_id)
        assert (patient.display_name, patient.involved_side) == ("Pat P.", "right")
    again = alice.get(f"/patients/{patient_id}/edit").text
    assert 'value="1990-04-23"' in again and '<option value="right" selected>' in again


def test_it_keeps_the_record_unchanged_when_an_edit_is_refused(world: World) -> None:
    alice = world.client("alice")
    patient_id = world.patients["pat"].id
    response = alice.submit(f"/patients/{patient_id}/edit", {**GOOD, "date_of_birth": "2099-01-01"})
    assert response.status_code == 400
    assert "Not saved: 1 problem" in response.text
    assert 'href="#f-date_of_birth">Date of birth</a>: must not be after today' in response.text
    assert 'value="2099-01-01"' in response.text  # what was typed stays
    with world.db() as db:
        patient = db.get_one(Patient, patient_id)
        assert (patient.display_name, patient.date_of_birth) == ("Pat Patient", None)


def test_it_lets_only_the_owning_clinician_edit_a_record(world: World) -> None:
    patient_id = world.patients["pat"].id
    assert world.client("bob").get(f"/patients/{patient_id}/edit").status_code == 404
    refused = world.client("bob").submit(f"/patients/{patient_id}/edit", GOOD)
    assert refused.status_code == 404
    assert world.client("pat").get(f"/patients/{patient_id}/edit").status_code == 403


def _clinic(world: World) -> dict[str, int]:
    """Four of Alice's records with phases, sessions and pain trends that sort differently."""
    alice_id = world.users["alice"].id
    records = {
        # name: (phase or None, [(day, pain)...], diagnosis)
        "Ann Baker": (2, [(1, 6), (3, 5), (5, 2)], "patellofemoral pain"),  # −4: better
        "carl Dunn": (1, [(2, 3), (9, 6)], "ITB syndrome"),  # +3: worse
        "Bea Cole": (3, [(4, 4)], "patellofemoral pain"),  # one session
        "Dan Eve": (None, [], "knee pain after running"),
    }
    ids = {}
    with world.db() as db:
        for name, (phase, pains, diagnosis) in records.items():
            patient = Patient(clinician_id=alice_id, display_name=name, diagnosis=diagnosis)
            db.add(patient)
            db.flush()
            ids[name] = patient.id
            if phase is not None:
                plan = {"kind": "plan", "current_phase": phase, "phases": []}
                db.add(Programme(patient_id=patient.id, version=1, plan_json=plan))
            for day, pain in pains:
                for exercise, extra in (("clamshell", 0), ("bridge", -1)):  # two per session
                    db.add(
                        SessionLog(
                            patient_id=patient.id,
                            performed_on=dt.date(2026, 3, day),
                            exercise_id=exercise,
                            sets=2,
                            reps=10,
                            pain_during=max(pain + extra, 0),
                        )
                    )
        db.commit()
    return ids


def test_it_sorts_the_patient_list_by_each_column_both_ways(world: World) -> None:
    _clinic(world)
    alice = world.client("alice")
    everyone = ["Ann Baker", "Bea Cole", "carl Dunn", "Dan Eve", "Pat Patient"]
    assert _rows(alice.get("/patients").text) == everyone  # by name, any case
    assert _rows(alice.get("/patients?sort=name&order=desc").text) == everyone[::-1]
    # phase 1 first; records without a programme last, whichever way
    assert _rows(alice.get("/patients?sort=phase").text)[:3] == [
        "carl Dunn",
        "Ann Baker",
        "Bea Cole",
    ]
    assert _rows(alice.get("/patients?sort=phase&order=desc").text)[:3] == [
        "Bea Cole",
        "Ann Baker",
        "carl Dunn",
    ]
    assert _rows(alice.get("/patients?sort=last_session").text)[:3] == [
        "carl Dunn",  # 9 March
        "Ann Baker",  # 5 March
        "Bea Cole",  # 4 March
    ]
    # the pain that rose most first; one-session and no-session records last
    by_pain = alice.get("/patients?sort=pain_trend").text
    assert _rows(by_pain)[:2] == ["carl Dunn", "Ann Baker"]
    assert _rows(alice.get("/patients?sort=pain_trend&order=asc").text)[:2] == [
        "Ann Baker",
        "carl Dunn",
    ]
    assert "6 → 5 → 2 (−4: better)" in by_pain  # the highest pain of each session day
    assert "3 → 6 (+3: worse)" in by_pain
    assert "4 (one session so far)" in by_pain
    assert 'aria-sort="descending"' in by_pain
    assert _rows(alice.get("/patients?sort=nonsense").text) == everyone


def test_it_offers_sort_controls_for_the_phone_cards_set_to_the_current_sort(
    world: World,
) -> None:
    """On a phone the table's headers are hidden (rows become cards): a "Sort by" and an
    "Order" select, in the search form, sort the same list and show the current choice."""
    _clinic(world)
    page = world.client("alice").get("/patients?sort=pain_trend&order=asc").text
    form = page.split('role="search"')[1].split("</form>")[0]
    assert "change from:#f-sort, change from:#f-order" in page
    assert '<label for="f-sort">Sort by</label>' in form
    assert '<option value="pain_trend" selected>Pain trend</option>' in form
    assert '<option value="asc" selected>ascending' in form
    assert 'type="hidden" name="sort"' not in form  # the select carries it (no duplicate)


def test_it_searches_the_patient_list_by_name_and_diagnosis(world: World) -> None:
    _clinic(world)
    alice = world.client("alice")
    assert _rows(alice.get("/patients?q=CARL").text) == ["carl Dunn"]
    assert _rows(alice.get("/patients?q=patellofemoral").text) == ["Ann Baker", "Bea Cole"]
    assert _rows(alice.get("/patients?q=patellofemoral+bea").text) == ["Bea Cole"]
    nobody = alice.get("/patients?q=zebra").text
    assert "No patient matches “zebra”." in nobody and "Show all 5." in nobody
    # HTMX (the search box as one types) gets the rows alone, sorted as asked
    fragment = alice.get(
        "/patients?q=patellofemoral&sort=name&order=desc", headers={"HX-Request": "true"}
    )
    assert fragment.text.lstrip().startswith('<div id="patient-rows">')
    assert "<html" not in fragment.text
    assert _rows(fragment.text) == ["Bea Cole", "Ann Baker"]


def test_it_judges_the_pain_trend_against_the_mcid() -> None:
    def logs(*pains: int) -> list[SessionLog]:
        return [
            SessionLog(performed_on=dt.date(2026, 3, 1) + dt.timedelta(days=i), pain_during=p)
            for i, p in enumerate(pains)
        ]

    assert pain_trend(logs(5, 4), 1.16).trend == "no_meaningful_change"  # 1 < 1.16
    assert pain_trend(logs(5, 3), 1.16).trend == "better"
    assert pain_trend(logs(1, 2, 3), 1.16).trend == "worse"
    window = pain_trend(logs(9, 9, 5, 5, 5, 5, 5), 1.16)  # only the last five sessions
    assert (window.recent, window.trend) == ([5, 5, 5, 5, 5], "no_meaningful_change")
    assert pain_trend([], 1.16).words == "no pain scores yet"
