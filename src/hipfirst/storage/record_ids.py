"""Record ids as users type them: bounded to what a database column holds.

A larger number names nothing that exists, so it is treated like any unknown id
(a 404, or "no such record") instead of overflowing the database driver.
"""

from __future__ import annotations

MAX_RECORD_ID = 2**31 - 1
"""The largest id an INTEGER primary key holds on PostgreSQL (SQLite's are larger)."""


def parse_record_id(text: str | None) -> int | None:
    """A record id typed in a form or a query (ASCII digits, 1 to :data:`MAX_RECORD_ID`)."""
    if text is None:
        return None
    text = text.strip()
    if not (text.isascii() and text.isdigit()) or len(text) > len(str(MAX_RECORD_ID)):
        return None
    number = int(text)
    return number if 1 <= number <= MAX_RECORD_ID else None
