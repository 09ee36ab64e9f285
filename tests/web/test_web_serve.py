"""``hipfirst db`` and ``hipfirst serve`` end to end, and the demo data of a first start."""

from __future__ import annotations

import os
import re
import signal
import socket
import stat
import subprocess
import sys
import time
from pathlib import Path

import httpx
import psutil
import pytest
from sqlalchemy import func, select, text
from typer.testing import CliRunner

from hipfirst.application.demo import DEMO_VIDEO, demo_logins, seed_demo
from hipfirst.application.passwords import verify_password
from hipfirst.cli import app
from hipfirst.cli import commands as _commands  # noqa: F401  (registers commands)
from hipfirst.settings import load_settings
from hipfirst.storage.database import make_engine, make_sessionmaker
from hipfirst.storage.migrate import head_revision, upgrade
from hipfirst.storage.models import (
    Assessment,
    JobStatus,
    Patient,
    Programme,
    Role,
    User,
    VideoAnalysis,
)

runner = CliRunner()
LOGIN_LINE = re.compile(r"^\s*(\w+)\s+(\S+@\S+)\s+password: (\S+)$")


def flat(output: str) -> str:
    """The output as one line: Rich wraps long lines at the terminal width."""
    return " ".join(output.split())


def test_it_upgrades_and_reports_the_schema(tmp_path: Path) -> None:
    data = str(tmp_path / "data")
    before = runner.invoke(app, ["db", "current", "--data-dir", data])
    assert before.exit_code == 0
    head = head_revision()
    assert f"Database revision none (empty); newest {head}; out of date" in flat(before.output)
    upgraded = runner.invoke(app, ["db", "upgrade", "--data-dir", data])
    assert upgraded.exit_code == 0
    assert flat(upgraded.output) == f"Database upgraded from empty to {head}."
    again = runner.invoke(app, ["db", "upgrade", "--data-dir", data])
    assert flat(again.output) == f"Database already at the newest revision {head}."
    after = runner.invoke(app, ["db", "current", "--data-dir", data])
    assert f"Database revision {head}; newest {head}; up to date." in flat(after.output)


def test_it_upgrades_a_schema_at_an_older_revision_and_refuses_it_until_then(
    tmp_path: Path,
) -> None:
    data = tmp_path / "data"
    engine = make_engine(load_settings(data, environ={}).database_url)
    upgrade(engine, "0001")
    engine.dispose()
    head = head_revision()
    current = runner.invoke(app, ["db", "current", "--data-dir", str(data)])
    assert flat(current.output) == (
        f"Database revision 0001; newest {head}; out of date: run `hipfirst db upgrade`."
    )
    for command in (["serve"], ["worker"]):
        refused = runner.invoke(app, [*command, "--data-dir", str(data)])
        assert refused.exit_code == 1
        message = (
            f"Failed: the database sqlite:///{data.resolve() / 'hipfirst.db'} is at revision "
            f"0001, older than this version of hipfirst needs ({head}). Run `hipfirst db "
            "upgrade` (with the same --data-dir or DATABASE_URL), then start again."
        )
        # Rich may wrap a long path anywhere, even inside a word: compare without spaces
        assert "".join(refused.output.split()) == "".join(message.split())
    upgraded = runner.invoke(app, ["db", "upgrade", "--data-dir", str(data)])
    assert flat(upgraded.output) == f"Database upgraded from 0001 to {head}."


def test_it_refuses_an_unusable_database_url_with_exit_code_2(tmp_path: Path) -> None:
    result = runner.invoke(
        app,
        ["db", "upgrade", "--data-dir", str(tmp_path)],
        env={"DATABASE_URL": "mysql://localhost/x"},
    )
    assert result.exit_code == 2
    assert "unsupported scheme 'mysql'" in flat(result.output)
    assert "Traceback" not in result.output


def test_it_will_not_serve_a_database_it_cannot_read(tmp_path: Path) -> None:
    data = tmp_path / "data"
    settings = load_settings(data, environ={})
    engine = make_engine(settings.database_url)
    upgrade(engine)
    with engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = 'ffff'"))
    for command in (["serve"], ["db", "upgrade"]):
        result = runner.invoke(app, [*command, "--data-dir", str(data)])
        output = flat(result.output)
        assert result.exit_code == 1
        assert "Failed: the database" in output
        assert "is at revision ffff, which this version of hipfirst does not know" in output
        assert "Traceback" not in output


