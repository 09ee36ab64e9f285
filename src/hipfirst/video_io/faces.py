"""Blur every face in the pictures hipfirst writes (``annotated.mp4``, ``keyframes.png``).

A clinic video shows the patient and often someone else (a parent, another
patient, a passer-by). The outputs are shared and stored, so every face is
blurred before anything is drawn:

* **anyone**: MediaPipe's face detector (``mp.solutions.face_detection``, the
  full-range model inside the pinned wheel, offline) on the whole frame and on
  overlapping tiles of :data:`TILE_PX` (its input is 192 px, so a face a few
  dozen pixels wide in a 1280 px frame is only found in a tile);
* **the subject, always**: a box around the pose model's face landmarks (nose,
  eyes, ears, mouth) of that frame, so a face the detector misses (turned away,
  masked, small) is still blurred.

The detector is costly on tiles (~80 ms a frame here), so in a video it runs on a
frame every :data:`SAMPLE_EVERY_S`; between two samples a face found in both is
interpolated, and one found in only one of them is blurred in a box that grows with
the time from that sample (:func:`faces_at`). :func:`private_frames` does that
while streaming, holding back one sample interval of frames (a dozen at 60 fps) so
the next sample is known before a frame is written.

The blur downsamples the box to :data:`BLUR_CELLS` cells across, back up, and smooths
it with a Gaussian of a fifth of the box: nothing finer than a fifth of a face
survives, far past recognition.
"""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Callable, Iterator
from typing import Any

import cv2
import numpy as np

from hipfirst.video.landmarks import Landmark
from hipfirst.video.types import FloatArray, Frame, ImageArray
from hipfirst.video_io.pose import load_mediapipe

Box = tuple[int, int, int, int]
"""``(x0, y0, x1, y1)`` pixels, ``x1``/``y1`` exclusive."""

TILE_PX = 320
TILE_OVERLAP = 0.25
MIN_SCORE = 0.5
"""MediaPipe's own default: lower finds more patterns that are not faces."""
MARGIN = 0.35
"""Each box grows by this fraction of its size on every side (hair, a moving head)."""
SAMPLE_EVERY_S = 0.2
HOLD_S = 0.4
MOTION_PER_S = 2.0
"""How far (face sizes per second) a face seen on one side only may have moved: a
walking passer-by's face crosses more than its own width in 0.2 s."""
BLUR_CELLS = 5
FACE_LANDMARKS = tuple(range(int(Landmark.MOUTH_RIGHT) + 1))
"""BlazePose's face points: nose, eyes (inner, centre, outer), ears, mouth corners."""
SUBJECT_HEAD_FACTOR = 1.6
"""The subject's box is the face points' extent (at least the ear-to-ear span) × this."""


def tiles(width: int, height: int, size: int = TILE_PX) -> list[Box]:
    """Overlapping square tiles covering the frame (one tile when the frame is smaller)."""
    step = max(1, int(size * (1 - TILE_OVERLAP)))

    def starts(extent: int) -> list[int]:
        if extent <= size:
            return [0]
        found = list(range(0, extent - size + 1, step))
        if found[-1] + size < extent:
            found.append(extent - size)
        return found

    return [
        (x, y, min(x + size, width), min(y + size, height))
        for y in starts(height)
        for x in starts(width)
    ]


def grow(box: tuple[float, float, float, float], size: tuple[int, int], margin: float) -> Box:
    """``box`` (x0, y0, x1, y1) widened by ``margin`` × its size, clipped to the frame."""
    x0, y0, x1, y1 = box
    pad_x, pad_y = (x1 - x0) * margin, (y1 - y0) * margin
    width, height = size
    return (
        int(max(0, math.floor(x0 - pad_x))),
        int(max(0, math.floor(y0 - pad_y))),
        int(min(width, math.ceil(x1 + pad_x))),
        int(min(height, math.ceil(y1 + pad_y))),
    )


