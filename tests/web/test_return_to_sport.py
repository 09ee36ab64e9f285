"""Return to sport and re-assessment in the browser (issue 11, item 6): the checklist of a
re-assessment for a goal with each criterion met / not met / unknown, value, pass mark and
source; the change since the baseline against MCID/MDC; the programme's phase-3
criterion judged on the latest re-assessment."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import yaml
from clinic import TODAY, save_assessment, with_programme

from clinic_world import Client, World
from hipfirst.application import programmes
from hipfirst.application.records import PLAN_EXTRA_KEYS
from hipfirst.core.plan import Plan
from hipfirst.knowledge.loader import knowledge_base
from hipfirst.storage.models import Patient, Programme, SessionLog
from hipfirst.web.assessment_form import document_to_form

REASSESSMENT = Path(__file__).resolve().parents[2] / "examples" / "runner-return-reassessment.yaml"


def reassessment_form(day: dt.date = TODAY) -> dict[str, Any]:
    """The runner's re-assessment (ready for running, not for sport) as the form sends it."""
    document: dict[str, Any] = yaml.safe_load(REASSESSMENT.read_text("utf-8"))
    document["date"] = day.isoformat()
    document["exam"].pop("video_analyses", None)
    return dict(document_to_form(document))


def row(page: str, row_id: str) -> str:
    found = re.search(rf'<tr id="{re.escape(row_id)}"[^>]*>(.*?)</tr>', page, re.S)
    assert found, f"no row {row_id}"
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", found.group(1))).strip()


def url(world: World, query: str = "") -> str:
    return f"/patients/{world.patients['pat'].id}/return-to-sport{query}"


def re_assessed(world: World) -> tuple[Client, int, int]:
    alice = world.client("alice")
    baseline_id, _ = with_programme(world, alice)
    follow_up = save_assessment(alice, world.patients["pat"].id, reassessment_form())
    return alice, baseline_id, follow_up


def test_it_says_the_checklist_waits_for_a_re_assessment(world: World) -> None:
    alice = world.client("alice")
    with_programme(world, alice)
    page = alice.get(url(world)).text
    assert "No re-assessment yet: record a new assessment after the baseline." in page
    assert "The baseline is the assessment of 2026-11-20" in page
    programme = alice.get(f"/patients/{world.patients['pat'].id}/programme").text
    assert "no re-assessment after the baseline yet" in programme


def test_it_shows_the_checklist_of_the_latest_re_assessment_for_the_programmes_goal(
    world: World,
) -> None:
    alice, _, _ = re_assessed(world)
    page = alice.get(url(world)).text
    assert "Ready to return: running" in page
    assert f"re-assessment of {TODAY.isoformat()}, goal the programme&#39;s goal" in page
    assert row(page, "criterion-worst_pain_nrs") == (
        "Worst pain met 2 /10 ≤ 3 /10 derived Silbernagel 2007 , Int J Sports Phys Ther 2022"
    )
    hip = row(page, "criterion-hip_abduction_lsi_pct")
    assert hip.startswith("Hip abduction strength symmetry met 93.66 %") and "≥ 90 %" in hip
    assert "borrowed" in hip and "Gokeler 2017" in hip
    assert '<a class="source" href="/references#ref-gokeler_2017"' in page
    assert "criterion-hop_crossover_lsi_pct" not in page  # hop tests are the sport goal's


def test_it_judges_the_chosen_goal_with_unknown_for_what_was_not_measured(world: World) -> None:
    alice, _, _ = re_assessed(world)
    page = alice.get(url(world, "?goal=sport")).text
    assert "Not ready yet: field or court sport" in page
    assert row(page, "criterion-pain_during_cutting").startswith("Pain during cutting unknown —")
    crossover = row(page, "criterion-hop_crossover_lsi_pct")
    assert crossover.startswith("Crossover hop for distance symmetry not met 88 %")
    assert '<option value="sport" selected>' in page
    assert re.search(r"<strong>\d+</strong> met · <strong>1</strong> not met", page)


def test_it_compares_with_the_baseline_against_mcid_and_mdc(world: World) -> None:
    alice, baseline_id, follow_up = re_assessed(world)
    page = alice.get(url(world)).text
    assert "Change since the baseline (2026-11-20)" in page
    pain = row(page, "change-worst_pain_nrs")
    assert pain.startswith("Worst pain 6 2 -4 points MCID 1.16 points published")
    assert "improved" in pain and "Piva 2009" in pain
    abduction = row(page, "change-hip_abduction_lsi_pct")  # 75 % → 93.66 %: +18.66 < MDC 27
    assert "MDC 27 %" in abduction and "no meaningful change" in abduction
    # choosing the baseline itself: a checklist, nothing to compare
    itself = alice.get(url(world, f"?assessment={baseline_id}")).text
    assert "The chosen assessment is the baseline itself" in itself
    assert f'<option value="{baseline_id}" selected>2026-11-20 (baseline)</option>' in itself
    # an id of nobody's assessment: the latest is shown, and the page says so
    other = alice.get(url(world, "?assessment=999999")).text
    assert "This patient has no assessment 999999" in other
    assert f'<option value="{follow_up}" selected>' in other


def test_it_keeps_the_page_to_the_treating_clinician(world: World) -> None:
    re_assessed(world)
    assert world.client("bob").get(url(world)).status_code == 404
    assert world.client("pat").get(url(world)).status_code == 403


def _plan(world: World) -> Plan:
    with world.db() as db:
        programme = db.query(Programme).one()
        document = {k: v for k, v in programme.plan_json.items() if k not in PLAN_EXTRA_KEYS}
    return Plan.model_validate(document)


def _master_phases_one_and_two(world: World, plan: Plan) -> None:
    """Two mastered sessions (and a third) of every phase-1 and phase-2 exercise, logged."""
    with world.db() as db:
        for phase in plan.phases[:2]:
            items = [*phase.exercises, *([phase.running] if phase.running else [])]
            for item in items:
                amount = max(item.hold_s, 45) if item.hold_s is not None else 20
                for day in (0, 2, 4):
                    db.add(
                        SessionLog(
                            patient_id=world.patients["pat"].id,
                            performed_on=TODAY - dt.timedelta(days=30 - phase.number * 10 - day),
                            exercise_id=item.id,
                            sets=item.sets,
                            reps=amount,
                            pain_during=1,
                            pain_next_morning=1,
                            form_ok=True,
                        )
                    )
        db.commit()


def test_it_judges_the_phase_three_criterion_on_the_latest_re_assessment(world: World) -> None:
    alice = world.client("alice")
    with_programme(world, alice)
    plan = _plan(world)
    _master_phases_one_and_two(world, plan)
    kb = knowledge_base()

    def phase_three() -> dict[str, str]:
        with world.db() as db:
            view = programmes.programme_view(db.get_one(Patient, world.patients["pat"].id), kb)
            assert view.progress is not None and view.progress.current_phase == 3
            return {c.id: c.status for c in view.progress.phases[2].criteria}

    assert phase_three()["return_to_sport"] == "not_measured"  # needs a re-assessment
    save_assessment(alice, world.patients["pat"].id, reassessment_form())
    assert phase_three()["return_to_sport"] == "met"
    page = alice.get(f"/patients/{world.patients['pat'].id}/programme").text
    line = re.sub(
        r"\s+", " ", re.sub(r"<[^>]+>", " ", page.split('id="criterion-return_to_sport"')[1])
    )
    assert "met : every return-to-sport criterion met" in line
    assert f"Return checklist on the re-assessment of {TODAY.isoformat()}: ready" in line
