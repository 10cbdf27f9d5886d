"""Counter operations, events and retained state, against a real server and broker."""

from __future__ import annotations

import pytest

from queue_server.protocol.client import CommandError
from queue_server.protocol.ops import IKM_ELEMENTS


@pytest.fixture
def hall(server, client_factory, mqtt_collector, mosquitto, site):
    kiosk = client_factory("kiosk-01", "kiosk")
    counter = client_factory("counter-01", "counter")
    events = mqtt_collector(mosquitto, f"mpp/v1/{site.site.id}/event/ticket")
    return kiosk, counter, events


def issue(kiosk, service, **args):
    return kiosk.request("ticket.issue", {"service": service, **args})["number"]


def call(counter, counter_id="loket-01"):
    ticket = counter.request("counter.call_next", {"counter": counter_id})["ticket"]
    return ticket["number"] if ticket else None


def test_full_ticket_lifecycle_publishes_events_in_seq(hall, server):
    kiosk, counter, events = hall
    issue(kiosk, "ktp")
    counter.request("counter.open", {"counter": "loket-01"})
    assert call(counter) == "A-001"
    counter.request("counter.recall", {"counter": "loket-01"})
    counter.request("counter.start", {"counter": "loket-01"})
    server.clock.advance(240)
    done = counter.request("counter.complete", {"counter": "loket-01"})["ticket"]
    assert done["status"] == "done"
    got = events.wait_for_count(5)
    assert [e.payload["type"] for e in got] == [
        "ticket.issued", "ticket.called", "ticket.recalled", "ticket.started",
        "ticket.completed"]
    seqs = [e.payload["seq"] for e in got]
    assert seqs == list(range(seqs[0], seqs[0] + 5))
    assert got[1].payload["counter"] == "loket-01"
    # the completed service time feeds the estimate (240 s instead of the default 300 s)
    assert kiosk.wait_state(lambda s: s.get("queue/ktp", {}).get("avg_service_s") == 240)


def test_counter_state_and_calls_are_retained(hall, site):
    kiosk, counter, _ = hall
    issue(kiosk, "kk")
    counter.request("counter.open", {"counter": "loket-01"})
    call(counter)
    assert kiosk.wait_state(lambda s: (s.get("counter/loket-01") or {}).get("ticket")
                            and s.get("calls"))
    state = kiosk.state["counter/loket-01"]
    assert state["status"] == "open" and state["ticket"]["number"] == "B-001"
    calls = kiosk.state["calls"]
    assert calls[0]["number"] == "B-001" and calls[0]["counter_number"] == 1
    assert (calls[0]["counter"], calls[0]["service"], calls[0]["recall_count"]) == (
        "loket-01", "kk", 0)


def test_multi_service_counter_serves_in_its_order(hall):
    kiosk, counter, _ = hall
    issue(kiosk, "kk")
    issue(kiosk, "ktp")
    counter.request("counter.open", {"counter": "loket-01"})  # serves ktp, then kk
    assert [call(counter), call(counter), call(counter)] == ["A-001", "B-001", None]


def test_priority_citizens_first_within_ratio(hall):
    kiosk, counter, _ = hall
    for priority in (None, None, "elderly", "pregnant", "disabled"):
        issue(kiosk, "ktp", priority=priority)
    counter.request("counter.open", {"counter": "loket-01"})
    # ratio 2: two priority citizens, then the oldest regular one, then the third priority
    assert [call(counter) for _ in range(5)] == ["A-003", "A-004", "A-001", "A-005", "A-002"]


def test_transfer_keeps_place_and_number(hall, client_factory):
    kiosk, counter, events = hall
    counter3 = client_factory("counter-03", "counter")
    issue(kiosk, "ktp")            # A-001, the one that will be transferred
    issue(kiosk, "akta")           # C-001, waiting in the target service before the transfer
    counter.request("counter.open", {"counter": "loket-01"})
    assert call(counter) == "A-001"
    moved = counter.request("counter.transfer", {"counter": "loket-01", "service": "akta"})
    assert moved["new_ticket"]["number"] == "A-001"
    assert moved["new_ticket"]["service"] == "akta"
    assert moved["new_ticket"]["issued_at"] == moved["ticket"]["issued_at"]
    issue(kiosk, "akta")           # C-002 arrives after
    counter3.request("counter.open", {"counter": "loket-03"})
    # A-001 was issued before C-001 and keeps that place
    assert [call(counter3, "loket-03") for _ in range(3)] == ["A-001", "C-001", "C-002"]
    transferred = events.wait_for(lambda e: e.payload["type"] == "ticket.transferred")
    assert transferred.payload["to_service"] == "akta"


def test_transfer_to_front(hall, client_factory):
    kiosk, counter, _ = hall
    counter3 = client_factory("counter-03", "counter")
    issue(kiosk, "akta")
    issue(kiosk, "ktp")
    counter.request("counter.open", {"counter": "loket-01"})
    call(counter)
    counter.request("counter.transfer",
                    {"counter": "loket-01", "service": "akta", "front": True})
    counter3.request("counter.open", {"counter": "loket-03"})
    assert call(counter3, "loket-03") == "A-001"


