"""amqtt 0.12 (zero-setup demo on a laptop without Mosquitto): a pure-Python broker
running in a background thread with its own asyncio loop. It speaks MQTT 3.1.1 only.
With a BrokerAccess it checks the same accounts and ACL as Mosquitto (amqtt_access.py)
and speaks TLS when the access has the broker's certificate."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
from typing import Any

from mpp.broker.access import BrokerAccess
from mpp.broker.handle import (
    START_TIMEOUT_S,
    STOP_TIMEOUT_S,
    BrokerError,
    BrokerHandle,
    port_is_free,
)


class _AmqttRunner:
    """Runs an amqtt Broker on a private asyncio loop in a daemon thread."""

    def __init__(self, bind: str, port: int, access: BrokerAccess | None) -> None:
        self.bind = bind
        self.requested_port = port
        self.access = access
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
        # imported lazily: amqtt pulls in a lot
        from mpp.broker.amqtt_access import AclBroker, amqtt_plugins

        listener: dict[str, Any] = {"type": "tcp", "bind": f"{self.bind}:{self.requested_port}"}
        tls = self.access.tls if self.access is not None else None
        if tls is not None:
            listener.update(ssl=True, certfile=str(tls.server_cert),
                            keyfile=str(tls.server_key))
        config: dict[str, Any] = {
            "listeners": {"default": listener},
            # Only the auth and ACL plugins: no $SYS plugin (it warns about psutil and
            # publishes every 20 s), no packet/event loggers. Giving `plugins` explicitly also
            # avoids amqtt's deprecated entry-point plugin loading.
            "plugins": amqtt_plugins(self.access),
        }
        broker = AclBroker(config, loop=asyncio.get_running_loop())
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


def start_amqtt(port: int | None = None, bind: str = "127.0.0.1",
                access: BrokerAccess | None = None) -> BrokerHandle:
    """Run an amqtt broker (MQTT 3.1.1 only, keeps retained messages) in a thread: with
    `access`, the accounts and ACL of `mpp provision` (and TLS when it has the broker's
    certificate); without, anyone may connect (the development switch).

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
    runner = _AmqttRunner(bind, port if port is not None else 0, access)
    runner.start()
    assert runner.port is not None
    host = "127.0.0.1" if bind in ("0.0.0.0", "") else bind
    return BrokerHandle(host=host, port=runner.port, kind="amqtt", _stopper=runner,
                        tls=access is not None and access.tls is not None)
