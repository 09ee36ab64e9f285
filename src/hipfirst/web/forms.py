"""Field errors as a form shows them: one message per field, the value given in brackets."""

from __future__ import annotations

from collections.abc import Iterable

from hipfirst.errors import FieldError


def field_messages(problems: Iterable[FieldError]) -> dict[str, str]:
    """``{location: "must be … (got 'x')"}``; a later problem with the same field wins."""
    messages: dict[str, str] = {}
    for problem in problems:
        shown = f" (got {problem.value!r})" if problem.value not in (None, "") else ""
        messages[problem.location] = problem.message + shown
    return messages
