"""The kiosk over a real server and broker, offscreen, driven by mouse clicks on the QML
items: the whole flow to a printed ticket, closed services, server errors, printer
faults, idle timeouts and the language switch."""

from __future__ import annotations

import pytest

from drivers.printer import PrinterSimulator
from kiosk.kiosk import Kiosk
from queue_server.protocol.ops import PRIORITY_KINDS
from queue_server.server import QueueServer
from tests.support.qml import shown, text

WAIT_MS = 10000


def ready(qtbot, kiosk: Kiosk) -> None:
    qtbot.waitUntil(lambda: kiosk.model.hasConfig and kiosk.bridge.online, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: kiosk.model.printerState != "unknown", timeout=WAIT_MS)


def open_for_a_tap(qtbot, kiosk: Kiosk, service: str) -> None:
    """Wait, as a citizen does, until the service's button shows it open: it is greyed
    out until the service's queue state has come (config and queues are separate retained
    messages), and a tap on it then does nothing."""
    qtbot.waitUntil(lambda: shown(kiosk, f"service-{service}")
                    and kiosk.item(f"service-{service}").property("open"), timeout=WAIT_MS)


def to_priority(qtbot, kiosk: Kiosk, service: str) -> None:
    """Welcome -> (the small site has one agency: straight to its services) -> priority."""
    ready(qtbot, kiosk)
    kiosk.click("startButton")
    qtbot.waitUntil(lambda: kiosk.model.screen == "services", timeout=WAIT_MS)
    open_for_a_tap(qtbot, kiosk, service)
    kiosk.click(f"service-{service}")
    qtbot.waitUntil(lambda: kiosk.model.screen == "priority", timeout=WAIT_MS)


def take_a_number(qtbot, kiosk: Kiosk, service: str) -> str:
    """From the services screen: the service, no priority, then its number on screen.
    Returns the service name the priority screen showed."""
    open_for_a_tap(qtbot, kiosk, service)
    kiosk.click(f"service-{service}")
    qtbot.waitUntil(lambda: kiosk.model.screen == "priority", timeout=WAIT_MS)
    chosen = text(kiosk, "chosenService")
    kiosk.click("priority-none")
    qtbot.waitUntil(lambda: kiosk.model.screen == "result", timeout=WAIT_MS)
    return chosen


def test_whole_flow_prints_the_number_and_its_qr(qtbot, server: QueueServer, kiosk_factory,
                                                 simulator: PrinterSimulator):
    kiosk = kiosk_factory()
    ready(qtbot, kiosk)
    assert text(kiosk, "mallName") == "MPP Uji"
    assert not shown(kiosk, "printerWarning") and not shown(kiosk, "offlineBanner")
    # WHEN the citizen takes a number for KTP, as an elderly citizen
    to_priority(qtbot, kiosk, "ktp")
    assert text(kiosk, "chosenService") == "Layanan ktp"
    # (one button per priority kind of the op catalogue, besides the regular queue)
    assert all(shown(kiosk, f"priority-{kind}") for kind in ("none", *PRIORITY_KINDS))
    kiosk.click("priority-elderly")
    # THEN the number shows with its counters, and the printer got it with the QR
    qtbot.waitUntil(lambda: kiosk.model.screen == "result", timeout=WAIT_MS)
    number = text(kiosk, "ticketNumber")
    assert number == "A-001"
    assert text(kiosk, "ticketCounters") == "Loket 1, Loket 3"
    assert text(kiosk, "ticketAhead") == "0"
    assert kiosk.model.ticket["priority"] == "elderly"
    assert shown(kiosk, "takeTicket") and not shown(kiosk, "printProblem")
    assert len(simulator.tickets) == 1
    printed = simulator.tickets[0]
    assert number.encode() in printed.data
    assert printed.qr_payloads == [kiosk.model.ticket["id"]]
    assert kiosk.model.ticket["id"].encode() in printed.data
    assert printed.png_path is not None and printed.png_path.exists()
    # WHEN the citizen touches Done THEN back to the welcome screen
    kiosk.click("doneButton")
    qtbot.waitUntil(lambda: kiosk.model.screen == "welcome", timeout=WAIT_MS)