def test_it_seeds_demo_accounts_and_a_patient_through_the_engine(tmp_path: Path) -> None:
    settings = load_settings(tmp_path / "data", environ={})
    engine = make_engine(settings.database_url)
    upgrade(engine)
    done = seed_demo(settings, engine, videos_dir=tmp_path / "no-videos")
    assert done[0] == "Created demo accounts and the patient record 'Demo Runner'."
    assert done[1] == (
        "Stored the demo assessment (runner-anterior-knee-pain.yaml) with its report and "
        "the programme prescribed from it."
    )
    assert done[2] == f"Skipped the demo video: {tmp_path / 'no-videos' / DEMO_VIDEO} not found."
    logins_file = settings.data_dir / "demo-logins.txt"
    assert stat.S_IMODE(logins_file.stat().st_mode) == 0o600
    logins = [LOGIN_LINE.match(line) for line in demo_logins(settings)]
    assert [m.group(1) for m in logins if m] == ["admin", "clinician", "patient"]
    with make_sessionmaker(engine)() as db:
        for match in logins:
            assert match is not None
            user = db.scalar(select(User).where(User.email == match.group(2)))
            assert user is not None and user.role is Role(match.group(1))
            assert verify_password(user.password_hash, match.group(3))
        patient = db.scalar(select(Patient))
        assert patient is not None and patient.display_name == "Demo Runner"
        assert patient.user is not None and patient.user.role is Role.patient
        assessment = db.scalar(select(Assessment))
        assert assessment is not None and assessment.report_json is not None
        assert assessment.exam_json["version"] == 1
        programme = db.scalar(select(Programme))
        assert programme is not None and programme.plan_json["kind"] == "plan"
        assert programme.assessment_id == assessment.id
        assert db.scalar(select(func.count()).select_from(VideoAnalysis)) == 0


@pytest.mark.video
def test_it_seeds_one_analysed_video_from_the_shared_data(
    tmp_path: Path, shared_videos: Path
) -> None:
    settings = load_settings(tmp_path / "data", environ={})
    engine = make_engine(settings.database_url)
    upgrade(engine)
    done = seed_demo(settings, engine, videos_dir=shared_videos)
    assert done[2] == f"Analysed the demo video {DEMO_VIDEO}."
    with make_sessionmaker(engine)() as db:
        video = db.scalar(select(VideoAnalysis))
        assert video is not None
        assert (video.status, video.progress, video.task) == (
            JobStatus.done,
            1.0,
            "single-leg-stance",
        )
        assert video.summary_json is not None and "quality" in video.summary_json
        assert video.output_dir is not None
        assert (settings.data_dir / video.output_dir / "summary.json").is_file()
        assert video.upload_name != DEMO_VIDEO and video.original_name == DEMO_VIDEO


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_it_serves_a_fresh_data_folder_with_demo_logins(tmp_path: Path) -> None:
    """The real command in its own process: first start migrates, seeds, prints logins, serves."""
    port = free_port()
    data = tmp_path / "data"
    env = {**os.environ, "HIPFIRST_SHARED_DATA": str(tmp_path / "no-shared-data")}
    env.pop("DATABASE_URL", None)
    command = [sys.executable, "-c", "from hipfirst.cli import main; main()"]
    process = subprocess.Popen(
        [*command, "serve", "--port", str(port), "--data-dir", str(data)],
        env={**env, "COLUMNS": "200"},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 120
        while True:
            assert process.poll() is None, process.communicate()[0]
            try:
                if httpx.get(f"{base}/login").status_code == 200:
                    break
            except httpx.TransportError:
                assert time.monotonic() < deadline, "hipfirst serve did not start"
                time.sleep(0.5)
        logins = {
            m.group(1): (m.group(2), m.group(3))
            for m in map(LOGIN_LINE.match, demo_logins(load_settings(data, environ={})))
            if m
        }
        email, password = logins["clinician"]
        with httpx.Client(base_url=base) as browser:
            page = browser.get("/login")
            token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
            assert token is not None
            signed_in = browser.post(
                "/login",
                data={"email": email, "password": password, "csrf_token": token.group(1)},
                follow_redirects=True,
            )
            assert signed_in.status_code == 200
            assert "Demo Runner" in signed_in.text
            assert '<td data-label="Phase">phase 1' in signed_in.text
        children = psutil.Process(process.pid).children(recursive=True)
        assert children, "serve started no worker process"
    finally:
        process.send_signal(signal.SIGTERM)  # how a service manager stops it
        output = process.communicate(timeout=60)[0]
    _gone, alive = psutil.wait_procs(children, timeout=30)
    assert not alive, f"worker processes left running after serve stopped: {alive}"
    assert process.returncode == 0
    assert f"Created a new database in {data}." in output
    assert "Demo logins (also in demo-logins.txt in the data folder; shown this once):" in output
    assert f"clinician@demo.hipfirst.local  password: {password}" in output
    assert f"hipfirst at http://127.0.0.1:{port}" in output
