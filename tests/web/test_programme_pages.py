"""Programme pages: generate, show by phase, edit (with range warnings), print, progression."""

from __future__ import annotations

import datetime as dt
import re

from clinic import TODAY, backdate_programme, error_next_to, session_form, with_programme
from sqlalchemy import select

from clinic_world import Client, World
from hipfirst.application.records import PLAN_EXTRA_KEYS
from hipfirst.core.plan import Plan
from hipfirst.core.plan_edit import edit_fields
from hipfirst.knowledge.loader import knowledge_base
from hipfirst.storage.models import Programme


def versions(world: World) -> list[Programme]:
    with world.db() as db:
        return list(db.scalars(select(Programme).order_by(Programme.version)).all())


def plan_of(programme: Programme) -> Plan:
    return Plan.model_validate(
        {k: v for k, v in programme.plan_json.items() if k not in PLAN_EXTRA_KEYS}
    )


def test_it_generates_a_programme_and_shows_it_by_phase(world: World) -> None:
    alice = world.client("alice")
    with_programme(world, alice)
    (programme,) = versions(world)
    plan = plan_of(programme)
    assert programme.version == 1
    assert programme.change_note == "generated from the assessment of 2026-11-20"
    assert programme.plan_json["current_phase"] == 1

    page = alice.get(f"/patients/{world.patients['pat'].id}/programme").text
    first = plan.phases[0]
    exercise = first.exercises[0]
    assert (
        f"<h2>Phase 1: {first.name} (weeks {first.weeks[0]}–{first.weeks[1]}) · current</h2>"
        in page
    )
    reps = f"{exercise.hold_s} s hold" if exercise.hold_s else f"{exercise.reps} reps"
    side = " per side" if exercise.per_side else ""
    sessions = f"{exercise.sessions_per_week} sessions/week"
    dosage = f"{exercise.sets} × {reps}{side}, {exercise.load}, {sessions}"
    assert f"<strong>{dosage}</strong>" in page
    assert f"<li>{exercise.cues[0]}</li>" in page.replace("&#39;", "'")
    assert '<p class="why">Why: ' in page
    assert "No sessions logged yet: nothing to suggest." in page


def edit_url(world: World) -> str:
    return f"/patients/{world.patients['pat'].id}/programme/edit"


def test_it_warns_outside_the_knowledge_base_range_and_saves_only_when_confirmed(
    world: World,
) -> None:
    alice = world.client("alice")
    with_programme(world, alice)
    plan = plan_of(versions(world)[0])
    name = plan.phases[0].exercises[0].name
    sets = knowledge_base().measure("programme_sets")
    assert sets.high is not None
    too_many = int(sets.high) + 3
    form = edit_fields(plan)
    form["p1.e0.sets"] = str(too_many)

    response = alice.submit(edit_url(world), form)

    warning = (
        f"phase 1: {name}: sets {too_many} is outside the knowledge-base range "
        f"{sets.low:g}–{sets.high:g} sets ({sets.status}, {', '.join(sets.sources)})"
    )
    assert response.status_code == 400
    assert f"<li>{warning}</li>" in response.text
    assert "I confirm the dosage outside the knowledge-base ranges" in response.text
    assert len(versions(world)) == 1

    response = alice.submit(edit_url(world), {**form, "confirm_out_of_range": "true"})

    assert response.status_code == 303
    second = versions(world)[-1]
    assert second.version == 2
    assert plan_of(second).phases[0].exercises[0].sets == too_many
    original = plan.phases[0].exercises[0].sets
    assert second.change_note == (
        f"phase 1: {name}: sets {original} → {too_many}; WARNING (confirmed): {warning}"
    )


def test_it_swaps_removes_and_adds_exercises_as_a_new_version(world: World) -> None:
    alice = world.client("alice")
    with_programme(world, alice)
    kb = knowledge_base()
    plan = plan_of(versions(world)[0])
    phase = plan.phases[0]
    first, second = phase.exercises[0], phase.exercises[1]
    page = alice.get(edit_url(world)).text
    swap_to = re.search(
        rf'name="p1\.e0\.exercise">\s*<option value="{first.id}">keep: [^<]*</option>'
        r'\s*<option value="([a-z_0-9]+)"',
        page,
    )
    assert swap_to, "no swap choice offered"
    target = kb.exercise(swap_to.group(1))
    planned = set(plan.exercise_ids())
    extra = next(
        e
        for e in kb.exercises.values()
        if 1 in e.phases
        and e.id not in planned
        and e.id != target.id
        and set(e.equipment) - {"none"} <= set(plan.equipment)
    )
    form = edit_fields(plan)
    form.update(
        {
            "p1.e0.exercise": target.id,
            "p1.e1.remove": "true",
            "p1.add": extra.id,
            "change_note": "patient finds the first one too easy",
        }
    )

    response = alice.submit(edit_url(world), form)

    assert response.status_code == 303, response.text
    latest = versions(world)[-1]
    ids = [e.id for e in plan_of(latest).phases[0].exercises]
    assert ids[0] == target.id and second.id not in ids and ids[-1] == extra.id
    # One line per change, in form order: the first exercise, the second, then the addition.
    assert latest.change_note == (
        "patient finds the first one too easy; "
        f"phase 1: swapped {first.name} for {target.name}; "
        f"phase 1: removed {second.name}; "
        f"phase 1: added {extra.name}"
    )
    assert versions(world)[0].plan_json == plan.model_dump(mode="json") | {"current_phase": 1}


