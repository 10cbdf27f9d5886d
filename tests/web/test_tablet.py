"""A counter's survey tablet (/f/counter/{counter}): only the device a supervisor paired
with that counter opens it; it offers the survey of that counter's last citizen, shows no
page key, and rates nothing of another counter."""

from __future__ import annotations

import re

import httpx

from queue_server.domain.ikm import ELEMENTS
from tests.web.conftest import sign_in

ALL_FOUR = dict.fromkeys(ELEMENTS, "4")


def pair(client: httpx.Client, counter: str) -> httpx.Response:
    """A supervisor signs in on `client` and pairs it with `counter`."""
    assert sign_in(client).status_code == 303
    form = client.get(f"/f/counter/{counter}/pair")
    assert form.status_code == 200 and 'data-state="pair"' in form.text
    token = re.search(r'name="csrf_token" value="([^"]+)"', form.text)
    assert token
    return client.post(f"/f/counter/{counter}/pair", data={"csrf_token": token.group(1)})


def test_only_the_paired_tablet_opens_its_counter(dash, clients):
    stranger, tablet = clients(), clients()
    # an unpaired device sees how to pair it, and nothing of the counter's citizens
    refused = stranger.get("/f/counter/loket-01", params={"lang": "en"})
    assert refused.status_code == 403 and 'data-state="unpaired"' in refused.text
    assert "not paired with Loket 1" in refused.text
    assert stranger.post("/f/counter/loket-01", data=ALL_FOUR).status_code == 403
    # pairing needs a signed-in supervisor (and CSRF)
    assert stranger.get("/f/counter/loket-01/pair").status_code == 303
    assert stranger.post("/f/counter/loket-01/pair").status_code == 303
    # WHEN a supervisor pairs the tablet with loket-01
    paired = pair(tablet, "loket-01")
    assert paired.status_code == 303 and paired.headers["location"] == "/f/counter/loket-01"
    cookie = [c for c in paired.headers.get_list("set-cookie") if c.startswith("mpp_tablet=")]
    assert cookie and "Path=/f/counter/loket-01" in cookie[0] and "HttpOnly" in cookie[0]
    assert "secure" not in cookie[0].lower()  # plain HTTP here (test_https.py: Secure)
    # THEN the supervisor's session on the tablet is over, the tablet opens loket-01 only
    assert tablet.get("/api/me").status_code == 401
    assert 'data-state="idle"' in tablet.get("/f/counter/loket-01").text
    assert tablet.get("/f/counter/loket-02").status_code == 403
    # even with the cookie sent for loket-02 by hand: it is bound to its counter
    token = tablet.cookies.get("mpp_tablet", path="/f/counter/loket-01")
    forged = clients()
    forged.cookies.set("mpp_tablet", token, path="/f/counter/loket-02")
    assert forged.get("/f/counter/loket-02").status_code == 403
    assert forged.get("/f/counter/no-such-counter").status_code == 404


def test_a_new_pairing_revokes_the_tablet_before(dash, clients):
    old, new = clients(), clients()
    pair(old, "loket-01")
    assert old.get("/f/counter/loket-01").status_code == 200
    pair(new, "loket-01")
    assert old.get("/f/counter/loket-01").status_code == 403
    assert new.get("/f/counter/loket-01").status_code == 200


def test_the_tablet_rates_its_counters_last_citizen_and_shows_no_key(dash, clock, clients,
                                                                    client_factory):
    tablet = clients()
    pair(tablet, "loket-01")
    kiosk = client_factory("kiosk-01", "kiosk")
    desk = client_factory("counter-01", "counter")
    other = client_factory("counter-02", "counter")
    served = kiosk.request("ticket.issue", {"service": "ktp"})
    elsewhere = kiosk.request("ticket.issue", {"service": "kk"})
    desk.request("counter.open", {"counter": "loket-01"})
    other.request("counter.open", {"counter": "loket-02"})
    desk.request("counter.call_next", {"counter": "loket-01"})
    desk.request("counter.complete", {"counter": "loket-01"})
    other.request("counter.call_next", {"counter": "loket-02"})
    other.request("counter.complete", {"counter": "loket-02"})
    # THEN the tablet at loket-01 offers that ticket's survey, without its page key
    form = tablet.get("/f/counter/loket-01", params={"lang": "en"})
    assert 'data-state="form"' in form.text and served["number"] in form.text
    key = served["url"].rsplit("/", 1)[1]
    assert key not in form.text and 'action="/f/counter/loket-01"' in form.text
    # it cannot rate loket-02's citizen, nor with eight answers
    stolen = tablet.post("/f/counter/loket-01", data={**ALL_FOUR, "ticket": elsewhere["id"]})
    assert stolen.status_code == 404
    eight = dict.fromkeys(ELEMENTS[:-1], "4")
    short = tablet.post("/f/counter/loket-01", data={**eight, "ticket": served["id"]})
    assert short.status_code == 422 and 'data-state="incomplete"' in short.text
    sent = tablet.post("/f/counter/loket-01", data={**ALL_FOUR, "ticket": served["id"]})
    assert 'data-state="thanks"' in sent.text and "url=/f/counter/loket-01" in sent.text
    # a rated ticket is not offered again, and an old one neither
    assert 'data-state="idle"' in tablet.get("/f/counter/loket-01").text
    later = kiosk.request("ticket.issue", {"service": "ktp"})
    desk.request("counter.call_next", {"counter": "loket-01"})
    desk.request("counter.complete", {"counter": "loket-01"})
    assert later["number"] in tablet.get("/f/counter/loket-01").text
    clock.advance(11 * 60)
    assert 'data-state="idle"' in tablet.get("/f/counter/loket-01").text
