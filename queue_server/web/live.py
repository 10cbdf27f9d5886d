"""What the dashboard shows, kept up to date by following the hall over MQTT.

Why MQTT and not the engine's memory: the retained state topics are the contract every
device reads, device presence (online, printer paper) exists only there, and a follower
on its own paho thread never touches the engine's thread or slows a command down. The
only database read is today's waits at start (the events after it arrive over MQTT).

Browsers wait on `LiveState.changed(version)`; a change wakes every waiting request at
once through its event loop (no polling)."""

from __future__ import annotations

import asyncio
import json
import logging
import threading
import uuid
from datetime import datetime
from typing import Any

import paho.mqtt.client as mqtt
from paho.mqtt.enums import CallbackAPIVersion
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from queue_server.clock import Clock
from queue_server.config import SiteConfig
from queue_server.protocol.topics import Topics
from queue_server.store.models import Ticket

log = logging.getLogger("mpp.web.live")

PAPER_ALERT = {"near_end": "paper_low", "out": "paper_out"}
PRINTER_ALERT_STATES = {"cover_open", "error", "offline"}
SEEN_STEP_S = 5.0


def _epoch(text: object) -> float | None:
    if not isinstance(text, str) or not text:
        return None
    try:
        return datetime.fromisoformat(text).timestamp()
    except ValueError:
        return None


