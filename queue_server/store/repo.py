"""Loading the hall from the database and writing a batch's changes back.

Core statements and executemany, not the ORM unit of work: this is the hot
path and the ORM costs 0.2-0.35 ms per transaction (FIELD-NOTES.md)."""

from __future__ import annotations

import itertools
import json
import logging
import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, cast

from sqlalchemy import Connection, bindparam, delete, func, insert, select, update

from queue_server.domain.hall import PROCESSED_KEEP_S, Changes, Hall
from queue_server.domain.lifecycle import FINISHED, CounterStatus, TicketStatus
from queue_server.domain.lockout import PinFailures, stale
from queue_server.domain.numbering import iso_local
from queue_server.domain.outbox import Entry, day_closed, survey, ticket_ended
from queue_server.domain.records import (
    AppointmentRec,
    Call,
    CounterRec,
    DayCount,
    TicketRec,
)
from queue_server.domain.reports import TicketFact, build_report
from queue_server.protocol.ops import CALL_EVENTS
from queue_server.protocol.upload import record_text
from queue_server.store.db import StoreError
from queue_server.store.models import (
    OPEN_TICKETS,
    Appointment,
    CounterRow,
    Event,
    Feedback,
    OutboxRecord,
    OutboxStream,
    PinLockout,
    Processed,
    ServiceDay,
    ServiceState,
    Setting,
    Ticket,
)
from queue_server.store.outbox import head as outbox_head
from queue_server.store.outbox import row_id

T = Ticket.__table__
TICKET_COLS = [c.name for c in T.columns]
log = logging.getLogger("mpp.store")


@dataclass
class Written:
    """What the database holds, as last written: each loaded ticket's row (an update SETs
    only the columns that changed) and the keys of the day and appointment rows (a new key
    is inserted, a known one updated)."""

    rows: dict[str, dict[str, Any]] = field(default_factory=dict)
    days: set[tuple[str, str]] = field(default_factory=set)
    appts: set[str] = field(default_factory=set)
    outbox: dict[str, int] = field(default_factory=dict)  # each stream's last seq written
    days_closed: str | None = None  # the last day whose figures went to the outbox
    new_outbox: int = 0  # records the last flush wrote


def _ticket_row(t: TicketRec) -> dict[str, Any]:
    row = {name: getattr(t, name) for name in TICKET_COLS}
    row["status"] = str(t.status)
    return row


def _ticket_from_row(row: Any) -> TicketRec:
    data = dict(row._mapping)
    data["status"] = TicketStatus(data["status"])
    data["front"] = bool(data["front"])
    return TicketRec(**data)


# -- load ------------------------------------------------------------------------


def load_hall(conn: Connection, hall: Hall, today: str, now: float, written: Written) -> None:
    """Fill an empty Hall with what the database holds, and `written` with its rows."""
    _load_tickets(conn, hall, today, written)
    _load_counters(conn, hall)
    _load_services(conn, hall)
    for row in conn.execute(select(ServiceDay.__table__)):
        hall.days[(row.service, row.day)] = DayCount(row.last_number, row.walkins)
    for row in conn.execute(select(Appointment.__table__)):
        hall.appointments[row.code] = AppointmentRec(
            row.code, row.service, row.slot_at, row.status, row.ticket)
    hall.seq = conn.execute(select(func.coalesce(func.max(Event.seq), 0))).scalar_one() or 0
    _load_calls(conn, hall)
    since = now - PROCESSED_KEEP_S
    recent = select(Processed.__table__).where(Processed.at >= since).order_by(Processed.n)
    for row in conn.execute(recent):
        hall.remember(row.device, row.cmd_id, row.reply, row.at)
    rated = select(Feedback.ticket).where(Feedback.ticket.in_(list(hall.tickets)))
    hall.rated.update(conn.execute(rated).scalars())
    msg = conn.execute(select(Setting.value).where(Setting.key == "message")).scalar()
    hall.message = json.loads(msg) if msg else None
    sessions = conn.execute(select(Setting.value).where(Setting.key == "sessions")).scalar()
    hall.sessions = json.loads(sessions) if sessions else {}
    _load_pin_failures(conn, hall, now)
    _load_outbox(conn, written)


def _load_outbox(conn: Connection, written: Written) -> None:
    """Each stream's last seq (the rows', or what was delivered and pruned), and the last
    day closed."""
    st = OutboxStream.__table__
    heads = {}
    for stream, delivered in conn.execute(select(st.c.stream, st.c.delivered)):
        heads[stream] = max(outbox_head(conn, stream), delivered)
    written.outbox = heads
    written.days_closed = conn.execute(
        select(Setting.value).where(Setting.key == DAYS_CLOSED)).scalar()