def test_services_show_waiting_and_closed_services_cannot_be_chosen(
        qtbot, server, kiosk_factory, client_factory, simulator):
    supervisor = client_factory("supervisor-01", "supervisor", follow_state=False)
    other = client_factory("kiosk-02", "kiosk", follow_state=False)
    for _ in range(3):
        other.request("ticket.issue", {"service": "kk"})
    supervisor.request("service.close", {"service": "akta"})
    for _ in range(5):  # pindah's daily quota is 5
        other.request("ticket.issue", {"service": "pindah"})
    kiosk = kiosk_factory()
    ready(qtbot, kiosk)
    kiosk.click("startButton")
    qtbot.waitUntil(lambda: shown(kiosk, "service-akta"), timeout=WAIT_MS)
    qtbot.waitUntil(lambda: text(kiosk, "serviceStatus-kk").startswith("3 menunggu"),
                    timeout=WAIT_MS)
    assert text(kiosk, "serviceStatus-akta") == "Ditutup sementara"
    assert text(kiosk, "serviceStatus-pindah") == "Kuota hari ini habis"
    # WHEN the citizen touches the closed service and the full one THEN nothing happens
    kiosk.click("service-akta")
    kiosk.click("service-pindah")
    assert kiosk.model.screen == "services"
    assert not kiosk.model.chooseService("akta")
    # AND a ticket taken next is the open service's, and the only one printed: touches are
    # handled in order, and so are the kiosk's transactions (request, then print, one at a
    # time on its worker), so once KTP's number shows, whatever the touches before it
    # started has been answered and printed
    assert take_a_number(qtbot, kiosk, "ktp") == "Layanan ktp"
    assert text(kiosk, "ticketNumber") == "A-001"
    assert [b"A-001" in t.data for t in simulator.tickets] == [True]


@pytest.mark.parametrize(("code", "primary", "secondary"), [
    ("quota_full", "Kuota layanan ini hari ini sudah habis",
     "Today's quota for this service is full"),
    ("service_closed", "Layanan ini sedang tutup", "This service is closed right now"),
])
def test_server_refusal_shows_a_bilingual_message(qtbot, server, kiosk_factory, client_factory,
                                                   simulator, code, primary, secondary):
    other = client_factory("kiosk-02", "kiosk", follow_state=False)
    supervisor = client_factory("supervisor-01", "supervisor", follow_state=False)
    for _ in range(4):
        other.request("ticket.issue", {"service": "pindah"})
    kiosk = kiosk_factory()
    to_priority(qtbot, kiosk, "pindah")
    # GIVEN the service closes or fills up while the citizen reads the priority screen
    if code == "quota_full":
        other.request("ticket.issue", {"service": "pindah"})
    else:
        supervisor.request("service.close", {"service": "pindah"})
    kiosk.click("priority-none")
    qtbot.waitUntil(lambda: kiosk.model.screen == "error", timeout=WAIT_MS)
    assert kiosk.model.error == code
    assert text(kiosk, "errorText") == primary
    assert text(kiosk, "errorTextAlt") == secondary
    assert simulator.tickets == []
    kiosk.click("backButton")
    qtbot.waitUntil(lambda: kiosk.model.screen == "services", timeout=WAIT_MS)


