"""Hardening of the web app: sessions that end everywhere, foreign origins, bounded ids,
headers on every error page, no caching of patient data, HSTS, strong passwords.

The audit trail and the forwarded-address rules are in ``test_web_audit.py`` and
``test_web_proxy.py``; the route matrix in ``test_web_permissions.py``.
"""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

import pytest
from fastapi.routing import APIRoute
from sqlalchemy import func, select, update
from starlette.routing import WebSocketRoute
from test_web_permissions import add_records

from clinic_world import Client, World, make_settings, migrated_engine
from hipfirst.storage.models import AuditEntry, Patient, User, WebSession, utcnow
from hipfirst.web.app import create_app
from hipfirst.web.deps import MAX_RECORD_ID
from hipfirst.web.headers import CONTENT_SECURITY_POLICY
from hipfirst.web.routes import ROUTERS

HUGE = "99999999999999999999999"


def assert_security_headers(response: object) -> None:
    headers = response.headers  # type: ignore[attr-defined]
    assert headers["content-security-policy"] == CONTENT_SECURITY_POLICY
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["x-frame-options"] == "DENY"
    assert headers["cache-control"] == "no-store"


def patient_count(world: World) -> int:
    with world.db() as db:
        return db.scalar(select(func.count()).select_from(Patient)) or 0


# ------------------------------------------------------------------ sessions


def test_it_ends_every_copy_of_the_cookie_on_sign_out(world: World) -> None:
    alice = world.client("alice")
    copy = world.client("alice")  # the same cookie in another browser (stolen, say)
    assert copy.get("/patients", follow_redirects=False).status_code == 200
    assert alice.submit("/logout").headers["location"] == "/login"
    response = copy.get("/patients", follow_redirects=False)
    assert (response.status_code, response.headers["location"]) == (303, "/login?next=/patients")


def test_it_keeps_other_sessions_of_the_account_on_sign_out(world: World) -> None:
    phone = world.signed_in_anew("alice")
    laptop = world.signed_in_anew("alice")
    phone.submit("/logout")
    assert laptop.get("/patients", follow_redirects=False).status_code == 200


def test_it_ends_every_session_of_an_account_given_a_new_password(world: World) -> None:
    alice = world.client("alice")
    ada = world.client("ada")
    response = ada.submit(
        f"/admin/accounts/{world.users['alice'].id}/password",
        {"password": "violet thunder orchard kettle"},
    )
    assert response.status_code == 303
    assert alice.get("/patients", follow_redirects=False).status_code == 303
    fresh = world.client()
    assert fresh.sign_in("alice@example.org", "violet thunder orchard kettle").status_code == 303


def test_it_ends_every_session_of_a_deactivated_account_at_once(world: World) -> None:
    alice = world.client("alice")
    ada = world.client("ada")
    response = ada.submit(f"/admin/accounts/{world.users['alice'].id}/active", {"active": "false"})
    assert response.status_code == 303
    with world.db() as db:
        left = select(func.count()).where(WebSession.user_id == world.users["alice"].id)
        assert db.scalar(left) == 0
    assert alice.get("/patients", follow_redirects=False).status_code == 303


def test_it_refuses_an_expired_session(world: World) -> None:
    alice = world.client("alice")
    with world.db() as db:
        db.execute(update(WebSession).values(expires_at=utcnow() - timedelta(seconds=1)))
        db.commit()
    assert alice.get("/patients", follow_redirects=False).status_code == 303


def test_it_keeps_only_a_hash_of_the_session_token(world: World) -> None:
    alice = world.client("alice")
    cookie = alice.cookies.get("hipfirst_session")
    assert cookie
    with world.db() as db:
        stored = db.scalars(select(WebSession.token_hash)).all()
    assert stored and all(re.fullmatch(r"[0-9a-f]{64}", token) for token in stored)


# ------------------------------------------------------------------ origins


@pytest.mark.parametrize(
    ("header", "value"),
    [
        ("Origin", "https://evil.example"),
        ("Origin", "null"),
        ("Origin", "http://testserver.evil.example"),
        ("Referer", "https://evil.example/form.html"),
    ],
)
def test_it_refuses_a_valid_token_sent_from_another_site(
    world: World, header: str, value: str
) -> None:
    alice = world.client("alice")
    before = patient_count(world)
    response = alice.post(
        "/patients",
        data={"display_name": "Eve", "csrf_token": alice.csrf()},
        headers={header: value},
        follow_redirects=False,
    )
    assert response.status_code == 403
    assert "This form was sent from another site" in response.text
    assert patient_count(world) == before
    assert_security_headers(response)
    with world.db() as db:
        refused = db.scalars(select(AuditEntry).where(AuditEntry.action == "refused")).all()
    assert [row.what for row in refused] == ["POST /patients"]
    assert refused[0].target is not None and refused[0].target.startswith("foreign origin ")


@pytest.mark.parametrize(
    ("header", "value"),
    [("Origin", "http://testserver"), ("Referer", "http://testserver/patients/new")],
)
def test_it_accepts_a_form_from_this_site(world: World, header: str, value: str) -> None:
    alice = world.client("alice")
    response = alice.post(
        "/patients",
        data={"display_name": "Eve", "csrf_token": alice.csrf()},
        headers={header: value},
        follow_redirects=False,
    )
    assert response.status_code == 303


# ------------------------------------------------------------------ ids and error pages


