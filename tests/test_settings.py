"""Settings: safe defaults, a generated secret kept in the data dir, unsafe values refused."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest
from pydantic import SecretStr

from hipfirst.errors import InputValidationError
from hipfirst.settings import Settings, default_data_dir, load_settings


def test_it_generates_a_secret_once_and_keeps_it_private(tmp_path: Path) -> None:
    data = tmp_path / "data"
    first = load_settings(data, environ={})
    again = load_settings(data, environ={})
    secret_file = data / "secret_key"
    assert first.secret_key.get_secret_value() == again.secret_key.get_secret_value()
    assert len(first.secret_key.get_secret_value()) >= 32
    assert stat.S_IMODE(secret_file.stat().st_mode) == 0o600
    assert stat.S_IMODE(data.stat().st_mode) == 0o700
    other = load_settings(tmp_path / "other", environ={})
    assert other.secret_key.get_secret_value() != first.secret_key.get_secret_value()


def test_it_has_safe_defaults(tmp_path: Path) -> None:
    settings = load_settings(tmp_path, environ={})
    assert settings.max_upload_bytes == 500 * 1024 * 1024
    assert settings.secure_cookies is False
    assert settings.database_url == f"sqlite:///{tmp_path.resolve() / 'hipfirst.db'}"
    assert settings.uses_sqlite


def test_it_never_shows_the_secret(tmp_path: Path) -> None:
    settings = load_settings(tmp_path, environ={})
    assert settings.secret_key.get_secret_value() not in repr(settings)


def test_it_reads_the_environment(tmp_path: Path) -> None:
    settings = load_settings(
        tmp_path,
        environ={
            "DATABASE_URL": "postgresql+psycopg://u@db/hipfirst",
            "HIPFIRST_SECRET_KEY": "k" * 40,
            "HIPFIRST_MAX_UPLOAD_MB": "20",
            "HIPFIRST_SECURE_COOKIES": "true",
        },
    )
    assert settings.database_url == "postgresql+psycopg://u@db/hipfirst"
    assert settings.secret_key.get_secret_value() == "k" * 40
    assert settings.max_upload_bytes == 20 * 1024 * 1024
    assert settings.secure_cookies is True
    assert not (tmp_path / "secret_key").exists()


def test_it_refuses_unclear_environment_values_all_at_once(tmp_path: Path) -> None:
    with pytest.raises(InputValidationError) as caught:
        load_settings(
            tmp_path,
            environ={"HIPFIRST_MAX_UPLOAD_MB": "lots", "HIPFIRST_SECURE_COOKIES": "yes"},
        )
    assert str(caught.value) == (
        "environment: 2 errors\n"
        "  - HIPFIRST_MAX_UPLOAD_MB: must be a whole number of megabytes (got 'lots')\n"
        "  - HIPFIRST_SECURE_COOKIES: must be true or false (got 'yes')"
    )


@pytest.mark.parametrize("weak", ["changethis", "short", "secret"])
def test_it_refuses_a_weak_secret(tmp_path: Path, weak: str) -> None:
    with pytest.raises(
        InputValidationError, match="secret_key: must be a random string of at least 32"
    ):
        load_settings(tmp_path, environ={"HIPFIRST_SECRET_KEY": weak})


def test_it_refuses_limits_that_would_lock_everyone_out(tmp_path: Path) -> None:
    with pytest.raises(InputValidationError) as caught:
        Settings(
            data_dir=tmp_path,
            database_url="sqlite://",
            secret_key=SecretStr("s" * 40),
            max_upload_bytes=0,
            login_limit_per_ip=0,
        )
    assert [error.location for error in caught.value.errors] == [
        "max_upload_bytes",
        "login_limit_per_ip",
    ]
    assert str(caught.value.errors[0]) == "max_upload_bytes: must be greater than 0 (got 0)"


def test_it_finds_the_users_data_folder() -> None:
    assert default_data_dir({"HIPFIRST_DATA_DIR": "/srv/hip"}) == Path("/srv/hip")
    assert default_data_dir({"XDG_DATA_HOME": "/x/share"}) == Path("/x/share/hipfirst")
    assert default_data_dir({}) == Path.home() / ".local" / "share" / "hipfirst"


@pytest.mark.parametrize("raw", ["20.5", "+20", "-5", "2_0", " 20", "20 MB", "２０", "lots"])
def test_it_takes_the_upload_limit_as_digits_only(tmp_path: Path, raw: str) -> None:
    with pytest.raises(InputValidationError) as caught:
        load_settings(tmp_path, environ={"HIPFIRST_MAX_UPLOAD_MB": raw})
    assert [str(error) for error in caught.value.errors] == [
        f"HIPFIRST_MAX_UPLOAD_MB: must be a whole number of megabytes (got {raw!r})"
    ]


@pytest.mark.parametrize("raw", ["yes", "no", "1", "0", "on", "t", " true"])
def test_it_takes_secure_cookies_as_true_or_false_only(tmp_path: Path, raw: str) -> None:
    with pytest.raises(InputValidationError) as caught:
        load_settings(tmp_path, environ={"HIPFIRST_SECURE_COOKIES": raw})
    assert [str(error) for error in caught.value.errors] == [
        f"HIPFIRST_SECURE_COOKIES: must be true or false (got {raw!r})"
    ]


def test_it_reads_true_and_false_in_any_case(tmp_path: Path) -> None:
    assert load_settings(tmp_path, environ={"HIPFIRST_SECURE_COOKIES": "TRUE"}).secure_cookies
    assert not load_settings(tmp_path, environ={"HIPFIRST_SECURE_COOKIES": "False"}).secure_cookies


def test_it_counts_an_empty_variable_as_unset(tmp_path: Path) -> None:
    settings = load_settings(
        tmp_path,
        environ={
            "DATABASE_URL": "",
            "HIPFIRST_SECRET_KEY": "",
            "HIPFIRST_MAX_UPLOAD_MB": "",
            "HIPFIRST_SECURE_COOKIES": "",
            "HIPFIRST_SHARED_DATA": "",
        },
    )
    defaults = load_settings(tmp_path, environ={})
    assert settings == defaults
    assert settings.max_upload_bytes == 500 * 1024 * 1024


def test_it_finds_the_shared_data_beside_the_repository_or_where_told(tmp_path: Path) -> None:
    repository = Path(__file__).resolve().parents[1]
    default = load_settings(tmp_path, environ={})
    assert default.shared_data_dir == repository.parent / "shared" / "data"
    told = load_settings(tmp_path, environ={"HIPFIRST_SHARED_DATA": "/srv/shared"})
    assert told.shared_data_dir == Path("/srv/shared")


def test_it_has_no_default_for_a_secret() -> None:
    required = {name for name, field in Settings.model_fields.items() if field.is_required()}
    assert {"secret_key", "database_url", "data_dir"} <= required


def test_it_reads_the_pose_model_for_the_analyses_it_queues(tmp_path: Path) -> None:
    assert load_settings(tmp_path, environ={}).pose_model == "full"
    assert load_settings(tmp_path, environ={"HIPFIRST_POSE_MODEL": "heavy"}).pose_model == "heavy"
    with pytest.raises(InputValidationError) as caught:
        load_settings(tmp_path, environ={"HIPFIRST_POSE_MODEL": "Heavy"})
    assert str(caught.value) == (
        "environment: 1 error\n  - HIPFIRST_POSE_MODEL: must be full or heavy (got 'Heavy')"
    )


def test_it_prints_a_sensible_clinic_on_the_handout_by_default(tmp_path: Path) -> None:
    settings = load_settings(tmp_path, environ={})
    assert settings.clinic_name == "Your physiotherapy clinic"
    assert settings.clinic_contact == (
        "Ask your physiotherapist for the clinic's phone number and e-mail"
    )


def test_it_reads_the_clinic_name_and_contact_trimmed(tmp_path: Path) -> None:
    settings = load_settings(
        tmp_path,
        environ={
            "HIPFIRST_CLINIC_NAME": "  Riverside Physio ",
            "HIPFIRST_CLINIC_CONTACT": "020 7946 0000 · desk@riverside.example",
        },
    )
    assert settings.clinic_name == "Riverside Physio"
    assert settings.clinic_contact == "020 7946 0000 · desk@riverside.example"


def test_it_refuses_clinic_text_that_cannot_be_printed_as_one_line(tmp_path: Path) -> None:
    with pytest.raises(InputValidationError) as caught:
        load_settings(
            tmp_path,
            environ={"HIPFIRST_CLINIC_NAME": "x" * 101, "HIPFIRST_CLINIC_CONTACT": "020\n7946"},
        )
    assert str(caught.value) == (
        "environment: 2 errors\n"
        "  - HIPFIRST_CLINIC_NAME: must be at most 100 characters long (this one has 101) "
        f"(got '{'x' * 101}')\n"
        "  - HIPFIRST_CLINIC_CONTACT: must be one line of printable text (no line breaks or "
        "control characters) (got '020\\n7946')"
    )
    with pytest.raises(InputValidationError, match="HIPFIRST_CLINIC_NAME: must not be only spaces"):
        load_settings(tmp_path, environ={"HIPFIRST_CLINIC_NAME": "   "})


def test_it_refuses_a_live_grace_period_that_is_not_a_finite_number(tmp_path: Path) -> None:
    assert load_settings(tmp_path, environ={"HIPFIRST_LIVE_GRACE_S": "30"}).live_grace_s == 30.0
    for raw in ("nan", "inf", "soon"):
        with pytest.raises(InputValidationError) as caught:
            load_settings(tmp_path, environ={"HIPFIRST_LIVE_GRACE_S": raw})
        assert str(caught.value) == (
            "environment: 1 error\n  - HIPFIRST_LIVE_GRACE_S: must be a finite number of "
            f"seconds (got '{raw}')"
        )
