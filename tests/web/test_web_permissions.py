"""The permission matrix: every route × every persona, generated from the app's route table.

Each route must appear in :data:`ACCESS` (the explicit allow-list); a new
route without an entry fails :func:`test_it_has_an_access_rule_for_every_route`,
so nobody can add a page that escapes the matrix. Expected outcomes:

* ``ok``: the route was reached (any status below 400, or 400 for a form
  deliberately sent incomplete), and not a redirect to the login page;
* ``login``: 303 to ``/login`` (anonymous);
* ``403``: the role may never use this route;
* ``404``: the record exists but belongs to someone else (indistinguishable
  from a record that does not exist, so ids cannot be probed).
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
from fastapi.routing import APIRoute
from starlette.routing import WebSocketRoute

from clinic_world import World, build_world, close_world, make_settings
from hipfirst.application.plan_files import plan_file
from hipfirst.application.records import plan_document
from hipfirst.core.plan import Plan
from hipfirst.storage.files import analysis_dir
from hipfirst.storage.models import (
    Assessment,
    JobStatus,
    Programme,
    SessionLog,
    VideoAnalysis,
)
from hipfirst.web.routes import ROUTERS

PERSONAE = ("anon", "alice", "bob", "pat", "quinn", "ada")
EXAMPLE = "runner-anterior-knee-pain.yaml"


@dataclass(frozen=True)
class Rule:
    """Who may use a route. ``scope`` says how ownership is checked.

    * ``public``: anyone, signed in or not;
    * ``signed_in``: any active account;
    * ``roles``: only ``roles``, no record involved;
    * ``patient``: the patient ``{patient_id}`` (Pat's record, owned by Alice);
      ``roles`` may use the route, and only for a record that is theirs;
    * ``own_record``: a patient's own record, found from the account.
    """

    scope: str
    roles: frozenset[str] = frozenset()
    form: tuple[tuple[str, str], ...] = ()
    allowed: str = "ok"  # what an allowed persona sees (signing out ends on the login page)


CLINICIAN = frozenset({"clinician"})
BOTH = frozenset({"clinician", "patient"})
ADMIN = frozenset({"admin"})

ACCESS: dict[tuple[str, str], Rule] = {
    ("GET", "/"): Rule("signed_in"),
    ("GET", "/login"): Rule("public"),
    ("POST", "/login"): Rule("public", form=(("email", "x@example.org"), ("password", "wrong"))),
    ("POST", "/logout"): Rule("public", allowed="login"),
    ("GET", "/admin/accounts"): Rule("roles", ADMIN),
    ("GET", "/admin/audit"): Rule("roles", ADMIN),
    ("POST", "/admin/accounts"): Rule("roles", ADMIN, form=(("email", "not-an-email"),)),
    ("POST", "/admin/accounts/{user_id}/active"): Rule("roles", ADMIN, form=(("active", "true"),)),
    ("POST", "/admin/accounts/{user_id}/password"): Rule(
        "roles", ADMIN, form=(("password", "too short"),)
    ),
    ("GET", "/patients"): Rule("roles", CLINICIAN),
    ("GET", "/patients/new"): Rule("roles", CLINICIAN),
    ("POST", "/patients"): Rule("roles", CLINICIAN, form=(("display_name", ""),)),
    ("GET", "/patients/{patient_id}"): Rule("patient", CLINICIAN),
    ("GET", "/patients/{patient_id}/export.json"): Rule("patient", CLINICIAN),
    ("GET", "/patients/{patient_id}/export.zip"): Rule("patient", CLINICIAN),
    ("GET", "/patients/{patient_id}/delete"): Rule("patient", CLINICIAN),
    ("GET", "/patients/{patient_id}/edit"): Rule("patient", CLINICIAN),
    # An empty name is refused, so the owner's attempt is a 400 that changed nothing.
    ("POST", "/patients/{patient_id}/edit"): Rule(
        "patient", CLINICIAN, form=(("display_name", ""),)
    ),
    # A wrong confirmation keeps the record, so the owner's attempt is a 400 that reached it.
    ("POST", "/patients/{patient_id}/delete"): Rule(
        "patient", CLINICIAN, form=(("confirm_name", "wrong name"),)
    ),
    ("GET", "/me"): Rule("own_record"),
    # Assessment pages (clinician only).
    ("GET", "/patients/{patient_id}/assessments/new"): Rule("patient", CLINICIAN),
    ("POST", "/patients/{patient_id}/assessments"): Rule("patient", CLINICIAN),
    ("POST", "/patients/{patient_id}/assessments/score"): Rule("patient", CLINICIAN),
    ("GET", "/patients/{patient_id}/assessments/{assessment_id}"): Rule("patient", CLINICIAN),
    # Programme pages: the clinician edits; the patient may print their own.
    ("GET", "/patients/{patient_id}/programme"): Rule("patient", CLINICIAN),
    ("POST", "/patients/{patient_id}/programme"): Rule("patient", CLINICIAN),
    ("GET", "/patients/{patient_id}/programme/edit"): Rule("patient", CLINICIAN),
    ("POST", "/patients/{patient_id}/programme/edit"): Rule("patient", CLINICIAN),
    ("POST", "/patients/{patient_id}/programme/progression"): Rule("patient", CLINICIAN),
    ("GET", "/patients/{patient_id}/programme/print"): Rule("patient", BOTH),
    # The handout PDF (every phase: the clinician only) and the session calendar.
    ("GET", "/patients/{patient_id}/programme/handout.pdf"): Rule("patient", BOTH),
    ("GET", "/patients/{patient_id}/programme/calendar.ics"): Rule("patient", BOTH),
    ("GET", "/patients/{patient_id}/return-to-sport"): Rule("patient", CLINICIAN),
    # Patient pages (today, session log, progress charts): the patient and their clinician.
    ("GET", "/patients/{patient_id}/today"): Rule("patient", BOTH),
    ("GET", "/patients/{patient_id}/logs"): Rule("patient", BOTH),
    ("POST", "/patients/{patient_id}/logs"): Rule("patient", BOTH, form=(("sets", "x"),)),
    ("POST", "/patients/{patient_id}/logs/next-morning"): Rule(
        "patient", BOTH, form=(("pain_next_morning", "x"),)
    ),
    ("GET", "/patients/{patient_id}/logs/{log_id}"): Rule("patient", BOTH),
    ("POST", "/patients/{patient_id}/logs/{log_id}"): Rule("patient", BOTH, form=(("sets", "x"),)),
    ("GET", "/patients/{patient_id}/progress"): Rule("patient", BOTH),
    ("GET", "/patients/{patient_id}/charts/pain.png"): Rule("patient", BOTH),
    ("GET", "/patients/{patient_id}/charts/questionnaires.png"): Rule("patient", BOTH),
    ("GET", "/patients/{patient_id}/charts/symmetry.png"): Rule("patient", BOTH),
    ("GET", "/patients/{patient_id}/charts/fppa.png"): Rule("patient", BOTH),
    # Questionnaires: the patient fills them in, both see the scores.
    ("GET", "/patients/{patient_id}/questionnaires"): Rule("patient", BOTH),
    ("GET", "/patients/{patient_id}/questionnaires/{kind}"): Rule("patient", BOTH),
    ("POST", "/patients/{patient_id}/questionnaires/{kind}"): Rule(
        "patient", BOTH, form=(("item-0", "x"),)
    ),
    ("GET", "/patients/{patient_id}/charts/{chart_name}.svg"): Rule("patient", BOTH),
    # Video pages: the clinician and the patient themself.
    ("GET", "/patients/{patient_id}/videos"): Rule("patient", BOTH),
    ("POST", "/patients/{patient_id}/videos"): Rule("patient", BOTH),
    ("GET", "/patients/{patient_id}/videos/new"): Rule("patient", BOTH),
    ("GET", "/patients/{patient_id}/videos/compare"): Rule("patient", BOTH),
    ("GET", "/patients/{patient_id}/mirror"): Rule("patient", BOTH),
    ("GET", "/patients/{patient_id}/videos/{analysis_id}"): Rule("patient", BOTH),
    ("GET", "/patients/{patient_id}/videos/{analysis_id}/progress"): Rule("patient", BOTH),
    ("POST", "/patients/{patient_id}/videos/{analysis_id}/cancel"): Rule("patient", BOTH),
    ("POST", "/patients/{patient_id}/videos/{analysis_id}/person"): Rule("patient", BOTH),
    ("GET", "/patients/{patient_id}/videos/{analysis_id}/files/{name}"): Rule("patient", BOTH),
    # Exercise pictures: the library's, nothing of a patient; any signed-in account.
    ("GET", "/exercises/{exercise_id}.svg"): Rule("signed_in"),
    # The references (the knowledge base's sources): any signed-in account.
    ("GET", "/references"): Rule("signed_in"),
}

# Ids that nest under a patient: the matrix fills them with Pat's rows (see ``add_records``).
CHILD_IDS = ("assessment_id", "analysis_id", "log_id")

ROLE_OF = {"alice": "clinician", "bob": "clinician", "pat": "patient", "quinn": "patient"}
ROLE_OF["ada"] = "admin"


def app_routes() -> list[tuple[str, str]]:
    """(method, path) of every route the routers declare."""
    found = []
    for router in ROUTERS:
        for route in router.routes:
            if isinstance(route, WebSocketRoute):
                continue  # the live mirror's socket: its own matrix in test_mirror_socket.py
            assert isinstance(route, APIRoute)
            for method in sorted((route.methods or set()) - {"HEAD"}):
                found.append((method, route.path))
    return sorted(found)


def expected(rule: Rule, persona: str) -> str:
    verdict = _expected(rule, persona)
    return rule.allowed if verdict == "ok" else verdict


def _expected(rule: Rule, persona: str) -> str:
    if rule.scope == "public":
        return "ok"
    if persona == "anon":
        return "login"
    role = ROLE_OF[persona]
    if rule.scope == "signed_in":
        return "ok"
    if rule.scope == "own_record":
        return "ok" if role == "patient" else "403"
    if role not in rule.roles:
        return "403"
    if rule.scope == "roles":
        return "ok"
    # scope == "patient": the record is Pat's, owned by Alice.
    owner = {"clinician": "alice", "patient": "pat"}[role]
    return "ok" if persona == owner else "404"


def outcome(status: int, location: str) -> str:
    if status == 303 and location.startswith("/login"):
        return "login"
    if status in (403, 404):
        return str(status)
    return "ok" if status < 500 else f"error {status}"


def test_it_has_an_access_rule_for_every_route() -> None:
    missing = [route for route in app_routes() if route not in ACCESS]
    assert missing == [], f"add these routes to ACCESS in {__name__}: {missing}"
    stale = [route for route in ACCESS if route not in app_routes()]
    assert stale == []


@functools.cache
def example_plan() -> dict[str, object]:
    plan = plan_file(Path(__file__).resolve().parents[2] / "examples" / EXAMPLE)
    assert isinstance(plan, Plan)
    return plan_document(plan)


def add_records(world: World, persona: str) -> dict[str, int]:
    """An assessment, a programme (the example's plan), a logged exercise and a queued video
    analysis (with a result file) for a persona's record."""
    patient_id = world.patients[persona].id
    with world.db() as db:
        assessment = Assessment(
            patient_id=patient_id, assessed_on=date(2026, 3, 2), exam_json={"version": 1}
        )
        db.add(Programme(patient_id=patient_id, version=1, plan_json=example_plan()))
        analysis = VideoAnalysis(
            patient_id=patient_id,
            upload_name=f"{persona}.mp4",
            original_name="squat.mp4",
            task="single-leg-squat",
            side="left",
            status=JobStatus.queued,
        )
        log = SessionLog(
            patient_id=patient_id,
            performed_on=date(2026, 3, 3),
            exercise_id="clamshell_band",
            sets=2,
            reps=12,
            pain_during=2,
            form_ok=True,
        )
        db.add_all([assessment, analysis, log])
        db.commit()
        ids = {"assessment_id": assessment.id, "analysis_id": analysis.id, "log_id": log.id}
    folder = analysis_dir(world.settings.data_dir, patient_id, ids["analysis_id"])
    folder.mkdir(parents=True)
    (folder / "summary.json").write_text("{}", encoding="utf-8")
    return ids


def placeholders(world: World, records: dict[str, int]) -> dict[str, object]:
    return {
        "patient_id": world.patients["pat"].id,
        "user_id": world.users["pat"].id,
        "name": "summary.json",
        "chart_name": "pain",
        "exercise_id": "clamshell",
        "kind": "akps",
        **records,
    }


@pytest.fixture(scope="module")
def matrix_world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    """One world for the whole matrix, so each persona signs in once (argon2 is slow on purpose).

    The requests the matrix sends change nothing that another route's
    verdict depends on (forms are sent incomplete, the delete confirmation
    is wrong), so sharing it keeps the verdicts independent.
    """
    world = build_world(make_settings(tmp_path_factory.mktemp("matrix")))
    world.records = {"pat": add_records(world, "pat"), "quinn": add_records(world, "quinn")}
    yield world
    close_world(world)


@pytest.mark.parametrize(("method", "path"), app_routes())
def test_it_enforces_the_permission_matrix(matrix_world: World, method: str, path: str) -> None:
    world = matrix_world
    rule = ACCESS[(method, path)]
    url = path.format(**placeholders(world, world.records["pat"]))
    seen: dict[str, str] = {}
    for persona in PERSONAE:
        client = world.client(None if persona == "anon" else persona)
        if (method, path) == ("POST", "/logout") and persona != "anon":
            # signing out ends the server-side session, and with it every copy of its
            # cookie: sign out a browser of its own, not the session the matrix shares
            client = world.signed_in_anew(persona)
        if method == "GET":
            response = client.get(url, follow_redirects=False)
        else:
            response = client.submit(url, dict(rule.form))
        seen[persona] = outcome(response.status_code, response.headers.get("location", ""))
    wanted = {persona: expected(rule, persona) for persona in PERSONAE}
    assert seen == wanted


NESTED = [route for route in app_routes() if any(f"{{{key}}}" in route[1] for key in CHILD_IDS)]


@pytest.mark.parametrize(("method", "path"), NESTED)
def test_it_keeps_nested_records_inside_their_patient(
    matrix_world: World, method: str, path: str
) -> None:
    """Bob asks for Pat's assessment or video through his own patient's URL: 404."""
    world = matrix_world
    rule = ACCESS[(method, path)]
    values = placeholders(world, world.records["pat"])
    url = path.format(**{**values, "patient_id": world.patients["quinn"].id})
    bob = world.client("bob")
    if method == "GET":
        response = bob.get(url, follow_redirects=False)
    else:
        response = bob.submit(url, dict(rule.form))
    assert response.status_code == 404


def test_it_answers_404_for_a_record_that_does_not_exist(world: World) -> None:
    alice = world.client("alice")
    assert alice.get("/patients/999999").status_code == 404
    assert alice.get("/patients/not-a-number").status_code == 404


def test_it_answers_the_same_for_someone_elses_record_as_for_a_missing_one(world: World) -> None:
    bob = world.client("bob")
    theirs = bob.get(f"/patients/{world.patients['pat'].id}")
    missing = bob.get("/patients/999999")
    assert (theirs.status_code, theirs.text) == (missing.status_code, missing.text)
    assert "No such patient." in theirs.text
