"""Write small synthetic videos and images for the video tests (PyAV, OpenCV)."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import av
import cv2
import numpy as np

TIME_BASE = Fraction(1, 1000)


def write_video(
    path: Path,
    frames: int,
    size: tuple[int, int] = (160, 120),
    *,
    fps: int = 30,
    rotation_ccw: int | None = None,
    intervals_ms: list[int] | None = None,
    faststart: bool = False,
    codec: str = "libx264",
) -> Path:
    """A video of grey frames with a white corner (``size`` = coded width, height).

    The top-left 16×16 block is white so a test can see where rotation moved
    it; ``intervals_ms`` gives variable frame intervals (cycled); ``codec`` is an
    FFmpeg encoder name (H.264 by default).
    """
    width, height = size
    options = {"movflags": "+faststart"} if faststart else {}
    with av.open(str(path), "w", options=options) as container:
        stream = container.add_stream(codec, rate=fps)
        stream.width, stream.height, stream.pix_fmt = width, height, "yuv420p"
        stream.codec_context.time_base = TIME_BASE
        if rotation_ccw is not None:
            stream.set_display_rotation(rotation_ccw)
        stamp = 0
        for index in range(frames):
            image = np.full((height, width, 3), 90, dtype=np.uint8)
            image[:16, :16] = 255
            frame = av.VideoFrame.from_ndarray(image, format="rgb24")
            frame.pts, frame.time_base = stamp, TIME_BASE
            stamp += intervals_ms[index % len(intervals_ms)] if intervals_ms else round(1000 / fps)
            for packet in stream.encode(frame):
                container.mux(packet)
        for packet in stream.encode():
            container.mux(packet)
    return path


def write_image(path: Path, size: tuple[int, int] = (200, 300)) -> Path:
    width, height = size
    image = np.full((height, width, 3), 90, dtype=np.uint8)
    cv2.imwrite(str(path), image)
    return path
