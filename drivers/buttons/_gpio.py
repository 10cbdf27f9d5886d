"""GpioKeypad: buttons wired to Raspberry Pi GPIO (BCM numbering) through gpiozero."""

from __future__ import annotations

import queue
import time
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING

from drivers.buttons._model import Button, KeypadError, Press

if TYPE_CHECKING:
    from gpiozero import Button as GpioButton
    from gpiozero import Factory

DEFAULT_BOUNCE_TIME_S = 0.05


class GpioKeypad:
    """Wired buttons cannot be unplugged: read() only ever times out or returns a press.

    `pin_factory` is passed to every gpiozero Button (None: gpiozero's default, which on a
    Pi is lgpio; tests pass a MockFactory).
    """

    def __init__(
        self,
        pins: Mapping[int, Button],
        *,
        pull_up: bool = True,
        bounce_time_s: float | None = DEFAULT_BOUNCE_TIME_S,
        pin_factory: Factory | None = None,
        source: str = "gpio",
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.pins = dict(pins)
        self.pull_up = pull_up
        self.bounce_time_s = bounce_time_s
        self.source = source
        self._factory = pin_factory
        self._clock = clock
        self._devices: list[GpioButton] = []
        self._presses: queue.SimpleQueue[Press] = queue.SimpleQueue()

    def open(self) -> None:
        from gpiozero import Button as GpioButton
        from gpiozero import GPIOZeroError

        self.close()
        try:
            for pin, button in self.pins.items():
                device = GpioButton(
                    pin,
                    pull_up=self.pull_up,
                    bounce_time=self.bounce_time_s,
                    pin_factory=self._factory,
                )
                self._devices.append(device)
                device.when_pressed = self._callback(button)
        except GPIOZeroError as err:
            self.close()
            raise KeypadError(f"{self.source}: cannot set up GPIO: {err}") from err

    def read(self, timeout: float) -> Press | None:
        try:
            return self._presses.get(timeout=timeout)
        except queue.Empty:
            return None

    def close(self) -> None:
        devices, self._devices = self._devices, []
        for device in devices:
            device.close()
        while not self._presses.empty():
            self._presses.get_nowait()

    def _callback(self, button: Button) -> Callable[[], None]:
        def pressed() -> None:
            self._presses.put(Press(button, self._clock(), self.source))

        return pressed
