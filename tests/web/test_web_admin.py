"""Account management by admins: create, validate, deactivate, reactivate."""

from __future__ import annotations

from sqlalchemy import select

from clinic_world import World
from hipfirst.storage.models import Role, User


def test_it_lists_accounts_without_any_clinical_data(world: World) -> None:
    page = world.client("ada").get("/admin/accounts")
    assert page.status_code == 200
    for persona in ("alice", "bob", "pat", "quinn", "ada"):
        assert f"{persona}@example.org" in page.text
    assert "Patients" not in page.text.split("<main>")[1]


def test_it_creates_a_clinician_account_that_can_sign_in(world: World) -> None:
    ada = world.client("ada")
    response = ada.submit(
        "/admin/accounts",
        {
            "email": " Carol@Example.org ",
            "name": "Carol New",
            "role": "clinician",
            "password": "a long first password",
        },
    )
    assert (response.status_code, response.headers["location"]) == (303, "/admin/accounts")
    assert "Created the clinician account carol@example.org." in ada.get("/admin/accounts").text
    with world.db() as db:
        carol = db.scalar(select(User).where(User.email == "carol@example.org"))
    assert carol is not None and carol.role is Role.clinician and carol.active
    login = world.client().sign_in("carol@example.org", "a long first password")
    assert login.headers["location"] == "/patients"


def test_it_reports_every_problem_next_to_its_field_and_keeps_what_was_typed(
    world: World,
) -> None:
    response = world.client("ada").submit(
        "/admin/accounts",
        {"email": "alice@example.org", "name": "", "role": "doctor", "password": "short"},
    )
    assert response.status_code == 400
    text = response.text
    assert "an account with alice@example.org already exists" in text
    assert "must be 1 to 120 characters" in text
    assert "&#39;doctor&#39; is not a role; choose one of clinician, patient, admin" in text
    assert "must be at least 12 characters long" in text
    assert 'value="alice@example.org"' in text
    assert 'value="short"' not in text


def test_it_rejects_a_malformed_email(world: World) -> None:
    response = world.client("ada").submit(
        "/admin/accounts",
        {"email": "nobody", "name": "N", "role": "patient", "password": "a long first password"},
    )
    assert "&#39;nobody&#39; is not an e-mail address (name@example.org)" in response.text


def test_it_deactivates_and_reactivates_an_account(world: World) -> None:
    ada = world.client("ada")
    alice_id = world.users["alice"].id
    response = ada.submit(f"/admin/accounts/{alice_id}/active", {"active": "false"})
    assert response.status_code == 303
    assert "alice@example.org deactivated." in ada.get("/admin/accounts").text
    assert world.client().sign_in("alice@example.org").status_code == 400
    ada.submit(f"/admin/accounts/{alice_id}/active", {"active": "true"})
    assert world.client().sign_in("alice@example.org").status_code == 303


def test_it_does_not_let_an_admin_lock_themselves_out(world: World) -> None:
    ada = world.client("ada")
    response = ada.submit(f"/admin/accounts/{world.users['ada'].id}/active", {"active": "false"})
    assert response.status_code == 400
    assert "You cannot deactivate your own account." in response.text


def test_it_answers_404_for_an_unknown_account_and_400_for_a_bad_value(world: World) -> None:
    ada = world.client("ada")
    assert ada.submit("/admin/accounts/999999/active", {"active": "false"}).status_code == 404
    bad = ada.submit(f"/admin/accounts/{world.users['bob'].id}/active", {"active": "maybe"})
    assert bad.status_code == 400
    assert "active must be true or false." in bad.text


def test_it_sets_a_new_password_and_forgives_failed_sign_ins(world: World) -> None:
    for _ in range(world.settings.login_limit_per_account):
        world.client().sign_in("bob@example.org", "forgotten password")
    assert world.client().sign_in("bob@example.org").status_code == 429
    ada = world.client("ada")
    bob_id = world.users["bob"].id
    short = ada.submit(f"/admin/accounts/{bob_id}/password", {"password": "short"})
    assert short.status_code == 400
    assert "The new password must be at least 12 characters long." in short.text
    done = ada.submit(f"/admin/accounts/{bob_id}/password", {"password": "a brand new secret"})
    assert done.status_code == 303
    page = ada.get("/admin/accounts").text
    assert "New password set for bob@example.org; give it to them in a safe way." in page
    assert world.client().sign_in("bob@example.org", "a brand new secret").status_code == 303
    assert world.client().sign_in("bob@example.org").status_code == 400
