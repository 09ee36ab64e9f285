"""HTMX conventions: fragments for HTMX requests, and a sign-in redirect HTMX can follow."""

from __future__ import annotations

from clinic_world import World


def test_it_answers_an_htmx_request_with_the_fragment_only(world: World) -> None:
    alice = world.client("alice")
    full = alice.get("/patients/999999")
    fragment = alice.get("/patients/999999", headers={"HX-Request": "true"})
    assert full.status_code == fragment.status_code == 404
    assert full.text.startswith("<!doctype html>")
    assert "<html" not in fragment.text and "<header" not in fragment.text
    assert "<h1>Not found</h1>" in fragment.text
    assert "<p>No such patient.</p>" in fragment.text


def test_it_tells_htmx_where_to_sign_in(world: World) -> None:
    response = world.client().get(
        "/patients?page=2", headers={"HX-Request": "true"}, follow_redirects=False
    )
    assert response.status_code == 401
    assert response.headers["HX-Redirect"] == "/login?next=/patients%3Fpage%3D2"


def test_it_brings_a_signed_in_user_back_after_an_expired_session(world: World) -> None:
    client = world.client()
    redirect = client.get("/patients?page=2", follow_redirects=False)
    assert redirect.headers["location"] == "/login?next=/patients%3Fpage%3D2"
    form = client.get(redirect.headers["location"])
    assert 'name="next" value="/patients?page=2"' in form.text
