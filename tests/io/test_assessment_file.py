"""Reading assessment files: formats, guards against unusable files, video summaries."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from hipfirst.errors import FileFormatError, InputValidationError
from hipfirst.io.assessment_file import load_assessment_file

VALID_YAML = """\
version: 1
date: 2026-11-20
patient: {age_years: 30, sex: female, body_mass_kg: 60, height_cm: 167}
symptoms: {side: right, location: anterior, duration_weeks: 8, worst_pain_nrs: 5}
"""

SUMMARY = {
    "schema": "hipfirst.video-summary/1",
    "task": "step-down",
    "extra_key_from_the_future": 1,
    "per_side": {
        "left": {
            "fppa_deg": {
                "mean": 9.0,
                "sd": 1.0,
                "n": 5,
                "valid": True,
                "reason": "",
                "flagged": False,
                "threshold": None,
            },
            "knee_flexion_deg": {"mean": 60.0},
        }
    },
    "quality": {"valid": True, "warnings": []},
}


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_it_reads_yaml(tmp_path: Path) -> None:
    loaded = load_assessment_file(_write(tmp_path, "a.yaml", VALID_YAML))
    assert loaded.assessment.patient.height_cm == 167
    assert loaded.video == []


def test_it_reads_json_by_extension_and_by_content(tmp_path: Path) -> None:
    document = {
        "version": 1,
        "date": "2026-11-20",
        "patient": {"age_years": 30, "sex": "male", "body_mass_kg": 70, "height_cm": 180},
        "symptoms": {
            "side": "left",
            "location": "lateral",
            "duration_weeks": 3,
            "worst_pain_nrs": 4.5,
        },
    }
    for name in ("a.json", "a.txt"):
        loaded = load_assessment_file(_write(tmp_path, name, json.dumps(document)))
        assert loaded.assessment.symptoms.worst_pain_nrs == 4.5


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        ("empty.yaml", "  \n", r"empty.yaml: the file is empty; expected a YAML"),
        (
            "bad.yaml",
            "version: 1\npatient: {age_years: 30\nsymptoms: x\n",
            r"bad.yaml: not valid YAML at line 3, column 9",
        ),
        (
            "bad.json",
            '{"version": 1,\n "patient": }',
            r"bad.json: not valid JSON at line 2, column 13",
        ),
        (
            "a.yaml",
            "version: !!python/object:os.system x\n",
            r"a.yaml: not valid YAML at line 1, column 10",
        ),
    ],
    ids=["empty", "malformed YAML", "malformed JSON", "python object tag"],
)
def test_it_refuses_an_unreadable_document_naming_where(
    tmp_path: Path, name: str, text: str, message: str
) -> None:
    with pytest.raises(FileFormatError, match=message):
        load_assessment_file(_write(tmp_path, name, text))


def test_it_refuses_a_50_mb_file_before_reading_it(tmp_path: Path) -> None:
    path = tmp_path / "huge.yaml"
    with path.open("wb") as handle:
        handle.truncate(50 * 1024 * 1024)
    with pytest.raises(
        FileFormatError, match=r"huge.yaml: file is 50 MB; an assessment file must be at most 5 MB"
    ):
        load_assessment_file(path)


def test_it_reports_an_impossible_date_as_a_field_error(tmp_path: Path) -> None:
    path = _write(tmp_path, "a.yaml", VALID_YAML.replace("2026-11-20", "2026-13-45"))
    with pytest.raises(InputValidationError) as caught:
        load_assessment_file(path)
    assert [str(e) for e in caught.value.errors] == [
        "date: must be an ISO date such as 2026-11-20 (got '2026-13-45')"
    ]


def test_it_refuses_a_top_level_list(tmp_path: Path) -> None:
    path = _write(tmp_path, "list.yaml", "- 1\n- 2\n")
    with pytest.raises(InputValidationError, match=r"\(top level\): must be a mapping"):
        load_assessment_file(path)


def test_it_refuses_a_missing_file(tmp_path: Path) -> None:
    with pytest.raises(FileFormatError, match=r"nope.yaml: file not found"):
        load_assessment_file(tmp_path / "nope.yaml")


def test_it_reports_wrong_types_unknown_keys_and_ranges_together(tmp_path: Path) -> None:
    text = (
        VALID_YAML.replace("age_years: 30", "age_years: thirty").replace(
            "height_cm: 167", "height_cm: 167, shoe_size: 40"
        )
        + "exam: {hip_rom_deg: {internal_rotation: {left: 120}}}\n"
    )
    path = _write(tmp_path, "bad.yaml", text)
    with pytest.raises(InputValidationError) as caught:
        load_assessment_file(path)
    assert [str(error) for error in caught.value.errors] == [
        "patient.age_years: must be a number between 8 and 100 (got 'thirty')",
        "patient.shoe_size: unknown field",
        "exam.hip_rom_deg.internal_rotation.left: must be between 0 and 90 (got 120)",
    ]


def test_it_reads_video_summaries_relative_to_the_file(tmp_path: Path) -> None:
    (tmp_path / "analysis").mkdir()
    (tmp_path / "analysis" / "summary.json").write_text(json.dumps(SUMMARY), encoding="utf-8")
    path = _write(
        tmp_path, "a.yaml", VALID_YAML + "exam: {video_analyses: [analysis/summary.json]}\n"
    )
    loaded = load_assessment_file(path)
    (video,) = loaded.video
    assert video.task == "step-down"
    assert video.source == "analysis/summary.json"
    assert video.per_side["left"]["fppa_deg"].mean == 9.0
    assert set(video.per_side["left"]) == {"fppa_deg"}


def test_it_names_the_field_of_a_missing_video_summary(tmp_path: Path) -> None:
    path = _write(tmp_path, "a.yaml", VALID_YAML + "exam: {video_analyses: [gone.json]}\n")
    with pytest.raises(InputValidationError) as caught:
        load_assessment_file(path)
    (error,) = caught.value.errors
    assert error.location == "exam.video_analyses[0]"
    assert error.message == f"file not found: {tmp_path / 'gone.json'}"
    assert error.value == "gone.json"


def test_it_refuses_a_summary_with_the_wrong_schema(tmp_path: Path) -> None:
    (tmp_path / "s.json").write_text(json.dumps({**SUMMARY, "schema": "other/2"}), "utf-8")
    path = _write(tmp_path, "a.yaml", VALID_YAML + "exam: {video_analyses: [s.json]}\n")
    with pytest.raises(InputValidationError) as caught:
        load_assessment_file(path)
    assert [str(e) for e in caught.value.errors] == [
        "exam.video_analyses[0] (s.json): schema: must be 'hipfirst.video-summary/1' "
        "(got 'other/2')"
    ]


def test_it_reads_a_format_v2_file_and_still_reads_v1(tmp_path: Path) -> None:
    v2 = VALID_YAML.replace("version: 1", "version: 2") + (
        "exam: {side_hop_count: {left: 40, right: 36}}\n"
        "questionnaires: {koos_pf: [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1]}\n"
    )
    loaded = load_assessment_file(_write(tmp_path, "v2.yaml", v2))
    assert loaded.assessment.version == 2
    assert loaded.assessment.questionnaires.koos_pf_complete
    assert load_assessment_file(_write(tmp_path, "v1.yaml", VALID_YAML)).assessment.version == 1
    with pytest.raises(InputValidationError, match="added in format version 2"):
        load_assessment_file(
            _write(tmp_path, "mixed.yaml", VALID_YAML + "exam: {side_hop_count: {left: 40}}\n")
        )


def test_it_refuses_the_same_summary_listed_twice(tmp_path: Path) -> None:
    """Fifty copies of one summary would count its findings fifty times."""
    (tmp_path / "analysis").mkdir()
    (tmp_path / "analysis" / "summary.json").write_text(json.dumps(SUMMARY), "utf-8")
    listed = ", ".join(["analysis/summary.json", "./analysis/summary.json"] * 25)
    path = _write(tmp_path, "a.yaml", VALID_YAML + f"exam: {{video_analyses: [{listed}]}}\n")
    with pytest.raises(InputValidationError) as caught:
        load_assessment_file(path)
    assert len(caught.value.errors) == 49
    assert str(caught.value.errors[0]) == (
        "exam.video_analyses[1]: the same summary as exam.video_analyses[0]; list each "
        "analysis once (got './analysis/summary.json')"
    )


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("date: 0", "date: must be an ISO date such as 2026-11-20 (got 0)"),
        ("date: -0.0", "date: must be an ISO date such as 2026-11-20 (got -0.0)"),
        ("date: 1798761600", "date: must be an ISO date such as 2026-11-20 (got 1798761600)"),
        ("date: '1798761600'", "date: must be an ISO date such as 2026-11-20 (got '1798761600')"),
        ("date: 2026-13-45", "date: must be an ISO date such as 2026-11-20 (got '2026-13-45')"),
    ],
)
def test_it_refuses_a_date_that_is_not_written_as_a_date(
    tmp_path: Path, line: str, message: str
) -> None:
    path = _write(tmp_path, "a.yaml", VALID_YAML.replace("date: 2026-11-20", line))
    with pytest.raises(InputValidationError) as caught:
        load_assessment_file(path)
    assert [str(error) for error in caught.value.errors] == [message]


@pytest.mark.parametrize(("value", "shown"), [("true", "True"), ("1.0", "1.0"), ("'1'", "'1'")])
def test_it_refuses_a_version_that_only_compares_equal_to_1(
    tmp_path: Path, value: str, shown: str
) -> None:
    path = _write(tmp_path, "a.yaml", VALID_YAML.replace("version: 1", f"version: {value}"))
    with pytest.raises(InputValidationError) as caught:
        load_assessment_file(path)
    messages = [str(error) for error in caught.value.errors]
    assert messages == [f"version: must be 1 or 2 (got {shown})"]


@pytest.mark.parametrize(
    ("line", "value"),
    [("duration_weeks: 030", 30), ("duration_weeks: 1:30", None)],
)
def test_it_reads_numbers_as_yaml_1_2(tmp_path: Path, line: str, value: int | None) -> None:
    """``030`` is thirty weeks (not octal 24) and ``1:30`` is text (not sexagesimal 90)."""
    path = _write(tmp_path, "a.yaml", VALID_YAML.replace("duration_weeks: 8", line))
    if value is not None:
        assert load_assessment_file(path).assessment.symptoms.duration_weeks == value
        return
    with pytest.raises(InputValidationError, match=r"duration_weeks: .* \(got '1:30'\)"):
        load_assessment_file(path)


def test_it_refuses_a_duplicated_red_flags_section(tmp_path: Path) -> None:
    text = VALID_YAML.replace(
        "symptoms: {",
        "symptoms: {red_flags: {locking: true}, red_flags: {locking: false}, ",
    )
    path = _write(tmp_path, "a.yaml", text)
    with pytest.raises(
        FileFormatError, match=r"duplicate key 'red_flags' at line 4 \(first at line 4\)"
    ):
        load_assessment_file(path)
