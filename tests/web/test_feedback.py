"""The citizen survey at /f/{ticket}: public, one rating per completed ticket, and the
answers reach the IKM report."""

from __future__ import annotations

import json

import pytest

ALL_FOUR = {f"u{i}": "4" for i in range(1, 10)}


@pytest.fixture
def done_ticket(dash, client_factory):
    kiosk = client_factory("kiosk-01", "kiosk")
    desk = client_factory("counter-01", "counter")
    waiting = kiosk.request("ticket.issue", {"service": "kk"})
    served = kiosk.request("ticket.issue", {"service": "ktp"})
    desk.request("counter.open", {"counter": "loket-01"})
    desk.request("counter.call_next", {"counter": "loket-01"})
    desk.request("counter.complete", {"counter": "loket-01"})
    return served["id"], waiting["id"]


def test_a_citizen_rates_a_completed_ticket_once(done_ticket, clients, supervisor):
    served, _waiting = done_ticket
    anon = clients()  # no account, no session
    form = anon.get(f"/f/{served}", params={"lang": "en"})
    assert form.status_code == 200
    assert "How fast was the service?" in form.text and 'name="u9"' in form.text
    assert "mpp_session" not in form.headers.get("set-cookie", "")
    sent = anon.post(f"/f/{served}", data=ALL_FOUR)
    assert sent.status_code == 200 and 'data-state="thanks"' in sent.text
    again = anon.post(f"/f/{served}", data={**ALL_FOUR, "u1": "1"})
    assert again.status_code == 200  # the same command id: the same answer, nothing new
    report = supervisor.get("/api/reports").json()
    ktp = next(r for r in report["levels"]["service"] if r["key"] == "ktp")
    assert ktp["ikm"]["respondents"] == 1 and ktp["ikm"]["converted"] == 100.0
    assert ktp["ikm"]["grade"] == "A"


def test_a_second_rating_from_another_form_is_refused(done_ticket, clients, dash):
    served, _ = done_ticket
    first = json.dumps({"id": "tablet-1", "op": "feedback.submit",
                        "args": {"ticket": served, "scores": {"u1": 3}}}).encode()
    assert json.loads(dash.server.submit("counter-01", "counter", first))["ok"]
    resp = clients().post(f"/f/{served}", data=ALL_FOUR)
    assert resp.status_code == 409 and 'data-state="already"' in resp.text


def test_unknown_unfinished_and_empty_answers_say_so(done_ticket, clients):
    served, waiting = done_ticket
    anon = clients()
    assert anon.get("/f/not-a-ticket").status_code == 404
    assert anon.get(f"/f/{'0' * 32}").status_code == 404
    pending = anon.get(f"/f/{waiting}", params={"lang": "id"})
    assert pending.status_code == 409 and "setelah layanan selesai" in pending.text
    empty = anon.post(f"/f/{served}", data={"u1": "9", "u2": "x"})
    assert empty.status_code == 422 and 'data-state="empty"' in empty.text


def test_a_counter_tablet_offers_the_survey_of_its_last_citizen(dash, clock, client_factory,
                                                                clients):
    tablet = clients()
    idle = tablet.get("/f/counter/loket-01", params={"lang": "en"})
    assert idle.status_code == 200 and 'data-state="idle"' in idle.text
    assert 'http-equiv="refresh"' in idle.text  # it looks again by itself
    kiosk = client_factory("kiosk-01", "kiosk")
    desk = client_factory("counter-01", "counter")
    served = kiosk.request("ticket.issue", {"service": "ktp"})["id"]
    desk.request("counter.open", {"counter": "loket-01"})
    desk.request("counter.call_next", {"counter": "loket-01"})
    desk.request("counter.complete", {"counter": "loket-01"})
    # THEN the tablet at loket-01 (and only there) shows that ticket's survey
    form = tablet.get("/f/counter/loket-01")
    assert 'data-state="form"' in form.text and f'action="/f/{served}?' in form.text
    assert 'data-state="idle"' in tablet.get("/f/counter/loket-02").text
    sent = tablet.post(f"/f/{served}", params={"back": "/f/counter/loket-01"}, data=ALL_FOUR)
    assert 'data-state="thanks"' in sent.text and "url=/f/counter/loket-01" in sent.text
    # a rated ticket is not offered again, and an old one neither
    assert 'data-state="idle"' in tablet.get("/f/counter/loket-01").text
    later = kiosk.request("ticket.issue", {"service": "ktp"})["id"]
    desk.request("counter.call_next", {"counter": "loket-01"})
    desk.request("counter.complete", {"counter": "loket-01"})
    assert later in tablet.get("/f/counter/loket-01").text
    clock.advance(11 * 60)
    assert 'data-state="idle"' in tablet.get("/f/counter/loket-01").text


def test_a_tablet_link_never_leads_outside(done_ticket, clients):
    served, _ = done_ticket
    anon = clients()
    sent = anon.post(f"/f/{served}", params={"back": "http://evil.example/"}, data=ALL_FOUR)
    assert 'data-state="thanks"' in sent.text and "evil.example" not in sent.text
    assert anon.get("/f/counter/no-such-counter").status_code == 404
