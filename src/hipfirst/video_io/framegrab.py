"""Fetch a few frames of a video by seeking, without decoding the whole file again.

``keyframes.png`` needs one or two frames; decoding a 1080p video a second
time costs about a fifth of the pose model's time, so each frame is reached by
seeking to the key frame before it and decoding forward (at most one group of
pictures). Frames are identified by their timestamp, which is how
:func:`hipfirst.video_io.decode.iter_frames` numbers them: row ``k`` has time
``pts_k - pts_first``. When a timestamp cannot be matched (no timestamps, an
odd container), the frames are read by a plain sequential decode instead,
stopping after the last one wanted.
"""

from __future__ import annotations

import contextlib
from collections.abc import Generator, Mapping
from fractions import Fraction
from pathlib import Path

import av
import numpy as np

from hipfirst.video.types import Frame, ImageArray, VideoInfo
from hipfirst.video_io.container import open_video
from hipfirst.video_io.decode import iter_frames, upright

MATCH_TOLERANCE_S = 1e-3
"""A decoded frame is the one wanted within this time (240 fps frames are 4 ms apart)."""


def grab_frames(
    video_path: Path, info: VideoInfo, times_s: Mapping[int, float]
) -> dict[int, ImageArray]:
    """Upright RGB frames by row index; ``times_s`` maps each wanted row to its time (s)."""
    if not times_s:
        return {}
    images: dict[int, ImageArray] = {}
    if not info.is_image:
        with contextlib.suppress(av.error.FFmpegError, StopIteration, OSError):
            images = _by_seeking(video_path, info, times_s)
    missing = {index for index in times_s if index not in images}
    if missing:
        images.update(_by_decoding(video_path, info, missing))
    return images


def _by_seeking(
    video_path: Path, info: VideoInfo, times_s: Mapping[int, float]
) -> dict[int, ImageArray]:
    images: dict[int, ImageArray] = {}
    container, stream = open_video(video_path)
    with container:
        stream.thread_type = "AUTO"
        time_base = stream.time_base or Fraction(1, 1)
        first = next(container.decode(stream))
        if first.pts is None:
            return images
        start = float(first.pts * time_base)
        for index, time_s in sorted(times_s.items(), key=lambda item: item[1]):
            target = start + time_s
            container.seek(round(target / time_base), stream=stream, backward=True)
            for frame in container.decode(stream):
                if frame.pts is None:
                    return images
                frame_time = float(frame.pts * time_base)
                if abs(frame_time - target) <= MATCH_TOLERANCE_S:
                    image = np.asarray(frame.to_ndarray(format="rgb24"), dtype=np.uint8)
                    images[index] = upright(image, info.rotation)
                    break
                if frame_time > target:
                    break
    return images


def _by_decoding(video_path: Path, info: VideoInfo, indices: set[int]) -> dict[int, ImageArray]:
    images: dict[int, ImageArray] = {}
    last = max(indices)
    frames = _frames(video_path, info)
    with contextlib.closing(frames):
        for frame in frames:
            if frame.index in indices:
                images[frame.index] = frame.image.copy()
            if frame.index >= last:
                break
    return images


def _frames(video_path: Path, info: VideoInfo) -> Generator[Frame, None, None]:
    yield from iter_frames(video_path, info=info)