def _load_pin_failures(conn: Connection, hall: Hall, now: float) -> None:
    for row in conn.execute(select(PinLockout.__table__)):
        rec = PinFailures(row.failures, row.locks, row.until, row.at)
        if not stale(rec, now):
            hall.pin_failures[(row.device, row.officer)] = rec


def _load_tickets(conn: Connection, hall: Hall, today: str, written: Written) -> None:
    # Two queries, each on its own index: today's by uq_ticket_number's (day, ...) prefix,
    # open ones from earlier days (to be retired) by the partial index ix_tickets_open.
    for query in (select(T).where(T.c.day == today),
                  select(T).where(OPEN_TICKETS, T.c.day != today)):
        for row in conn.execute(query):
            t = _ticket_from_row(row)
            if t.service not in hall.services:
                continue  # a service removed from the config: keep the row, not the queue
            hall.tickets[t.id] = t
            written.rows[t.id] = _ticket_row(t)
    waiting = [t for t in hall.tickets.values() if t.status is TicketStatus.WAITING]
    for t in sorted(waiting, key=lambda t: (t.queue_at, t.seq)):  # dict order = queue order
        hall.enqueue(t)


def _load_counters(conn: Connection, hall: Hall) -> None:
    for row in conn.execute(select(CounterRow.__table__)):
        if row.id in hall.counters:
            hall.counters[row.id] = CounterRec(
                row.id, CounterStatus(row.status), row.ticket, row.since, row.reason,
                row.officer)


def _load_services(conn: Connection, hall: Hall) -> None:
    for row in conn.execute(select(ServiceState.__table__)):
        rec = hall.services.get(row.service)
        if rec is not None:
            rec.closed, rec.quota, rec.priority_streak = bool(row.closed), row.quota, \
                row.priority_streak
    window = hall.cfg.policy.service_time_window
    done = (
        select(T.c.service, T.c.started_at, T.c.called_at, T.c.finished_at)
        .where(T.c.status == str(TicketStatus.DONE))
        .order_by(T.c.finished_at.desc()).limit(window * max(1, len(hall.services)))
    )
    for row in reversed(conn.execute(done).all()):
        rec = hall.services.get(row.service)
        begin = row.started_at or row.called_at
        if rec is not None and begin is not None and row.finished_at is not None:
            rec.durations.append(row.finished_at - begin)


def _load_calls(conn: Connection, hall: Hall) -> None:
    kept = hall.calls.maxlen or 10
    query = (
        select(Event.payload, Event.at)
        .where(Event.type.in_(CALL_EVENTS))
        .order_by(Event.id.desc()).limit(kept)
    )
    for payload, at in reversed(conn.execute(query).all()):
        data = json.loads(payload)
        ticket = data["ticket"]
        hall.calls.appendleft(Call(
            ticket=ticket["id"], number=ticket["number"], service=ticket["service"],
            counter=data["counter"], at=at, recalls=ticket["recalls"]))


# -- flush -------------------------------------------------------------------------


# Hot-path writes skip SQLAlchemy's per-execute work (~0.3 ms each, five or more per
# command): each statement is compiled once per dialect and its rows go straight to the
# DB-API cursor, inside the transaction SQLAlchemy opened.
_COMPILED: dict[tuple[Any, ...], tuple[str, tuple[str, ...] | None]] = {}


def _run(conn: Connection, key: tuple[Any, ...], build: Any,
         rows: list[dict[str, Any]]) -> int:
    """Rows changed."""
    if not rows:
        return 0
    cache_key = (conn.dialect.name, *key, *rows[0])
    hit = _COMPILED.get(cache_key)
    if hit is None:
        compiled = build().compile(dialect=conn.dialect, column_keys=list(rows[0]))
        positions = compiled.positiontup
        hit = _COMPILED[cache_key] = (compiled.string, tuple(positions) if positions else None)
    sql, positions = hit
    params: list[Any] = rows if positions is None else [
        tuple(row[name] for name in positions) for row in rows]
    cursor = conn.connection.cursor()
    try:
        cursor.executemany(sql, params)
        return int(cursor.rowcount)
    except conn.dialect.loaded_dbapi.Error as err:  # translated at the boundary
        refused = isinstance(err, conn.dialect.loaded_dbapi.DataError)
        raise StoreError(f"{key[0]} {key[1]}: {err}", refused_value=refused) from err
    finally:
        cursor.close()


