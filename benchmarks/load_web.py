"""Web app under load: page times for 50 signed-in users, without and with a video analysis.

    .venv/bin/python benchmarks/load_web.py                    # 50 users, 2 × 40 s, ~3 min
    .venv/bin/python benchmarks/load_web.py --users 10 --seconds 10   # quick look

Starts the real ``hipfirst serve`` (web server and its analysis worker) on a free
port of 127.0.0.1 with a temporary data folder, fills it with half clinicians and
half patients (each patient's record holds the example assessment and its
programme, made by the real engines), signs every user in, and then runs each user
as a loop: open one of the pages that role opens most (clinician: patient list,
timeline, programme, progress; patient: overview, today, session log, pain chart),
think for ``--think`` seconds (1 s), again. Traffic goes to 127.0.0.1 only, and
both phases are bounded in time.

* phase **idle**: nothing else runs;
* phase **analysis**: the shared lab video is uploaded ``--videos`` times
  through the real upload page, and the load runs while the worker analyses
  them one after the other (the analysis child runs niced below the web
  server, see ``hipfirst/worker/child.py``);
* with ``--compare-nice``, phase **not niced**: the same again, with the benchmark
  putting each analysis process back to niceness 0 (what the niceness buys).

Reported per phase: requests, errors (status >= 400 or no answer), p50, p95 and
max of the page time seen by the client (request sent to last byte), and
requests/s; then the ratio of the analysis phase's p95 to the idle phase's (the
figure that counts, both measured in the same run) and how far the analyses got.
The clients share the 2 cores with the server, so the figures include their own
cost. Output: a table and ``benchmarks/results/load_latest.json``.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import platform
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import psutil

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from hipfirst.application.demo import seed_assessment  # noqa: E402
from hipfirst.application.passwords import hash_password  # noqa: E402
from hipfirst.settings import load_settings  # noqa: E402
from hipfirst.storage.database import make_engine, make_sessionmaker  # noqa: E402
from hipfirst.storage.migrate import upgrade  # noqa: E402
from hipfirst.storage.models import Patient, Role, User, VideoAnalysis  # noqa: E402

PASSWORD = "violet thunder orchard kettle"
DEFAULT_VIDEO = ROOT.parent / "shared" / "data" / "videos" / "lab-single-leg-balance-oblique.mp4"
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
RESULTS = ROOT / "benchmarks" / "results" / "load_latest.json"
SERVE = [sys.executable, "-c", "from hipfirst.cli import main; main()", "serve"]


@dataclass
class Person:
    email: str
    role: Role
    patient_id: int

    def pages(self) -> list[str]:
        base = f"/patients/{self.patient_id}"
        if self.role is Role.clinician:
            return ["/patients", base, f"{base}/programme", f"{base}/progress"]
        return ["/me", f"{base}/today", f"{base}/logs", f"{base}/charts/pain.png"]


@dataclass
class Phase:
    name: str
    times: list[float] = field(default_factory=list)
    errors: int = 0
    seconds: float = 0.0

    def summary(self) -> dict[str, Any]:
        ordered = sorted(self.times)

        def quantile(q: float) -> float | None:
            if not ordered:
                return None
            return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000

        return {
            "phase": self.name,
            "requests": len(self.times) + self.errors,
            "errors": self.errors,
            "p50_ms": quantile(0.50),
            "p95_ms": quantile(0.95),
            "max_ms": ordered[-1] * 1000 if ordered else None,
            "mean_ms": statistics.fmean(ordered) * 1000 if ordered else None,
            "requests_per_s": (len(self.times) + self.errors) / self.seconds
            if self.seconds
            else 0.0,
        }


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def populate(data_dir: Path, users: int) -> tuple[list[Person], Any]:
    """Half clinicians, half patients; each pair shares a record with a real programme."""
    settings = load_settings(data_dir, environ={})
    engine = make_engine(settings.database_url)
    upgrade(engine)
    hashed = hash_password(PASSWORD)
    people: list[Person] = []
    with make_sessionmaker(engine)() as db:
        for number in range((users + 1) // 2):
            clinician = User(
                email=f"clinician{number}@load.test",
                name=f"Clinician {number}",
                role=Role.clinician,
                password_hash=hashed,
            )
            patient_user = User(
                email=f"patient{number}@load.test",
                name=f"Patient {number}",
                role=Role.patient,
                password_hash=hashed,
            )
            db.add_all([clinician, patient_user])
            db.flush()
            record = Patient(
                clinician_id=clinician.id,
                user_id=patient_user.id,
                display_name=f"Patient {number}",
            )
            db.add(record)
            db.flush()
            seed_assessment(db, settings, record, clinician, None)
            db.commit()
            people.append(Person(clinician.email, Role.clinician, record.id))
            people.append(Person(patient_user.email, Role.patient, record.id))
    engine.dispose()
    return people[:users], settings


async def sign_in(client: httpx.AsyncClient, email: str) -> None:
    page = await client.get("/login")
    token = CSRF.search(page.text)
    assert token is not None, "no sign-in form"
    response = await client.post(
        "/login", data={"email": email, "password": PASSWORD, "csrf_token": token.group(1)}
    )
    assert response.status_code == 303, f"{email} could not sign in: {response.status_code}"


async def user_loop(
    client: httpx.AsyncClient, person: Person, phase: Phase, until: float, think: float, seed: int
) -> None:
    pages = person.pages()
    step = seed
    await asyncio.sleep((seed % 10) * think / 10)  # spread the first requests
    while time.monotonic() < until:
        url = pages[step % len(pages)]
        step += 1
        began = time.monotonic()
        try:
            response = await client.get(url)
            await response.aread()
            took = time.monotonic() - began
            if response.status_code >= 400:
                phase.errors += 1
            else:
                phase.times.append(took)
        except httpx.HTTPError:
            phase.errors += 1
        await asyncio.sleep(think)


async def run_phase(
    clients: list[httpx.AsyncClient], people: list[Person], name: str, seconds: float, think: float
) -> Phase:
    phase = Phase(name)
    began = time.monotonic()
    until = began + seconds
    await asyncio.gather(
        *(
            user_loop(client, person, phase, until, think, index)
            for index, (client, person) in enumerate(zip(clients, people, strict=True))
        )
    )
    phase.seconds = time.monotonic() - began
    return phase


async def upload(client: httpx.AsyncClient, patient_id: int, video: Path) -> None:
    page = await client.get(f"/patients/{patient_id}/videos/new")
    token = CSRF.search(page.text)
    assert token is not None
    with video.open("rb") as handle:
        response = await client.post(
            f"/patients/{patient_id}/videos",
            data={"task": "single-leg-stance", "side": "auto", "csrf_token": token.group(1)},
            files={"video": (video.name, handle, "video/mp4")},
        )
    assert response.status_code == 303, f"upload refused: {response.status_code}"


def analyses(database_url: str) -> list[dict[str, Any]]:
    engine = make_engine(database_url)
    with make_sessionmaker(engine)() as db:
        rows = [
            {
                "status": row.status.value,
                "progress": row.progress,
                "seconds": (row.finished_at - row.started_at).total_seconds()
                if row.finished_at and row.started_at
                else None,
            }
            for row in db.query(VideoAnalysis).order_by(VideoAnalysis.id)
        ]
    engine.dispose()
    return rows


async def wait_running(database_url: str, deadline_s: float = 120) -> None:
    deadline = time.monotonic() + deadline_s
    while time.monotonic() < deadline:
        if any(row["status"] == "running" for row in analyses(database_url)):
            return
        await asyncio.sleep(0.5)
    raise RuntimeError("no analysis started within two minutes")


async def renice_analyses(server_pid: int, stop: asyncio.Event) -> None:
    """For the comparison phase only: put analysis processes back at the web server's priority."""
    while not stop.is_set():
        for process in psutil.Process(server_pid).children(recursive=True):
            with contextlib.suppress(psutil.Error):
                if process.nice() > 0:
                    process.nice(0)
        await asyncio.sleep(0.2)