def test_no_show_and_pause_rules(hall, client_factory):
    kiosk, counter, _ = hall
    issue(kiosk, "ktp")
    issue(kiosk, "ktp")
    with pytest.raises(CommandError) as err:
        call(counter)
    assert err.value.code == "counter_closed"
    counter.request("counter.open", {"counter": "loket-01"})
    call(counter)
    with pytest.raises(CommandError) as err:
        counter.request("counter.pause", {"counter": "loket-01", "reason": "prayer"})
    assert err.value.code == "ticket_active"
    gone = counter.request("counter.no_show", {"counter": "loket-01"})["ticket"]
    assert gone["status"] == "no_show"
    paused = counter.request("counter.pause", {"counter": "loket-01", "reason": "prayer"})
    assert (paused["status"], paused["reason"]) == ("paused", "prayer")
    with pytest.raises(CommandError) as err:
        call(counter)
    assert err.value.code == "counter_paused"
    counter.request("counter.open", {"counter": "loket-01"})
    assert call(counter) == "A-002"
    with pytest.raises(CommandError) as err:
        counter.request("counter.no_show", {"counter": "loket-02"})
    assert err.value.code == "forbidden"


def test_call_next_completes_the_current_ticket(hall):
    kiosk, counter, _ = hall
    issue(kiosk, "ktp")
    issue(kiosk, "ktp")
    counter.request("counter.open", {"counter": "loket-01"})
    call(counter)
    result = counter.request("counter.call_next", {"counter": "loket-01"})
    assert result["completed"] == "A-001" and result["ticket"]["number"] == "A-002"


def test_feedback_only_once_for_completed(hall):
    kiosk, counter, _ = hall
    issue(kiosk, "ktp")
    counter.request("counter.open", {"counter": "loket-01"})
    counter.request("counter.call_next", {"counter": "loket-01"})
    ticket = counter.request("counter.complete", {"counter": "loket-01"})["ticket"]["id"]
    scores = dict.fromkeys(IKM_ELEMENTS, 4)
    assert counter.request("feedback.submit", {"ticket": ticket, "scores": scores})["recorded"]
    with pytest.raises(CommandError) as err:
        counter.request("feedback.submit", {"ticket": ticket, "scores": scores})
    assert err.value.code == "already_rated"


def test_appointment_checkin(hall, client_factory):
    kiosk, counter, _ = hall
    boss = client_factory("supervisor-01", "supervisor")
    boss.request("appointment.add", {"code": "APT-1", "service": "kk",
                                     "slot": "2026-11-30T09:10"})
    boss.request("appointment.add", {"code": "APT-OLD", "service": "kk",
                                     "slot": "2026-11-30T07:00"})
    boss.request("appointment.add", {"code": "APT-TMRW", "service": "kk",
                                     "slot": "2026-12-01T09:00"})
    issue(kiosk, "kk")                                   # B-001, a walk-in
    ticket = kiosk.request("appointment.checkin", {"code": "APT-1"})
    assert ticket["number"] == "B-002" and ticket["appointment_slot"].startswith(
        "2026-11-30T09:10")
    for code, expected in [("APT-1", "appointment_used"), ("APT-OLD", "appointment_expired"),
                           ("APT-TMRW", "appointment_too_early"),
                           ("nonsense code", "appointment_unknown"),
                           # a control character never reaches the database (PostgreSQL
                           # refuses NUL): the argument check refuses it
                           ("nonsense \x00 code", "bad_request")]:
        with pytest.raises(CommandError) as err:
            kiosk.request("appointment.checkin", {"code": code})
        assert err.value.code == expected
    # the appointment is due (within 15 min of its slot): it goes before the walk-in
    counter.request("counter.open", {"counter": "loket-01"})
    assert call(counter) == "B-002"


def test_a_ticket_taken_with_voice_guidance_is_marked_for_the_officer(
        hall, server_factory, site, sqlite_url, clock, client_factory, server):
    kiosk, counter, events = hall
    # GIVEN a citizen took a number with the kiosk's voice guidance, as a priority citizen
    issued = kiosk.request("ticket.issue", {"service": "ktp", "priority": "disabled",
                                            "assist": "voice"})
    assert (issued["assist"], issued["priority"]) == ("voice", "disabled")
    plain = kiosk.request("ticket.issue", {"service": "kk"})
    assert "assist" not in plain
    # WHEN the server restarts (the mark is in the database) and the officer calls
    server.stop()
    server_factory(site, sqlite_url, clock)
    counter.request("counter.open", {"counter": "loket-01"})
    called = counter.request("counter.call_next", {"counter": "loket-01"})["ticket"]
    # THEN the call, the event and the counter's retained state all carry the mark
    assert (called["number"], called["assist"]) == (issued["number"], "voice")
    event = events.wait_for(lambda e: e.payload["type"] == "ticket.called")
    assert event.payload["ticket"]["assist"] == "voice"
    # AND a transfer keeps it: the citizen is the same
    moved = counter.request("counter.transfer", {"counter": "loket-01", "service": "akta"})
    assert moved["new_ticket"]["assist"] == "voice"
