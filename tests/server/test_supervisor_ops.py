"""Supervisor actions that the dashboard uses: moving a waiting ticket, and commands
submitted in-process (QueueServer.submit) going through the same engine and audit log."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import text

from queue_server.protocol.client import CommandError


def _cmd(op: str, args: dict, cmd_id: str = "c1") -> bytes:
    return json.dumps({"id": cmd_id, "op": op, "args": args}).encode()


def test_move_keeps_the_number_and_the_place(server, clock, client_factory):
    kiosk = client_factory("kiosk-01", "kiosk")
    boss = client_factory("supervisor-01", "supervisor")
    desk = client_factory("counter-02", "counter")  # loket-02 serves KK only
    # GIVEN a KTP ticket, then two KK tickets taken after it
    first = kiosk.request("ticket.issue", {"service": "ktp"})
    kk = []
    for _ in range(2):
        clock.advance(60)
        kk.append(kiosk.request("ticket.issue", {"service": "kk"})["number"])
    clock.advance(60)
    # WHEN the supervisor moves the first KTP ticket (by its number) to KK
    moved = boss.request("ticket.move", {"ticket": first["number"], "service": "kk"})
    # THEN it keeps its paper number and, issued first, is ahead of both KK tickets
    assert moved["new_ticket"]["number"] == first["number"]
    assert moved["new_ticket"]["service"] == "kk" and moved["ahead"] == 0
    assert moved["ticket"]["status"] == "transferred"
    assert kiosk.wait_state(lambda s: s.get("queue/kk", {}).get("waiting") == 3
                            and s.get("queue/ktp", {}).get("waiting") == 0)
    # AND a KK counter calls it before the two KK tickets, which keep their own order
    desk.request("counter.open", {"counter": "loket-02"})
    called = [(desk.request("counter.call_next", {"counter": "loket-02"})["ticket"] or {})
              .get("number") for _ in range(3)]
    assert called == [first["number"], *kk]


def test_move_refuses_what_it_cannot_move(server, client_factory):
    kiosk = client_factory("kiosk-01", "kiosk")
    boss = client_factory("supervisor-01", "supervisor")
    counter = client_factory("counter-01", "counter")
    issued = kiosk.request("ticket.issue", {"service": "ktp"})
    for args, code in [({"ticket": "Z-999", "service": "kk"}, "unknown_ticket"),
                       ({"ticket": issued["id"], "service": "ktp"}, "bad_request"),
                       ({"ticket": issued["id"], "service": "nope"}, "unknown_service")]:
        with pytest.raises(CommandError) as err:
            boss.request("ticket.move", args)
        assert err.value.code == code
    # a called ticket belongs to its counter (which transfers it), not to the supervisor
    counter.request("counter.open", {"counter": "loket-01"})
    counter.request("counter.call_next", {"counter": "loket-01"})
    with pytest.raises(CommandError) as err:
        boss.request("ticket.move", {"ticket": issued["id"], "service": "kk"})
    assert err.value.code == "invalid_transition"
    # and a kiosk may not move tickets at all
    with pytest.raises(CommandError) as err:
        kiosk.request("ticket.move", {"ticket": issued["id"], "service": "kk"})
    assert err.value.code == "forbidden"


def test_submit_runs_through_the_engine_with_the_user_in_the_audit_log(server, client_factory):
    kiosk = client_factory("kiosk-01", "kiosk")  # waits for the server to be connected
    raw = server.submit("web:ani", "supervisor", _cmd("service.close", {"service": "ktp"}))
    reply = json.loads(raw)
    assert reply["ok"] and reply["re"] == "c1"
    with pytest.raises(CommandError) as err:
        kiosk.request("ticket.issue", {"service": "ktp"})
    assert err.value.code == "service_closed"
    # a repeated id changes nothing and answers the same
    assert server.submit("web:ani", "supervisor",
                         _cmd("service.close", {"service": "ktp"})) == raw
    with server.db.connect() as conn:
        rows = conn.execute(text("SELECT device, type FROM events WHERE kind = 'service'")).all()
    assert [tuple(r) for r in rows] == [("web:ani", "service.changed")]


def test_submit_checks_the_role_it_is_given(server, client_factory):
    client_factory("kiosk-01", "kiosk")
    reply = json.loads(server.submit("web:budi", "kiosk",
                                     _cmd("service.close", {"service": "ktp"})))
    assert not reply["ok"] and reply["error"]["code"] == "forbidden"
    reply = json.loads(server.submit("web:budi", "supervisor", b"{not json"))
    assert not reply["ok"] and reply["error"]["code"] == "bad_json"
