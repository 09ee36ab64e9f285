"""``hipfirst assess``: exit codes, exact messages, no tracebacks, JSON shape."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from .runner import EXAMPLES, invoke


def test_it_prints_a_readable_summary() -> None:
    result = invoke(["assess", str(EXAMPLES / "runner-anterior-knee-pain.yaml")])
    assert result.exit_code == 0, result.output
    assert "No red flags reported." in result.output
    assert "Hip abductor weakness (right)" in result.output
    assert "Measures" in result.output
    assert "Findings" in result.output
    assert "borrowed" in result.output


def test_it_shows_the_referral_first() -> None:
    result = invoke(["assess", str(EXAMPLES / "red-flags-refer.yaml")])
    assert result.exit_code == 0
    first_lines = result.output.splitlines()[:4]
    assert any("REFER before any exercise programme." in line for line in first_lines)


def test_it_prints_the_json_contract() -> None:
    result = invoke(["assess", str(EXAMPLES / "runner-anterior-knee-pain.yaml"), "--json"])
    assert result.exit_code == 0
    report = json.loads(result.output)
    assert set(report) >= {
        "screening",
        "hip_origin_suspected",
        "measures",
        "findings",
        "contributors",
        "missing",
    }
    assert report["screening"] == {
        "refer": False,
        "reasons": ["no red flags reported"],
        "urgency": None,
        "referrals": [],
    }
    assert report["hip_origin_suspected"]["suspected"] is False
    assert report["measures"]["hip_abduction_lsi_pct"]["value"] == 75.0
    assert report["measures"]["hip_abduction_lsi_pct"]["unit"] == "%"
    assert report["measures"]["y_balance_composite_pct_left"]["value"] == 98.48
    finding = report["findings"][0]
    assert set(finding) >= {"id", "side", "value", "unit", "threshold", "source"}
    assert finding["source"] == "gokeler_2017, welling_2018"
    contributor = report["contributors"][0]
    assert set(contributor) >= {"id", "evidence", "explanation"}


def test_it_exits_2_with_every_field_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    path = Path("bad.yaml")
    path.write_text(
        "version: 1\ndate: 2026-11-20\n"
        "patient: {age_years: 140, sex: female, body_mass_kg: 60, height_cm: 167}\n"
        "symptoms: {side: right, location: anterior, duration_weeks: 8, worst_pain_nrs: 5}\n"
        "exam: {foo: 1}\n",
        encoding="utf-8",
    )
    result = invoke(["assess", str(path)])
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    assert "Error: bad.yaml: 2 errors" in result.output
    assert "patient.age_years: must be between 8 and 100 (got 140)" in result.output
    assert "exam.foo: unknown field" in result.output


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("empty.yaml", "", "the file is empty"),
        ("huge.json", 50 * 1024 * 1024, "must be at most 5 MB"),
        ("bad.yaml", "version: [1\n", "not valid YAML at line 2"),
    ],
    ids=["empty", "50 MB", "malformed YAML"],
)
def test_it_exits_2_for_an_unusable_file_without_a_traceback(
    tmp_path: Path, name: str, content: str | int, message: str
) -> None:
    """``content`` is the text, or the size in bytes of a file of zeros (written sparse)."""
    path = tmp_path / name
    with path.open("wb") as handle:
        if isinstance(content, int):
            handle.truncate(content)
        else:
            handle.write(content.encode("utf-8"))
    result = invoke(["assess", str(path)])
    assert result.exit_code == 2
    assert message in result.output
    assert "Traceback" not in result.output


def test_it_prints_the_urgency_first_and_what_raised_a_data_derived_flag() -> None:
    result = invoke(["assess", str(EXAMPLES / "adolescent-hip-referral.yaml")])
    assert result.exit_code == 0, result.output
    output = " ".join(result.output.split())
    assert output.index("EMERGENCY: go to an emergency department today.") < output.index(
        "REFER before any exercise programme."
    )
    assert "the data fit slipped capital femoral epiphysis (SCFE)" in output
    assert "hip osteoarthritis" not in output


def test_it_lists_differentials_and_contradictions_in_the_json(tmp_path: Path) -> None:
    result = invoke(["assess", str(EXAMPLES / "patellar-instability.yaml"), "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    (instability,) = report["differentials"]
    assert (instability["id"], instability["precaution_active"]) == ("patellar_instability", True)
    assert report["measures"]["koos_pf"]["status"] == "unconfirmed"
    assert report["contradictions"] == []
