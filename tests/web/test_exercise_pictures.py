"""Exercise pictures on the web: ``/exercises/{id}.svg`` and the ``<img>`` on the programme,
print and today pages."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from clinic import with_programme
from sqlalchemy import select

from clinic_world import World
from hipfirst.application.records import stored_plan
from hipfirst.application.sessions import todays_exercises
from hipfirst.core.plan import Plan
from hipfirst.knowledge.loader import knowledge_base
from hipfirst.storage.models import Programme
from hipfirst.web.headers import CONTENT_SECURITY_POLICY

SVG_NS = "{http://www.w3.org/2000/svg}"
XLINK = "{http://www.w3.org/1999/xlink}href"


def current_plan(world: World) -> Plan:
    with world.db() as db:
        programme = db.scalars(select(Programme).order_by(Programme.version.desc())).first()
        assert programme is not None
        plan = stored_plan(programme, knowledge_base())
    assert plan is not None
    return plan


def test_it_serves_the_picture_to_the_clinician_and_the_patient(world: World) -> None:
    for persona in ("alice", "pat"):
        response = world.client(persona).get("/exercises/clamshell.svg")
        assert response.status_code == 200
        assert response.headers["content-type"] == "image/svg+xml"
        assert response.headers["cache-control"] == "private, max-age=86400"
        assert response.headers["content-security-policy"] == CONTENT_SECURITY_POLICY
        root = ET.fromstring(response.text)
        title = root.find(f"{SVG_NS}title")
        assert title is not None and title.text is not None
        assert title.text.startswith("Clamshell (body weight): the pale figure is the start")
        assert root.attrib["aria-labelledby"] == title.attrib["id"]
        assert root.attrib["role"] == "img"


def test_it_answers_404_for_an_exercise_that_does_not_exist(world: World) -> None:
    alice = world.client("alice")
    response = alice.get("/exercises/moonwalk.svg")
    assert response.status_code == 404
    assert "No such exercise." in response.text
    assert alice.get("/exercises/..%2Fsecret.svg").status_code == 404


def test_it_sends_anonymous_visitors_to_sign_in(world: World) -> None:
    response = world.client().get("/exercises/clamshell.svg", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/login?next=/exercises/clamshell.svg"


def test_it_lets_the_browser_revalidate_with_the_etag(world: World) -> None:
    pat = world.client("pat")
    first = pat.get("/exercises/bridge.svg")
    again = pat.get("/exercises/bridge.svg", headers={"If-None-Match": first.headers["etag"]})
    assert again.status_code == 304
    assert again.content == b""
    other = pat.get("/exercises/squat.svg")
    assert other.headers["etag"] != first.headers["etag"]


def test_it_draws_a_self_contained_picture_the_csp_allows(world: World) -> None:
    """No script, no style element or attribute, no event handler, no outside reference."""
    alice = world.client("alice")
    for exercise_id in knowledge_base().exercises:
        text = alice.get(f"/exercises/{exercise_id}.svg").text
        root = ET.fromstring(text)
        for element in root.iter():
            tag = element.tag.removeprefix(SVG_NS)
            assert tag not in ("script", "style", "foreignObject", "image", "use", "a"), tag
            assert "style" not in element.attrib
            assert not any(name.startswith("on") for name in element.attrib)
            assert XLINK not in element.attrib and "href" not in element.attrib
        references = re.findall(r"url\(([^)]*)\)", text)
        assert references and all(ref.startswith("#") for ref in references)
        ids = [e.attrib["id"] for e in root.iter() if "id" in e.attrib]
        assert len(ids) == len(set(ids))
        assert {ref[1:] for ref in references} <= set(ids)


def pictures_on(page: str) -> list[str]:
    return re.findall(r'<img class="exercise-picture" src="/exercises/([a-z0-9_]+)\.svg"', page)


def test_it_shows_a_picture_for_every_planned_exercise_on_the_programme_pages(
    world: World,
) -> None:
    alice = world.client("alice")
    with_programme(world, alice)
    plan = current_plan(world)
    patient_id = world.patients["pat"].id
    planned = [e.id for p in plan.phases for e in p.exercises + ([p.running] if p.running else [])]
    assert planned
    for url in (f"/patients/{patient_id}/programme", f"/patients/{patient_id}/programme/print"):
        page = alice.get(url).text
        assert pictures_on(page) == planned, url
    shown = alice.get(f"/patients/{patient_id}/programme").text
    first = plan.phases[0].exercises[0]
    assert (
        f'alt="{first.name}: the pale figure is the start position, the solid figure the end '
        'position; the arrow shows the movement."'
    ) in shown.replace("&#39;", "'")
    for exercise_id in set(planned):
        assert alice.get(f"/exercises/{exercise_id}.svg").status_code == 200


def test_it_shows_a_picture_for_each_of_todays_exercises(world: World) -> None:
    with_programme(world, world.client("alice"))
    plan = current_plan(world)
    pat = world.client("pat")
    page = pat.get(f"/patients/{world.patients['pat'].id}/today").text
    today = [e.id for e in todays_exercises(plan, 1)]
    assert pictures_on(page) == today
    for exercise_id in today:
        assert pat.get(f"/exercises/{exercise_id}.svg").headers["content-type"] == "image/svg+xml"
