"""Serial keypad: the line protocol as pure functions, then over a real pty pair.

The pty's slave path is reached through a symlink (like /dev/serial/by-id/...), so a
replug is a new pty with the symlink re-pointed to it.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from drivers.buttons import (
    Button,
    ButtonLine,
    HelloLine,
    KeypadReader,
    KeypadStatus,
    KeypadUnplugged,
    SerialKeypad,
    UnknownLine,
    parse_line,
)
from drivers.buttons._serial_protocol import MAX_LINE, LineSplitter
from tests.drivers.test_buttons_support import Recorder

# --------------------------------------------------------------------------- pure protocol


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (b"BTN NEXT", ButtonLine(Button.NEXT)),
        (b"BTN RECALL", ButtonLine(Button.RECALL)),
        (b"BTN NO_SHOW", ButtonLine(Button.NO_SHOW)),
        (b"BTN COMPLETE", ButtonLine(Button.COMPLETE)),
        (b"BTN START", ButtonLine(Button.START)),
        (b"btn next ", ButtonLine(Button.NEXT)),
        (b"HELLO MPPKEY-6 1.2.0", HelloLine("MPPKEY-6", "1.2.0")),
        (b"BTN FOO", UnknownLine("BTN FOO", "unknown button")),
        (b"BTN", UnknownLine("BTN", "unknown message")),
        (b"BTN NEXT NOW", UnknownLine("BTN NEXT NOW", "unknown message")),
        (b"HELLO", UnknownLine("HELLO", "unknown message")),
        (b"", UnknownLine("", "empty")),
        (b"\xffBTN NEXT", UnknownLine("\\xffBTN NEXT", "not ASCII")),
    ],
)
def test_parse_line(raw: bytes, expected: object) -> None:
    assert parse_line(raw) == expected


def test_line_splitter_joins_chunks_and_drops_overlong_lines() -> None:
    splitter = LineSplitter()
    assert splitter.feed(b"BT") == []
    assert splitter.feed(b"N NE") == []
    assert splitter.feed(b"XT\r\nBTN RE") == [b"BTN NEXT"]
    assert splitter.feed(b"CALL\n") == [b"BTN RECALL"]
    # a line longer than MAX_LINE, with and without the newline in the same chunk
    assert splitter.feed(b"x" * (MAX_LINE + 1) + b"\n") == [LineSplitter.OVERLONG]
    assert splitter.feed(b"y" * (MAX_LINE + 5)) == []
    assert splitter.feed(b"yyy\nBTN NEXT\n") == [LineSplitter.OVERLONG, b"BTN NEXT"]


# --------------------------------------------------------------------------- over a pty


class PtyPort:
    """A fake keypad on a pty: the test holds the master, the code opens `path`."""

    def __init__(self, directory: Path) -> None:
        self.path = directory / "ttyKEYPAD"
        self.master: int | None = None
        self.replug()

    def replug(self) -> None:
        master, slave = os.openpty()
        name = os.ttyname(slave)
        os.close(slave)  # pyserial opens the slave by name; the master keeps the pty alive
        self.master = master
        tmp = self.path.with_suffix(".new")
        tmp.symlink_to(name)
        tmp.replace(self.path)

    def write(self, data: bytes) -> None:
        assert self.master is not None
        os.write(self.master, data)

    def unplug(self) -> None:
        if self.master is not None:
            os.close(self.master)
            self.master = None


@pytest.fixture
def pty_port(tmp_path: Path) -> Iterator[PtyPort]:
    port = PtyPort(tmp_path)
    yield port
    port.unplug()


@pytest.fixture
def rec() -> Recorder:
    return Recorder()


@pytest.fixture
def reader(pty_port: PtyPort, rec: Recorder) -> Iterator[tuple[SerialKeypad, KeypadReader]]:
    keypad = SerialKeypad(str(pty_port.path), baudrate=19200, source="kp")
    reader = KeypadReader(
        keypad,
        rec.on_press,
        rec.on_error,
        rec.on_status,
        backoff_initial_s=0.01,
        backoff_max_s=0.05,
    )
    reader.start()
    rec.wait_status(KeypadStatus.CONNECTED)
    yield keypad, reader
    reader.stop()


def test_lines_and_hello(pty_port: PtyPort, rec: Recorder, reader: tuple) -> None:
    keypad, _ = reader
    # WHEN the keypad powers up and two buttons are pressed
    pty_port.write(b"HELLO MPPKEY-6 1.2.0\r\nBTN NEXT\nBTN RECALL\n")
    rec.wait_presses(2)
    # THEN the presses arrive in order and the greeting is remembered
    assert rec.buttons == [Button.NEXT, Button.RECALL]
    assert {p.source for p in rec.presses} == {"kp"}
    assert keypad.hello == HelloLine("MPPKEY-6", "1.2.0")


def test_split_lines(pty_port: PtyPort, rec: Recorder, reader: tuple) -> None:
    for chunk in (b"BT", b"N NO_", b"SHOW", b"\nBTN COMP", b"LETE\n"):
        pty_port.write(chunk)
    rec.wait_presses(2)
    assert rec.buttons == [Button.NO_SHOW, Button.COMPLETE]


def test_garbage_is_ignored_and_logged(
    pty_port: PtyPort, rec: Recorder, reader: tuple, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING, logger="drivers.buttons")
    pty_port.write(b"\xfe\xff\nBTN FOO\nPING\n" + b"z" * 300 + b"\nBTN START\n")
    rec.wait_presses(1)
    assert rec.buttons == [Button.START]
    messages = [r.getMessage() for r in caplog.records]
    assert any("not ASCII" in m for m in messages)
    assert any("'BTN FOO' (unknown button)" in m for m in messages)
    assert any("'PING' (unknown message)" in m for m in messages)
    assert any("overlong" in m for m in messages)
    assert rec.errors == []


def test_double_press_over_serial_is_one_press(
    pty_port: PtyPort, rec: Recorder, reader: tuple
) -> None:
    pty_port.write(b"BTN NEXT\nBTN NEXT\nBTN RECALL\n")
    rec.wait_presses(2)
    assert rec.buttons == [Button.NEXT, Button.RECALL]


def test_unplug_and_replug(pty_port: PtyPort, rec: Recorder, reader: tuple) -> None:
    keypad, _ = reader
    pty_port.write(b"BTN NEXT\n")
    rec.wait_presses(1)
    # WHEN the cable is pulled THEN the reader reports unplugged
    pty_port.unplug()
    rec.wait_status(KeypadStatus.UNPLUGGED)
    # WHEN it comes back (a new tty behind the same by-id style path)
    pty_port.replug()
    rec.wait_status(KeypadStatus.CONNECTED, occurrence=2)
    pty_port.write(b"HELLO MPPKEY-6 1.2.1\nBTN COMPLETE\n")
    rec.wait_presses(2)
    # THEN presses flow again
    assert rec.buttons == [Button.NEXT, Button.COMPLETE]
    assert keypad.hello == HelloLine("MPPKEY-6", "1.2.1")
    assert rec.statuses == [KeypadStatus.CONNECTED, KeypadStatus.UNPLUGGED, KeypadStatus.CONNECTED]
    assert rec.errors == []


def test_open_missing_port_is_unplugged(tmp_path: Path) -> None:
    keypad = SerialKeypad(str(tmp_path / "nothing"))
    with pytest.raises(KeypadUnplugged, match="cannot open") as info:
        keypad.open()
    assert info.value.code == "keypad_unplugged"
    keypad.close()
    with pytest.raises(KeypadUnplugged, match="not open"):
        keypad.read(0.0)
