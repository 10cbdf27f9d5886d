"""A kiosk whose printer is out sends citizens to a kiosk that is up (its presence on
device/{id}) instead of issuing; with none up, it issues and shows the number on screen.
Two kiosks over the real server and broker, each with its own simulated printer."""

from __future__ import annotations

from drivers.printer import PrinterSimulator
from drivers.printer import open_printer as driver_open
from tests.kiosk.test_kiosk_flow import WAIT_MS, ready
from tests.support.qml import shown, text


def test_a_kiosk_out_of_paper_points_to_the_kiosk_that_is_up(
        qtbot, server, kiosk_factory, simulator: PrinterSimulator, tmp_path):
    # GIVEN kiosk-02 up with paper, and kiosk-01 out of paper
    other_sim = PrinterSimulator(output_dir=tmp_path / "other")
    other = kiosk_factory("kiosk-02", open_printer=lambda: driver_open(
        {"type": "simulated"}, simulator=other_sim))
    ready(qtbot, other)
    simulator.faults.paper_out = True
    kiosk = kiosk_factory("kiosk-01")
    ready(qtbot, kiosk)
    # THEN kiosk-01's welcome screen says it is out of paper and names kiosk-02
    qtbot.waitUntil(lambda: shown(kiosk, "elsewherePanel"), timeout=WAIT_MS)
    assert kiosk.model.elsewhere == "kiosk-02"
    assert text(kiosk, "elsewhereKiosk") == "➜ kiosk-02"
    assert text(kiosk, "elsewhereWhy").startswith("Kertas di anjungan ini habis\n")
    assert not shown(kiosk, "startButton") and not shown(kiosk, "printerWarning")
    assert not shown(other, "elsewherePanel") and shown(other, "startButton")
    # AND it issues nothing: neither a touch on start nor an appointment scan
    kiosk.model.start()
    kiosk.model.scanned("JT-0001")
    qtbot.waitUntil(lambda: kiosk.model.screen == "refused", timeout=WAIT_MS)
    assert kiosk.model.error == "printer_out"
    assert text(kiosk, "refusedText") == \
        "Anjungan ini sedang tidak bisa mencetak: silakan gunakan anjungan lain"
    assert (kiosk.bridge.value("queue/ktp") or {}).get("issued_today") == 0
    kiosk.click("refusedDone")
    qtbot.waitUntil(lambda: kiosk.model.screen == "welcome", timeout=WAIT_MS)
    # WHEN kiosk-02 goes away (its presence says offline)
    other.bridge.stop()
    # THEN kiosk-01 takes numbers again, shown on its screen, with the printer warning
    qtbot.waitUntil(lambda: shown(kiosk, "startButton"), timeout=WAIT_MS)
    assert kiosk.model.elsewhere == "" and not shown(kiosk, "elsewherePanel")
    assert shown(kiosk, "printerWarning")
    # WHEN the roll is replaced THEN the welcome screen is the usual one
    simulator.faults.paper_out = False
    kiosk.model.check_printer()
    qtbot.waitUntil(lambda: not shown(kiosk, "printerWarning"), timeout=WAIT_MS)
    assert shown(kiosk, "startButton") and not shown(kiosk, "elsewherePanel")


def test_a_kiosk_whose_printer_is_also_out_is_no_place_to_send_anyone(
        qtbot, server, kiosk_factory, simulator: PrinterSimulator, tmp_path):
    other_sim = PrinterSimulator(output_dir=tmp_path / "other")
    other_sim.faults.cover_open = True
    other = kiosk_factory("kiosk-02", open_printer=lambda: driver_open(
        {"type": "simulated"}, simulator=other_sim))
    qtbot.waitUntil(lambda: other.model.printerState == "cover_open", timeout=WAIT_MS)
    simulator.faults.paper_out = True
    kiosk = kiosk_factory("kiosk-01")
    ready(qtbot, kiosk)
    qtbot.waitUntil(lambda: shown(kiosk, "printerWarning"), timeout=WAIT_MS)
    qtbot.waitUntil(lambda: ((other.bridge.value("device/kiosk-01") or {}).get("printer")
                             or {}).get("state") == "paper_out", timeout=WAIT_MS)
    # THEN with both out, each still issues (numbers on screen) and sends nobody away
    assert kiosk.model.elsewhere == "" and other.model.elsewhere == ""
    assert shown(kiosk, "startButton") and not shown(kiosk, "elsewherePanel")
    # WHEN kiosk-02's cover is closed THEN kiosk-01 sends citizens there
    other_sim.faults.cover_open = False
    other.model.check_printer()
    qtbot.waitUntil(lambda: kiosk.model.elsewhere == "kiosk-02", timeout=WAIT_MS)
    qtbot.waitUntil(lambda: shown(kiosk, "elsewherePanel"), timeout=WAIT_MS)
