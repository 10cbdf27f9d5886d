"""The serial transport over a real pty pair: pyserial opens the slave, the test writes to
the master as the scanner would. Closing the master is an unplug."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from drivers.scanner import (
    SCANNER_CLOSED,
    SCANNER_NOT_FOUND,
    SCANNER_UNPLUGGED,
    Scan,
    ScanKind,
    ScannerError,
    ScannerReader,
    SerialScanner,
    classify,
    open_scanner,
)

WAIT_S = 5.0


class Pty:
    """A pty pair; `write` is the scanner sending bytes, `unplug` closes both ends."""

    def __init__(self) -> None:
        self.master, self._slave = os.openpty()
        self.name = os.ttyname(self._slave)
        self.open = True

    def write(self, data: bytes) -> None:
        os.write(self.master, data)

    def unplug(self) -> None:
        if self.open:
            self.open = False
            os.close(self.master)
            os.close(self._slave)


@pytest.fixture
def ptys() -> Iterator[list[Pty]]:
    made: list[Pty] = []
    yield made
    for pty in made:
        pty.unplug()


def new_pty(ptys: list[Pty]) -> Pty:
    pty = Pty()
    ptys.append(pty)
    return pty


def point(link: Path, target: str) -> None:
    """Atomically (re)point the symlink, as udev does for /dev/mpp-scanner."""
    tmp = link.with_suffix(".new")
    tmp.symlink_to(target)
    tmp.replace(link)


@pytest.fixture
def link(tmp_path: Path) -> Path:
    return tmp_path / "mpp-scanner"


def read_text(scanner: SerialScanner) -> str:
    scan = scanner.read(timeout=WAIT_S)
    assert scan is not None, "no scan within the timeout"
    return scan.text


@pytest.mark.parametrize(
    ("terminator", "ending"), [("CR", b"\r"), ("LF", b"\n"), ("CRLF", b"\r\n")]
)
def test_lines_with_each_terminator(ptys: list[Pty], terminator: str, ending: bytes) -> None:
    pty = new_pty(ptys)
    with SerialScanner(pty.name, baudrate=115200, terminator=terminator).open() as scanner:
        pty.write(b"AB12CD" + ending + b"MPP1:mpp-makassar:APT-000123" + ending)
        assert read_text(scanner) == "AB12CD"
        scan = scanner.read(timeout=WAIT_S)
        assert scan is not None
        assert scan.text == "MPP1:mpp-makassar:APT-000123"
        assert scan.source == f"serial:{pty.name}"


def test_line_split_across_writes(ptys: list[Pty]) -> None:
    pty = new_pty(ptys)
    with SerialScanner(pty.name).open() as scanner:
        pty.write(b"MPP1:T:0123456789abcdef")
        assert scanner.read(timeout=0.05) is None
        pty.write(b"0123456789abcdef\r")
        assert classify(read_text(scanner)) is ScanKind.TICKET


def test_garbage_bytes_come_out_as_garbage(ptys: list[Pty]) -> None:
    pty = new_pty(ptys)
    with SerialScanner(pty.name).open() as scanner:
        pty.write(b"\x00\xff\xfe\x1b\x80\r\x02AB12CD\x03\r")
        garbage = read_text(scanner)
        assert classify(garbage) is ScanKind.GARBAGE
        assert read_text(scanner) == "AB12CD"  # STX/ETX framing stripped


def test_utf8_and_latin1(ptys: list[Pty]) -> None:
    pty = new_pty(ptys)
    with SerialScanner(pty.name).open() as scanner:
        pty.write("Sulawesi Selatan – Makassar\r".encode() + "Café\r".encode("latin-1"))
        assert read_text(scanner) == "Sulawesi Selatan – Makassar"
        assert read_text(scanner) == "Café"


def test_close_of_master_is_an_unplug(ptys: list[Pty]) -> None:
    pty = new_pty(ptys)
    scanner = SerialScanner(pty.name).open()
    pty.write(b"AB12")  # a partial line, lost with the cable
    pty.unplug()
    with pytest.raises(ScannerError) as info:
        scanner.read(timeout=WAIT_S)
    assert info.value.code == SCANNER_UNPLUGGED
    with pytest.raises(ScannerError) as after:
        scanner.read(timeout=0)
    assert after.value.code == SCANNER_CLOSED
    scanner.close()


def test_open_missing_port_is_not_found(tmp_path: Path) -> None:
    with pytest.raises(ScannerError) as info:
        open_scanner({"type": "serial", "port": str(tmp_path / "nothing")})
    assert info.value.code == SCANNER_NOT_FOUND


def test_reader_reconnects_after_replug(ptys: list[Pty], link: Path) -> None:
    # GIVEN a reader on the udev-style symlink of a plugged-in scanner
    first = new_pty(ptys)
    point(link, first.name)
    scans: list[Scan] = []
    errors: list[ScannerError] = []
    got_scan, got_error, reconnected = threading.Event(), threading.Event(), threading.Event()

    def on_scan(scan: Scan) -> None:
        scans.append(scan)
        got_scan.set()

    def on_error(err: ScannerError) -> None:
        errors.append(err)
        got_error.set()

    scanner = open_scanner({"type": "serial", "port": str(link), "baudrate": 115200})
    reader = ScannerReader(
        scanner, on_scan, on_error, on_reconnect=reconnected.set, backoff=(0.01, 0.05)
    )
    with reader.start():
        first.write(b"AB12CD\r")
        assert got_scan.wait(WAIT_S)
        # WHEN the scanner is unplugged
        first.unplug()
        assert got_error.wait(WAIT_S)
        assert errors[0].code == SCANNER_UNPLUGGED
        # AND plugged in again (a new tty; udev re-points the symlink)
        second = new_pty(ptys)
        point(link, second.name)
        assert reconnected.wait(WAIT_S)
        got_scan.clear()
        second.write(b"EF34GH\r")
        # THEN scans flow again
        assert got_scan.wait(WAIT_S)
    assert not reader.running
    assert [s.text for s in scans] == ["AB12CD", "EF34GH"]
