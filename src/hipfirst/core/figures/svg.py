"""Draw an exercise scene as a self-contained SVG: a shaded mannequin in its end position,
the start position pale behind it, the equipment, the floor and the movement arrow.

The SVG uses presentation attributes only (no ``<style>``, no ``style=``, no script, no
external reference), so it passes the app's Content-Security-Policy as an image and
as a page. Every limb joint is drawn as a ball ``<circle data-joint=… data-pose=…>``
and the arrow carries ``data-from``/``data-to``, so tests can read the drawn pose.
Depth is by the painter's rule: each part is drawn in order of its mean distance from
the camera, the far side's limbs in paler colours.
"""

from __future__ import annotations

import math
from html import escape

import numpy as np

from hipfirst.core.figures import kinematics as kin
from hipfirst.core.figures.body_props import pose_props
from hipfirst.core.figures.kinematics import Matrix, Vector
from hipfirst.core.figures.props import world_props
from hipfirst.core.figures.scene import Camera, Scene, body_blobs
from hipfirst.core.figures.shapes import (
    BOX_FACES,
    Blob,
    Placed,
    Shape,
    Slab,
    Strand,
    depth_of,
    hull_2d,
)

WIDTH, HEIGHT, MARGIN = 400, 300, 14
MAX_PX_PER_M = 200.0
"""Scale when the scene fits: every picture of a person of the same size shows them
at the same size."""
START_OPACITY = 0.33
LEVEL_BELOW_DEG = 5
"""A camera raised less than this shows the floor as a line, else as a patch."""
FLOOR_BAND_PX = 22
FLOOR_REACH_M = 4.0
"""How far the floor patch of a raised camera reaches past the scene (past the frame)."""
LIGHT = (-0.55, -0.83)
"""Direction toward the light in SVG coordinates (up and to the left)."""
PALETTE: dict[str, tuple[str, str, str, str]] = {
    # light, base, dark, outline
    "body": ("#e6eef7", "#a8c0da", "#6887ac", "#3a5472"),
    "far": ("#e9eff6", "#bccde0", "#8ba3bf", "#5a7390"),
    "joint": ("#dce7f2", "#98b2d0", "#5c7ca2", "#3a5472"),
    "far_joint": ("#e3eaf3", "#b1c4da", "#8199b6", "#5a7390"),
    "wood": ("#f3e2c9", "#dcbb93", "#b08659", "#7d5a37"),
    "bench": ("#9aa7b4", "#6b7b8c", "#485564", "#2f3944"),
    "steel": ("#f1f3f5", "#bcc3ca", "#7d868f", "#505860"),
    "iron": ("#7c858e", "#535b63", "#353b41", "#1f2327"),
    "towel": ("#fff5cc", "#ffe27a", "#f0c419", "#a88500"),
    "cone": ("#ffd8a8", "#ff922b", "#d9480f", "#9c3406"),
    "mat": ("#eae4ff", "#d6ccff", "#b9a8f5", "#9a86e0"),
    "wall": ("#f8f9fa", "#e9ecef", "#d3d8dd", "#adb5bd"),
    "belt": ("#8a939b", "#4f575e", "#343a40", "#212529"),
}
STROKES = {"band": "#2b9348", "cable": "#343a40", "tape": "#f08c00"}
ARROW = "#e8590c"
FLOOR, FLOOR_LINE = "#f1f3f5", "#adb5bd"


class _Canvas:
    """Room metres → SVG pixels, and the gradients the drawing needs."""

    def __init__(self, camera: Camera, scale: float, origin: tuple[float, float]) -> None:
        self.camera, self.scale, self.origin = camera, scale, origin
        self.defs: list[str] = []

    def px(self, point: Vector) -> tuple[float, float]:
        x, y = self.camera.project(point)
        return self.origin[0] + x * self.scale, self.origin[1] - y * self.scale

    def linear(self, style: str, a: tuple[float, float], b: tuple[float, float], r: float) -> str:
        """A cylinder's shading across the segment a→b of half-width r (px)."""
        dx, dy = b[0] - a[0], b[1] - a[1]
        length = math.hypot(dx, dy) or 1.0
        nx, ny = -dy / length, dx / length
        if nx * LIGHT[0] + ny * LIGHT[1] < 0:
            nx, ny = -nx, -ny
        cx, cy = (a[0] + b[0]) / 2, (a[1] + b[1]) / 2
        light, base, dark, _ = PALETTE[style]
        ident = f"g{len(self.defs)}"
        self.defs.append(
            f'<linearGradient id="{ident}" gradientUnits="userSpaceOnUse" '
            f'x1="{cx + nx * r:.1f}" y1="{cy + ny * r:.1f}" '
            f'x2="{cx - nx * r:.1f}" y2="{cy - ny * r:.1f}">'
            f'<stop offset="0" stop-color="{light}"/><stop offset="0.45" stop-color="{base}"/>'
            f'<stop offset="1" stop-color="{dark}"/></linearGradient>'
        )
        return ident


