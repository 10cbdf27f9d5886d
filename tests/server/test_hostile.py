"""Hostile input never hurts anyone else, over a real broker, on SQLite and PostgreSQL:
each test has honest devices at work while another device misbehaves, and asserts that
their commands went through untouched."""

from __future__ import annotations

import json
import logging
from typing import Any

import pytest

from queue_server.config import SiteConfig
from queue_server.protocol.client import CommandError, QueueClient
from queue_server.protocol.messages import MAX_PAYLOAD, dumps
from queue_server.protocol.state import problem
from tests.support.hall import server_options
from tests.support.site import small_site, small_site_data


def site_with(site_id: str, **policy: Any) -> SiteConfig:
    data = small_site_data(site_id)
    data["policy"].update(policy)
    return small_site(site_id).model_validate({**data, "source": "test"})


def _raw(client: QueueClient, device: str, payload: bytes, retain: bool = False) -> None:
    client.link.publish(client.topics.cmd(device), payload, retain=retain)


def _refused(client: QueueClient, op: str, args: dict[str, Any] | None = None,
             **kwargs: Any) -> CommandError:
    with pytest.raises(CommandError) as err:
        client.request(op, args, **kwargs)
    return err.value


# -- one bad command fails only itself ----------------------------------------------------


def test_hostile_commands_among_honest_ones_fail_alone(server_factory, site, db_url, clock,
                                                      client_factory, mqtt_collector,
                                                      mosquitto):
    server_factory(site, db_url, clock)
    replies = mqtt_collector(mosquitto, f"mpp/v1/{site.site.id}/reply/+")
    honest = [client_factory(f"kiosk-0{i}", "kiosk") for i in (1, 2, 3)]
    villain = client_factory("kiosk-04", "kiosk", follow_state=False)
    # GIVEN honest kiosks issuing while another one sends, in the same instant, values no
    # column can hold, an oversized payload and garbage
    pending = [c.send("ticket.issue", {"service": "ktp"}) for c in honest]
    for payload in (dumps({"id": "nul\x00", "op": "ticket.issue", "args": {"service": "ktp"}}),
                    dumps({"id": "v2", "op": "appointment.checkin", "args": {"code": "A\x00"}}),
                    dumps({"id": "v3", "op": "ticket.issue",
                           "args": {"service": "ktp", "x": "y" * 20_000}}),
                    b'{"id": "v4", "op": "ticket.issue", "args": {"service": ' + b"[" * 9000,
                    b"\xff\xfe not json"):
        _raw(villain, "kiosk-04", payload)
    pending += [c.send("ticket.issue", {"service": "kk"}) for c in honest]
    # THEN every honest command got its ticket, numbered without a gap
    for _cmd_id, slot in pending:
        assert slot.done.wait(10)
    numbers = sorted(slot.reply["result"]["number"] for _id, slot in pending)
    assert numbers == ["A-001", "A-002", "A-003", "B-001", "B-002", "B-003"]
    # AND each hostile one got its own refusal
    refusals = [(r.payload["re"], r.payload["error"]) for r in replies.wait_for_count(
        5, lambda r: r.topic.endswith("/kiosk-04"), timeout=10)]
    got = dict(refusals)
    assert got["v2"]["code"] == "bad_request"
    assert got["v3"] == {"code": "too_large", "message": got["v3"]["message"],
                         "max_bytes": MAX_PAYLOAD}
    assert got["v4"]["code"] == "too_large"  # refused before any parse
    assert sorted(e["code"] for re, e in refusals if re is None) == ["bad_json", "bad_request"]


# -- oversized, retained, logged ------------------------------------------------------------


def test_a_retained_command_is_never_executed(server_factory, site, sqlite_url, clock,
                                              client_factory, caplog):
    caplog.set_level(logging.WARNING, logger="mpp.server")
    # GIVEN a command left retained on a kiosk's cmd topic before the server subscribed
    # (the broker would hand it to the server again at every resubscription)
    forger = client_factory("kiosk-01", "kiosk", follow_state=False)
    stale = dumps({"id": "retained-1", "op": "ticket.issue", "args": {"service": "ktp"}})
    forger.link.publish(forger.topics.cmd("kiosk-01"), stale, retain=True).wait_for_publish(5)
    try:
        server = server_factory(site, sqlite_url, clock)
        kiosk = client_factory("kiosk-02", "kiosk")
        # THEN an honest command after it gets the first number: the retained one did nothing
        assert kiosk.request("ticket.issue", {"service": "ktp"})["number"] == "A-001"
        assert ("kiosk-01", "retained-1") not in server.engine.hall.processed
        assert any("retained command on cmd/kiosk-01" in r.getMessage() for r in caplog.records)
    finally:
        forger.link.publish(forger.topics.cmd("kiosk-01"), b"", retain=True).wait_for_publish(5)


