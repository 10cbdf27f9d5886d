"""Dashboard sign-in under attack: password hashing is bounded whatever the crowd, an
address that keeps guessing is locked next to each account, and failure records do not
pile up. Others keep signing in all along."""

from __future__ import annotations

import threading

import httpx
import pytest
from sqlalchemy import func, select

from bench.memory import peak_rss_mib, reset_peak, rss_mib
from queue_server.store.accounts import SigninFailure
from queue_server.store.db import make_engine, migrate
from queue_server.web.accounts import AccountError, Accounts, AuthPolicy
from tests.web.conftest import PASSWORD, SUPERVISOR, login_token

# These tests hash passwords flat out (argon2id, 64 MiB each): one at a time on one xdist
# worker, so that another of them never takes the cores the 40 sign-ins at once need within
# their 30 s wait for a turn (tests/support/parallel.py).
pytestmark = pytest.mark.xdist_group("tests/web/test_signin_limits.py")

GOOD = "kata-sandi-panjang"


@pytest.fixture
def accounts(db_url):  # type: ignore[no-untyped-def]
    engine = make_engine(db_url)
    migrate(engine)
    clock = {"now": 1_000_000.0}
    acc = Accounts(engine, AuthPolicy(max_failures=3, failure_window_s=60, lockout_s=120,
                                      max_address_failures=5),
                   now=lambda: clock["now"])
    acc.clock = clock  # type: ignore[attr-defined]
    yield acc
    engine.dispose()


def _fails(accounts: Accounts, username: str, remote: str) -> str:
    with pytest.raises(AccountError) as err:
        accounts.sign_in(username, "salah-salah-salah", remote)
    return err.value.code


def test_an_address_guessing_many_names_is_locked_and_others_are_not(accounts):
    accounts.add("sari", GOOD, "supervisor")
    # GIVEN an address trying a different name each time (no account reaches its limit)
    assert [_fails(accounts, f"user-{i}", "127.0.0.66") for i in range(5)] == [
        "bad_credentials"] * 5
    # THEN that address is locked, even for a real account with the right password
    with pytest.raises(AccountError) as err:
        accounts.sign_in("sari", GOOD, "127.0.0.66")
    assert err.value.code == "locked_out"
    # AND the supervisor signs in from her own desk
    assert accounts.sign_in("sari", GOOD, "127.0.0.7").user.username == "sari"
    # AND the lock ends after lockout_s
    accounts.clock["now"] += 121
    assert accounts.sign_in("sari", GOOD, "127.0.0.66").user.username == "sari"


def test_the_account_limit_still_holds_across_addresses(accounts):
    accounts.add("sari", GOOD, "supervisor")
    for i in range(3):
        _fails(accounts, "sari", f"127.0.0.{i}")
    assert _fails(accounts, "sari", "127.0.0.9") == "locked_out"


def test_failure_records_past_every_window_are_pruned(accounts):
    for i in range(50):
        _fails(accounts, f"nobody-{i}", f"127.1.0.{i}")
    accounts.clock["now"] += accounts.policy.keep_s + 1
    _fails(accounts, "late", "127.2.0.1")  # the next failure prunes the old ones
    with accounts.store.db.connect() as conn:
        assert conn.execute(select(func.count()).select_from(SigninFailure)).scalar_one() == 1


def test_forty_sign_ins_at_once_cost_a_bounded_memory(dash):
    # GIVEN 40 browsers, each with its sign-in form open
    # (40 hashes two at a time take seconds on a busy machine: no client timeout at 10 s)
    clients = [httpx.Client(base_url=dash.url, timeout=90.0) for _ in range(40)]
    try:
        tokens = [login_token(c) for c in clients]
        statuses: list[int] = []
        start = threading.Barrier(len(clients))

        def sign_in(client: httpx.Client, token: str) -> None:
            start.wait()
            resp = client.post("/login", data={"username": SUPERVISOR, "password": PASSWORD,
                                               "csrf_token": token, "next": "/"})
            statuses.append(resp.status_code)

        threads = [threading.Thread(target=sign_in, args=pair)
                   for pair in zip(clients, tokens, strict=True)]
        before = rss_mib()
        reset_peak()
        # WHEN they all sign in at the same instant (argon2id: 64 MiB per hash)
        for t in threads:
            t.start()
        for t in threads:
            t.join(120)
        peak = peak_rss_mib() - before
        print(f"40 parallel dashboard sign-ins: peak RSS +{peak:.0f} MiB over {before:.0f} MiB")
        # THEN every one of them got in
        assert statuses == [303] * 40
        # AND the peak stayed far below 40 hashes' worth (2.5 GiB): two at a time
        assert peak < 400, f"peak RSS grew by {peak:.0f} MiB"
    finally:
        for c in clients:
            c.close()
