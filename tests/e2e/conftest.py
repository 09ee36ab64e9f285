"""End-to-end fixtures: the real ``hipfirst serve`` (with its worker) and headless Chromium.

The server runs in a subprocess on a free localhost port with a temporary
data folder; its first start creates the demo accounts (clinician, patient,
admin with random passwords in ``demo-logins.txt``) and the demo patient's
assessment and programme. The demo video is skipped (``HIPFIRST_SHARED_DATA``
points at an empty folder) so the server starts quickly; the tests upload
the real video themselves. The browser is Debian's Chromium, never a
downloaded one.
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from liveserver import Server

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
REPO_ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = REPO_ROOT / "test-artifacts" / "screenshots"
START_TIMEOUT_S = 180
LOGIN_LINE = re.compile(r"^(\w+)\s+(\S+)\s+password: (\S+)$")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _wait_until_up(url: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"hipfirst serve exited early:\n{log.read_text()}")
        try:
            with urllib.request.urlopen(f"{url}/login", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise RuntimeError(
        f"hipfirst serve did not answer within {START_TIMEOUT_S} s:\n{log.read_text()}"
    )


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    root = tmp_path_factory.mktemp("e2e")
    data_dir, no_videos = root / "data", root / "no-shared-data"
    no_videos.mkdir()
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    env |= {"HIPFIRST_SHARED_DATA": str(no_videos), "HIPFIRST_DATA_DIR": str(data_dir)}
    log = root / "server.log"
    command = [sys.executable, "-c", "from hipfirst.cli import main; main()", "serve"]
    with log.open("wb") as sink:
        process = subprocess.Popen(
            [*command, "--port", str(port), "--data-dir", str(data_dir)],
            env=env,
            stdout=sink,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # Ctrl+C in the terminal reaches pytest, not the server
        )
    try:
        _wait_until_up(url, process, log)
        logins = {}
        for line in (data_dir / "demo-logins.txt").read_text(encoding="utf-8").splitlines():
            found = LOGIN_LINE.match(line.strip())
            if found:
                logins[found.group(1)] = (found.group(2), found.group(3))
        yield Server(url, data_dir, logins)
    finally:
        # SIGINT is what Ctrl+C sends: uvicorn shuts down and serve stops its worker.
        os.killpg(process.pid, signal.SIGINT)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        pytest.skip("Debian's Chromium is not installed (scripts/test-deps.sh installs it)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    """A fresh browser context (no cookies) with a phone-sized window."""
    context = browser.new_context(viewport={"width": 412, "height": 915})
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        yield page
    finally:
        context.close()


@pytest.fixture
def screenshot() -> Callable[[Any, str], None]:
    """Saves a whole page as ``test-artifacts/screenshots/<name>.png`` (git-ignored)."""

    def save(page: Any, name: str) -> None:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)

    return save
