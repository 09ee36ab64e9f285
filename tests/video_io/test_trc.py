"""The .trc marker file: header consistency and a round trip back to the numbers."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from hipfirst.video_io.trc import nominal_rate_hz, write_trc


@dataclass
class ParsedTrc:
    first_line: list[str]
    header: dict[str, str]
    names: list[str]
    axes: list[str]
    frames: list[int]
    times: npt.NDArray[np.float64]
    xyz: dict[str, npt.NDArray[np.float64]]  # name -> (n, 3), NaN where the cells were empty


def parse_trc(path: Path) -> ParsedTrc:
    """An independent reader, written from the format description (not the writer)."""
    lines = path.read_text(encoding="utf-8").split("\n")
    assert lines[-1] == ""
    first = lines[0].split("\t")
    header = dict(zip(lines[1].split("\t"), lines[2].split("\t"), strict=True))
    name_cells = lines[3].split("\t")
    assert name_cells[:2] == ["Frame#", "Time"]
    names = [cell for cell in name_cells[2:] if cell]
    axes = lines[4].split("\t")
    assert lines[5] == ""
    rows = [line.split("\t") for line in lines[6:-1]]
    frames = [int(row[0]) for row in rows]
    times = np.array([float(row[1]) for row in rows])
    xyz = {}
    for index, name in enumerate(names):
        cells = [row[2 + 3 * index : 5 + 3 * index] for row in rows]
        xyz[name] = np.array([[float(c) if c else np.nan for c in triple] for triple in cells])
    return ParsedTrc(first, header, names, axes, frames, times, xyz)


def test_it_writes_a_header_consistent_with_the_data(tmp_path: Path) -> None:
    times = np.array([0.0, 1 / 30, 2 / 30, 3 / 30])
    landmarks = {
        "left_hip": np.array([[100.0, 200.0], [101.0, 201.0], [102.0, 202.0], [103.0, 203.0]]),
        "left_knee": np.array([[110.0, 300.0], [111.5, 301.25], [112.0, 302.0], [113.0, 303.0]]),
    }
    path = write_trc(tmp_path / "landmarks.trc", times, landmarks)

    trc = parse_trc(path)
    assert trc.first_line == ["PathFileType", "4", "(X/Y/Z)", "landmarks.trc"]
    assert trc.header == {
        "DataRate": "30.000000",
        "CameraRate": "30.000000",
        "NumFrames": "4",
        "NumMarkers": "2",
        "Units": "px",
        "OrigDataRate": "30.000000",
        "OrigDataStartFrame": "1",
        "OrigNumFrames": "4",
    }
    assert trc.names == ["left_hip", "left_knee"]
    assert trc.axes == ["", "", "X1", "Y1", "Z1", "X2", "Y2", "Z2"]
    assert trc.frames == [1, 2, 3, 4]
    # Each marker name sits above its X column: Frame#, Time, then every third cell.
    name_cells = path.read_text().split("\n")[3].split("\t")
    assert name_cells == ["Frame#", "Time", "left_hip", "", "", "left_knee"]


def test_it_round_trips_to_the_numbers_with_y_pointing_up(tmp_path: Path) -> None:
    times = np.array([0.0, 0.04, 0.08])
    knee = np.array([[640.125, 360.5], [641.0, 362.75], [642.5, 365.0]])
    path = write_trc(tmp_path / "knee.trc", times, {"knee": knee})

    trc = parse_trc(path)
    np.testing.assert_allclose(trc.times, times, atol=1e-6)
    # X unchanged, Y negated (Sports2D's pixel convention), Z zero.
    expected = np.array([[640.125, -360.5, 0.0], [641.0, -362.75, 0.0], [642.5, -365.0, 0.0]])
    np.testing.assert_allclose(trc.xyz["knee"], expected, atol=1e-3)
    assert trc.header["DataRate"] == "25.000000"


def test_it_keeps_image_y_when_asked(tmp_path: Path) -> None:
    path = write_trc(
        tmp_path / "a.trc", [0.0, 0.5], {"ankle": [[1.0, 2.0], [3.0, 4.0]]}, y_up=False
    )
    np.testing.assert_allclose(parse_trc(path).xyz["ankle"][:, 1], [2.0, 4.0])


def test_it_leaves_missing_landmarks_as_empty_cells(tmp_path: Path) -> None:
    hip = np.array([[1.0, 1.0], [np.nan, np.nan], [3.0, 3.0]])
    path = write_trc(tmp_path / "gap.trc", [0.0, 0.1, 0.2], {"hip": hip})

    row = path.read_text().split("\n")[7]
    assert row == "2\t0.100000\t\t\t"
    trc = parse_trc(path)
    assert np.isnan(trc.xyz["hip"][1]).all()
    np.testing.assert_allclose(trc.xyz["hip"][2], [3.0, -3.0, 0.0])


def test_it_uses_the_median_interval_for_a_variable_frame_rate() -> None:
    # Intervals 1/30, 1/30, 1/15 (a dropped frame), 1/30: median 1/30 s.
    times = np.cumsum([0.0, 1 / 30, 1 / 30, 1 / 15, 1 / 30])
    assert nominal_rate_hz(times) == pytest.approx(30.0)


def test_it_writes_a_single_frame_when_given_the_rate(tmp_path: Path) -> None:
    path = write_trc(tmp_path / "still.trc", [0.0], {"hip": [[5.0, 6.0]]}, data_rate_hz=30.0)
    trc = parse_trc(path)
    assert trc.header["NumFrames"] == "1"
    np.testing.assert_allclose(trc.xyz["hip"], [[5.0, -6.0, 0.0]])


def test_it_refuses_a_single_frame_without_a_rate(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match=r"need at least 2 timestamps .* pass data_rate_hz"):
        write_trc(tmp_path / "still.trc", [0.0], {"hip": [[5.0, 6.0]]})


def test_it_refuses_arrays_that_do_not_match_the_times(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match=r"landmarks_px\['hip'\]: expected shape \(3, 2\)"):
        write_trc(tmp_path / "x.trc", [0.0, 0.1, 0.2], {"hip": [[1.0, 2.0]]})


def test_it_refuses_times_that_go_backwards(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="strictly increasing"):
        write_trc(tmp_path / "x.trc", [0.0, 0.2, 0.1], {"hip": np.zeros((3, 2))})


def test_it_refuses_marker_names_with_spaces(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="marker names must be one word"):
        write_trc(tmp_path / "x.trc", [0.0, 0.1], {"left hip": np.zeros((2, 2))})


def test_it_leaves_no_partial_file_behind(tmp_path: Path) -> None:
    write_trc(tmp_path / "x.trc", [0.0, 0.1], {"hip": np.zeros((2, 2))})
    assert sorted(p.name for p in tmp_path.iterdir()) == ["x.trc"]


coordinates = st.floats(min_value=-5000, max_value=5000, allow_nan=False)


@settings(max_examples=40, deadline=None)
@given(
    points=arrays(np.float64, st.tuples(st.integers(2, 12), st.just(2)), elements=coordinates),
    step=st.floats(min_value=1e-3, max_value=0.5),
)
def test_it_round_trips_any_trajectory(
    tmp_path_factory: pytest.TempPathFactory, points: npt.NDArray[np.float64], step: float
) -> None:
    path = tmp_path_factory.mktemp("trc") / "p.trc"
    times = np.arange(points.shape[0]) * step
    write_trc(path, times, {"m": points})

    trc = parse_trc(path)
    assert int(trc.header["NumFrames"]) == points.shape[0] == len(trc.frames)
    np.testing.assert_allclose(trc.xyz["m"][:, 0], points[:, 0], atol=5e-4)
    np.testing.assert_allclose(trc.xyz["m"][:, 1], -points[:, 1], atol=5e-4)
    assert (trc.xyz["m"][:, 2] == 0).all()
    np.testing.assert_allclose(trc.times, times, atol=5e-7)
