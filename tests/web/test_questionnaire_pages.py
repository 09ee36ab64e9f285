"""Questionnaires the patient completes on a phone, and the change the clinician sees."""

from __future__ import annotations

import re

from clinic import TODAY, error_next_to, example_form, save_assessment
from sqlalchemy import select

from clinic_world import World
from hipfirst.core import scoring
from hipfirst.core.assessment import akps_item_rule
from hipfirst.storage.models import QuestionnaireResponse
from hipfirst.web.questionnaire_forms import AKPS_FORM, KOOS_PF_FORM, LEFS_FORM, Item


def best_answers(items: tuple[Item, ...], **changed: int) -> dict[str, str]:
    """Every item answered with its first (best) option; ``changed`` sets ``item-N``."""
    form = {f"item-{i}": str(item.options[0].points) for i, item in enumerate(items)}
    form |= {name.replace("_", "-"): str(value) for name, value in changed.items()}
    return form


def checked(page: str, name: str) -> str | None:
    found = re.search(rf'name="{re.escape(name)}" value="(\d+)" checked', page)
    return found.group(1) if found else None


def test_it_lets_the_patient_fill_in_the_akps_and_scores_it_by_the_engines_rules(
    world: World,
) -> None:
    pat = world.client("pat")
    patient_id = world.patients["pat"].id
    page = pat.get(f"/patients/{patient_id}/questionnaires/akps").text
    assert page.count('class="answers') == 13
    assert "<legend>4. Stairs</legend>" in page
    assert ">Slight pain going down</label>" in page

    form = best_answers(AKPS_FORM, item_0=3)  # limp: slight or now and then
    response = pat.submit(f"/patients/{patient_id}/questionnaires/akps", form)

    assert response.status_code == 303
    items = [int(form[f"item-{i}"]) for i in range(13)]
    assert scoring.akps_total(items) == 98
    with world.db() as db:
        stored = db.scalars(select(QuestionnaireResponse)).one()
        assert (stored.kind, stored.completed_on, stored.answers) == (
            "akps",
            TODAY,
            {"akps": items},
        )
        assert stored.submitted_by_id == world.users["pat"].id
    listed = pat.get(response.headers["location"]).text
    assert "Saved your Anterior Knee Pain Scale (AKPS): 98 of 0–100." in listed
    assert "98 of 0–100</td>" in listed and "filled in by the patient" in listed


def test_it_names_each_unanswered_or_impossible_answer_and_keeps_the_others(
    world: World,
) -> None:
    pat = world.client("pat")
    patient_id = world.patients["pat"].id
    form = best_answers(LEFS_FORM)
    del form["item-4"], form["item-19"]
    missing = pat.submit(f"/patients/{patient_id}/questionnaires/lefs", form)
    assert missing.status_code == 400
    assert "Not saved: 2 questions need an answer." in missing.text
    assert error_next_to(missing.text, "item-4") == "please choose an answer"
    assert error_next_to(missing.text, "item-19") == "please choose an answer"
    assert checked(missing.text, "item-3") == "4"

    tampered = pat.submit(
        f"/patients/{patient_id}/questionnaires/lefs", best_answers(LEFS_FORM, item_2=7)
    )
    assert tampered.status_code == 400
    assert error_next_to(tampered.text, "item-2") == "is not one of the answers"
    impossible = pat.submit(
        f"/patients/{patient_id}/questionnaires/akps", best_answers(AKPS_FORM, item_0=4)
    )
    assert impossible.status_code == 400
    assert error_next_to(impossible.text, "item-0") == f"{akps_item_rule(0)} (got 4)"
    with world.db() as db:
        assert db.scalars(select(QuestionnaireResponse)).all() == []


def test_it_shows_the_clinician_the_change_against_the_minimal_important_change(
    world: World,
) -> None:
    alice = world.client("alice")
    patient_id = world.patients["pat"].id
    save_assessment(alice, patient_id, example_form())  # AKPS 85, LEFS 57 on 2026-11-20
    pat = world.client("pat")
    url = f"/patients/{patient_id}/questionnaires"
    assert pat.submit(f"{url}/akps", best_answers(AKPS_FORM, item_0=3)).status_code == 303
    lefs = best_answers(LEFS_FORM)  # 80 with every best answer; 60 = +3 from 57
    for index in range(10):
        lefs[f"item-{index}"] = "2"
    assert pat.submit(f"{url}/lefs", lefs).status_code == 303
    koos = best_answers(KOOS_PF_FORM)
    assert pat.submit(f"{url}/koos_pf", koos).status_code == 303

    page = alice.get(url).text
    akps = page.split('id="history-akps"')[1].split("</section>")[0]
    assert "Change that counts: 10 points (MCID)" in akps
    assert (
        "Friday 20 November 2026" in akps and "85 of 0–100" in akps and "clinic assessment" in akps
    )
    assert '+13 points: <span class="change-improved">improved</span>' in akps
    lefs_part = page.split('id="history-lefs"')[1].split("</section>")[0]
    assert "Change that counts: 9 points (MCID)" in lefs_part
    assert '+3 points: <span class="change-none">no meaningful change</span>' in lefs_part
    koos_part = page.split('id="history-koos_pf"')[1].split("</section>")[0]
    assert "Change that counts: 16.4 points (MCID)" in koos_part
    assert "100 of 0–100" in koos_part and "first score" in koos_part
    assert pat.get(url).status_code == 200  # the patient sees the same page


def test_it_judges_a_fall_past_the_mcid_as_worse(world: World) -> None:
    alice = world.client("alice")
    patient_id = world.patients["pat"].id
    save_assessment(alice, patient_id, example_form())  # AKPS 85
    form = best_answers(AKPS_FORM)
    for index, item in enumerate(AKPS_FORM[:4]):
        form[f"item-{index}"] = str(item.options[-1].points)  # the worst answer: 0 points
    items = [int(form[f"item-{i}"]) for i in range(13)]
    assert (
        world.client("pat").submit(f"/patients/{patient_id}/questionnaires/akps", form).status_code
        == 303
    )
    page = alice.get(f"/patients/{patient_id}/questionnaires").text
    total = scoring.akps_total(items)
    assert total is not None
    change = total - 85
    assert f'{change:+d} points: <span class="change-worse">worse</span>' in page


def test_it_answers_404_for_an_unknown_questionnaire_or_another_patient(world: World) -> None:
    pat = world.client("pat")
    patient_id = world.patients["pat"].id
    assert pat.get(f"/patients/{patient_id}/questionnaires/sf36").status_code == 404
    assert pat.submit(f"/patients/{patient_id}/questionnaires/sf36", {}).status_code == 404
    quinn = world.client("quinn")
    assert quinn.get(f"/patients/{patient_id}/questionnaires").status_code == 404
    assert quinn.get(f"/patients/{patient_id}/questionnaires/akps").status_code == 404