def _executemany(conn: Connection, table: Any, rows: list[dict[str, Any]]) -> None:
    _run(conn, ("insert", table.name), lambda: insert(table), rows)


@contextmanager
def write_transaction(conn: Connection) -> Iterator[None]:
    """One batch's transaction. SQLite: BEGIN IMMEDIATE ... COMMIT straight on the DB-API
    connection (SQLAlchemy's begin and commit cost about 0.1 ms a batch); so everything
    inside must write through _run. Other databases: SQLAlchemy's transaction."""
    if conn.dialect.name != "sqlite":
        with conn.begin():
            yield
        return
    raw = cast(sqlite3.Connection, conn.connection.driver_connection)  # sqlite only here
    error = conn.dialect.loaded_dbapi.Error
    try:
        raw.execute("BEGIN IMMEDIATE")
    except error as err:
        raise StoreError(f"begin: {err}") from err
    try:
        yield
        raw.execute("COMMIT")
    except BaseException as exc:
        if raw.in_transaction:
            try:
                raw.execute("ROLLBACK")
            except error as err:
                log.warning("rollback failed: %s", err)
        if isinstance(exc, error):
            raise StoreError(f"commit: {exc}") from exc
        raise


def flush(conn: Connection, hall: Hall, changes: Changes, written: Written) -> None:
    """Write one batch's changes inside the caller's transaction, and what they owe the
    outside world to the outbox in the same transaction."""
    owed = _ended(hall, changes, written.rows)  # before their rows are written
    new = [_ticket_row(hall.tickets[i]) for i in changes.new_tickets]
    _executemany(conn, T, new)
    written.rows.update((row["id"], row) for row in new)
    _flush_ticket_updates(conn, hall, changes.tickets, written.rows)
    _update_by_key(conn, CounterRow.__table__, "id",
                   [_counter_row(hall.counters[c]) for c in changes.counters])
    _update_by_key(conn, ServiceState.__table__, "service",
                   [_service_row(hall, s) for s in changes.services])
    _flush_days(conn, hall, changes.days, written.days)
    _flush_appointments(conn, hall, changes, written.appts)
    _executemany(conn, Event.__table__, [_event_row(e) for e in changes.events])
    _executemany(conn, Processed.__table__, [
        {"device": d, "cmd_id": c, "op": op, "at": at, "reply": r}
        for d, c, op, at, r in changes.processed])
    _executemany(conn, Feedback.__table__, changes.feedback)
    _flush_settings(conn, changes.settings)
    _flush_pin_failures(conn, hall, changes.pin_failures)
    tz = hall.cfg.site.tz
    owed += [survey(row, tz) for row in changes.feedback]
    owed += changes.outbox
    if changes.day_close is not None:
        owed += _close_days(conn, hall, *changes.day_close, written)
    _flush_outbox(conn, hall, owed, written)


def _ended(hall: Hall, changes: Changes, stored: dict[str, dict[str, Any]]) -> list[Entry]:
    """The service records of the tickets whose life ends in this batch: finished now,
    and not in the row last written. A no-show who comes back (counter.return) ends again:
    a second record, the later one its outcome (docs/outside-world.md)."""
    found = []
    cfg, tz = hall.cfg, hall.cfg.site.tz
    for ticket_id in itertools.chain(changes.new_tickets, changes.tickets):
        t = hall.tickets[ticket_id]
        old = stored.get(ticket_id)
        if t.status in FINISHED and (old is None or old["status"] not in FINISHED):
            found.append(ticket_ended(t, cfg.service(t.service).agency, tz))
    return found


# -- day close -----------------------------------------------------------------------

DAYS_CLOSED = "outbox_days_closed"  # settings row: the last day whose figures were written
_FACT_COLS = ("service", "counter", "officer", "issued_at", "called_at", "started_at",
              "finished_at", "status", "priority")


