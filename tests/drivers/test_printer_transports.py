"""Transports over real OS plumbing: TCP on 127.0.0.1 (the 9100 protocol), a pty (serial), a
file; the simulator sits on the far side and answers DLE EOT like a printer."""

from __future__ import annotations

import os
import re
import select
import socket
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from drivers.printer import (
    Faults,
    PrinterConfigError,
    PrinterError,
    PrinterSimulator,
    PrinterState,
    SimulatedDisconnect,
    TicketLayout,
    open_printer,
    ticket_bytes,
)
from drivers.printer._escpos import Usb
from drivers.printer.config import PrinterConfig
from drivers.printer.factory import _model
from drivers.printer.transports import build_transport

LAYOUT = TicketLayout(
    mall_name="Mal Pelayanan Publik Kota Makassar",
    agency_name="Dinas Kependudukan dan Pencatatan Sipil",
    service_name="Perekaman & Pencetakan KTP-el",
    number="A-012",
    issued_at="30/11/2026 09:41 WITA",
    ahead=3,
    wait_text="± 15 menit / about 15 min",
    qr_payload="https://antrean.example/t/7Q2M9KX4",
    footer_lines=("Terima kasih", "Thank you"),
)


class SimulatorServer:
    """A thread serving one TCP connection with a PrinterSimulator (a 9100 printer)."""

    def __init__(self, sim: PrinterSimulator) -> None:
        self.sim = sim
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.thread = threading.Thread(target=self._serve, name="sim-9100")
        self.thread.start()

    def _serve(self) -> None:
        try:
            conn, _ = self.listener.accept()
        except OSError:
            return  # closed before anyone connected
        with conn:
            while data := conn.recv(4096):
                try:
                    reply = self.sim.receive(data)
                except SimulatedDisconnect:
                    continue  # unplugged: swallow bytes, never answer
                if reply:
                    conn.sendall(reply)

    def close(self) -> None:
        self.listener.close()
        self.thread.join(timeout=10)
        assert not self.thread.is_alive()


class SimulatorPty:
    """A pty pair: pyserial opens the slave by name, the simulator reads the master."""

    def __init__(self, sim: PrinterSimulator) -> None:
        self.sim = sim
        self.master, self._slave = os.openpty()
        self.name = os.ttyname(self._slave)
        self.thread = threading.Thread(target=self._serve, name="sim-pty")

    def start(self) -> None:
        """Call once the serial port is open: drops our slave fd so its close ends the loop."""
        os.close(self._slave)
        self.thread.start()

    def _serve(self) -> None:
        while True:
            try:
                data = os.read(self.master, 4096)
            except OSError:  # EIO: every slave fd is closed
                return
            if not data:
                return
            try:
                reply = self.sim.receive(data)
            except SimulatedDisconnect:
                continue
            if reply:
                os.write(self.master, reply)

    def close(self) -> None:
        if self.thread.is_alive() or self.thread.ident is not None:
            self.thread.join(timeout=10)
        else:
            os.close(self._slave)
        os.close(self.master)


@pytest.fixture
def server() -> Iterator[SimulatorServer]:
    srv = SimulatorServer(PrinterSimulator(width_dots=576))
    yield srv
    srv.close()


def test_network_prints_through_a_real_socket(server: SimulatorServer) -> None:
    # GIVEN a network printer on a loopback port
    config = {
        "type": "network",
        "host": "127.0.0.1",
        "port": server.port,
        "profile": "epson-tm-t20ii",
        "timeout": 5.0,
    }
    printer = open_printer(config)
    # WHEN the status is read and a ticket printed
    status = printer.status()
    printer.print_ticket(LAYOUT)
    printer.close()
    server.close()  # joins the server thread: all bytes are processed
    # THEN the simulator answered DLE EOT and received the exact ticket bytes
    assert status.state is PrinterState.READY
    [ticket] = server.sim.tickets
    assert ticket.data == ticket_bytes(LAYOUT, printer.options)
    assert "A-012" in ticket.lines
    assert ticket.qr_payloads == ["https://antrean.example/t/7Q2M9KX4"]


def test_network_paper_out_is_refused(server: SimulatorServer) -> None:
    server.sim.faults.paper_out = True
    printer = open_printer({"type": "network", "host": "127.0.0.1", "port": server.port})
    with pytest.raises(PrinterError) as info:
        printer.print_ticket(LAYOUT)
    printer.close()
    assert info.value.code == "paper_out"


