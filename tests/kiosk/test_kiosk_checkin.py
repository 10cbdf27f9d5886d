"""Appointment QR check-in at the kiosk over a real server and broker: the simulated
scanner's device end is fed, the kiosk checks in, prints, or shows why it cannot."""

from __future__ import annotations

import pytest

from drivers.printer import PrinterSimulator
from drivers.scanner import SimulatedScanner
from kiosk.scanning import verdict
from tests.kiosk.test_kiosk_flow import WAIT_MS, ready, shown, take_a_number, text

CODE = "JT-0042"
TODAY_0930 = "2026-11-30T09:30"  # the hall clock reads Monday 09:00


@pytest.fixture
def supervisor(client_factory):
    return client_factory("supervisor-01", "supervisor", follow_state=False)


def add_appointment(supervisor, slot: str = TODAY_0930, code: str = CODE,
                    service: str = "ktp") -> None:
    supervisor.request("appointment.add", {"code": code, "service": service, "slot": slot})


def qr(site, code: str = CODE) -> str:
    return f"MPP1:{site.site.id}:{code}"


def ops_up_to_a_walk_in(qtbot, kiosk, commands) -> list[str]:
    """From the welcome screen, a KTP walk-in ticket; then every op the kiosk sent, up to
    and with that ticket.issue, but its clock checks (`ping`, at any time). One connection
    sends the kiosk's commands in order, so a command sent before the walk-in is on the
    broker before it: no waiting on time."""
    kiosk.click("startButton")
    qtbot.waitUntil(lambda: shown(kiosk, "service-ktp"), timeout=WAIT_MS)
    take_a_number(qtbot, kiosk, "ktp")
    commands.wait_for(lambda r: isinstance(r.payload, dict)
                      and r.payload.get("op") == "ticket.issue")
    return [p.get("op") for p in commands.payloads()
            if isinstance(p, dict) and p.get("op") != "ping"]


def test_a_scanned_appointment_is_checked_in_and_printed(
        qtbot, server, kiosk_factory, supervisor, scanner: SimulatedScanner,
        simulator: PrinterSimulator, site):
    add_appointment(supervisor)
    kiosk = kiosk_factory(scanner=scanner)
    ready(qtbot, kiosk)
    # GIVEN the welcome screen tells the citizen about the scanner, in both languages
    assert text(kiosk, "scanHint").endswith("Punya janji temu? Dekatkan kode QR Anda ke pemindai")
    assert text(kiosk, "scanHintAlt") == "Have an appointment? Hold its QR code under the scanner"
    # WHEN the appointment's QR is scanned
    scanner.feed(qr(site))
    # THEN the slot's ticket is printed with its number and QR, and shown
    qtbot.waitUntil(lambda: kiosk.model.screen == "result", timeout=WAIT_MS)
    assert text(kiosk, "ticketNumber") == "A-001"
    assert text(kiosk, "ticketService") == "Layanan ktp"
    assert text(kiosk, "ticketSlot") == "Janji temu 09:30  ·  Appointment 09:30"
    assert shown(kiosk, "takeTicket") and not shown(kiosk, "printProblem")
    assert len(simulator.tickets) == 1
    printed = simulator.tickets[0]
    assert b"A-001" in printed.data
    assert b"Janji temu / Appointment: 09:30" in printed.data
    assert printed.qr_payloads == [kiosk.model.ticket["id"]]
    assert kiosk.model.ticket["id"].encode() in printed.data


def test_a_bare_code_works_too_and_a_held_code_is_not_sent_twice(
        qtbot, server, kiosk_factory, supervisor, scanner, simulator, mqtt_collector,
        mosquitto, site):
    commands = mqtt_collector(mosquitto, f"mpp/v1/{site.site.id}/cmd/kiosk-01")
    add_appointment(supervisor)
    kiosk = kiosk_factory(scanner=scanner)
    ready(qtbot, kiosk)
    scanner.feed(CODE)
    qtbot.waitUntil(lambda: kiosk.model.screen == "result", timeout=WAIT_MS)
    # WHEN the citizen keeps the QR under the scanner (read again), then scans a ticket
    scanner.feed(CODE)
    scanner.feed("MPP1:T:" + "ab" * 16)
    qtbot.waitUntil(lambda: kiosk.model.screen == "refused", timeout=WAIT_MS)
    assert kiosk.model.error == "scan_not_appointment"
    # THEN the repeat was dropped: one check-in went to the server, one ticket printed
    # (seen once a walk-in taken next has gone out, and printed after them)
    kiosk.model.home()
    assert ops_up_to_a_walk_in(qtbot, kiosk, commands) == ["appointment.checkin",
                                                          "ticket.issue"]
    assert [b"A-001" in t.data for t in simulator.tickets] == [True, False]


