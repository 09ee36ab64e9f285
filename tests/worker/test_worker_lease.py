"""Real processes: an analysis dies with its worker, runs below it, and a re-run owns the job.

A worker is started as its own process, its analysis child reports itself, and the
worker is killed with SIGKILL (nothing in it can run): the kernel must end the
child too (``PR_SET_PDEATHSIG``). The next worker re-runs the job, and its result
is the one recorded. No pose model runs here; the children are in
``lease_children.py``.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest
from lease_children import REPORT, quick_child

from clinic_world import make_settings, migrated_engine
from hipfirst.storage import jobs
from hipfirst.storage.database import make_sessionmaker
from hipfirst.storage.models import Job, JobStatus, Patient, Role, User, VideoAnalysis
from hipfirst.worker.child import ANALYSIS_NICENESS
from hipfirst.worker.loop import run_worker

HERE = Path(__file__).resolve().parent

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="prctl is Linux's")


def wait_for(path: Path, seconds: float = 60) -> dict[str, object]:
    deadline = time.monotonic() + seconds
    while not path.is_file() or not path.read_text("utf-8"):
        assert time.monotonic() < deadline, f"{path} never appeared"
        time.sleep(0.1)
    report: dict[str, object] = json.loads(path.read_text("utf-8"))
    return report


def test_it_kills_the_analysis_with_its_worker_and_records_only_the_re_run(
    tmp_path: Path,
) -> None:
    settings = make_settings(tmp_path)
    engine = migrated_engine(settings)
    with make_sessionmaker(engine)() as db:
        clinician = User(email="a@example.org", name="A", role=Role.clinician, password_hash="x")
        db.add(clinician)
        db.flush()
        patient = Patient(clinician_id=clinician.id, display_name="Pat")
        db.add(patient)
        db.flush()
        analysis = VideoAnalysis(
            patient_id=patient.id,
            upload_name="u.mp4",
            original_name="squat.mp4",
            task="single-leg-squat",
            side="auto",
        )
        db.add(analysis)
        db.flush()
        jobs.enqueue(db, analysis)
        db.commit()
        analysis_id = analysis.id
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(HERE), str(HERE.parent)])}
    env.pop("DATABASE_URL", None)
    worker = subprocess.Popen(
        [sys.executable, str(HERE / "lease_children.py"), str(settings.data_dir)], env=env
    )
    try:
        report = wait_for(settings.data_dir / REPORT)
        child = psutil.Process(int(str(report["pid"])))
        assert child.ppid() == worker.pid
        assert report["nice"] == psutil.Process(worker.pid).nice() + ANALYSIS_NICENESS
        first_lease = report["lease"]
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=30)
        child.wait(timeout=30)  # raises TimeoutExpired if the orphan ran on
    finally:
        if worker.poll() is None:
            worker.kill()
    with make_sessionmaker(engine)() as db:
        job = db.query(Job).filter_by(video_analysis_id=analysis_id).one()
        assert (job.status, job.locked_by) == (JobStatus.running, first_lease)
    assert run_worker(settings, until_idle=True, child_target=quick_child) == 1
    with make_sessionmaker(engine)() as db:
        done = db.get(VideoAnalysis, analysis_id)
        assert done is not None
        assert (done.status, done.summary_json) == (JobStatus.done, {"by": "re-run"})
        job = db.query(Job).filter_by(video_analysis_id=analysis_id).one()
        assert (job.status, job.attempts) == (JobStatus.done, 2)
        assert job.locked_by != first_lease
    engine.dispose()