def test_network_silent_printer_reads_offline(server: SimulatorServer) -> None:
    # GIVEN a printer that accepts the connection but never answers status
    server.sim.faults.offline = True
    printer = open_printer(
        {"type": "network", "host": "127.0.0.1", "port": server.port, "timeout": 0.3}
    )
    # THEN the missing reply reads as offline and print is refused
    assert printer.status().state is PrinterState.OFFLINE
    with pytest.raises(PrinterError) as info:
        printer.print_ticket(LAYOUT)
    printer.close()
    assert info.value.code == "printer_offline"


def test_network_nobody_listening_is_offline_on_open() -> None:
    with socket.create_server(("127.0.0.1", 0)) as probe:
        port = probe.getsockname()[1]
    with pytest.raises(PrinterError) as info:
        open_printer({"type": "network", "host": "127.0.0.1", "port": port, "timeout": 2})
    assert info.value.code == "printer_offline"
    assert info.value.__cause__ is not None


def test_serial_over_a_pty_pair() -> None:
    # GIVEN a serial printer: pyserial on the pty slave, the simulator on the master
    pty = SimulatorPty(PrinterSimulator(width_dots=384))
    try:
        printer = open_printer(
            {"type": "serial", "device": pty.name, "baudrate": 115200, "profile": "pos-5890"}
        )
        pty.start()
        # WHEN status is read and a ticket printed
        status = printer.status()
        printer.print_ticket(LAYOUT)
        printer.close()
    finally:
        pty.close()
    # THEN DLE EOT was answered over the line and the ticket arrived intact
    assert status.state is PrinterState.READY
    ticket = pty.sim.tear_off()  # POS-5890: no cutter
    assert ticket is not None
    assert ticket.data == ticket_bytes(LAYOUT, printer.options)
    assert "A-012" in ticket.lines
    assert not ticket.overflow


def test_serial_cover_open() -> None:
    pty = SimulatorPty(PrinterSimulator(faults=Faults(cover_open=True)))
    try:
        printer = open_printer({"type": "serial", "device": pty.name})
        pty.start()
        with pytest.raises(PrinterError) as info:
            printer.print_ticket(LAYOUT)
        printer.close()
    finally:
        pty.close()
    assert info.value.code == "cover_open"


def test_serial_missing_device_is_offline(tmp_path: Path) -> None:
    with pytest.raises(PrinterError) as info:
        open_printer({"type": "serial", "device": str(tmp_path / "ttyUSB9")})
    assert info.value.code == "printer_offline"


def test_file_transport_writes_bytes_and_cannot_read_status(tmp_path: Path) -> None:
    # GIVEN a file (stand-in for /dev/usb/lp0)
    target = tmp_path / "lp0"
    printer = open_printer({"type": "file", "path": str(target), "profile": "epson-tm-t82x"})
    # THEN status is unknown (write-only) and printing still works
    assert printer.status().state is PrinterState.UNKNOWN
    printer.print_ticket(LAYOUT)
    printer.close()
    data = target.read_bytes()
    assert data == ticket_bytes(LAYOUT, printer.options)
    sim = PrinterSimulator()
    sim.receive(data)
    assert sim.tickets[0].qr_payloads == ["https://antrean.example/t/7Q2M9KX4"]


def test_usb_ids_come_from_the_profile() -> None:
    cfg, _, near_end = _model(PrinterConfig(type="usb", profile="epson-tm-t20ii"))
    assert (cfg.vendor_id, cfg.product_id) == (0x04B8, 0x0E15)
    assert cfg.timeout_ms == 2000  # a USB write timeout is always set
    assert near_end is False


def test_usb_transport_is_built_with_the_write_timeout() -> None:
    cfg, options, _ = _model(PrinterConfig(type="usb", vendor_id=1, product_id=2, timeout_ms=1500))
    if not Usb.is_usable():  # pyusb absent: refused before a Usb object exists
        with pytest.raises(PrinterError, match="pyusb"):
            build_transport(cfg, options)
        return
    usb = build_transport(cfg, options)
    assert isinstance(usb, Usb)
    assert usb.usb_args == {"idVendor": 1, "idProduct": 2} and usb.timeout == 1500


def test_usb_without_a_device_is_offline() -> None:
    # No printer is attached in CI (and pyusb may be absent): either way, printer_offline.
    with pytest.raises(PrinterError) as info:
        open_printer({"type": "usb", "vendor_id": 0x04B8, "product_id": 0xFFFF})
    assert info.value.code == "printer_offline"


