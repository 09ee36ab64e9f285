"""Programme editor fixes (issue 11, item 9): an accepted suggestion is no longer offered,
accepting twice never saves an empty version, swap lists keep to the same aim and
phase, "add" hides what the phase holds, a note alone may be saved."""

from __future__ import annotations

import datetime as dt
import re

from clinic import TODAY, with_programme
from sqlalchemy import select

from clinic_world import Client, World
from hipfirst.application.records import PLAN_EXTRA_KEYS
from hipfirst.core.exercise_rules import exercise_kind
from hipfirst.core.plan import Plan
from hipfirst.core.plan_edit import edit_fields
from hipfirst.knowledge.loader import knowledge_base
from hipfirst.storage.models import Programme, SessionLog


def versions(world: World) -> list[Programme]:
    with world.db() as db:
        return list(db.scalars(select(Programme).order_by(Programme.version)).all())


def plan_of(programme: Programme) -> Plan:
    return Plan.model_validate(
        {k: v for k, v in programme.plan_json.items() if k not in PLAN_EXTRA_KEYS}
    )


def options(page: str, select_id: str) -> list[str]:
    block = page.split(f'id="{select_id}"')[1].split("</select>")[0]
    return re.findall(r'<option value="([^"]*)"', block)


def log_mastered(
    world: World, exercise_id: str, *, days_ago: tuple[int, ...] = (3, 1), reps: int = 20
) -> None:
    with world.db() as db:
        for back in days_ago:
            db.add(
                SessionLog(
                    patient_id=world.patients["pat"].id,
                    performed_on=TODAY - dt.timedelta(days=back),
                    exercise_id=exercise_id,
                    sets=3,
                    reps=reps,
                    pain_during=1,
                    pain_next_morning=1,
                    form_ok=True,
                )
            )
        db.commit()


def progression(alice: Client, world: World, form: dict[str, str]) -> int:
    return int(
        alice.submit(
            f"/patients/{world.patients['pat'].id}/programme/progression", form
        ).status_code
    )


def test_it_never_offers_an_accepted_suggestion_again_nor_saves_an_empty_version(
    world: World,
) -> None:
    alice = world.client("alice")
    with_programme(world, alice)
    patient_id = world.patients["pat"].id
    log_mastered(world, "clamshell_band")  # planned in phase 1; harder: side-lying abduction
    page = alice.get(f"/patients/{patient_id}/programme").text
    assert 'id="accept-clamshell_band"' in page

    assert progression(alice, world, {"accept": "clamshell_band"}) == 303
    assert len(versions(world)) == 2
    stored = versions(world)[-1].plan_json["accepted_progression"]
    assert stored == [
        {
            "exercise_id": "clamshell_band",
            "decision": "advance",
            "next_exercise_id": "side_lying_hip_abduction",
            "last_date": (TODAY - dt.timedelta(days=1)).isoformat(),
            "version": 2,
        }
    ]

    page = alice.get(f"/patients/{patient_id}/programme").text
    decision = page.split('id="decision-clamshell_band"')[1].split("</tr>")[0]
    assert 'name="accept"' not in decision
    assert "accepted in version 2" in decision
    assert "Nothing to accept now" in page

    # the same form again (a second click, a stale tab): refused, no version 3
    again = alice.submit(
        f"/patients/{patient_id}/programme/progression", {"accept": "clamshell_band"}
    )
    assert again.status_code == 400
    assert "Clamshell with band: accepted in version 2" in again.text
    assert len(versions(world)) == 2
    # an edit keeps the record of what was accepted
    edit = edit_fields(plan_of(versions(world)[-1]))
    response = alice.submit(
        f"/patients/{patient_id}/programme/edit", {**edit, "change_note": "checked the cues"}
    )
    assert response.status_code == 303
    assert versions(world)[-1].plan_json["accepted_progression"] == stored


def test_it_keeps_saying_accepted_when_the_new_version_reads_the_logs_differently(
    world: World,
) -> None:
    """Fewer sets planned than the knowledge base's dose (as for irritable pain): once the
    exercise is replaced, its logs are judged against that dose and read as a hold, but
    the row still says the suggestion was accepted, with nothing to tick."""
    alice = world.client("alice")
    with_programme(world, alice)
    patient_id = world.patients["pat"].id
    plan = plan_of(versions(world)[0])
    index = [e.id for e in plan.phases[0].exercises].index("clamshell_band")
    fewer = {**edit_fields(plan), f"p1.e{index}.sets": "2", "change_note": "two sets for now"}
    assert alice.submit(f"/patients/{patient_id}/programme/edit", fewer).status_code == 303
    with world.db() as db:
        for back in (3, 1):
            db.add(
                SessionLog(
                    patient_id=patient_id,
                    performed_on=TODAY - dt.timedelta(days=back),
                    exercise_id="clamshell_band",
                    sets=2,
                    reps=20,
                    pain_during=1,
                    pain_next_morning=1,
                    form_ok=True,
                )
            )
        db.commit()
    assert progression(alice, world, {"accept": "clamshell_band"}) == 303
    assert len(versions(world)) == 3

    page = alice.get(f"/patients/{patient_id}/programme").text
    decision = page.split('id="decision-clamshell_band"')[1].split("</tr>")[0]
    assert "hold" in decision  # 2 of the knowledge base's 3 sets, now it is not planned
    assert "accepted in version 3" in decision
    assert 'name="accept"' not in decision


