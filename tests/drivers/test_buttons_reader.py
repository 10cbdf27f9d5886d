"""KeypadReader over the simulated keypad: presses, filtering, unplug/replug, errors, stop."""

from __future__ import annotations

import threading

import pytest

from drivers.buttons import (
    Button,
    KeypadReader,
    KeypadStatus,
    Press,
    SimulatedKeypad,
    command_for,
)
from tests.drivers.test_buttons_support import Recorder

CONNECTED, UNPLUGGED, STOPPED = (
    KeypadStatus.CONNECTED,
    KeypadStatus.UNPLUGGED,
    KeypadStatus.STOPPED,
)


def make_reader(keypad: SimulatedKeypad, rec: Recorder, **kwargs: float) -> KeypadReader:
    return KeypadReader(
        keypad,
        rec.on_press,
        rec.on_error,
        rec.on_status,
        backoff_initial_s=0.01,
        backoff_max_s=0.05,
        **kwargs,
    )


def test_presses_reach_on_press_with_source_and_time() -> None:
    keypad, rec = SimulatedKeypad("counter-03-keypad"), Recorder()
    with make_reader(keypad, rec) as reader:
        rec.wait_status(CONNECTED)
        # WHEN the officer presses NEXT then RECALL
        keypad.press(Button.NEXT, at=100.0)
        keypad.press(Button.RECALL, at=100.2)
        rec.wait_presses(2)
        assert reader.status is CONNECTED
    # THEN both arrive, stamped, and map to the on-screen buttons' commands
    assert rec.presses == [
        Press(Button.NEXT, 100.0, "counter-03-keypad"),
        Press(Button.RECALL, 100.2, "counter-03-keypad"),
    ]
    assert [command_for(p.button, "counter-03")[0] for p in rec.presses] == [
        "counter.call_next",
        "counter.recall",
    ]
    assert rec.statuses == [CONNECTED, STOPPED]
    assert not keypad.is_open


def test_nervous_double_press_calls_one_citizen() -> None:
    keypad, rec = SimulatedKeypad(), Recorder()
    with make_reader(keypad, rec):
        rec.wait_status(CONNECTED)
        keypad.press(Button.NEXT, at=50.0)
        keypad.press(Button.NEXT, at=50.02)  # bounce
        keypad.press(Button.NEXT, at=50.7)  # nervous second press
        keypad.press(Button.COMPLETE, at=50.8)  # a different button goes through
        keypad.press(Button.NEXT, at=52.0)  # a deliberate next call, after the window
        rec.wait_presses(3)
    assert rec.buttons == [Button.NEXT, Button.COMPLETE, Button.NEXT]


def test_unplug_and_replug_report_status_changes_once() -> None:
    keypad, rec = SimulatedKeypad(), Recorder()
    with make_reader(keypad, rec):
        rec.wait_status(CONNECTED)
        # WHEN the keypad is unplugged, and the reader retries several times
        keypad.unplug()
        rec.wait_status(UNPLUGGED)
        opens = keypad.open_count
        keypad.press(Button.NEXT)  # lost: nothing is plugged in
        keypad.replug()
        # THEN it reconnects and presses flow again
        rec.wait_status(CONNECTED, occurrence=2)
        assert keypad.open_count == opens + 1
        keypad.press(Button.RECALL)
        rec.wait_presses(1)
    assert rec.statuses == [CONNECTED, UNPLUGGED, CONNECTED, STOPPED]
    assert rec.buttons == [Button.RECALL]
    assert rec.errors == []


def test_keypad_absent_at_start_reports_unplugged_then_connects() -> None:
    keypad, rec = SimulatedKeypad(), Recorder()
    keypad.unplug()
    with make_reader(keypad, rec):
        rec.wait_status(UNPLUGGED)
        keypad.replug()
        rec.wait_status(CONNECTED)
    assert rec.statuses == [UNPLUGGED, CONNECTED, STOPPED]


def test_on_press_raising_goes_to_on_error_and_reading_continues() -> None:
    keypad, rec = SimulatedKeypad(), Recorder()
    boom = RuntimeError("console busy")

    def on_press(press: Press) -> None:
        if press.button is Button.NEXT:
            raise boom
        rec.on_press(press)

    reader = KeypadReader(keypad, on_press, rec.on_error, rec.on_status)
    with reader:
        rec.wait_status(CONNECTED)
        keypad.press(Button.NEXT, at=1.0)
        keypad.press(Button.RECALL, at=1.1)
        rec.wait_presses(1)
    assert rec.errors == [boom]
    assert rec.buttons == [Button.RECALL]


class BrokenKeypad(SimulatedKeypad):
    """A transport bug: read raises something that is not KeypadUnplugged, once."""

    def __init__(self) -> None:
        super().__init__("broken")
        self.failed = threading.Event()

    def read(self, timeout: float) -> Press | None:
        if not self.failed.is_set():
            self.failed.set()
            raise ValueError("driver bug")
        return super().read(timeout)


def test_transport_error_is_reported_and_reader_recovers() -> None:
    keypad, rec = BrokenKeypad(), Recorder()
    with make_reader(keypad, rec):
        rec.wait_status(CONNECTED, occurrence=2)
        keypad.press(Button.NO_SHOW)
        rec.wait_presses(1)
    assert [str(e) for e in rec.errors] == ["driver bug"]
    assert rec.statuses == [CONNECTED, UNPLUGGED, CONNECTED, STOPPED]


def test_stop_is_prompt_while_waiting_in_backoff() -> None:
    keypad, rec = SimulatedKeypad(), Recorder()
    keypad.unplug()
    reader = KeypadReader(keypad, rec.on_press, rec.on_error, rec.on_status, backoff_initial_s=3600)
    reader.start()
    rec.wait_status(UNPLUGGED)
    reader.stop(timeout=2.0)  # raises if the thread is still sleeping
    assert rec.statuses == [UNPLUGGED, STOPPED]


def test_start_twice_is_an_error() -> None:
    keypad, rec = SimulatedKeypad(), Recorder()
    with make_reader(keypad, rec) as reader, pytest.raises(RuntimeError, match="already"):
        reader.start()
