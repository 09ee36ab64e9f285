"""The new-assessment form, its validation by the engine, and the report page."""

from __future__ import annotations

from typing import Any

from clinic import error_next_to, example_document, example_form, save_assessment, value_of
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from clinic_world import World
from hipfirst.core.assessment import parse_assessment
from hipfirst.storage.models import Assessment, AuditEntry, Programme
from hipfirst.web.assessment_form import document_to_form, form_to_document
from hipfirst.web.questionnaire_forms import AKPS_FORM, LEFS_FORM


def test_it_saves_a_valid_assessment_and_shows_the_report(world: World) -> None:
    alice = world.client("alice")
    patient_id = world.patients["pat"].id
    assessment_id = save_assessment(alice, patient_id, example_form())

    page = alice.get(f"/patients/{patient_id}/assessments/{assessment_id}").text
    assert "Saved the assessment of 2026-11-20." in page
    assert "<p>No reason to refer found.</p>" in page
    assert "Hip origin not suspected." in page
    # AKPS 5+5+5+8+3+6+7+8+8+10+10+5+5 = 85; LEFS items add up to 57.
    assert "AKPS: <strong>85 / 100</strong>" in page
    assert "LEFS: <strong>57 / 80</strong>" in page
    # Abduction 150 N right vs 200 N left: LSI 75 %, below the 90 % pass mark.
    assert "<td>Hip abduction weaker on the right side<br>" in page
    assert "<td>75 %</td>\n        <td>&lt; 90 %</td>" in page
    assert "Gokeler 2017, Welling 2018" in page
    assert "<h3>Hip abductor weakness (right)</h3>" in page
    assert "<strong>For the clinician:</strong>" in page
    assert "<strong>For the patient:</strong>" in page
    assert "<td>Hip abduction limb symmetry index (right / left)" in page
    with world.db() as db:
        stored = db.get(Assessment, assessment_id)
        assert stored is not None
        expected = parse_assessment(example_document(), "example")
        assert stored.exam_json == expected.model_dump(mode="json", exclude_none=True)
        assert stored.report_json is not None
        assert stored.report_json["screening"]["refer"] is False
        assert stored.created_by_id == world.users["alice"].id
        audit = db.scalars(select(AuditEntry.what).where(AuditEntry.patient_id == patient_id)).all()
    assert "GET /patients/{patient_id}/assessments/{assessment_id}" in audit
    assert "POST /patients/{patient_id}/assessments" in audit


def test_it_shows_each_error_next_to_its_field_and_keeps_what_was_typed(world: World) -> None:
    alice = world.client("alice")
    patient_id = world.patients["pat"].id
    form = example_form()
    form["patient.age_years"] = "7"
    form["patient.body_mass_kg"] = "sixty"
    form["exam.y_balance_cm.left.anterior"] = ""
    form["questionnaires.akps[3]"] = "7"

    response = alice.submit(f"/patients/{patient_id}/assessments", form)

    assert response.status_code == 400
    page = response.text
    assert "<h2>4 problems to fix</h2>" in page
    assert error_next_to(page, "patient.age_years") == "must be between 8 and 100 (got 7)"
    assert (
        error_next_to(page, "patient.body_mass_kg")
        == "must be a number between 20 and 250 (got 'sixty')"
    )
    assert error_next_to(page, "exam.y_balance_cm.left.anterior") == "required field is missing"
    assert (
        error_next_to(page, "questionnaires.akps[3]")
        == "item 4 (stairs) allows 0, 5, 8, 10 (got 7)"
    )
    assert value_of(page, "patient.age_years") == "7"
    assert value_of(page, "patient.body_mass_kg") == "sixty"
    assert value_of(page, "exam.strength_n.hip_abduction.right") == "150"
    assert 'value="running" checked' in page
    assert (
        'name="symptoms.load_history.rapid_mileage_increase" type="checkbox" value="true" checked'
        in page
    )
    with world.db() as db:
        assert db.scalars(select(Assessment)).all() == []


def test_it_refuses_a_questionnaire_answered_with_a_gap(world: World) -> None:
    alice = world.client("alice")
    form = example_form()
    form["questionnaires.lefs[4]"] = ""

    response = alice.submit(f"/patients/{world.patients['pat'].id}/assessments", form)

    assert response.status_code == 400
    assert error_next_to(response.text, "questionnaires.lefs[4]") == (
        "not answered, but later items are: answer it (0 to 4) or clear the later items "
        "to record the questionnaire as incomplete"
    )


