"""The validation harness on the real lab video: no error may grow past its figure of record."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from validation.harness import RECORD, evaluate

from validation import reference as ref

TOLERANCE_DEG = 1.0
"""An RMSE may grow at most this much past the figure of record (issue 9)."""

pytestmark = [
    pytest.mark.video,
    pytest.mark.skipif(
        not ref.VIDEO.is_file(), reason="../shared/data is not beside the repository"
    ),
]


@pytest.fixture(scope="module")
def results(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    return evaluate(tmp_path_factory.mktemp("validation") / "out")


def _record() -> dict[str, Any]:
    document: dict[str, Any] = json.loads(RECORD.read_text("utf-8"))
    return document


RECORDED = sorted(
    metric for metric, stats in _record()["metrics"].items() if stats["rmse_deg"] is not None
)
"""Metrics with a figure of record (knee flexion is not reported from this view: no figure)."""


@pytest.mark.parametrize("metric", RECORDED)
def test_no_error_grows_past_its_figure_of_record(results: dict[str, Any], metric: str) -> None:
    recorded = _record()["metrics"][metric]["rmse_deg"]
    now = results["metrics"][metric]["rmse_deg"]
    if recorded is None or now is None:
        pytest.skip(f"{metric}: not compared (no record or not reported)")
    assert now <= recorded + TOLERANCE_DEG, f"{metric}: RMSE {now}° vs record {recorded}°"


def test_the_stance_leg_metrics_are_compared_over_the_whole_hold(results: dict[str, Any]) -> None:
    for metric in ("pelvic_drop_deg_left", "hip_adduction_deg_left"):
        assert results["metrics"][metric]["frames"] >= 50, metric


def test_it_writes_the_docs_page(results: dict[str, Any], tmp_path: Path) -> None:
    from validation.report import write_docs

    page = tmp_path / "validation.md"
    write_docs(results, page)
    text = page.read_text("utf-8")
    assert "| pelvic drop, stance (left) leg |" in text
    assert f"commit `{results['commit']}`" in text
    assert "## Limits" in text
    assert "Other pose models" not in text


def test_it_lists_another_models_figures_beside_the_default(
    results: dict[str, Any], tmp_path: Path
) -> None:
    from validation.report import write_docs

    other = {**results, "model": "heavy"}  # the same figures, named as another model's run
    page = tmp_path / "validation.md"
    write_docs(results, page, [other])
    rows = [line for line in page.read_text("utf-8").splitlines() if line.startswith("| `heavy`")]
    pelvis = results["metrics"]["pelvic_drop_deg_left"]
    assert len(rows) == 3
    assert rows[0].startswith("| `heavy` | pelvic drop, stance (left) leg | 56 |")
    assert f"| {pelvis['rmse_deg']:g}° |" in rows[0] and rows[0].endswith("| 1 / 0 |")


def test_the_lab_video_has_one_hold_on_the_left_leg_only(results: dict[str, Any]) -> None:
    assert results["holds_per_side"] == {"left": 1, "right": 0}
    (hold,) = results["holds"]
    first, last = results["single_leg_frames"]
    # from foot-off to foot-down of the right foot, within a few frames of the reference's
    assert abs(hold["start_frame"] - first) <= 6
    assert abs(hold["end_frame"] - last) <= 6


def test_no_valid_frame_has_crossed_labels(results: dict[str, Any]) -> None:
    assert results["labels"]["swapped_frames"] == {"hip": 0, "knee": 0, "ankle": 0}
    assert results["labels"]["repaired_frames"] is not None


def test_knee_flexion_is_not_reported_from_the_oblique_view(results: dict[str, Any]) -> None:
    assert results["summary_validity"]["knee_flexion_deg"] is False
    assert results["metrics"]["knee_flexion_deg_left"]["frames"] == 0
    # what it would have shown: the 2D knee bend, 20-30° below the reference's flexion
    assert results["metrics"]["knee_bend_2d_deg_left"]["bias_deg"] < -15


def test_the_stance_leg_errors_are_no_worse_than_before_the_repairs(
    results: dict[str, Any],
) -> None:
    # issue 9's figures before this work: pelvic drop 2.37°, stance hip adduction 3.35°
    assert results["metrics"]["pelvic_drop_deg_left"]["rmse_deg"] <= 2.4
    assert results["metrics"]["hip_adduction_deg_left"]["rmse_deg"] <= 3.35


def test_the_knowledge_base_prints_the_errors_of_record() -> None:
    # the measurement error shown with each number is the harness's figure of record
    from hipfirst.knowledge.loader import knowledge_base

    kb = knowledge_base()
    metrics = _record()["metrics"]
    for measure, metric in (
        ("pelvic_drop_rmse_lab_oblique", "pelvic_drop_deg_left"),
        ("hip_adduction_rmse_lab_oblique", "hip_adduction_deg_left"),
        ("trunk_lean_rmse_lab_oblique", "trunk_lean_deg_left"),
        ("knee_flexion_rmse_lab_oblique", "knee_bend_2d_deg_left"),
    ):
        assert kb.measure(measure).value == metrics[metric]["rmse_deg"], measure
