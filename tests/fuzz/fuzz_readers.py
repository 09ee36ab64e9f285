"""The fuzz run of the assessment and session-log readers: thousands of inputs, a fixed budget.

    .venv/bin/python tests/fuzz/fuzz_readers.py --cases 5000 --seconds 600 --seed 12

Each input (see ``mutations.py``) is written to a file and read by the real reader;
every tenth also goes through the real ``hipfirst assess`` / ``hipfirst progress``
command in-process. An input passes when it is accepted or refused with one
bounded message (exit code 0 or 2 for a command). Anything else fails the run: a
traceback, or a hang (one input running past ``--hang-seconds``, cut off by
SIGALRM). Failing inputs are saved to ``--keep`` to reproduce. The run stops at
``--cases`` inputs or ``--seconds``, whichever comes first, and prints the counts
(accepted, refused, failed), the slowest input and the rate; exit code 1 on any
failure.
"""

from __future__ import annotations

import argparse
import random
import shutil
import signal
import sys
import tempfile
import time
import traceback
from pathlib import Path
from types import FrameType

sys.path.insert(0, str(Path(__file__).resolve().parent))

from mutations import EXAMPLE, assessment_text, log_text, outcome
from typer.testing import CliRunner

from hipfirst.cli import app
from hipfirst.cli import commands as _commands  # noqa: F401
from hipfirst.io.assessment_file import load_assessment_file
from hipfirst.io.session_log import read_session_log
from hipfirst.knowledge.loader import knowledge_base


class HangError(Exception):
    """One input ran past the hang limit."""


def _alarm(_signum: int, _frame: FrameType | None) -> None:
    raise HangError


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cases", type=int, default=5000)
    parser.add_argument("--seconds", type=float, default=600.0)
    parser.add_argument("--seed", type=int, default=12)
    parser.add_argument("--hang-seconds", type=int, default=20)
    parser.add_argument("--keep", type=Path, default=Path("fuzz-failures"))
    args = parser.parse_args()
    kb = knowledge_base()
    rng = random.Random(args.seed)
    runner = CliRunner()
    counts = {"accepted": 0, "refused": 0, "failed": 0}
    slowest = (0.0, "")
    signal.signal(signal.SIGALRM, _alarm)
    started = time.monotonic()
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        shutil.copytree(EXAMPLE.parent / "video", folder / "video")
        plan = folder / "plan.json"
        assert runner.invoke(app, ["plan", str(EXAMPLE), "--out", str(plan)]).exit_code == 0
        case = 0
        while case < args.cases and time.monotonic() - started < args.seconds:
            case += 1
            kind = "assessment" if case % 2 else "log"
            suffix, text = assessment_text(rng) if kind == "assessment" else log_text(rng)
            path = folder / f"case{suffix}"
            path.write_bytes(text.encode("utf-8", errors="surrogatepass"))
            began = time.monotonic()
            signal.alarm(args.hang_seconds)
            try:
                if kind == "assessment":
                    verdict = outcome(lambda path=path: load_assessment_file(path))
                    command = ["assess", str(path), "--json"]
                else:
                    verdict = outcome(lambda path=path: read_session_log(path, kb))
                    command = ["progress", str(plan), str(path)]
                if case % 10 == 0:
                    result = runner.invoke(app, command)
                    if result.exit_code not in (0, 2) or "Traceback" in result.output:
                        raise AssertionError(f"exit code {result.exit_code}: {result.output}")
                counts[verdict] += 1
            except (Exception, HangError) as error:  # a failure of the readers: keep it
                counts["failed"] += 1
                args.keep.mkdir(exist_ok=True)
                kept = args.keep / f"{args.seed}-{case}{suffix}"
                shutil.copyfile(path, kept)
                what = "hang" if isinstance(error, HangError) else type(error).__name__
                print(f"FAILED case {case} ({kind}, {what}): kept {kept}", file=sys.stderr)
                traceback.print_exc(limit=3)
            finally:
                signal.alarm(0)
            took = time.monotonic() - began
            if took > slowest[0]:
                slowest = (took, f"case {case} ({kind}{suffix}, {len(text):,} characters)")
    elapsed = time.monotonic() - started
    print(
        f"{case} inputs in {elapsed:.0f} s ({case / elapsed:.0f}/s), seed {args.seed}: "
        f"{counts['accepted']} accepted, {counts['refused']} refused, {counts['failed']} failed; "
        f"slowest {slowest[0]:.2f} s: {slowest[1]}"
    )
    return 1 if counts["failed"] else 0


if __name__ == "__main__":
    sys.exit(main())
