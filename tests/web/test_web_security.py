"""CSRF protection, security headers, the upload size guard and the no-inline-code rule."""

from __future__ import annotations

import asyncio
import re
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from sqlalchemy import func, select
from starlette.types import Message, Receive, Scope, Send

from clinic_world import Client, World, make_settings, migrated_engine
from hipfirst.storage.models import Patient
from hipfirst.web.app import create_app
from hipfirst.web.headers import CONTENT_SECURITY_POLICY, BodySizeLimitMiddleware
from hipfirst.web.templating import TEMPLATES_DIR

CSRF_MESSAGE = (
    "This form has expired or did not come from hipfirst (missing or wrong security token). "
    "Reload the page and try again."
)


def patient_count(world: World) -> int:
    with world.db() as db:
        return db.scalar(select(func.count()).select_from(Patient)) or 0


def test_it_rejects_a_form_without_the_csrf_token(world: World) -> None:
    alice = world.client("alice")
    before = patient_count(world)
    response = alice.post("/patients", data={"display_name": "Eve"}, follow_redirects=False)
    assert response.status_code == 403
    assert CSRF_MESSAGE in response.text
    assert patient_count(world) == before


def test_it_rejects_a_token_from_another_session(world: World) -> None:
    alice = world.client("alice")
    stolen = world.client("bob").csrf()
    response = alice.post(
        "/patients", data={"display_name": "Eve", "csrf_token": stolen}, follow_redirects=False
    )
    assert response.status_code == 403


def test_it_rejects_sign_in_without_the_csrf_token(world: World) -> None:
    response = world.client().post(
        "/login", data={"email": "alice@example.org", "password": "x"}, follow_redirects=False
    )
    assert response.status_code == 403


def test_it_accepts_the_token_as_an_htmx_header(world: World) -> None:
    alice = world.client("alice")
    response = alice.post(
        "/patients",
        data={"display_name": "Eve"},
        headers={"X-CSRF-Token": alice.csrf(), "HX-Request": "true"},
        follow_redirects=False,
    )
    assert response.status_code == 303


def test_it_puts_the_htmx_csrf_header_on_every_page(world: World) -> None:
    alice = world.client("alice")
    page = alice.get("/patients")
    token = alice.csrf()
    assert f'hx-headers=\'{{"X-CSRF-Token": "{token}"}}\'' in page.text


def test_it_sends_security_headers_on_every_response(world: World) -> None:
    alice = world.client("alice")
    responses = [
        alice.get("/patients"),
        alice.get("/patients/999999"),
        alice.get("/static/style.css"),
        world.client().get("/login"),
        world.client().get("/patients", follow_redirects=False),
    ]
    for response in responses:
        assert response.headers["content-security-policy"] == CONTENT_SECURITY_POLICY
        assert response.headers["x-content-type-options"] == "nosniff"
        assert response.headers["x-frame-options"] == "DENY"
        assert response.headers["referrer-policy"] == "same-origin"
    assert "frame-ancestors 'none'" in CONTENT_SECURITY_POLICY
    assert "script-src 'self';" in CONTENT_SECURITY_POLICY
    assert "'unsafe-inline'" not in CONTENT_SECURITY_POLICY


def test_it_has_no_inline_scripts_styles_or_handlers_in_templates() -> None:
    inline = re.compile(r"<script(?![^>]*\bsrc=)|<style|\sstyle=|\son[a-z]+=", re.IGNORECASE)
    offenders = [
        f"{path.relative_to(TEMPLATES_DIR)}: {match.group(0)!r}"
        for path in TEMPLATES_DIR.rglob("*.html")
        for match in inline.finditer(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []


def test_it_serves_htmx_from_the_app_itself(world: World) -> None:
    page = world.client().get("/login")
    assert '<script src="/static/htmx.min.js" defer></script>' in page.text
    script = world.client().get("/static/htmx.min.js")
    assert script.status_code == 200
    assert script.text.startswith("var htmx=function()")


def test_it_refuses_a_request_body_over_the_size_limit(tmp_path: Path) -> None:
    settings = make_settings(tmp_path, max_upload_bytes=1024 * 1024)
    migrated_engine(settings)
    client = Client(create_app(settings))
    token = client.csrf()
    big = b"x" * (1024 * 1024 + 1)
    response = client.post(
        "/login", files={"video": ("a.mp4", big, "video/mp4")}, data={"csrf_token": token}
    )
    assert response.status_code == 413
    assert response.text == "Upload too large: the limit is 1 MB."
    assert response.headers["x-content-type-options"] == "nosniff"


def test_it_counts_a_body_sent_without_a_length() -> None:
    """A chunked body declares no length; the guard counts what arrives instead."""

    async def reader(scope: Scope, receive: Receive, send: Send) -> None:
        while (await receive()).get("more_body"):
            pass
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"read it all"})

    def run(chunks: list[bytes]) -> list[Message]:
        incoming = [
            {"type": "http.request", "body": chunk, "more_body": i < len(chunks) - 1}
            for i, chunk in enumerate(chunks)
        ]
        sent: list[Message] = []

        async def receive() -> Message:
            return incoming.pop(0)

        async def send(message: Message) -> None:
            sent.append(message)

        guard = BodySizeLimitMiddleware(reader, limit=1024 * 1024)
        # A thread of its own: another test's event loop (Playwright's sync API)
        # may still be running on this one.
        with ThreadPoolExecutor(max_workers=1) as pool:
            pool.submit(asyncio.run, guard({"type": "http", "headers": []}, receive, send)).result()
        return sent

    assert run([b"x" * 512 * 1024] * 3)[0]["status"] == 413
    assert run([b"x" * 512 * 1024] * 2)[0]["status"] == 200