def _close_days(conn: Connection, hall: Hall, today: str, now: float,
                written: Written) -> list[Entry]:
    """The figures of every day before `today` with tickets and not closed yet, read in
    this transaction (after the rollover's retirements): one `day.closed` record each.
    A database that has never closed a day starts with yesterday: the days before the
    outbox existed are not sent."""
    yesterday = (date.fromisoformat(today) - timedelta(days=1)).isoformat()
    marker = written.days_closed
    if marker is None:
        _flush_settings(conn, {DAYS_CLOSED: yesterday})
        written.days_closed = yesterday
        return []
    if marker >= yesterday:
        return []
    sd = ServiceDay.__table__
    days = [row[0] for row in _fetch(conn, select(sd.c.day).distinct()
                                     .where(sd.c.day > marker, sd.c.day < today)
                                     .order_by(sd.c.day))]
    cfg = hall.cfg
    targets = {s.id: s.target_wait_min * 60.0 for s in cfg.services}
    found = []
    for day in days:
        rows = _fetch(conn, select(*(T.c[c] for c in _FACT_COLS)).where(T.c.day == day))
        report = build_report((_fact(cfg, row) for row in rows), cfg.site.tz, targets)
        found.append(day_closed(day, report, now))
    _flush_settings(conn, {DAYS_CLOSED: yesterday})
    written.days_closed = yesterday
    return found


def _fact(cfg: Any, row: tuple[Any, ...]) -> TicketFact:
    service, counter, officer, issued, called, started, finished, status, priority = row
    try:
        agency = cfg.service(service).agency
    except KeyError:  # a service since removed from the site file
        agency = "unknown"
    return TicketFact(service, agency, counter, officer, issued, called, started, finished,
                      status, priority is not None)


def _fetch(conn: Connection, stmt: Any) -> list[tuple[Any, ...]]:
    """Rows of a query inside write_transaction, straight on the DB-API cursor (on
    SQLite, SQLAlchemy would begin a transaction of its own)."""
    compiled = stmt.compile(dialect=conn.dialect)
    params = compiled.construct_params()
    args: Any = tuple(params[k] for k in compiled.positiontup) if compiled.positional \
        else params
    cursor = conn.connection.cursor()
    try:
        cursor.execute(compiled.string, args)
        return [tuple(row) for row in cursor.fetchall()]
    except conn.dialect.loaded_dbapi.Error as err:
        raise StoreError(f"select: {err}") from err
    finally:
        cursor.close()


def _flush_outbox(conn: Connection, hall: Hall, entries: list[Entry],
                  written: Written) -> None:
    """Number each record in its stream (after the last written) and insert them."""
    written.new_outbox = len(entries)
    if not entries:
        return
    site, tz, heads = hall.cfg.site.id, hall.cfg.site.tz, written.outbox
    rows = []
    for e in entries:
        seq = heads[e.stream] = heads.get(e.stream, 0) + 1
        at = iso_local(e.at, tz) or ""
        rows.append({"id": row_id(e.stream, seq), "stream": e.stream, "seq": seq, "at": e.at,
                     "body": record_text(site, e.stream, seq, e.type, at, e.data_json())})
    _executemany(conn, OutboxRecord.__table__, rows)


def _flush_ticket_updates(conn: Connection, hall: Hall, ids: Iterable[str],
                          stored: dict[str, dict[str, Any]]) -> None:
    """SET only the columns that changed since the rows were last written (their union
    over the batch: one statement): an index whose columns are not in the SET list is not
    touched, so a call does not rewrite pages of uq_ticket_number. `stored` is updated
    before the commit; a failed commit reloads the hall (HallStore.load), and with it
    `stored`."""
    rows = []
    changed: set[str] = set()
    for ticket_id in ids:
        row = _ticket_row(hall.tickets[ticket_id])
        old = stored.get(ticket_id)
        changed.update(k for k, v in row.items() if old is None or old[k] != v)
        stored[ticket_id] = row
        rows.append(row)
    changed.discard("id")
    if changed:
        cols = [name for name in TICKET_COLS if name in changed]  # one order: one compile
        _update(conn, T, ("id",), [{k: row[k] for k in ("id", *cols)} for row in rows])


def _update(conn: Connection, table: Any, keys: tuple[str, ...],
            rows: list[dict[str, Any]]) -> int:
    """UPDATE table SET <other columns> WHERE <keys> = :k_<key>, row by row; rows changed."""
    if not rows:
        return 0
    cols = [name for name in rows[0] if name not in keys]

    def build() -> Any:
        stmt = update(table).values({name: bindparam(name) for name in cols})
        for key in keys:
            stmt = stmt.where(table.c[key] == bindparam("k_" + key))
        return stmt

    # the keys go only as k_<key>: a key among the parameters would join the SET list,
    # and SQLite would rewrite its index entry (a page per table per commit)
    params = [{**{name: row[name] for name in cols}, **{"k_" + key: row[key] for key in keys}}
              for row in rows]
    return _run(conn, ("update", table.name, *keys), build, params)