async def measure(
    args: argparse.Namespace, base: str, people: list[Person], url: str, server_pid: int
) -> dict[str, Any]:
    limits = httpx.Limits(max_connections=2, max_keepalive_connections=2)
    clients = [
        httpx.AsyncClient(base_url=base, timeout=60, limits=limits) for _ in range(len(people))
    ]
    try:
        for client, person in zip(clients, people, strict=True):
            await sign_in(client, person.email)
        idle = await run_phase(clients, people, "idle", args.seconds, args.think)
        clinician = next(p for p in people if p.role is Role.clinician)
        uploader = clients[people.index(clinician)]
        for _ in range(args.videos):
            await upload(uploader, clinician.patient_id, args.video)
        await wait_running(url)
        busy = await run_phase(clients, people, "analysis", args.seconds, args.think)
        phases = [idle.summary(), busy.summary()]
        if args.compare_nice:
            while any(row["status"] in ("queued", "running") for row in analyses(url)):
                await asyncio.sleep(1)  # the first batch ends before the comparison starts
            for _ in range(args.videos):
                await upload(uploader, clinician.patient_id, args.video)
            stop = asyncio.Event()
            renicer = asyncio.create_task(renice_analyses(server_pid, stop))
            await wait_running(url)
            same = await run_phase(clients, people, "not niced", args.seconds, args.think)
            stop.set()
            await renicer
            phases.append(same.summary())
        return {"phases": phases, "analyses": analyses(url)}
    finally:
        for client in clients:
            await client.aclose()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=40.0, help="length of each phase")
    parser.add_argument("--think", type=float, default=1.0, help="seconds between requests")
    parser.add_argument("--video", type=Path, default=DEFAULT_VIDEO)
    parser.add_argument("--videos", type=int, default=3, help="uploads queued for phase 2")
    parser.add_argument("--output", type=Path, default=RESULTS)
    parser.add_argument(
        "--compare-nice",
        action="store_true",
        help="add a phase whose analyses run at the web server's priority (benchmark only)",
    )
    args = parser.parse_args()
    if not args.video.is_file():
        print(f"{args.video} not found (--video)", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as name:
        data_dir = Path(name) / "data"
        people, settings = populate(data_dir, args.users)
        port = free_port()
        env = {**os.environ, "COLUMNS": "200"}
        env.pop("DATABASE_URL", None)
        env.pop("HIPFIRST_FORWARDED_ALLOW_IPS", None)
        server = subprocess.Popen(
            [*SERVE, "--port", str(port), "--data-dir", str(data_dir)],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 120
            while True:
                try:
                    if httpx.get(f"{base}/login").status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                if time.monotonic() > deadline or server.poll() is not None:
                    raise RuntimeError("hipfirst serve did not start")
                time.sleep(0.5)
            started = time.monotonic()
            result = asyncio.run(measure(args, base, people, settings.database_url, server.pid))
        finally:
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=60)
    idle, busy = result["phases"][:2]
    ratio = busy["p95_ms"] / idle["p95_ms"] if idle["p95_ms"] and busy["p95_ms"] else None
    report = {
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "command": " ".join(sys.argv),
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version()},
        "users": args.users,
        "think_s": args.think,
        "phase_s": args.seconds,
        **result,
        "p95_ratio_analysis_over_idle": ratio,
        "elapsed_s": time.monotonic() - started,
    }
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(report, indent=2) + "\n", "utf-8")
    print(
        f"{'phase':<10} {'requests':>8} {'errors':>6} {'p50 ms':>8} {'p95 ms':>8} "
        f"{'max ms':>8} {'req/s':>6}"
    )
    for row in result["phases"]:
        print(
            f"{row['phase']:<10} {row['requests']:>8} {row['errors']:>6} {row['p50_ms']:>8.1f} "
            f"{row['p95_ms']:>8.1f} {row['max_ms']:>8.1f} {row['requests_per_s']:>6.1f}"
        )
    if ratio is not None:
        print(f"p95 with an analysis / idle: {ratio:.2f}")
    for index, row in enumerate(result["analyses"], start=1):
        print(f"analysis {index}: {row['status']} ({row['progress']:.0%})", end="")
        print(f", {row['seconds']:.1f} s" if row["seconds"] is not None else "")
    return 0


if __name__ == "__main__":
    sys.exit(main())
