"""SQLAlchemy 2 models. Times are UTC epoch seconds (float); days are the
site's local calendar day (YYYY-MM-DD). Schema changes go through Alembic."""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Float,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


OPEN_TICKETS = text("status IN ('waiting', 'called', 'serving')")


class Ticket(Base):
    __tablename__ = "tickets"
    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    day: Mapped[str] = mapped_column(String(10))
    service: Mapped[str] = mapped_column(String(32))
    number: Mapped[int | None] = mapped_column(Integer)  # None for a transferred copy
    label: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(16))
    priority: Mapped[str | None] = mapped_column(String(16))
    appointment: Mapped[str | None] = mapped_column(String(128))
    slot_at: Mapped[float | None] = mapped_column(Float)
    issued_at: Mapped[float] = mapped_column(Float)
    queue_at: Mapped[float] = mapped_column(Float)
    front: Mapped[bool] = mapped_column(Boolean, default=False)
    counter: Mapped[str | None] = mapped_column(String(32))
    called_at: Mapped[float | None] = mapped_column(Float)
    started_at: Mapped[float | None] = mapped_column(Float)
    finished_at: Mapped[float | None] = mapped_column(Float)
    recalls: Mapped[int] = mapped_column(Integer, default=0)
    origin: Mapped[str | None] = mapped_column(String(32))
    lang: Mapped[str | None] = mapped_column(String(2))
    device: Mapped[str | None] = mapped_column(String(32))
    seq: Mapped[int] = mapped_column(Integer, default=0)
    officer: Mapped[str | None] = mapped_column(String(32))
    # SHA-256 of the key of the ticket's own page (domain/ticket_page.py), never the key;
    # a transferred copy shares its original's (the citizen holds one paper)
    key_digest: Mapped[str | None] = mapped_column(String(64))
    assist: Mapped[str | None] = mapped_column(String(16))  # migration 0007
    __table_args__ = (
        UniqueConstraint("day", "service", "number", name="uq_ticket_number"),
        Index("ix_tickets_key_digest", "key_digest"),  # migration 0005
        # only the open tickets (migration 0003): a call writes a page or two less
        Index("ix_tickets_open", "status", sqlite_where=OPEN_TICKETS,
              postgresql_where=OPEN_TICKETS),
    )


class ServiceDay(Base):
    """The last number handed out per service per day: never reused."""

    __tablename__ = "service_days"
    service: Mapped[str] = mapped_column(String(32), primary_key=True)
    day: Mapped[str] = mapped_column(String(10), primary_key=True)
    last_number: Mapped[int] = mapped_column(Integer)
    walkins: Mapped[int] = mapped_column(Integer)


class ServiceState(Base):
    __tablename__ = "service_state"
    service: Mapped[str] = mapped_column(String(32), primary_key=True)
    closed: Mapped[bool] = mapped_column(Boolean, default=False)
    quota: Mapped[int | None] = mapped_column(Integer)
    priority_streak: Mapped[int] = mapped_column(Integer, default=0)


class CounterRow(Base):
    __tablename__ = "counters"
    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    status: Mapped[str] = mapped_column(String(16))
    ticket: Mapped[str | None] = mapped_column(String(32))
    since: Mapped[float] = mapped_column(Float)
    reason: Mapped[str | None] = mapped_column(String(16))
    officer: Mapped[str | None] = mapped_column(String(64))


class Event(Base):
    """Append-only log of every change. `seq` numbers ticket events, gap-free."""

    __tablename__ = "events"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    seq: Mapped[int | None] = mapped_column(Integer, unique=True)
    at: Mapped[float] = mapped_column(Float)
    kind: Mapped[str] = mapped_column(String(16))
    type: Mapped[str] = mapped_column(String(32))
    ticket: Mapped[str | None] = mapped_column(String(32))
    counter: Mapped[str | None] = mapped_column(String(32))
    device: Mapped[str | None] = mapped_column(String(32))
    payload: Mapped[str] = mapped_column(Text)


