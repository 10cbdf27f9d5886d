"""A small device-side client: request/reply with idempotent retries, and the
retained state followed into a dict. Used by the apps, the demo and the bench."""

from __future__ import annotations

import json
import threading
import time
import uuid
from collections.abc import Callable, Sequence
from typing import Any

from queue_server.protocol.credentials import Credentials
from queue_server.protocol.errors import ErrorCode, ProtocolError
from queue_server.protocol.link import Link, LinkOptions
from queue_server.protocol.messages import dumps
from queue_server.protocol.times import device_clock, epoch_of
from queue_server.protocol.topics import KEYED_STATE, SINGLE_STATE, TopicKind, Topics


class CommandError(ProtocolError):
    """The server answered ok: false."""


class _Pending:
    __slots__ = ("done", "reply")

    def __init__(self) -> None:
        self.done = threading.Event()
        self.reply: dict[str, Any] | None = None


def _answered(pending: _Pending, seconds: float, cancel: threading.Event | None) -> bool:
    if cancel is None:
        return pending.done.wait(seconds)
    deadline = time.monotonic() + seconds
    while not pending.done.wait(min(0.05, max(0.0, deadline - time.monotonic()))):
        if cancel.is_set() or time.monotonic() >= deadline:
            return pending.done.is_set()
    return True


