"""Open a video file safely: which stream to read, how big its pictures are, how many frames.

Three things a container header cannot be trusted with:

* **Which video stream.** A file can hold several (an mkv with a second angle or a
  thumbnail track; an mp4 with its cover picture). The one analysed is the
  largest picture that is not an attached cover image, longest first among equals
  (:func:`video_stream`); every reader of the file (probe, pose loop, renderers,
  key frames) chooses with the same rule, so row ``k`` is always the same frame.
* **How many frames.** Browsers' MediaRecorder writes WebM without a duration,
  a raw ``.h264`` stream has no header at all, and an mkv stores each stream's
  duration only as a tag. When the stream states no frame count, the frames are
  counted by reading the stream's packets (:func:`header_frame_count`, no decoding,
  one packet per frame); a count is only ever used for progress and for noticing
  a file that stops early, never to refuse a file that decodes.
* **How big.** A 389 KB PNG can declare 20000 × 20000 pixels (1.2 GB of RGB).
  Pictures over the pixel budget are refused *before* anything is decoded
  (:data:`MAX_VIDEO_PIXELS`, :data:`MAX_IMAGE_PIXELS`): a still image's size is read
  from its header with Pillow, a video's from the codec parameters, and FFmpeg's
  own ``max_pixels`` guard is set on the decoder for headers that lie.
"""

from __future__ import annotations

import re
import warnings
from pathlib import Path

import av
from PIL import Image, UnidentifiedImageError

from hipfirst.errors import VideoInputError

MAX_VIDEO_PIXELS = 7680 * 4320
"""Pixels per video frame: 8K UHD. A 4K phone video (8.3 MP) is far below; the model is
fed at most 1920 px on the long side anyway (``decode.max_model_side_px``)."""
MAX_IMAGE_PIXELS = 8000 * 8000
"""Pixels of a still image: 64 MP, above the 48-50 MP of phone cameras' full-resolution
photos; 3 bytes a pixel decoded, so at most ~190 MB."""
IMAGE_FORMATS = frozenset({"PNG", "JPEG", "MPO", "BMP", "WEBP", "TIFF"})
"""Pillow's names of the still-image formats analysed as one frame (GIF goes to FFmpeg)."""
ALLOWED = "a video (mp4, mov, m4v, avi, webm, mkv) or an image (jpg, png)"
_DURATION_TAG = re.compile(r"^(\d+):(\d{2}):(\d{2}(?:\.\d+)?)$")


def _megapixels(pixels: int) -> str:
    return f"{pixels / 1e6:.1f} megapixels"


def image_size(path: Path) -> tuple[int, int] | None:
    """(width, height) from the header when the file is a still image, else None.

    Pillow reads only the header here (nothing is decoded), so a picture too big
    to decode is refused in milliseconds. Pillow refuses to even open one of more
    than twice its own bomb limit (~179 MP); that is reported as over the budget.
    """
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(path) as image:
                if image.format not in IMAGE_FORMATS:
                    return None
                width, height = image.size
    except Image.DecompressionBombError:
        raise VideoInputError(
            f"image {path.name!r} is too large to analyse (over "
            f"{_megapixels(2 * (Image.MAX_IMAGE_PIXELS or 0))}); at most "
            f"{_megapixels(MAX_IMAGE_PIXELS)} are allowed: resize it first"
        ) from None
    except (UnidentifiedImageError, OSError, ValueError):
        return None
    check_pixels(path, width, height, image=True)
    return width, height


def check_pixels(path: Path, width: int, height: int, *, image: bool) -> None:
    """Refuse a picture over the budget, naming its size and the limit."""
    limit = MAX_IMAGE_PIXELS if image else MAX_VIDEO_PIXELS
    if width * height > limit:
        kind = "image" if image else "video file"
        raise VideoInputError(
            f"{kind} {path.name!r}: {width}x{height} pixels ({_megapixels(width * height)}) "
            f"is too large to analyse; at most {_megapixels(limit)} per picture are allowed "
            "(8K video, a 64-megapixel photo): resize it first"
        )


def video_stream(container: av.container.InputContainer) -> av.VideoStream:
    """The stream analysed: the largest picture that is not a cover image, then the longest.

    The caller has checked that the container has a video stream.
    """
    streams = list(container.streams.video)
    moving = [s for s in streams if not (s.disposition & av.stream.Disposition.attached_pic)]

    def size_then_length(stream: av.VideoStream) -> tuple[int, float]:
        area = stream.codec_context.width * stream.codec_context.height
        return area, _stream_seconds(stream) or 0.0

    return max(moving or streams, key=size_then_length)


def open_video(path: Path) -> tuple[av.container.InputContainer, av.VideoStream]:
    """The container and its analysed stream, with the pixel budget checked and guarded.

    Raises :class:`~hipfirst.errors.VideoInputError` for an unreadable file, one
    with no video stream, or pictures over :data:`MAX_VIDEO_PIXELS`.
    """
    try:
        container = av.open(str(path), mode="r")
    except (av.error.FFmpegError, UnicodeDecodeError, ValueError) as error:
        raise VideoInputError(
            f"file {path.name!r} is not a readable video ({error.__class__.__name__}); "
            f"expected {ALLOWED}; the file may be truncated or corrupt"
        ) from None
    try:
        if not container.streams.video:
            raise VideoInputError(
                f"file {path.name!r} contains no video frames (no video stream); expected {ALLOWED}"
            )
        stream = video_stream(container)
        check_pixels(path, stream.codec_context.width, stream.codec_context.height, image=False)
        # headers can lie (or be missing, as for image codecs): FFmpeg refuses bigger frames
        stream.codec_context.options = {"max_pixels": str(MAX_VIDEO_PIXELS)}
    except BaseException:
        container.close()
        raise
    return container, stream


def _stream_seconds(stream: av.VideoStream) -> float | None:
    """The stream's own duration: its header field, else an mkv ``DURATION`` tag."""
    if stream.duration is not None and stream.time_base is not None:
        return float(stream.duration * stream.time_base)
    tag = _DURATION_TAG.match(str(stream.metadata.get("DURATION", "")).strip())
    if tag:
        hours, minutes, seconds = tag.groups()
        return int(hours) * 3600 + int(minutes) * 60 + float(seconds)
    return None


def stream_seconds(container: av.container.InputContainer, stream: av.VideoStream) -> float:
    """Duration of ``stream`` in seconds; the container's only when it has one video stream
    (with two, the container's is the longer one's); 0.0 when unknown."""
    own = _stream_seconds(stream)
    if own is not None:
        return own
    if len(container.streams.video) == 1 and container.duration is not None:
        return container.duration / 1_000_000
    return 0.0


def header_frame_count(path: Path, fps: float, seconds: float, stated: int) -> int:
    """Frames the stream should hold: stated by the header, from its duration, else counted.

    Counting reads the stream's packets without decoding (milliseconds for a phone
    clip); 0 means no packet at all.
    """
    if stated > 0:
        return stated
    if seconds > 0 and fps > 0:
        return round(seconds * fps)
    container, stream = open_video(path)
    try:
        return sum(1 for packet in container.demux(stream) if packet.size)
    except av.error.FFmpegError:
        return 0
    finally:
        container.close()
