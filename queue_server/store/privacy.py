"""Personal data in the database (UU PDP 27/2022): the site's secret for keyed hashes, and
deleting appointment details past the site's retention (docs/security.md has the table of
what is kept where, and how long). The rules are in domain/privacy.py."""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from sqlalchemy import Connection, bindparam, delete, insert, select, update
from sqlalchemy.exc import IntegrityError

from queue_server.domain.privacy import KEY_BYTES
from queue_server.store.db import StoreError
from queue_server.store.models import Appointment, Setting, Ticket
from queue_server.store.queries import Database

PRIVACY_KEY = "privacy_key"  # settings row: hex of the keyed hashes' secret
CHUNK = 500  # ids per statement (SQLite limits the parameters of one)


def privacy_key(db: Database) -> bytes:
    """The site's secret for domain.privacy.keyed_hash: made (random, 256 bits) the first
    time it is asked for, then the same for the life of the database."""
    for _ in range(2):  # two servers made one at once: the other's won, read it
        with db.connect() as conn:
            found = conn.execute(select(Setting.value)
                                 .where(Setting.key == PRIVACY_KEY)).scalar()
        if found:
            return bytes.fromhex(found)
        try:
            with db.begin() as conn:
                conn.execute(insert(Setting).values(
                    key=PRIVACY_KEY, value=secrets.token_hex(KEY_BYTES)))
        except IntegrityError:
            continue
    raise StoreError("privacy key: neither found nor made")


@dataclass(frozen=True)
class Forgotten:
    """What one retention run deleted: the appointment codes, and the tickets they led to
    (which keep their slot time, not the code)."""

    codes: list[str]
    tickets: list[str]


def forget_appointments(conn: Connection, cutoff: float) -> Forgotten:
    """Delete the appointments whose slot is before `cutoff`, and unlink their tickets
    (by primary key: no scan of the tickets table)."""
    rows = conn.execute(select(Appointment.code, Appointment.ticket)
                        .where(Appointment.slot_at < cutoff)).all()
    if not rows:
        return Forgotten([], [])
    codes = [row.code for row in rows]
    tickets = [row.ticket for row in rows if row.ticket]
    gone = delete(Appointment).where(Appointment.code.in_(bindparam("some", expanding=True)))
    unlink = (update(Ticket).where(Ticket.id.in_(bindparam("some", expanding=True)))
              .values(appointment=None))
    for start in range(0, len(codes), CHUNK):
        conn.execute(gone, {"some": codes[start:start + CHUNK]})
    for start in range(0, len(tickets), CHUNK):
        conn.execute(unlink, {"some": tickets[start:start + CHUNK]})
    return Forgotten(codes, tickets)
