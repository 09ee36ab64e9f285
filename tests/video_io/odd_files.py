"""Odd but legitimate (or hostile) input files for the decoding tests, made with PyAV."""

from __future__ import annotations

import struct
import zlib
from collections.abc import Iterator
from pathlib import Path

import av
import numpy as np


def _frames(count: int, size: tuple[int, int], channel: int) -> Iterator[np.ndarray]:
    """Frames whose ``channel`` (0 red, 1 green) is 5 × the frame number."""
    width, height = size
    for index in range(count):
        image = np.zeros((height, width, 3), dtype=np.uint8)
        image[..., channel] = (5 * index) % 256
        yield image


def _encode(
    container: av.container.OutputContainer, stream: av.VideoStream, image: np.ndarray
) -> None:
    container.mux(stream.encode(av.VideoFrame.from_ndarray(image, format="rgb24")))


def two_stream_mkv(path: Path, *, fps: int = 30) -> Path:
    """An mkv whose first video stream is a 1 s 160x120 thumbnail track (green) and whose
    second is the 3 s 640x480 recording (red). The container's duration is the longer one."""
    with av.open(str(path), "w") as container:
        small = container.add_stream("libx264", rate=fps)
        small.width, small.height, small.pix_fmt = 160, 120, "yuv420p"
        main = container.add_stream("libx264", rate=fps)
        main.width, main.height, main.pix_fmt = 640, 480, "yuv420p"
        thumbs = _frames(fps, (160, 120), channel=1)
        for index, image in enumerate(_frames(3 * fps, (640, 480), channel=0)):
            if index < fps:
                _encode(container, small, next(thumbs))
            _encode(container, main, image)
        container.mux(small.encode(None))
        container.mux(main.encode(None))
    return path


def live_webm(path: Path, frames: int = 60, size: tuple[int, int] = (320, 240)) -> Path:
    """A WebM written as a live stream, as browsers' MediaRecorder does: no duration, no cues."""
    with av.open(str(path), "w", format="webm", options={"live": "1"}) as container:
        stream = container.add_stream("libvpx", rate=30)
        stream.width, stream.height, stream.pix_fmt = size[0], size[1], "yuv420p"
        for image in _frames(frames, size, channel=0):
            _encode(container, stream, image)
        container.mux(stream.encode(None))
    return path


def raw_h264(path: Path, frames: int = 60, size: tuple[int, int] = (320, 240)) -> Path:
    """An Annex B H.264 elementary stream: no container, no timestamps, no frame count."""
    with av.open(str(path), "w", format="h264") as container:
        stream = container.add_stream("libx264", rate=30)
        stream.width, stream.height, stream.pix_fmt = size[0], size[1], "yuv420p"
        for image in _frames(frames, size, channel=0):
            _encode(container, stream, image)
        container.mux(stream.encode(None))
    return path


def huge_png(path: Path, width: int = 20000, height: int = 20000) -> Path:
    """A black greyscale PNG of ``width`` x ``height`` (20000² is about 389 KB on disk),
    compressed row by row so making it never holds the picture in memory."""
    compressor = zlib.compressobj(9)
    row = b"\x00" + bytes(width)  # filter byte "none", then the row
    data = bytearray()
    for _ in range(height):
        data += compressor.compress(row)
    data += compressor.flush()

    def chunk(kind: bytes, body: bytes) -> bytes:
        crc = zlib.crc32(kind + body) & 0xFFFFFFFF
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", crc)

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    path.write_bytes(
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", bytes(data))
        + chunk(b"IEND", b"")
    )
    return path
