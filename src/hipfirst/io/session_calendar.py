"""Write planned sessions as an iCalendar file (RFC 5545) a phone calendar can import.

Each session is an all-day event (``DTSTART;VALUE=DATE``, the next day as ``DTEND``), so it
lands on the right day in any time zone. ``uid`` should stay the same when the programme
changes, so importing the calendar again updates the events instead of doubling them;
``sequence`` (the programme version) tells the calendar which copy is newer.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

import icalendar

PRODUCT_ID = "-//hipfirst//session calendar//EN"


@dataclass(frozen=True)
class CalendarEvent:
    """One all-day event: what the calendar shows (summary) and the details (description)."""

    uid: str
    day: dt.date
    summary: str
    description: str
    sequence: int
    stamp: dt.datetime
    """When the programme behind it was made (timezone-aware)."""


def calendar_ics(name: str, events: Sequence[CalendarEvent]) -> bytes:
    """The events as one ``VCALENDAR`` (UTF-8, CRLF line endings, long lines folded)."""
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    for item in events:
        event = icalendar.Event()
        event.add("uid", item.uid)
        event.add("dtstamp", item.stamp.astimezone(dt.UTC))
        event.add("dtstart", item.day)
        event.add("dtend", item.day + dt.timedelta(days=1))
        event.add("summary", item.summary)
        event.add("description", item.description)
        event.add("sequence", item.sequence)
        event.add("transp", "TRANSPARENT")  # a reminder, not a busy slot
        calendar.add_component(event)
    return bytes(calendar.to_ical())
