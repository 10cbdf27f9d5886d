"""A ticket the printer lost: the roll ends while the ticket prints, and the kiosk offers
one copy, printed with SALINAN / COPY on top once the roll is replaced. Real server and
broker; the printed bytes are decoded by the simulated printer."""

from __future__ import annotations

from drivers.printer import PrinterSimulator
from kiosk.printing import COPY_MARK
from tests.kiosk.test_kiosk_flow import WAIT_MS, to_priority
from tests.support.qml import shown, text


def test_a_ticket_lost_to_paper_out_is_reprinted_once_marked_as_a_copy(
        qtbot, server, kiosk_factory, simulator: PrinterSimulator):
    kiosk = kiosk_factory()
    to_priority(qtbot, kiosk, "ktp")
    # GIVEN the roll ends while the ticket prints
    simulator.faults.paper_out_after_bytes = 60
    kiosk.click("priority-none")
    qtbot.waitUntil(lambda: kiosk.model.screen == "result", timeout=WAIT_MS)
    # THEN no whole ticket came out: the number is on screen with its QR, and a copy offered
    assert simulator.tickets == [] and simulator.lost_pages == 1
    assert kiosk.model.printError == "paper_out"
    assert text(kiosk, "ticketNumber") == "A-001"
    assert shown(kiosk, "printProblem") and shown(kiosk, "ticketQr")
    assert shown(kiosk, "reprintButton") and kiosk.model.copy == "offered"
    # WHEN the citizen asks for the copy before the roll is replaced
    kiosk.click("reprintButton")
    qtbot.waitUntil(lambda: kiosk.model.copy == "failed", timeout=WAIT_MS)
    # THEN nothing printed, the screen says so, and the copy is still offered
    assert simulator.tickets == []
    assert kiosk.item("printProblem").property("primary").startswith(
        "Printer masih belum bisa mencetak")
    assert shown(kiosk, "reprintButton")
    # WHEN the officer replaces the roll and the citizen asks again
    simulator.faults.paper_out = False
    kiosk.click("reprintButton")
    qtbot.waitUntil(lambda: kiosk.model.copy == "printed", timeout=WAIT_MS)
    # THEN one ticket came out: the same number and QR, marked as a copy at its top
    [copy] = simulator.tickets
    assert copy.lines[0] == COPY_MARK == "SALINAN / COPY"
    assert [(r.width, r.bold) for r in copy.runs[0]] == [(2, True)]
    assert "A-001" in copy.lines
    assert copy.qr_payloads == [kiosk.model.ticket["qrPayload"]]
    assert b"SALINAN / COPY" in copy.data
    # AND the screen says to take the copy; the offer is gone
    qtbot.waitUntil(lambda: not shown(kiosk, "reprintButton"), timeout=WAIT_MS)
    assert not shown(kiosk, "printProblem")
    assert text(kiosk, "takeTicket").startswith("Salinan sudah dicetak")
    # AND a second copy is never printed, however it is asked for
    kiosk.model.reprint()
    kiosk.model.check_printer()  # a job on the worker after any copy it might have queued
    qtbot.waitUntil(lambda: kiosk.model.printerState == "ready", timeout=WAIT_MS)
    assert len(simulator.tickets) == 1 and kiosk.model.copy == "printed"
    # AND the next citizen's ticket prints normally, unmarked
    kiosk.click("doneButton")
    qtbot.waitUntil(lambda: kiosk.model.screen == "welcome", timeout=WAIT_MS)
    assert kiosk.model.copy == ""
    to_priority(qtbot, kiosk, "ktp")
    kiosk.click("priority-none")
    qtbot.waitUntil(lambda: len(simulator.tickets) == 2, timeout=WAIT_MS)
    assert simulator.tickets[1].lines[0] != COPY_MARK and "A-002" in simulator.tickets[1].lines
