"""The key of a ticket's own page (DESIGN.md: ticket.issue's `url`): made for each ticket,
carried only by the reply, kept only as a digest, shared by a transferred copy; and an IKM
answer has all nine elements."""

from __future__ import annotations

import hashlib
import json
import re

from sqlalchemy import text

from queue_server.config import parse_site
from queue_server.domain.ikm import ELEMENTS
from queue_server.engine import Engine
from queue_server.engine.core import Inbound
from queue_server.protocol.messages import dumps
from queue_server.store.hall_store import HallStore
from tests.support.engine import Sink, run
from tests.support.site import small_site_data

BASE = "http://127.20.0.2:8080"


def _engine(db, clock, base: str = BASE) -> tuple[Engine, Sink]:
    data = small_site_data("t-pages")
    data["site"]["public_url"] = base
    cfg = parse_site(data)
    sink = Sink()
    engine = Engine(cfg, HallStore(cfg, db), clock, sink)
    engine.open()
    return engine, sink


def _key(url: str) -> str:
    found = re.fullmatch(re.escape(BASE) + r"/t/([A-Za-z0-9_-]{22})", url)
    assert found, url
    return found.group(1)


def test_the_reply_alone_carries_the_key(db, clock) -> None:
    eng, sink = _engine(db, clock)
    # WHEN a walk-in ticket and an appointment ticket are issued
    walkin = run(eng, sink, "kiosk-01", "ticket.issue", service="ktp")["result"]
    run(eng, sink, "supervisor-01", "appointment.add", code="JT-0042", service="kk",
        slot="2026-11-30T09:10")
    booked = run(eng, sink, "kiosk-02", "appointment.checkin", code="JT-0042")["result"]
    keys = [_key(walkin["url"]), _key(booked["url"])]
    # THEN each has its own key (128 random bits, URL-safe), in no event or state topic
    assert keys[0] != keys[1]
    published = [(t, p) for t, p, _r in sink.sent if "/reply/" not in t]
    assert published and not [t for t, p in published for k in keys if k.encode() in p]
    # AND the database holds its digest, never the key, outside the remembered replies
    with db.connect() as conn:
        rows = conn.execute(text("SELECT id, key_digest FROM tickets")).all()
        events = conn.execute(text("SELECT payload FROM events")).scalars().all()
    digests = {row.id: row.key_digest for row in rows}
    assert digests[walkin["id"]] == hashlib.sha256(keys[0].encode()).hexdigest()
    assert not [r for r in rows for k in keys if k in repr(r)]
    assert not [e for e in events for k in keys if k in e]


def test_a_repeated_command_gets_the_same_url_and_a_transfer_keeps_the_key(db, clock) -> None:
    eng, sink = _engine(db, clock)
    first = run(eng, sink, "kiosk-01", "ticket.issue", service="ktp")
    eng.process([Inbound("kiosk-01", dumps({"id": first["re"], "op": "ticket.issue",
                                            "args": {"service": "ktp"}}))])
    again = json.loads(sink.sent[-1][1])
    assert again["result"]["url"] == first["result"]["url"]
    # WHEN the citizen is transferred at the counter
    run(eng, sink, "counter-01", "counter.open", counter="loket-01")
    run(eng, sink, "counter-01", "counter.call_next", counter="loket-01")
    moved = run(eng, sink, "counter-01", "counter.transfer", counter="loket-01",
                service="kk")["result"]
    # THEN the copy shares the paper's key (its digest), and no reply but the kiosk's has it
    with db.connect() as conn:
        digests = dict(conn.execute(text("SELECT id, key_digest FROM tickets")).all())
    assert digests[moved["new_ticket"]["id"]] == digests[first["result"]["id"]]
    assert "url" not in moved["new_ticket"]


def test_no_public_address_and_no_http_means_no_url(db, clock) -> None:
    eng, sink = _engine(db, clock, base="")
    assert run(eng, sink, "kiosk-01", "ticket.issue", service="ktp")["result"]["url"] == ""


def test_an_ikm_answer_has_all_nine_elements(db, clock) -> None:
    eng, sink = _engine(db, clock)
    ticket = run(eng, sink, "kiosk-01", "ticket.issue", service="ktp")["result"]["id"]
    run(eng, sink, "counter-01", "counter.open", counter="loket-01")
    run(eng, sink, "counter-01", "counter.call_next", counter="loket-01")
    run(eng, sink, "counter-01", "counter.complete", counter="loket-01")
    eight = dict.fromkeys(ELEMENTS[:-1], 4)
    refused = run(eng, sink, "counter-01", "feedback.submit", ticket=ticket, scores=eight)
    assert refused["error"]["code"] == "bad_request" and "u9" in refused["error"]["message"]
    assert run(eng, sink, "counter-01", "feedback.submit", ticket=ticket,
               scores={**eight, "u9": 1})["result"]["recorded"]
