"""A throw-away PostgreSQL server for the tests marked ``postgres`` (a fixture module).

A conftest that needs it imports the fixtures: ``from postgres_server import
postgres_server, postgres_url``. Without Debian's server binaries
(``bash scripts/test-deps.sh`` installs them) those tests are skipped.
"""

from __future__ import annotations

import os
import pwd
import re
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text

from hipfirst.storage.database import make_engine


def postgres_bin() -> Path | None:
    """The newest Debian PostgreSQL server binaries, or None when not installed."""
    found = sorted(
        Path("/usr/lib/postgresql").glob("*/bin/initdb"), key=lambda p: p.parent.parent.name
    )
    if found:
        return found[-1].parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def postgres_server() -> Iterator[str]:
    """A throw-away PostgreSQL server in a temp dir on a free port, stopped afterwards.

    PostgreSQL refuses to run as root, so as root the server runs as the
    ``postgres`` OS user that Debian's package creates, in a folder under the
    system temp dir (pytest's own temp folders are private to root).
    """
    binaries = postgres_bin()
    if binaries is None:
        pytest.skip(
            "PostgreSQL server binaries not installed (bash scripts/test-deps.sh installs them)"
        )
    root = Path(tempfile.mkdtemp(prefix="hipfirst-pg-"))
    data, sockets = root / "data", root / "run"
    sockets.mkdir()
    as_user: list[str] = []
    if os.geteuid() == 0:
        postgres = pwd.getpwnam("postgres")
        for path in (root, sockets):
            os.chown(path, postgres.pw_uid, postgres.pw_gid)
        as_user = ["runuser", "-u", "postgres", "--"]
    port = free_port()

    def run(*args: str) -> None:
        done = subprocess.run([*as_user, *args], capture_output=True, text=True, cwd=root)
        assert done.returncode == 0, f"{args[0]} failed:\n{done.stdout}\n{done.stderr}"

    run(str(binaries / "initdb"), "-D", str(data), "-U", "postgres", "--auth=trust", "-E", "UTF8")
    options = f"-p {port} -k {sockets} -c listen_addresses=127.0.0.1 -c fsync=off"
    run(
        str(binaries / "pg_ctl"),
        "-D",
        str(data),
        "-o",
        options,
        "-l",
        str(root / "log"),
        "-w",
        "start",
    )
    try:
        yield f"postgresql+psycopg://postgres@127.0.0.1:{port}"
    finally:
        run(str(binaries / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop")
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture
def postgres_url(postgres_server: str, request: pytest.FixtureRequest) -> Iterator[str]:
    """A new, empty database on the throw-away server for one test."""
    name = "t_" + re.sub(r"\W", "_", request.node.name)[:50].lower()
    admin = make_engine(f"{postgres_server}/postgres").execution_options(
        isolation_level="AUTOCOMMIT"
    )
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    yield f"{postgres_server}/{name}"
