"""The analysis process: one per job, so a crash of the pose model fails only that job."""

from __future__ import annotations

import signal
from pathlib import Path

from hipfirst.application.analyses import run_analysis
from hipfirst.storage.database import make_engine


def analysis_child(data_dir: str, database_url: str, analysis_id: int) -> None:
    """Entry point of the child process: analyse one upload and record the result.

    Takes plain strings (it is started with multiprocessing's ``spawn``). Ctrl+C
    is left to the worker (which re-queues the job), so the child ignores it.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    engine = make_engine(database_url)
    try:
        run_analysis(engine, Path(data_dir), analysis_id)
    finally:
        engine.dispose()
