"""Snapshot the documented JSON outputs of the CLI, to prove a refactor changed none of them.

Runs, through the installed ``hipfirst`` command:

* ``assess --json`` and ``plan --json`` on every example assessment;
* ``progress --json`` on each example's plan with a fixed session log (and, for the
  runner, a re-assessment, so the return-to-sport checklist is in the output);
* ``analyze --no-video`` on both shared videos (``summary.json`` and ``frames.csv``).

Version fields (software versions, model versions, the video file's absolute
path) are blanked, so two snapshots differ only where an output really changed.
Usage::

    .venv/bin/python scripts/output_snapshot.py OUT_DIR [--no-video]
    diff -r BEFORE_DIR AFTER_DIR && echo identical
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
VIDEOS = ROOT.parent / "shared" / "data" / "videos"
HIPFIRST = Path(sys.executable).parent / "hipfirst"
VOLATILE_KEYS = frozenset({"software", "hipfirst_version", "version_info", "path"})
LOG = (
    "date,exercise_id,sets,reps,load,pain_during,pain_next_morning,form_ok\n"
    "2026-11-20,quadriceps_sets,3,20,,1,1,yes\n"
    "2026-11-21,quadriceps_sets,3,20,,1,1,yes\n"
    "2026-11-21,clamshell_band,2,12,,6,4,yes\n"
    "2026-11-22,side_lying_hip_abduction,3,15,,4,3,no\n"
)


def _blank_volatile(document: Any) -> Any:
    if isinstance(document, dict):
        return {
            key: ("<volatile>" if key in VOLATILE_KEYS else _blank_volatile(value))
            for key, value in document.items()
        }
    if isinstance(document, list):
        return [_blank_volatile(item) for item in document]
    return document


def _run(args: list[str]) -> tuple[int, str]:
    done = subprocess.run(
        [str(HIPFIRST), *args], capture_output=True, text=True, check=False, cwd=ROOT
    )
    return done.returncode, done.stdout


def _save_json(out: Path, name: str, code: int, text: str) -> None:
    try:
        document: Any = _blank_volatile(json.loads(text))
    except json.JSONDecodeError:
        document = {"not_json": text}
    payload = {"exit_code": code, "output": document}
    (out / name).write_text(json.dumps(payload, indent=1, sort_keys=True) + "\n", "utf-8")


def snapshot(out: Path, *, videos: bool) -> None:
    out.mkdir(parents=True, exist_ok=True)
    work = out / "_work"
    work.mkdir(exist_ok=True)
    log = work / "log.csv"
    log.write_text(LOG, "utf-8")
    for example in sorted(EXAMPLES.glob("*.yaml")):
        stem = example.stem
        _save_json(out, f"{stem}.assess.json", *_run(["assess", str(example), "--json"]))
        code, text = _run(["plan", str(example), "--json"])
        _save_json(out, f"{stem}.plan.json", code, text)
        plan = work / f"{stem}.plan.json"
        plan_code, _ = _run(["plan", str(example), "--out", str(plan)])
        if plan_code == 0 and "referral" not in plan.read_text("utf-8")[:200]:
            args = ["progress", str(plan), str(log), "--json", "--reassessment", str(example)]
            _save_json(out, f"{stem}.progress.json", *_run(args))
            args += ["--goal", "sport", "--baseline", str(example)]
            _save_json(out, f"{stem}.progress-sport.json", *_run(args))
    if videos:
        for video, task in (
            ("lab-single-leg-balance-oblique.mp4", "single-leg-stance"),
            ("outdoor-walk-balance-2people.mp4", "single-leg-stance"),
        ):
            target = work / video
            code, _ = _run(
                ["analyze", str(VIDEOS / video), "--task", task, "--out", str(target), "--no-video"]
            )
            summary = json.loads((target / "summary.json").read_text("utf-8")) if code == 0 else {}
            _save_json(out, f"{video}.summary.json", code, json.dumps(summary))
            frames = target / "frames.csv"
            if frames.is_file():
                (out / f"{video}.frames.csv").write_text(frames.read_text("utf-8"), "utf-8")
    for leftover in sorted(work.rglob("*"), reverse=True):
        leftover.unlink() if leftover.is_file() else leftover.rmdir()
    work.rmdir()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path, help="folder to write the snapshot to")
    parser.add_argument("--no-video", action="store_true", help="skip the two video analyses")
    options = parser.parse_args()
    snapshot(options.out, videos=not options.no_video)


if __name__ == "__main__":
    main()
