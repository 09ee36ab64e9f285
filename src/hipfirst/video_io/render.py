"""Write the visual outputs of an analysis: ``annotated.mp4``, ``keyframes.png``, ``angles.png``.

The pose model is not run again: the video is decoded a second time with
:func:`hipfirst.video_io.decode.iter_frames` and frame ``k`` is drawn with row
``k`` of the result. Frames stream straight from the decoder through the
overlay into the encoder, so memory does not grow with video length; only the
(at most two) key frames are kept. Without the video, the key frames are
fetched by seeking (:mod:`hipfirst.video_io.framegrab`), not by a second full decode.

Every face is blurred before anything is drawn, bystanders' too
(:mod:`~hipfirst.video_io.faces`), in the video and in the key frames.

The video is H.264 (``libx264``, ``yuv420p``, ``+faststart``) so a browser plays
it; where this FFmpeg build lacks libx264 it falls back to MPEG-4 Part 2. Its
long side is capped at :data:`MAX_VIDEO_SIDE_PX` to keep encoding faster than
real time on a small machine. Its timestamps are the real frame times of the
source (millisecond time base), so a variable frame rate video keeps its timing.

Every file is written under a ``.part`` name and renamed when complete, so an
interrupted run never leaves a file that looks finished.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Collection, Generator, Iterator
from concurrent.futures import ThreadPoolExecutor
from fractions import Fraction
from pathlib import Path

import av
import numpy as np

from hipfirst.errors import AnalysisError
from hipfirst.knowledge.vocabulary import OutputFile
from hipfirst.video.types import AnalysisResult, FloatArray, Frame, ImageArray, Progress, VideoInfo
from hipfirst.video_io.decode import iter_frames
from hipfirst.video_io.faces import FaceFinder, blur_still, private_frames
from hipfirst.video_io.framegrab import grab_frames
from hipfirst.video_io.overlay import draw, frame_labels
from hipfirst.video_io.people_figure import write_people_figure
from hipfirst.video_io.plots import choose_keyframes, crop_box, plot_angles, plot_keyframes
from hipfirst.video_io.read_ahead import read_ahead

MAX_VIDEO_SIDE_PX = 1280
"""Long side of ``annotated.mp4``; larger sources are scaled down (landmarks with them)."""
VIDEO_TIME_BASE = Fraction(1, 1000)
"""Millisecond timestamps: real frame times survive, also for variable frame rate."""
H264_OPTIONS = {"preset": "superfast", "crf": "23", "movflags": "+faststart"}
"""``superfast``: about twice the speed of ``veryfast`` for a slightly larger file."""


def render_outputs(
    result: AnalysisResult,
    video_path: Path,
    out_dir: Path,
    *,
    make_video: bool = True,
    progress: Progress | None = None,
) -> list[Path]:
    """Write the annotated video (unless ``make_video`` is False) and both figures.

    ``progress`` receives the fraction done (0..1) as frames are rendered.
    Returns the paths written, in the order video, key frames, angles, and
    ``people.png`` when more than one person could be the subject.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    report = progress or (lambda _fraction: None)
    choices = choose_keyframes(result)
    wanted = {choice.index for choice in choices.values()}
    written: list[Path] = []
    if make_video:
        images = write_annotated_video(
            result, video_path, out_dir / OutputFile.ANNOTATED_VIDEO, keep=wanted, progress=report
        )
        written.append(out_dir / OutputFile.ANNOTATED_VIDEO)
        angles = plot_angles(result, out_dir / OutputFile.ANGLES)
    else:
        # the key frames are fetched and their faces blurred (FFmpeg and MediaPipe, which
        # release the GIL) in a thread while Matplotlib draws the angles here
        times = {index: float(result.series.time_s[index]) for index in wanted}
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="hipfirst-keyframes") as pool:
            fetched = pool.submit(_private_key_frames, result, video_path, times)
            angles = plot_angles(result, out_dir / OutputFile.ANGLES)
            images = fetched.result()
    written.append(plot_keyframes(result, choices, images, out_dir / OutputFile.KEYFRAMES))
    written.append(angles)
    people = write_people_figure(result, video_path, out_dir / OutputFile.PEOPLE)
    if people is not None:
        written.append(people)
    report(1.0)
    return written


def _private_key_frames(
    result: AnalysisResult, video_path: Path, times: dict[int, float]
) -> dict[int, ImageArray]:
    """The key frames by seeking, every face blurred (the video's own frames are blurred as
    they are encoded)."""
    images = grab_frames(video_path, result.info, times)
    with FaceFinder() as finder:
        for index in list(images):
            image = np.array(images[index])  # a writeable copy
            scale = image.shape[1] / result.info.width
            shown = crop_box(result.landmarks_px[index] * scale, image.shape[1], image.shape[0])
            blur_still(image, _subject_xy(result, scale)(index), finder, shown)
            images[index] = image
    return images


