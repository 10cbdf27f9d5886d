"""The python-escpos byte sinks, one per config type: `build_transport` makes one and
`open_transport` opens it, python-escpos's errors translated to PrinterError. Imported
only when a printer is opened (python-escpos is slow to import)."""

from __future__ import annotations

import socket
from collections.abc import Callable
from typing import TYPE_CHECKING

from drivers.printer._escpos import Escpos, File, Network, Serial, Usb, escpos_exceptions
from drivers.printer.config import PrinterConfig, required
from drivers.printer.model import PrinterError

if TYPE_CHECKING:
    from drivers.printer.layout import RenderOptions
    from drivers.printer.simulated import PrinterSimulator


class _Network(Network):
    """python-escpos 3.1's Network.open leaks its socket when connect fails (ResourceWarning)."""

    def open(self, raise_not_found: bool = True) -> None:
        try:
            self.device = socket.create_connection((self.host, self.port), timeout=self.timeout)
        except OSError as err:
            raise escpos_exceptions.DeviceNotFoundError(f"{self.host}:{self.port}: {err}") from err


class SimulatedTransport(Escpos):
    """python-escpos byte sink (like its Dummy) wired to a PrinterSimulator in process."""

    def __init__(self, simulator: PrinterSimulator, profile: str | None = None) -> None:
        super().__init__(profile=profile)
        self.simulator = simulator
        self._replies = bytearray()

    def open(self) -> None:
        self.device = self.simulator

    def _raw(self, msg: bytes) -> None:
        self._replies += self.simulator.receive(bytes(msg))

    def _read(self) -> bytes:
        reply = bytes(self._replies)
        self._replies.clear()
        return reply

    def close(self) -> None:
        self._replies.clear()


def _usb(cfg: PrinterConfig, options: RenderOptions) -> Usb:
    if not Usb.is_usable():
        # Usb objects without pyusb raise from __del__; do not build one.
        raise PrinterError("printer_offline", "USB printing needs pyusb, which is not installed")
    return Usb(
        required(cfg, "vendor_id"),
        required(cfg, "product_id"),
        timeout=cfg.timeout_ms,
        profile=options.escpos_profile,
    )


def build_transport(
    cfg: PrinterConfig, options: RenderOptions, *, simulator: PrinterSimulator | None = None
) -> Escpos:
    """The python-escpos object for the transport, not opened yet."""
    builders: dict[str, Callable[[], Escpos]] = {
        "usb": lambda: _usb(cfg, options),
        "serial": lambda: Serial(
            required(cfg, "device"),
            baudrate=cfg.baudrate,
            timeout=cfg.timeout,
            profile=options.escpos_profile,
        ),
        "network": lambda: _Network(
            required(cfg, "host"),
            port=cfg.port,
            timeout=cfg.timeout,
            profile=options.escpos_profile,
        ),
        "file": lambda: File(required(cfg, "path"), profile=options.escpos_profile),
        "simulated": lambda: SimulatedTransport(simulator, profile=options.escpos_profile),
    }
    return builders[cfg.type]()


def open_transport(esc: Escpos, cfg: PrinterConfig) -> None:
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
