"""What the annotated video says on each frame: readouts, rep counter, peak marker, quality."""

from __future__ import annotations

from pathlib import Path

from synthetic_result import REPS, make_result, rep

from hipfirst.video.types import RepEvent, angle_key
from hipfirst.video_io.overlay import frame_labels, rep_counter


def test_it_counts_reps_and_marks_peaks_on_the_frames(video: Path) -> None:
    result = make_result(video, REPS, quality_valid=False)

    assert rep_counter(result.reps, 0) == "Rep 1/4 (left)"
    assert rep_counter(result.reps, 25) == "Rep 3/4 (right)"
    assert rep_counter(result.reps, 44) == "Reps done 4/4"
    assert rep_counter((), 3) == "Reps: none detected"

    labels = frame_labels(result, 18)
    assert labels.peak == "PEAK rep 2 (left): FPPA 18.5 deg"
    # at 0.6 s the series are 5, 6, 7 ± 4 sin(1.8) = ± 3.90 (FPPA left: the rep's 18.5);
    # trunk lean and knee flexion are NaN throughout: no line for them
    assert labels.readouts == (
        "FPPA (valgus +): L 18.5 R 1.1 deg",
        "Hip adduction: L 9.9 R 2.1 deg",
        "Pelvic drop: L 10.9 R 3.1 deg",
    )
    assert labels.quality_note == "Quality doubtful: see summary"
    assert frame_labels(result, 13).peak == labels.peak  # 5 frames = 0.17 s from the peak
    assert frame_labels(result, 44).peak is None  # 8 frames = 0.27 s after the last peak


def test_it_shows_the_angle_of_the_frame_at_the_peak_of_a_hold(video: Path) -> None:
    hold = RepEvent(**{**rep(1, "left", 0, 20, 40, fppa=6.0).__dict__, "kind": "hold"})
    result = make_result(video, (hold,))
    result.series.data[angle_key("fppa_deg", "left")][20] = 11.0  # the frame; 6.0 is the mean

    assert frame_labels(result, 20).peak == "PEAK hold 1 (left): FPPA 11.0 deg"
    assert frame_labels(result, 20).quality_note is None
