"""Colours the CLI gives to statuses, so every command shows trust the same way.

An evidence status (published, derived, borrowed, secondary, expert_opinion,
web_article, unconfirmed) is always printed next to a number; green is the most
trusted, red the least.
"""

from __future__ import annotations

from collections.abc import Mapping

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


def styled(value: str, styles: Mapping[str, str]) -> str:
    """Rich markup for ``value`` in its colour (white when it has none), ``_`` as spaces."""
    return f"[{styles.get(value, 'white')}]{value.replace('_', ' ')}[/]"


def evidence_status(status: str) -> str:
    """Rich markup for an evidence status in its colour."""
    return styled(status, EVIDENCE_STYLE)
