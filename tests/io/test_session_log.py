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


ROW = "2026-11-21,clamshell,2,15,light band,2,1,yes"


def test_it_refuses_a_duplicated_column_naming_both(tmp_path: Path) -> None:
    """pain_during twice (9 then 1): one of the two values would be lost without a word."""
    header = "date,exercise_id,sets,reps,pain_during,form_ok,pain_during\n"
    path = _write(tmp_path, "log.csv", header + "2026-11-21,clamshell,2,15,9,yes,1\n")
    with pytest.raises(InputValidationError) as caught:
        read_session_log(path, knowledge_base())
    assert [str(error) for error in caught.value.errors] == [
        "header: column 'pain_during' appears twice (columns 5 and 7); keep one, or one of "
        "the two values is lost"
    ]


def test_it_refuses_a_duplicated_key_in_a_json_entry(tmp_path: Path) -> None:
    text = (
        '[{"date": "2026-11-21", "exercise_id": "clamshell", "sets": 2, "reps": 15,\n'
        '  "pain_during": 9, "form_ok": true,\n  "pain_during": 1}]'
    )
    path = _write(tmp_path, "log.json", text)
    with pytest.raises(
        FileFormatError, match=r"duplicate key 'pain_during' at line 3 \(first at line 2\)"
    ):
        read_session_log(path, knowledge_base())


def test_it_reads_cr_only_line_endings(tmp_path: Path) -> None:
    path = _write(tmp_path, "log.csv", (HEADER + ROW + "\n" + ROW + "\n").replace("\n", "\r"))
    assert len(read_session_log(path, knowledge_base())) == 2


def test_it_refuses_a_cell_over_the_csv_limit_with_its_line(tmp_path: Path) -> None:
    path = _write(tmp_path, "log.csv", HEADER + ROW + "\n" + ROW + ',"' + "x" * 140_000 + '"\n')
    with pytest.raises(FileFormatError) as caught:
        read_session_log(path, knowledge_base())
    assert str(caught.value) == f"{path}: line 3: a cell is longer than 131,072 characters"


def test_it_judges_60000_rows_of_unknown_exercises_and_lists_the_first_twenty(
    tmp_path: Path,
) -> None:
    rows = "".join(f"2026-11-21,made_up_{i},2,15,,2,1,yes\n" for i in range(60_000))
    path = _write(tmp_path, "log.csv", HEADER + rows)
    with pytest.raises(InputValidationError) as caught:
        read_session_log(path, knowledge_base())
    message = str(caught.value)
    assert len(caught.value.errors) == 60_000
    assert message.startswith(f"{path}: 60,000 errors\n  - row 1, exercise_id: unknown exercise")
    assert message.endswith("  … and 59,980 more")
    assert message.count("\n") == 21


def test_it_cuts_a_megabyte_value_in_the_message(tmp_path: Path) -> None:
    entry = {"date": "2026-11-21", "exercise_id": "x" * 1_000_000, "sets": 2, "reps": 15}
    entry.update({"pain_during": 2, "form_ok": True})
    path = _write(tmp_path, "log.json", json.dumps([entry]))
    with pytest.raises(InputValidationError) as caught:
        read_session_log(path, knowledge_base())
    message = str(caught.value)
    assert len(message) < 1_000
    assert "(1,000,002 characters)" in message  # the repr, quotes included


def test_it_lists_a_huge_header_in_a_few_words(tmp_path: Path) -> None:
    header = ",".join(f"c{i}" for i in range(300_000)) + "\n"
    path = _write(tmp_path, "log.csv", header)
    with pytest.raises(InputValidationError) as caught:
        read_session_log(path, knowledge_base())
    assert "'c9', … and 299,990 more]" in str(caught.value)
    assert len(str(caught.value)) < 1_000
