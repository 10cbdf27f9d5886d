"""The state validator (protocol/state.py): what the server publishes passes; a forged or
malformed payload is named, whatever its shape. The server's real payloads are checked
end to end in tests/server/test_hostile.py."""

from __future__ import annotations

from typing import Any

import pytest

from queue_server.protocol.state import MAX_CALLS, problem

TICKET = {"id": "7b6d", "number": "A-003", "service": "ktp", "status": "called",
          "priority": None, "issued_at": "2026-11-30T09:00:02.051+08:00",
          "counter": "loket-01", "called_at": None, "recalls": 0}
GOOD: dict[str, Any] = {
    "server": {"status": "online", "site": "s", "name": "MPP", "protocol": "1",
               "version": "0.1.0", "timezone": "Asia/Makassar", "started_at": "t",
               "clock": "t", "clock_offset_s": 0.0, "seq": 3},
    "config": {"site": {"id": "s", "name": "MPP", "timezone": "Asia/Makassar",
                        "feedback_url": ""},
               "agencies": [{"id": "dukcapil", "name": {"id": "D", "en": "D"}, "icon": None}],
               "services": [{"id": "ktp", "agency": "dukcapil", "name": {"id": "K", "en": "K"},
                             "prefix": "A", "hours": {"mon": ["08:00-12:00"], "sun": []},
                             "daily_quota": None, "target_wait_min": 30}],
               "counters": [{"id": "loket-01", "name": "Loket 1", "number": 1,
                             "agency": "dukcapil", "services": ["ktp"]}],
               "zones": []},
    "queue/ktp": {"service": "ktp", "waiting": 2, "priority_waiting": 0, "longest_wait_s": 12,
                  "oldest_at": None, "est_wait_s": 300, "avg_service_s": 300, "open": True,
                  "closed_reason": None, "open_counters": 1, "issued_today": 4, "quota": None,
                  "at": "t", "seq": 3},
    "counter/loket-01": {"counter": "loket-01", "name": "Loket 1", "number": 1,
                         "status": "open", "ticket": TICKET, "since": "t", "reason": None,
                         "officer": None, "services": ["ktp"], "seq": 3},
    "calls": [{"number": "A-003", "counter": "loket-01", "service": "ktp", "at": "t",
               "recall_count": 0, "ticket": "7b6d", "counter_name": "Loket 1",
               "counter_number": 1}],
    "message": {"text": {"id": "Selamat pagi", "en": "Good morning"}, "at": "t",
                "by": "supervisor-01"},
    "event": {"seq": 4, "type": "ticket.called", "ticket": TICKET, "counter": "loket-01",
              "at": "t"},
    "device": {"role": "kiosk", "status": "online",
               "printer": {"state": "ready", "paper": "ok", "model": "x"}},
}


@pytest.mark.parametrize("key", sorted(GOOD))
def test_the_contract_s_payloads_pass(key):
    assert problem(key, GOOD[key]) is None
    assert problem(key, None) is None  # a cleared retained topic


def test_new_optional_fields_pass():
    # the contract grows by new optional fields: a newer server must not be ignored
    assert problem("server", {**GOOD["server"], "tls": True, "extra": [1, {"a": None}]}) is None


BAD = [
    ("calls", 5, "payload: not a list"),
    ("calls", [{"number": "A-1", "counter": "x"}] * (MAX_CALLS + 1), "at most 50"),
    ("calls", ["A-001"], "[0]: not an object"),
    ("calls", [{"number": 7, "counter": "loket-01"}], "[0].number"),
    ("calls", [{"counter": "loket-01"}], "[0].number: missing"),
    ("config", {"services": 7}, "services: not a list"),
    ("config", {"services": [{"id": "x", "name": "plain"}]}, "services[0].name"),
    ("config", {"counters": [{"id": "c", "number": "1"}]}, "counters[0].number"),
    ("config", {"services": [{"id": "x", "hours": {"mon": "08:00-12:00"}}]}, "hours.mon"),
    ("config", {"agencies": [{"id": "a"}] * 1001}, "agencies"),
    ("config", [1, 2], "not an object"),
    ("server", {"status": ["online"]}, "status"),
    ("server", {"site": "s"}, "status: missing"),
    ("server", {"status": "online", "clock_offset_s": float("nan")}, "clock_offset_s"),
    ("server", {"status": "online", "clock_offset_s": True}, "clock_offset_s"),
    ("queue/ktp", {"waiting": "3"}, "waiting"),
    ("queue/ktp", {"waiting": 2.5}, "waiting"),
    ("queue/ktp", {"open": "yes"}, "open"),
    ("counter/loket-01", {"status": "open", "ticket": "A-001"}, "ticket"),
    ("counter/loket-01", {"status": "open", "ticket": {"status": "called"}}, "ticket.number"),
    ("counter/loket-01", {"services": "ktp"}, "services"),
    ("counter/loket-01", {"name": "x" * 1001}, "name"),
    ("message", {"text": 42}, "text"),
    ("message", {"text": "x" * 501}, "text"),
    ("message", "Selamat pagi", "not an object"),
    ("event", {"type": "ticket.called", "ticket": None}, "ticket"),
    ("event", {"type": "ticket.called"}, "ticket: missing"),
    ("device", {"status": "online", "printer": "ok"}, "printer"),
    ("device", 12, "not an object"),
]


@pytest.mark.parametrize(("key", "value", "where"), BAD,
                         ids=[f"{k}-{w}" for k, _v, w in BAD])
def test_a_malformed_payload_is_named(key, value, where):
    found = problem(key, value)
    assert found is not None and where in found, found


def test_deep_nesting_is_a_problem_not_a_crash():
    deep: Any = []
    for _ in range(100_000):
        deep = [deep]
    assert problem("calls", [{"number": "A", "counter": "c", "x": deep}]) is None  # not read
    assert problem("config", {"services": deep}) is not None


def test_kinds_it_does_not_know_pass():
    assert problem("whatever", 42) is None