@pytest.mark.parametrize(
    ("config", "key"),
    [
        ({"type": "laser"}, "type"),
        ({"type": "network"}, "host"),
        ({"type": "file"}, "path"),
        ({"type": "network", "host": "x", "colour": "red"}, "colour"),
        ({"host": "x"}, "type"),
        ({"type": "network", "host": "x", "port": "9100"}, "'port' must be int"),
        ({"type": "serial", "device": "/dev/x", "native_qr": 1}, "'native_qr' must be bool"),
    ],
)
def test_bad_config_names_the_key(config: dict, key: str) -> None:
    with pytest.raises(PrinterConfigError, match=re.escape(key)):
        open_printer(config)


class StallingPeer:
    """Scripted peer for an edge case the simulator cannot produce over TCP: it answers the
    four status queries 'ready', then stops reading, as a jammed printer with a full buffer."""

    def __init__(self) -> None:
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.release = threading.Event()
        self.thread = threading.Thread(target=self._serve, name="stalling-peer")
        self.thread.start()

    def _serve(self) -> None:
        try:
            conn, _ = self.listener.accept()
        except OSError:
            return
        with conn:
            seen, answered = b"", 0
            while answered < 4:
                chunk = conn.recv(64)
                if not chunk:
                    return
                seen += chunk
                while seen.count(b"\x10\x04") > answered:
                    conn.sendall(b"\x12")  # DLE EOT n: all clear
                    answered += 1
            self.release.wait(timeout=30)

    def close(self) -> None:
        self.release.set()
        self.listener.close()
        self.thread.join(timeout=10)
        assert not self.thread.is_alive()


def test_network_write_that_stalls_is_printer_timeout() -> None:
    # GIVEN a printer that says ready and then never takes another byte
    peer = StallingPeer()
    printer = open_printer(
        {"type": "network", "host": "127.0.0.1", "port": peer.port, "timeout": 0.5}
    )
    try:
        # WHEN more bytes are sent than the socket buffers hold
        with pytest.raises(PrinterError) as info:
            printer.print_raw(b"\x00" * (64 << 20))
    finally:
        printer.close()
        peer.close()
    # THEN the error is a timeout, chained to the socket's TimeoutError
    assert info.value.code == "printer_timeout"
    assert isinstance(info.value.__cause__, TimeoutError)


def test_a_late_status_reply_is_not_taken_for_the_next_answer(server: SimulatorServer) -> None:
    # GIVEN a network printer whose reply to an earlier query is still in the socket
    printer = open_printer({"type": "network", "host": "127.0.0.1", "port": server.port})
    server.sim.faults.paper_out = True
    printer._esc._raw(b"\x10\x04\x04")  # a query whose answer (paper out) nobody read
    _wait_readable(printer._esc.device)
    assert printer.status().state is PrinterState.PAPER_OUT  # its own answers agree
    server.sim.faults.paper_out = False
    printer._esc._raw(b"\x10\x04\x04")  # another unread answer, now 'paper ok'
    _wait_readable(printer._esc.device)
    server.sim.faults.cover_open = True
    # WHEN the status is read
    status = printer.status()
    printer.close()
    # THEN it reflects the current answers only
    assert status.state is PrinterState.COVER_OPEN


def _wait_readable(sock: socket.socket) -> None:
    readable, _, _ = select.select([sock], [], [], 5)
    assert readable, "the simulator did not answer"


def test_config_accepts_an_int_timeout_and_the_dataclass() -> None:
    cfg = PrinterConfig.from_mapping({"type": "network", "host": "h", "timeout": 3})
    assert cfg == PrinterConfig(type="network", host="h", timeout=3)


def test_paper_running_out_while_printing_is_paper_out_and_no_ticket(
        server: SimulatorServer) -> None:
    # GIVEN a roll with room for the first 40 bytes of a ticket
    server.sim.faults.paper_out_after_bytes = 40
    printer = open_printer({"type": "network", "host": "127.0.0.1", "port": server.port})
    # WHEN a ticket is printed THEN the status read after the write says paper out
    with pytest.raises(PrinterError) as info:
        printer.print_ticket(LAYOUT)
    assert info.value.code == "paper_out"
    assert "incomplete" in info.value.message
    # AND nothing came out whole: the page was lost with the end of the roll
    assert server.sim.tickets == [] and server.sim.lost_pages == 1
    # WHEN the roll is replaced THEN the next ticket prints whole
    server.sim.faults.paper_out = False
    printer.print_ticket(LAYOUT)
    printer.close()
    server.close()
    [ticket] = server.sim.tickets
    assert ticket.data == ticket_bytes(LAYOUT, printer.options)
