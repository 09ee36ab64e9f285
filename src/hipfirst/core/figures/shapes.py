"""The 3D things a picture is made of, before projection: blobs, slabs and strands.

* :class:`Blob` — the convex hull of spheres (every body part, weights, a towel, a cone);
* :class:`Slab` — a box given by its eight corners (steps, benches, walls, the mat);
* :class:`Strand` — a polyline with a width (bands, cables, lines on the floor).

``style`` names a palette entry of :mod:`hipfirst.core.figures.svg`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from hipfirst.core.figures.kinematics import Matrix, Vector


@dataclass(frozen=True)
class Blob:
    """The convex hull of ``spheres`` (centre, radius) in room coordinates (m)."""

    name: str
    spheres: list[tuple[Vector, float]]
    style: str
    limb: bool = False
    """Shaded as a cylinder from the first to the last sphere."""
    data: dict[str, str] = field(default_factory=dict)
    depth_bias: float = 0.0
    """Metres added to the depth when sorting (the trunk sits behind limbs that touch it)."""


@dataclass(frozen=True)
class Slab:
    """A box: ``corners`` is 8×3, bottom four then top four, counter-clockwise from above."""

    name: str
    corners: Matrix
    style: str
    data: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Strand:
    """A line of ``width`` metres through ``points`` (n×3); ``closed`` for a loop."""

    name: str
    points: Matrix
    width: float
    style: str
    closed: bool = False
    data: dict[str, str] = field(default_factory=dict)


Shape = Blob | Slab | Strand


def box(
    centre_xy: tuple[float, float],
    size: tuple[float, float],
    bottom: float,
    top: float,
    heading: Matrix | None = None,
) -> Matrix:
    """The corners of an upright box: ``size`` = (depth along x, width along y) in the
    frame ``heading`` (a rotation about z; None: the room's axes)."""
    depth, width = size[0] / 2, size[1] / 2
    turn = np.eye(3) if heading is None else heading
    base = [(-depth, -width), (depth, -width), (depth, width), (-depth, width)]
    corners = []
    for height in (bottom, top):
        for dx, dy in base:
            offset = turn @ np.array([dx, dy, 0.0])
            corners.append([centre_xy[0] + offset[0], centre_xy[1] + offset[1], height])
    return np.array(corners, dtype=np.float64)


def depth_of(shape: Shape, view: Vector) -> float:
    """Mean distance along the viewing direction (larger = further from the camera)."""
    if isinstance(shape, Blob):
        centres = np.array([centre for centre, _ in shape.spheres])
        return float(np.mean(centres @ view)) + shape.depth_bias
    points = shape.corners if isinstance(shape, Slab) else shape.points
    return float(np.mean(points @ view))


def oriented_box(centre: Vector, axes: Matrix, half: tuple[float, float, float]) -> Matrix:
    """The corners of a box with its own ``axes`` (columns) and half sizes along them."""
    corners = []
    for z in (-half[2], half[2]):
        for x, y in (
            (-half[0], -half[1]),
            (half[0], -half[1]),
            (half[0], half[1]),
            (-half[0], half[1]),
        ):
            corners.append(centre + axes @ np.array([x, y, z]))
    return np.array(corners, dtype=np.float64)


BOX_FACES: tuple[tuple[int, int, int, int], ...] = (
    (0, 1, 2, 3),
    (4, 5, 6, 7),
    (0, 1, 5, 4),
    (1, 2, 6, 5),
    (2, 3, 7, 6),
    (3, 0, 4, 7),
)
"""The six faces of a slab's corners (bottom, top, then the sides)."""


def hull_2d(points: Matrix) -> Matrix:
    """Convex hull (counter-clockwise) of 2D points, Andrew's monotone chain."""
    ordered = sorted(map(tuple, points))

    def half(sequence: list[tuple[float, ...]]) -> list[tuple[float, ...]]:
        chain: list[tuple[float, ...]] = []
        for p in sequence:
            while len(chain) >= 2:
                (ax, ay), (bx, by) = chain[-2], chain[-1]
                if (bx - ax) * (p[1] - ay) - (by - ay) * (p[0] - ax) > 0:
                    break
                chain.pop()
            chain.append(p)
        return chain

    lower, upper = half(ordered), half(ordered[::-1])
    return np.array(lower[:-1] + upper[:-1])


@dataclass(frozen=True)
class Placed:
    """A shape and where it is drawn: ``ground``, ``fixed``, or (pose, sorted/under/over)."""

    shape: Shape
    layer: str
    pose: str | None = None
