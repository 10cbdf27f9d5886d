"""Accounts, sessions and the lock-out on both databases (migration 0002)."""

from __future__ import annotations

import pytest

from queue_server.store.db import make_engine, migrate
from queue_server.web.accounts import AccountError, Accounts, AuthPolicy

PASSWORD = "kata-sandi-panjang"


@pytest.fixture
def accounts(db_url):  # type: ignore[no-untyped-def]
    engine = make_engine(db_url)
    migrate(engine)
    clock = {"now": 1_000_000.0}
    acc = Accounts(engine, AuthPolicy(max_failures=3, failure_window_s=60, lockout_s=120,
                                      idle_s=600, absolute_s=3600),
                   now=lambda: clock["now"])
    acc.clock = clock  # type: ignore[attr-defined]
    yield acc
    engine.dispose()


def test_add_checks_names_roles_and_passwords(accounts):
    accounts.add("ani", PASSWORD, "administrator")
    for name, password, role, code in [("ani", PASSWORD, "supervisor", "exists"),
                                       ("Ani Besar", PASSWORD, "supervisor", "bad_username"),
                                       ("x" * 29, PASSWORD, "supervisor", "bad_username"),
                                       ("budi", PASSWORD, "root", "bad_role"),
                                       ("budi", "pendek", "supervisor", "weak_password")]:
        with pytest.raises(AccountError) as err:
            accounts.add(name, password, role)
        assert err.value.code == code
    assert [(u.username, u.role) for u in accounts.list()] == [("ani", "administrator")]


def test_sessions_expire_idle_and_absolute(accounts):
    accounts.add("sari", PASSWORD, "supervisor")
    signed = accounts.sign_in("SARI ", PASSWORD)  # names are not case-sensitive
    assert accounts.session(signed.token).user.username == "sari"
    assert accounts.session("x" + signed.token) is None
    for _ in range(5):  # used every 9 minutes: never idle for 10
        accounts.clock["now"] += 540
        assert accounts.session(signed.token) is not None
    accounts.clock["now"] += 1000  # past 3600 s since sign-in
    assert accounts.session(signed.token) is None
    again = accounts.sign_in("sari", PASSWORD)
    accounts.clock["now"] += 601
    assert accounts.session(again.token) is None
    assert accounts.sessions_count("sari") == 0  # expired sessions are removed


def test_lock_out_window_and_reset(accounts):
    accounts.add("sari", PASSWORD, "supervisor")
    for _ in range(3):
        with pytest.raises(AccountError) as err:
            accounts.sign_in("sari", "salah-salah-salah")
        assert err.value.code == "bad_credentials"
    with pytest.raises(AccountError) as err:
        accounts.sign_in("sari", PASSWORD)
    assert err.value.code == "locked_out"
    accounts.clock["now"] += 121
    signed = accounts.sign_in("sari", PASSWORD)
    assert signed.user.role == "supervisor"
    # failures spread wider than the window do not lock
    for _ in range(3):
        with pytest.raises(AccountError):
            accounts.sign_in("sari", "salah-salah-salah")
        accounts.clock["now"] += 40
    assert accounts.sign_in("sari", PASSWORD).user.username == "sari"
