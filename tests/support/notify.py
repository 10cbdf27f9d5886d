"""The systemd side of sd_notify for the tests: a unix datagram socket that collects
what a process under test tells systemd (READY=1, STATUS=..., WATCHDOG=1, STOPPING=1)."""

from __future__ import annotations

import socket
import time
import uuid
from pathlib import Path


class NotifyListener:
    """Bound at `path`, or at a fresh abstract name ('@...') when `path` is None."""

    def __init__(self, path: Path | None = None) -> None:
        self.address = str(path) if path else f"@mpp-test-{uuid.uuid4().hex}"
        self._sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        bound = b"\0" + self.address[1:].encode() if path is None else self.address
        self._sock.bind(bound)
        self.seen: list[dict[str, str]] = []

    def close(self) -> None:
        self._sock.close()

    def __enter__(self) -> NotifyListener:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def next(self, timeout: float) -> dict[str, str] | None:
        """The next message's fields, or None when none came within `timeout`."""
        self._sock.settimeout(timeout)
        try:
            raw = self._sock.recv(4096)
        except (TimeoutError, BlockingIOError):  # BlockingIOError: a zero timeout
            return None
        fields = dict(line.split("=", 1) for line in raw.decode().splitlines() if line)
        self.seen.append(fields)
        return fields

    def wait_for(self, key: str, timeout: float, value: str | None = None
                 ) -> dict[str, str]:
        """The first message (from now) carrying `key` (=`value`); AssertionError
        naming what did come when none does within `timeout`."""
        deadline = time.monotonic() + timeout
        start = len(self.seen)
        while (left := deadline - time.monotonic()) > 0:
            fields = self.next(left)
            if fields is not None and key in fields and value in (None, fields[key]):
                return fields
        raise AssertionError(f"no {key}{'=' + value if value else ''} within {timeout} s; "
                             f"came: {self.seen[start:]}")

    def drain(self) -> None:
        while self.next(0.0) is not None:
            pass
