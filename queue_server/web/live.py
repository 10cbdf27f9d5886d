"""What the dashboard shows, as the follower (follower.py) last heard it over MQTT, and the
picture built from it (snapshot.py).

Browsers wait on `LiveState.changed(version)`; a change wakes every waiting request at
once through its event loop (no polling). One lock guards the data and the version, so a
picture's version always matches what it shows."""

from __future__ import annotations

import asyncio
import json
import logging
import threading
from collections.abc import Callable
from typing import Any

from queue_server.clock import Clock
from queue_server.config import SiteConfig
from queue_server.domain.alerts import LIMIT_ALERT_S, PAUSE_ALERT_S, standing_acks
from queue_server.domain.numbering import local_day
from queue_server.domain.outbox import Entry, incidents
from queue_server.journal import log_event
from queue_server.protocol.state import problem
from queue_server.protocol.text import printable
from queue_server.protocol.times import aware_epoch_of, epoch_of
from queue_server.store.queries import Database, waits_of_day
from queue_server.web.snapshot import Heard, Row, alert_rows, picture

log = logging.getLogger("mpp.web.live")

SEEN_STEP_S = 5.0


class LiveState:
    def __init__(self, cfg: SiteConfig, clock: Clock, db: Database,
                 pause_alert_s: float = PAUSE_ALERT_S) -> None:
        self.cfg, self.clock, self.db = cfg, clock, db
        self.pause_alert_s = pause_alert_s
        self._lock = threading.Lock()
        self._cond = threading.Condition(self._lock)
        self.version = 0
        self.connected = threading.Event()
        self.server: Row = {}
        self.queues: dict[str, Row] = {}
        self.counters: dict[str, Row] = {}
        self.devices: dict[str, Row] = {}
        self.message: Row | None = None
        self._waits: dict[str, tuple[float, int]] = {}  # service -> (sum of waits, count)
        self._waits_day = ""
        self._seen_calls: set[str] = set()
        self._limited: dict[str, tuple[int, float, float]] = {}  # device -> n, last, shown
        self._acks: dict[str, str] = {}  # alert key -> who acknowledged it
        self._json_cache: tuple[tuple[int, int], str] | None = None
        self._waiters: set[tuple[asyncio.AbstractEventLoop, asyncio.Event]] = set()
        # set by the server: the outbox's status (the status bar, its alert), and where
        # the device incidents heard here go (to the outbox)
        self.outbox: Callable[[], dict[str, Any]] | None = None
        self.on_incident: Callable[[list[Entry]], None] | None = None

    # -- what the follower heard (paho's thread) ----------------------------------------

    def set_connected(self, up: bool) -> None:
        if up:
            self.connected.set()
        else:
            self.connected.clear()
        self._bump()

    @staticmethod
    def _valid(kind: str, key: str, data: object) -> bool:
        """Forged or malformed: ignored with a log line, the last good value stays."""
        why = problem(kind, data)
        if why is not None:
            log.warning("ignored a malformed %s %s: %s", kind, printable(key, 40),
                        printable(why))
        return why is None

    def set_server(self, data: object) -> None:
        if self._valid("server", "", data) and isinstance(data, dict):
            with self._lock:
                self.server = data
            self._bump()

    def set_queue(self, service: str, data: object) -> None:
        if self._valid("queue", service, data) and isinstance(data, dict):
            with self._lock:
                self.queues[service] = data
            self._bump()

    def set_counter(self, counter: str, data: object) -> None:
        if self._valid("counter", counter, data) and isinstance(data, dict):
            with self._lock:
                self.counters[counter] = data
            self._bump()

    def set_message(self, data: Any) -> None:
        if not self._valid("message", "", data):
            return
        with self._lock:
            self.message = data
        self._bump()

    def set_device(self, device: str, data: object, retained: bool) -> None:
        """A retained presence is stale: it may be old, and says nothing of when. A live
        one that carries the device's `clock` tells how far that clock is from the
        server's (`clock_skew_s`, kept until a live presence says otherwise)."""
        if data is not None and (not self._valid("device", device, data)
                                 or not isinstance(data, dict)):
            return
        skew = None if retained else self._skew(data)
        with self._lock:
            before = self.devices.get(device)
            if data is None:
                self.devices.pop(device, None)
            else:
                if skew is None and before is not None:
                    skew = before.get("clock_skew_s")
                self.devices[device] = {**data, "last_seen": self.clock.now(),
                                        "stale": retained, "clock_skew_s": skew}
        self._log_presence(device, before, data, retained)
        self._record_incidents(device, before, data, retained)
        self._bump()

    def _skew(self, data: dict[str, Any] | None) -> float | None:
        """The device's clock minus the server's, as it was when the presence came."""
        told = aware_epoch_of((data or {}).get("clock"))
        return None if told is None else told - self.clock.reference_now()

    def clocks(self) -> dict[str, Any]:
        """For /health: the allowed skew and the online devices whose clock is past it."""
        limit = self.cfg.policy.clock_skew_max_s
        with self._lock:
            off = {d: round(float(row["clock_skew_s"]), 1)
                   for d, row in sorted(self.devices.items())
                   if row.get("status") == "online" and row.get("clock_skew_s") is not None
                   and abs(float(row["clock_skew_s"])) > limit}
        return {"max_skew_s": limit, "devices_off": off}

    def _record_incidents(self, device: str, before: Row | None, data: Row | None,
                          retained: bool) -> None:
        """What the outside world is told of a device (domain/outbox.incidents); as in
        the log, what the broker kept from before the server started is no incident."""
        if self.on_incident is None or data is None or (before is None and retained):
            return
        known = self.cfg.device(device)
        found = incidents(device, known.role if known is not None else "unknown", before,
                          data, self.clock.now())
        if found:
            self.on_incident(found)

    def _log_presence(self, device: str, before: Row | None, data: Row | None,
                      retained: bool) -> None:
        """device.online / device.offline when a device's status changes; what the broker
        kept from before the server started (retained, first heard) is no event."""
        status = data.get("status") if data else None
        if status not in ("online", "offline") or (before is None and retained) \
                or (before is not None and before.get("status") == status):
            return
        known = self.cfg.device(device)
        log_event(log, f"device.{status}", device=device,
                  role=known.role if known is not None else "unknown")

    def presence(self) -> list[tuple[str, str]]:
        """(role, status) of every device heard: the role from the site file (a device
        says its own, but a made-up one must not become a figure), `unknown` when the
        site names no such device; status online or offline, else `other`."""
        with self._lock:
            heard = [(d, str(row.get("status"))) for d, row in self.devices.items()]
        found: list[tuple[str, str]] = []
        for device, status in heard:
            known = self.cfg.device(device)
            found.append((known.role if known is not None else "unknown",
                          status if status in ("online", "offline") else "other"))
        return found

    def seen(self, device: str) -> None:
        """A command is a sign of life. Last seen is shown to the second: a busy device
        does not cost a new picture (built just before the state its command changes)
        more than every few seconds."""
        now = self.clock.now()
        with self._lock:
            dev = self.devices.get(device)
            if dev is None:
                return
            quiet = not dev.get("stale") and now - float(dev.get("last_seen") or 0) < SEEN_STEP_S
            dev["last_seen"], dev["stale"] = now, False
        if not quiet:
            self._bump()

    def device_limited(self, device: str, _retry_after_s: int) -> None:
        """The server refused a command of `device` for its rate (the engine's thread):
        an alert while it goes on (domain/alerts.py). A new picture for the first refusal,
        then at most every few seconds, however fast the refusals come."""
        now = self.clock.now()
        with self._lock:
            count, last, shown = self._limited.get(device, (0, 0.0, 0.0))
            if now - last > LIMIT_ALERT_S:
                count, shown = 0, 0.0
            fresh = now - shown >= SEEN_STEP_S
            self._limited[device] = (count + 1, now, now if fresh else shown)
        if fresh:
            self._bump()

    # -- today's average wait ------------------------------------------------------------

    def _today(self) -> str:
        return local_day(self.clock.now(), self.cfg.site.tz)

    def load_waits(self) -> None:
        """Today's waits so far, from the database (the calls after it arrive as events)."""
        day = self._today()
        found = waits_of_day(self.db, day)
        with self._lock:
            self._waits, self._seen_calls, self._waits_day = found.totals, found.called, day

    def ticket_event(self, event: object) -> None:
        """One wait per ticket: the first call, not the recalls. Other events change
        nothing here: the state topics carry the rest of what they changed."""
        if not isinstance(event, dict) or event.get("type") != "ticket.called" \
                or not self._valid("event", "ticket", event):
            return
        ticket = event.get("ticket") or {}
        issued, called = epoch_of(ticket.get("issued_at")), epoch_of(ticket.get("called_at"))
        tid, service = ticket.get("id"), str(ticket.get("service"))
        if issued is None or called is None or not tid:
            return
        day = self._today()
        with self._lock:
            if tid in self._seen_calls:
                return
            if day != self._waits_day:
                self._waits, self._seen_calls, self._waits_day = {}, set(), day
            self._seen_calls.add(tid)
            total, n = self._waits.get(service, (0.0, 0))
            self._waits[service] = (total + max(0.0, called - issued), n + 1)
        self._bump()

    # -- waiting for changes (the web server's event loop) ------------------------------

    def _bump(self) -> None:
        with self._cond:
            self.version += 1
            self._cond.notify_all()
        self.wake_all()

    def wait_change(self, version: int, timeout: float) -> int:
        """From a plain thread (tests, tools): the version once it differs from `version`,
        or after `timeout` seconds."""
        with self._cond:
            self._cond.wait_for(lambda: self.version != version, timeout)
            return self.version

    def wake_all(self) -> None:
        """Every waiting request looks again (at a change, or when the server stops)."""
        for loop, event in list(self._waiters):
            try:
                loop.call_soon_threadsafe(event.set)
            except RuntimeError:  # that loop has closed
                self._waiters.discard((loop, event))

    async def changed(self, version: int, timeout: float) -> int:
        """The version once it differs from `version`, or after `timeout` seconds."""
        loop = asyncio.get_running_loop()
        event = asyncio.Event()
        key = (loop, event)
        self._waiters.add(key)
        try:
            if self.version == version:
                try:
                    await asyncio.wait_for(event.wait(), timeout)
                except TimeoutError:
                    pass
        finally:
            self._waiters.discard(key)
        return self.version

    # -- alerts ------------------------------------------------------------------------

    def acknowledge(self, key: str, username: str) -> bool:
        keys = {a["key"] for a in self.snapshot()["alerts"]}
        if key not in keys:
            return False
        with self._lock:
            self._acks[key] = username
        log.info("alert %s acknowledged by %s", key, username)
        self._bump()
        return True

    # -- the picture -------------------------------------------------------------------

    def snapshot_json(self) -> tuple[int, str]:
        """(version, JSON) shared by every open stream: built once per change (and per
        second of the clock, as waits grow), not once per browser."""
        key = (self.version, int(self.clock.now()))
        cached = self._json_cache
        if cached is not None and cached[0] == key:
            return key[0], cached[1]
        snap = self.snapshot()
        text = json.dumps(snap, separators=(",", ":"))
        self._json_cache = ((snap["version"], key[1]), text)
        return snap["version"], text

    def snapshot(self) -> dict[str, Any]:
        now = self.clock.now()
        snap, alerts = picture(self.cfg, self._heard(), now, self.pause_alert_s)
        with self._lock:
            self._acks = standing_acks(self._acks, alerts)
            snap["alerts"] = alert_rows(alerts, self._acks)
        return snap

    def _heard(self) -> Heard:
        outbox = self.outbox() if self.outbox is not None else None  # may read the database
        with self._lock:
            return Heard(version=self.version, connected=self.connected.is_set(),
                         server=dict(self.server), queues=dict(self.queues),
                         counters=dict(self.counters),
                         devices={k: dict(v) for k, v in self.devices.items()},
                         waits=dict(self._waits), message=self.message,
                         limited={k: (n, last) for k, (n, last, _s) in self._limited.items()},
                         outbox=outbox)