def test_it_refuses_dosage_the_plan_cannot_hold(world: World) -> None:
    alice = world.client("alice")
    with_programme(world, alice)
    plan = plan_of(versions(world)[0])
    form = edit_fields(plan)
    form["p1.e0.sets"] = "0"
    form["p1.e1.sessions_per_week"] = "9"

    response = alice.submit(edit_url(world), form)

    assert response.status_code == 400
    assert (
        error_next_to(response.text, "p1.e0.sets")
        == "must be a whole number of 1 or more (got '0')"
    )
    assert (
        error_next_to(response.text, "p1.e1.sessions_per_week") == "must be between 1 and 7 (got 9)"
    )
    assert 'name="p1.e0.sets" type="text" inputmode="decimal" value="0"' in response.text
    assert len(versions(world)) == 1


def test_it_prints_without_navigation(world: World) -> None:
    alice = world.client("alice")
    with_programme(world, alice)
    plan = plan_of(versions(world)[0])

    for persona in ("alice", "pat"):
        client = alice if persona == "alice" else world.client("pat")
        page = client.get(f"/patients/{world.patients['pat'].id}/programme/print")
        assert page.status_code == 200
        assert "<nav" not in page.text
        assert "Sign out" not in page.text
        assert '<link rel="stylesheet" href="/static/print.css">' in page.text
        assert f"<h4>{plan.phases[2].exercises[0].name}</h4>" in page.text
    css = alice.get("/static/print.css").text
    assert "@media print" in css


def log(
    client: Client,
    patient_id: int,
    exercise_id: str,
    reps: int,
    pain: int,
    *,
    days_ago: int = 0,
    morning: str = "",
) -> None:
    row = {"sets": "3", "reps": str(reps), "pain_during": str(pain), "form_ok": "yes"}
    row["pain_next_morning"] = morning
    day = TODAY - dt.timedelta(days=days_ago)
    response = client.submit(
        f"/patients/{patient_id}/logs", session_form(day, **{exercise_id: row})
    )
    assert response.status_code == 303, response.text


def test_it_applies_a_progression_suggestion_only_when_accepted(world: World) -> None:
    alice = world.client("alice")
    with_programme(world, alice)
    backdate_programme(world, 5)  # logged on earlier days: the programme must be older
    kb = knowledge_base()
    plan = plan_of(versions(world)[0])
    patient_id = world.patients["pat"].id
    mastered = next(
        e
        for e in plan.phases[0].exercises
        if e.reps is not None
        and any(
            h in kb.exercises and set(kb.exercise(h).equipment) - {"none"} <= set(plan.equipment)
            for h in kb.exercise(e.id).harder
        )
    )
    harder = next(
        kb.exercise(h)
        for h in kb.exercise(mastered.id).harder
        if set(kb.exercise(h).equipment) - {"none"} <= set(plan.equipment)
    )
    mastery = kb.measure("progression_mastery_reps").value
    assert mastery is not None
    # mastery: the planned sets of 20 on 2 different days, next-morning pain known
    for days_ago in (3, 1):
        log(
            world.client("pat"),
            patient_id,
            mastered.id,
            int(mastery),
            1,
            days_ago=days_ago,
            morning="1",
        )

    page = alice.get(f"/patients/{patient_id}/programme").text
    assert f'<span class="decision-advance">advance</span>: move on to {harder.name}' in page
    assert len(versions(world)) == 1  # a suggestion changes nothing by itself

    refused = alice.submit(f"/patients/{patient_id}/programme/progression", {})
    assert refused.status_code == 400
    assert "Tick at least one suggestion to accept; nothing was changed." in refused.text
    assert len(versions(world)) == 1

    accepted = alice.submit(
        f"/patients/{patient_id}/programme/progression", {"accept": mastered.id}
    )
    assert accepted.status_code == 303
    latest = versions(world)[-1]
    assert latest.version == 2
    ids = plan_of(latest).phases[0].exercises
    assert harder.id in [e.id for e in ids] and mastered.id not in [e.id for e in ids]
    assert latest.change_note == (
        f"accepted progression: advance {mastered.name}: move on to {harder.name} (phase 1)"
    )


def test_it_keeps_the_programme_editor_from_the_patient(world: World) -> None:
    alice = world.client("alice")
    with_programme(world, alice)
    pat = world.client("pat")
    patient_id = world.patients["pat"].id
    assert pat.get(f"/patients/{patient_id}/programme/edit").status_code == 403
    assert pat.submit(f"/patients/{patient_id}/programme/progression", {}).status_code == 403


def test_it_says_so_when_a_stored_programme_can_no_longer_be_read(world: World) -> None:
    alice = world.client("alice")
    with_programme(world, alice)
    with world.db() as db:
        programme = db.scalars(select(Programme)).one()
        broken = dict(programme.plan_json)
        phases = [dict(phase) for phase in broken["phases"]]
        phases[0]["exercises"] = [{**phases[0]["exercises"][0], "id": "retired_exercise"}]
        broken["phases"] = phases
        programme.plan_json = broken
        db.commit()
    patient_id = world.patients["pat"].id

    page = alice.get(f"/patients/{patient_id}/programme")

    assert page.status_code == 200
    assert "The latest version cannot be read: programme version 1: 1 error" in page.text
    assert (
        "phases[0].exercises[0].id: unknown exercise (got &#39;retired_exercise&#39;)" in page.text
    )
    assert world.client("pat").get(f"/patients/{patient_id}/today").status_code == 200