class Processed(Base):
    """Command ids already applied, with the reply: retries get the same answer. The
    engine looks them up in memory (loaded at start): the table is only appended to
    and pruned, so it has no key index to update on every command."""

    __tablename__ = "processed"
    n: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    device: Mapped[str] = mapped_column(String(32))
    cmd_id: Mapped[str] = mapped_column(String(64))
    op: Mapped[str] = mapped_column(String(32))
    at: Mapped[float] = mapped_column(Float)  # no index: one page less per command
    reply: Mapped[str] = mapped_column(Text)


class Appointment(Base):
    __tablename__ = "appointments"
    code: Mapped[str] = mapped_column(String(128), primary_key=True)
    service: Mapped[str] = mapped_column(String(32))
    slot_at: Mapped[float] = mapped_column(Float)
    status: Mapped[str] = mapped_column(String(16))  # booked | used
    ticket: Mapped[str | None] = mapped_column(String(32))


class Feedback(Base):
    __tablename__ = "feedback"
    ticket: Mapped[str] = mapped_column(String(32), primary_key=True)
    at: Mapped[float] = mapped_column(Float)
    service: Mapped[str] = mapped_column(String(32))
    counter: Mapped[str | None] = mapped_column(String(32))
    scores: Mapped[str] = mapped_column(Text)


class SurveyTablet(Base):
    """The tablet paired with a counter for its survey (web/routes_tablet.py): only the
    SHA-256 of the tablet's cookie token; one tablet per counter, a new pairing replaces
    the old one."""

    __tablename__ = "survey_tablets"
    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    counter: Mapped[str] = mapped_column(String(32), unique=True)
    paired_at: Mapped[float] = mapped_column(Float)
    paired_by: Mapped[str] = mapped_column(String(32))  # the supervisor's account


class Setting(Base):
    __tablename__ = "settings"
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class PinLockout(Base):
    """Wrong officer PINs per (device, officer code) and the lock they led to (migration
    0004): a restart does not lift a lock (queue_server/domain/lockout.py)."""

    __tablename__ = "pin_lockouts"
    device: Mapped[str] = mapped_column(String(32), primary_key=True)
    officer: Mapped[str] = mapped_column(String(32), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer)
    locks: Mapped[int] = mapped_column(Integer)
    until: Mapped[float] = mapped_column(Float)
    at: Mapped[float] = mapped_column(Float)


class OutboxRecord(Base):
    """What the outside world is owed (issue 14, docs/outside-world.md), written in the
    transaction of the change that made it (migration 0006). `seq` numbers each stream
    from 1 without a gap; `body` is the record as the upload carries it (its key, seq,
    type, time and data), so a batch is joined, never encoded again. Rows stay until
    delivered and `central.keep_delivered_days` old."""

    __tablename__ = "outbox"
    # (the stream's place in STREAMS + 1) * 2**40 + seq (store/outbox.row_id): one key in
    # stream and seq order, and on SQLite the rowid itself, so a record writes one b-tree
    # (a separate (stream, seq) index cost two more WAL pages a call)
    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"),
                                    primary_key=True, autoincrement=False)
    stream: Mapped[str] = mapped_column(String(16))
    seq: Mapped[int] = mapped_column(Integer)
    at: Mapped[float] = mapped_column(Float)  # when it happened (the backlog's age)
    body: Mapped[str] = mapped_column(Text)


class OutboxStream(Base):
    """Each stream's delivery, as the deliverer last left it: acknowledged up to
    `delivered`, when, and the last try's error (None when it went through)."""

    __tablename__ = "outbox_streams"
    stream: Mapped[str] = mapped_column(String(16), primary_key=True)
    delivered: Mapped[int] = mapped_column(Integer, default=0)
    delivered_at: Mapped[float | None] = mapped_column(Float)
    tried_at: Mapped[float | None] = mapped_column(Float)
    error: Mapped[str | None] = mapped_column(String(32))
    detail: Mapped[str | None] = mapped_column(Text)
