"""The dashboard in headless Chromium against a real server and broker: sign-in, live
updates while tickets are issued and called over MQTT, actions, alerts, an export."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, expect, sync_playwright
from sqlalchemy import select
from sqlalchemy.orm import Session

from queue_server.protocol.client import CommandError
from queue_server.protocol.errors import ErrorCode
from queue_server.store.models import Event
from tests.web.browser import launch, sign_in_page
from tests.web.conftest import ADMIN, PASSWORD, SUPERVISOR

WAIT_MS = 10_000


@pytest.fixture(scope="module")
def chromium() -> Iterator[object]:
    with sync_playwright() as pw:
        browser = launch(pw)
        yield browser
        browser.close()


@pytest.fixture
def page(chromium, dash) -> Iterator[Page]:  # type: ignore[no-untyped-def]
    context = chromium.new_context(viewport={"width": 1400, "height": 1000},
                                   accept_downloads=True)
    page = context.new_page()
    yield page
    context.close()


def test_sign_in_then_live_updates_from_mqtt(dash, page, client_factory):
    page.goto(dash.url + "/")
    assert "/login" in page.url  # no page without signing in
    page.fill("#username", SUPERVISOR)
    page.fill("#password", "salah-sekali")
    page.click("#sign-in")
    expect(page.locator("#login-error")).to_contain_text("salah", timeout=WAIT_MS)
    sign_in_page(page, dash.url, SUPERVISOR, PASSWORD)
    expect(page.locator("#conn")).to_have_class("conn on", timeout=WAIT_MS)

    kiosk = client_factory("kiosk-01", "kiosk")
    waiting = page.locator('#services tr[data-service="ktp"] td.waiting')
    expect(waiting).to_have_text("0", timeout=WAIT_MS)
    for _ in range(3):
        kiosk.request("ticket.issue", {"service": "ktp"})
    expect(waiting).to_have_text("3", timeout=WAIT_MS)

    counter = client_factory("counter-01", "counter")
    counter.request("counter.open", {"counter": "loket-01"})
    row = page.locator('#counters tr[data-counter="loket-01"]')
    expect(row.locator("td.state")).to_have_text("Buka", timeout=WAIT_MS)
    counter.request("counter.call_next", {"counter": "loket-01"})
    expect(row.locator("td.ticket")).to_contain_text("A-001", timeout=WAIT_MS)
    expect(waiting).to_have_text("2", timeout=WAIT_MS)


def test_actions_from_the_dashboard_go_through_the_engine(dash, page, client_factory):
    sign_in_page(page, dash.url, SUPERVISOR, PASSWORD)
    kiosk = client_factory("kiosk-02", "kiosk")
    kiosk.request("ticket.issue", {"service": "ktp"})

    # close a service: the kiosk is refused, the row says who closed it
    page.click("#svc-kk-close")
    state = page.locator('#services tr[data-service="kk"] td.state')
    expect(state).to_have_text("Ditutup supervisor", timeout=WAIT_MS)
    with pytest.raises(CommandError) as refused:
        kiosk.request("ticket.issue", {"service": "kk"})
    assert refused.value.code == ErrorCode.SERVICE_CLOSED
    page.click("#svc-kk-open")
    expect(state).to_have_text("Buka", timeout=WAIT_MS)

    # change a quota
    page.fill("#quota-pindah", "2")
    page.click("#quota-pindah-set")
    expect(page.locator('#services tr[data-service="pindah"] td.issued')).to_have_text(
        "0 / 2", timeout=WAIT_MS)

    # move a ticket to the front of another queue
    page.fill("#move-ticket", "A-001")
    page.select_option("#move-service", "akta")
    page.check("#move-front")
    page.click("#move-submit")
    expect(page.locator('#services tr[data-service="akta"] td.waiting')).to_have_text(
        "1", timeout=WAIT_MS)
    # an error comes back in the user's language
    page.fill("#move-ticket", "A-999")
    page.click("#move-submit")
    expect(page.locator("#toast")).to_have_text("Tiket tidak ditemukan hari ini.",
                                                timeout=WAIT_MS)

    # broadcast a running text
    page.fill("#message-text", "Loket 3 istirahat salat")
    page.click("#message-submit")
    expect(page.locator("#message-current")).to_have_text("Loket 3 istirahat salat",
                                                          timeout=WAIT_MS)

    # pause and close a counter opened by its console
    counter = client_factory("counter-03", "counter")
    counter.request("counter.open", {"counter": "loket-03"})
    row = page.locator('#counters tr[data-counter="loket-03"]')
    expect(row.locator("td.state")).to_have_text("Buka", timeout=WAIT_MS)
    page.select_option("#reason-loket-03", "prayer")
    page.click("#ctr-loket-03-pause")
    expect(row.locator("td.state")).to_have_text("Jeda · salat", timeout=WAIT_MS)
    page.click("#ctr-loket-03-close")
    expect(row.locator("td.state")).to_have_text("Tutup", timeout=WAIT_MS)

    with Session(dash.server.db) as s:
        audited = s.scalars(select(Event.type).where(Event.device == f"web:{SUPERVISOR}")
                            ).all()
    assert len(audited) >= 6, audited


def test_alerts_sound_and_acknowledgement(dash, page, mqtt_client_factory, mosquitto, site):
    sign_in_page(page, dash.url, SUPERVISOR, PASSWORD)
    page.click("#sound-toggle")  # a click lets the page play sound
    beeps_before = int(page.evaluate("document.body.dataset.beeps || '0'"))
    kiosk, display = (mqtt_client_factory(mosquitto, user=d) for d in ("kiosk-04",
                                                                        "display-01"))
    root = f"mpp/v1/{site.site.id}"
    kiosk.publish(f"{root}/device/kiosk-04", json.dumps(
        {"role": "kiosk", "status": "online",
         "printer": {"state": "paper_near_end", "paper": "near_end"}}), qos=1, retain=True)
    display.publish(f"{root}/device/display-01", json.dumps(
        {"role": "display", "status": "offline"}), qos=1, retain=True)
    paper = page.locator('#alerts li[data-key="paper:kiosk-04:near_end"]')
    offline = page.locator('#alerts li[data-key="offline:display-01"]')
    expect(paper).to_contain_text("hampir habis", timeout=WAIT_MS)
    expect(offline).to_contain_text("display-01", timeout=WAIT_MS)
    page.wait_for_function(f"Number(document.body.dataset.beeps || 0) > {beeps_before}",
                           timeout=WAIT_MS)
    expect(page.locator('#devices tr[data-device="kiosk-04"] td.printer')).to_have_text(
        "Hampir habis", timeout=WAIT_MS)
    paper.locator("button.ack").click()
    expect(paper).to_contain_text(f"ditangani oleh {SUPERVISOR}", timeout=WAIT_MS)
    expect(page.locator("#alert-count")).to_have_text("1", timeout=WAIT_MS)
    for pub, device in ((kiosk, "kiosk-04"), (display, "display-01")):  # the broker is
        # shared: leave no retained state
        pub.publish(f"{root}/device/{device}", b"", qos=1, retain=True).wait_for_publish(5)


def test_export_and_language_switch(dash, page, client_factory):
    sign_in_page(page, dash.url, SUPERVISOR, PASSWORD)
    client_factory("kiosk-05", "kiosk").request("ticket.issue", {"service": "kk"})
    expect(page.locator('#services tr[data-service="kk"] td.waiting')).to_have_text(
        "1", timeout=WAIT_MS)
    page.click('a[data-lang="en"]')
    expect(page.locator("#h-services")).to_have_text("Services today", timeout=WAIT_MS)
    expect(page.locator('#services tr[data-service="kk"] td.state')).to_have_text(
        "Open", timeout=WAIT_MS)
    with page.expect_download() as info:
        page.click("#export")
    path = info.value.path()
    with open(path, encoding="utf-8") as f:
        rows = list(csv.reader(io.StringIO(f.read())))
    assert rows[0][:3] == ["Agency", "Service", "Waiting"]
    kk = next(r for r in rows if r[1] == "Service kk")
    assert kk[2] == "1"


def test_accounts_panel_only_for_administrators(dash, page, chromium):
    sign_in_page(page, dash.url, ADMIN, PASSWORD)
    expect(page.locator(f'#accounts tr[data-account="{SUPERVISOR}"]')).to_be_visible(
        timeout=WAIT_MS)
    page.fill("#account-name", "dewi")
    page.fill("#account-password", "sandi-dewi-panjang")
    page.click("#account-add")
    expect(page.locator('#accounts tr[data-account="dewi"]')).to_contain_text(
        "supervisor", timeout=WAIT_MS)
    other = chromium.new_context()
    try:
        sup = other.new_page()
        sign_in_page(sup, dash.url, "dewi", "sandi-dewi-panjang")
        assert sup.locator("#accounts-panel").count() == 0
        assert ADMIN not in re.findall(r"[a-z]+", sup.content())  # no other account named
    finally:
        other.close()
