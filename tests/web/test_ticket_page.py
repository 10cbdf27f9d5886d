"""A ticket's own page (/t/{key}, the `url` of the ticket.issue reply): public, opened only
by the key that reply carries; it shows the ticket, then the survey (all nine answers, one
rating per ticket). The ticket id heard on event/ticket, and any guessed key, open
nothing."""

from __future__ import annotations

import re
import secrets

import pytest

from queue_server.domain.ikm import ELEMENTS

ALL_FOUR = dict.fromkeys(ELEMENTS, "4")


def serve_next(desk) -> None:
    desk.request("counter.call_next", {"counter": "loket-01"})
    desk.request("counter.complete", {"counter": "loket-01"})


@pytest.fixture
def desk(client_factory):
    desk = client_factory("counter-01", "counter")
    desk.request("counter.open", {"counter": "loket-01"})
    return desk


@pytest.fixture
def kiosk(client_factory):
    return client_factory("kiosk-01", "kiosk")


def path_of(reply: dict, dash) -> str:
    assert reply["url"].startswith(dash.url + "/t/"), reply["url"]
    return reply["url"].removeprefix(dash.url)


def test_the_key_from_the_reply_opens_the_page_and_rates_once(dash, kiosk, desk, clients,
                                                             supervisor):
    reply = kiosk.request("ticket.issue", {"service": "ktp"})
    page = path_of(reply, dash)
    anon = clients()  # a citizen's phone: no account, no session
    # WHILE the citizen waits, the page shows the ticket and looks again by itself
    waiting = anon.get(page, params={"lang": "en"})
    assert waiting.status_code == 200 and 'data-state="ticket"' in waiting.text
    assert reply["number"] in waiting.text and "Waiting to be called" in waiting.text
    assert 'http-equiv="refresh"' in waiting.text and 'name="u1"' not in waiting.text
    assert waiting.headers["referrer-policy"] == "no-referrer"
    assert "mpp_session" not in waiting.headers.get("set-cookie", "")
    # ONCE served, the survey: all nine questions
    serve_next(desk)
    form = anon.get(page, params={"lang": "en"})
    assert 'data-state="form"' in form.text and "Service completed" in form.text
    assert "How fast was the service?" in form.text and 'name="u9"' in form.text
    sent = anon.post(page, data=ALL_FOUR)
    assert sent.status_code == 200 and 'data-state="thanks"' in sent.text
    again = anon.post(page, data={**ALL_FOUR, "u1": "1"})
    assert again.status_code == 200  # the same command id: the same answer, nothing new
    assert 'data-state="already"' in anon.get(page).text
    report = supervisor.get("/api/reports").json()
    ktp = next(r for r in report["levels"]["service"] if r["key"] == "ktp")
    assert ktp["ikm"]["respondents"] == 1 and ktp["ikm"]["converted"] == 100.0


def test_the_ticket_id_heard_on_the_topics_opens_nothing(dash, site, mosquitto,
                                                         mqtt_collector, kiosk, desk,
                                                         clients):
    # GIVEN someone listening to everything the hall publishes
    heard = mqtt_collector(mosquitto, f"mpp/v1/{site.site.id}/#")
    reply = kiosk.request("ticket.issue", {"service": "ktp"})
    serve_next(desk)
    event = heard.wait_for(lambda m: m.topic.endswith("/event/ticket")
                           and m.payload["type"] == "ticket.completed")
    ticket_id = event.payload["ticket"]["id"]
    key = reply["url"].rsplit("/", 1)[1]
    # THEN the key is on no topic but the kiosk's own reply
    assert ticket_id == reply["id"] and ticket_id not in reply["url"]
    assert [m.topic for m in heard.snapshot() if key.encode() in m.raw] == [
        f"mpp/v1/{site.site.id}/reply/kiosk-01"]
    # AND the ticket id opens nothing, on the new address or the old survey's
    anon = clients()
    for path in (f"/t/{ticket_id}", f"/f/{ticket_id}"):
        assert anon.get(path).status_code == 404
        refused = anon.post(path, data=ALL_FOUR)
        assert refused.status_code == 404 and 'data-state="unknown"' in refused.text
    assert 'data-state="form"' in anon.get(f"/t/{key}").text  # not yet rated by anyone


def test_a_guessed_key_opens_nothing(dash, kiosk, clients):
    kiosk.request("ticket.issue", {"service": "ktp"})
    anon = clients()
    guessed = secrets.token_urlsafe(16)  # the right shape, 128 random bits
    for key in (guessed, "x", "A" * 22, guessed + "A", "%00" * 22):
        resp = anon.get(f"/t/{key}", params={"lang": "id"})
        assert resp.status_code == 404, key
    assert "Tiket tidak dikenal" in anon.get(f"/t/{guessed}", params={"lang": "id"}).text
    assert anon.post(f"/t/{guessed}", data=ALL_FOUR).status_code == 404


def test_eight_answers_are_refused(dash, kiosk, desk, clients, supervisor):
    page = path_of(kiosk.request("ticket.issue", {"service": "ktp"}), dash)
    serve_next(desk)
    anon = clients()
    eight = dict.fromkeys(ELEMENTS[:-1], "3")
    for answers in (eight, {**eight, "u9": "5"}, {**eight, "u9": ""}, {}):
        resp = anon.post(page, data=answers, params={"lang": "en"})
        assert resp.status_code == 422 and 'data-state="incomplete"' in resp.text
        assert "Please answer all nine questions." in resp.text
    # the answers given stay chosen, and nothing was recorded
    assert re.search(r'name="u8" value="3" required checked', resp.text) is None
    kept = anon.post(page, data=eight)
    assert re.search(r'name="u8" value="3" required checked', kept.text)
    report = supervisor.get("/api/reports").json()
    ktp = next(r for r in report["levels"]["service"] if r["key"] == "ktp")
    assert ktp["ikm"] is None  # no respondent
    assert 'data-state="thanks"' in anon.post(page, data={**eight, "u9": "2"}).text
