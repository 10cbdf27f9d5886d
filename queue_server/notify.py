"""systemd's service notifications (sd_notify), without libsystemd: READY=1 once a
process really serves, STATUS= lines for `systemctl status`, WATCHDOG=1 pings from the
loop that must keep turning, STOPPING=1 at the end. Each message is one datagram to
$NOTIFY_SOCKET (a path, or an abstract name written with a leading '@'). Without
$NOTIFY_SOCKET (a terminal, the tests, the demo) every call does nothing.

The apps run under `cage`, the unit's main process: systemd gives WATCHDOG_PID=cage's
pid, so the app, cage's child, pings when that pid is its own or its parent's."""

from __future__ import annotations

import logging
import os
import socket
import time
from collections.abc import Callable, Mapping

log = logging.getLogger("mpp.notify")

PINGS_PER_PERIOD = 3  # a ping every third of WatchdogSec: one lost turn is no restart


class Notifier:
    def __init__(self, address: str | None, watchdog_s: float | None = None,
                 monotonic: Callable[[], float] = time.monotonic) -> None:
        """`address`: the notification socket (None: a no-op notifier); `watchdog_s`:
        the unit's WatchdogSec for this process (None: no watchdog)."""
        self._address = _socket_address(address) if address else None
        self.ping_every = watchdog_s / PINGS_PER_PERIOD if watchdog_s else None
        self._monotonic = monotonic
        self._last_ping: float | None = None
        self._warned = False

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Notifier:
        env = os.environ if env is None else env
        return cls(env.get("NOTIFY_SOCKET") or None, watchdog_seconds(env))

    @property
    def enabled(self) -> bool:
        return self._address is not None

    def ready(self, status: str | None = None) -> None:
        self._send("READY=1", *([f"STATUS={status}"] if status else []))

    def status(self, text: str) -> None:
        self._send(f"STATUS={text}")

    def extend_timeout(self, seconds: float) -> None:
        """Still starting up, and making progress: the start timeout moves on."""
        self._send(f"EXTEND_TIMEOUT_USEC={int(seconds * 1_000_000)}")

    def stopping(self, status: str | None = None) -> None:
        self._send("STOPPING=1", *([f"STATUS={status}"] if status else []))

    def ping(self) -> None:
        """WATCHDOG=1, at most every `ping_every` seconds: call it from every turn of
        the loop whose standstill should get the process restarted."""
        if self.ping_every is None or self._address is None:
            return
        now = self._monotonic()
        if self._last_ping is not None and now - self._last_ping < self.ping_every:
            return
        self._last_ping = now
        self._send("WATCHDOG=1")

    def _send(self, *lines: str) -> None:
        if self._address is None:
            return
        try:
            with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM | socket.SOCK_CLOEXEC) as s:
                s.sendto("\n".join(lines).encode(), self._address)
        except OSError as err:  # a lost notification must never stop the service
            if not self._warned:
                self._warned = True
                log.warning("cannot notify systemd at %r: %s", self._address, err)


def watchdog_seconds(env: Mapping[str, str]) -> float | None:
    """The watchdog period systemd asks of this process, or None. WATCHDOG_PID names
    the unit's main process: ours, or our parent's when we run under `cage`."""
    try:
        usec = int(env.get("WATCHDOG_USEC", ""))
    except ValueError:
        return None
    if usec <= 0:
        return None
    pid = env.get("WATCHDOG_PID")
    if pid and pid not in (str(os.getpid()), str(os.getppid())):
        return None  # the watchdog is some other process's
    return usec / 1_000_000


def _socket_address(address: str) -> str | bytes:
    if address.startswith("@"):  # an abstract socket: a leading NUL instead of '@'
        return b"\0" + address[1:].encode()
    return address
