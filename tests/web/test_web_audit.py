"""The audit trail: which file was seen, exports, refusals, sign-ins, account changes, and
the admin's page to read it."""

from __future__ import annotations

from sqlalchemy import select
from test_web_permissions import add_records

from clinic_world import World
from hipfirst.storage import audit
from hipfirst.storage.models import AuditEntry
from hipfirst.web.routes.admin import AUDIT_PAGE_ROWS


def rows(world: World, **where: object) -> list[AuditEntry]:
    with world.db() as db:
        query = select(AuditEntry).order_by(AuditEntry.id)
        for key, value in where.items():
            query = query.where(getattr(AuditEntry, key) == value)
        return list(db.scalars(query).all())


def test_it_records_which_video_file_was_viewed(world: World) -> None:
    records = add_records(world, "pat")
    patient_id = world.patients["pat"].id
    pat = world.client("pat")
    url = f"/patients/{patient_id}/videos/{records['analysis_id']}/files/summary.json"
    assert pat.get(url).status_code == 200
    viewed = rows(world, action="view", patient_id=patient_id)
    assert [(row.user_id, row.what, row.target) for row in viewed] == [
        (
            world.users["pat"].id,
            "GET /patients/{patient_id}/videos/{analysis_id}/files/{name}",
            url,
        )
    ]


def test_it_records_exports_as_exports(world: World) -> None:
    alice = world.client("alice")
    patient_id = world.patients["pat"].id
    alice.get(f"/patients/{patient_id}/export.json")
    alice.get(f"/patients/{patient_id}/export.zip")
    alice.get(f"/patients/{patient_id}/export.json")  # every export counts, even within a minute
    exported = rows(world, action="export")
    assert [row.target for row in exported] == [
        f"/patients/{patient_id}/export.json",
        f"/patients/{patient_id}/export.zip",
        f"/patients/{patient_id}/export.json",
    ]
    assert rows(world, action="view") == []


def test_it_records_refused_attempts(world: World) -> None:
    patient_id = world.patients["pat"].id
    world.client("bob").get(f"/patients/{patient_id}")  # another clinician's patient
    world.client("quinn").get(f"/patients/{patient_id}/today")  # another patient's record
    world.client("ada").get(f"/patients/{patient_id}")  # a role that may not
    world.client("pat").get("/admin/accounts")
    refused = rows(world, action="refused")
    assert [(row.user_id, row.patient_id, row.what) for row in refused] == [
        (world.users["bob"].id, patient_id, "GET /patients/{patient_id}"),
        (world.users["quinn"].id, patient_id, "GET /patients/{patient_id}/today"),
        (world.users["ada"].id, patient_id, "GET /patients/{patient_id}"),
        (world.users["pat"].id, None, "GET /admin/accounts"),
    ]
    assert all(row.ip == "testclient" for row in refused)


def test_it_records_a_form_without_its_token_as_refused(world: World) -> None:
    alice = world.client("alice")
    alice.post("/patients", data={"display_name": "Eve"}, follow_redirects=False)
    refused = rows(world, action="refused")
    assert [(row.what, row.target) for row in refused] == [
        ("POST /patients", "missing or wrong CSRF token")
    ]


def test_it_records_sign_ins_failures_and_sign_outs(world: World) -> None:
    client = world.client()
    client.sign_in("alice@example.org", "not the password")
    client.sign_in("nobody@example.org", "not the password")
    client.sign_in("alice@example.org")
    client.submit("/logout")
    events = [
        (row.action, row.user_id, row.target)
        for row in rows(world)
        if row.action.startswith("sign")
    ]
    alice = world.users["alice"].id
    assert events == [
        ("sign_in_failed", None, "alice@example.org"),
        ("sign_in_failed", None, "nobody@example.org"),
        ("sign_in", alice, "alice@example.org"),
        ("sign_out", alice, "/logout"),
    ]


def test_it_records_a_blocked_sign_in(world: World) -> None:
    client = world.client()
    for _ in range(world.settings.login_limit_per_account + 1):
        client.sign_in("alice@example.org", "wrong password!")
    failed = rows(world, action="sign_in_failed")
    assert failed[-1].target == "alice@example.org (blocked: too many failures)"


def test_it_records_what_an_admin_does_to_accounts(world: World) -> None:
    ada = world.client("ada")
    ada.submit(
        "/admin/accounts",
        {
            "email": "new@example.org",
            "name": "New",
            "role": "patient",
            "password": "violet thunder orchard kettle",
        },
    )
    ada.submit(f"/admin/accounts/{world.users['bob'].id}/active", {"active": "false"})
    ada.submit(
        f"/admin/accounts/{world.users['bob'].id}/password",
        {"password": "amber lantern quiet meadow"},
    )
    changes = [(row.user_id, row.what, row.target) for row in rows(world, action="account")]
    assert changes == [
        (world.users["ada"].id, "create account", "patient new@example.org"),
        (world.users["ada"].id, "deactivate account", "bob@example.org"),
        (world.users["ada"].id, "new password", "bob@example.org"),
    ]


def test_it_shows_the_trail_to_an_admin_filtered(world: World) -> None:
    patient_id = world.patients["pat"].id
    world.client("alice").get(f"/patients/{patient_id}/export.json")
    world.client("bob").get(f"/patients/{patient_id}")
    ada = world.client("ada")
    page = ada.get("/admin/audit")
    assert page.status_code == 200
    assert "<h1>Audit trail</h1>" in page.text
    assert f"/patients/{patient_id}/export.json" in page.text
    assert '<td data-label="Action">export</td>' in page.text
    assert '<td data-label="Action">refused</td>' in page.text
    exports = ada.get("/admin/audit?action=export")
    assert '<td data-label="Action">refused</td>' not in exports.text
    assert '<td data-label="Account">alice@example.org</td>' in exports.text
    bobs = ada.get("/admin/audit?user=bob@example.org")
    assert '<td data-label="Action">export</td>' not in bobs.text
    assert '<td data-label="Action">refused</td>' in bobs.text
    nobody = ada.get("/admin/audit?user=nobody@example.org")
    assert "No audit entries match." in nobody.text
    other = ada.get("/admin/audit?patient=99999999999999999999")
    assert other.status_code == 200


def test_it_pages_through_a_long_trail(world: World) -> None:
    with world.db() as db:
        for number in range(AUDIT_PAGE_ROWS + 5):
            audit.record(db, None, 1, "view", "GET /x", "10.0.0.1", f"/x/{number}")
        db.commit()
    ada = world.client("ada")
    first = ada.get("/admin/audit?action=view")
    assert first.text.count('<td data-label="Action">view</td>') == AUDIT_PAGE_ROWS
    assert "Older entries" in first.text
    link = first.text.split('href="/admin/audit?before=')[1].split("&amp;")[0]
    second = ada.get(f"/admin/audit?before={link}&action=view")
    assert second.text.count('<td data-label="Action">view</td>') == 5
    assert "Older entries" not in second.text
