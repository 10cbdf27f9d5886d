"""Transports chosen by a type string: `open_printer(config) -> Printer`."""

from __future__ import annotations

import dataclasses
import socket
import types
import typing
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from drivers.printer._escpos import Escpos, File, Network, Serial, Usb, escpos_exceptions
from drivers.printer.device import EscposPrinter
from drivers.printer.layout import RenderOptions
from drivers.printer.model import PrinterError
from drivers.printer.profiles import find_profile
from drivers.printer.simulated import PrinterSimulator, SimulatedTransport

TRANSPORTS = ("usb", "serial", "network", "file", "simulated")


class _Network(Network):
    """python-escpos 3.1's Network.open leaks its socket when connect fails (ResourceWarning)."""

    def open(self, raise_not_found: bool = True) -> None:
        try:
            self.device = socket.create_connection((self.host, self.port), timeout=self.timeout)
        except OSError as err:
            raise escpos_exceptions.DeviceNotFoundError(f"{self.host}:{self.port}: {err}") from err


def _usb(cfg: PrinterConfig, options: RenderOptions) -> Usb:
    if not Usb.is_usable():
        # Usb objects without pyusb raise from __del__; do not build one.
        raise PrinterError("printer_offline", "USB printing needs pyusb, which is not installed")
    return Usb(
        _required(cfg, "vendor_id"),
        _required(cfg, "product_id"),
        timeout=cfg.timeout_ms,
        profile=options.escpos_profile,
    )


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


def open_printer(
    config: PrinterConfig | Mapping[str, Any], *, simulator: PrinterSimulator | None = None
) -> EscposPrinter:
    """Open the configured printer. `simulator` is used by the `simulated` type (a fresh
    one is made when omitted; reach it as `printer.simulator`)."""
    cfg = config if isinstance(config, PrinterConfig) else PrinterConfig.from_mapping(config)
    if cfg.type not in TRANSPORTS:
        raise PrinterConfigError(
            f"printer config: key 'type' must be one of {TRANSPORTS}, got {cfg.type!r}"
        )
    cfg, options, near_end = _model(cfg)
    if cfg.type == "simulated" and simulator is None:
        out = Path(cfg.output_dir) if cfg.output_dir else None
        simulator = PrinterSimulator(width_dots=options.width_dots, output_dir=out)
    esc = build_transport(cfg, options, simulator=simulator)
    _open(esc, cfg)
    return EscposPrinter(
        esc, options, can_read=cfg.type != "file", near_end_sensor=near_end, simulator=simulator
    )


def build_transport(
    cfg: PrinterConfig, options: RenderOptions, *, simulator: PrinterSimulator | None = None
) -> Escpos:
    """The python-escpos object for the transport, not opened yet."""
    builders: dict[str, Callable[[], Escpos]] = {
        "usb": lambda: _usb(cfg, options),
        "serial": lambda: Serial(
            _required(cfg, "device"),
            baudrate=cfg.baudrate,
            timeout=cfg.timeout,
            profile=options.escpos_profile,
        ),
        "network": lambda: _Network(
            _required(cfg, "host"),
            port=cfg.port,
            timeout=cfg.timeout,
            profile=options.escpos_profile,
        ),
        "file": lambda: File(_required(cfg, "path"), profile=options.escpos_profile),
        "simulated": lambda: SimulatedTransport(simulator, profile=options.escpos_profile),
    }
    return builders[cfg.type]()


def _model(cfg: PrinterConfig) -> tuple[PrinterConfig, RenderOptions, bool]:
    """Fill model settings (and USB ids) from the hardware profile where not configured."""
    prof = find_profile(cfg.profile) if cfg.profile else None

    def pick(key: str, default: Any) -> Any:
        value = getattr(cfg, key)
        if value is not None:
            return value
        return getattr(prof, key) if prof else default

    options = RenderOptions(
        escpos_profile=pick("escpos_profile", "default"),
        width_dots=pick("width_dots", 576),
        native_qr=pick("native_qr", True),
    )
    if prof:
        cfg = dataclasses.replace(
            cfg,
            vendor_id=cfg.vendor_id if cfg.vendor_id is not None else prof.usb_vendor_id,
            product_id=cfg.product_id if cfg.product_id is not None else prof.usb_product_id,
        )
    return cfg, options, pick("near_end_sensor", True)


def _required(cfg: PrinterConfig, key: str) -> Any:
    value = getattr(cfg, key)
    if value is None:
        raise PrinterConfigError(f"printer config: key {key!r} is required for type {cfg.type!r}")
    return value


def _open(esc: Escpos, cfg: PrinterConfig) -> None:
    try:
        esc.open()
    except (OSError, RuntimeError, escpos_exceptions.Error) as err:
        # RuntimeError: python-escpos reports a missing optional dependency (pyusb) this way.
        raise PrinterError("printer_offline", f"cannot open {cfg.type} printer: {err}") from err
    except ValueError as err:  # pyusb's NoBackendError: the libusb library is missing
        raise PrinterError("printer_offline", f"cannot open {cfg.type} printer: {err} "
                           "(install libusb: apt-get install libusb-1.0-0)") from err
    if cfg.type == "serial":
        esc.device.write_timeout = cfg.timeout
