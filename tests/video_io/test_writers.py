"""The files of one analysis folder: summary.json, frames.csv, landmarks.trc, all or nothing."""

from __future__ import annotations

import csv
import json
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from synthetic_result import REPS, make_result

from hipfirst.errors import HipfirstError, InputValidationError
from hipfirst.video.types import TimeSeries
from hipfirst.video_io.output_folder import check_output_folder
from hipfirst.video_io.writers import (
    frame_columns,
    write_frames,
    write_landmarks,
    write_outputs,
    write_summary,
)

EARLIER = '{"schema": "hipfirst.video-summary/1"}'


def test_it_writes_summary_json_indented_with_nan_as_null(tmp_path: Path) -> None:
    document = {"mean": float("nan"), "sd": np.float64(1.25), "frames": (1, 2), "name": "é"}

    path = write_summary(document, tmp_path)

    assert path == tmp_path / "summary.json"
    assert path.read_text("utf-8") == (
        '{\n  "mean": null,\n  "sd": 1.25,\n  "frames": [\n    1,\n    2\n  ],\n  "name": "é"\n}\n'
    )


def test_it_names_the_frames_csv_columns() -> None:
    columns = frame_columns()

    assert columns[:8] == [
        "frame",
        "time_s",
        "valid",
        "person_tracked",
        "mean_confidence",
        "left_shoulder_x_px",
        "left_shoulder_y_px",
        "left_shoulder_visibility",
    ]
    assert columns[26:29] == ["right_ankle_x_px", "right_ankle_y_px", "right_ankle_visibility"]
    assert columns[29:] == [
        "fppa_deg_left",
        "fppa_deg_right",
        "hip_adduction_deg_left",
        "hip_adduction_deg_right",
        "pelvic_drop_deg_left",
        "pelvic_drop_deg_right",
        "trunk_lean_deg_left",
        "trunk_lean_deg_right",
        "knee_flexion_deg_left",
        "knee_flexion_deg_right",
        "left_right_repaired",
    ]


def test_it_writes_one_frames_csv_row_per_frame_with_blank_cells_for_missing_values(
    tmp_path: Path, video: Path
) -> None:
    result = make_result(video, REPS)

    with write_frames(result, tmp_path).open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))

    assert len(rows) == 45
    row = rows[18]
    assert (row["frame"], row["time_s"], row["valid"], row["person_tracked"]) == (
        "18",
        "0.6000",
        "1",
        "1",
    )
    assert row["mean_confidence"] == "0.900"
    # the stick figure's left hip is at (178, 120) px
    assert (row["left_hip_x_px"], row["left_hip_y_px"]) == ("178.00", "120.00")
    assert row["fppa_deg_left"] == "18.50"  # rep 2's value at its peak
    assert row["trunk_lean_deg_left"] == ""  # NaN: not measurable
    assert rows[44]["valid"] == "0"


def test_it_marks_the_frames_whose_left_right_labels_were_repaired(
    tmp_path: Path, video: Path
) -> None:
    result = make_result(video, REPS)
    repaired = np.zeros(len(result.series), dtype=bool)
    repaired[10:13] = True
    series = result.series.with_data(left_right_repaired=repaired)
    with write_frames(replace(result, series=series), tmp_path).open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert [row["frame"] for row in rows if row["left_right_repaired"] == "1"] == ["10", "11", "12"]
    assert {row["left_right_repaired"] for row in rows} == {"0", "1"}


def test_it_writes_landmarks_trc_unless_there_is_a_single_frame(
    tmp_path: Path, video: Path
) -> None:
    result = make_result(video, REPS)
    assert write_landmarks(result, tmp_path) == tmp_path / "landmarks.trc"
    lines = (tmp_path / "landmarks.trc").read_text("utf-8").splitlines()
    assert lines[0] == "PathFileType\t4\t(X/Y/Z)\tlandmarks.trc"
    assert lines[3].startswith("Frame#\tTime\tnose\t\t\tleft_eye_inner")
    assert len(lines) == 6 + 45

    one = TimeSeries(
        time_s=result.series.time_s[:1],
        data={name: values[:1] for name, values in result.series.data.items()},
    )
    assert write_landmarks(replace(result, series=one), tmp_path / "none") is None


def test_it_refuses_a_file_or_a_folder_holding_other_files(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("mine")
    with pytest.raises(InputValidationError, match=r"out: must be a folder, not a file"):
        check_output_folder(tmp_path / "notes.txt")
    with pytest.raises(
        InputValidationError, match=r"out: folder holds other files \(notes.txt\); give a new"
    ):
        check_output_folder(tmp_path)
    earlier = tmp_path / "earlier"
    earlier.mkdir()
    (earlier / "summary.json").write_text(EARLIER)
    check_output_folder(earlier)  # an earlier analysis may be replaced
    check_output_folder(tmp_path / "new")


def test_it_replaces_an_earlier_analysis_in_one_move(tmp_path: Path, video: Path) -> None:
    out = tmp_path / "run"
    out.mkdir()
    (out / "summary.json").write_text(EARLIER)
    (out / "annotated.mp4").write_text("an earlier video")
    seen: list[float] = []

    write_outputs(make_result(video, REPS), out, make_video=False, progress=seen.append, start=0.5)

    assert sorted(path.name for path in out.iterdir()) == [
        "angles.png",
        "frames.csv",
        "keyframes.png",
        "landmarks.trc",
        "summary.json",
    ]
    assert json.loads((out / "summary.json").read_text("utf-8")) == {}
    assert sorted(path.name for path in tmp_path.iterdir()) == ["clip.mp4", "run"]  # no staging
    assert seen[0] >= 0.5 and seen[-1] == 1.0


def test_it_leaves_no_partial_folder_when_writing_fails_half_way(
    tmp_path: Path, video: Path
) -> None:
    result = make_result(video, REPS)
    earlier = tmp_path / "earlier"
    earlier.mkdir()
    (earlier / "summary.json").write_text(EARLIER)
    video.write_text("the video was replaced while the results were being written")

    with pytest.raises(HipfirstError):
        write_outputs(result, earlier, make_video=True, progress=lambda _: None, start=0)

    assert sorted(path.name for path in tmp_path.iterdir()) == ["clip.mp4", "earlier"]
    assert [path.name for path in earlier.iterdir()] == ["summary.json"]
    assert (earlier / "summary.json").read_text() == EARLIER
