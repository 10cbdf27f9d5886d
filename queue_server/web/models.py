"""Tables of the web dashboard (migration 0002). On the store's Base so that Alembic
sees one schema."""

from __future__ import annotations

from sqlalchemy import Boolean, Float, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

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
    __table_args__ = (Index("ix_web_signin_failures_user_at", "username", "at"),)
