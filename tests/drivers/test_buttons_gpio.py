"""GPIO keypad driven through gpiozero's MockFactory (its official test pin factory)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from gpiozero.pins.mock import MockFactory

from drivers.buttons import Button, GpioKeypad, KeypadError, KeypadReader, KeypadStatus
from tests.drivers.test_buttons_support import FakeClock, Recorder

PINS = {17: Button.NEXT, 27: Button.RECALL, 22: Button.NO_SHOW, 23: Button.COMPLETE}


@pytest.fixture
def factory() -> Iterator[MockFactory]:
    factory = MockFactory()
    yield factory
    factory.close()


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def rec() -> Recorder:
    return Recorder()


@pytest.fixture
def keypad(factory: MockFactory, clock: FakeClock, rec: Recorder) -> Iterator[GpioKeypad]:
    keypad = GpioKeypad(PINS, pin_factory=factory, clock=clock, source="gpio-test")
    with KeypadReader(keypad, rec.on_press, rec.on_error, rec.on_status):
        rec.wait_status(KeypadStatus.CONNECTED)
        yield keypad


def tap(factory: MockFactory, pin: int, clock: FakeClock, hold_s: float = 0.01) -> None:
    """Press and release a pull-up button (pressed = low)."""
    factory.pin(pin).drive_low()
    clock.advance(hold_s)
    factory.pin(pin).drive_high()


def test_press_maps_pin_to_button(
    factory: MockFactory, clock: FakeClock, rec: Recorder, keypad: GpioKeypad
) -> None:
    tap(factory, 17, clock)
    clock.advance(0.3)
    tap(factory, 23, clock)
    rec.wait_presses(2)
    assert rec.buttons == [Button.NEXT, Button.COMPLETE]
    assert [p.at for p in rec.presses] == [1000.0, 1000.31]
    assert {p.source for p in rec.presses} == {"gpio-test"}


def test_bouncing_contact_is_one_press(
    factory: MockFactory, clock: FakeClock, rec: Recorder, keypad: GpioKeypad
) -> None:
    # GIVEN a contact that chatters: low/high/low/high within 20 ms
    for _ in range(3):
        tap(factory, 17, clock, hold_s=0.005)
        clock.advance(0.002)
    # WHEN another button is then pressed (a marker: presses are delivered in order)
    clock.advance(0.2)
    tap(factory, 27, clock)
    rec.wait_presses(2)
    # THEN the chatter produced exactly one NEXT
    assert rec.buttons == [Button.NEXT, Button.RECALL]


def test_release_alone_is_not_a_press(
    factory: MockFactory, clock: FakeClock, rec: Recorder, keypad: GpioKeypad
) -> None:
    factory.pin(22).drive_low()
    rec.wait_presses(1)
    clock.advance(5)
    factory.pin(22).drive_high()
    tap(factory, 23, clock)
    rec.wait_presses(2)
    assert rec.buttons == [Button.NO_SHOW, Button.COMPLETE]


def test_close_releases_pins_for_reuse(factory: MockFactory, clock: FakeClock) -> None:
    keypad = GpioKeypad(PINS, pin_factory=factory, clock=clock)
    keypad.open()
    keypad.close()
    keypad.open()  # would raise GPIOPinInUse if the first open leaked its Buttons
    keypad.close()


def test_pin_in_use_is_a_keypad_error(factory: MockFactory, clock: FakeClock) -> None:
    first = GpioKeypad({17: Button.NEXT}, pin_factory=factory, clock=clock)
    second = GpioKeypad({17: Button.RECALL}, pin_factory=factory, clock=clock)
    first.open()
    try:
        with pytest.raises(KeypadError, match="cannot set up GPIO"):
            second.open()
    finally:
        first.close()