class QueueClient:
    """Speaks for `device_id`, logged in with its `credentials` (None: anonymous, the
    development switch), over TLS when `tls`. `extra_devices`: more devices on the same
    connection, for simulators on an anonymous broker only; with accounts, the broker lets
    a device publish on its own `cmd/` alone, so each device needs a connection.
    `clock` is this device's own clock (epoch seconds; tests give a wrong one): its presence
    reports it (`clock`) so that the supervisor sees a box that booted with a wrong time,
    and `check_clock()` measures it against the server's. Nothing the server orders or
    numbers depends on it."""

    def __init__(self, host: str, port: int, site: str, device_id: str, role: str, *,
                 credentials: Credentials | None = None, tls: bool = False,
                 extra_devices: Sequence[str] = (), follow_state: bool = True,
                 follow_events: bool = False, follow_devices: bool = False,
                 protocol: str = "3.1.1",
                 on_event: Callable[[dict[str, Any]], None] | None = None,
                 on_state: Callable[[str, Any], None] | None = None,
                 clock: Callable[[], float] = time.time) -> None:
        if extra_devices and credentials is not None:
            raise ValueError("extra_devices needs an anonymous broker: with credentials "
                             "each device connects under its own account")
        self.topics = Topics(site)
        self.device_id, self.role = device_id, role
        self.clock = clock
        self.server_offset_s: float | None = None  # server clock - ours (check_clock)
        self._devices = [device_id, *extra_devices]
        self._pending: dict[str, _Pending] = {}
        self._lock = threading.Lock()
        self.state: dict[str, Any] = {}
        self._state_cond = threading.Condition()
        self._on_event, self._on_state = on_event, on_state
        subs = [self.topics.reply(d) for d in self._devices]
        if follow_state:
            subs.append(self.topics.state_all)
        if follow_events:
            subs.append(self.topics.event_all)
        if follow_devices:  # the devices' presence, kept as state["device/<id>"] (kiosks)
            subs.append(self.topics.device_all)
        offline = dumps({"role": role, "status": "offline"})
        self.link = Link(
            LinkOptions(host, port, client_id=f"{device_id}-{uuid.uuid4().hex[:6]}",
                        subscriptions=subs, will=(self.topics.device(device_id), offline, True),
                        protocol=protocol, credentials=credentials, tls=tls),
            on_message=self._on_message, birth=self._birth)

    def _birth(self) -> list[tuple[str, bytes, bool]]:
        return [(self.topics.device(self.device_id), dumps(self.presence()), True)]

    def presence(self, health: dict[str, Any] | None = None) -> dict[str, Any]:
        """device/{id} while online: role, status, the app's health, this device's clock."""
        return {"role": self.role, "status": "online", **(health or {}),
                "clock": device_clock(self.clock())}

    def check_clock(self, timeout: float = 3.0,
                    cancel: threading.Event | None = None) -> float:
        """The server's clock minus this device's, from one `ping` (the middle of the
        round trip, as NTP does); kept in `server_offset_s`. Raises CommandError."""
        sent = self.clock()
        reply = self.request("ping", timeout=timeout, retries=0, cancel=cancel)
        back = self.clock()
        at = epoch_of(reply.get("at"))
        if at is None:
            raise CommandError(ErrorCode.BAD_REQUEST, "ping answered without a time")
        self.server_offset_s = at - (sent + back) / 2
        return self.server_offset_s

    def start(self, timeout: float = 10.0) -> QueueClient:
        self.link.start(timeout)
        return self

    def stop(self) -> None:
        offline = dumps({"role": self.role, "status": "offline"})
        info = self.link.publish(self.topics.device(self.device_id), offline, retain=True)
        try:
            info.wait_for_publish(timeout=1.0)
        except (RuntimeError, ValueError):
            pass
        self.link.stop()

    def __enter__(self) -> QueueClient:
        return self.start()

    def __exit__(self, *_exc: object) -> None:
        self.stop()

    # -- requests -----------------------------------------------------------------

    def send(self, op: str, args: dict[str, Any] | None = None, *, device: str | None = None,
             cmd_id: str | None = None) -> tuple[str, _Pending]:
        """Publish one command without waiting; returns its id and pending slot."""
        cmd_id = cmd_id or uuid.uuid4().hex
        pending = _Pending()
        with self._lock:
            self._pending[cmd_id] = pending
        payload = dumps({"id": cmd_id, "op": op, "args": args or {}})
        self.link.publish(self.topics.cmd(device or self.device_id), payload)
        return cmd_id, pending

    def request(self, op: str, args: dict[str, Any] | None = None, *,
                device: str | None = None, timeout: float = 5.0, retries: int = 2,
                cmd_id: str | None = None,
                cancel: threading.Event | None = None) -> dict[str, Any]:
        """Send and wait for the answer, resending the same id on silence. `cancel` set
        meanwhile ends the wait at once, as a timeout."""
        cmd_id = cmd_id or uuid.uuid4().hex
        per_try = timeout / (retries + 1)
        try:
            for _attempt in range(retries + 1):
                _, pending = self.send(op, args, device=device, cmd_id=cmd_id)
                if _answered(pending, per_try, cancel):
                    return self._result(pending.reply or {})
                if cancel is not None and cancel.is_set():
                    break
        finally:
            with self._lock:
                self._pending.pop(cmd_id, None)
        raise CommandError(ErrorCode.TIMEOUT, f"no answer to {op} within {timeout:.1f} s")

    @staticmethod
    def _result(reply: dict[str, Any]) -> dict[str, Any]:
        if reply.get("ok"):
            return dict(reply.get("result") or {})
        error = reply.get("error") or {}
        code = error.get("code", "internal_error")
        try:
            code = ErrorCode(code)
        except ValueError:
            code = ErrorCode.INTERNAL
        fields = {k: v for k, v in error.items()
                  if k not in ("code", "message") and isinstance(v, int | str)}
        raise CommandError(code, str(error.get("message", "")), **fields)

    # -- incoming -----------------------------------------------------------------

    def _on_message(self, topic: str, payload: bytes) -> None:
        parsed = self.topics.parse(topic)
        if parsed is None:
            return
        kind, key = parsed.kind, parsed.key
        if kind is TopicKind.REPLY:
            self._on_reply(payload)
        elif kind in SINGLE_STATE:
            self._set_state(kind.value, payload)  # state["server"], state["calls"], ...
        elif kind in KEYED_STATE or kind is TopicKind.DEVICE:
            self._set_state(f"{kind.value}/{key}", payload)  # state["queue/ktp"], ...
        elif kind is TopicKind.EVENT and self._on_event is not None:
            try:
                self._on_event(json.loads(payload))
            except ValueError:
                pass

    def _on_reply(self, payload: bytes) -> None:
        try:
            reply = json.loads(payload)
        except ValueError:
            return
        if not isinstance(reply, dict):
            return
        with self._lock:  # popped: a send() without request() must not leak its slot
            pending = self._pending.pop(str(reply.get("re")), None)
        if pending is not None:
            pending.reply = reply
            pending.done.set()

    def _set_state(self, key: str, payload: bytes) -> None:
        try:
            value = json.loads(payload) if payload else None
        except ValueError:
            return
        with self._state_cond:
            self.state[key] = value
            self._state_cond.notify_all()
        if self._on_state is not None:
            self._on_state(key, value)

    def wait_state(self, predicate: Callable[[dict[str, Any]], bool],
                   timeout: float = 5.0) -> bool:
        """Block until predicate(state) holds; False on timeout."""
        with self._state_cond:
            return self._state_cond.wait_for(lambda: predicate(self.state), timeout)
