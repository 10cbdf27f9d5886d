"""Real-time status (DLE EOT 1..4) for each injected fault, and print errors with their codes."""

from __future__ import annotations

import pytest

from drivers.printer import (
    Faults,
    Paper,
    PrinterError,
    PrinterSimulator,
    PrinterState,
    TicketLayout,
    open_printer,
    ticket_bytes,
)

LAYOUT = TicketLayout(
    mall_name="MPP Makassar",
    agency_name="Disdukcapil",
    service_name="KTP-el",
    number="B-101",
    issued_at="30/11/2026 10:02",
    ahead=0,
    wait_text="< 5 menit",
    qr_payload="T-B101",
)


def _printer(faults: Faults, *, near_end_sensor: bool = True):
    sim = PrinterSimulator(faults=faults)
    config = {"type": "simulated", "escpos_profile": "TM-T20II", "near_end_sensor": near_end_sensor}
    return open_printer(config, simulator=sim), sim


@pytest.mark.parametrize(
    ("faults", "state", "paper"),
    [
        (Faults(), PrinterState.READY, Paper.OK),
        (Faults(paper_near_end=True), PrinterState.PAPER_NEAR_END, Paper.NEAR_END),
        (Faults(paper_out=True), PrinterState.PAPER_OUT, Paper.OUT),
        (Faults(cover_open=True), PrinterState.COVER_OPEN, Paper.OK),
        (Faults(error=True), PrinterState.ERROR, Paper.OK),
        (Faults(offline=True), PrinterState.OFFLINE, Paper.UNKNOWN),
    ],
)
def test_status_for_each_fault(faults: Faults, state: PrinterState, paper: Paper) -> None:
    # GIVEN a simulated printer with a fault
    printer, _ = _printer(faults)
    # WHEN its status is read with DLE EOT 1..4
    status = printer.status()
    printer.close()
    # THEN the state and paper level match the fault
    assert status.state is state
    assert status.paper is paper
    assert status.online is (state is not PrinterState.OFFLINE)


def test_near_end_is_ignored_without_a_sensor() -> None:
    # GIVEN a model with no near-end sensor (TM-T20II) whose roll bits say near end
    printer, _ = _printer(Faults(paper_near_end=True), near_end_sensor=False)
    # THEN the paper is reported ok
    assert printer.status().state is PrinterState.READY
    printer.close()


def test_near_end_still_prints() -> None:
    printer, sim = _printer(Faults(paper_near_end=True))
    printer.print_ticket(LAYOUT)
    printer.close()
    assert len(sim.tickets) == 1


@pytest.mark.parametrize(
    ("faults", "code"),
    [
        (Faults(paper_out=True), "paper_out"),
        (Faults(cover_open=True), "cover_open"),
        (Faults(error=True), "printer_error"),
        (Faults(offline=True), "printer_offline"),
    ],
)
def test_print_refused_with_code(faults: Faults, code: str) -> None:
    # GIVEN a faulty printer
    printer, sim = _printer(faults)
    # WHEN a ticket is printed
    with pytest.raises(PrinterError) as info:
        printer.print_ticket(LAYOUT)
    printer.close()
    # THEN it fails with the stable code and nothing came out
    assert info.value.code == code
    assert sim.tickets == []


def test_mid_print_failure_is_printer_offline_from_the_transport_error() -> None:
    # GIVEN a printer that goes away after 100 more bytes (status queries count too)
    printer, sim = _printer(Faults(fail_after_bytes=100))
    # WHEN a ticket (several hundred bytes) is printed
    with pytest.raises(PrinterError) as info:
        printer.print_ticket(LAYOUT)
    # THEN the error has the offline code, chains the transport error, and no ticket was cut
    assert info.value.code == "printer_offline"
    assert isinstance(info.value.__cause__, BrokenPipeError)
    assert sim.tickets == []
    assert printer.status().state is PrinterState.OFFLINE
    printer.close()


def test_paper_out_while_data_arrives_drops_the_data() -> None:
    # GIVEN a printer whose paper ran out after the status check (bytes sent directly)
    sim = PrinterSimulator(faults=Faults(paper_out=True))
    data = ticket_bytes(LAYOUT, open_printer({"type": "simulated"}, simulator=sim).options)
    # WHEN the bytes arrive
    sim.receive(data)
    # THEN nothing is printed and the bytes are counted as dropped
    assert sim.tickets == []
    assert sim.dropped_bytes == len(data)


def test_printer_error_rejects_unknown_codes() -> None:
    with pytest.raises(ValueError):
        PrinterError("jammed", "no such code")


def test_status_dict_for_device_presence() -> None:
    printer, _ = _printer(Faults(paper_near_end=True))
    assert printer.status().as_dict() == {
        "state": "paper_near_end",
        "online": True,
        "paper": "near_end",
        "cover_open": False,
        "error": False,
    }
    printer.close()


def test_simulator_keeps_only_the_last_tickets() -> None:
    printer, sim = _printer(Faults())
    sim.max_tickets = 2
    for _ in range(3):
        printer.print_ticket(LAYOUT)
    printer.close()
    assert len(sim.tickets) == 2