def test_it_reports_an_unfinished_questionnaire_as_incomplete(world: World) -> None:
    alice = world.client("alice")
    patient_id = world.patients["pat"].id
    form = example_form()
    for index in range(10, 20):
        form[f"questionnaires.lefs[{index}]"] = ""

    assessment_id = save_assessment(alice, patient_id, form)

    page = alice.get(f"/patients/{patient_id}/assessments/{assessment_id}").text
    assert "LEFS: <strong>not scored</strong>" in page
    assert "questionnaires.lefs: incomplete (10 of 20 items)" in page


def test_it_scores_the_questionnaires_live(world: World) -> None:
    alice = world.client("alice")
    url = f"/patients/{world.patients['pat'].id}/assessments/score"
    form = example_form()
    form["questionnaires.akps[0]"] = "3"  # limp: slight (3 instead of 5): 85 - 2 = 83
    form["questionnaires.lefs[19]"] = ""  # last LEFS item missing

    response = alice.submit(url, form, headers={"HX-Request": "true"})

    assert response.status_code == 200
    assert "AKPS: <strong>83 / 100</strong>" in response.text
    assert "LEFS: <strong>incomplete: 19 of 20 items answered, not scored</strong>" in response.text
    assert "<html" not in response.text


def test_it_offers_every_questionnaire_item_with_its_words_and_points(world: World) -> None:
    alice = world.client("alice")
    page = alice.get(f"/patients/{world.patients['pat'].id}/assessments/new").text
    assert len(AKPS_FORM) == 13 and len(LEFS_FORM) == 20
    assert '<option value="8">slight pain going down (8)</option>' in page
    assert '<option value="0">extreme difficulty or unable (0)</option>' in page
    for index in range(13):
        assert f'name="questionnaires.akps[{index}]"' in page
    for index in range(20):
        assert f'name="questionnaires.lefs[{index}]"' in page
    for field in (
        "symptoms.pain_during.hopping",
        "symptoms.hip_symptoms.hip_clicking",
        "symptoms.red_flags.painful_limited_hip_rotation_adolescent",
        "symptoms.load_history.previous_lower_limb_injury",
        "exam.strength_n.knee_extension.lever_arm_m",
        "exam.hip_rom_deg.external_rotation.right",
        "exam.y_balance_cm.right.posterolateral",
        "exam.single_leg_squat_rating.right.knee",
        "exam.trendelenburg.left",
        "patient.leg_length_cm.left",
        "patient.minutes_per_session",
    ):
        assert f'name="{field}"' in page


def test_it_shows_a_red_flag_in_red_and_gives_no_programme(world: World) -> None:
    alice = world.client("alice")
    patient_id = world.patients["pat"].id
    form = example_form()
    form["symptoms.red_flags.locking"] = "true"
    assessment_id = save_assessment(alice, patient_id, form)

    page = alice.get(f"/patients/{patient_id}/assessments/{assessment_id}").text
    assert '<section class="card screening refer" id="screening">' in page
    assert "<strong>Refer before any exercise programme.</strong>" in page

    response = alice.submit(
        f"/patients/{patient_id}/programme", {"assessment_id": str(assessment_id)}
    )
    assert response.status_code == 200
    assert "<h2>Refer before any exercise programme</h2>" in response.text
    with world.db() as db:
        assert db.scalars(select(Programme)).all() == []


def test_it_edits_by_saving_a_new_assessment_and_keeps_the_old_one(world: World) -> None:
    alice = world.client("alice")
    patient_id = world.patients["pat"].id
    first = save_assessment(alice, patient_id, example_form())

    page = alice.get(f"/patients/{patient_id}/assessments/new?from={first}").text
    assert value_of(page, "patient.age_years") == "28"
    assert value_of(page, "exam.strength_n.hip_abduction.right") == "150"
    form = example_form()
    form["exam.strength_n.hip_abduction.right"] = "190"
    second = save_assessment(alice, patient_id, form)

    assert second != first
    with world.db() as db:
        rows = db.scalars(select(Assessment).order_by(Assessment.id)).all()
        assert [row.exam_json["exam"]["strength_n"]["hip_abduction"]["right"] for row in rows] == [
            150,
            190,
        ]


def test_it_does_not_open_an_assessment_through_another_patients_address(world: World) -> None:
    alice = world.client("alice")
    assessment_id = save_assessment(alice, world.patients["pat"].id, example_form())
    bob = world.client("bob")
    response = bob.get(f"/patients/{world.patients['quinn'].id}/assessments/{assessment_id}")
    assert response.status_code == 404


numbers = st.integers(min_value=0, max_value=1500)


