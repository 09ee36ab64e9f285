"""A TCP proxy in front of the test server that can cut every connection through it.

The browser talks to the proxy as if it were the site (so ``Host`` and ``Origin`` agree, as
behind any reverse proxy); :meth:`DroppingProxy.drop` closes both ends of every open
connection, as a lost network would, while new connections still go through.
"""

from __future__ import annotations

import contextlib
import socket
import threading
from types import TracebackType

BUFFER = 65536


class DroppingProxy:
    """Forwards ``127.0.0.1:<port>`` to ``upstream`` (host, port) until closed."""

    def __init__(self, upstream: tuple[str, int]) -> None:
        self._upstream = upstream
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port: int = self._listener.getsockname()[1]
        self._open: set[socket.socket] = set()
        self._lock = threading.Lock()
        self.dropped = 0
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self._listener.accept()
            except OSError:  # closed
                return
            try:
                server = socket.create_connection(self._upstream)
            except OSError:
                client.close()
                continue
            with self._lock:
                self._open |= {client, server}
            for source, sink in ((client, server), (server, client)):
                threading.Thread(target=self._pump, args=(source, sink), daemon=True).start()

    def _pump(self, source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(BUFFER):
                sink.sendall(data)
        except OSError:
            pass
        finally:
            self._close(source, sink)

    def _close(self, *ends: socket.socket) -> None:
        with self._lock:
            for end in ends:
                self._open.discard(end)
                with contextlib.suppress(OSError):
                    end.shutdown(socket.SHUT_RDWR)
                end.close()

    def drop(self) -> int:
        """Cut every connection open now; returns how many sockets were closed."""
        with self._lock:
            ends = list(self._open)
        self._close(*ends)
        self.dropped += len(ends)
        return len(ends)

    def close(self) -> None:
        self._listener.close()
        self.drop()

    def __enter__(self) -> DroppingProxy:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.close()
