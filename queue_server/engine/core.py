"""The engine: applies a batch of commands to the in-memory hall (parse, authorise,
handler), commits the batch through the store in one transaction (group commit), and
only then replies and publishes. It owns no thread: the server's single loop feeds it
(queue_server/server.py)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import Any, Protocol

from queue_server.clock import Clock
from queue_server.config import SiteConfig
from queue_server.domain.day import roll_over
from queue_server.domain.hall import PROCESSED_KEEP_S, Changes, Hall
from queue_server.domain.numbering import iso_local, local_day
from queue_server.domain.records import EventRec
from queue_server.engine.officers import OFFICER_HANDLERS
from queue_server.engine.ops import HANDLERS, Ctx, registry
from queue_server.engine.supervisor import SUPERVISOR_HANDLERS
from queue_server.engine.views import calls_payload, counter_view, queue_view
from queue_server.protocol.errors import ErrorCode, ProtocolError
from queue_server.protocol.messages import (
    ROLE_OPS,
    Command,
    dumps,
    error_reply,
    ok_reply,
    parse_command,
    peek_id,
)
from queue_server.protocol.ops import COUNTER_ACTIONS, OPS
from queue_server.protocol.topics import Topics
from queue_server.store.db import StoreError
from queue_server.store.hall_store import HallStore

log = logging.getLogger("mpp.engine")

ALL_HANDLERS = registry(HANDLERS, OFFICER_HANDLERS, SUPERVISOR_HANDLERS)


class Outbound(Protocol):
    def publish(self, topic: str, payload: bytes, retain: bool = False) -> None: ...

    def burst(self) -> AbstractContextManager[object]:
        """What is published inside may leave together at its end."""
        ...


@dataclass(frozen=True)
class Inbound:
    """A command as received. In-process callers (the web dashboard) give the role they
    have checked themselves and take the reply through `reply` instead of MQTT."""

    device: str
    payload: bytes
    role: str | None = None
    reply: Callable[[bytes], None] | None = None


class _Poisoned(Exception):
    """A handler failed unexpectedly: the batch is replayed without that command."""

    def __init__(self, index: int) -> None:
        super().__init__(index)
        self.index = index


class Engine:
    def __init__(self, cfg: SiteConfig, store: HallStore, clock: Clock, out: Outbound) -> None:
        self.cfg, self.store, self.clock, self.out = cfg, store, clock, out
        self.topics = Topics(cfg.site.id)
        self.hall = Hall.empty(cfg)
        self.started_at = clock.now()
        self.batches = 0
        # the ticket pages' address for phones (a ticket.issue reply's url): the site's,
        # else the server's HTTP address, set by the server before it serves
        self.page_base = cfg.site.page_base

    # -- lifecycle ------------------------------------------------------------------

    def open(self) -> None:
        """Migrate the schema and load the hall; call once before process()."""
        self.store.migrate()
        self._load()

    def _load(self) -> None:
        hall = self.hall = self.store.load(self.clock.now())
        log.info("loaded hall: %d tickets waiting, seq=%d",
                 sum(len(w) for w in hall.waiting.values()), hall.seq)

    def close(self) -> None:
        self.store.close()

    # -- one batch ------------------------------------------------------------------

    def process(self, batch: list[Inbound]) -> None:
        skip: set[int] = set()
        while True:
            try:
                replies = self._apply_all(batch, skip)
                break
            except _Poisoned as err:
                log.exception("internal error on a command from %s", batch[err.index].device)
                skip.add(err.index)
                self._load()
        changes = self.hall.take_changes()
        if not self._commit(changes):
            self._reply_storage_error(batch, replies)
            return
        self.batches += 1
        with self.out.burst():  # the events and replies reach the broker in one piece
            self._publish_events(changes)  # the wall hears of a call before the console
            for item, (device, payload) in zip(batch, replies, strict=True):
                self._send_reply(item, device, payload)
        self._log_events(changes)  # after the replies: a log line delays no one
        self._publish_changes(changes, events=False)

    def _apply_all(self, batch: list[Inbound], skip: set[int]) -> list[tuple[str, bytes]]:
        now = self.clock.now()
        replies: list[tuple[str, bytes]] = []
        for index, item in enumerate(batch):
            if index in skip:
                err = ProtocolError(ErrorCode.INTERNAL, "internal error; try again")
                replies.append((item.device, dumps(error_reply(peek_id(item.payload), err))))
                continue
            try:
                replies.append((item.device, self._apply(item, now)))
            except (ProtocolError, _Poisoned):
                raise
            except Exception as err:
                raise _Poisoned(index) from err
        return replies

    def _apply(self, item: Inbound, now: float) -> bytes:
        try:
            cmd = parse_command(item.payload)
            self._authorize(item.device, cmd, item.role)
        except ProtocolError as err:
            log.info("refused %s from %s: %s", err.code, item.device, err.message)
            return dumps(error_reply(peek_id(item.payload), err))
        key = (item.device, cmd.id)
        cached = self.hall.processed.get(key)
        if cached is not None:
            return cached[0].encode()
        ctx = Ctx(now=now, day=self._today(now), device=item.device,
                  page_base=self.page_base)
        try:
            reply = ok_reply(cmd.id, ALL_HANDLERS[cmd.op](self.hall, ctx, cmd.args))
        except ProtocolError as err:
            reply = error_reply(cmd.id, err)
        raw = dumps(reply)
        if not OPS[cmd.op].read_only:
            text = raw.decode()
            self.hall.processed[key] = (text, now)
            self.hall.changes.processed.append((item.device, cmd.id, cmd.op, now, text))
        return raw

    def _authorize(self, device_id: str, cmd: Command, role: str | None = None) -> None:
        if role is not None:  # an in-process caller that signed its user in itself
            if cmd.op not in ROLE_OPS.get(role, frozenset()):
                raise ProtocolError(ErrorCode.FORBIDDEN, f"a {role} may not use {cmd.op}")
            return
        device = self.cfg.device(device_id)
        if device is None:
            raise ProtocolError(ErrorCode.FORBIDDEN, f"unknown device '{device_id}'")
        if cmd.op not in ROLE_OPS[device.role]:
            raise ProtocolError(ErrorCode.FORBIDDEN, f"a {device.role} may not use {cmd.op}")
        counter = cmd.args.get("counter")
        if device.role == "counter" and counter is not None and counter not in device.counters:
            raise ProtocolError(ErrorCode.FORBIDDEN, f"{device_id} may not operate {counter}")
        if (device.role == "counter" and cmd.op in COUNTER_ACTIONS
                and self.cfg.policy.require_signin and device_id not in self.hall.sessions):
            raise ProtocolError(ErrorCode.NOT_SIGNED_IN, "an officer must sign in first")

    def _commit(self, changes: Changes) -> bool:
        try:
            self.store.commit(changes)
            return True
        except StoreError as err:
            log.error("storage_error: commit failed, batch refused: %s", err)
            self._load()
            return False

    def _reply_storage_error(self, batch: list[Inbound],
                             replies: list[tuple[str, bytes]]) -> None:
        err = ProtocolError(ErrorCode.STORAGE_ERROR, "the server could not save; try again")
        for item, (device, _raw) in zip(batch, replies, strict=True):
            self._send_reply(item, device, dumps(error_reply(peek_id(item.payload), err)))

    def _send_reply(self, item: Inbound, device: str, payload: bytes) -> None:
        if item.reply is not None:
            item.reply(payload)
        else:
            self.out.publish(self.topics.reply(device), payload)

    # -- publishing -----------------------------------------------------------------

    def _publish_events(self, changes: Changes) -> None:
        topic = self.topics.event("ticket")
        for event in changes.events:
            if event.kind == "ticket":
                self.out.publish(topic, event.text.encode())

    @staticmethod
    def _log_events(changes: Changes) -> None:
        if log.isEnabledFor(logging.INFO):  # one line per event (--log-level)
            for event in changes.events:
                if event.kind == "ticket":
                    _log_event(event)

    def _publish_changes(self, changes: Changes, events: bool = True) -> None:
        if events:
            self._publish_events(changes)
            self._log_events(changes)
        now = self.clock.now()
        day = self._today(now)
        for service_id in changes.queues:
            self._publish_queue(service_id, now, day)
        for counter_id in changes.counters:
            self._publish_retained(self.topics.counter(counter_id),
                                   counter_view(self.hall, counter_id))
        if changes.calls:
            self.out.publish(self.topics.calls, calls_payload(self.hall), retain=True)
        if changes.message:
            self._publish_message()

    def _publish_retained(self, topic: str, data: Any) -> None:
        self.out.publish(topic, dumps(data), retain=True)

    def _publish_queue(self, service_id: str, now: float, day: str) -> None:
        self._publish_retained(self.topics.queue(service_id),
                               queue_view(self.hall, service_id, now, day))

    def _publish_message(self) -> None:
        payload = dumps(self.hall.message) if self.hall.message else b""
        self.out.publish(self.topics.message, payload, retain=True)

    def server_state(self, status: str = "online") -> dict[str, Any]:
        now = self.clock.now()
        tz = self.cfg.site.tz
        return {"status": status, "site": self.cfg.site.id, "name": self.cfg.site.name,
                "protocol": "1", "version": _version(), "timezone": self.cfg.site.timezone,
                "started_at": iso_local(self.started_at, tz), "clock": iso_local(now, tz),
                "clock_offset_s": round(self.clock.offset_s, 3), "seq": self.hall.seq}

    def publish_all(self) -> None:
        """Every retained topic from the database's truth (the broker's is not trusted)."""
        now = self.clock.now()
        day = self._today(now)
        self._publish_retained(self.topics.server, self.server_state())
        self._publish_retained(self.topics.config, self.cfg.public_dict())
        for svc in self.cfg.services:
            self._publish_queue(svc.id, now, day)
        for counter in self.cfg.counters:
            self._publish_retained(self.topics.counter(counter.id),
                                   counter_view(self.hall, counter.id))
        self.out.publish(self.topics.calls, calls_payload(self.hall), retain=True)
        self._publish_message()

    # -- time -----------------------------------------------------------------------

    def _today(self, now: float) -> str:
        return local_day(now, self.cfg.site.tz)

    def tick(self) -> None:
        """Periodic work: day rollover, and queue states whose waits grow with time."""
        now = self.clock.now()
        day = self._today(now)
        retired = roll_over(self.hall, now, day)
        if retired:
            log.info("day rollover to %s: %d tickets from earlier days retired", day, retired)
        changes = self.hall.take_changes()
        if not self._commit(changes):
            return
        self._publish_changes(changes)
        for svc in self.cfg.services:
            if svc.id not in changes.queues:
                self._publish_queue(svc.id, now, day)
        self._housekeeping(now)
        self._log_stats(now)

    def _housekeeping(self, now: float) -> None:
        """Bounded memory and disk: old command ids go, the WAL is folded back."""
        before = now - PROCESSED_KEEP_S
        self.hall.forget_processed(before)
        try:
            self.store.prune(before)
            self.store.forget_personal(now)  # privacy.retention_days (UU PDP)
        except StoreError as err:
            log.warning("housekeeping failed (will retry): %s", err)

    def _log_stats(self, now: float) -> None:
        waiting = sum(len(w) for w in self.hall.waiting.values())
        log.info("hall %s: seq=%d waiting=%d batches=%d", iso_local(now, self.cfg.site.tz),
                 self.hall.seq, waiting, self.batches)


def _log_event(event: EventRec) -> None:
    ticket = event.payload.get("ticket", {})
    log.info("%s %s service=%s counter=%s device=%s seq=%s", event.type, ticket.get("number"),
             ticket.get("service"), event.counter, event.device, event.seq)


def _version() -> str:
    from queue_server import __version__

    return __version__
