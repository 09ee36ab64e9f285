"""Analysis children for the real-process worker tests (importable by the spawned children).

``slow_child`` stands in for a long analysis: it reports who it is (pid, niceness)
to a file, writes progress through the real lease-checked writer for up to a
minute, and only then records a result. ``quick_child`` records a result at once.
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

from hipfirst.errors import AnalysisCancelledError
from hipfirst.settings import load_settings
from hipfirst.storage import jobs
from hipfirst.storage.database import make_engine
from hipfirst.worker.loop import run_worker

REPORT = "child.json"


def slow_child(data_dir: str, database_url: str, analysis_id: int, lease: str | None) -> None:
    Path(data_dir, REPORT).write_text(
        json.dumps({"pid": os.getpid(), "nice": os.nice(0), "lease": lease}), "utf-8"
    )
    engine = make_engine(database_url)
    writer = jobs.ProgressWriter(engine, analysis_id, lease)
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            writer(0.5)
            time.sleep(0.1)
        jobs.record_done(engine, analysis_id, {"by": "slow child"}, "out", lease=lease)
    except AnalysisCancelledError:
        pass
    finally:
        engine.dispose()


def quick_child(data_dir: str, database_url: str, analysis_id: int, lease: str | None) -> None:
    engine = make_engine(database_url)
    jobs.record_done(engine, analysis_id, {"by": "re-run"}, "out", lease=lease)
    engine.dispose()


def main() -> None:
    """``python lease_children.py DATA_DIR``: a worker whose analyses are ``slow_child``."""
    run_worker(load_settings(Path(sys.argv[1]), environ={}), child_target=slow_child)


if __name__ == "__main__":
    main()
