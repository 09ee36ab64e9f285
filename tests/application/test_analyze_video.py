"""analyze_video around the model: a synthetic video file, scripted landmarks with known angles.

The pose model itself runs on the real videos in ``test_analyze_real_videos.py``; here
:class:`ScriptedPose` replays landmarks whose angles are known by construction
(``video_skeleton.squat_landmarks``), so the numbers in ``summary.json`` can be
checked against hand-set values.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import numpy as np
import pytest

from hipfirst.application.video_analysis import analyze_video
from hipfirst.errors import InputValidationError, VideoInputError
from hipfirst.video.landmarks import Landmark
from hipfirst.video.scripted_pose import ScriptedPose
from video_files import write_image, write_video
from video_skeleton import (
    FPS,
    PAUSE,
    PEAK_FPPA,
    PEAK_PELVIS,
    PEAK_TRUNK,
    PERIOD,
    REPS,
    SIZE,
    n_frames,
    skeleton,
    squat_landmarks,
)


@pytest.fixture(scope="module")
def squat_video(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_video(tmp_path_factory.mktemp("squat") / "squat.mp4", n_frames(), SIZE, fps=FPS)


@pytest.fixture(scope="module")
def analysed(squat_video: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:
    out = tmp_path_factory.mktemp("results") / "run"
    fractions: list[float] = []
    summary = analyze_video(
        squat_video,
        task="single-leg-squat",
        out_dir=out,
        make_video=False,
        progress=fractions.append,
        estimator=ScriptedPose(squat_landmarks(n_frames())),
    )
    assert fractions == sorted(fractions) and fractions[-1] == 1.0
    assert summary.out_dir == out
    return out, json.loads((out / "summary.json").read_text("utf-8"))


def test_it_shows_a_given_display_name_instead_of_the_stored_file_name(squat_video: Path) -> None:
    data = analyze_video(
        squat_video,
        task="single-leg-squat",
        estimator=ScriptedPose(squat_landmarks(n_frames())),
        display_name="C/My squat.MOV",
    ).data
    assert data["video"]["file_name"] == "My squat.MOV"  # the name only, never a folder


def test_it_writes_every_output_and_nothing_half_done(analysed: tuple[Path, dict]) -> None:
    out, _ = analysed
    assert sorted(path.name for path in out.iterdir()) == [
        "angles.png",
        "frames.csv",
        "keyframes.png",
        "landmarks.trc",
        "summary.json",
    ]
    assert [path.name for path in out.parent.iterdir()] == ["run"]  # no staging folder left


def test_it_keeps_the_summary_contract(analysed: tuple[Path, dict]) -> None:
    _, data = analysed
    assert data["schema"] == "hipfirst.video-summary/1"
    assert data["task"] == "single-leg-squat"
    assert data["video"]["file_name"] == "squat.mp4"
    assert (data["video"]["width"], data["video"]["height"]) == SIZE
    assert data["video"]["frame_count"] == n_frames()
    for key in ("conventions", "software", "left_right_difference", "reps", "quality"):
        assert key in data
    assert data["software"]["mediapipe"] == "0.10.21"
    assert data["software"]["pose_model"]["files"] == [
        "pose_detection.tflite",
        "pose_landmark_full.tflite",
    ]
    assert data["people_seen"] == 1
    assert data["tracking_fraction"] == 1.0
    assert data["quality"]["valid"] is True
    assert data["quality"]["warnings"] == []
    assert set(data["per_side"]["left"]) == {
        "fppa_deg",
        "hip_adduction_deg",
        "pelvic_drop_deg",
        "trunk_lean_deg",
        "knee_flexion_deg",
    }


def test_it_reads_the_known_angles_at_each_deepest_point(analysed: tuple[Path, dict]) -> None:
    _, data = analysed
    reps = data["reps"]
    assert [rep["side"] for rep in reps] == ["left"] * REPS
    peaks = [PAUSE + k * (PERIOD + PAUSE) + PERIOD / 2 for k in range(REPS)]
    assert [rep["peak_s"] for rep in reps] == pytest.approx(peaks, abs=1.5 / FPS)
    left = data["per_side"]["left"]
    assert left["fppa_deg"]["mean"] == pytest.approx(PEAK_FPPA, abs=0.3)
    assert left["hip_adduction_deg"]["mean"] == pytest.approx(PEAK_FPPA / 2, abs=0.3)
    assert left["pelvic_drop_deg"]["mean"] == pytest.approx(PEAK_PELVIS, abs=0.3)
    assert left["trunk_lean_deg"]["mean"] == pytest.approx(PEAK_TRUNK, abs=0.3)
    assert left["fppa_deg"]["n"] == REPS
    assert left["fppa_deg"]["sd"] < 0.3


def test_it_flags_against_knowledge_base_thresholds_with_status(
    analysed: tuple[Path, dict],
) -> None:
    _, data = analysed
    fppa = data["per_side"]["left"]["fppa_deg"]
    # 16 deg > 13.5 deg (Herrington 2014 control mean + 1 SD, derived)
    assert fppa["flagged"] is True
    assert fppa["valid"] is True
    threshold = fppa["threshold"]
    assert (threshold["measure_id"], threshold["value"], threshold["direction"]) == (
        "fppa_sls_flag_female",
        13.5,
        "above",
    )
    assert (threshold["status"], threshold["sources"], threshold["unit"]) == (
        "derived",
        ["herrington_2014"],
        "deg",
    )
    assert fppa["threshold_note"] == "derived from women; sex not given"
    assert fppa["measurement_error"]["smallest_detectable_difference"]["value"] == 8.93
    # 6 deg pelvic drop < 11.2, 8 deg hip adduction < 16.4, 4 deg trunk lean < 9.7
    left = data["per_side"]["left"]
    assert [left[m]["flagged"] for m in ("pelvic_drop_deg", "hip_adduction_deg")] == [False, False]
    assert left["trunk_lean_deg"]["flagged"] is False
    assert left["knee_flexion_deg"]["valid"] is False
    assert left["knee_flexion_deg"]["mean"] is None
    assert left["knee_flexion_deg"]["reason"] == (
        "knee flexion is measured only from a side view (this one is front-on): from the "
        "front or at an angle the knee's bend is not its flexion"
    )


def test_it_says_why_the_side_without_reps_has_no_value(analysed: tuple[Path, dict]) -> None:
    _, data = analysed
    right = data["per_side"]["right"]["fppa_deg"]
    assert (right["mean"], right["n"], right["valid"], right["flagged"]) == (None, 0, False, None)
    assert right["reason"] == "no valid rep on this side"
    assert data["left_right_difference"]["fppa_deg"]["left_minus_right"] is None


def test_it_writes_one_csv_row_per_frame(analysed: tuple[Path, dict]) -> None:
    out, _ = analysed
    with (out / "frames.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == n_frames()
    assert rows[1]["time_s"] == f"{1 / FPS:.4f}"
    assert rows[0]["valid"] == "1"
    deepest = round((PAUSE + PERIOD / 2) * FPS)
    assert float(rows[deepest]["fppa_deg_left"]) == pytest.approx(PEAK_FPPA, abs=0.3)


def test_it_leaves_earlier_results_intact_when_a_new_run_fails(
    analysed: tuple[Path, dict], tmp_path: Path
) -> None:
    out, _ = analysed
    before = (out / "summary.json").read_bytes()
    bad = tmp_path / "broken.mp4"
    bad.write_text("not a video")
    with pytest.raises(VideoInputError, match="not a readable video"):
        analyze_video(bad, task="single-leg-squat", out_dir=out, make_video=False)
    assert (out / "summary.json").read_bytes() == before


def test_it_refuses_to_replace_a_folder_holding_other_files(
    squat_video: Path, tmp_path: Path
) -> None:
    (tmp_path / "thesis.docx").write_text("precious")
    with pytest.raises(
        InputValidationError, match=r"out: folder holds other files \(thesis.docx\)"
    ):
        analyze_video(squat_video, task="single-leg-squat", out_dir=tmp_path, make_video=False)
    assert (tmp_path / "thesis.docx").read_text() == "precious"


def test_it_names_the_allowed_tasks_and_sides(squat_video: Path) -> None:
    with pytest.raises(
        InputValidationError,
        match=r"task: unknown task; allowed: single-leg-squat, step-down, landing, running, "
        r"single-leg-stance \(got 'squat'\)",
    ):
        analyze_video(squat_video, task="squat")
    with pytest.raises(
        InputValidationError, match=r"side: allowed: left, right, auto \(got 'up'\)"
    ):
        analyze_video(squat_video, task="running", side="up")  # type: ignore[arg-type]


def test_it_reports_a_video_without_a_person_in_the_quality_section(
    squat_video: Path,
) -> None:
    nobody = np.full((n_frames(), 33, 2), np.nan)
    data = analyze_video(squat_video, task="single-leg-squat", estimator=ScriptedPose(nobody)).data
    assert data["quality"]["valid"] is False
    assert data["people_seen"] == 0
    assert data["tracking_fraction"] == 0.0
    assert "no person was found in the video" in data["quality"]["warnings"]
    assert data["reps"] == []


def test_it_flags_a_person_partly_out_of_the_picture(squat_video: Path) -> None:
    # moved down by 200 px: the ankles leave the bottom of the 640 px frame
    low = squat_landmarks(n_frames(), shift_y=200.0)
    assert np.nanmax(low[:, Landmark.LEFT_ANKLE, 1]) > SIZE[1]
    data = analyze_video(squat_video, task="single-leg-squat", estimator=ScriptedPose(low)).data
    check = data["quality"]["fully_visible"]
    assert check["valid"] is False
    assert check["reason"].startswith("shoulders, hips, knees or ankles were outside the picture")
    assert data["quality"]["valid"] is False


def test_it_warns_about_slow_motion_frame_rates(tmp_path: Path) -> None:
    path = write_video(tmp_path / "slowmo.mp4", 60, (160, 120), fps=240)
    frames = np.stack([skeleton(centre=(80.0, 60.0)) * 0.1 for _ in range(60)])
    frames = frames - frames[0].mean(axis=0) + np.array([80.0, 60.0])
    data = analyze_video(path, task="single-leg-stance", estimator=ScriptedPose(frames)).data
    check = data["quality"]["frame_rate"]
    assert check["valid"] is False
    assert "(slow motion?)" in check["reason"]


def test_it_analyses_a_still_image_as_one_frame(tmp_path: Path) -> None:
    path = write_image(tmp_path / "stance.png", SIZE)
    one = squat_landmarks(1)
    data = analyze_video(path, task="single-leg-squat", estimator=ScriptedPose(one)).data
    assert data["video"]["is_image"] is True
    assert data["video"]["frame_count"] == 1
    assert data["quality"]["valid_reps"] == {
        "value": 0,
        "valid": False,
        "reason": "0 valid reps found, at least 3 needed for task 'single-leg-squat'",
    }
