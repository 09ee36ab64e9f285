"""Odd video inputs (issue 12): the right stream, frames counted by decoding, a pixel budget.

* an mkv with two video streams analyses the recording, not the thumbnail track, and is
  not called truncated;
* WebM without a duration (browsers' MediaRecorder) and raw ``.h264`` streams decode and
  are not refused as "has no frames";
* a picture over the pixel budget is refused from its header, before anything is decoded.
"""

from __future__ import annotations

import resource
from pathlib import Path

import numpy as np
import pytest
from odd_files import huge_png, live_webm, raw_h264, two_stream_mkv

from hipfirst.application.video_analysis import analyze_video
from hipfirst.errors import VideoInputError
from hipfirst.video.scripted_pose import ScriptedPose
from hipfirst.video_io.container import MAX_VIDEO_PIXELS
from hipfirst.video_io.decode import DecodeReport, iter_frames, probe
from video_files import write_video


def _no_person(frames: int) -> ScriptedPose:
    return ScriptedPose(np.full((frames, 33, 2), np.nan))


def test_it_reads_the_recording_of_an_mkv_with_two_video_streams(tmp_path: Path) -> None:
    path = two_stream_mkv(tmp_path / "two.mkv")
    info = probe(path)
    assert (info.width, info.height, info.frame_count) == (640, 480, 90)
    report = DecodeReport()
    frames = list(iter_frames(path, info=info, report=report))
    assert len(frames) == 90 and report.error == ""
    assert frames[10].image.shape == (480, 640, 3)
    red, green = frames[10].image[..., 0].mean(), frames[10].image[..., 1].mean()
    assert red == pytest.approx(50, abs=3) and green < 3  # the red recording, not the thumbnails


def test_it_does_not_call_a_two_stream_mkv_truncated(tmp_path: Path) -> None:
    path = two_stream_mkv(tmp_path / "two.mkv")
    data = analyze_video(path, task="single-leg-stance", estimator=_no_person(90)).data
    assert data["video"]["frame_count"] == 90
    assert data["quality"]["decoding"]["valid"] is True
    assert "truncated" not in " ".join(data["quality"]["warnings"])


@pytest.mark.parametrize(
    ("maker", "name", "codec"),
    [(live_webm, "recorded.webm", "vp8"), (raw_h264, "camera.h264", "h264")],
)
def test_it_analyses_playable_videos_whose_header_gives_no_frame_count(
    tmp_path: Path, maker: object, name: str, codec: str
) -> None:
    path = maker(tmp_path / name)  # type: ignore[operator]
    info = probe(path)
    assert (info.codec, info.width, info.height, info.frame_count) == (codec, 320, 240, 60)
    assert info.fps == pytest.approx(30.0)
    data = analyze_video(path, task="single-leg-stance", estimator=_no_person(60)).data
    assert data["video"]["frame_count"] == 60
    assert data["video"]["duration_s"] == pytest.approx(2.0, abs=0.05)
    assert data["quality"]["decoding"]["valid"] is True


def _peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


@pytest.mark.parametrize("name", ["huge.png", "huge.mp4"])  # the name does not fool it
def test_it_refuses_a_huge_image_from_its_header_before_decoding(tmp_path: Path, name: str) -> None:
    path = huge_png(tmp_path / name)
    assert path.stat().st_size < 400_000  # 389 KB declaring 400 million pixels
    before = _peak_rss_mib()
    with pytest.raises(
        VideoInputError,
        match=rf"image '{name}' is too large to analyse .* at most 64.0 megapixels are allowed",
    ):
        probe(path)
    assert _peak_rss_mib() - before < 100  # decoding it would take 1.2 GB


def test_it_refuses_an_image_just_over_the_budget_naming_its_size(tmp_path: Path) -> None:
    path = huge_png(tmp_path / "big.png", 8001, 8001)
    with pytest.raises(
        VideoInputError,
        match=r"image 'big.png': 8001x8001 pixels \(64.0 megapixels\) is too large to analyse",
    ):
        probe(path)


def test_it_refuses_a_video_over_the_pixel_budget_before_decoding(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write_video(tmp_path / "wide.mp4", 2, (640, 480))
    # an 8K-plus video is slow to make here, so the budget is lowered to below this one
    monkeypatch.setattr("hipfirst.video_io.container.MAX_VIDEO_PIXELS", 640 * 480 - 1)
    with pytest.raises(
        VideoInputError, match=r"video file 'wide.mp4': 640x480 pixels \(0.3 megapixels\)"
    ):
        probe(path)
    assert MAX_VIDEO_PIXELS == 7680 * 4320  # the real budget is 8K


def test_it_still_reads_a_4k_phone_video(tmp_path: Path) -> None:
    path = write_video(tmp_path / "uhd.mp4", 2, (3840, 2160))
    assert probe(path).width == 3840