class FaceFinder:
    """MediaPipe's full-range face detector run on a frame and on its tiles."""

    def __init__(self) -> None:
        mp = load_mediapipe()
        self._detector: Any = mp.solutions.face_detection.FaceDetection(
            model_selection=1, min_detection_confidence=MIN_SCORE
        )

    def find(self, image: ImageArray, region: Box | None = None) -> list[Box]:
        """Boxes of the faces in ``image`` (RGB), in its pixels, margin included.

        ``region``: look only there (with a margin), e.g. the part of a key frame a
        figure shows; None: the whole picture.
        """
        height, width = image.shape[:2]
        x_off, y_off, right, bottom = 0, 0, width, height
        if region is not None:
            x_off, y_off, right, bottom = grow(region, (width, height), 0.1)
        found: list[Box] = []
        regions = [(x_off, y_off, right, bottom)]
        if max(right - x_off, bottom - y_off) > TILE_PX:
            regions += [
                (x0 + x_off, y0 + y_off, x1 + x_off, y1 + y_off)
                for x0, y0, x1, y1 in tiles(right - x_off, bottom - y_off)
            ]
        for x0, y0, x1, y1 in regions:
            crop = np.ascontiguousarray(image[y0:y1, x0:x1])
            result = self._detector.process(crop)
            for detection in result.detections or ():
                rel = detection.location_data.relative_bounding_box
                tile_w, tile_h = x1 - x0, y1 - y0
                face = (
                    x0 + rel.xmin * tile_w,
                    y0 + rel.ymin * tile_h,
                    x0 + (rel.xmin + rel.width) * tile_w,
                    y0 + (rel.ymin + rel.height) * tile_h,
                )
                found.append(grow(face, (width, height), MARGIN))
        return found

    def close(self) -> None:
        self._detector.close()

    def __enter__(self) -> FaceFinder:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def subject_face(xy: FloatArray, size: tuple[int, int]) -> Box | None:
    """A box over the subject's head from the pose model's face landmarks ``(33, 2)``."""
    points = xy[list(FACE_LANDMARKS)]
    points = points[np.all(np.isfinite(points), axis=1)]
    if points.shape[0] < 2:
        return None
    low, high = points.min(axis=0), points.max(axis=0)
    centre = (low + high) / 2.0
    ears = xy[[Landmark.LEFT_EAR, Landmark.RIGHT_EAR]]
    span = float(np.max(high - low))
    if np.all(np.isfinite(ears)):
        span = max(span, float(np.linalg.norm(ears[0] - ears[1])))
    half = max(span, 4.0) * SUBJECT_HEAD_FACTOR / 2.0
    # the face points stop at the mouth: reach further up (hair) and down (chin)
    box = (centre[0] - half, centre[1] - 1.3 * half, centre[0] + half, centre[1] + 1.4 * half)
    return grow(box, size, 0.0)