def test_paper_out_warns_first_and_the_number_stays_on_screen(
        qtbot, server, kiosk_factory, simulator, mqtt_collector, mosquitto, site):
    presence = mqtt_collector(mosquitto, f"mpp/v1/{site.site.id}/device/kiosk-01")
    simulator.faults.paper_out = True
    kiosk = kiosk_factory()
    ready(qtbot, kiosk)
    # THEN the welcome screen says so before anyone chooses
    qtbot.waitUntil(lambda: shown(kiosk, "printerWarning"), timeout=WAIT_MS)
    assert kiosk.model.printerState == "paper_out"
    # AND the kiosk's presence carries the printer status
    qtbot.waitUntil(lambda: any((p.get("printer") or {}).get("state") == "paper_out"
                                and p.get("status") == "online" and p.get("role") == "kiosk"
                                for p in presence.payloads() if isinstance(p, dict)),
                    timeout=WAIT_MS)
    # WHEN a citizen takes a number anyway THEN it is issued and shown large with its QR
    to_priority(qtbot, kiosk, "kk")
    kiosk.click("priority-none")
    qtbot.waitUntil(lambda: kiosk.model.screen == "result", timeout=WAIT_MS)
    assert text(kiosk, "ticketNumber") == "B-001"
    assert shown(kiosk, "printProblem") and shown(kiosk, "ticketQr")
    assert kiosk.model.printError == "paper_out"
    assert kiosk.item("ticketQr").property("source").toString().startswith("data:image/png")
    qtbot.waitUntil(lambda: kiosk.item("ticketQr").property("paintedWidth") > 200,
                    timeout=WAIT_MS)  # decoded and drawn
    assert simulator.tickets == []


def test_printer_failing_mid_print_still_shows_the_number(qtbot, server, kiosk_factory,
                                                          simulator):
    kiosk = kiosk_factory()
    to_priority(qtbot, kiosk, "ktp")
    simulator.faults.fail_after_bytes = 20  # unplugged while printing
    kiosk.click("priority-none")
    qtbot.waitUntil(lambda: kiosk.model.screen == "result", timeout=WAIT_MS)
    assert text(kiosk, "ticketNumber") == "A-001"
    assert kiosk.model.printError == "printer_offline"
    assert shown(kiosk, "printProblem")


def test_server_unreachable_timeout_message(qtbot, server, kiosk_factory):
    kiosk = kiosk_factory()
    to_priority(qtbot, kiosk, "ktp")
    server.stop()  # the broker stays: the request goes unanswered
    qtbot.waitUntil(lambda: shown(kiosk, "offlineBanner"), timeout=WAIT_MS)
    kiosk.click("priority-none")
    qtbot.waitUntil(lambda: kiosk.model.screen == "error", timeout=WAIT_MS)
    assert kiosk.model.error == "timeout"
    assert text(kiosk, "errorText") == "Server tidak terjangkau, silakan coba lagi"


def test_a_ticket_without_an_answer_is_not_issued_twice(
        qtbot, server_factory, site, sqlite_url, clock, kiosk_factory, simulator):
    server = server_factory(site, sqlite_url, clock)
    kiosk = kiosk_factory()
    kiosk.model.request_timeout_s = 1.5  # 6 s in the hall
    to_priority(qtbot, kiosk, "ktp")
    # GIVEN the server is away when the citizen touches: no answer
    server.stop()
    kiosk.click("priority-none")
    qtbot.waitUntil(lambda: kiosk.model.error == "timeout", timeout=WAIT_MS)
    # WHEN the server is back it commits that command (one ticket waiting)
    server_factory(site, sqlite_url, clock)
    qtbot.waitUntil(lambda: (kiosk.bridge.value("queue/ktp") or {}).get("waiting") == 1,
                    timeout=WAIT_MS)
    # AND the citizen chooses the same again THEN that ticket is printed, not a second one
    kiosk.click("backButton")
    qtbot.waitUntil(lambda: shown(kiosk, "service-ktp"), timeout=WAIT_MS)
    kiosk.click("service-ktp")
    qtbot.waitUntil(lambda: kiosk.model.screen == "priority", timeout=WAIT_MS)
    kiosk.click("priority-none")
    qtbot.waitUntil(lambda: kiosk.model.screen == "result", timeout=WAIT_MS)
    assert text(kiosk, "ticketNumber") == "A-001"
    assert len(simulator.tickets) == 1
    assert kiosk.bridge.value("queue/ktp")["waiting"] == 1


