"""The outbox as the deliverer and `mpp status` read it (the records themselves are
written by repo.flush, in the transaction of the change that made them): a stream's next
batch, how far the central has acknowledged each stream, the backlog and its age. Each
function runs its own short transaction on a connection of its own, never the engine's."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, delete, func, select, update
from sqlalchemy.exc import SQLAlchemyError

from queue_server.protocol.upload import STREAMS
from queue_server.store.db import StoreError
from queue_server.store.models import OutboxRecord, OutboxStream
from queue_server.store.queries import Database

OB: Any = OutboxRecord.__table__
ST: Any = OutboxStream.__table__
PRUNE_CHUNK = 5000  # delivered rows one housekeeping round deletes per stream, at most
SEQ_BITS = 40  # a stream numbers up to 2**40 records: 30,000 years of a busy hall


def row_id(stream: str, seq: int) -> int:
    """The outbox key of a record: the streams one after another, each in seq order."""
    return ((STREAMS.index(stream) + 1) << SEQ_BITS) + seq


def _span(stream: str) -> tuple[int, int]:
    """The first and last key a stream may use."""
    return row_id(stream, 0), row_id(stream, (1 << SEQ_BITS) - 1)


def head(conn: Connection, stream: str) -> int:
    """The stream's last seq written (0: none left in the table): an index lookup."""
    low, high = _span(stream)
    top = conn.execute(select(func.max(OB.c.id)).where(OB.c.id.between(low, high))).scalar()
    return int(top) - low if top is not None else 0


@dataclass(frozen=True)
class StreamState:
    """One stream: acknowledged up to `delivered`; `head` the last seq written;
    `oldest_at` when the first record not yet delivered happened (None: none waits)."""

    stream: str
    delivered: int
    head: int
    oldest_at: float | None
    delivered_at: float | None
    tried_at: float | None
    error: str | None
    detail: str | None

    @property
    def backlog(self) -> int:
        return max(0, self.head - self.delivered)


def _fail(what: str, err: Exception) -> StoreError:
    return StoreError(f"outbox {what}: {err}")


def read_batch(db: Database, stream: str, after: int, limit: int) -> list[tuple[int, str]]:
    """(seq, record) of up to `limit` records after seq `after`, in order."""
    _low, high = _span(stream)
    query = (select(OB.c.seq, OB.c.body).where(OB.c.id > row_id(stream, after),
                                              OB.c.id <= high)
             .order_by(OB.c.id).limit(limit))
    try:
        with db.connect() as conn:
            return [(int(seq), body) for seq, body in conn.execute(query)]
    except SQLAlchemyError as err:
        raise _fail("read", err) from err


def mark_delivered(db: Database, stream: str, through: int, at: float) -> None:
    """The central acknowledged the stream up to `through`."""
    stmt = (update(ST).where(ST.c.stream == stream)
            .values(delivered=through, delivered_at=at, tried_at=at, error=None, detail=None))
    try:
        with db.begin() as conn:
            conn.execute(stmt)
    except SQLAlchemyError as err:
        raise _fail("mark delivered", err) from err


def mark_failed(db: Database, stream: str, at: float, error: str, detail: str) -> None:
    """The last try of `stream` failed with `error` (a stable code; docs/outside-world.md)."""
    stmt = (update(ST).where(ST.c.stream == stream)
            .values(tried_at=at, error=error[:32], detail=detail[:500]))
    try:
        with db.begin() as conn:
            conn.execute(stmt)
    except SQLAlchemyError as err:
        raise _fail("mark failed", err) from err


def states(db: Database) -> dict[str, StreamState]:
    """Every stream's delivery and backlog: index lookups only, never a count of rows
    (seqs have no gap: the backlog is the head minus what was delivered)."""
    try:
        with db.connect() as conn:
            rows = conn.execute(select(ST).order_by(ST.c.stream)).all()
            return {row.stream: _state(conn, row) for row in rows}
    except SQLAlchemyError as err:
        raise _fail("status", err) from err


def _state(conn: Connection, row: Any) -> StreamState:
    stream, delivered = row.stream, int(row.delivered)
    oldest = conn.execute(select(OB.c.at).where(
        OB.c.id == row_id(stream, delivered + 1))).scalar()
    return StreamState(stream, delivered, max(head(conn, stream), delivered), oldest,
                       row.delivered_at, row.tried_at, row.error, row.detail)


def prune_delivered(conn: Connection, before: float, undelivered_too: bool = False) -> int:
    """Delete delivered records that happened before `before`, at most PRUNE_CHUNK per
    stream (the engine's housekeeping calls this in its own transaction); rows deleted.
    `undelivered_too` (a hall without a central): those not delivered as well, counted as
    delivered from then on, so that nobody waits for them."""
    gone = 0
    for stream, delivered in conn.execute(select(ST.c.stream, ST.c.delivered)).all():
        if stream not in STREAMS:
            continue
        low, high = _span(stream)
        first = conn.execute(select(func.min(OB.c.id)).where(OB.c.id.between(low, high))
                             ).scalar()
        if first is None or (first - low > delivered and not undelivered_too):
            continue
        last = first + PRUNE_CHUNK - 1
        if not undelivered_too:
            last = min(row_id(stream, int(delivered)), last)
        old = OB.c.at < before
        end = conn.execute(select(func.max(OB.c.id)).where(OB.c.id.between(first, last),
                                                           old)).scalar()
        if end is None:
            continue
        gone += conn.execute(delete(OB).where(OB.c.id.between(first, end), old)).rowcount or 0
        if end - low > delivered:
            conn.execute(update(ST).where(ST.c.stream == stream).values(delivered=end - low))
    return gone
