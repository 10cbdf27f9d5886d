"""Thermal ticket printer: one interface, several transports, a simulated device.

No Qt, MQTT or SQLAlchemy here, and importing the package imports neither python-escpos
nor Pillow: they load when a printer is opened or a ticket rendered. See
docs/drivers-printer.md.
"""

from drivers.printer.config import TRANSPORTS, PrinterConfig, PrinterConfigError
from drivers.printer.device import EscposPrinter
from drivers.printer.factory import open_printer
from drivers.printer.layout import RenderOptions, ticket_bytes
from drivers.printer.model import (
    ATTENTION_STATES,
    ERROR_CODES,
    PRINTABLE_STATES,
    Paper,
    Printer,
    PrinterError,
    PrinterState,
    PrinterStatus,
    TicketLayout,
)
from drivers.printer.profiles import PrinterProfile, ProfileError, find_profile, load_profile
from drivers.printer.simulated import Faults, PrinterSimulator, SimulatedDisconnect

__all__ = [
    "ATTENTION_STATES",
    "ERROR_CODES",
    "PRINTABLE_STATES",
    "TRANSPORTS",
    "EscposPrinter",
    "Faults",
    "Paper",
    "Printer",
    "PrinterConfig",
    "PrinterConfigError",
    "PrinterError",
    "PrinterProfile",
    "PrinterSimulator",
    "PrinterState",
    "PrinterStatus",
    "ProfileError",
    "RenderOptions",
    "SimulatedDisconnect",
    "TicketLayout",
    "find_profile",
    "load_profile",
    "open_printer",
    "ticket_bytes",
]