def _radial_defs() -> str:
    out = []
    for style, (light, base, dark, _) in PALETTE.items():
        out.append(
            f'<radialGradient id="r-{style}" cx="0.38" cy="0.32" r="0.75" fx="0.35" fy="0.28">'
            f'<stop offset="0" stop-color="{light}"/><stop offset="0.5" stop-color="{base}"/>'
            f'<stop offset="1" stop-color="{dark}"/></radialGradient>'
        )
    return "".join(out)


def _attrs(data: dict[str, str]) -> str:
    return "".join(f' data-{key}="{escape(value)}"' for key, value in data.items())


def _circle_hull_path(circles: list[tuple[tuple[float, float], float]]) -> str:
    """SVG path of the convex hull of circles (centre, radius) in pixels."""
    if len(circles) == 2:
        exact = _two_circle_path(*circles[0], *circles[1])
        if exact:
            return exact
    points = []
    for (cx, cy), r in circles:
        for i in range(40):
            angle = 2 * math.pi * i / 40
            points.append((cx + r * math.cos(angle), cy + r * math.sin(angle)))
    hull = hull_2d(np.array(points))
    return "M" + " L".join(f"{x:.1f} {y:.1f}" for x, y in hull) + " Z"


def _two_circle_path(
    c1: tuple[float, float], r1: float, c2: tuple[float, float], r2: float
) -> str | None:
    """Outer-tangent outline of two circles, or None when one contains the other."""
    dx, dy = c2[0] - c1[0], c2[1] - c1[1]
    distance = math.hypot(dx, dy)
    if distance <= abs(r1 - r2) + 1e-6:
        return None
    theta = math.atan2(dy, dx)
    phi = math.acos((r1 - r2) / distance)

    def on(c: tuple[float, float], r: float, angle: float) -> str:
        return f"{c[0] + r * math.cos(angle):.1f} {c[1] + r * math.sin(angle):.1f}"

    big1 = 1 if 2 * math.pi - 2 * phi > math.pi else 0
    big2 = 1 if 2 * phi > math.pi else 0
    return (
        f"M{on(c1, r1, theta + phi)} A{r1:.1f} {r1:.1f} 0 {big1} 1 {on(c1, r1, theta - phi)} "
        f"L{on(c2, r2, theta - phi)} A{r2:.1f} {r2:.1f} 0 {big2} 1 {on(c2, r2, theta + phi)} Z"
    )


