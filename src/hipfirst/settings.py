"""Typed settings of hipfirst (web app, worker and CLI alike) that refuse unsafe values.

Resolution order for each value: explicit argument, then environment
variable, then a safe default. The session-signing secret is never a
built-in default: it is generated on first start and kept in
``<data_dir>/secret_key`` (mode 0600), so sessions survive restarts.

Environment variables (an empty value counts as unset, as for any shell
variable; anything else unclear is refused, never guessed):

* ``HIPFIRST_DATA_DIR``: the data folder (see :func:`default_data_dir`);
* ``DATABASE_URL``: ``sqlite:///…`` or ``postgresql+psycopg://…`` (the scheme is
  checked when the engine is made, :func:`hipfirst.storage.database.make_engine`);
* ``HIPFIRST_SECRET_KEY``: at least 32 characters, known weak values refused;
* ``HIPFIRST_MAX_UPLOAD_MB``: digits only (``20``; not ``20.5``, ``+20``, ``2_0``);
* ``HIPFIRST_SECURE_COOKIES``: ``true`` or ``false`` only (any case; not ``yes``, ``1``);
* ``HIPFIRST_SHARED_DATA``: the shared test data (demo video), default ``../shared/data``
  beside the repository;
* ``HIPFIRST_FORWARDED_ALLOW_IPS``: comma-separated addresses or networks of the reverse
  proxy whose ``X-Forwarded-For``/``-Proto`` headers are believed (``127.0.0.1``,
  ``10.0.0.0/8``); unset, no forwarded header is believed from anyone;
* ``HIPFIRST_CLINIC_NAME`` (up to 100 characters) and ``HIPFIRST_CLINIC_CONTACT`` (up to
  200): printed on the patient handout; one line of printable text each (no control
  characters, no line breaks), surrounding spaces trimmed;
* ``HIPFIRST_POSE_MODEL``: ``full`` or ``heavy``, the BlazePose model video analyses
  are queued with (default: the default of ``hipfirst analyze``, docs/video.md).
* ``HIPFIRST_MIRROR_RUNTIME``: the folder of the npm package ``@mediapipe/pose`` the live
  mirror serves (default: where ``scripts/setup.sh`` puts it in the venv);
  ``HIPFIRST_LIVE_GRACE_S``: seconds a live take waits for its dropped socket (default 60).
"""

from __future__ import annotations

import ipaddress
import math
import os
import re
import secrets
import sys
from collections.abc import Mapping
from pathlib import Path

from pydantic import BaseModel, ConfigDict, SecretStr

from hipfirst.errors import FieldError, InputValidationError
from hipfirst.knowledge.vocabulary import DEFAULT_POSE_MODEL, POSE_MODEL_NAMES, PoseModelName
from hipfirst.storage.database import sqlite_url

SECRET_FILE = "secret_key"
DATABASE_FILE = "hipfirst.db"
MIN_SECRET_LENGTH = 32
WEAK_SECRETS = frozenset({"changethis", "secret", "password", "development", "insecure"})
DEFAULT_MAX_UPLOAD_MB = 500
REPO_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_SHARED_DATA = REPO_ROOT.parent / "shared" / "data"
"""Where a development checkout finds the shared data (``../shared/data``)."""
_DIGITS = re.compile(r"[0-9]+")
DEFAULT_MIRROR_RUNTIME = Path(sys.prefix) / ".hipfirst-npm" / "node_modules" / "@mediapipe" / "pose"
"""Where ``scripts/setup.sh`` puts the npm package ``@mediapipe/pose`` (the live mirror's
browser runtime: pose.js, its wasm and the lite/full/heavy models), inside the venv."""
DEFAULT_CLINIC_NAME = "Your physiotherapy clinic"
DEFAULT_CLINIC_CONTACT = "Ask your physiotherapist for the clinic's phone number and e-mail"
CLINIC_TEXT_LIMITS = {"HIPFIRST_CLINIC_NAME": 100, "HIPFIRST_CLINIC_CONTACT": 200}
"""The longest clinic name and contact line the handout prints (characters)."""


class Settings(BaseModel):
    """Everything the web app and the worker need to know about their environment.

    Login limits count failed sign-ins inside ``login_window_s`` seconds: per
    account and per client address. These are security settings, not
    clinical numbers. ``shared_data_dir`` holds the demo video that the first
    ``hipfirst serve`` analyses (``<shared_data_dir>/videos``).
    """

    model_config = ConfigDict(frozen=True)

    data_dir: Path
    database_url: str
    secret_key: SecretStr
    max_upload_bytes: int = DEFAULT_MAX_UPLOAD_MB * 1024 * 1024
    secure_cookies: bool = False
    session_max_age_s: int = 12 * 3600
    login_limit_per_account: int = 5
    login_limit_per_ip: int = 20
    login_window_s: int = 15 * 60
    shared_data_dir: Path = DEFAULT_SHARED_DATA
    forwarded_allow_ips: tuple[str, ...] = ()
    pose_model: PoseModelName = DEFAULT_POSE_MODEL
    mirror_runtime_dir: Path = DEFAULT_MIRROR_RUNTIME
    live_grace_s: float = 60.0
    """A live take whose socket dropped is kept this long for the page to reconnect."""
    live_max_takes: int = 32
    """Live takes held at once on this server (each one a few MB); more are refused."""
    live_max_fps: int = 60
    """Frames per second one live socket may send; more are answered with an error, unused."""
    clinic_name: str = DEFAULT_CLINIC_NAME
    clinic_contact: str = DEFAULT_CLINIC_CONTACT

    def model_post_init(self, _context: object) -> None:
        errors: list[FieldError] = []
        secret = self.secret_key.get_secret_value()
        if len(secret) < MIN_SECRET_LENGTH or secret.lower() in WEAK_SECRETS:
            errors.append(
                FieldError(
                    "secret_key",
                    f"must be a random string of at least {MIN_SECRET_LENGTH} characters "
                    "(leave HIPFIRST_SECRET_KEY unset to have one generated)",
                )
            )
        for name in ("max_upload_bytes", "session_max_age_s", "login_window_s", "live_grace_s"):
            if getattr(self, name) <= 0:
                errors.append(FieldError(name, "must be greater than 0", getattr(self, name)))
        for name in (
            "login_limit_per_account",
            "login_limit_per_ip",
            "live_max_takes",
            "live_max_fps",
        ):
            if getattr(self, name) < 1:
                errors.append(FieldError(name, "must be at least 1", getattr(self, name)))
        if errors:
            raise InputValidationError("settings", errors)

    @property
    def uses_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")