@pytest.mark.parametrize(("case", "code", "primary", "secondary"), [
    ("unknown", "appointment_unknown", "Kode janji temu ini tidak ditemukan",
     "This appointment code was not found"),
    ("used", "appointment_used", "Janji temu ini sudah digunakan",
     "This appointment has already been checked in"),
    ("expired", "appointment_expired", "Waktu janji temu ini sudah lewat",
     "The time of this appointment has passed"),
    ("tomorrow", "appointment_too_early", "Janji temu ini bukan untuk hari ini",
     "This appointment is not for today"),
])
def test_each_refusal_shows_a_bilingual_message_then_welcome(
        qtbot, server, kiosk_factory, supervisor, client_factory, scanner, simulator, site,
        case, code, primary, secondary):
    if case == "used":
        add_appointment(supervisor)
        other = client_factory("kiosk-02", "kiosk", follow_state=False)
        other.request("appointment.checkin", {"code": CODE})
    elif case == "expired":
        add_appointment(supervisor, slot="2026-11-30T08:00")  # late after 08:30
    elif case == "tomorrow":
        add_appointment(supervisor, slot="2026-12-01T09:00")
    kiosk = kiosk_factory(scanner=scanner)
    kiosk.model.refused_ms = 400  # 12 s in the hall
    ready(qtbot, kiosk)
    scanner.feed(qr(site))
    qtbot.waitUntil(lambda: kiosk.model.screen == "refused", timeout=WAIT_MS)
    assert kiosk.model.error == code
    assert text(kiosk, "refusedText") == primary
    assert text(kiosk, "refusedTextAlt") == secondary
    assert simulator.tickets == []
    qtbot.waitUntil(lambda: kiosk.model.screen == "welcome", timeout=WAIT_MS)


@pytest.mark.parametrize(("feed", "code", "primary"), [
    (lambda s, _site: s.feed_garbage(), "scan_garbage",
     "Kode tidak terbaca, silakan pindai lagi"),
    (lambda s, _site: s.feed("hello world"), "scan_garbage",
     "Kode tidak terbaca, silakan pindai lagi"),
    (lambda s, _site: s.feed("JT-" + "9" * 300), "scan_too_long",
     "Kode ini bukan kode QR janji temu"),
    (lambda s, _site: s.feed("MPP1:mpp-lain:" + CODE), "appointment_other_site",
     "Janji temu ini untuk Mal Pelayanan Publik lain"),
    # a NIK is never an appointment code: refused here, never sent (UU PDP)
    (lambda s, _site: s.feed("3201012345670001"), "personal_data",
     "Ini tampak seperti NIK, bukan kode janji temu"),
    (lambda s, site: s.feed(f"MPP1:{site.site.id}:3201-0123-4567-0001"), "personal_data",
     "Ini tampak seperti NIK, bukan kode janji temu"),
])
def test_garbage_scans_get_a_message_and_send_nothing(
        qtbot, server, kiosk_factory, scanner, simulator, site, mqtt_collector, mosquitto,
        feed, code, primary):
    commands = mqtt_collector(mosquitto, f"mpp/v1/{site.site.id}/cmd/kiosk-01")
    kiosk = kiosk_factory(scanner=scanner)
    kiosk.model.refused_ms = 400
    ready(qtbot, kiosk)
    feed(scanner, site)
    qtbot.waitUntil(lambda: kiosk.model.screen == "refused", timeout=WAIT_MS)
    assert kiosk.model.error == code
    assert text(kiosk, "refusedText") == primary
    qtbot.waitUntil(lambda: kiosk.model.screen == "welcome", timeout=WAIT_MS)
    # AND nothing went to the server for the scan, nothing was printed for it: the walk-in
    # taken next is the first command and the only ticket
    assert ops_up_to_a_walk_in(qtbot, kiosk, commands) == ["ticket.issue"]
    assert [b"A-001" in t.data for t in simulator.tickets] == [True]