def id_routes() -> list[tuple[str, str]]:
    found = []
    for router in ROUTERS:
        for route in router.routes:
            if isinstance(route, WebSocketRoute):
                continue  # the live mirror's socket: its ids are tested in test_mirror_socket.py
            assert isinstance(route, APIRoute)
            if re.search(r"\{\w+_id\}", route.path):
                found.extend((method, route.path) for method in sorted(route.methods - {"HEAD"}))
    return found


@pytest.mark.parametrize(("method", "path"), id_routes())
def test_it_answers_404_with_headers_for_an_id_too_large_for_the_database(
    world: World, method: str, path: str
) -> None:
    records = add_records(world, "pat")
    owner = "ada" if path.startswith("/admin") else "alice"
    client = world.client(owner)
    values = {"patient_id": world.patients["pat"].id, "user_id": world.users["pat"].id}
    values.update(records)
    values["name"] = "summary.json"
    values["kind"] = "akps"
    values["chart_name"] = "pain"
    for key in re.findall(r"\{(\w+_id)\}", path):
        url = path.format(**{**values, key: HUGE})
        if method == "GET":
            response = client.get(url, follow_redirects=False)
        else:
            response = client.submit(url, {})
        assert response.status_code == 404, (url, response.text)
        assert_security_headers(response)


def test_it_bounds_ids_in_queries_and_forms(world: World) -> None:
    alice = world.client("alice")
    patient_id = world.patients["pat"].id
    earlier = alice.get(f"/patients/{patient_id}/assessments/new?from={HUGE}")
    assert earlier.status_code == 404
    compare = alice.get(f"/patients/{patient_id}/videos/compare?before={HUGE}&after=1")
    assert compare.status_code == 400
    assert_security_headers(compare)
    posted = alice.submit(f"/patients/{patient_id}/programme", {"assessment_id": HUGE})
    assert posted.status_code == 400
    assert "no assessment &#39;99999999999999999999999&#39; of this patient" in posted.text
    assert alice.get(f"/patients/{MAX_RECORD_ID}").status_code == 404
    assert alice.get(f"/patients/{MAX_RECORD_ID + 1}").status_code == 404
    assert alice.get("/patients/0").status_code == 404
    assert alice.get("/patients/-1").status_code == 404


def test_it_sends_the_security_headers_with_an_unexpected_error(world: World) -> None:
    def broken() -> None:
        raise RuntimeError("a bug")

    world.app.add_api_route("/broken", broken)
    client = Client(world.app, raise_server_exceptions=False)
    response = client.get("/broken")
    assert response.status_code == 500
    assert "<h1>Something went wrong</h1>" in response.text
    assert "a bug" not in response.text and "Traceback" not in response.text
    assert_security_headers(response)


# ------------------------------------------------------------------ caching and HSTS


def test_it_forbids_caching_patient_pages_exports_and_files(world: World) -> None:
    records = add_records(world, "pat")
    alice = world.client("alice")
    patient_id = world.patients["pat"].id
    for url in (
        f"/patients/{patient_id}",
        f"/patients/{patient_id}/export.json",
        f"/patients/{patient_id}/export.zip",
        f"/patients/{patient_id}/charts/pain.png",
        f"/patients/{patient_id}/videos/{records['analysis_id']}/files/summary.json",
        "/patients",
        "/login",
    ):
        response = alice.get(url)
        assert response.status_code == 200, url
        assert "no-store" in response.headers["cache-control"], url
    assert "cache-control" not in alice.get("/static/style.css").headers


def test_it_sends_hsts_over_https_only(world: World) -> None:
    over_https = Client(world.app, base_url="https://testserver").get("/login")
    assert over_https.headers["strict-transport-security"] == "max-age=31536000"
    assert "strict-transport-security" not in world.client().get("/login").headers


# ------------------------------------------------------------------ passwords


@pytest.mark.parametrize(
    ("password", "advice"),
    [
        ("aaaaaaaaaaaa", 'Repeats like "aaa" are easy to guess.'),
        ("password1234", "This is a very common password."),
        ("qwertyuiopas", "This is similar to a commonly used password."),
        ("newuser@example.org", "Add another word or two."),
    ],
)
def test_it_refuses_a_weak_password_with_advice(world: World, password: str, advice: str) -> None:
    ada = world.client("ada")
    response = ada.submit(
        "/admin/accounts",
        {
            "email": "newuser@example.org",
            "name": "New User",
            "role": "clinician",
            "password": password,
        },
    )
    assert response.status_code == 400
    text = response.text.replace("&#34;", '"').replace("&quot;", '"')
    assert "is too easy to guess (" in text
    assert advice in text
    with world.db() as db:
        assert db.scalar(select(User).where(User.email == "newuser@example.org")) is None


def test_it_refuses_a_weak_new_password_for_an_account(world: World) -> None:
    ada = world.client("ada")
    response = ada.submit(
        f"/admin/accounts/{world.users['pat'].id}/password", {"password": "aaaaaaaaaaaa"}
    )
    assert response.status_code == 400
    assert "The new password is too easy to guess" in response.text


def test_it_accepts_a_strong_password(world: World) -> None:
    ada = world.client("ada")
    response = ada.submit(
        "/admin/accounts",
        {
            "email": "newuser@example.org",
            "name": "New User",
            "role": "clinician",
            "password": "violet thunder orchard kettle",
        },
    )
    assert response.status_code == 303


def test_it_still_answers_the_headers_on_a_413(tmp_path: Path) -> None:
    settings = make_settings(tmp_path, max_upload_bytes=1024 * 1024)
    migrated_engine(settings)
    client = Client(create_app(settings))
    response = client.post("/login", content=b"x" * (1024 * 1024 + 1))
    assert response.status_code == 413
    assert_security_headers(response)