def _update_by_key(conn: Connection, table: Any, key: str, rows: list[dict[str, Any]]) -> None:
    _update(conn, table, (key,), rows)


def _counter_row(c: CounterRec) -> dict[str, Any]:
    return {"id": c.id, "status": str(c.status), "ticket": c.ticket, "since": c.since,
            "reason": c.reason, "officer": c.officer}


def _service_row(hall: Hall, service_id: str) -> dict[str, Any]:
    s = hall.services[service_id]
    return {"service": s.id, "closed": s.closed, "quota": s.quota,
            "priority_streak": s.priority_streak}


def _event_row(e: Any) -> dict[str, Any]:
    return {"seq": e.seq, "at": e.at, "kind": e.kind, "type": e.type, "ticket": e.ticket,
            "counter": e.counter, "device": e.device,
            "payload": e.text}


def _flush_days(conn: Connection, hall: Hall, keys: Iterable[tuple[str, str]],
                existing: set[tuple[str, str]]) -> None:
    rows = [{"service": s, "day": d, "last_number": hall.days[(s, d)].last_number,
             "walkins": hall.days[(s, d)].walkins} for s, d in keys]
    new = [r for r in rows if (r["service"], r["day"]) not in existing]
    old = [r for r in rows if (r["service"], r["day"]) in existing]
    _executemany(conn, ServiceDay.__table__, new)
    _update(conn, ServiceDay.__table__, ("service", "day"), old)
    existing.update((str(r["service"]), str(r["day"])) for r in new)


def _flush_appointments(conn: Connection, hall: Hall, changes: Changes,
                        existing: set[str]) -> None:
    def row(code: str) -> dict[str, Any]:
        a = hall.appointments[code]
        return {"code": a.code, "service": a.service, "slot_at": a.slot_at,
                "status": a.status, "ticket": a.ticket}

    touched = changes.new_appointments | changes.appointments
    _executemany(conn, Appointment.__table__, [row(c) for c in touched - existing])
    _update_by_key(conn, Appointment.__table__, "code", [row(c) for c in touched & existing])
    existing.update(touched)


def _flush_settings(conn: Connection, settings: dict[str, str]) -> None:
    table = Setting.__table__
    for key, value in settings.items():
        row = {"key": key, "value": value}
        if _update(conn, table, ("key",), [row]) == 0:
            _executemany(conn, table, [row])


def _flush_pin_failures(conn: Connection, hall: Hall, keys: Iterable[tuple[str, str]]) -> None:
    """Each changed (device, officer) record written, or deleted when the hall let it go."""
    table: Any = PinLockout.__table__
    gone = []
    for device, officer in keys:
        rec = hall.pin_failures.get((device, officer))
        if rec is None:
            gone.append({"k_device": device, "k_officer": officer})
            continue
        row = {"device": device, "officer": officer, "failures": rec.failures,
               "locks": rec.locks, "until": rec.until, "at": rec.at}
        if _update(conn, table, ("device", "officer"), [row]) == 0:
            _executemany(conn, table, [row])

    def build() -> Any:
        return delete(table).where(table.c.device == bindparam("k_device"),
                                   table.c.officer == bindparam("k_officer"))

    _run(conn, ("delete", table.name), build, gone)


def ensure_rows(conn: Connection, hall: Hall, written: Written) -> None:
    """Create missing counter and service rows; note the day and appointment keys."""
    have = set(conn.execute(select(CounterRow.id)).scalars())
    _executemany(conn, CounterRow.__table__,
                 [_counter_row(c) for cid, c in hall.counters.items() if cid not in have])
    have = set(conn.execute(select(ServiceState.service)).scalars())
    _executemany(conn, ServiceState.__table__,
                 [_service_row(hall, s) for s in hall.services if s not in have])
    written.days = {(r.service, r.day) for r in conn.execute(
        select(ServiceDay.service, ServiceDay.day))}
    written.appts = set(conn.execute(select(Appointment.code)).scalars())


def prune_processed(conn: Connection, before: float, keep: int) -> int:
    """Forget command ids older than the idempotency window (PROCESSED_KEEP_S), and all
    but the newest `keep` (a flood of new ids must not fill the disk either)."""
    gone = conn.execute(delete(Processed).where(Processed.at < before)).rowcount or 0
    newest = conn.execute(select(func.max(Processed.n))).scalar()
    if newest is not None and newest > keep:
        gone += conn.execute(delete(Processed).where(Processed.n <= newest - keep)).rowcount or 0
    return gone

