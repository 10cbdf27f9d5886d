"""Dashboard accounts (argon2id hashes), sessions that expire, and the sign-in lock-outs
(per account, and per address next to it): the rules. Their rows are in the site database
(queue_server/store/accounts.py), so a restart keeps sessions and lock-outs; failure records
past every window are pruned as new ones come.

Password hashing is bounded: argon2id takes 64 MiB per hash, and the web server runs up to
40 requests at once; at most `hash_parallel` hashes run together, the others wait their
turn (40 sign-ins at once cost 128 MiB, not 2.5 GiB)."""

from __future__ import annotations

import hashlib
import re
import secrets
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from queue_server.store.accounts import USERNAME_MAX, AccountStore
from queue_server.store.queries import Database

ROLES = ("supervisor", "administrator")
USERNAME_RE = re.compile(rf"^[a-z0-9][a-z0-9._-]{{0,{USERNAME_MAX - 1}}}$")
PASSWORD_MIN = 10
TOUCH_S = 60.0  # a session's last use is written at most this often


class AccountError(Exception):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class AuthPolicy:
    max_failures: int = 5  # wrong passwords within `failure_window_s` lock the account
    failure_window_s: float = 900.0
    lockout_s: float = 900.0
    idle_s: float = 1800.0  # a session not used for this long expires
    absolute_s: float = 12 * 3600.0  # and every session ends after one working day
    # wrong passwords from one address (any accounts) within the window lock the address
    max_address_failures: int = 20
    hash_parallel: int = 2  # password hashes at once (64 MiB each)
    hash_wait_s: float = 30.0  # a sign-in waiting longer for its turn is refused as busy

    @property
    def keep_s(self) -> float:
        """How long a failure record can still matter."""
        return max(self.failure_window_s, self.lockout_s)


@dataclass(frozen=True)
class User:
    username: str
    role: str

    def has(self, role: str) -> bool:
        """Administrators may do everything a supervisor may."""
        return role == "supervisor" or self.role == "administrator"


@dataclass(frozen=True)
class SignedIn:
    user: User
    token: str  # goes into the cookie; only its hash is stored
    csrf: str


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class Accounts:
    def __init__(self, db: Database, policy: AuthPolicy | None = None,
                 now: Callable[[], float] = time.time) -> None:
        self.store = AccountStore(db)
        self.policy = policy or AuthPolicy()
        self.now = now  # real time (not the hall's clock); tests may replace it
        self._hasher = PasswordHasher()
        self._hashing = threading.BoundedSemaphore(self.policy.hash_parallel)
        self._dummy = self._hasher.hash(secrets.token_hex(16))

    # -- accounts ----------------------------------------------------------------------

    def add(self, username: str, password: str, role: str) -> User:
        if not USERNAME_RE.fullmatch(username):
            raise AccountError("bad_username", f"user names are 1..{USERNAME_MAX} of a-z 0-9 . _ -")
        if role not in ROLES:
            raise AccountError("bad_role", f"role must be one of {', '.join(ROLES)}")
        if len(password) < PASSWORD_MIN:
            raise AccountError("weak_password",
                               f"passwords have at least {PASSWORD_MIN} characters")
        with self._turn():
            hashed = self._hasher.hash(password)
        if not self.store.add(username, role, hashed, self.now()):
            raise AccountError("exists", f"user {username} already exists")
        return User(username, role)

    def disable(self, username: str) -> None:
        """The account can no longer sign in and its sessions end now."""
        if not self.store.disable(username):
            raise AccountError("unknown_account", f"no account {username}")

    def list(self) -> list[User]:
        return [User(r.username, r.role) for r in self.store.enabled_accounts()]

    # -- sign-in -----------------------------------------------------------------------

    @contextmanager
    def _turn(self) -> Iterator[None]:
        """The right to hash a password now (see the module's doc)."""
        if not self._hashing.acquire(timeout=self.policy.hash_wait_s):
            raise AccountError("busy", "too many sign-ins at once: try again")
        try:
            yield
        finally:
            self._hashing.release()

    def _too_many(self, times: Sequence[float], limit: int) -> bool:
        """The newest `limit` failures lie within one window, and the last of them is
        less than `lockout_s` ago."""
        p = self.policy
        if len(times) < limit:
            return False
        recent = times[-limit:]
        return (recent[-1] - recent[0] <= p.failure_window_s
                and self.now() - recent[-1] < p.lockout_s)

    def locked(self, username: str) -> bool:
        since = self.now() - self.policy.keep_s
        times = self.store.failure_times(username[:USERNAME_MAX], since)
        return self._too_many(times, self.policy.max_failures)

    def address_locked(self, remote: str | None) -> bool:
        """Too many wrong passwords from one address, whatever the names tried."""
        if not remote:
            return False
        since = self.now() - self.policy.keep_s
        times = self.store.failure_times_from(remote[:64], since)
        return self._too_many(times, self.policy.max_address_failures)

    def sign_in(self, username: str, password: str, remote: str | None = None) -> SignedIn:
        """Raises AccountError locked_out / bad_credentials (the same for an unknown user
        and a wrong password) / busy."""
        username = username.strip().lower()[:USERNAME_MAX]
        if self.locked(username) or self.address_locked(remote):
            raise AccountError("locked_out", "too many failed sign-ins: wait and try again")
        row = self.store.account(username)
        stored = row.password_hash if row is not None and not row.disabled else None
        role = row.role if row is not None else ""
        with self._turn():
            try:  # the same work for unknown users
                self._hasher.verify(stored or self._dummy, password)
                ok = stored is not None
            except (VerificationError, InvalidHashError):
                ok = False
        if not ok:
            now = self.now()
            self.store.add_failure(username, now, (remote or "")[:64], now - self.policy.keep_s)
            raise AccountError("bad_credentials", "wrong user name or password")
        now = self.now()
        token, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
        self.store.open_session(_digest(token), username, csrf, now,
                                now + self.policy.absolute_s)
        return SignedIn(User(username, role), token, csrf)

    def session(self, token: str | None) -> SignedIn | None:
        """The live session of a cookie token, or None (unknown, idle too long, past its
        end, account gone). Refreshes last_seen at most once a minute."""
        if not token or len(token) > 128:
            return None
        now, key = self.now(), _digest(token)
        row = self.store.session(key)
        if row is None:
            return None
        acc = row.account
        expired = row.expires_at <= now or now - row.last_seen > self.policy.idle_s
        if expired or acc is None or acc.disabled:
            self.store.end_session(key)
            return None
        if now - row.last_seen > TOUCH_S:
            self.store.touch_session(key, now)
        return SignedIn(User(acc.username, acc.role), token, row.csrf)

    def sign_out(self, token: str) -> None:
        self.store.end_session(_digest(token))

    def sessions_count(self, username: str) -> int:
        return self.store.sessions_count(username)
