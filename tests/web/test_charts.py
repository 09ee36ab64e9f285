"""Progress charts: what each figure says (title, lines, values, labels, empty message), and PNG."""

from __future__ import annotations

import datetime as dt
import struct

from matplotlib.axes import Axes
from matplotlib.figure import Figure

from hipfirst.web import charts

MARCH_1, MARCH_4 = dt.date(2026, 3, 1), dt.date(2026, 3, 4)


def only_axes(figure: Figure) -> Axes:
    [axes] = figure.axes
    return axes


def lines(axes: Axes) -> dict[str, tuple[list[object], list[float]]]:
    """Every drawn line by its label: (x values, y values)."""
    return {
        str(line.get_label()): (list(line.get_xdata()), [float(y) for y in line.get_ydata()])
        for line in axes.get_lines()
    }


def legend(axes: Axes) -> list[str]:
    found = axes.get_legend()
    return [] if found is None else [text.get_text() for text in found.get_texts()]


def test_it_draws_pain_during_and_next_morning_on_a_0_to_10_scale() -> None:
    axes = only_axes(charts.pain_figure([(MARCH_1, 4.0, 3.0), (MARCH_4, 2.0, None)]))
    assert axes.get_title() == "Pain (0–10)"
    assert lines(axes) == {
        "during": ([MARCH_1, MARCH_4], [4.0, 2.0]),
        "next morning": ([MARCH_1], [3.0]),  # a morning not rated yet is not drawn
    }
    assert axes.get_ylim() == (0.0, 10.0)
    assert axes.get_ylabel() == "pain"
    assert legend(axes) == ["during", "next morning"]


def test_it_says_so_when_no_session_is_logged() -> None:
    axes = only_axes(charts.pain_figure([]))
    assert axes.get_title() == "Pain (0–10)"
    assert [text.get_text() for text in axes.texts] == ["No sessions logged yet"]
    assert lines(axes) == {}
    assert list(axes.get_xticks()) == [] and list(axes.get_yticks()) == []


def test_it_draws_each_series_by_date_with_the_reference_line() -> None:
    figure = charts.series_figure(
        "Limb symmetry index per assessment",
        "% of the other side",
        {"hip abduction": [(MARCH_4, 82.0), (MARCH_1, 75.0)], "not measured": []},
        empty="unused",
        reference=(90.0, "Strength LSI pass mark: 90 % (borrowed)"),
    )
    axes = only_axes(figure)
    assert axes.get_title() == "Limb symmetry index per assessment"
    drawn = lines(axes)
    assert drawn["hip abduction"] == ([MARCH_1, MARCH_4], [75.0, 82.0])  # sorted by date
    assert drawn["Strength LSI pass mark: 90 % (borrowed)"][1] == [90.0, 90.0]
    assert "not measured" not in drawn  # an empty series gets no line
    assert axes.get_ylabel() == "% of the other side"
    assert legend(axes) == ["hip abduction", "Strength LSI pass mark: 90 % (borrowed)"]


def test_it_keeps_the_limits_it_is_given() -> None:
    axes = only_axes(
        charts.series_figure(
            "Questionnaires per assessment",
            "points",
            {"AKPS (0–100)": [(MARCH_1, 85.0)]},
            empty="unused",
            limits=(0, 100),
        )
    )
    assert axes.get_ylim() == (0.0, 100.0)
    assert lines(axes) == {"AKPS (0–100)": ([MARCH_1], [85.0])}


def test_it_says_what_is_missing_when_every_series_is_empty() -> None:
    axes = only_axes(
        charts.series_figure(
            "Frontal plane projection angle (video)",
            "degrees",
            {"left (landing)": []},
            empty="No valid FPPA from a finished video analysis yet",
        )
    )
    assert axes.get_title() == "Frontal plane projection angle (video)"
    assert [text.get_text() for text in axes.texts] == [
        "No valid FPPA from a finished video analysis yet"
    ]
    assert lines(axes) == {} and legend(axes) == []


def test_it_renders_a_png_of_700_by_320_pixels() -> None:
    image = charts.pain_chart([(MARCH_1, 4.0, 3.0)])
    assert image.startswith(b"\x89PNG\r\n\x1a\n")
    assert image[12:16] == b"IHDR"
    assert struct.unpack(">II", image[16:24]) == (700, 320)  # 7 × 3.2 inches at 100 dpi
