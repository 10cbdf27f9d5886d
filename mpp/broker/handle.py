"""A running broker (or an external one) and the ports it listens on."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, Literal

from queue_server.protocol.credentials import Credentials
from queue_server.protocol.urls import MqttUrl

START_TIMEOUT_S = 10.0
STOP_TIMEOUT_S = 5.0
_STDERR_TAIL_BYTES = 4000


class BrokerError(Exception):
    """The broker could not be started (or reached)."""

    code = "broker_unavailable"


@dataclass
class BrokerHandle:
    """A running (or external) broker. `stop()` is idempotent."""

    host: str
    port: int
    kind: Literal["mosquitto", "amqtt", "external"]
    # Mosquitto only: the child process and the folder holding its config and log.
    process: subprocess.Popen[bytes] | None = field(default=None, repr=False)
    data_dir: Path | None = None
    _stopper: Any = field(default=None, repr=False)
    _log_file: IO[bytes] | None = field(default=None, repr=False)
    tls: bool = False  # the listener speaks MQTT over TLS
    # the broker's accounts, for whoever started it with accounts it provisioned (the demo,
    # the tests): user -> credentials. Empty: anonymous, or accounts we do not hold.
    accounts: Mapping[str, Credentials] = field(default_factory=dict, repr=False)

    @property
    def url(self) -> str:
        return str(MqttUrl(self.host, self.port, self.tls))

    def credentials(self, user: str) -> Credentials | None:
        """The credentials of `user` on this broker; None when it takes anonymous clients
        (no accounts held). Raises KeyError naming the accounts it has."""
        if not self.accounts:
            return None
        try:
            return self.accounts[user]
        except KeyError:
            raise KeyError(f"no broker account {user!r} on {self.url} (it has "
                           f"{', '.join(sorted(self.accounts))})") from None

    @property
    def pid(self) -> int | None:
        return self.process.pid if self.process is not None else None

    def is_running(self) -> bool:
        if self.kind == "mosquitto":
            return self.process is not None and self.process.poll() is None
        if self.kind == "amqtt":
            return self._stopper is not None and self._stopper.thread.is_alive()
        return True

    def stop(self) -> None:
        """Stop the broker gracefully (SIGTERM for Mosquitto); a no-op for an external one."""
        if self.kind == "mosquitto":
            self._terminate(signal.SIGTERM)
        elif self.kind == "amqtt" and self._stopper is not None:
            self._stopper.stop()

    def kill(self) -> None:
        """Kill the broker abruptly (SIGKILL for Mosquitto: retained messages are lost).

        For fault tests. amqtt runs in our own process and cannot be killed: it is stopped.
        """
        if self.kind == "mosquitto":
            self._terminate(signal.SIGKILL)
        else:
            self.stop()

    def _terminate(self, sig: signal.Signals) -> None:
        proc = self.process
        if proc is not None and proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                proc.send_signal(sig)
            try:
                proc.wait(timeout=STOP_TIMEOUT_S)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=STOP_TIMEOUT_S)
        if self._log_file is not None:
            self._log_file.close()
            self._log_file = None

    def stderr_tail(self) -> str:
        """The end of the broker's log (Mosquitto only; empty otherwise)."""
        if self.data_dir is None:
            return ""
        return log_tail(self.data_dir / "mosquitto.log")


def free_port(host: str = "127.0.0.1") -> int:
    """A TCP port that was free a moment ago (the usual small race applies)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((host, 0))
        port: int = s.getsockname()[1]
        return port


def port_is_free(host: str, port: int) -> bool:
    """True when nothing listens on host:port (bound like the brokers bind: SO_REUSEADDR, so
    sockets of a killed broker lingering in TIME_WAIT do not count)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind((host, port))
        except OSError:
            return False
        return True


def wait_for_port(host: str, port: int, timeout: float = START_TIMEOUT_S) -> bool:
    """Poll until host:port accepts a TCP connection; False on timeout."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            with socket.create_connection((host, port), timeout=0.5):
                return True
        except OSError:
            if time.monotonic() >= deadline:
                return False
            time.sleep(0.01)


def log_tail(path: Path) -> str:
    try:
        with path.open("rb") as f:
            f.seek(0, os.SEEK_END)
            size = f.tell()
            f.seek(max(0, size - _STDERR_TAIL_BYTES))
            return f.read().decode("utf-8", "replace").strip() or "(no output)"
    except OSError:
        return "(no log)"
