"""What ``hipfirst serve`` tells uvicorn: forwarded headers only from configured proxies,
and demo passwords printed on the first start only.

The forwarded-address rule is checked on a real uvicorn server on a loopback port:
a client that sends ``X-Forwarded-For`` itself cannot change the address the
sign-in limit counts, unless the operator named the proxy it comes through.
"""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn
from sqlalchemy import select
from typer.testing import CliRunner

from clinic_world import CSRF_INPUT, build_world, close_world, make_settings
from hipfirst.cli import app as cli_app
from hipfirst.cli import commands as _commands  # noqa: F401  (registers commands)
from hipfirst.cli import serve as serve_module
from hipfirst.errors import InputValidationError
from hipfirst.settings import Settings, load_settings
from hipfirst.storage.models import LoginAttempt

FORWARDED = "HIPFIRST_FORWARDED_ALLOW_IPS"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextlib.contextmanager
def running(settings: Settings) -> Iterator[str]:
    """The app on a real uvicorn server with ``serve``'s options, on 127.0.0.1."""
    world = build_world(settings)
    port = free_port()
    options = serve_module.uvicorn_options(settings, "127.0.0.1", port)
    server = uvicorn.Server(uvicorn.Config(world.app, **{**options, "log_level": "warning"}))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        assert time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=30)
        close_world(world)


def failed_sign_ins(base: str, forwarded_for: list[str]) -> list[int]:
    statuses = []
    with httpx.Client(base_url=base) as browser:
        for address in forwarded_for:
            page = browser.get("/login")
            token = CSRF_INPUT.search(page.text)
            assert token is not None
            response = browser.post(
                "/login",
                data={"email": "x@example.org", "password": "wrong", "csrf_token": token.group(1)},
                headers={"X-Forwarded-For": address},
            )
            statuses.append(response.status_code)
    return statuses


def recorded_addresses(settings: Settings) -> list[str]:
    from hipfirst.storage.database import make_engine, make_sessionmaker

    engine = make_engine(settings.database_url)
    with make_sessionmaker(engine)() as db:
        found = list(db.scalars(select(LoginAttempt.ip).order_by(LoginAttempt.id)).all())
    engine.dispose()
    return found


def test_it_ignores_forwarded_for_unless_a_proxy_is_configured(tmp_path: Path) -> None:
    settings = make_settings(tmp_path, login_limit_per_ip=3)
    assert settings.forwarded_allow_ips == ()
    with running(settings) as base:
        statuses = failed_sign_ins(base, ["203.0.113.1", "203.0.113.2", "203.0.113.3", "9.9.9.9"])
    assert statuses == [400, 400, 400, 429]  # a new made-up address does not reset the limit
    assert recorded_addresses(settings) == ["127.0.0.1"] * 3


def test_it_believes_forwarded_for_from_a_configured_proxy(tmp_path: Path) -> None:
    settings = load_settings(tmp_path / "data", environ={FORWARDED: "127.0.0.1"})
    assert settings.forwarded_allow_ips == ("127.0.0.1",)
    with running(settings) as base:
        assert failed_sign_ins(base, ["203.0.113.1", "203.0.113.2"]) == [400, 400]
    assert recorded_addresses(settings) == ["203.0.113.1", "203.0.113.2"]


def test_it_passes_proxy_headers_to_uvicorn_only_when_configured(tmp_path: Path) -> None:
    plain = serve_module.uvicorn_options(make_settings(tmp_path), "127.0.0.1", 8000)
    assert (plain["proxy_headers"], plain["forwarded_allow_ips"]) == (False, None)
    proxied = load_settings(tmp_path / "d2", environ={FORWARDED: "127.0.0.1, 10.0.0.0/8"})
    options = serve_module.uvicorn_options(proxied, "0.0.0.0", 8000)
    assert (options["proxy_headers"], options["forwarded_allow_ips"]) == (
        True,
        "127.0.0.1,10.0.0.0/8",
    )


@pytest.mark.parametrize("raw", ["*", "proxy.local", "127.0.0.1,,nonsense", " , "])
def test_it_refuses_an_unclear_proxy_setting(tmp_path: Path, raw: str) -> None:
    with pytest.raises(InputValidationError) as caught:
        load_settings(tmp_path / "data", environ={FORWARDED: raw})
    assert str(caught.value.errors[0]).startswith(
        "HIPFIRST_FORWARDED_ALLOW_IPS: must be addresses or networks of your reverse proxy"
    )


def test_it_prints_the_demo_passwords_on_the_first_start_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The shell alone: uvicorn and the worker are replaced, the rest is real."""
    calls: list[dict[str, Any]] = []
    monkeypatch.setattr(uvicorn, "run", lambda _app, **kwargs: calls.append(kwargs))

    @contextlib.contextmanager
    def no_worker(*_args: object, **_kwargs: object) -> Iterator[None]:
        yield None

    monkeypatch.setattr(serve_module, "worker_alongside", no_worker)
    env = {"HIPFIRST_SHARED_DATA": str(tmp_path / "none"), "COLUMNS": "200"}
    runner = CliRunner()
    data = tmp_path / "data"
    first = runner.invoke(cli_app, ["serve", "--data-dir", str(data)], env=env)
    assert first.exit_code == 0, first.output
    password_lines = [line for line in first.output.splitlines() if "password:" in line]
    assert len(password_lines) == 3
    second = runner.invoke(cli_app, ["serve", "--data-dir", str(data)], env=env)
    assert second.exit_code == 0, second.output
    assert "password" not in second.output
    expected = f"Demo logins: see {data.resolve() / 'demo-logins.txt'}"
    assert expected in "".join(second.output.splitlines())  # Rich wraps long paths
    assert (data / "demo-logins.txt").read_text("utf-8").count("password:") == 3
    assert calls[0] == {
        "host": "127.0.0.1",
        "port": 8000,
        "log_level": "info",
        "proxy_headers": False,
        "forwarded_allow_ips": None,
        "server_header": False,
    }
