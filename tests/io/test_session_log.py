"""Session log files: CSV and JSON, every bad row and field named."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest

from hipfirst.errors import FileFormatError, InputValidationError
from hipfirst.io.session_log import read_session_log
from hipfirst.knowledge.loader import knowledge_base

HEADER = "date,exercise_id,sets,reps,load,pain_during,pain_next_morning,form_ok\n"


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, "utf-8")
    return path


def test_it_reads_a_csv_log(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        "log.csv",
        HEADER + "2026-11-21,clamshell,2,15,light band,2,1,yes\n2026-11-23,bridge,3,12,,0.5,,no\n",
    )
    first, second = read_session_log(path, knowledge_base())
    assert first.date == dt.date(2026, 11, 21)
    assert (first.exercise_id, first.sets, first.reps, first.load) == (
        "clamshell",
        2,
        15,
        "light band",
    )
    assert (first.pain_during, first.pain_next_morning, first.form_ok) == (2.0, 1.0, True)
    assert (second.pain_next_morning, second.form_ok, second.pain_during) == (None, False, 0.5)


def test_it_reads_a_json_log_as_a_list_or_a_versioned_object(tmp_path: Path) -> None:
    row = {
        "date": "2026-11-21",
        "exercise_id": "side_plank",
        "sets": 3,
        "reps": 30,
        "pain_during": 1,
        "pain_next_morning": 0,
        "form_ok": True,
    }
    listed = _write(tmp_path, "a.json", json.dumps([row]))
    wrapped = _write(tmp_path, "b.json", json.dumps({"version": 1, "entries": [row]}))
    kb = knowledge_base()
    assert read_session_log(listed, kb) == read_session_log(wrapped, kb)
    assert read_session_log(listed, kb)[0].reps == 30


def test_it_names_every_bad_row_and_field_together(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        "log.csv",
        HEADER
        + "2026-11-21,clamshell,2,15,,2,1,yes\n"
        + "2026-13-01,clamshel,2,15.5,,2,1,maybe\n"
        + "2026-11-23,bridge,2,12,,12,-1,yes\n",
    )
    with pytest.raises(InputValidationError) as caught:
        read_session_log(path, knowledge_base())
    assert [str(error) for error in caught.value.errors] == [
        "row 2, date: must be an ISO date such as 2026-11-20 (got '2026-13-01')",
        "row 2, exercise_id: unknown exercise; did you mean clamshell, clamshell_band? "
        "(see 'hipfirst exercises') (got 'clamshel')",
        "row 2, reps: must be a whole number between 0 and 600 (got 15.5)",
        "row 2, form_ok: must be yes or no (got 'maybe')",
        "row 3, pain_during: must be between 0 and 10 (got 12)",
        "row 3, pain_next_morning: must be between 0 and 10 (got -1)",
    ]
    assert str(caught.value).startswith(f"{path}: 6 errors")


def test_it_reports_missing_and_unknown_columns(tmp_path: Path) -> None:
    path = _write(tmp_path, "log.csv", "date,exercise,sets,reps\n2026-11-21,clamshell,2,15\n")
    with pytest.raises(InputValidationError) as caught:
        read_session_log(path, knowledge_base())
    assert [str(error) for error in caught.value.errors] == [
        "header: unknown columns ['exercise']; allowed: date, exercise_id, sets, reps, "
        "pain_during, form_ok, load, pain_next_morning, effort, notes, distance_km",
        "header: missing required columns ['exercise_id', 'pain_during', 'form_ok']",
    ]


def test_it_requires_the_required_fields_in_json(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        "log.json",
        json.dumps([{"date": "2026-11-21", "exercise_id": "bridge", "colour": 1}]),
    )
    with pytest.raises(InputValidationError) as caught:
        read_session_log(path, knowledge_base())
    messages = [str(error) for error in caught.value.errors]
    assert messages[0].startswith("row 1, colour: unknown field; allowed: date, exercise_id")
    assert messages[1:] == [
        "row 1, sets: required field is missing",
        "row 1, reps: required field is missing",
        "row 1, pain_during: required field is missing",
        "row 1, form_ok: required field is missing",
    ]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "the file is empty; expected a CSV or JSON session log"),
        ("[1, 2", "not valid JSON at line 1, column 6"),
    ],
)
def test_it_rejects_empty_and_malformed_files(tmp_path: Path, text: str, message: str) -> None:
    path = _write(tmp_path, "log.json", text)
    with pytest.raises(FileFormatError, match=re.escape(message)):
        read_session_log(path, knowledge_base())


def test_it_refuses_a_huge_file_before_reading_it(tmp_path: Path) -> None:
    path = tmp_path / "huge.csv"
    path.write_bytes(HEADER.encode() + b"x" * (6 * 1024 * 1024))
    with pytest.raises(FileFormatError, match=r"file is 6 MB; a session log must be at most 5 MB"):
        read_session_log(path, knowledge_base())


def test_it_refuses_a_log_without_entries(tmp_path: Path) -> None:
    path = _write(tmp_path, "log.csv", HEADER)
    with pytest.raises(InputValidationError, match=re.escape("(log): has no entries")):
        read_session_log(path, knowledge_base())
