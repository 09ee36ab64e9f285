"""Bounded property tests: any generated assessment or session log is read or refused with
one bounded message (an ``InputError``), never a traceback; and the CLI exits 0 or 2.

The long run (thousands of inputs, a fixed time budget, a hang guard) is
``tests/fuzz/fuzz_readers.py``.
"""

from __future__ import annotations

import random
import shutil
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from mutations import EXAMPLE, assessment_text, log_text, outcome

from hipfirst.cli import app
from hipfirst.cli import commands as _commands  # noqa: F401  (registers commands)
from hipfirst.io.assessment_file import load_assessment_file
from hipfirst.io.session_log import read_session_log
from hipfirst.knowledge.loader import knowledge_base

FUZZ = settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    database=None,
)


def write(folder: Path, suffix: str, text: str) -> Path:
    path = folder / f"input{suffix}"
    path.write_bytes(text.encode("utf-8", errors="surrogatepass"))
    return path


@FUZZ
@given(st.randoms(use_true_random=False))
def test_any_generated_assessment_is_read_or_refused(rng: random.Random) -> None:
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        shutil.copytree(EXAMPLE.parent / "video", folder / "video")
        path = write(folder, *assessment_text(rng))
        assert outcome(lambda: load_assessment_file(path)) in {"accepted", "refused"}


@FUZZ
@given(st.randoms(use_true_random=False))
def test_any_generated_session_log_is_read_or_refused(rng: random.Random) -> None:
    kb = knowledge_base()
    with tempfile.TemporaryDirectory() as name:
        path = write(Path(name), *log_text(rng))
        assert outcome(lambda: read_session_log(path, kb)) in {"accepted", "refused"}


@settings(max_examples=40, deadline=None, database=None)
@given(st.randoms(use_true_random=False))
def test_the_cli_exits_0_or_2_on_any_generated_assessment(rng: random.Random) -> None:
    from typer.testing import CliRunner

    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        shutil.copytree(EXAMPLE.parent / "video", folder / "video")
        path = write(folder, *assessment_text(rng))
        for command in (["assess", str(path)], ["assess", str(path), "--json"]):
            result = CliRunner().invoke(app, command)
            assert result.exit_code in (0, 2), result.output
            assert "Traceback" not in result.output
            assert result.exception is None or isinstance(result.exception, SystemExit)
