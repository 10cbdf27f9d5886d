"""Typed keypad configuration and the TOML profile loader (hardware/keypads/*.toml).

Every error is a KeypadConfigError whose message starts `<file>: <dotted.key>: `.
Unknown keys are rejected. Defaults live in the dataclasses below and nowhere else.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NoReturn, TypeVar

from drivers.buttons._filter import DEFAULT_DEBOUNCE_S, DEFAULT_REPEAT_WINDOW_S, PressFilter
from drivers.buttons._gpio import DEFAULT_BOUNCE_TIME_S
from drivers.buttons._hid import HidSelector, parse_key_code
from drivers.buttons._model import Button, KeypadConfigError, parse_button
from drivers.buttons._serial import DEFAULT_BAUDRATE

T = TypeVar("T")
_VID_PID = re.compile(r"^([0-9a-fA-F]{4}):([0-9a-fA-F]{4})$")


@dataclass(frozen=True)
class FilterConfig:
    debounce_s: float = DEFAULT_DEBOUNCE_S
    repeat_window_s: float = DEFAULT_REPEAT_WINDOW_S

    def make(self) -> PressFilter:
        return PressFilter(self.debounce_s, self.repeat_window_s)


@dataclass(frozen=True)
class HidConfig:
    selector: HidSelector
    keys: Mapping[int, Button]
    grab: bool = True


@dataclass(frozen=True)
class SerialConfig:
    port: str
    baudrate: int = DEFAULT_BAUDRATE


@dataclass(frozen=True)
class GpioConfig:
    pins: Mapping[int, Button]
    pull_up: bool = True
    bounce_time_s: float | None = DEFAULT_BOUNCE_TIME_S


@dataclass(frozen=True)
class SimulatedConfig:
    pass


TransportConfig = HidConfig | SerialConfig | GpioConfig | SimulatedConfig


@dataclass(frozen=True)
class KeypadConfig:
    type: str
    transport: TransportConfig
    model: str = ""
    source: str | None = None
    filter: FilterConfig = field(default_factory=FilterConfig)


def load_keypad_profile(path: str | Path) -> KeypadConfig:
    """Read and validate one profile file."""
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as err:
        raise KeypadConfigError(f"{path}: cannot read: {err}") from err
    except tomllib.TOMLDecodeError as err:
        raise KeypadConfigError(f"{path}: not valid TOML: {err}") from err
    return parse_keypad_config(data, str(path))


def parse_keypad_config(data: Mapping[str, Any], origin: str = "<config>") -> KeypadConfig:
    """A mapping shaped like a profile file -> KeypadConfig (origin names it in errors)."""
    r = _Reader(origin)
    kind = r.get(data, "type", str)
    parser = _TRANSPORTS.get(kind)
    if parser is None:
        r.fail("type", f"unknown keypad type {kind!r} (one of {', '.join(sorted(_TRANSPORTS))})")
    r.only(data, "", {"type", "model", "description", "source", "filter", kind})
    model, source = r.get(data, "model", str, ""), r.get(data, "source", str, None)
    r.get(data, "description", str, "")
    transport = parser(r, r.table(data, kind, required=kind != "simulated"))
    r.prefix = ""
    press_filter = _parse_filter(r, r.table(data, "filter", required=False))
    return KeypadConfig(kind, transport, model, source, press_filter)


class _Reader:
    """Typed access to raw TOML values with errors naming the file and the dotted key."""

    def __init__(self, origin: str) -> None:
        self.origin = origin
        self.prefix = ""

    def fail(self, key: str, problem: str) -> NoReturn:
        raise KeypadConfigError(f"{self.origin}: {self.prefix}{key}: {problem}")

    def get(self, data: Mapping[str, Any], key: str, kind: type[T], *default: Any) -> Any:
        if key not in data:
            return default[0] if default else self.fail(key, "missing")
        value = data[key]
        ok = isinstance(value, kind) and not (kind is not bool and isinstance(value, bool))
        if kind is float and isinstance(value, int) and not isinstance(value, bool):
            return float(value)
        return value if ok else self.fail(key, f"expected {kind.__name__}, got {value!r}")

    def table(self, data: Mapping[str, Any], key: str, *, required: bool) -> Mapping[str, Any]:
        value = data.get(key, None if required else {})
        if not isinstance(value, Mapping):
            self.fail(key, "missing table" if value is None else "expected a table")
        self.prefix = f"{key}."
        return value

    def only(self, data: Mapping[str, Any], where: str, allowed: set[str]) -> None:
        for key in data:
            if key not in allowed:
                self.fail(f"{where}{key}", "unknown key")

    def buttons(self, data: Mapping[str, Any], key: str, conv: Callable[[str], int]) -> dict:
        table = self.get(data, key, dict)
        out: dict[int, Button] = {}
        for raw, name in table.items():
            try:
                out[conv(raw)] = parse_button(name if isinstance(name, str) else repr(name))
            except ValueError as err:
                self.fail(f"{key}.{raw}", str(err))
        if not out:
            self.fail(key, "maps no buttons")
        return out


def _parse_filter(r: _Reader, data: Mapping[str, Any]) -> FilterConfig:
    r.only(data, "", {"debounce_s", "repeat_window_s"})
    debounce = r.get(data, "debounce_s", float, DEFAULT_DEBOUNCE_S)
    window = r.get(data, "repeat_window_s", float, DEFAULT_REPEAT_WINDOW_S)
    for key, value in (("debounce_s", debounce), ("repeat_window_s", window)):
        if value < 0:
            r.fail(key, "must be >= 0")
    return FilterConfig(debounce, window)


def _parse_hid(r: _Reader, data: Mapping[str, Any]) -> HidConfig:
    r.only(data, "", {"path", "vendor_product", "name", "grab", "keys"})
    vid_pid = r.get(data, "vendor_product", str, None)
    parsed = None
    if vid_pid is not None:
        match = _VID_PID.match(vid_pid)
        if match is None:
            r.fail("vendor_product", f"expected 'vvvv:pppp' in hex, got {vid_pid!r}")
        parsed = (int(match[1], 16), int(match[2], 16))
    path, name = r.get(data, "path", str, None), r.get(data, "name", str, None)
    if path is None and parsed is None and name is None:
        r.fail("path", "set one of path, vendor_product, name")
    keys = r.buttons(data, "keys", parse_key_code)
    return HidConfig(HidSelector(path, parsed, name), keys, r.get(data, "grab", bool, True))


def _parse_serial(r: _Reader, data: Mapping[str, Any]) -> SerialConfig:
    r.only(data, "", {"port", "baudrate"})
    baudrate = r.get(data, "baudrate", int, DEFAULT_BAUDRATE)
    if baudrate <= 0:
        r.fail("baudrate", "must be > 0")
    return SerialConfig(r.get(data, "port", str), baudrate)


def _parse_gpio(r: _Reader, data: Mapping[str, Any]) -> GpioConfig:
    r.only(data, "", {"pins", "pull_up", "bounce_time_s"})
    pins = r.buttons(data, "pins", _bcm_pin)
    bounce = r.get(data, "bounce_time_s", float, DEFAULT_BOUNCE_TIME_S)
    if bounce < 0:
        r.fail("bounce_time_s", "must be >= 0")
    return GpioConfig(pins, r.get(data, "pull_up", bool, True), bounce or None)


def _parse_simulated(r: _Reader, data: Mapping[str, Any]) -> SimulatedConfig:
    r.only(data, "", set())
    return SimulatedConfig()


def _bcm_pin(raw: str) -> int:
    if not raw.isdigit() or not 0 <= int(raw) <= 27:
        raise ValueError(f"expected a BCM pin number 0-27, got {raw!r}")
    return int(raw)


_TRANSPORTS: dict[str, Callable[[_Reader, Mapping[str, Any]], TransportConfig]] = {
    "hid": _parse_hid,
    "serial": _parse_serial,
    "gpio": _parse_gpio,
    "simulated": _parse_simulated,
}