class LiveState:
    def __init__(self, cfg: SiteConfig, host: str, port: int, clock: Clock, db: Engine,
                 pause_alert_s: float = 900.0) -> None:
        self.cfg, self.clock, self.db = cfg, clock, db
        self.topics = Topics(cfg.site.id)
        self.pause_alert_s = pause_alert_s
        self._host, self._port = host, port
        self._lock = threading.Lock()
        self._cond = threading.Condition(self._lock)
        self.version = 0
        self.connected = threading.Event()
        self.server: dict[str, Any] = {}
        self.queues: dict[str, dict[str, Any]] = {}
        self.counters: dict[str, dict[str, Any]] = {}
        self.devices: dict[str, dict[str, Any]] = {}
        self.message: dict[str, Any] | None = None
        self._waits: dict[str, list[float]] = {}  # service -> [sum of waits, count] today
        self._waits_day = ""
        self._seen_calls: set[str] = set()
        self._acks: dict[str, dict[str, Any]] = {}
        self._json_cache: tuple[tuple[int, int], str] | None = None
        self._waiters: set[tuple[asyncio.AbstractEventLoop, asyncio.Event]] = set()
        self._client = mqtt.Client(CallbackAPIVersion.VERSION2,
                                   client_id=f"mpp-web-{cfg.site.id}-{uuid.uuid4().hex[:6]}",
                                   protocol=mqtt.MQTTv311, clean_session=True)
        self._client.on_connect = self._on_connect
        self._client.on_disconnect = self._on_disconnect
        self._client.on_message = self._on_message
        self._client.reconnect_delay_set(1, 5)

    # -- life --------------------------------------------------------------------------

    def start(self) -> None:
        self._load_waits()
        self._client.connect_async(self._host, self._port, keepalive=15)
        self._client.loop_start()  # paho retries the connection by itself

    def stop(self) -> None:
        self._client.disconnect()
        self._client.loop_stop()
        self._notify()

    # -- MQTT callbacks (paho's thread) ------------------------------------------------

    def _on_connect(self, client, _userdata, _flags, reason, _props) -> None:  # type: ignore[no-untyped-def]
        if reason.is_failure:
            return
        t = self.topics
        client.subscribe([(t.state_all, 1), (t.device_all, 1), (t.event("ticket"), 1),
                          (t.cmd_all, 0)])
        self.connected.set()
        self._bump()

    def _on_disconnect(self, *_args: object) -> None:
        self.connected.clear()
        self._bump()

    def _on_message(self, _client, _userdata, msg) -> None:  # type: ignore[no-untyped-def]
        try:
            self._apply(msg.topic, msg.payload, bool(msg.retain))
        except Exception:  # a malformed message must not stop the follower
            log.exception("ignored a message on %s", msg.topic[:120])

    def _apply(self, topic: str, payload: bytes, retained: bool) -> None:
        root = self.topics.root + "/"
        if not topic.startswith(root):
            return
        parts = topic[len(root):].split("/")
        if parts[0] == "cmd" and len(parts) == 2:
            self._seen(parts[1])  # a command is a sign of life; its content is not read
            return
        if parts[:2] == ["state", "message"]:
            with self._lock:
                self.message = json.loads(payload) if payload else None
            self._bump()
            return
        data = json.loads(payload) if payload else None
        with self._lock:
            if parts == ["state", "server"] and isinstance(data, dict):
                self.server = data
            elif parts[:2] == ["state", "queue"] and len(parts) == 3 and isinstance(data, dict):
                self.queues[parts[2]] = data
            elif parts[:2] == ["state", "counter"] and len(parts) == 3 and isinstance(data, dict):
                self.counters[parts[2]] = data
            elif parts[0] == "device" and len(parts) == 2:
                if data is None:
                    self.devices.pop(parts[1], None)
                elif isinstance(data, dict):
                    self.devices[parts[1]] = {**data, "last_seen": self.clock.now(),
                                              "stale": retained}
            elif parts == ["event", "ticket"] and isinstance(data, dict):
                if not self._count_wait(data):
                    return  # the state topics carry the rest of what the event changed
            else:
                return
        self._bump()

    def _seen(self, device: str) -> None:
        """Last seen is shown to the second: a busy device does not cost a new picture
        (built just before the state its command changes) more than every few seconds."""
        now = self.clock.now()
        with self._lock:
            dev = self.devices.get(device)
            if dev is None:
                return
            quiet = not dev.get("stale") and now - float(dev.get("last_seen") or 0) < SEEN_STEP_S
            dev["last_seen"], dev["stale"] = now, False
        if not quiet:
            self._bump()

    # -- today's average wait ------------------------------------------------------------

    def _today(self) -> str:
        return datetime.fromtimestamp(self.clock.now(), self.cfg.site.tz).date().isoformat()

    def _load_waits(self) -> None:
        day = self._today()
        with Session(self.db) as s:
            rows = s.execute(select(Ticket.service, func.sum(Ticket.called_at - Ticket.issued_at),
                                    func.count()).where(Ticket.day == day,
                                                        Ticket.called_at.is_not(None))
                             .group_by(Ticket.service)).all()
            ids = s.scalars(select(Ticket.id).where(Ticket.day == day,
                                                    Ticket.called_at.is_not(None))).all()
        self._waits = {svc: [float(total or 0), float(n)] for svc, total, n in rows}
        self._seen_calls = set(ids)
        self._waits_day = day

    def _count_wait(self, event: dict[str, Any]) -> bool:
        """Under the lock. One wait per ticket: the first call, not the recalls. True when
        it counted one."""
        if event.get("type") != "ticket.called":
            return False
        ticket = event.get("ticket") or {}
        issued, called = _epoch(ticket.get("issued_at")), _epoch(ticket.get("called_at"))
        tid, service = ticket.get("id"), ticket.get("service")
        if issued is None or called is None or not tid or tid in self._seen_calls:
            return False
        day = self._today()
        if day != self._waits_day:
            self._waits, self._seen_calls, self._waits_day = {}, set(), day
        self._seen_calls.add(tid)
        acc = self._waits.setdefault(str(service), [0.0, 0.0])
        acc[0] += max(0.0, called - issued)
        acc[1] += 1
        return True

    # -- waiting for changes (the web server's event loop) ------------------------------

    def _bump(self) -> None:
        with self._cond:
            self.version += 1
            self._cond.notify_all()
        self._notify()

    def wait_change(self, version: int, timeout: float) -> int:
        """From a plain thread (tests, tools): the version once it differs from `version`,
        or after `timeout` seconds."""
        with self._cond:
            self._cond.wait_for(lambda: self.version != version, timeout)
            return self.version

    def _notify(self) -> None:
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
            self._acks[key] = {"by": username, "at": self.clock.now()}
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
        with self._lock:
            queues, counters = dict(self.queues), dict(self.counters)
            devices = {k: dict(v) for k, v in self.devices.items()}
            waits = {k: list(v) for k, v in self._waits.items()}
            server, message, version = dict(self.server), self.message, self.version
        services = [self._service(s, queues.get(s.id), waits.get(s.id), now)
                    for s in self.cfg.services]
        counter_rows = [self._counter(c, counters.get(c.id), now) for c in self.cfg.counters]
        for row in counter_rows:  # the supervisor needs to know who sits there by name
            known = self.cfg.officer(row["officer"]) if row["officer"] else None
            row["officer_name"] = known.name if known else None
        device_rows = [self._device(d.id, d.role, d.name, devices.get(d.id))
                       for d in self.cfg.devices]
        alerts = self._alerts(services, counter_rows, device_rows, now)
        agencies = [{"id": a.id, "name": {"id": a.name_id, "en": a.name_en},
                     "services": [s for s in services if s["agency"] == a.id]}
                    for a in self.cfg.agencies]
        totals = {"waiting": sum(s["waiting"] for s in services),
                  "issued_today": sum(s["issued_today"] or 0 for s in services),
                  "called_today": sum(s["calls_today"] for s in services),
                  "counters_open": sum(c["status"] == "open" for c in counter_rows),
                  "counters_paused": sum(c["status"] == "paused" for c in counter_rows)}
        return {"version": version, "now": now, "site": self.cfg.site.name,
                "timezone": self.cfg.site.timezone, "totals": totals,
                "mqtt_connected": self.connected.is_set(),
                "server_online": server.get("status") == "online",
                "agencies": agencies, "counters": counter_rows, "devices": device_rows,
                "alerts": alerts, "message": message}

    @staticmethod
    def _service(svc: Any, q: dict[str, Any] | None, wait: list[float] | None,
                 now: float) -> dict[str, Any]:
        q = q or {}
        oldest = _epoch(q.get("oldest_at"))
        waiting = int(q.get("waiting") or 0)
        longest = max(0.0, now - oldest) if oldest is not None and waiting else 0.0
        target = svc.target_wait_min * 60
        return {"id": svc.id, "agency": svc.agency, "prefix": svc.prefix,
                "name": {"id": svc.name_id, "en": svc.name_en},
                "waiting": waiting, "priority_waiting": int(q.get("priority_waiting") or 0),
                "longest_wait_s": round(longest), "target_wait_s": target,
                "over_target": waiting > 0 and longest > target,
                "avg_wait_s": round(wait[0] / wait[1]) if wait and wait[1] else None,
                "calls_today": int(wait[1]) if wait else 0,
                "avg_service_s": q.get("avg_service_s"), "est_wait_s": q.get("est_wait_s"),
                "open": bool(q.get("open")), "closed_reason": q.get("closed_reason"),
                "issued_today": q.get("issued_today"), "quota": q.get("quota"),
                "open_counters": q.get("open_counters"), "known": bool(q)}

    @staticmethod
    def _counter(c: Any, st: dict[str, Any] | None, now: float) -> dict[str, Any]:
        st = st or {}
        ticket = st.get("ticket") or None
        since = _epoch(st.get("since"))
        at = _epoch((ticket or {}).get("called_at"))
        return {"id": c.id, "name": c.name, "number": c.number, "agency": c.agency,
                "services": list(c.services), "status": st.get("status", "unknown"),
                "reason": st.get("reason"), "officer": st.get("officer"),
                "for_s": round(now - since) if since is not None else None,
                "ticket": ticket.get("number") if ticket else None,
                "ticket_status": ticket.get("status") if ticket else None,
                "ticket_for_s": round(now - at) if at is not None else None}

    @staticmethod
    def _device(dev_id: str, role: str, name: str | None,
                st: dict[str, Any] | None) -> dict[str, Any]:
        st = st or {}
        printer = st.get("printer") if isinstance(st.get("printer"), dict) else None
        return {"id": dev_id, "role": role, "name": name or dev_id,
                "status": st.get("status", "unknown"), "last_seen": st.get("last_seen"),
                "stale": bool(st.get("stale")),
                "printer": {"state": printer.get("state"), "paper": printer.get("paper")}
                if printer else None}

    def _alerts(self, services: list[dict[str, Any]], counters: list[dict[str, Any]],
                devices: list[dict[str, Any]], now: float) -> list[dict[str, Any]]:
        found: list[dict[str, Any]] = []

        def add(key: str, kind: str, subject: str, value: object = None) -> None:
            found.append({"key": key, "kind": kind, "subject": subject, "value": value})

        for s in services:
            if s["over_target"]:
                add(f"wait:{s['id']}", "wait_over_target", s["id"], s["longest_wait_s"])
        for d in devices:
            if d["status"] == "offline":
                add(f"offline:{d['id']}", "device_offline", d["id"])
            printer = d["printer"] or {}
            paper = printer.get("paper")
            if paper in PAPER_ALERT:
                add(f"paper:{d['id']}:{paper}", PAPER_ALERT[paper], d["id"])
            elif printer.get("state") in PRINTER_ALERT_STATES and d["status"] != "offline":
                add(f"printer:{d['id']}:{printer['state']}", "printer_problem", d["id"],
                    printer["state"])
        for c in counters:
            if c["status"] == "paused" and (c["for_s"] or 0) > self.pause_alert_s:
                add(f"paused:{c['id']}", "counter_paused_long", c["id"], c["for_s"])
        with self._lock:
            keys = {a["key"] for a in found}
            for gone in set(self._acks) - keys:  # a condition that ends forgets its ack
                del self._acks[gone]
            for a in found:
                a["acked_by"] = self._acks.get(a["key"], {}).get("by")
        return found