def default_data_dir(environ: Mapping[str, str] | None = None) -> Path:
    """Where hipfirst keeps its data when --data-dir is not given.

    In order: ``$HIPFIRST_DATA_DIR``, ``$XDG_DATA_HOME/hipfirst``,
    ``~/.local/share/hipfirst``. Nothing is created here; :func:`load_settings` does.
    """
    env = os.environ if environ is None else environ
    if env.get("HIPFIRST_DATA_DIR"):
        return Path(env["HIPFIRST_DATA_DIR"]).expanduser()
    base = env.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base).expanduser() / "hipfirst"


def load_settings(
    data_dir: Path | None = None,
    environ: Mapping[str, str] | None = None,
    **overrides: object,
) -> Settings:
    """Build the settings, creating the data dir and its secret key on first use."""
    env = os.environ if environ is None else environ
    directory = (data_dir or default_data_dir(env)).expanduser().resolve()
    directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    errors: list[FieldError] = []
    values: dict[str, object] = {
        "data_dir": directory,
        "database_url": env.get("DATABASE_URL") or sqlite_url(directory / DATABASE_FILE),
        "secret_key": env.get("HIPFIRST_SECRET_KEY") or _stored_secret(directory),
    }
    if raw := env.get("HIPFIRST_MAX_UPLOAD_MB"):
        if _DIGITS.fullmatch(raw):
            values["max_upload_bytes"] = int(raw) * 1024 * 1024
        else:
            errors.append(
                FieldError("HIPFIRST_MAX_UPLOAD_MB", "must be a whole number of megabytes", raw)
            )
    if raw := env.get("HIPFIRST_SECURE_COOKIES"):
        if raw.lower() not in ("true", "false"):
            errors.append(FieldError("HIPFIRST_SECURE_COOKIES", "must be true or false", raw))
        else:
            values["secure_cookies"] = raw.lower() == "true"
    if raw := env.get("HIPFIRST_SHARED_DATA"):
        values["shared_data_dir"] = Path(raw).expanduser()
    if raw := env.get("HIPFIRST_FORWARDED_ALLOW_IPS"):
        proxies = tuple(part.strip() for part in raw.split(",") if part.strip())
        wrong = [part for part in proxies if not _is_network(part)]
        if wrong or not proxies:
            errors.append(
                FieldError(
                    "HIPFIRST_FORWARDED_ALLOW_IPS",
                    "must be addresses or networks of your reverse proxy, separated by commas "
                    "(such as 127.0.0.1 or 10.0.0.0/8; '*' is not allowed)",
                    raw,
                )
            )
        else:
            values["forwarded_allow_ips"] = proxies
    if raw := env.get("HIPFIRST_POSE_MODEL"):
        if raw in POSE_MODEL_NAMES:
            values["pose_model"] = raw
        else:
            allowed = " or ".join(POSE_MODEL_NAMES)
            errors.append(FieldError("HIPFIRST_POSE_MODEL", f"must be {allowed}", raw))
    if raw := env.get("HIPFIRST_MIRROR_RUNTIME"):
        values["mirror_runtime_dir"] = Path(raw).expanduser()
    if raw := env.get("HIPFIRST_LIVE_GRACE_S"):
        try:
            grace = float(raw)
        except ValueError:
            grace = math.nan
        if math.isfinite(grace):
            values["live_grace_s"] = grace
        else:
            errors.append(
                FieldError("HIPFIRST_LIVE_GRACE_S", "must be a finite number of seconds", raw)
            )
    for variable, key in (
        ("HIPFIRST_CLINIC_NAME", "clinic_name"),
        ("HIPFIRST_CLINIC_CONTACT", "clinic_contact"),
    ):
        if raw := env.get(variable):
            problem = _clinic_text_problem(raw, CLINIC_TEXT_LIMITS[variable])
            if problem:
                errors.append(FieldError(variable, problem, raw))
            else:
                values[key] = raw.strip()
    if errors:
        raise InputValidationError("environment", errors)
    values.update(overrides)
    return Settings.model_validate(values)


def _clinic_text_problem(raw: str, limit: int) -> str | None:
    """Why ``raw`` cannot be printed on the handout as one line, or None."""
    text = raw.strip()
    if not text:
        return "must not be only spaces"
    if any(not character.isprintable() for character in text):
        return "must be one line of printable text (no line breaks or control characters)"
    if len(text) > limit:
        return f"must be at most {limit} characters long (this one has {len(text)})"
    return None


def _is_network(text: str) -> bool:
    try:
        ipaddress.ip_network(text, strict=False)
    except ValueError:
        return False
    return True


def _stored_secret(directory: Path) -> str:
    path = directory / SECRET_FILE
    if path.exists():
        return path.read_text(encoding="utf-8").strip()
    secret = secrets.token_urlsafe(48)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(secret + "\n")
    return secret
