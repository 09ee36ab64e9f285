"""Decode a phone video (or a still image) into upright RGB frames, one at a time.

PyAV (FFmpeg) reads any container/codec FFmpeg knows (mp4, mov, m4v, avi,
webm; H.264, HEVC, VP9, …). Frames are yielded as a stream so memory does not
grow with video length. Rotation metadata (the display matrix phones write
for portrait video) is applied, so pixel coordinates are those of the picture
as the user saw it. Times come from each frame's presentation timestamp, so a
variable frame rate video keeps its real timing.

A still image (``.jpg``, ``.png`` …, recognised by its name or its content) is
read with OpenCV (EXIF orientation applied) and yields one frame at time 0.
Which stream is read, the frame count when the header has none, and the pixel
budget checked before decoding: :mod:`~hipfirst.video_io.container`.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from fractions import Fraction
from pathlib import Path

import av
import cv2
import numpy as np

from hipfirst.errors import VideoInputError
from hipfirst.video.types import Frame, ImageArray, VideoInfo
from hipfirst.video_io.container import (
    ALLOWED,
    header_frame_count,
    image_size,
    open_video,
    stream_seconds,
)
from hipfirst.video_io.settings import video_settings


def _is_image(path: Path) -> bool:
    """A still image: by its name, or by its content whatever the name (a PNG named .mp4).

    Reading the header also refuses an image over the pixel budget before decoding.
    """
    by_content = image_size(path) is not None
    return by_content or path.suffix.lower() in video_settings().decode.image_extensions


def _check_path(path: Path) -> None:
    if not path.exists():
        raise VideoInputError(f"video file {str(path)!r} does not exist")
    if not path.is_file():
        raise VideoInputError(f"video file {str(path)!r} is not a file; expected {ALLOWED}")
    if path.stat().st_size == 0:
        raise VideoInputError(f"video file {path.name!r} is empty (0 bytes); expected {ALLOWED}")


def _check_size(path: Path, width: int, height: int) -> None:
    smallest = video_settings().decode.min_side_px
    if min(width, height) < smallest:
        raise VideoInputError(
            f"video file {path.name!r}: resolution {width}x{height} is too small; "
            f"each side must be at least {smallest} px"
        )


def _rotation_clockwise(ccw_degrees: float) -> int:
    """FFmpeg display rotation (counter-clockwise) as clockwise 0/90/180/270."""
    return round(-ccw_degrees / 90.0) % 4 * 90


def upright(image: ImageArray, rotation_cw: int) -> ImageArray:
    """Rotate a coded frame clockwise by ``rotation_cw`` degrees (multiple of 90)."""
    turns = (rotation_cw // 90) % 4
    if turns == 0:
        return image
    return np.ascontiguousarray(np.rot90(image, k=-turns))


def _read_image(path: Path) -> ImageArray:
    image_size(path)  # the pixel budget, from the header, before OpenCV decodes anything
    bgr = cv2.imread(str(path), cv2.IMREAD_COLOR)
    if bgr is None:
        raise VideoInputError(f"file {path.name!r} is not a readable image; expected {ALLOWED}")
    return np.ascontiguousarray(cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB))


def _probe_image(path: Path) -> VideoInfo:
    image = _read_image(path)
    height, width = image.shape[:2]
    _check_size(path, width, height)
    return VideoInfo(
        path=path,
        file_name=path.name,
        width=width,
        height=height,
        rotation=0,
        fps=0.0,
        frame_count=1,
        duration_s=0.0,
        codec=path.suffix.lower().lstrip("."),
        is_image=True,
        coded_width=width,
        coded_height=height,
    )


def probe(path: Path) -> VideoInfo:
    """Metadata of the analysed stream (:func:`~hipfirst.video_io.container.video_stream`).

    The first frame is decoded (its rotation, and proof that the stream decodes);
    the frame count is the header's when it states one, else the stream's packets
    counted (:func:`~hipfirst.video_io.container.header_frame_count`); frame rate
    and count are estimates that decoding corrects (:func:`final_info`).
    """
    _check_path(path)
    if _is_image(path):
        return _probe_image(path)
    container, stream = open_video(path)
    try:
        try:
            first = next(container.decode(stream))
        except StopIteration:
            raise VideoInputError(f"video file {path.name!r} has no frames") from None
        except av.error.FFmpegError as error:
            raise VideoInputError(
                f"video file {path.name!r} cannot be decoded ({error.__class__.__name__}); "
                "the file may be truncated or corrupt"
            ) from None
        rate = stream.average_rate or stream.guessed_rate or stream.base_rate
        if first.pts is None and stream.guessed_rate:
            rate = stream.guessed_rate  # a raw stream: the coded frame rate, not a default
        fps = float(rate) if rate else 0.0
        duration_s = stream_seconds(container, stream)
        stated = int(stream.frames or 0)
        rotation = _rotation_clockwise(float(getattr(first, "rotation", 0) or 0))
        coded_w, coded_h = stream.codec_context.width, stream.codec_context.height
        codec = stream.codec_context.name
    finally:
        container.close()
    width, height = (coded_h, coded_w) if rotation in (90, 270) else (coded_w, coded_h)
    _check_size(path, width, height)
    frames = max(1, header_frame_count(path, fps, duration_s, stated))
    return VideoInfo(
        path=path,
        file_name=path.name,
        width=width,
        height=height,
        rotation=rotation,
        fps=fps,
        frame_count=frames,
        duration_s=duration_s or (frames / fps if fps else 0.0),
        codec=codec,
        coded_width=coded_w,
        coded_height=coded_h,
    )


@dataclass
class DecodeReport:
    """What happened while decoding, filled in as frames are read."""

    frames: int = 0
    times_s: list[float] = field(default_factory=list)
    error: str = ""


def model_size(info: VideoInfo) -> tuple[int, int]:
    """Display size to feed the pose model: downscaled when a side exceeds ``max_model_side_px``."""
    largest = video_settings().decode.max_model_side_px
    scale = min(1.0, largest / max(info.width, info.height))
    return max(2, round(info.width * scale / 2) * 2), max(2, round(info.height * scale / 2) * 2)


def iter_frames(
    path: Path,
    *,
    info: VideoInfo | None = None,
    size: tuple[int, int] | None = None,
    report: DecodeReport | None = None,
) -> Iterator[Frame]:
    """Yield upright RGB frames, optionally resized to ``size`` = (width, height) as displayed.

    A decoding error after some frames stops the stream and is noted in
    ``report.error`` (a truncated file); one before any frame raises.
    """
    info = info or probe(path)
    report = report if report is not None else DecodeReport()
    if info.is_image:
        image = _read_image(path)
        if size is not None and (image.shape[1], image.shape[0]) != size:
            image = np.asarray(
                cv2.resize(image, size, interpolation=cv2.INTER_AREA), dtype=np.uint8
            )
        report.frames = 1
        report.times_s.append(0.0)
        yield Frame(0, 0.0, image)
        return
    coded_size = None
    if size is not None:
        coded_size = (size[1], size[0]) if info.rotation in (90, 270) else size
    container, stream = open_video(path)
    try:
        stream.thread_type = "AUTO"
        time_base = stream.time_base or Fraction(1, 1)
        start: float | None = None
        index = 0
        iterator = container.decode(stream)
        while True:
            try:
                frame = next(iterator)
            except StopIteration:
                break
            except av.error.FFmpegError as error:
                report.error = f"decoding stopped after {index} frames ({error})"
                if index == 0:
                    raise VideoInputError(
                        f"video file {path.name!r} cannot be decoded; "
                        "the file may be truncated or corrupt"
                    ) from None
                break
            if frame.pts is not None:
                stamp = float(frame.pts * time_base)
            else:
                stamp = index / info.fps if info.fps else float(index)
            if start is None:
                start = stamp
            time_s = stamp - start
            if report.times_s and time_s <= report.times_s[-1]:
                time_s = report.times_s[-1] + 1e-6  # keep time strictly increasing
            if coded_size is not None and (frame.width, frame.height) != coded_size:
                # one swscale pass scales and converts to RGB together
                frame = frame.reformat(width=coded_size[0], height=coded_size[1], format="rgb24")
            image = np.asarray(frame.to_ndarray(format="rgb24"), dtype=np.uint8)
            report.frames = index + 1
            report.times_s.append(time_s)
            yield Frame(index, time_s, upright(image, info.rotation))
            index += 1
    finally:
        container.close()
    if report.frames == 0:
        raise VideoInputError(f"video file {path.name!r} has no frames")


def final_info(info: VideoInfo, report: DecodeReport) -> VideoInfo:
    """The probed metadata corrected with what decoding actually found."""
    times = np.asarray(report.times_s, dtype=np.float64)
    if info.is_image or times.size < 2:
        return replace(info, frame_count=max(report.frames, 1))
    steps = np.diff(times)
    fps = float((times.size - 1) / (times[-1] - times[0]))
    median = float(np.median(steps))
    variable = bool(np.any(np.abs(steps - median) > 0.25 * median))
    return replace(
        info,
        frame_count=int(times.size),
        fps=fps,
        duration_s=float(times[-1] - times[0] + median),
        variable_frame_rate=variable,
    )
