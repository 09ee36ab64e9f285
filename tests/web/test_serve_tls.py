"""``hipfirst serve --ssl-certfile/--ssl-keyfile``: https for the live mirror on a phone."""

from __future__ import annotations

import os
import signal
import socket
import ssl
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from hipfirst.cli.serve import tls_options
from hipfirst.errors import InputValidationError


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def test_it_wants_the_certificate_and_its_key_together(tmp_path: Path) -> None:
    assert tls_options(None, None) == {}
    with pytest.raises(InputValidationError) as refused:
        tls_options(tmp_path / "cert.pem", None)
    assert [(e.location, e.message) for e in refused.value.errors] == [
        ("--ssl-keyfile", "give the certificate and its key together"),
        ("--ssl-certfile", "no such file"),
    ]


def test_it_serves_https_with_a_certificate_and_key(tmp_path: Path) -> None:
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "1",
            "-subj",
            "/CN=127.0.0.1",
            "-addext",
            "subjectAltName=IP:127.0.0.1",
            "-keyout",
            str(key),
            "-out",
            str(cert),
        ],
        check=True,
        capture_output=True,
    )
    port = _free_port()
    env = {**os.environ, "HIPFIRST_SHARED_DATA": str(tmp_path / "none"), "COLUMNS": "200"}
    env.pop("DATABASE_URL", None)
    command = [sys.executable, "-c", "from hipfirst.cli import main; main()", "serve"]
    command += ["--port", str(port), "--data-dir", str(tmp_path / "data")]
    command += ["--ssl-certfile", str(cert), "--ssl-keyfile", str(key)]
    process = subprocess.Popen(
        command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    try:
        deadline = time.monotonic() + 120
        while True:
            assert process.poll() is None, process.communicate()[0]
            try:
                page = httpx.get(
                    f"https://127.0.0.1:{port}/login",
                    verify=ssl.create_default_context(cafile=str(cert)),
                )
                break
            except httpx.TransportError:
                assert time.monotonic() < deadline, "hipfirst serve did not start"
                time.sleep(0.5)
        assert page.status_code == 200
        assert "strict-transport-security" in page.headers
    finally:
        process.send_signal(signal.SIGTERM)
        output = process.communicate(timeout=60)[0]
    assert f"hipfirst at https://127.0.0.1:{port}" in output
