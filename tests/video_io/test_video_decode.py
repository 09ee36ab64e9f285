"""Decoding: rotation metadata, real timestamps, downscaling, still images and bad files."""

from __future__ import annotations

from pathlib import Path

import av
import numpy as np
import pytest

from hipfirst.errors import VideoInputError
from hipfirst.video_io.decode import DecodeReport, final_info, iter_frames, model_size, probe
from video_files import write_image, write_video


def white_corner(image: np.ndarray) -> tuple[float, float]:
    """(row, column) centre of the white block."""
    rows, cols = np.nonzero(image[..., 0] > 200)
    return float(rows.mean()), float(cols.mean())


def test_it_reads_size_rate_count_and_codec(tmp_path: Path) -> None:
    info = probe(write_video(tmp_path / "clip.mp4", 12, (160, 120), fps=25))
    assert (info.width, info.height, info.rotation) == (160, 120, 0)
    assert info.frame_count == 12
    assert info.fps == pytest.approx(25.0)
    assert info.codec == "h264"


@pytest.mark.parametrize(
    ("name", "codec", "expected"),
    [
        ("phone.mov", "libx264", "h264"),
        ("phone.m4v", "libx264", "h264"),
        ("web.webm", "libvpx-vp9", "vp9"),
        ("old.avi", "mpeg4", "mpeg4"),
        ("android.mp4", "libx265", "hevc"),
    ],
)
def test_it_reads_common_phone_and_web_formats(
    tmp_path: Path, name: str, codec: str, expected: str
) -> None:
    path = write_video(tmp_path / name, 5, (160, 120), fps=25, codec=codec)
    info = probe(path)
    assert (info.codec, info.width, info.height) == (expected, 160, 120)
    assert sum(1 for _ in iter_frames(path, info=info)) == 5


@pytest.mark.parametrize(
    ("rotation_ccw", "clockwise", "corner"),
    [
        # a phone held upright writes -90 (turn the picture 90° clockwise to show it)
        (-90, 90, "top-right"),
        (90, 270, "bottom-left"),
    ],
)
def test_it_turns_portrait_phone_video_upright(
    tmp_path: Path, rotation_ccw: int, clockwise: int, corner: str
) -> None:
    path = write_video(tmp_path / "portrait.mp4", 3, (160, 120), rotation_ccw=rotation_ccw)
    info = probe(path)
    assert (info.width, info.height, info.rotation) == (120, 160, clockwise)
    first = next(iter_frames(path, info=info))
    assert first.image.shape == (160, 120, 3)
    row, col = white_corner(first.image)
    expected = {"top-right": (7.5, 112.0), "bottom-left": (152.0, 7.5)}[corner]
    assert row == pytest.approx(expected[0], abs=2.0)
    assert col == pytest.approx(expected[1], abs=2.0)


def test_it_keeps_the_real_timestamps_of_a_variable_frame_rate_video(tmp_path: Path) -> None:
    path = write_video(tmp_path / "vfr.mp4", 8, intervals_ms=[50, 33])
    report = DecodeReport()
    times = [frame.time_s for frame in iter_frames(path, report=report)]
    assert times == pytest.approx([0.0, 0.05, 0.083, 0.133, 0.166, 0.216, 0.249, 0.299])
    info = final_info(probe(path), report)
    assert info.variable_frame_rate
    assert info.fps == pytest.approx(7 / 0.299)


def test_it_downscales_very_large_frames_for_the_model(tmp_path: Path) -> None:
    path = write_video(tmp_path / "uhd.mp4", 2, (3840, 2160))
    info = probe(path)
    size = model_size(info)
    assert size == (1920, 1080)
    frame = next(iter_frames(path, info=info, size=size))
    assert frame.image.shape == (1080, 1920, 3)


def test_it_reads_a_still_image_as_one_frame(tmp_path: Path) -> None:
    path = write_image(tmp_path / "pose.png", (200, 300))
    info = probe(path)
    assert info.is_image and info.frame_count == 1
    frames = list(iter_frames(path, info=info))
    assert len(frames) == 1
    assert frames[0].image.shape == (300, 200, 3)
    assert frames[0].time_s == 0.0


def test_it_refuses_a_text_file_named_like_a_video(tmp_path: Path) -> None:
    path = tmp_path / "notes.mp4"
    path.write_text("this is not a video\n" * 50)
    with pytest.raises(VideoInputError, match=r"'notes.mp4' is not a readable video"):
        probe(path)


def test_it_refuses_a_truncated_copy_of_a_real_video(tmp_path: Path, shared_videos: Path) -> None:
    source = shared_videos / "lab-single-leg-balance-oblique.mp4"
    path = tmp_path / "cut.mp4"
    path.write_bytes(source.read_bytes()[: source.stat().st_size // 2])
    with pytest.raises(VideoInputError, match="may be truncated or corrupt"):
        probe(path)


def test_it_notes_a_truncated_file_whose_header_came_first(tmp_path: Path) -> None:
    full = write_video(tmp_path / "full.mp4", 60, (160, 120), faststart=True)
    path = tmp_path / "cut.mp4"
    path.write_bytes(full.read_bytes()[: int(full.stat().st_size * 0.6)])
    report = DecodeReport()
    frames = sum(1 for _ in iter_frames(path, report=report))
    assert 0 < frames < 60


def test_it_refuses_an_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "empty.mov"
    path.touch()
    with pytest.raises(VideoInputError, match=r"'empty.mov' is empty \(0 bytes\)"):
        probe(path)


def test_it_refuses_a_missing_file(tmp_path: Path) -> None:
    with pytest.raises(VideoInputError, match="does not exist"):
        probe(tmp_path / "nope.mp4")


def test_it_refuses_an_absurdly_small_picture(tmp_path: Path) -> None:
    path = write_video(tmp_path / "tiny.mp4", 3, (64, 48))
    with pytest.raises(
        VideoInputError, match=r"resolution 64x48 is too small; each side must be at least 96 px"
    ):
        probe(path)


def write_sound_only(path: Path, *, empty_video_stream: bool) -> Path:
    """An mp4 with a little silence and, optionally, a video stream that got no frames."""
    with av.open(str(path), "w") as container:
        video = None
        if empty_video_stream:
            video = container.add_stream("libx264", rate=25)
            video.width, video.height, video.pix_fmt = 160, 120, "yuv420p"
        sound = container.add_stream("aac", rate=8000)
        frame = av.AudioFrame.from_ndarray(
            np.zeros((1, 1024), dtype=np.float32), format="fltp", layout="mono"
        )
        frame.sample_rate = 8000
        for packet in [*sound.encode(frame), *sound.encode()]:
            container.mux(packet)
        if video is not None:
            for packet in video.encode():
                container.mux(packet)
    return path


@pytest.mark.parametrize("empty_video_stream", [False, True])
def test_it_refuses_a_file_with_zero_video_frames(tmp_path: Path, empty_video_stream: bool) -> None:
    path = write_sound_only(tmp_path / "sound.mp4", empty_video_stream=empty_video_stream)
    with pytest.raises(
        VideoInputError, match=r"'sound.mp4' contains no video frames \(no video stream\)"
    ):
        probe(path)
