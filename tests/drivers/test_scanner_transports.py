"""The socket (127.0.0.1), file and simulated transports, and the reader over them."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from drivers.scanner import (
    SCANNER_CLOSED,
    SCANNER_CONFIG,
    SCANNER_NOT_FOUND,
    SCANNER_UNPLUGGED,
    FileScanner,
    Scan,
    ScanKind,
    ScannerError,
    ScannerReader,
    SimulatedScanner,
    SocketScanner,
    classify,
    iter_scans,
    open_scanner,
)

WAIT_S = 5.0


def texts(scanner: object, n: int) -> list[str]:
    out = []
    for _ in range(n):
        scan = scanner.read(timeout=WAIT_S)  # type: ignore[attr-defined]
        assert scan is not None, f"only {out} within the timeout"
        out.append(scan.text)
    return out


# --------------------------------------------------------------------------- socket


@pytest.fixture
def sock_scanner() -> Iterator[SocketScanner]:
    scanner = open_scanner({"type": "socket", "port": 0})
    assert isinstance(scanner, SocketScanner)
    yield scanner
    scanner.close()


def test_socket_lines_from_a_client(sock_scanner: SocketScanner) -> None:
    host, port = sock_scanner.address
    assert host == "127.0.0.1"
    with socket.create_connection((host, port)) as client:
        client.sendall(b"AB12CD\nMPP1:mpp-")
        assert texts(sock_scanner, 1) == ["AB12CD"]
        client.sendall(b"makassar:APT-000123\n")
        scan = sock_scanner.read(timeout=WAIT_S)
    assert scan is not None
    assert scan.text == "MPP1:mpp-makassar:APT-000123"
    assert scan.source == f"socket:127.0.0.1:{port}"


def test_socket_clients_one_after_another(sock_scanner: SocketScanner) -> None:
    for code in ("AAAA11", "BBBB22"):
        with socket.create_connection(sock_scanner.address) as client:
            client.sendall(code.encode() + b"\n")
        assert texts(sock_scanner, 1) == [code]
    assert sock_scanner.read(timeout=0.05) is None


def test_socket_closed_client_partial_line_is_dropped(sock_scanner: SocketScanner) -> None:
    with socket.create_connection(sock_scanner.address) as client:
        client.sendall(b"TRUNC")
    with socket.create_connection(sock_scanner.address) as client:
        client.sendall(b"CCCC33\n")
        assert texts(sock_scanner, 1) == ["CCCC33"]


def test_socket_is_loopback_only() -> None:
    with pytest.raises(ScannerError) as info:
        open_scanner({"type": "socket", "host": "0.0.0.0", "port": 0})
    assert info.value.code == SCANNER_CONFIG


def test_socket_read_after_close(sock_scanner: SocketScanner) -> None:
    sock_scanner.close()
    with pytest.raises(ScannerError) as info:
        sock_scanner.read(timeout=0)
    assert info.value.code == SCANNER_CLOSED


# --------------------------------------------------------------------------- file


def test_file_lines_then_appended_lines(tmp_path: Path) -> None:
    path = tmp_path / "scans.txt"
    path.write_bytes(b"AB12CD\n\nMPP1:T:0123456789abcdef0123456789abcdef\nLAST99")
    with open_scanner({"type": "file", "path": str(path)}) as scanner:
        assert texts(scanner, 3) == [
            "AB12CD",
            "MPP1:T:0123456789abcdef0123456789abcdef",
            "LAST99",  # no final newline needed
        ]
        assert scanner.read(timeout=0.05) is None
        with path.open("ab") as out:
            out.write(b"\nNEXT12\n")
        assert texts(scanner, 1) == ["NEXT12"]


def test_file_iter_scans_stops_when_idle(tmp_path: Path) -> None:
    path = tmp_path / "scans.txt"
    path.write_text("AAAA11\r\nBBBB22\r\n", encoding="utf-8")
    with FileScanner(path, terminator="CRLF").open() as scanner:
        assert [s.text for s in iter_scans(scanner, idle_timeout=0.05)] == ["AAAA11", "BBBB22"]


def test_file_missing(tmp_path: Path) -> None:
    with pytest.raises(ScannerError) as info:
        open_scanner({"type": "file", "path": str(tmp_path / "none.txt")})
    assert info.value.code == SCANNER_NOT_FOUND


# --------------------------------------------------------------------------- simulated


def test_simulated_feed_and_garbage() -> None:
    with SimulatedScanner().open() as sim:
        sim.feed("AB12CD")
        sim.feed_garbage()
        sim.feed("Café")
        first, garbage, cafe = texts(sim, 3)
    assert first == "AB12CD"
    assert classify(garbage) is ScanKind.GARBAGE
    assert cafe == "Café"


def test_simulated_truncated_line_is_not_glued_to_the_next() -> None:
    clock = [0.0]
    sim = SimulatedScanner(clock=lambda: clock[0], stale_after=1.0).open()
    sim.feed_truncated("APT-000123")  # "APT-0" with no terminator
    assert sim.read(timeout=0) is None
    clock[0] += 5.0
    sim.feed("XYZ123")
    assert texts(sim, 1) == ["XYZ123"]
    sim.close()


def test_simulated_unplug_and_replug() -> None:
    sim = SimulatedScanner().open()
    sim.unplug()
    sim.feed("LOST11")
    with pytest.raises(ScannerError) as info:
        sim.read(timeout=WAIT_S)
    assert info.value.code == SCANNER_UNPLUGGED
    sim.close()
    with pytest.raises(ScannerError) as reopen:
        sim.open()
    assert reopen.value.code == SCANNER_NOT_FOUND
    sim.replug()
    sim.open()
    sim.feed("BACK22")
    assert texts(sim, 1) == ["BACK22"]
    sim.close()


def test_simulated_unplug_wakes_a_blocked_read() -> None:
    sim = SimulatedScanner().open()
    result: list[BaseException] = []
    waiting = threading.Event()

    def blocked_read() -> None:
        waiting.set()
        try:
            sim.read(timeout=None)
        except ScannerError as err:
            result.append(err)

    thread = threading.Thread(target=blocked_read)
    thread.start()
    assert waiting.wait(WAIT_S)
    sim.unplug()
    thread.join(WAIT_S)
    assert not thread.is_alive()
    assert isinstance(result[0], ScannerError) and result[0].code == SCANNER_UNPLUGGED


# --------------------------------------------------------------------------- reader


class Recorder:
    def __init__(self) -> None:
        self.scans: list[Scan] = []
        self.errors: list[ScannerError] = []
        self.cond = threading.Condition()
        self.reconnects = 0

    def on_scan(self, scan: Scan) -> None:
        with self.cond:
            self.scans.append(scan)
            self.cond.notify_all()

    def on_error(self, err: ScannerError) -> None:
        with self.cond:
            self.errors.append(err)
            self.cond.notify_all()

    def on_reconnect(self) -> None:
        with self.cond:
            self.reconnects += 1
            self.cond.notify_all()

    def wait(self, predicate: object) -> None:
        with self.cond:
            assert self.cond.wait_for(predicate, WAIT_S)  # type: ignore[arg-type]


def test_reader_survives_unplug_and_replug() -> None:
    # GIVEN a reader on a simulated scanner
    sim = SimulatedScanner().open()
    rec = Recorder()
    reader = ScannerReader(
        sim, rec.on_scan, rec.on_error, on_reconnect=rec.on_reconnect, backoff=(0.01, 0.02)
    )
    with reader:
        sim.feed("AAAA11")
        rec.wait(lambda: len(rec.scans) == 1)
        # WHEN it is unplugged, then plugged in again
        sim.unplug()
        rec.wait(lambda: len(rec.errors) == 1)
        sim.replug()
        rec.wait(lambda: rec.reconnects == 1)
        sim.feed("BBBB22")
        rec.wait(lambda: len(rec.scans) == 2)
    # THEN the error was reported once, scans resumed and the thread is gone
    assert [e.code for e in rec.errors] == [SCANNER_UNPLUGGED]
    assert [s.text for s in rec.scans] == ["AAAA11", "BBBB22"]
    assert not reader.running


def test_reader_without_reconnect_stops_after_unplug() -> None:
    sim = SimulatedScanner().open()
    rec = Recorder()
    reader = ScannerReader(sim, rec.on_scan, rec.on_error, reconnect=False).start()
    sim.unplug()
    rec.wait(lambda: len(rec.errors) == 1)
    reader.stop()
    assert not reader.running


def test_reader_keeps_going_when_a_callback_raises(caplog: pytest.LogCaptureFixture) -> None:
    sim = SimulatedScanner().open()
    rec = Recorder()

    def flaky(scan: Scan) -> None:
        rec.on_scan(scan)
        if scan.text == "BOOM11":
            raise RuntimeError("kiosk bug")

    with ScannerReader(sim, flaky, rec.on_error):
        sim.feed("BOOM11")
        sim.feed("FINE22")
        rec.wait(lambda: len(rec.scans) == 2)
    assert "kiosk bug" in caplog.text


def test_reader_stop_while_unplugged_ends_the_backoff() -> None:
    sim = SimulatedScanner().open()
    rec = Recorder()
    reader = ScannerReader(sim, rec.on_scan, rec.on_error, backoff=(0.01, 0.02)).start()
    sim.unplug()
    rec.wait(lambda: len(rec.errors) == 1)
    reader.stop()
    assert not reader.running
