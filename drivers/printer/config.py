"""The printer's typed configuration: `PrinterConfig.from_mapping(data)`, unknown keys and
wrong types refused with the key named. No python-escpos here."""

from __future__ import annotations

import dataclasses
import types
import typing
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

TRANSPORTS = ("usb", "serial", "network", "file", "simulated")


class PrinterConfigError(ValueError):
    """Bad printer configuration; the message names the key."""


@dataclass(frozen=True)
class PrinterConfig:
    """Printer settings. Model settings come from `profile` (hardware/printers/<name>.toml)
    unless given here. Keys per transport are listed in docs/drivers-printer.md."""

    type: str
    profile: str | None = None
    escpos_profile: str | None = None
    width_dots: int | None = None
    native_qr: bool | None = None
    near_end_sensor: bool | None = None
    # usb
    vendor_id: int | None = None
    product_id: int | None = None
    timeout_ms: int = 2000
    # serial
    device: str | None = None
    baudrate: int = 9600
    # network
    host: str | None = None
    port: int = 9100
    # serial and network (seconds): status reads and writes
    timeout: float = 2.0
    # file
    path: str | None = None
    # simulated
    output_dir: str | None = None

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> PrinterConfig:
        known = {f.name for f in dataclasses.fields(cls)}
        for key in data:
            if key not in known:
                raise PrinterConfigError(f"printer config: unknown key {key!r}")
        if "type" not in data:
            raise PrinterConfigError("printer config: key 'type' is missing")
        hints = typing.get_type_hints(cls)
        for key, value in data.items():
            _check_type(key, value, hints[key])
        return cls(**data)


def _check_type(key: str, value: Any, hint: Any) -> None:
    allowed = typing.get_args(hint) if isinstance(hint, types.UnionType) else (hint,)
    if value is None and type(None) in allowed:
        return
    if float in allowed and type(value) is int:
        return
    if type(value) not in allowed:  # exact: a bool is not an int here
        names = " or ".join(t.__name__ for t in allowed if t is not type(None))
        raise PrinterConfigError(
            f"printer config: key {key!r} must be {names}, got {type(value).__name__}"
        )


def required(cfg: PrinterConfig, key: str) -> Any:
    """The value of `key`, which the configured transport cannot do without."""
    value = getattr(cfg, key)
    if value is None:
        raise PrinterConfigError(f"printer config: key {key!r} is required for type {cfg.type!r}")
    return value