def test_idle_and_result_timeouts_return_to_welcome(qtbot, server, kiosk_factory):
    kiosk = kiosk_factory()
    kiosk.model.idle_ms = kiosk.model.result_ms = 300  # 30 s and 10 s in the hall
    ready(qtbot, kiosk)
    # GIVEN a citizen who walks away from the service list THEN it goes back by itself
    kiosk.click("startButton")
    qtbot.waitUntil(lambda: kiosk.model.screen == "services", timeout=WAIT_MS)
    qtbot.waitUntil(lambda: kiosk.model.screen == "welcome", timeout=WAIT_MS)
    # AND the result screen goes back by itself too
    to_priority(qtbot, kiosk, "ktp")
    kiosk.click("priority-none")
    qtbot.waitUntil(lambda: kiosk.model.screen == "result", timeout=WAIT_MS)
    qtbot.waitUntil(lambda: kiosk.model.screen == "welcome", timeout=WAIT_MS)


def test_a_touch_restarts_the_idle_countdown(qtbot, server, kiosk_factory):
    kiosk = kiosk_factory()
    ready(qtbot, kiosk)
    kiosk.click("startButton")
    qtbot.waitUntil(lambda: kiosk.model.screen == "services", timeout=WAIT_MS)
    timer = kiosk.model.idle_timer
    assert timer.isActive() and timer.interval() == 30_000
    timer.setInterval(60_000)
    timer.start()  # as if 60 s were left; a touch anywhere starts the 60 s again
    qtbot.waitUntil(lambda: timer.remainingTime() < 59_000, timeout=WAIT_MS)
    left = timer.remainingTime()
    kiosk.click("mallName")  # not a button
    # without a restart the time left can only have shrunk; with one it is back near 60 s
    # (more than `left` unless a whole second passed since the click)
    assert timer.remainingTime() > left


def test_language_switch_changes_the_texts(qtbot, server, kiosk_factory):
    kiosk = kiosk_factory(lang="id")
    ready(qtbot, kiosk)
    start = kiosk.item("startButton")
    assert start.property("label") == "Ambil nomor antrean"
    assert start.property("sub") == "Take a number"
    kiosk.click("lang-en")
    qtbot.waitUntil(lambda: kiosk.i18n.language == "en", timeout=WAIT_MS)
    assert start.property("label") == "Take a number"
    assert start.property("sub") == "Ambil nomor antrean"
    kiosk.click("startButton")
    qtbot.waitUntil(lambda: shown(kiosk, "service-ktp"), timeout=WAIT_MS)
    assert text(kiosk, "serviceStatus-ktp") == "0 waiting  ·  no wait"
    kiosk.click("lang-id")
    qtbot.waitUntil(lambda: text(kiosk, "serviceStatus-ktp") == "0 menunggu  ·  tanpa antre",
                    timeout=WAIT_MS)
    # WHEN a citizen leaves in English THEN the next one starts in Indonesian again
    kiosk.click("lang-en")
    kiosk.click("homeButton")
    qtbot.waitUntil(lambda: kiosk.model.screen == "welcome", timeout=WAIT_MS)
    assert kiosk.i18n.language == "id"
    assert kiosk.item("startButton").property("label") == "Ambil nomor antrean"


def test_a_service_outside_its_hours_shows_todays_hours(qtbot, server_factory, site,
                                                        sqlite_url, kiosk_factory, simulator):
    from queue_server.clock import ManualClock
    from tests.support.site import local_ts

    server_factory(site, sqlite_url, ManualClock(local_ts("2026-11-30T12:30")))  # lunch
    kiosk = kiosk_factory(lang="en")
    ready(qtbot, kiosk)
    kiosk.click("startButton")
    qtbot.waitUntil(lambda: shown(kiosk, "service-izin"), timeout=WAIT_MS)
    qtbot.waitUntil(lambda: not next(s for s in kiosk.model.services.rows
                                    if s["id"] == "izin")["open"], timeout=WAIT_MS)
    assert text(kiosk, "serviceStatus-izin") == (
        "Closed now · hours today 08:00-12:00, 13:00-16:00")
    kiosk.click("service-izin")
    assert kiosk.model.screen == "services"
    # AND the next touch, on an open service, is the one chosen and the only one printed
    # (touches and transactions are handled in order: see the closed-services test)
    assert take_a_number(qtbot, kiosk, "ktp") == "Service ktp"
    assert text(kiosk, "ticketNumber") == "A-001"
    assert [b"A-001" in t.data for t in simulator.tickets] == [True]