def test_a_check_in_whose_print_fails_keeps_the_number_on_screen(
        qtbot, server, kiosk_factory, supervisor, scanner, simulator, site):
    add_appointment(supervisor)
    kiosk = kiosk_factory(scanner=scanner)
    ready(qtbot, kiosk)
    simulator.faults.fail_after_bytes = 20  # unplugged while printing
    scanner.feed(qr(site))
    qtbot.waitUntil(lambda: kiosk.model.screen == "result", timeout=WAIT_MS)
    assert text(kiosk, "ticketNumber") == "A-001"
    assert kiosk.model.printError == "printer_offline"
    assert shown(kiosk, "printProblem") and shown(kiosk, "ticketQr")


def test_a_scan_in_the_middle_of_choosing_a_service_checks_in(
        qtbot, server, kiosk_factory, supervisor, scanner, simulator, site):
    add_appointment(supervisor, service="kk")
    kiosk = kiosk_factory(scanner=scanner, lang="en")
    ready(qtbot, kiosk)
    kiosk.click("startButton")
    qtbot.waitUntil(lambda: kiosk.model.screen == "services", timeout=WAIT_MS)
    scanner.feed(qr(site))
    qtbot.waitUntil(lambda: kiosk.model.screen == "result", timeout=WAIT_MS)
    assert text(kiosk, "ticketNumber") == "B-001"
    assert kiosk.model.service == "kk"
    assert len(simulator.tickets) == 1


def test_verdicts():
    assert verdict("MPP1:mpp-a:JT-0042", "mpp-a").code == "JT-0042"
    assert verdict(" JT-0042 ", "mpp-a").code == "JT-0042"
    assert verdict("MPP1:mpp-b:JT-0042", "mpp-a").refusal == "appointment_other_site"
    assert verdict("MPP1:T:" + "0" * 32, "mpp-a").refusal == "scan_not_appointment"
    assert verdict("jt-0042", "mpp-a").refusal == "scan_garbage"
    assert verdict("X" * 300, "mpp-a").refusal == "scan_too_long"
    assert verdict("3201012345670001", "mpp-a").refusal == "personal_data"
    assert verdict("MPP1:mpp-a:BK-3201012345670001", "mpp-a").refusal == "personal_data"
    assert verdict("MPP1:mpp-a:BK-20261130-0042", "mpp-a").code == "BK-20261130-0042"


def test_the_configured_scanner_feeds_the_kiosk(qtbot, server, kiosk_factory, supervisor,
                                                 simulator, tmp_path):
    """--scanner FILE chooses the transport (here the loopback socket, as a serial or HID
    scanner would be chosen)."""
    import socket

    from kiosk.app import open_kiosk_scanner

    add_appointment(supervisor)
    config = tmp_path / "scanner.toml"
    config.write_text('[scanner]\ntype = "socket"\nport = 0\n')
    scanner, opened = open_kiosk_scanner(str(config))
    assert opened
    kiosk = kiosk_factory(scanner=scanner)
    ready(qtbot, kiosk)
    with socket.create_connection(scanner.address, timeout=5) as conn:
        conn.sendall(CODE.encode() + b"\n")
        qtbot.waitUntil(lambda: kiosk.model.screen == "result", timeout=WAIT_MS)
    assert text(kiosk, "ticketNumber") == "A-001"
    assert len(simulator.tickets) == 1


def test_scanner_option(tmp_path):
    from drivers.scanner import HidConfig, SimulatedConfig
    from kiosk.app import open_kiosk_scanner, parser
    from kiosk.scanning import scanner_config

    assert parser().parse_args(["--site-id", "x"]).scanner == "none"
    assert scanner_config("none") is None and open_kiosk_scanner("none") == (None, False)
    assert isinstance(scanner_config("simulated"), SimulatedConfig)
    hid = tmp_path / "s.json"
    hid.write_text('{"type": "hid", "vendor_id": "0c2e", "layout": "us"}')
    config = scanner_config(str(hid))
    assert isinstance(config, HidConfig) and config.grab  # keystrokes never reach the UI
    bad = tmp_path / "bad.toml"
    bad.write_text('[scanner]\ntype = "serial"\nspeed = 9600\n')
    with pytest.raises(SystemExit, match="speed"):
        open_kiosk_scanner(str(bad))
    with pytest.raises(SystemExit, match=r"missing\.toml"):
        open_kiosk_scanner(str(tmp_path / "missing.toml"))
    absent = tmp_path / "absent.toml"
    absent.write_text('type = "file"\npath = "/nonexistent/mpp-scanner"\n')
    scanner, opened = open_kiosk_scanner(str(absent))  # not there: opened later
    assert scanner is not None and not opened
    scanner.close()