def blur(image: ImageArray, boxes: list[Box]) -> None:
    """Blur each box of ``image`` in place (see the module doc)."""
    for x0, y0, x1, y1 in boxes:
        width, height = x1 - x0, y1 - y0
        if width < 2 or height < 2:
            continue
        region = image[y0:y1, x0:x1]
        cells = (max(1, min(BLUR_CELLS, width)), max(1, min(BLUR_CELLS, height)))
        small = cv2.resize(region, cells, interpolation=cv2.INTER_AREA)
        # the Gaussian at a quarter of the size (a sixteenth of the work), then back up
        quarter = (max(1, width // 4), max(1, height // 4))
        middle = cv2.resize(small, quarter, interpolation=cv2.INTER_LINEAR)
        middle = cv2.GaussianBlur(middle, (0, 0), max(quarter) / BLUR_CELLS)
        region[:] = cv2.resize(middle, (width, height), interpolation=cv2.INTER_LINEAR)


def blur_still(
    image: ImageArray,
    subject_xy: FloatArray | None,
    finder: FaceFinder,
    region: Box | None = None,
) -> None:
    """Blur every face in one picture (a key frame): the detector's and the subject's.

    ``region``: only that part will be shown, so only there is looked for faces.
    """
    size = (image.shape[1], image.shape[0])
    boxes = finder.find(image, region)
    own = None if subject_xy is None else subject_face(subject_xy, size)
    blur(image, boxes + ([own] if own else []))


def _centre_size(box: Box) -> tuple[float, float, float]:
    return (
        (box[0] + box[2]) / 2.0,
        (box[1] + box[3]) / 2.0,
        float(max(box[2] - box[0], box[3] - box[1])),
    )


def _partner(box: Box, others: list[Box]) -> Box | None:
    """The box of ``others`` nearest ``box`` if it can be the same face (within 2 sizes)."""
    x, y, size = _centre_size(box)
    best, best_distance = None, 2.0 * size
    for other in others:
        ox, oy, _ = _centre_size(other)
        distance = math.hypot(ox - x, oy - y)
        if distance <= best_distance:
            best, best_distance = other, distance
    return best


def faces_at(
    time_s: float, seen: list[tuple[float, list[Box]]], size: tuple[int, int]
) -> list[Box]:
    """Where the faces found in the sampled frames ``seen`` (time, boxes) are at ``time_s``.

    A face found in the samples on both sides of ``time_s`` is interpolated between
    them; one found on one side only (the detector missed it on the other) is grown by
    :data:`MOTION_PER_S` face sizes per second of distance, as far as :data:`HOLD_S` back.
    """
    before = [sample for sample in seen if sample[0] <= time_s]
    after = [sample for sample in seen if sample[0] > time_s]
    nearest = {"before": before[-1] if before else None, "after": after[0] if after else None}
    boxes: list[Box] = []
    for sample_s, found in seen:
        if not time_s - HOLD_S <= sample_s <= time_s + SAMPLE_EVERY_S:
            continue
        other = nearest["after"] if sample_s <= time_s else nearest["before"]
        for box in found:
            partner = None
            if other is not None and abs(other[0] - sample_s) <= 1.5 * SAMPLE_EVERY_S:
                partner = _partner(box, other[1])
            if partner is not None and other is not None:
                share = (time_s - sample_s) / (other[0] - sample_s)
                moved = tuple(a + (b - a) * share for a, b in zip(box, partner, strict=True))
                boxes.append(grow(moved, size, 0.0))  # type: ignore[arg-type]
            else:
                grown = MOTION_PER_S * abs(time_s - sample_s)
                boxes.append(grow(box, size, grown))
    return boxes


def private_frames(
    frames: Iterator[Frame],
    finder: FaceFinder,
    subject_xy: Callable[[int], FloatArray | None],
) -> Iterator[Frame]:
    """The frames in order, every face blurred in place (see the module doc).

    ``subject_xy(k)``: the subject's landmarks of frame ``k`` in the frames' pixels,
    or None. Frames come out one sample interval after they went in.
    """
    waiting: deque[Frame] = deque()
    seen: deque[tuple[float, list[Box]]] = deque()  # (time, faces) of each sampled frame
    next_sample = -math.inf

    def release(frame: Frame) -> Frame:
        while len(seen) > 1 and seen[1][0] < frame.time_s - HOLD_S:
            seen.popleft()
        size = (frame.image.shape[1], frame.image.shape[0])
        boxes = faces_at(frame.time_s, list(seen), size)
        if not frame.image.flags.writeable:
            frame = Frame(frame.index, frame.time_s, frame.image.copy())
        xy = subject_xy(frame.index)
        if xy is not None:
            own = subject_face(xy, size)
            if own is not None:
                boxes.append(own)
        blur(frame.image, boxes)
        return frame

    for frame in frames:
        if frame.time_s >= next_sample:
            seen.append((frame.time_s, finder.find(frame.image)))
            next_sample = frame.time_s + SAMPLE_EVERY_S - 1e-6
        waiting.append(frame)
        while waiting and waiting[0].time_s + SAMPLE_EVERY_S <= frame.time_s:
            yield release(waiting.popleft())
    while waiting:
        yield release(waiting.popleft())
