"""Ticket issuing over MQTT against a real server, broker and SQLite file."""

from __future__ import annotations

import json
from collections import defaultdict

import pytest
from sqlalchemy import create_engine, text

from queue_server.protocol.client import CommandError
from queue_server.protocol.messages import dumps
from tests.support.site import local_ts

SERVICES = ("ktp", "kk", "akta")


def test_issue_returns_ticket_fields(server, client_factory):
    kiosk = client_factory("kiosk-01", "kiosk")
    # WHEN two citizens take a ticket for the same service
    first = kiosk.request("ticket.issue", {"service": "ktp", "lang": "id"})
    second = kiosk.request("ticket.issue", {"service": "ktp"})
    # THEN numbers count up, and the second has one person ahead
    assert (first["number"], second["number"]) == ("A-001", "A-002")
    assert first["service"] == "ktp" and first["issued_at"].startswith("2026-11-30T09:00")
    assert (first["ahead"], second["ahead"]) == (0, 1)
    assert second["est_wait_s"] == 300  # one ahead x 5 min, one counter assumed
    assert first["counters"] == ["loket-01", "loket-03"]


def test_concurrent_kiosks_never_duplicate(server, client_factory, sqlite_url):
    # GIVEN 8 kiosks each firing 250 ticket.issue at once over 3 services
    kiosks = [client_factory(f"kiosk-{i:02d}", "kiosk", follow_state=False)
              for i in range(1, 9)]
    pending = []
    for n in range(250):
        for k, kiosk in enumerate(kiosks):
            service = SERVICES[(n + k) % 3]
            pending.append((service, kiosk.send("ticket.issue", {"service": service})[1]))
    # THEN all 2000 are acknowledged
    numbers = defaultdict(list)
    for service, slot in pending:
        assert slot.done.wait(30), "a ticket.issue got no reply"
        assert slot.reply["ok"], slot.reply
        numbers[service].append(int(slot.reply["result"]["number"].split("-")[1]))
    assert sum(len(v) for v in numbers.values()) == 2000
    # AND numbers are contiguous and unique per service, on the wire and in the database
    for service, got in numbers.items():
        assert sorted(got) == list(range(1, len(got) + 1)), service
    db = create_engine(sqlite_url)
    with db.connect() as conn:
        rows = conn.execute(text("SELECT service, number FROM tickets")).all()
    db.dispose()
    assert len(rows) == 2000 and len(set(rows)) == 2000


def test_repeated_command_id_returns_identical_reply(server, client_factory, mqtt_collector,
                                                     mosquitto, site):
    kiosk = client_factory("kiosk-01", "kiosk")
    replies = mqtt_collector(mosquitto, f"mpp/v1/{site.site.id}/reply/kiosk-02")
    payload = dumps({"id": "same-id-1", "op": "ticket.issue", "args": {"service": "kk"}})
    topic = f"mpp/v1/{site.site.id}/cmd/kiosk-02"
    # WHEN the same command is published three times
    other = client_factory("kiosk-02", "kiosk", follow_state=False)
    for _ in range(3):
        other.link.publish(topic, payload)
    got = replies.wait_for_count(3)
    # THEN the three replies are byte-identical and only one ticket exists
    raws = {item.raw for item in got}
    assert len(raws) == 1
    assert json.loads(raws.pop())["result"]["number"] == "B-001"
    nxt = kiosk.request("ticket.issue", {"service": "kk"})
    assert nxt["number"] == "B-002"


def test_error_replies_are_idempotent_too(server, client_factory):
    kiosk = client_factory("kiosk-01", "kiosk")
    # an office-hours service at 07:00 is closed; the retry gets the same answer
    server.clock.set(local_ts("2026-11-30T07:00"))
    for _ in range(2):
        with pytest.raises(CommandError) as err:
            kiosk.request("ticket.issue", {"service": "izin"}, cmd_id="early-1")
        assert err.value.code == "service_closed"
    server.clock.set(local_ts("2026-11-30T09:00"))
    with pytest.raises(CommandError) as err:
        kiosk.request("ticket.issue", {"service": "izin"}, cmd_id="early-1")
    assert err.value.code == "service_closed"  # same id, same answer, even now it is open
    assert kiosk.request("ticket.issue", {"service": "izin"})["number"] == "D-001"


@pytest.mark.parametrize(("when", "service", "code"), [
    ("2026-11-30T07:59", "izin", "service_closed"),   # before opening
    ("2026-11-30T12:30", "izin", "service_closed"),   # lunch break
    ("2026-12-04T12:00", "izin", "service_closed"),   # Friday prayer break
    ("2026-12-06T10:00", "izin", "service_closed"),   # Sunday
    ("2026-12-04T13:30", "izin", None),               # Friday afternoon opens again
])
def test_opening_hours(server, client_factory, when, service, code):
    kiosk = client_factory("kiosk-01", "kiosk")
    server.clock.set(local_ts(when))
    if code is None:
        assert kiosk.request("ticket.issue", {"service": service})["number"] == "D-001"
        return
    with pytest.raises(CommandError) as err:
        kiosk.request("ticket.issue", {"service": service})
    assert err.value.code == code


def test_quota_and_supervisor_actions(server, client_factory):
    kiosk = client_factory("kiosk-01", "kiosk")
    boss = client_factory("supervisor-01", "supervisor")
    for n in range(1, 6):
        assert kiosk.request("ticket.issue", {"service": "pindah"})["number"] == f"E-00{n}"
    with pytest.raises(CommandError) as err:
        kiosk.request("ticket.issue", {"service": "pindah"})
    assert err.value.code == "quota_full"
    assert err.value.fields == {"quota": 5}  # the figure as a field of error
    assert kiosk.wait_state(lambda s: s.get("queue/pindah", {}).get("closed_reason") == "quota")
    # the supervisor raises the quota: tickets flow again, numbering continues
    boss.request("service.set_quota", {"service": "pindah", "quota": 6})
    assert kiosk.request("ticket.issue", {"service": "pindah"})["number"] == "E-006"
    # the supervisor closes a service for the day
    boss.request("service.close", {"service": "ktp"})
    with pytest.raises(CommandError) as err:
        kiosk.request("ticket.issue", {"service": "ktp"})
    assert err.value.code == "service_closed"
    assert kiosk.wait_state(lambda s: s.get("queue/ktp", {}).get("closed_reason") == "supervisor")
    boss.request("service.open", {"service": "ktp"})
    assert kiosk.request("ticket.issue", {"service": "ktp"})["number"] == "A-001"


def test_local_midnight_restarts_numbering(server, client_factory):
    kiosk = client_factory("kiosk-01", "kiosk")
    server.clock.set(local_ts("2026-11-30T23:58"))
    assert kiosk.request("ticket.issue", {"service": "ktp"})["number"] == "A-001"
    assert kiosk.request("ticket.issue", {"service": "ktp"})["number"] == "A-002"
    # 16:00 UTC is midnight in Asia/Makassar (UTC+8)
    server.clock.set(local_ts("2026-12-01T00:00") + 1)
    fresh = kiosk.request("ticket.issue", {"service": "ktp"})
    assert fresh["number"] == "A-001" and fresh["issued_at"].startswith("2026-12-01T00:00:01")
    # and the day rollover retires yesterday's waiting tickets
    server.request_tick()
    assert kiosk.wait_state(lambda s: s.get("queue/ktp", {}).get("waiting") == 1)
