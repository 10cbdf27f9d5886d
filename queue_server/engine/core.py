"""The engine: applies a batch of commands to the in-memory hall (parse, authorise,
handler), commits the batch through the store in one transaction (group commit), and
only then replies and publishes. It owns no thread: the server's single loop feeds it
(queue_server/server.py)."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import Any, NamedTuple, Protocol

from queue_server.clock import Clock
from queue_server.config import SiteConfig
from queue_server.domain.day import roll_over
from queue_server.domain.hall import PROCESSED_KEEP_S, Changes, Hall
from queue_server.domain.limits import TokenBuckets
from queue_server.domain.lockout import stale
from queue_server.domain.numbering import iso_local, local_day
from queue_server.domain.outbox import Entry
from queue_server.domain.records import EventRec
from queue_server.engine.officers import OFFICER_HANDLERS
from queue_server.engine.ops import HANDLERS, Ctx, registry
from queue_server.engine.returns import RETURN_HANDLERS
from queue_server.engine.supervisor import SUPERVISOR_HANDLERS
from queue_server.engine.views import calls_payload, counter_view, queue_view
from queue_server.journal import log_event
from queue_server.metrics import Metrics
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
from queue_server.protocol.ops import COUNTER_ACTIONS, ISSUING_OPS, OPS
from queue_server.protocol.text import printable
from queue_server.protocol.topics import Topics
from queue_server.store.db import StoreError
from queue_server.store.hall_store import HallStore

log = logging.getLogger("mpp.engine")

ALL_HANDLERS = registry(HANDLERS, OFFICER_HANDLERS, SUPERVISOR_HANDLERS, RETURN_HANDLERS)


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
    arrived: float = 0.0  # time.perf_counter() when it reached the server (0: unknown)


class _Answer(NamedTuple):  # a tuple: one per command, made cheaply
    """A command's reply, and for the figures its op and result (`ok`, an error code,
    `repeat`); op `none` when the command did not name a catalogued one."""

    device: str
    payload: bytes
    op: str = "none"
    result: str = "ok"


class _Poisoned(Exception):
    """A handler failed unexpectedly: the batch is replayed without that command."""

    def __init__(self, index: int) -> None:
        super().__init__(index)
        self.index = index


class Engine:
    def __init__(self, cfg: SiteConfig, store: HallStore, clock: Clock, out: Outbound,
                 metrics: Metrics | None = None) -> None:
        self.cfg, self.store, self.clock, self.out = cfg, store, clock, out
        self.metrics = metrics if metrics is not None else Metrics()
        self.topics = Topics(cfg.site.id)
        self.hall = Hall.empty(cfg)
        self.started_at = clock.now()
        self.batches = 0
        self.issuing = TokenBuckets(cfg.policy.issue_burst, cfg.policy.issue_per_min)
        self._taken: list[str] = []  # devices that took an issuing token in this batch
        # told of every command refused for its rate (the dashboard's alert; server.py)
        self.on_limited: Callable[[str, int], None] | None = None
        # the ticket pages' address for phones (a ticket.issue reply's url): the site's,
        # else the server's HTTP address, set by the server before it serves
        self.page_base = cfg.site.page_base
        self._closed_on = ""  # the day on which the earlier days were last closed

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
        self._taken = []
        while True:
            try:
                replies = self._apply_all(batch, skip)
                break
            except _Poisoned as err:
                log.exception("internal error on a command from %s", batch[err.index].device)
                skip.add(err.index)
                self._give_back()
                self._load()
        changes = self.hall.take_changes()
        failure = self._commit(changes)
        if failure is not None:
            self._after_failure(batch, failure, replies[0].op)
            return
        self.batches += 1
        with self.out.burst():  # the events and replies reach the broker in one piece
            self._publish_events(changes)  # the wall hears of a call before the console
            for item, answer in zip(batch, replies, strict=True):
                self._send_reply(item, answer.device, answer.payload)
        self._count(batch, replies, changes)
        self._log_events(changes)  # after the replies: a log line delays no one
        self._publish_changes(changes, events=False)

    def _count(self, batch: list[Inbound], replies: list[_Answer], changes: Changes) -> None:
        """The figures of a batch, once its replies are on their way."""
        m, now = self.metrics, time.perf_counter()
        for item, answer in zip(batch, replies, strict=True):
            m.command(answer.op, answer.result)
            if answer.op == "counter.call_next" and answer.result == "ok" and item.arrived:
                m.call_latency.observe(now - item.arrived)
        for event in changes.events:
            if event.kind == "ticket":
                m.ticket_event(event.type, str(event.payload.get("ticket", {}).get("service")))

    def _after_failure(self, batch: list[Inbound], failure: StoreError, op: str) -> None:
        """The batch had no effect. Alone, its command is refused; in company, each is
        tried again alone, so that one bad command fails only itself."""
        self._give_back()
        if len(batch) > 1:
            log.warning("a batch of %d commands was refused; each alone again", len(batch))
            for item in batch:
                self.process([item])
            return
        if failure.refused_value:
            err = ProtocolError(ErrorCode.BAD_REQUEST, "a value the database cannot store")
        else:
            err = ProtocolError(ErrorCode.STORAGE_ERROR, "the server could not save; try again")
        self._send_reply(batch[0], batch[0].device,
                         dumps(error_reply(peek_id(batch[0].payload), err)))
        self.metrics.command(op, str(err.code))

    def _apply_all(self, batch: list[Inbound], skip: set[int]) -> list[_Answer]:
        now = self.clock.now()
        replies: list[_Answer] = []
        for index, item in enumerate(batch):
            if index in skip:
                err = ProtocolError(ErrorCode.INTERNAL, "internal error; try again")
                replies.append(_Answer(item.device, dumps(error_reply(peek_id(item.payload),
                                                                      err)),
                                       result=str(err.code)))
                continue
            try:
                replies.append(self._apply(item, now))
            except (ProtocolError, _Poisoned):
                raise
            except Exception as err:
                raise _Poisoned(index) from err
        return replies

    def _apply(self, item: Inbound, now: float) -> _Answer:
        op = "none"
        try:
            cmd = parse_command(item.payload)
            op = cmd.op
            self._authorize(item.device, cmd, item.role)
        except ProtocolError as err:
            log.info("refused %s from %s: %s", err.code, item.device, printable(err.message))
            return _Answer(item.device, dumps(error_reply(peek_id(item.payload), err)), op,
                           str(err.code))
        cached = self.hall.processed.get((item.device, cmd.id))
        if cached is not None:
            return _Answer(item.device, cached[0].encode(), op, "repeat")
        if cmd.op in ISSUING_OPS:
            limited = self._rate_limited(item.device, cmd.id, now)
            if limited is not None:  # not remembered: it had no effect, try again later
                return _Answer(item.device, limited, op, str(ErrorCode.RATE_LIMITED))
        ctx = Ctx(now=now, day=self._today(now), device=item.device,
                  page_base=self.page_base)
        result = "ok"
        try:
            reply = ok_reply(cmd.id, ALL_HANDLERS[cmd.op](self.hall, ctx, cmd.args))
        except ProtocolError as err:
            reply, result = error_reply(cmd.id, err), str(err.code)
        raw = dumps(reply)
        if not OPS[cmd.op].read_only:
            text = raw.decode()
            self.hall.remember(item.device, cmd.id, text, now)
            self.hall.changes.processed.append((item.device, cmd.id, cmd.op, now, text))
        return _Answer(item.device, raw, op, result)

    def _give_back(self) -> None:
        """The tokens of a batch that had no effect (it is replayed, or refused)."""
        for device in self._taken:
            self.issuing.give_back(device)
        self._taken = []

    def _rate_limited(self, device: str, cmd_id: str, now: float) -> bytes | None:
        """The refusal when `device` issues faster than the policy allows, else None."""
        wait = self.issuing.take(device, now)
        if not wait:
            self._taken.append(device)
            return None
        if self.issuing.refused(device) == 1:  # one line when it begins, not per command
            log.warning("rate limited: %s issues tickets too fast; refused for %d s",
                        device, wait)
        if self.on_limited is not None:
            self.on_limited(device, wait)
        err = ProtocolError(ErrorCode.RATE_LIMITED,
                            f"too many tickets from this device: try again in {wait} s",
                            retry_after_s=wait)
        return dumps(error_reply(cmd_id, err))

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

    def _commit(self, changes: Changes) -> StoreError | None:
        """None when the changes are durable; else the error (and the hall reloaded)."""
        began = time.perf_counter()
        try:
            self.store.commit(changes)
        except StoreError as err:
            self.metrics.storage_errors += 1
            log_event(log, "storage.error", level=logging.ERROR,
                      detail=printable(err, 500), text="commit failed, batch refused")
            self._load()
            return err
        self.metrics.commit_time.observe(time.perf_counter() - began)
        return None

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
        view = queue_view(self.hall, service_id, now, day)
        self.metrics.queue(service_id, view)
        self._publish_retained(self.topics.queue(service_id), view)

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
        self._forget_stale_pins(now)
        if day != self._closed_on:  # at start, then once a day: the days before go out
            self.hall.changes.day_close = (day, now)
        changes = self.hall.take_changes()
        if self._commit(changes) is not None:
            return
        self._closed_on = day
        self._publish_changes(changes)
        for svc in self.cfg.services:
            if svc.id not in changes.queues:
                self._publish_queue(svc.id, now, day)
        self._housekeeping(now)
        self._log_stats(now)

    def record(self, entries: list[Entry]) -> None:
        """Outbox records that no command makes (device incidents as the server heard
        them), in a transaction of their own; on the server's thread, between batches."""
        if not entries:
            return
        self.hall.changes.outbox.extend(entries)
        changes = self.hall.take_changes()
        if self._commit(changes) is not None:
            log.warning("%d outbox records lost: the commit failed", len(entries))

    def _housekeeping(self, now: float) -> None:
        """Bounded memory and disk: old command ids go, the WAL is folded back."""
        before = now - PROCESSED_KEEP_S
        self.hall.forget_processed(before)
        self.issuing.forget_full(now)
        try:
            self.store.prune(before, now)
            self.store.forget_personal(now)  # privacy.retention_days (UU PDP)
        except StoreError as err:
            log.warning("housekeeping failed (will retry): %s", err)

    def _forget_stale_pins(self, now: float) -> None:
        """Wrong-PIN records with nothing left to remember go (and their rows with them)."""
        hall = self.hall
        for key in [k for k, rec in hall.pin_failures.items() if stale(rec, now)]:
            del hall.pin_failures[key]
            hall.changes.pin_failures.add(key)

    def _log_stats(self, now: float) -> None:
        waiting = sum(len(w) for w in self.hall.waiting.values())
        log.info("hall %s: seq=%d waiting=%d batches=%d", iso_local(now, self.cfg.site.tz),
                 self.hall.seq, waiting, self.batches)


def _log_event(event: EventRec) -> None:
    """The event's name is its protocol type (ticket.issued, ticket.called, ...); the
    ticket is named by its number, never by anything of the citizen's."""
    ticket = event.payload.get("ticket", {})
    log_event(log, event.type, device=event.device, ticket=ticket.get("number"),
              service=ticket.get("service"), counter=event.counter, seq=event.seq)


def _version() -> str:
    from queue_server import __version__

    return __version__
