"""Live mirror takes held by the server between frames, and across a dropped socket.

A take (:class:`LiveTake`) is one :class:`~hipfirst.video.live_session.LiveSession` with its
owner (the signed-in user and the patient record it streams into). The
:class:`TakeRegistry` keeps the takes by a random id: the page keeps the id, so a socket
that drops and reconnects within ``grace_s`` carries on with the same take (same frames,
same counter); a take nobody reconnects to in that time is freed, as is a saved or
discarded one. Only the same user may reattach, and only for the same record. The
registry holds at most ``max_takes`` at once.

The registry is used from the web server's event loop; each take has a lock so a frame
and a save never run at once.
"""

from __future__ import annotations

import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from hipfirst.errors import HipfirstError
from hipfirst.knowledge.base import KnowledgeBase
from hipfirst.knowledge.vocabulary import Side, VideoTask
from hipfirst.video.live_session import LiveSession
from hipfirst.video.settings import VideoSettings


class TakeRefusedError(HipfirstError):
    """A take cannot be opened or reattached (the message says why, for the page)."""


@dataclass
class LiveTake:
    """One take and whose it is; ``detached_at``: monotonic time its socket dropped."""

    take_id: str
    user_id: int
    patient_id: int
    model: str
    session: LiveSession
    lock: threading.Lock = field(default_factory=threading.Lock)
    attached: bool = True
    detached_at: float | None = None
    saved_analysis_id: int | None = None


class TakeRegistry:
    """The live takes of this server process (module doc)."""

    def __init__(
        self,
        *,
        grace_s: float,
        max_takes: int,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.grace_s, self.max_takes, self._clock = grace_s, max_takes, clock
        self._takes: dict[str, LiveTake] = {}
        self._guard = threading.Lock()

    def __len__(self) -> int:
        return len(self._takes)

    def open(
        self,
        *,
        user_id: int,
        patient_id: int,
        task: VideoTask,
        side: Side,
        model: str,
        kb: KnowledgeBase,
        settings: VideoSettings,
    ) -> LiveTake:
        """A new take; refused when the server already holds ``max_takes``."""
        self.sweep()
        with self._guard:
            if len(self._takes) >= self.max_takes:
                raise TakeRefusedError(
                    f"the server is already running {len(self._takes)} live takes, its limit; "
                    "try again in a minute"
                )
            take = LiveTake(
                take_id=secrets.token_urlsafe(16),
                user_id=user_id,
                patient_id=patient_id,
                model=model,
                session=LiveSession(task, side, kb=kb, settings=settings),
            )
            self._takes[take.take_id] = take
            return take

    def reattach(self, take_id: str, *, user_id: int, patient_id: int) -> LiveTake:
        """The take ``take_id`` again, for its own user and record only."""
        self.sweep()
        with self._guard:
            take = self._takes.get(take_id)
            if take is None or take.user_id != user_id or take.patient_id != patient_id:
                raise TakeRefusedError(
                    "this live take has ended (saved, discarded, or gone for longer than "
                    f"{self.grace_s:g} s); press Start for a new one"
                )
            take.attached, take.detached_at = True, None
            return take

    def detach(self, take: LiveTake) -> None:
        """The take's socket closed: keep it ``grace_s`` for a reconnect."""
        with self._guard:
            if take.take_id in self._takes:
                take.attached, take.detached_at = False, self._clock()

    def discard(self, take: LiveTake) -> None:
        """Free the take now (saved, or thrown away by the user)."""
        with self._guard:
            self._takes.pop(take.take_id, None)

    def sweep(self) -> list[str]:
        """Free every detached take older than ``grace_s``; returns their ids."""
        now = self._clock()
        with self._guard:
            expired = [
                take_id
                for take_id, take in self._takes.items()
                if not take.attached
                and take.detached_at is not None
                and now - take.detached_at >= self.grace_s
            ]
            for take_id in expired:
                del self._takes[take_id]
        return expired