def test_log_lines_cannot_be_forged(server, client_factory, caplog):
    caplog.set_level(logging.INFO, logger="mpp")
    villain = client_factory("kiosk-01", "kiosk", follow_state=False)
    for payload in (dumps({"id": "f1", "op": "ping\nINFO mpp.engine ticket.issued A-999"}),
                    dumps({"id": "f2", "op": "ping", "args": {"x\r\nWARNING forged": 1}}),
                    dumps({"id": "f3", "op": "ticket.issue", "args": {"service": "a\u2028b"}})):
        _raw(villain, "kiosk-01", payload)
    kiosk = client_factory("kiosk-02", "kiosk")
    assert kiosk.request("ticket.issue", {"service": "ktp"})["number"] == "A-001"
    refused = [r.getMessage() for r in caplog.records if r.getMessage().startswith("refused")]
    assert len(refused) == 3
    assert not any(ch in line for line in refused for ch in "\n\r\u2028")
    assert any("ping\\x0aINFO" in line for line in refused)


# -- per-device rate limit -----------------------------------------------------------------


def test_a_kiosk_issuing_too_fast_is_refused_and_others_are_not(
        server_factory, unique_site, sqlite_url, clock, client_factory):
    cfg = site_with(unique_site, issue_burst=3, issue_per_min=6)
    server = server_factory(cfg, sqlite_url, clock)
    child, other = client_factory("kiosk-01", "kiosk"), client_factory("kiosk-02", "kiosk")
    # GIVEN a kiosk that used its burst
    for _ in range(3):
        child.request("ticket.issue", {"service": "ktp"})
    # WHEN it asks again at once
    err = _refused(child, "ticket.issue", {"service": "ktp"}, cmd_id="again")
    # THEN it is refused with the seconds to wait as a field
    assert err.code == "rate_limited" and err.fields == {"retry_after_s": 10}
    assert _refused(child, "appointment.checkin", {"code": "X-1"}).code == "rate_limited"
    # AND another kiosk is untouched
    assert other.request("ticket.issue", {"service": "ktp"})["number"] == "A-004"
    # AND the refusal was not remembered: the same id, resent after the wait, is served
    server.clock.advance(10)
    assert child.request("ticket.issue", {"service": "ktp"}, cmd_id="again")["number"] == "A-005"
    assert _refused(child, "ticket.issue", {"service": "ktp"}).code == "rate_limited"


def test_a_rate_limited_device_raises_a_dashboard_alert(server_factory, unique_site,
                                                        sqlite_url, clock, client_factory,
                                                        mosquitto):
    from queue_server.server import QueueServer
    from queue_server.web.i18n import translate

    cfg = site_with(unique_site, issue_burst=1, issue_per_min=1)
    server = QueueServer(cfg, server_options(mosquitto, sqlite_url, http_port=0,
                                             http_host="127.0.0.1", advertise=False), clock)
    server.start(wait_connected=10)
    try:
        assert server.web is not None
        kiosk = client_factory("kiosk-03", "kiosk")
        kiosk.request("ticket.issue", {"service": "ktp"})
        for _ in range(3):
            _refused(kiosk, "ticket.issue", {"service": "ktp"})
        alerts = [a for a in server.web.live.snapshot()["alerts"] if a["kind"] == "rate_limited"]
        assert alerts == [{"key": "limited:kiosk-03", "kind": "rate_limited",
                           "subject": "kiosk-03", "value": 3, "acked_by": None}]
        for lang in ("id", "en"):
            assert "kiosk-03" in translate(lang, "alert.rate_limited", subject="kiosk-03",
                                           value=3)
        server.clock.advance(601)  # ten quiet minutes: the condition is over
        assert not [a for a in server.web.live.snapshot()["alerts"]
                    if a["kind"] == "rate_limited"]
    finally:
        server.stop()


# -- bounded memory of command replies -------------------------------------------------------


def test_a_flood_of_new_command_ids_is_remembered_within_bounds(server_factory, unique_site,
                                                                db_url, clock, client_factory,
                                                                mqtt_collector, mosquitto):
    cfg = site_with(unique_site, replies_kept_per_device=50, replies_kept=120)
    server = server_factory(cfg, db_url, clock)
    kiosk = client_factory("kiosk-01", "kiosk")
    first = kiosk.request("ticket.issue", {"service": "ktp"}, cmd_id="mine")
    # WHEN two counters flood the server with 1000 new command ids each (remembered
    # refusals: nobody is at a closed counter)
    replies = mqtt_collector(mosquitto, f"mpp/v1/{unique_site}/reply/+")
    flooders = [client_factory(f"counter-0{i}", "counter", follow_state=False) for i in (1, 2)]
    for n in range(1000):
        for i, flooder in enumerate(flooders, start=1):
            flooder.send("counter.recall", {"counter": f"loket-0{i}"}, cmd_id=f"f{n}")
    replies.wait_for_count(2000, lambda r: "/counter-0" in r.topic, timeout=60)
    # THEN each device keeps its newest 50 replies, the kiosk's reply is kept too
    hall = server.engine.hall
    assert {d: len(ids) for d, ids in hall.processed_by_device.items()} == {
        "kiosk-01": 1, "counter-01": 50, "counter-02": 50}
    assert len(hall.processed) == 101
    again = kiosk.request("ticket.issue", {"service": "ktp"}, cmd_id="mine")
    assert again == first
    # AND after a restart (the database held every row) the same bounds hold
    server.stop()
    server = server_factory(cfg, db_url, clock)
    assert len(server.engine.hall.processed) == 101
    assert kiosk.request("ticket.issue", {"service": "ktp"}, cmd_id="mine") == first
    # AND housekeeping cuts the table down to the overall cap
    server.request_tick()
    from sqlalchemy import text
    deadline_rows = 0
    for _ in range(100):
        with server.db.connect() as conn:
            deadline_rows = conn.execute(text("SELECT count(*) FROM processed")).scalar_one()
        if deadline_rows <= 120:
            break
        kiosk.request("ping")
    assert deadline_rows <= 120


