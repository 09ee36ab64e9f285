"""Progress charts as SVG, drawn on the server: readable on a phone, legend outside the data.

A chart is one or more series of (date, value) points, at most one point per series and
day (the caller gives one point per session and measure), joined in date order, so a
day never zig-zags. Two layouts: ``wide`` (720 × 300 user units, for a desktop card)
and ``narrow`` (360 units wide, for a phone), both drawn at the size they are shown, so
the text is 12-13 px on either. The legend sits under the plot, never over the data.
Points flagged ``doubtful`` are drawn hollow (in their series' colour), are not joined by
the line, and the legend says what hollow means.

Presentation attributes only (no ``<style>``, no script), so the SVG passes the CSP in
an ``<img>``. Each point is a ``<circle>`` with ``data-series``, ``data-date`` and
``data-value`` and a ``<title>`` tooltip.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from typing import Literal
from xml.sax.saxutils import escape, quoteattr

from hipfirst.application.progress_charts import ChartPoint as Point

Layout = Literal["wide", "narrow"]
SIZES: dict[Layout, tuple[int, int, int, int]] = {
    "wide": (720, 240, 13, 6),
    "narrow": (360, 220, 12, 3),
}
"""Per layout: width, plot height (with the axes), font size, date ticks."""
PALETTE = (
    ("#1f6f8b", ""),
    ("#c4581b", "6 4"),
    ("#2e7d32", "2 3"),
    ("#7b3fa0", "8 3 2 3"),
    ("#8a5a00", "1 2"),
    ("#444444", "10 2"),
)
"""Colour and dash of each series in turn (dashes too, for colour-blind readers)."""
DOUBTFUL = "#8c8c8c"
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
LEFT, RIGHT, TOP, AXIS = 42, 14, 12, 30


@dataclass(frozen=True)
class Series:
    name: str
    points: list[Point]


@dataclass(frozen=True)
class Chart:
    """What to draw: the series, the y range, a dashed reference line, the unit."""

    title: str
    unit: str
    series: list[Series]
    empty: str
    low: float | None = None
    high: float | None = None
    reference: tuple[float, str] | None = None
    notes: list[str] = field(default_factory=list)
    """Lines of text under the legend (e.g. what the doubtful points are)."""


def _ticks(low: float, high: float, count: int = 5) -> list[float]:
    """Round tick values covering [low, high] (steps of 1, 2, 2.5 or 5 × a power of ten)."""
    span = max(high - low, 1e-9)
    raw = span / count
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)
    first = math.ceil(low / step - 1e-9) * step
    return [round(first + i * step, 6) for i in range(int((high - first) / step + 1e-9) + 1)]


def _range(chart: Chart) -> tuple[float, float]:
    values = [p.value for s in chart.series for p in s.points]
    if chart.reference is not None:
        values.append(chart.reference[0])
    low = chart.low if chart.low is not None else min(values)
    high = chart.high if chart.high is not None else max(values)
    if chart.low is None or chart.high is None:
        pad = max((high - low) * 0.1, 1.0)
        low = low - pad if chart.low is None else low
        high = high + pad if chart.high is None else high
    return low, high


def _day_label(day: dt.date, with_year: bool) -> str:
    label = f"{day.day} {MONTHS[day.month - 1]}"
    return f"{label} {day.year}" if with_year else label


def _wrapped(text: str, width: int) -> list[str]:
    """``text`` in lines of at most ``width`` characters (SVG text does not wrap itself)."""
    lines: list[str] = []
    current = ""
    for word in text.split():
        if current and len(current) + 1 + len(word) > width:
            lines.append(current)
            current = word
        else:
            current = f"{current} {word}".strip()
    return [*lines, current] if current else lines


def _legend(chart: Chart, width: int, font: int, top: float) -> tuple[list[str], float]:
    """Legend items in rows under the plot; returns the elements and the height used."""
    items: list[tuple[str, str, str, bool, bool]] = [
        (s.name, PALETTE[i % len(PALETTE)][0], PALETTE[i % len(PALETTE)][1], False, True)
        for i, s in enumerate(chart.series)
        if s.points
    ]
    if chart.reference is not None:
        items.append((chart.reference[1], "#777777", "4 3", False, False))
    if any(p.doubtful for s in chart.series for p in s.points):
        items.append(("doubtful: shown hollow, not used", DOUBTFUL, "", True, False))
    parts: list[str] = []
    x, y = float(LEFT), top + font
    row = font * 1.6
    for name, colour, dash, hollow, marker in items:
        item_width = 34 + len(name) * font * 0.55
        if x + item_width > width - RIGHT and x > LEFT:
            x, y = float(LEFT), y + row
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        if hollow:
            parts.append(
                f'<circle cx="{x + 12:.1f}" cy="{y - font * 0.35:.1f}" r="4" fill="#ffffff" '
                f'stroke="{colour}" stroke-width="2"/>'
            )
        else:
            parts.append(
                f'<line x1="{x:.1f}" y1="{y - font * 0.35:.1f}" x2="{x + 24:.1f}" '
                f'y2="{y - font * 0.35:.1f}" stroke="{colour}" stroke-width="2.5"{dash_attr}/>'
            )
            if marker:
                parts.append(
                    f'<circle cx="{x + 12:.1f}" cy="{y - font * 0.35:.1f}" r="3.5" '
                    f'fill="{colour}"/>'
                )
        parts.append(
            f'<text x="{x + 30:.1f}" y="{y:.1f}" font-size="{font}" fill="#1d2430">'
            f"{escape(name)}</text>"
        )
        x += item_width + 12
    for note in chart.notes:
        for line in _wrapped(note, int((width - 8 - RIGHT) / ((font - 1) * 0.52))):
            y += row
            parts.append(
                f'<text x="8" y="{y:.1f}" font-size="{font - 1}" fill="#5b6473">'
                f"{escape(line)}</text>"
            )
    return parts, (y - top) + font * 0.6 if items or chart.notes else 0.0


def render(chart: Chart, layout: Layout = "wide") -> str:
    """The chart as a standalone SVG document (see the module docstring)."""
    width, plot_height, font, date_ticks = SIZES[layout]
    drawn = [s for s in chart.series if s.points]
    body: list[str] = []
    bottom = plot_height - AXIS
    if not drawn:
        body.append(
            f'<text x="{width / 2:.0f}" y="{plot_height / 2:.0f}" font-size="{font + 1}" '
            f'text-anchor="middle" fill="#5b6473">{escape(chart.empty)}</text>'
        )
        height = plot_height
    else:
        low, high = _range(chart)
        days = [p.day for s in drawn for p in s.points]
        first, last = min(days), max(days)
        if (last - first).days < 2:
            first, last = first - dt.timedelta(days=3), last + dt.timedelta(days=3)
        span_days = max((last - first).days, 1)

        def x_of(day: dt.date) -> float:
            return LEFT + (day - first).days / span_days * (width - LEFT - RIGHT)

        def y_of(value: float) -> float:
            return bottom - (value - low) / (high - low) * (bottom - TOP)

        for tick in _ticks(low, high, 5 if layout == "wide" else 4):
            y = y_of(tick)
            body.append(
                f'<line x1="{LEFT}" y1="{y:.1f}" x2="{width - RIGHT}" y2="{y:.1f}" '
                'stroke="#e3e7ec" stroke-width="1"/>'
            )
            body.append(
                f'<text x="{LEFT - 6}" y="{y + font * 0.35:.1f}" font-size="{font}" '
                f'text-anchor="end" fill="#5b6473">{tick:g}</text>'
            )
        with_year = first.year != last.year
        for i in range(date_ticks):
            day = first + dt.timedelta(days=round(span_days * i / max(date_ticks - 1, 1)))
            x = x_of(day)
            anchor = "start" if i == 0 else "end" if i == date_ticks - 1 else "middle"
            body.append(
                f'<line x1="{x:.1f}" y1="{bottom}" x2="{x:.1f}" y2="{bottom + 4}" '
                'stroke="#5b6473"/>'
            )
            body.append(
                f'<text x="{x:.1f}" y="{bottom + font + 6}" font-size="{font}" '
                f'text-anchor="{anchor}" fill="#5b6473">{_day_label(day, with_year)}</text>'
            )
        body.append(
            f'<line x1="{LEFT}" y1="{bottom}" x2="{width - RIGHT}" y2="{bottom}" stroke="#5b6473"/>'
        )
        body.append(
            f'<text x="4" y="{TOP + font * 0.2:.1f}" font-size="{font - 1}" fill="#5b6473" '
            f'dominant-baseline="hanging">{escape(chart.unit)}</text>'
        )
        if chart.reference is not None:
            y = y_of(chart.reference[0])
            body.append(
                f'<line x1="{LEFT}" y1="{y:.1f}" x2="{width - RIGHT}" y2="{y:.1f}" '
                'stroke="#777777" stroke-width="1.5" stroke-dasharray="4 3"/>'
            )
        for index, series in enumerate(chart.series):
            if not series.points:
                continue
            colour, dash = PALETTE[index % len(PALETTE)]
            points = sorted(series.points, key=lambda p: p.day)
            used = [p for p in points if not p.doubtful]
            if len(used) > 1:
                path = " ".join(f"{x_of(p.day):.1f},{y_of(p.value):.1f}" for p in used)
                dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
                body.append(
                    f'<polyline points="{path}" fill="none" stroke="{colour}" '
                    f'stroke-width="2.5"{dash_attr}/>'
                )
            for p in points:
                fill, stroke = ("#ffffff", colour) if p.doubtful else (colour, "#ffffff")
                tip = f"{series.name}, {p.day.isoformat()}: {p.value:g} {chart.unit}"
                if p.note:
                    tip += f" ({p.note})"
                body.append(
                    f'<circle cx="{x_of(p.day):.1f}" cy="{y_of(p.value):.1f}" r="4.5" '
                    f'fill="{fill}" stroke="{stroke}" stroke-width="2" '
                    f'data-series={quoteattr(series.name)} data-date="{p.day.isoformat()}" '
                    f'data-value="{p.value:g}" data-doubtful="{str(p.doubtful).lower()}">'
                    f"<title>{escape(tip)}</title></circle>"
                )
        legend, legend_height = _legend(chart, width, font, plot_height)
        body.extend(legend)
        height = int(plot_height + legend_height + 6)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" font-family="system-ui, sans-serif">'
        f"<title>{escape(chart.title)}</title>"
        f'<rect width="{width}" height="{height}" fill="#ffffff"/>' + "".join(body) + "</svg>"
    )
