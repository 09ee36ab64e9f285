"""Reading ``hipfirst analyze`` summaries into VideoMetrics."""

from __future__ import annotations

from pathlib import Path

import pytest

from hipfirst.errors import FileFormatError, InputValidationError
from hipfirst.io.video_summary import parse_video_summary, read_video_summary


def test_it_keeps_known_metrics_and_quality() -> None:
    metrics = parse_video_summary(
        {
            "schema": "hipfirst.video-summary/1",
            "task": "running",
            "per_side": {"right": {"pelvic_drop_deg": {"mean": 6.5, "n": 12, "valid": True}}},
            "quality": {"valid": False, "warnings": ["oblique camera"]},
        },
        "s.json",
    )
    assert metrics.per_side["right"]["pelvic_drop_deg"].mean == 6.5
    assert metrics.per_side["right"]["pelvic_drop_deg"].threshold is None
    assert metrics.quality_valid is False
    assert metrics.warnings == ["oblique camera"]


def test_it_names_a_wrong_task() -> None:
    with pytest.raises(
        InputValidationError,
        match=r"s.json: 1 error\n  - task: must be one of: single-leg-squat, step-down, landing, "
        r"running, single-leg-stance \(got 'swimming'\)",
    ):
        parse_video_summary({"schema": "hipfirst.video-summary/1", "task": "swimming"}, "s.json")


def test_it_refuses_a_non_object() -> None:
    with pytest.raises(InputValidationError, match=r"\(top level\): must be a JSON object"):
        parse_video_summary([1], "s.json")


def test_it_reads_a_summary_written_by_hipfirst_analyze() -> None:
    # Produced by `hipfirst analyze lab-single-leg-balance-oblique.mp4 --task single-leg-stance`;
    # the oblique camera makes every frontal-plane value doubtful.
    path = Path(__file__).parent / "data" / "lab-single-leg-stance-summary.json"
    metrics = read_video_summary(path)
    assert metrics.task == "single-leg-stance"
    assert metrics.quality_valid is False
    assert set(metrics.per_side["left"]) == {
        "fppa_deg",
        "hip_adduction_deg",
        "pelvic_drop_deg",
        "trunk_lean_deg",
    }
    assert all(not m.valid for side in metrics.per_side.values() for m in side.values())


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('{"schema": ', r"s.json: not valid JSON at line 1, column 12: Expecting value$"),
        ("\n", r"s.json: the file is empty; expected a video summary from 'hipfirst analyze'$"),
    ],
    ids=["malformed", "empty"],
)
def test_it_refuses_an_unreadable_summary_with_the_guarded_reader(
    tmp_path: Path, text: str, message: str
) -> None:
    path = tmp_path / "s.json"
    path.write_text(text, "utf-8")
    with pytest.raises(FileFormatError, match=message):
        read_video_summary(path)


def test_it_names_the_field_of_a_missing_summary(tmp_path: Path) -> None:
    with pytest.raises(InputValidationError, match=r"exam.video_analyses\[0\]: video summary file"):
        read_video_summary(tmp_path / "gone.json", "exam.video_analyses[0]")


def _summary(metric: dict[str, object]) -> dict[str, object]:
    return {
        "schema": "hipfirst.video-summary/1",
        "task": "single-leg-squat",
        "per_side": {"left": {"fppa_deg": metric}},
    }


@pytest.mark.parametrize(
    ("metric", "message"),
    [
        (
            {"mean": float("nan"), "n": 5, "valid": True},
            "per_side.left.fppa_deg.mean: must be a finite angle from -180 to 180 degrees, "
            "or null (got nan)",
        ),
        ({"mean": float("inf"), "n": 5, "valid": True}, "fppa_deg.mean: must be a finite angle"),
        ({"mean": 1e308, "n": 5, "valid": True}, "(got 1e+308)"),
        ({"mean": 7.0, "sd": -1.0, "n": 5}, "fppa_deg.sd: must be a finite angle from 0 to 180"),
        ({"mean": 7.0, "n": -5}, "fppa_deg.n: must be a whole number from 0 to 100,000 (got -5)"),
        ({"mean": 7.0, "n": 2.5}, "fppa_deg.n: must be a whole number"),
        ({"mean": 7.0, "n": True}, "fppa_deg.n: must be a whole number"),
        ({"mean": "7", "n": 5}, "fppa_deg.mean: must be a finite angle"),
        ({"mean": 7.0, "n": 5, "valid": "yes"}, "fppa_deg.valid: must be true or false"),
        (
            {"mean": None, "n": 0, "valid": True},
            "fppa_deg.valid: a valid metric needs a mean",
        ),
    ],
)
def test_it_validates_metrics_as_strictly_as_an_assessment(
    metric: dict[str, object], message: str
) -> None:
    with pytest.raises(InputValidationError) as caught:
        parse_video_summary(_summary(metric), "s.json")
    assert message in str(caught.value)


def test_it_refuses_nan_in_a_summary_file(tmp_path: Path) -> None:
    path = tmp_path / "summary.json"
    path.write_text(
        '{"schema": "hipfirst.video-summary/1", "task": "running", '
        '"per_side": {"left": {"fppa_deg": {"mean": NaN, "n": 3, "valid": true}}}}',
        "utf-8",
    )
    with pytest.raises(FileFormatError, match="NaN is not a finite number"):
        read_video_summary(path)