# -- officer PIN lock-out ------------------------------------------------------------------


def _wrong(console: QueueClient, officer: str = "petugas-01") -> CommandError:
    return _refused(console, "officer.signin", {"officer": officer, "pin": "0000"})


def test_wrong_pins_at_one_counter_lock_that_counter_only(server, client_factory):
    villain, desk = client_factory("counter-02", "counter"), client_factory("counter-01",
                                                                             "counter")
    # GIVEN someone at counter-02 typing wrong PINs for the officer of counter-01
    for _ in range(5):
        assert _wrong(villain).code == "bad_credentials"
    err = _refused(villain, "officer.signin", {"officer": "petugas-01", "pin": "1234"})
    assert err.code == "locked_out" and err.fields == {"retry_after_s": 301}
    # THEN the officer still signs in at their own desk
    assert desk.request("officer.signin", {"officer": "petugas-01", "pin": "1234"})


def test_each_lock_in_a_row_lasts_longer_and_survives_a_restart(server_factory, site, db_url,
                                                                clock, client_factory):
    server = server_factory(site, db_url, clock)
    console = client_factory("counter-01", "counter")
    for _ in range(5):
        _wrong(console)
    server.clock.advance(301)
    for _ in range(5):  # the second lock in a row: twice as long
        _wrong(console)
    assert _wrong(console).fields == {"retry_after_s": 601}
    # WHEN the server restarts
    server.stop()
    server = server_factory(site, db_url, clock)
    # THEN the lock is still there, its time running on
    server.clock.advance(100)
    assert _wrong(console).fields == {"retry_after_s": 501}
    # AND a good PIN after it starts over
    server.clock.advance(501)
    assert console.request("officer.signin", {"officer": "petugas-01", "pin": "1234"})
    assert ("counter-01", "petugas-01") not in server.engine.hall.pin_failures
    for _ in range(4):
        assert _wrong(console).code == "bad_credentials"


def test_random_officer_codes_cannot_grow_the_lock_out_records(server, client_factory):
    from queue_server.domain.lockout import UNKNOWN_KEPT

    villain = client_factory("counter-02", "counter", follow_state=False)
    for i in range(UNKNOWN_KEPT + 40):
        assert _wrong(villain, f"nobody-{i}").code == "bad_credentials"
    keys = [k for k in server.engine.hall.pin_failures if k[0] == "counter-02"]
    assert len(keys) == UNKNOWN_KEPT


# -- what the server publishes passes the state check --------------------------------------


def test_every_payload_the_server_publishes_passes_the_state_check(
        server, client_factory, mqtt_collector, mosquitto, site):
    root = f"mpp/v1/{site.site.id}"
    seen = mqtt_collector(mosquitto, f"{root}/#")
    kiosk, counter = client_factory("kiosk-01", "kiosk"), client_factory("counter-01", "counter")
    boss = client_factory("supervisor-01", "supervisor")
    kiosk.request("ticket.issue", {"service": "ktp", "priority": "elderly"})
    kiosk.request("ticket.issue", {"service": "kk"})
    boss.request("appointment.add", {"code": "APT-1", "service": "ktp",
                                     "slot": "2026-11-30T09:10"})
    kiosk.request("appointment.checkin", {"code": "APT-1"})
    boss.request("message.broadcast", {"text": "Selamat pagi", "text_en": "Good morning"})
    counter.request("counter.open", {"counter": "loket-01"})
    counter.request("counter.call_next", {"counter": "loket-01"})
    counter.request("counter.recall", {"counter": "loket-01"})
    counter.request("counter.transfer", {"counter": "loket-01", "service": "kk"})
    counter.request("counter.pause", {"counter": "loket-01", "reason": "prayer"})
    kinds = {"state": None, "event": "event", "device": "device"}
    checked = set()
    assert seen.wait_for(lambda r: r.topic.endswith("/state/counter/loket-01")
                         and (r.payload or {}).get("status") == "paused")
    for item in seen.snapshot():
        parts = item.topic[len(root) + 1:].split("/")
        kind = kinds.get(parts[0], "skip")
        if kind == "skip":
            continue
        key = "/".join(parts[1:]) if kind is None else kind
        value = item.payload if not isinstance(item.payload, bytes) else json.loads(item.raw)
        assert problem(key, value) is None, (item.topic, problem(key, value))
        checked.add(key.split("/")[0])
    assert checked >= {"server", "config", "queue", "counter", "calls", "message", "event",
                       "device"}
