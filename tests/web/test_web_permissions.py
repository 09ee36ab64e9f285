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

from dataclasses import dataclass

import pytest
from fastapi.routing import APIRoute
from webtest import World

from hipfirst.web.routes import ROUTERS

PERSONAE = ("anon", "alice", "bob", "pat", "quinn", "ada")


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
ADMIN = frozenset({"admin"})

ACCESS: dict[tuple[str, str], Rule] = {
    ("GET", "/"): Rule("signed_in"),
    ("GET", "/login"): Rule("public"),
    ("POST", "/login"): Rule("public", form=(("email", "x@example.org"), ("password", "wrong"))),
    ("POST", "/logout"): Rule("public", allowed="login"),
    ("GET", "/admin/accounts"): Rule("roles", ADMIN),
    ("POST", "/admin/accounts"): Rule("roles", ADMIN, form=(("email", "not-an-email"),)),
    ("POST", "/admin/accounts/{user_id}/active"): Rule("roles", ADMIN, form=(("active", "true"),)),
    ("GET", "/patients"): Rule("roles", CLINICIAN),
    ("GET", "/patients/new"): Rule("roles", CLINICIAN),
    ("POST", "/patients"): Rule("roles", CLINICIAN, form=(("display_name", ""),)),
    ("GET", "/patients/{patient_id}"): Rule("patient", CLINICIAN),
    ("GET", "/patients/{patient_id}/export.json"): Rule("patient", CLINICIAN),
    ("GET", "/patients/{patient_id}/export.zip"): Rule("patient", CLINICIAN),
    ("GET", "/patients/{patient_id}/delete"): Rule("patient", CLINICIAN),
    # A wrong confirmation keeps the record, so the owner's attempt is a 400 that reached it.
    ("POST", "/patients/{patient_id}/delete"): Rule(
        "patient", CLINICIAN, form=(("confirm_name", "wrong name"),)
    ),
    ("GET", "/me"): Rule("own_record"),
}

ROLE_OF = {"alice": "clinician", "bob": "clinician", "pat": "patient", "quinn": "patient"}
ROLE_OF["ada"] = "admin"


def app_routes() -> list[tuple[str, str]]:
    """(method, path) of every route the routers declare."""
    found = []
    for router in ROUTERS:
        for route in router.routes:
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


@pytest.mark.parametrize(("method", "path"), app_routes())
def test_it_enforces_the_permission_matrix(world: World, method: str, path: str) -> None:
    rule = ACCESS[(method, path)]
    url = path.format(patient_id=world.patients["pat"].id, user_id=world.users["pat"].id)
    seen: dict[str, str] = {}
    for persona in PERSONAE:
        client = world.client(None if persona == "anon" else persona)
        if method == "GET":
            response = client.get(url, follow_redirects=False)
        else:
            response = client.submit(url, dict(rule.form))
        seen[persona] = outcome(response.status_code, response.headers.get("location", ""))
    wanted = {persona: expected(rule, persona) for persona in PERSONAE}
    assert seen == wanted


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