def test_it_offers_a_load_change_again_only_after_a_new_session(world: World) -> None:
    """At the top of a chain the suggestion is to add load to the same exercise: the plan
    does not change, so only the record of acceptance keeps it from coming back."""
    alice = world.client("alice")
    with_programme(world, alice)
    patient_id = world.patients["pat"].id
    top = "side_plank"  # a hold with no harder variant
    assert not knowledge_base().exercise(top).harder
    added = {**edit_fields(plan_of(versions(world)[0])), "p1.add": top}
    assert alice.submit(f"/patients/{patient_id}/programme/edit", added).status_code == 303
    plan = plan_of(versions(world)[-1])
    log_mastered(world, top, days_ago=(5, 3), reps=45)
    assert f'id="accept-{top}"' in alice.get(f"/patients/{patient_id}/programme").text
    assert progression(alice, world, {"accept": top}) == 303
    latest = versions(world)[-1]
    assert plan_of(latest).phases == plan.phases  # an instruction, kept in the change note
    assert "accepted progression: advance Side plank" in latest.change_note
    assert f'id="accept-{top}"' not in alice.get(f"/patients/{patient_id}/programme").text
    assert progression(alice, world, {"accept": top}) == 400
    log_mastered(world, top, days_ago=(0,), reps=45)  # a new session: a new suggestion
    assert f'id="accept-{top}"' in alice.get(f"/patients/{patient_id}/programme").text


def test_it_offers_swaps_of_the_same_aim_and_hides_what_the_phase_holds(world: World) -> None:
    alice = world.client("alice")
    with_programme(world, alice)
    kb = knowledge_base()
    plan = plan_of(versions(world)[0])
    page = alice.get(f"/patients/{world.patients['pat'].id}/programme/edit").text
    first = plan.phases[0]
    index = next(i for i, e in enumerate(first.exercises) if e.id == "clamshell_band")
    swaps = options(page, f"f-p1.e{index}.exercise")[1:]  # after "keep"
    assert swaps[0] == "clamshell"  # the easier variant first
    assert swaps and all(exercise_kind(kb.exercise(s)) == "strength" for s in swaps)
    assert not {"itb_tfl_stretch", "hip_flexor_stretch", "hamstring_stretch"} & set(swaps)
    held = {e.id for e in first.exercises}
    assert not (held - {"clamshell_band"}) & set(swaps)
    added = options(page, "f-p1.add")[1:]  # after "none"
    assert added and not held & set(added)
    for exercise_id in added:  # and only what the patient has the equipment for
        assert set(kb.exercise(exercise_id).equipment) - {"none"} <= set(plan.equipment)


def test_it_saves_a_note_alone_as_a_new_version(world: World) -> None:
    alice = world.client("alice")
    with_programme(world, alice)
    plan = plan_of(versions(world)[0])
    url = f"/patients/{world.patients['pat'].id}/programme/edit"
    response = alice.submit(url, {**edit_fields(plan), "change_note": "phoned: doing well"})
    assert response.status_code == 303
    latest = versions(world)[-1]
    assert latest.version == 2
    assert plan_of(latest) == plan
    assert latest.change_note == (
        "phoned: doing well; note only: the exercises and dosage are unchanged"
    )
    empty = alice.submit(url, edit_fields(plan))
    assert empty.status_code == 400
    assert "nothing was changed; change the programme, write a note" in empty.text
    assert len(versions(world)) == 2


def test_it_names_editor_fields_in_the_summary_as_the_form_does(world: World) -> None:
    alice = world.client("alice")
    with_programme(world, alice)
    plan = plan_of(versions(world)[0])
    name = plan.phases[1].exercises[0].name
    form = {**edit_fields(plan), "p2.e0.sets": "two"}
    page = alice.submit(f"/patients/{world.patients['pat'].id}/programme/edit", form).text
    summary = page.split('id="problems"')[1].split("</div>")[0]
    assert f'<a href="#f-p2.e0.sets">{name} (phase 2): sets</a>: must be a whole number' in summary
    assert '<details class="card edit-phase" id="edit-phase-2" open>' in page  # opened to show it
