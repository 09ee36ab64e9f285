"""The running server the end-to-end tests talk to (started by the ``server`` fixture)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Server:
    """A running hipfirst: its address, data folder and the demo logins by role."""

    url: str
    data_dir: Path
    logins: dict[str, tuple[str, str]]
