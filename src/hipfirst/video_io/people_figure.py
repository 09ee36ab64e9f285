"""``people.png``: who could be the subject, so the user can say which one it is.

When the analysis lists more than one candidate for the subject (``summary.json``
``people.candidates``, each with its representative ``frame`` and ``box_px``), this
figure shows, for each candidate in the order listed, that frame with the
candidate's box and number: one column per candidate, all columns the same width
(:data:`COLUMN_HEIGHT` high), so a page can put a button over column *k* for the
*k*-th candidate. Faces are blurred as in every picture hipfirst writes
(:mod:`~hipfirst.video_io.faces`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import cv2
import numpy as np

from hipfirst.video.types import AnalysisResult, ImageArray
from hipfirst.video_io.faces import FaceFinder, blur_still
from hipfirst.video_io.framegrab import grab_frames

MAX_PEOPLE = 4
"""At most this many candidates are shown (the best-scored first, as listed)."""
COLUMN_HEIGHT = 480
BOX_COLOUR = (255, 200, 0)
BACKGROUND = 24


def candidates_of(summary: dict[str, Any] | None) -> list[dict[str, Any]]:
    """The subject candidates a summary lists (``people.candidates``) with an int ``id``."""
    people = (summary or {}).get("people")
    found = people.get("candidates") if isinstance(people, dict) else None
    if not isinstance(found, list):
        return []
    return [item for item in found if isinstance(item, dict) and isinstance(item.get("id"), int)]


def _box(candidate: dict[str, Any], width: int, height: int) -> tuple[int, int, int, int] | None:
    box = candidate.get("box_px")
    if not isinstance(box, list | tuple) or len(box) != 4:
        return None
    try:
        x0, y0, x1, y1 = (round(float(value)) for value in box)
    except (TypeError, ValueError, OverflowError):
        return None
    x0, x1 = sorted((max(0, min(width - 1, x0)), max(0, min(width - 1, x1))))
    y0, y1 = sorted((max(0, min(height - 1, y0)), max(0, min(height - 1, y1))))
    return x0, y0, x1, y1


def _column(image: ImageArray, candidate: dict[str, Any]) -> ImageArray:
    height, width = image.shape[:2]
    scale = COLUMN_HEIGHT / height
    size = (max(1, round(width * scale)), COLUMN_HEIGHT)
    resized = cv2.resize(image, size, interpolation=cv2.INTER_AREA)
    column: ImageArray = np.ascontiguousarray(resized, dtype=np.uint8)
    box = _box(candidate, width, height)
    label = f"Person {candidate['id']}"
    if box is not None:
        x0, y0, x1, y1 = (round(value * scale) for value in box)
        cv2.rectangle(column, (x0, y0), (x1, y1), BOX_COLOUR, 3)
        anchor = (x0 + 4, max(24, y0 - 8))
    else:
        anchor = (8, 28)
    cv2.putText(column, label, anchor, cv2.FONT_HERSHEY_SIMPLEX, 0.8, (0, 0, 0), 5, cv2.LINE_AA)
    cv2.putText(column, label, anchor, cv2.FONT_HERSHEY_SIMPLEX, 0.8, BOX_COLOUR, 2, cv2.LINE_AA)
    return column


def write_people_figure(result: AnalysisResult, video_path: Path, path: Path) -> Path | None:
    """Write ``people.png`` when more than one candidate is listed; None otherwise."""
    candidates = candidates_of(result.summary)[:MAX_PEOPLE]
    rows = len(result.series)
    candidates = [
        c for c in candidates if isinstance(c.get("frame"), int) and 0 <= c["frame"] < rows
    ]
    if len(candidates) < 2:
        return None
    times = {int(c["frame"]): float(result.series.time_s[int(c["frame"])]) for c in candidates}
    images = grab_frames(video_path, result.info, times)
    raw = np.asarray(result.series.data.get("landmarks_raw_px", result.series.data["landmarks_px"]))
    columns = []
    with FaceFinder() as finder:
        for candidate in candidates:
            frame = int(candidate["frame"])
            image = np.array(images[frame])
            tracked = raw[frame] * (image.shape[1] / result.info.width)
            blur_still(image, tracked if np.isfinite(tracked).any() else None, finder)
            columns.append(_column(image, candidate))
    width = max(column.shape[1] for column in columns)
    padded = []
    for column in columns:
        canvas = np.full((COLUMN_HEIGHT, width, 3), BACKGROUND, dtype=np.uint8)
        left = (width - column.shape[1]) // 2
        canvas[:, left : left + column.shape[1]] = column
        padded.append(canvas)
    figure = np.hstack(padded)
    encoded, data = cv2.imencode(
        ".png", cv2.cvtColor(figure, cv2.COLOR_RGB2BGR), [cv2.IMWRITE_PNG_COMPRESSION, 3]
    )
    if not encoded:
        raise OSError(f"could not encode {path.name}")
    partial = path.with_name(path.name + ".part")
    partial.write_bytes(data.tobytes())
    partial.replace(path)
    return path