@settings(max_examples=40, deadline=None)
@given(
    left=numbers,
    right=numbers,
    age=st.integers(min_value=8, max_value=100),
    pain=st.integers(min_value=0, max_value=20).map(lambda half: half / 2),
    akps=st.lists(st.sampled_from([0, 3, 5]), min_size=1, max_size=2),
)
def test_it_turns_a_form_back_into_the_same_document(
    left: int, right: int, age: int, pain: float, akps: list[int]
) -> None:
    document: dict[str, Any] = example_document()
    document["patient"]["age_years"] = age
    document["symptoms"]["worst_pain_nrs"] = pain
    document["exam"]["strength_n"]["hip_abduction"].update(left=left, right=right)
    document["questionnaires"]["akps"] = akps
    rebuilt, problems = form_to_document(document_to_form(document))
    assert problems == []
    parsed = parse_assessment(rebuilt, "form")
    assert parsed == parse_assessment(document, "document")


def test_it_offers_the_koos_pf_and_the_format_v2_sections(world: World) -> None:
    alice = world.client("alice")
    page = alice.get(f"/patients/{world.patients['pat'].id}/assessments/new").text
    for index in range(11):
        assert f'name="questionnaires.koos_pf[{index}]"' in page
    assert '<option value="4">extreme / always (worst answer) (4)</option>' in page
    for field in (
        "patient.goal",
        "symptoms.pain_during.walking",
        "symptoms.pain_during.cutting",
        "symptoms.tender_site",
        "symptoms.patellar_instability.dislocation",
        "exam.hip_rom_deg.internal_rotation_painful.right",
        "exam.patellar_apprehension.left",
        "exam.hop_distance_cm.crossover.right",
        "exam.side_hop_count.left",
        "exam.step_down_score.right",
        "exam.flexibility.ober.left",
        "exam.foot_posture_index.right",
        "exam.precautions_cleared",
    ):
        assert f'name="{field}"' in page, field


def test_it_saves_v2_sections_and_the_koos_pf_and_scores_it_live(world: World) -> None:
    alice = world.client("alice")
    patient_id = world.patients["pat"].id
    form = example_form()
    for index, answer in enumerate([1, 2, 1, 2, 1, 1, 2, 1, 1, 2, 1]):
        form[f"questionnaires.koos_pf[{index}]"] = str(answer)
    form["exam.side_hop_count.left"] = "40"
    form["exam.side_hop_count.right"] = "30"

    live = alice.submit(
        f"/patients/{patient_id}/assessments/score", form, headers={"HX-Request": "true"}
    )
    assert "KOOS-PF: <strong>65.91 / 100 (KOOS transform, unconfirmed)</strong>" in live.text

    assessment_id = save_assessment(alice, patient_id, form)
    page = alice.get(f"/patients/{patient_id}/assessments/{assessment_id}").text
    assert "KOOS-PF: <strong>65.91 / 100</strong>" in page
    assert "<td>Side hop (30 s) limb symmetry index (right / left)" in page
    with world.db() as db:
        stored = db.get(Assessment, assessment_id)
        assert stored is not None
        assert stored.exam_json["version"] == 2  # a v2 section was filled in
        assert stored.exam_json["exam"]["side_hop_count"] == {"left": 40, "right": 30}


def test_it_shows_the_urgency_first_and_the_data_that_raised_it(world: World) -> None:
    alice = world.client("alice")
    patient_id = world.patients["pat"].id
    form = example_form()
    form["patient.age_years"] = "13"
    form["exam.hip_rom_deg.internal_rotation.right"] = "8"
    form["exam.hip_rom_deg.internal_rotation_painful.right"] = "true"
    assessment_id = save_assessment(alice, patient_id, form)

    page = alice.get(f"/patients/{patient_id}/assessments/{assessment_id}").text
    urgency = page.index(
        '<p class="urgency urgency-emergency" id="urgency"><strong>Emergency: go to an '
        "emergency department today.</strong></p>"
    )
    assert urgency < page.index("<strong>Refer before any exercise programme.</strong>")
    assert '<li id="referral-slipped_capital_femoral_epiphysis">Emergency, today: ' in page
    assert (
        "Raised by: pain on right hip internal rotation; right hip internal rotation 8 deg" in page
    )
    assert '<section class="card" id="differentials">' in page


def test_it_shows_contradictions_for_the_clinician_to_check(world: World) -> None:
    alice = world.client("alice")
    patient_id = world.patients["pat"].id
    form = example_form()
    form["symptoms.worst_pain_nrs"] = "3"
    assessment_id = save_assessment(alice, patient_id, form)
    page = alice.get(f"/patients/{patient_id}/assessments/{assessment_id}").text
    assert '<li id="check-worst_pain_below_activity_pain">worst pain 3/10 is lower than' in page
