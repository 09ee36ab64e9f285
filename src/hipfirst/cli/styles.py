"""Colours the CLI gives to statuses, and the one way user text reaches Rich markup.

An evidence status (published, derived, borrowed, secondary, expert_opinion,
web_article, unconfirmed) is always printed next to a number; green is the most
trusted, red the least.

Rich reads ``[...]`` in a printed string as markup: a value such as ``[/]`` (in a
file name, a field of an assessment, a plan's phase name) would crash the
printer, and ``[bold]right`` or a source list ``[powers_2017]`` would silently
vanish. So every piece of text that did not come from this package's own
format strings goes through :func:`plain` (or is printed with ``markup=False``)
before it is placed in markup; :func:`styled` does it for the values it colours.
"""

from __future__ import annotations

from collections.abc import Mapping

from rich.markup import escape

from hipfirst.knowledge.schema import Status

EVIDENCE_STYLE: Mapping[str, str] = {
    Status.PUBLISHED: "green",
    Status.DERIVED: "yellow",
    Status.BORROWED: "magenta",
    Status.SECONDARY: "cyan",
    Status.EXPERT_OPINION: "blue",
    Status.WEB_ARTICLE: "bright_red",
    Status.UNCONFIRMED: "red",
}


def plain(text: object) -> str:
    """``text`` made safe to put inside Rich markup: its brackets are printed as written."""
    return escape(str(text))


def styled(value: str, styles: Mapping[str, str]) -> str:
    """Rich markup for ``value`` in its colour (white when it has none), ``_`` as spaces."""
    return f"[{styles.get(value, 'white')}]{plain(value.replace('_', ' '))}[/]"


def evidence_status(status: str) -> str:
    """Rich markup for an evidence status in its colour."""
    return styled(status, EVIDENCE_STYLE)


def bracketed(items: list[str]) -> str:
    """``[a, b]`` dimmed, as the CLI shows source ids (brackets escaped, so they show)."""
    return f"[dim]{plain('[' + ', '.join(items) + ']')}[/]"
