"""The dashboard's accounts, signed-in sessions and failed sign-ins (migration 0002): their
tables, on the store's Base so that Alembic sees one schema, and the reads and writes the
web's account policy (queue_server/web/accounts.py) needs. Rules live there, not here."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Boolean, Engine, Float, Index, Integer, String, delete, func, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from queue_server.store.models import Base

USERNAME_MAX = 28  # "web:" + name must fit the audit log's 32-character device column


class Account(Base):
    __tablename__ = "web_accounts"
    username: Mapped[str] = mapped_column(String(USERNAME_MAX), primary_key=True)
    role: Mapped[str] = mapped_column(String(16))  # administrator | supervisor
    password_hash: Mapped[str] = mapped_column(String(255))  # argon2id
    created_at: Mapped[float] = mapped_column(Float)
    disabled: Mapped[bool] = mapped_column(Boolean, default=False)


class WebSession(Base):
    """A signed-in browser. Only the SHA-256 of the cookie's token is stored."""

    __tablename__ = "web_sessions"
    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    username: Mapped[str] = mapped_column(String(USERNAME_MAX))
    csrf: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[float] = mapped_column(Float)
    expires_at: Mapped[float] = mapped_column(Float)
    last_seen: Mapped[float] = mapped_column(Float)
    __table_args__ = (Index("ix_web_sessions_username", "username"),)


class SigninFailure(Base):
    __tablename__ = "web_signin_failures"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    username: Mapped[str] = mapped_column(String(USERNAME_MAX))
    at: Mapped[float] = mapped_column(Float)
    remote: Mapped[str | None] = mapped_column(String(64))
    __table_args__ = (Index("ix_web_signin_failures_user_at", "username", "at"),
                      Index("ix_web_signin_failures_remote_at", "remote", "at"))  # 0004


@dataclass(frozen=True)
class AccountRecord:
    username: str
    role: str
    password_hash: str
    disabled: bool


@dataclass(frozen=True)
class SessionRecord:
    username: str
    csrf: str
    expires_at: float
    last_seen: float
    account: AccountRecord | None  # None: the account is gone


def _record(row: Account) -> AccountRecord:
    return AccountRecord(row.username, row.role, row.password_hash, row.disabled)


class AccountStore:
    def __init__(self, db: Engine) -> None:
        self.db = db

    # -- accounts ----------------------------------------------------------------------

    def add(self, username: str, role: str, password_hash: str, created_at: float) -> bool:
        """False when the name is taken (a disabled account keeps its name)."""
        with Session(self.db) as s, s.begin():
            if s.get(Account, username) is not None:
                return False
            s.add(Account(username=username, role=role, created_at=created_at,
                          password_hash=password_hash, disabled=False))
        return True

    def disable(self, username: str) -> bool:
        """Disables the account and ends its sessions; False when there is no such
        account still enabled."""
        with Session(self.db) as s, s.begin():
            row = s.get(Account, username)
            if row is None or row.disabled:
                return False
            row.disabled = True
            s.execute(delete(WebSession).where(WebSession.username == username))
        return True

    def enabled_accounts(self) -> list[AccountRecord]:
        with Session(self.db) as s:
            rows = s.scalars(select(Account).order_by(Account.username)).all()
            return [_record(r) for r in rows if not r.disabled]

    def account(self, username: str) -> AccountRecord | None:
        with Session(self.db) as s:
            row = s.get(Account, username)
            return _record(row) if row is not None else None

    # -- failed sign-ins ---------------------------------------------------------------

    def failure_times(self, username: str, since: float) -> list[float]:
        """When `username` failed to sign in, at or after `since`, oldest first."""
        with Session(self.db) as s:
            return list(s.scalars(select(SigninFailure.at).where(
                SigninFailure.username == username, SigninFailure.at >= since)
                .order_by(SigninFailure.at)).all())

    def failure_times_from(self, remote: str, since: float) -> list[float]:
        """When sign-ins from `remote` failed (any user name), at or after `since`."""
        with Session(self.db) as s:
            return list(s.scalars(select(SigninFailure.at).where(
                SigninFailure.remote == remote, SigninFailure.at >= since)
                .order_by(SigninFailure.at)).all())

    def add_failure(self, username: str, at: float, remote: str, prune_before: float) -> None:
        """One transaction: the failure is stored and those before `prune_before` (past
        every window: they can lock nobody) are deleted."""
        with Session(self.db) as s, s.begin():
            s.execute(delete(SigninFailure).where(SigninFailure.at < prune_before))
            s.add(SigninFailure(username=username, at=at, remote=remote))

    # -- sessions ----------------------------------------------------------------------

    def open_session(self, token_hash: str, username: str, csrf: str, now: float,
                     expires_at: float) -> None:
        """One transaction: the user's failures are forgotten, every session past its end
        is deleted, and the new one is stored."""
        with Session(self.db) as s, s.begin():
            s.execute(delete(SigninFailure).where(SigninFailure.username == username))
            s.execute(delete(WebSession).where(WebSession.expires_at < now))
            s.add(WebSession(token_hash=token_hash, username=username, csrf=csrf,
                             created_at=now, last_seen=now, expires_at=expires_at))

    def session(self, token_hash: str) -> SessionRecord | None:
        with Session(self.db) as s:
            row = s.get(WebSession, token_hash)
            if row is None:
                return None
            acc = s.get(Account, row.username)
            return SessionRecord(row.username, row.csrf, row.expires_at, row.last_seen,
                                 _record(acc) if acc is not None else None)

    def touch_session(self, token_hash: str, now: float) -> None:
        with Session(self.db) as s, s.begin():
            row = s.get(WebSession, token_hash)
            if row is not None:
                row.last_seen = now

    def end_session(self, token_hash: str) -> None:
        with Session(self.db) as s, s.begin():
            s.execute(delete(WebSession).where(WebSession.token_hash == token_hash))

    def sessions_count(self, username: str) -> int:
        with Session(self.db) as s:
            return int(s.scalar(select(func.count()).select_from(WebSession)
                                .where(WebSession.username == username)) or 0)