def presence_of(collector) -> list[dict]:
    return [p for p in collector.payloads() if isinstance(p, dict)]


def test_an_unplugged_scanner_hides_the_hint_and_the_hall_is_told(
        qtbot, server, kiosk_factory, supervisor, scanner, simulator, site, mqtt_collector,
        mosquitto):
    presence = mqtt_collector(mosquitto, f"mpp/v1/{site.site.id}/device/kiosk-01")
    add_appointment(supervisor)
    kiosk = kiosk_factory(scanner=scanner)
    ready(qtbot, kiosk)
    qtbot.waitUntil(lambda: any((p.get("scanner") or {}).get("state") == "ready"
                                for p in presence_of(presence)), timeout=WAIT_MS)
    assert shown(kiosk, "scanHint")
    # WHEN the scanner's cable is pulled THEN the hint goes and the presence says so
    scanner.unplug()
    qtbot.waitUntil(lambda: not kiosk.model.scannerOk, timeout=WAIT_MS)
    assert not shown(kiosk, "scanHint")
    qtbot.waitUntil(lambda: presence_of(presence)[-1].get("scanner") == {"state": "unplugged"}
                    and presence_of(presence)[-1].get("printer", {}).get("state") == "ready",
                    timeout=WAIT_MS)
    # WHEN it is plugged back THEN scans check in again
    scanner.replug()
    qtbot.waitUntil(lambda: kiosk.model.scannerOk and shown(kiosk, "scanHint"), timeout=WAIT_MS)
    scanner.feed(qr(site))
    qtbot.waitUntil(lambda: kiosk.model.screen == "result", timeout=WAIT_MS)
    assert len(simulator.tickets) == 1


def test_a_scanner_plugged_in_after_the_kiosk_started(
        qtbot, server, kiosk_factory, supervisor, scanner, simulator, site):
    add_appointment(supervisor)
    scanner.unplug()  # still enumerating at boot
    kiosk = kiosk_factory(scanner=scanner, scanner_opened=False)
    ready(qtbot, kiosk)
    assert not kiosk.model.scannerOk and not shown(kiosk, "scanHint")
    scanner.replug()
    qtbot.waitUntil(lambda: kiosk.model.scannerOk, timeout=WAIT_MS)
    scanner.feed(qr(site))
    qtbot.waitUntil(lambda: kiosk.model.screen == "result", timeout=WAIT_MS)
    assert text(kiosk, "ticketNumber") == "A-001"


def test_a_check_in_without_an_answer_is_resent_with_its_id_when_scanned_again(
        qtbot, server_factory, site, sqlite_url, clock, kiosk_factory, client_factory,
        scanner, simulator):
    server = server_factory(site, sqlite_url, clock)
    add_appointment(client_factory("supervisor-01", "supervisor", follow_state=False))
    kiosk = kiosk_factory(scanner=scanner)
    kiosk.model.request_timeout_s = 1.5  # 6 s in the hall
    ready(qtbot, kiosk)
    # GIVEN the server goes away: the check-in waits at the broker, unanswered
    server.stop()
    scanner.feed(qr(site))
    qtbot.waitUntil(lambda: kiosk.model.screen == "refused", timeout=WAIT_MS)
    assert kiosk.model.error == "timeout"
    assert text(kiosk, "refusedText") == "Server tidak terjangkau, silakan coba lagi"
    # WHEN the server is back it commits that check-in (the appointment is now used)
    server_factory(site, sqlite_url, clock)
    qtbot.waitUntil(lambda: (kiosk.bridge.value("queue/ktp") or {}).get("waiting") == 1,
                    timeout=WAIT_MS)
    # AND the citizen scans again THEN the same command gets its ticket, not "already used"
    scanner.feed(qr(site))
    qtbot.waitUntil(lambda: kiosk.model.screen == "result", timeout=WAIT_MS)
    assert text(kiosk, "ticketNumber") == "A-001"
    assert len(simulator.tickets) == 1


def test_a_code_held_under_the_scanner_is_a_re_read_for_a_while():
    from kiosk.scanning import REPEAT_SCAN_S, RepeatGate

    now = [100.0]
    gate = RepeatGate(lambda: now[0])
    assert not gate.held("")  # nothing answered yet
    gate.hold(CODE)
    assert gate.held(CODE) and not gate.held("JT-0043")
    now[0] += REPEAT_SCAN_S
    assert not gate.held(CODE)
    gate.hold(CODE)
    gate.release()  # no answer: scanning it again is meant
    assert not gate.held(CODE)