def output_size(width: int, height: int) -> tuple[int, int]:
    """Even (H.264 4:2:0) display size, long side at most :data:`MAX_VIDEO_SIDE_PX`."""
    scale = min(1.0, MAX_VIDEO_SIDE_PX / max(width, height))
    return max(2, round(width * scale / 2) * 2), max(2, round(height * scale / 2) * 2)


def write_annotated_video(
    result: AnalysisResult,
    video_path: Path,
    path: Path,
    *,
    keep: Collection[int] = (),
    progress: Progress | None = None,
) -> dict[int, ImageArray]:
    """Encode ``annotated.mp4``; returns the un-annotated frames at rows ``keep``.

    Frames are decoded straight at the output size (one swscale pass scales and
    converts), so the kept frames have that size too; the key-frame figure
    scales the landmarks to the image it is given.
    """
    info = result.info
    size = output_size(info.width, info.height)
    scale = size[0] / info.width
    n_rows = len(result.series)
    landmarks = result.landmarks_px
    kept: dict[int, ImageArray] = {}
    partial = path.with_name(path.name + ".part")
    try:
        with _Encoder(partial, size, fps=info.fps) as encoder, FaceFinder() as finder:
            frames = _decode(video_path, info, size)
            with contextlib.closing(frames):
                rows = _rows(frames, n_rows)
                for frame in private_frames(rows, finder, _subject_xy(result, scale)):
                    image = frame.image
                    if frame.index in keep:
                        kept[frame.index] = image.copy()
                    if not image.flags.writeable:
                        image = image.copy()
                    draw(
                        image,
                        landmarks[frame.index],
                        frame_labels(result, frame.index),
                        scale=scale,
                    )
                    encoder.write(image, float(result.series.time_s[frame.index]))
                    if progress is not None and frame.index % 10 == 0:
                        progress(min(1.0, (frame.index + 1) / max(n_rows, 1)))
        partial.replace(path)
    finally:
        partial.unlink(missing_ok=True)
    return kept


def _subject_xy(result: AnalysisResult, scale: float) -> Callable[[int], FloatArray | None]:
    """Frame ``k``'s tracked landmarks (anyone the model followed) at the output ``scale``."""
    data = result.series.data
    raw = np.asarray(data.get("landmarks_raw_px", data["landmarks_px"]), dtype=np.float64)

    def at(index: int) -> FloatArray | None:
        if not 0 <= index < raw.shape[0] or not np.isfinite(raw[index]).any():
            return None
        return np.asarray(raw[index] * scale)

    return at


def video_codec() -> tuple[str, dict[str, str]]:
    """H.264 when this FFmpeg build has libx264 (browsers play it), else MPEG-4 Part 2."""
    if "libx264" in av.codecs_available:
        return "libx264", dict(H264_OPTIONS)
    return "mpeg4", {"qscale": "4"}


def _decode(
    video_path: Path, info: VideoInfo, size: tuple[int, int]
) -> Generator[Frame, None, None]:
    """The second decode pass at ``size`` (decoded ahead while frames are drawn and encoded),
    as a generator that can be closed early."""
    yield from read_ahead(iter_frames(video_path, info=info, size=size))


def _rows(frames: Iterator[Frame], n_rows: int) -> Iterator[Frame]:
    """Frames that have a row in the result (a second decode can find a trailing extra frame)."""
    for frame in frames:
        if frame.index >= n_rows:
            return
        yield frame


class _Encoder:
    """An MP4 writer fed RGB arrays with their times in seconds."""

    def __init__(self, path: Path, size: tuple[int, int], *, fps: float) -> None:
        self._container = av.open(str(path), mode="w", format="mp4")
        rate = Fraction(fps).limit_denominator(1001) if fps > 0 else Fraction(30)
        codec, options = video_codec()
        self._stream = self._open_stream(codec, rate, size, options)
        self._last_pts = -1

    def _open_stream(
        self, codec: str, rate: Fraction, size: tuple[int, int], options: dict[str, str]
    ) -> av.VideoStream:
        stream = self._container.add_stream(codec, rate=rate, options=dict(options))
        assert isinstance(stream, av.VideoStream)
        stream.width, stream.height = size
        stream.pix_fmt = "yuv420p"
        stream.time_base = VIDEO_TIME_BASE
        stream.codec_context.time_base = VIDEO_TIME_BASE
        return stream

    def write(self, image: ImageArray, time_s: float) -> None:
        frame = av.VideoFrame.from_ndarray(image, format="rgb24")
        pts = max(round(time_s / VIDEO_TIME_BASE), self._last_pts + 1)
        frame.pts = pts
        frame.time_base = VIDEO_TIME_BASE
        self._last_pts = pts
        try:
            self._container.mux(self._stream.encode(frame))
        except av.error.FFmpegError as error:
            raise AnalysisError(f"could not encode the annotated video: {error}") from None

    def __enter__(self) -> _Encoder:
        return self

    def __exit__(self, *exc: object) -> None:
        try:
            if exc[0] is None:
                self._container.mux(self._stream.encode(None))
        finally:
            self._container.close()
