"""The counters' survey tablets (migration 0005): a tablet is paired with one counter by a
signed-in supervisor (web/routes_tablet.py); only the SHA-256 of its cookie token is kept.
One tablet per counter: pairing another replaces it (a lost tablet is revoked so)."""

from __future__ import annotations

from sqlalchemy import delete, insert, select

from queue_server.store.models import SurveyTablet
from queue_server.store.queries import Database


def pair_tablet(db: Database, counter: str, token_hash: str, now: float, by: str) -> None:
    with db.begin() as conn:
        conn.execute(delete(SurveyTablet).where(SurveyTablet.counter == counter))
        conn.execute(insert(SurveyTablet).values(token_hash=token_hash, counter=counter,
                                          paired_at=now, paired_by=by[:32]))


def tablet_counter(db: Database, token_hash: str) -> str | None:
    """The counter the tablet with this token is paired with, or None."""
    with db.connect() as conn:
        return conn.execute(select(SurveyTablet.counter)
                            .where(SurveyTablet.token_hash == token_hash)).scalar()
