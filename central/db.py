"""The central's database (PostgreSQL only): its engine, its schema through its own Alembic
history (central/migrations, version table `central_version`), and the sites it serves,
each with the SHA-256 of its token (the token itself is only in the hall's file)."""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Connection, Engine, create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import IntegrityError, SQLAlchemyError

MIGRATIONS = Path(__file__).parent / "migrations"
VERSION_TABLE = "central_version"
MIGRATE_LOCK = 0x6D7070_63656E  # advisory lock: instances starting together migrate once
SITE_RE = re.compile(r"^[a-z0-9][a-z0-9-]{1,31}$")  # a hall's site id (protocol/topics.py)
TOKEN_BYTES = 32


class CentralError(Exception):
    """A central command or the database failed; the message says which and why."""

    code = "central_error"


def make_central_engine(url: str, pool_size: int = 8) -> Engine:
    if make_url(url).get_backend_name() != "postgresql":
        raise CentralError(f"{make_url(url).render_as_string()}: the central needs "
                           "PostgreSQL (postgresql+psycopg://...)")
    try:
        import psycopg  # noqa: F401  (the driver: pip install mpp-queue[postgres])
    except ImportError:
        raise CentralError("the central needs psycopg: pip install 'mpp-queue[postgres]'") \
            from None
    return create_engine(url, pool_size=pool_size, max_overflow=pool_size,
                         pool_pre_ping=True)


def migrate(engine: Engine) -> None:
    """Bring the schema to the newest revision, one instance at a time."""
    from alembic import command
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    try:
        with engine.begin() as conn:
            conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": MIGRATE_LOCK})
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "head")
    except SQLAlchemyError as err:
        raise CentralError(f"migrate: {err}") from err


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True)
class NewToken:
    site: str
    token: str  # shown once: to the hall's token file, never to a log


def add_site(engine: Engine, site: str, rotate: bool = False) -> NewToken:
    """A new site and its token; with `rotate`, a new token for a known site (the old one
    stops working at once)."""
    if not SITE_RE.match(site):
        raise CentralError(f"{site!r} is not a site id (2-32: a-z, 0-9, '-')")
    token = secrets.token_urlsafe(TOKEN_BYTES)
    try:
        with engine.begin() as conn:
            if rotate:
                done = conn.execute(text("UPDATE sites SET token_hash = :h WHERE id = :s"),
                                    {"h": token_hash(token), "s": site}).rowcount
                if not done:
                    raise CentralError(f"no site {site} to rotate: add it first")
            else:
                conn.execute(text("INSERT INTO sites (id, token_hash) VALUES (:s, :h)"),
                             {"s": site, "h": token_hash(token)})
    except IntegrityError:
        raise CentralError(f"site {site} exists already (--rotate gives it a new token)") \
            from None
    except SQLAlchemyError as err:
        raise CentralError(f"add site: {err}") from err
    return NewToken(site, token)


def site_of(conn: Connection, token: str) -> str | None:
    """The site a token belongs to; None for an unknown or disabled one."""
    found = conn.execute(text("SELECT id FROM sites WHERE token_hash = :h AND NOT disabled"),
                         {"h": token_hash(token)}).scalar()
    return str(found) if found is not None else None
