"""Start an MQTT broker for the demo, for `mpp server` convenience and for the test fixtures.

Two brokers are supported:

* Mosquitto 2 (production, tests): run as a child process with a generated config.
* amqtt 0.12 (zero-setup demo on a laptop without Mosquitto): a pure-Python broker running in
  a background thread with its own asyncio loop.

amqtt speaks MQTT 3.1.1 only: an MQTT 5 CONNECT is refused with CONNACK reason
"Unsupported protocol version". Clients must fall back to 3.1.1 when they meet it, and nothing
in the wire contract may need MQTT 5 (see docs/protocol.md and FIELD-NOTES).

Both embedded brokers allow anonymous clients: bind them to loopback unless the LAN is trusted.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import shutil
import signal
import socket
import subprocess
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, Literal

__all__ = [
    "BrokerError",
    "BrokerHandle",
    "free_port",
    "mosquitto_binary",
    "mosquitto_conf",
    "port_is_free",
    "start_amqtt",
    "start_embedded",
    "start_mosquitto",
    "wait_for_port",
]

log = logging.getLogger(__name__)

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

    @property
    def url(self) -> str:
        return f"mqtt://{self.host}:{self.port}"

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
        return _tail(self.data_dir / "mosquitto.log")


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


def mosquitto_binary() -> str | None:
    """Path of the Mosquitto binary (Debian puts it in /usr/sbin, often not on PATH)."""
    found = shutil.which("mosquitto")
    if found:
        return found
    for candidate in ("/usr/sbin/mosquitto", "/usr/local/sbin/mosquitto"):
        if os.access(candidate, os.X_OK):
            return candidate
    return None


def mosquitto_conf(port: int, data_dir: Path, bind: str = "127.0.0.1",
                   sys_interval: int | None = None) -> str:
    """Mosquitto 2 configuration for a broker we start ourselves.

    Notes (mosquitto.conf(5), Mosquitto 2.0):
    * `set_tcp_nodelay true`: without it every QoS 1 round trip pays Nagle (~40 ms).
    * `max_queued_messages` (default 1000) per client: past it messages are dropped silently,
      QoS 1 included; 10000 gives a slow display some slack.
    * `max_inflight_messages` (default 20) outgoing QoS 1/2 messages per client in flight; only
      a value of 1 guarantees in-order delivery across retries. 100 keeps throughput up; the
      event `seq` lets listeners detect gaps and reorderings anyway.
    * `persistence false`: Mosquitto's persistence is not durable (saved on exit or every
      autosave_interval); the server's database is the truth and republishes retained state.
    * No `user` line: run as root, Mosquitto drops privileges to "mosquitto" (or "nobody")
      after reading this file and opening its listener; with persistence off and logging to
      the stderr we hand it, it never needs the data dir afterwards, so it works as root
      (without the "should not be run as root" warning that `user root` gives) and as any
      other user (where `user` has no effect).
    * `sys_interval` (Mosquitto's default: 10 s) paces the `$SYS/broker/...` figures, e.g.
      the count of connected clients the tests read; Mosquitto 2.0 republishes a figure
      that changed every sys_interval + 1 s.
    """
    del data_dir  # everything lives in the config; kept for a future persistence_location
    lines = [
        "# generated by queue_server.broker; do not edit",
        f"listener {port} {bind}",
        "allow_anonymous true",
        "set_tcp_nodelay true",
        "persistence false",
        "max_queued_messages 10000",
        "max_inflight_messages 100",
        "log_dest stderr",
        "log_type error",
        "log_type warning",
    ]
    if sys_interval is not None:
        lines.append(f"sys_interval {sys_interval}")
    return "\n".join([*lines, ""])


def start_mosquitto(
    data_dir: Path, port: int | None = None, bind: str = "127.0.0.1",
    sys_interval: int | None = None,
) -> BrokerHandle:
    """Run Mosquitto as a child process on `bind:port` (a free port when None), with
    `sys_interval` as in mosquitto_conf.

    Waits until the port accepts TCP (at most 10 s); raises BrokerError with the tail of the
    broker's log when it does not.
    """
    binary = mosquitto_binary()
    if binary is None:
        raise BrokerError(
            "mosquitto binary not found: run scripts/install-system-deps.sh "
            "(or apt-get install mosquitto)"
        )
    # Absolute: Mosquitto runs with its cwd in this folder and reads the config path given
    # on its command line, which a relative `data/demo/broker` would then miss.
    data_dir = Path(data_dir).resolve()
    data_dir.mkdir(parents=True, exist_ok=True)
    # With an automatic port another process may grab it between free_port() and bind: retry.
    attempts = 3 if port is None else 1
    last_error: BrokerError | None = None
    for _ in range(attempts):
        chosen = port if port is not None else free_port(bind if bind != "0.0.0.0" else "")
        try:
            return _start_mosquitto_once(binary, data_dir, chosen, bind, sys_interval)
        except BrokerError as exc:
            last_error = exc
            if "Address already in use" not in str(exc):
                raise
    assert last_error is not None
    raise last_error


def _start_mosquitto_once(binary: str, data_dir: Path, port: int, bind: str,
                          sys_interval: int | None) -> BrokerHandle:
    # Check first: a connect() below would otherwise succeed against whoever holds the port.
    if not port_is_free(bind, port):
        raise BrokerError(f"cannot start mosquitto on {bind}:{port}: Address already in use")
    conf_path = data_dir / "mosquitto.conf"
    conf_path.write_text(mosquitto_conf(port, data_dir, bind, sys_interval), encoding="utf-8")
    log_path = data_dir / "mosquitto.log"
    log_file = log_path.open("ab")
    try:
        proc = subprocess.Popen(
            [binary, "-c", str(conf_path)],
            stdin=subprocess.DEVNULL,
            stdout=log_file,
            stderr=log_file,
            cwd=data_dir,
            start_new_session=True,  # a Ctrl+C in the terminal goes to us, not to the broker
        )
    except OSError as exc:
        log_file.close()
        raise BrokerError(f"cannot run {binary}: {exc}") from exc
    host = "127.0.0.1" if bind in ("0.0.0.0", "") else bind
    handle = BrokerHandle(
        host=host,
        port=port,
        kind="mosquitto",
        process=proc,
        data_dir=data_dir,
        _log_file=log_file,
    )
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            handle.stop()
            raise BrokerError(
                f"mosquitto exited with code {proc.returncode} on port {port}: {_tail(log_path)}"
            )
        if wait_for_port(host, port, timeout=0.05) and proc.poll() is None:
            log.info("mosquitto pid %s listening on %s:%s", proc.pid, host, port)
            return handle
    handle.stop()
    raise BrokerError(
        f"mosquitto did not listen on {host}:{port} within "
        f"{START_TIMEOUT_S:.0f} s: {_tail(log_path)}"
    )


def _tail(path: Path) -> str:
    try:
        with path.open("rb") as f:
            f.seek(0, os.SEEK_END)
            size = f.tell()
            f.seek(max(0, size - _STDERR_TAIL_BYTES))
            return f.read().decode("utf-8", "replace").strip() or "(no output)"
    except OSError:
        return "(no log)"


# --------------------------------------------------------------------------- amqtt


class _AmqttRunner:
    """Runs an amqtt Broker on a private asyncio loop in a daemon thread."""

    def __init__(self, bind: str, port: int) -> None:
        self.bind = bind
        self.requested_port = port
        self.port: int | None = None
        self.error: BaseException | None = None
        self._ready = threading.Event()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stop_event: asyncio.Event | None = None
        self.thread = threading.Thread(target=self._run, name="amqtt-broker", daemon=True)

    def start(self) -> None:
        self.thread.start()
        if not self._ready.wait(START_TIMEOUT_S):
            self.stop()
            raise BrokerError(f"amqtt did not start within {START_TIMEOUT_S:.0f} s")
        if self.error is not None:
            self.thread.join(STOP_TIMEOUT_S)
            raise BrokerError(f"amqtt failed to start: {self.error}") from self.error

    def stop(self) -> None:
        loop, stop_event = self._loop, self._stop_event
        if loop is not None and stop_event is not None and not loop.is_closed():
            with contextlib.suppress(RuntimeError):  # loop closed in the meantime
                loop.call_soon_threadsafe(stop_event.set)
        if self.thread.is_alive() and threading.current_thread() is not self.thread:
            self.thread.join(STOP_TIMEOUT_S + 5)

    def _run(self) -> None:
        loop = asyncio.new_event_loop()
        try:
            loop.run_until_complete(self._main())
        except BaseException as exc:
            self.error = exc
        finally:
            self._ready.set()
            try:
                _cancel_all_tasks(loop)
                loop.run_until_complete(loop.shutdown_asyncgens())
                loop.run_until_complete(loop.shutdown_default_executor())
            finally:
                loop.close()

    async def _main(self) -> None:
        # imported lazily: amqtt pulls in a lot; it ships no type information
        from amqtt.broker import Broker  # type: ignore[import-untyped]

        config: dict[str, Any] = {
            "listeners": {
                "default": {"type": "tcp", "bind": f"{self.bind}:{self.requested_port}"},
            },
            # Only the anonymous auth plugin: no $SYS plugin (it warns about psutil and
            # publishes every 20 s), no packet/event loggers. Giving `plugins` explicitly also
            # avoids amqtt's deprecated entry-point plugin loading.
            "plugins": {
                "amqtt.plugins.authentication.AnonymousAuthPlugin": {"allow_anonymous": True},
            },
        }
        broker = Broker(config, loop=asyncio.get_running_loop())
        await broker.start()
        try:
            server = broker._servers["default"].instance  # amqtt exposes no public accessor
            self.port = int(server.sockets[0].getsockname()[1])
            self._stop_event = asyncio.Event()
            self._loop = asyncio.get_running_loop()
            self._ready.set()
            await self._stop_event.wait()
        finally:
            await broker.shutdown()


def _cancel_all_tasks(loop: asyncio.AbstractEventLoop) -> None:
    tasks = [t for t in asyncio.all_tasks(loop) if not t.done()]
    for task in tasks:
        task.cancel()
    if tasks:
        loop.run_until_complete(asyncio.gather(*tasks, return_exceptions=True))


def start_amqtt(port: int | None = None, bind: str = "127.0.0.1") -> BrokerHandle:
    """Run an amqtt broker (MQTT 3.1.1 only, anonymous, keeps retained messages) in a thread.

    With `port=None` the listener binds port 0 and the kernel picks a free port (no race).
    `stop()` shuts the broker down and joins its thread.
    """
    for name in ("amqtt", "transitions"):
        # amqtt logs every connection at INFO; keep the demo's console readable.
        lg = logging.getLogger(name)
        if lg.level == logging.NOTSET:
            lg.setLevel(logging.WARNING)
    if port is not None and not port_is_free(bind, port):
        raise BrokerError(f"cannot start amqtt on {bind}:{port}: Address already in use")
    runner = _AmqttRunner(bind, port if port is not None else 0)
    runner.start()
    assert runner.port is not None
    host = "127.0.0.1" if bind in ("0.0.0.0", "") else bind
    return BrokerHandle(host=host, port=runner.port, kind="amqtt", _stopper=runner)


def start_embedded(
    data_dir: Path, port: int | None = None, bind: str = "127.0.0.1"
) -> BrokerHandle:
    """Mosquitto when its binary is installed, else the pure-Python amqtt broker.
    MPP_BROKER=amqtt forces the embedded one (to try a machine without Mosquitto)."""
    if os.environ.get("MPP_BROKER") != "amqtt" and mosquitto_binary() is not None:
        return start_mosquitto(data_dir, port=port, bind=bind)
    why = "MPP_BROKER=amqtt" if os.environ.get("MPP_BROKER") == "amqtt" else \
        "mosquitto not installed"
    log.warning("%s: using the embedded amqtt broker (MQTT 3.1.1 only)", why)
    return start_amqtt(port=port, bind=bind)
