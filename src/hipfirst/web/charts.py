"""Progress charts as PNG images (Matplotlib's Agg canvas via ``Figure``, no pyplot state).

Each ``*_figure`` function takes plain data points and draws a ``Figure``;
``*_chart`` renders it to PNG bytes (:func:`png`). A chart with no data still
renders, saying so, so a page never shows a broken image. Served by a scoped
route: the CSP forbids inline scripts and styles.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Mapping, Sequence

from matplotlib.axes import Axes
from matplotlib.dates import AutoDateLocator, ConciseDateFormatter
from matplotlib.figure import Figure

WIDTH_IN, HEIGHT_IN, DPI = 7.0, 3.2, 100


def _figure(title: str) -> tuple[Figure, Axes]:
    figure = Figure(figsize=(WIDTH_IN, HEIGHT_IN), dpi=DPI, layout="constrained")
    axes = figure.add_subplot()
    axes.set_title(title, fontsize=11)
    axes.grid(True, alpha=0.3)
    return figure, axes


def _dates(axes: Axes, days: Sequence[dt.date]) -> None:
    """Readable date ticks; a single day gets a week around it (else the locator cannot choose)."""
    first, last = min(days), max(days)
    if last - first < dt.timedelta(days=2):
        axes.set_xlim(first - dt.timedelta(days=3), last + dt.timedelta(days=3))  # type: ignore[arg-type]
    locator = AutoDateLocator(maxticks=8)  # type: ignore[no-untyped-call]
    axes.xaxis.set_major_locator(locator)
    axes.xaxis.set_major_formatter(ConciseDateFormatter(locator))  # type: ignore[no-untyped-call]


def png(figure: Figure) -> bytes:
    """The figure as PNG bytes (``WIDTH_IN`` × ``HEIGHT_IN`` inches at ``DPI``)."""
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()


def _empty(axes: Axes, message: str) -> None:
    axes.text(0.5, 0.5, message, ha="center", va="center", transform=axes.transAxes)
    axes.set_xticks([])
    axes.set_yticks([])


PainPoints = Sequence[tuple[dt.date, float | None, float | None]]
"""(date, pain during, pain the next morning) per logged exercise; pain 0–10."""


def pain_chart(points: PainPoints) -> bytes:
    """:func:`pain_figure` as PNG."""
    return png(pain_figure(points))


def pain_figure(points: PainPoints) -> Figure:
    """Pain during and the next morning (0–10) per logged exercise, by date."""
    figure, ax = _figure("Pain (0–10)")
    if not points:
        _empty(ax, "No sessions logged yet")
        return figure
    during = [(day, value) for day, value, _ in points if value is not None]
    morning = [(day, value) for day, _, value in points if value is not None]
    if during:
        ax.plot(*zip(*during, strict=True), marker="o", label="during")
    if morning:
        ax.plot(*zip(*morning, strict=True), marker="s", linestyle="--", label="next morning")
    ax.set_ylim(0, 10)
    ax.set_ylabel("pain")
    ax.legend(loc="upper right")
    _dates(ax, [day for day, _, _ in points])
    return figure


Series = Mapping[str, Sequence[tuple[dt.date, float]]]
"""Named series of (date, value)."""


def series_chart(
    title: str,
    unit: str,
    series: Series,
    *,
    empty: str,
    limits: tuple[float, float] | None = None,
    reference: tuple[float, str] | None = None,
) -> bytes:
    """:func:`series_figure` as PNG."""
    return png(series_figure(title, unit, series, empty=empty, limits=limits, reference=reference))


def series_figure(
    title: str,
    unit: str,
    series: Series,
    *,
    empty: str,
    limits: tuple[float, float] | None = None,
    reference: tuple[float, str] | None = None,
) -> Figure:
    """One line per named series (e.g. AKPS and LEFS, or one per strength test).

    ``reference`` draws a dashed line at a knowledge-base value with its label.
    """
    figure, ax = _figure(title)
    drawn = {name: points for name, points in series.items() if points}
    if not drawn:
        _empty(ax, empty)
        return figure
    for name, points in drawn.items():
        ax.plot(*zip(*sorted(points), strict=True), marker="o", label=name)
    if reference is not None:
        ax.axhline(reference[0], color="grey", linestyle="--", linewidth=1, label=reference[1])
    ax.set_ylabel(unit)
    if limits is not None:
        ax.set_ylim(*limits)
    ax.legend(loc="best")
    _dates(ax, [day for points in drawn.values() for day, _ in points])
    return figure
