"""Typed scanner configuration and the `open_scanner` factory keyed by `type`."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from ._keymap import LAYOUTS
from ._lines import terminator_bytes
from ._types import SCANNER_CONFIG, ReopenableScanner, ScannerError


@dataclass(frozen=True)
class SerialConfig:
    port: str = "/dev/mpp-scanner"
    baudrate: int = 9600
    terminator: str = "CR"


@dataclass(frozen=True)
class HidConfig:
    name: str | None = None
    vendor_id: str | None = None  # 4 hex digits, as lsusb prints them ("0c2e")
    product_id: str | None = None
    path: str | None = None  # e.g. /dev/input/mpp-scanner (udev symlink)
    layout: str = "us"
    grab: bool = True


@dataclass(frozen=True)
class FileConfig:
    path: str = ""
    terminator: str = "LF"


@dataclass(frozen=True)
class SocketConfig:
    host: str = "127.0.0.1"
    port: int = 7070
    terminator: str = "LF"


@dataclass(frozen=True)
class SimulatedConfig:
    name: str = "sim"
    terminator: str = "CR"


ScannerConfig = SerialConfig | HidConfig | FileConfig | SocketConfig | SimulatedConfig

CONFIG_TYPES: dict[str, type[Any]] = {
    "serial": SerialConfig,
    "hid": HidConfig,
    "file": FileConfig,
    "socket": SocketConfig,
    "simulated": SimulatedConfig,
}


def _fail(source: str, key: str, problem: str) -> ScannerError:
    return ScannerError(SCANNER_CONFIG, f"{source}: scanner.{key}: {problem}")


def parse_scanner_config(data: Mapping[str, Any], *, source: str = "config") -> ScannerConfig:
    """A config table like `{"type": "serial", "port": "/dev/mpp-scanner"}` -> typed config.

    Unknown keys and wrong types are rejected; the error names `source` (the file) and key.
    """
    kind = data.get("type")
    if kind not in CONFIG_TYPES:
        raise _fail(source, "type", f"{kind!r}: use one of {', '.join(CONFIG_TYPES)}")
    cls = CONFIG_TYPES[kind]
    fields = {f.name: f for f in dataclasses.fields(cls)}
    values = {}
    for key, value in data.items():
        if key == "type":
            continue
        if key not in fields:
            raise _fail(source, key, f"unknown key for type {kind!r}")
        values[key] = _check_type(source, key, value, fields[key].default)
    config: ScannerConfig = cls(**values)
    _validate(source, config)
    return config


def _check_type(source: str, key: str, value: Any, default: Any) -> Any:
    want = bool if isinstance(default, bool) else int if isinstance(default, int) else str
    ok = isinstance(value, want) and (want is bool or not isinstance(value, bool))
    if not ok:
        raise _fail(source, key, f"expected {want.__name__}, got {value!r}")
    return value


def _validate(source: str, config: ScannerConfig) -> None:
    terminator = getattr(config, "terminator", "CR")
    try:
        terminator_bytes(terminator)
    except ScannerError:
        raise _fail(source, "terminator", f"{terminator!r}: use CR, LF or CRLF") from None
    if isinstance(config, HidConfig):
        if config.layout not in LAYOUTS:
            raise _fail(source, "layout", f"{config.layout!r}: use one of {', '.join(LAYOUTS)}")
        for key in ("vendor_id", "product_id"):
            _parse_usb_id(source, key, getattr(config, key))
    if isinstance(config, FileConfig) and not config.path:
        raise _fail(source, "path", "required for type 'file'")


def _parse_usb_id(source: str, key: str, value: str | None) -> int | None:
    if value is None:
        return None
    try:
        number = int(value, 16)
    except ValueError:
        number = -1
    if not 0 <= number <= 0xFFFF or len(value) != 4:
        raise _fail(source, key, f"{value!r}: expected 4 hex digits such as '0c2e'")
    return number


def build_scanner(config: ScannerConfig) -> ReopenableScanner:
    """The transport for `config`, not yet opened."""
    builder: Callable[[Any], ReopenableScanner] = _BUILDERS[type(config)]
    return builder(config)


def open_scanner(config: ScannerConfig | Mapping[str, Any]) -> ReopenableScanner:
    """Build and open the scanner described by `config` (typed, or a raw mapping)."""
    if isinstance(config, Mapping):
        config = parse_scanner_config(config)
    return build_scanner(config).open()


def _serial(config: SerialConfig) -> ReopenableScanner:
    from ._serial import SerialScanner

    return SerialScanner(config.port, baudrate=config.baudrate, terminator=config.terminator)


def _hid(config: HidConfig) -> ReopenableScanner:
    from ._hid import HidMatch, HidScanner

    match = HidMatch(
        name=config.name,
        vendor_id=_parse_usb_id("config", "vendor_id", config.vendor_id),
        product_id=_parse_usb_id("config", "product_id", config.product_id),
        path=config.path,
    )
    return HidScanner(match, layout=LAYOUTS[config.layout], grab=config.grab)


def _file(config: FileConfig) -> ReopenableScanner:
    from ._file import FileScanner

    return FileScanner(config.path, terminator=config.terminator)


def _socket(config: SocketConfig) -> ReopenableScanner:
    from ._socket import SocketScanner

    return SocketScanner(config.host, config.port, terminator=config.terminator)


def _simulated(config: SimulatedConfig) -> ReopenableScanner:
    from ._simulated import SimulatedScanner

    return SimulatedScanner(name=config.name, terminator=config.terminator)


_BUILDERS: dict[type[Any], Callable[[Any], ReopenableScanner]] = {
    SerialConfig: _serial,
    HidConfig: _hid,
    FileConfig: _file,
    SocketConfig: _socket,
    SimulatedConfig: _simulated,
}
