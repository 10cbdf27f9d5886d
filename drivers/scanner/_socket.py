"""Lines from TCP clients on the loopback interface: a simulated scanner other processes
(the demo, a test, `nc 127.0.0.1 PORT`) can feed."""

from __future__ import annotations

import selectors
import socket
import time
from collections import deque
from typing import Self

from ._lines import LineAssembler
from ._types import SCANNER_CLOSED, SCANNER_CONFIG, SCANNER_NOT_FOUND, Scan, ScannerError

LOOPBACK_HOSTS = frozenset({"127.0.0.1", "::1", "localhost"})


class SocketScanner:
    """Listens on host:port (loopback only); each connected client sends lines."""

    def __init__(self, host: str = "127.0.0.1", port: int = 0, *, terminator: str = "LF") -> None:
        if host not in LOOPBACK_HOSTS:
            raise ScannerError(SCANNER_CONFIG, f"socket host {host!r}: loopback only")
        self.host, self.port = host, port
        self.source = f"socket:{host}:{port}"
        self._terminator = terminator
        self._lines: deque[str] = deque()
        self._sel: selectors.DefaultSelector | None = None
        self._listener: socket.socket | None = None

    @property
    def address(self) -> tuple[str, int]:
        """(host, port) actually listened on (port 0 in config picks a free one)."""
        if self._listener is None:
            raise ScannerError(SCANNER_CLOSED, "socket scanner is not open")
        host, port = self._listener.getsockname()[:2]
        return host, port

    def open(self) -> Self:
        self.close()
        family = socket.AF_INET6 if ":" in self.host else socket.AF_INET
        listener = socket.socket(family, socket.SOCK_STREAM)
        try:
            listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            listener.bind((self.host, self.port))
            listener.listen()
        except OSError as err:
            listener.close()
            raise ScannerError(SCANNER_NOT_FOUND, f"cannot listen on {self.source}: {err}") from err
        listener.setblocking(False)
        self._listener, self._sel = listener, selectors.DefaultSelector()
        self._sel.register(listener, selectors.EVENT_READ, None)
        self.source = "socket:{}:{}".format(*self.address)
        return self

    def close(self) -> None:
        sel, self._sel = self._sel, None
        self._listener = None
        self._lines.clear()
        if sel is None:
            return
        for key in list(sel.get_map().values()):
            sel.unregister(key.fileobj)
            key.fileobj.close()  # type: ignore[union-attr]
        sel.close()

    def read(self, timeout: float | None) -> Scan | None:
        deadline = None if timeout is None else time.monotonic() + timeout
        while not self._lines:
            if self._sel is None:
                raise ScannerError(SCANNER_CLOSED, f"{self.source} is not open")
            remaining = None if deadline is None else max(0.0, deadline - time.monotonic())
            events = self._sel.select(remaining)
            for key, _ in events:
                self._service(key)
            if not events and remaining is not None and remaining <= 0:
                return None
        return Scan(self._lines.popleft(), self.source, time.time())

    def _service(self, key: selectors.SelectorKey) -> None:
        assert self._sel is not None
        if key.data is None:
            client, _ = key.fileobj.accept()  # type: ignore[union-attr]
            client.setblocking(False)
            self._sel.register(client, selectors.EVENT_READ, LineAssembler(self._terminator))
            return
        try:
            data = key.fileobj.recv(4096)  # type: ignore[union-attr]
        except BlockingIOError:
            return
        except OSError:
            data = b""
        self._lines.extend(key.data.feed(data))
        if not data:
            self._sel.unregister(key.fileobj)
            key.fileobj.close()  # type: ignore[union-attr]

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