def _blob(canvas: _Canvas, blob: Blob) -> str:
    circles = [(canvas.px(centre), radius * canvas.scale) for centre, radius in blob.spheres]
    outline = PALETTE[blob.style][3]
    data = _attrs(blob.data) + (f' data-part="{blob.name}"' if "joint" not in blob.data else "")
    if len(circles) == 1:
        (x, y), r = circles[0]
        return (
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{r:.1f}" fill="url(#r-{blob.style})" '
            f'stroke="{outline}" stroke-width="0.9"{data}/>'
        )
    if blob.limb:
        mean_r = sum(r for _, r in circles) / len(circles)
        fill = f"url(#{canvas.linear(blob.style, circles[0][0], circles[-1][0], mean_r)})"
    else:
        fill = f"url(#r-{blob.style})"
    return (
        f'<path d="{_circle_hull_path(circles)}" fill="{fill}" stroke="{outline}" '
        f'stroke-width="1" stroke-linejoin="round"{data}/>'
    )


def _slab(canvas: _Canvas, slab: Slab) -> str:
    light, base, dark, outline = PALETTE[slab.style]
    centre = slab.corners.mean(axis=0)
    toward_light = -canvas.camera.right * 0.5 + canvas.camera.up * 0.8 - canvas.camera.ahead * 0.4
    parts = [f'<g data-part="{slab.name}"{_attrs(slab.data)}>']
    for face in BOX_FACES:
        points = slab.corners[list(face)]
        normal = points.mean(axis=0) - centre
        normal = normal / (float(np.linalg.norm(normal)) or 1.0)
        if float(normal @ canvas.camera.ahead) > -1e-6:
            continue
        brightness = float(normal @ toward_light)
        fill = light if brightness > 0.45 else base if brightness > 0.0 else dark
        coords = " ".join("{:.1f},{:.1f}".format(*canvas.px(p)) for p in points)
        parts.append(
            f'<polygon points="{coords}" fill="{fill}" stroke="{outline}" '
            'stroke-width="0.8" stroke-linejoin="round"/>'
        )
    parts.append("</g>")
    return "".join(parts)


def _strand(canvas: _Canvas, strand: Strand) -> str:
    coords = " ".join("{:.1f},{:.1f}".format(*canvas.px(p)) for p in strand.points)
    tag = "polygon" if strand.closed else "polyline"
    width = max(strand.width * canvas.scale, 1.2)
    return (
        f'<{tag} points="{coords}" fill="none" stroke="{STROKES[strand.style]}" '
        f'stroke-width="{width:.1f}" stroke-linecap="round" stroke-linejoin="round"'
        f"{_attrs(strand.data)}/>"
    )


def _draw(canvas: _Canvas, shape: Shape) -> str:
    if isinstance(shape, Blob):
        return _blob(canvas, shape)
    if isinstance(shape, Slab):
        return _slab(canvas, shape)
    return _strand(canvas, shape)


def _bounds(
    camera: Camera, shapes: list[Shape], paths: list[Matrix]
) -> tuple[float, float, float, float]:
    xs: list[float] = []
    ys: list[float] = []
    for shape in shapes:
        if isinstance(shape, Blob):
            for centre, radius in shape.spheres:
                x, y = camera.project(centre)
                xs += [x - radius, x + radius]
                ys += [y - radius, y + radius]
        else:
            points = shape.corners if isinstance(shape, Slab) else shape.points
            for p in points:
                x, y = camera.project(p)
                xs.append(x)
                ys.append(y)
    for path in paths:
        for p in path:
            x, y = camera.project(p)
            xs.append(x)
            ys.append(y)
    return min(xs), max(xs), min(ys), max(ys)


def _sorted(canvas: _Canvas, shapes: list[Shape]) -> list[str]:
    ahead = canvas.camera.ahead
    return [_draw(canvas, s) for s in sorted(shapes, key=lambda s: -depth_of(s, ahead))]


def _floor(canvas: _Canvas, scene: Scene) -> str:
    """A floor line with a pale band below it (level camera), or a floor patch (raised)."""
    if scene.illustration.elevation < LEVEL_BELOW_DEG:
        _, y = canvas.px(np.zeros(3))
        return (
            f'<rect x="0" y="{y:.1f}" width="{WIDTH}" height="{max(HEIGHT - y, 0):.1f}" '
            f'fill="{FLOOR}"/><line x1="0" y1="{y:.1f}" x2="{WIDTH}" y2="{y:.1f}" '
            f'stroke="{FLOOR_LINE}" stroke-width="1.5" data-floor="{y:.1f}"/>'
        )
    centres = [c for p in (scene.start, scene.end) for s in p.spheres.values() for c, _ in s]
    points = np.array(centres)
    lo, hi = points.min(axis=0) - FLOOR_REACH_M, points.max(axis=0) + FLOOR_REACH_M
    corners = [(lo[0], lo[1]), (hi[0], lo[1]), (hi[0], hi[1]), (lo[0], hi[1])]
    coords = " ".join("{:.1f},{:.1f}".format(*canvas.px(np.array([x, y, 0.0]))) for x, y in corners)
    return f'<polygon points="{coords}" fill="{FLOOR}" stroke="none" data-floor="patch"/>'


def _arrow(canvas: _Canvas, scene: Scene, index: int, centroid: tuple[float, float]) -> str:
    arrow = scene.illustration.arrows[index]
    points = np.array([canvas.px(p) for p in scene.arrow_paths[index]])
    first, last = points[0], points[-1]
    chord = last - first
    normal = np.array([-chord[1], chord[0]]) / (float(np.linalg.norm(chord)) or 1.0)
    if float((points.mean(axis=0) - np.array(centroid)) @ normal) < 0:
        normal = -normal
    shifted = []
    for i, p in enumerate(points):
        tangent = points[min(i + 1, len(points) - 1)] - points[max(i - 1, 0)]
        local = np.array([-tangent[1], tangent[0]]) / (float(np.linalg.norm(tangent)) or 1.0)
        if float(local @ normal) < 0:
            local = -local
        shifted.append(p + local * arrow.offset * canvas.scale)
    path = np.array(shifted)
    steps = np.linalg.norm(np.diff(path, axis=0), axis=1)
    length = float(steps.sum())
    minimum = 0.2 * canvas.scale
    if length < minimum:
        middle = path.mean(axis=0)
        direction = chord / (float(np.linalg.norm(chord)) or 1.0)
        path = np.array([middle - direction * minimum / 2, middle + direction * minimum / 2])
    else:
        along = np.concatenate([[0.0], np.cumsum(steps)])
        keep = (along >= 0.08 * length) & (along <= 0.92 * length)
        path = path[keep]
    head_length, head_half = 11.0, 6.0
    tip = path[-1]
    back = path[-2] if len(path) > 1 else path[0]
    direction = (tip - back) / (float(np.linalg.norm(tip - back)) or 1.0)
    shaft = np.vstack([path[:-1], tip - direction * head_length * 0.8])
    side = np.array([-direction[1], direction[0]])
    base = tip - direction * head_length
    head = [tip, base + side * head_half, base - side * head_half]
    line = " ".join(f"{x:.1f},{y:.1f}" for x, y in shaft)
    triangle = " ".join(f"{x:.1f},{y:.1f}" for x, y in head)
    fro = "{:.1f},{:.1f}".format(*first)
    to = "{:.1f},{:.1f}".format(*last)
    return (
        f'<g data-arrow="{arrow.part}" data-from="{fro}" data-to="{to}">'
        f'<polyline points="{line}" fill="none" stroke="#ffffff" stroke-width="7" '
        'stroke-linecap="round" stroke-linejoin="round"/>'
        f'<polygon points="{triangle}" fill="#ffffff" stroke="#ffffff" stroke-width="4" '
        'stroke-linejoin="round"/>'
        f'<polyline points="{line}" fill="none" stroke="{ARROW}" stroke-width="3.2" '
        'stroke-linecap="round" stroke-linejoin="round" data-shaft="1"/>'
        f'<polygon points="{triangle}" fill="{ARROW}" stroke="{ARROW}" stroke-width="1" '
        'stroke-linejoin="round"/></g>'
    )


def render_svg(scene: Scene, title: str) -> str:
    """The picture as SVG text; ``title`` names the exercise for screen readers."""
    camera = scene.camera
    start_body = body_blobs(scene.start, "start", camera)
    end_body = body_blobs(scene.end, "end", camera)
    start_props = pose_props(scene, scene.start, "start")
    end_props = pose_props(scene, scene.end, "end")
    fixed = world_props(scene)
    everything = start_body + end_body + [p.shape for p in start_props + end_props + fixed]
    x0, x1, y0, y1 = _bounds(camera, everything, scene.arrow_paths)
    level = scene.illustration.elevation < LEVEL_BELOW_DEG
    floor_band = FLOOR_BAND_PX if level else 0
    scale = min(
        MAX_PX_PER_M,
        (WIDTH - 2 * MARGIN) / (x1 - x0 + 0.2),
        (HEIGHT - 2 * MARGIN - floor_band) / (y1 - y0 + 0.2),
    )
    middle_y = HEIGHT / 2 + scale * (y0 + y1) / 2
    # a level camera stands the scene on a floor band at the bottom; a raised one centres it
    origin_y = HEIGHT - MARGIN - floor_band + scale * (y0 - 0.1) if level else middle_y
    origin = (WIDTH / 2 - scale * (x0 + x1) / 2, origin_y)
    canvas = _Canvas(camera, scale, origin)
    pelvis_depth = float(scene.end.skeleton.segments["pelvis"].origin @ camera.ahead)

    def layer(placed: list[Placed], name: str, pose: str | None = None) -> list[Shape]:
        return [p.shape for p in placed if p.layer == name and p.pose == pose]

    standing = [p.shape for p in fixed if p.layer == "fixed"]
    behind = [s for s in standing if depth_of(s, camera.ahead) > pelvis_depth]
    in_front = [s for s in standing if depth_of(s, camera.ahead) <= pelvis_depth]
    body: list[str] = [_floor(canvas, scene)]
    body += [_draw(canvas, s) for s in layer(fixed, "ground")]
    body += _sorted(canvas, behind)
    for pose, blobs, props in (("start", start_body, start_props), ("end", end_body, end_props)):
        opacity = f' opacity="{START_OPACITY}"' if pose == "start" else ""
        body.append(f'<g data-pose="{pose}"{opacity}>')
        body += [_draw(canvas, s) for s in layer(props, "under", pose)]
        body += _sorted(canvas, blobs + layer(props, "sorted", pose))
        body += [_draw(canvas, s) for s in layer(props, "over", pose)]
        body.append("</g>")
    body += _sorted(canvas, in_front)
    joints = [canvas.px(scene.end.skeleton.joint(j)) for j in kin.JOINTS]
    centroid = (sum(x for x, _ in joints) / len(joints), sum(y for _, y in joints) / len(joints))
    body += [_arrow(canvas, scene, i, centroid) for i in range(len(scene.arrow_paths))]
    ident = f"figure-{scene.illustration.id}"
    label = escape(title)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'width="{WIDTH}" height="{HEIGHT}" role="img" aria-labelledby="{ident}" '
        f'data-exercise="{scene.illustration.id}" data-px-per-m="{scale:.4f}">'
        f'<title id="{ident}">{label}</title>'
        f"<defs>{_radial_defs()}{''.join(canvas.defs)}</defs>"
        f'<rect width="{WIDTH}" height="{HEIGHT}" fill="#ffffff"/>' + "".join(body) + "</svg>"
    )
