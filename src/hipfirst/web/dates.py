"""Dates as people read them on the patient's pages and handout."""

from __future__ import annotations

import datetime as dt


def long_date(day: dt.date) -> str:
    """``Tuesday 1 December 2026``: no digits-only date a patient could misread."""
    return f"{day:%A} {day.day} {day:%B %Y}"
