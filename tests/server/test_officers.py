"""Officer sign-in at a counter device, the lock-out, and the officer's figures."""

from __future__ import annotations

import pytest

from queue_server import pins
from queue_server.protocol.client import CommandError
from tests.support.site import small_site, small_site_data


def test_pin_hash_round_trip():
    stored = pins.hash_pin("482913")
    assert pins.check_pin("482913", stored) and not pins.check_pin("482914", stored)
    assert not pins.check_pin("482913", "plain-text")
    with pytest.raises(ValueError):
        pins.hash_pin("12a4")


def test_sign_in_open_and_figures(server, client_factory):
    kiosk = client_factory("kiosk-01", "kiosk")
    console = client_factory("counter-01", "counter")
    signed = console.request("officer.signin", {"officer": "petugas-01", "pin": "1234"})
    assert signed["officer"]["name"] == "Andi" and signed["counters"] == ["loket-01"]
    opened = console.request("counter.open", {"counter": "loket-01"})
    assert opened["officer"] == "petugas-01"  # from the session, not typed again
    kiosk.request("ticket.issue", {"service": "ktp"})
    kiosk.request("ticket.issue", {"service": "ktp"})
    console.request("counter.call_next", {"counter": "loket-01"})
    server.clock.advance(120)
    console.request("counter.complete", {"counter": "loket-01"})
    console.request("counter.call_next", {"counter": "loket-01"})
    console.request("counter.no_show", {"counter": "loket-01"})
    stats = console.request("officer.stats")
    assert (stats["called"], stats["served"], stats["no_show"], stats["avg_service_s"]) == (
        2, 1, 1, 120)
    console.request("officer.signout")
    with pytest.raises(CommandError) as err:
        console.request("officer.stats")
    assert err.value.code == "not_signed_in"


def test_wrong_pin_then_lock_out(server, client_factory):
    console = client_factory("counter-01", "counter")
    for _ in range(4):
        with pytest.raises(CommandError) as err:
            console.request("officer.signin", {"officer": "petugas-01", "pin": "0000"})
        assert err.value.code == "bad_credentials"
    with pytest.raises(CommandError) as err:  # an unknown officer gets the same answer
        console.request("officer.signin", {"officer": "nobody", "pin": "1234"})
    assert err.value.code == "bad_credentials"
    with pytest.raises(CommandError) as err:  # the fifth wrong PIN locks the code
        console.request("officer.signin", {"officer": "petugas-01", "pin": "0000"})
    assert err.value.code == "bad_credentials"  # still a wrong PIN: the lock comes after it
    with pytest.raises(CommandError) as err:  # even the right PIN, while locked
        console.request("officer.signin", {"officer": "petugas-01", "pin": "1234"})
    assert err.value.code == "locked_out" and "try again in 301 s" in err.value.message
    assert err.value.fields == {"retry_after_s": 301}  # the figure as a field of error
    server.clock.advance(200)
    with pytest.raises(CommandError) as err:
        console.request("officer.signin", {"officer": "petugas-01", "pin": "1234"})
    assert err.value.fields == {"retry_after_s": 101}
    server.clock.advance(101)
    assert console.request("officer.signin", {"officer": "petugas-01", "pin": "1234"})


def test_officer_typed_at_open_must_be_signed_in(server, client_factory):
    console = client_factory("counter-01", "counter")
    with pytest.raises(CommandError) as err:
        console.request("counter.open", {"counter": "loket-01", "officer": "petugas-02"})
    assert err.value.code == "not_signed_in"


def test_required_sign_in_and_session_survives_restart(server_factory, unique_site,
                                                       sqlite_url, clock, client_factory):
    data = small_site_data(unique_site)
    data["policy"]["require_signin"] = True
    cfg = small_site(unique_site).model_validate({**data, "source": "test"})
    server = server_factory(cfg, sqlite_url, clock)
    console = client_factory("counter-01", "counter")
    with pytest.raises(CommandError) as err:
        console.request("counter.open", {"counter": "loket-01"})
    assert err.value.code == "not_signed_in"
    console.request("officer.signin", {"officer": "petugas-02", "pin": "1234"})
    assert console.request("counter.open", {"counter": "loket-01"})["officer"] == "petugas-02"
    # WHEN the server restarts, the officer stays signed in on that device
    server.stop()
    server_factory(cfg, sqlite_url, clock)
    assert console.request("counter.pause", {"counter": "loket-01"})["status"] == "paused"
