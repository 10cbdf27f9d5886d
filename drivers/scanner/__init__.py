"""Barcode/QR scanners: one interface (`Scanner.read() -> Scan`), several transports.

Choose a transport in config by `type` (serial, hid, file, socket, simulated) and open it
with `open_scanner(config)`; run it with `ScannerReader`. See docs/drivers-scanner.md.
No Qt, MQTT or SQLAlchemy here; pyserial and evdev are imported only by their transports.
"""

from typing import TYPE_CHECKING, Any

from ._classify import MAX_SCAN_LENGTH, USABLE_KINDS, ParsedScan, ScanKind, classify, parse_scan
from ._config import (
    FileConfig,
    HidConfig,
    ScannerConfig,
    SerialConfig,
    SimulatedConfig,
    SocketConfig,
    build_scanner,
    open_scanner,
    parse_scanner_config,
)
from ._file import FileScanner
from ._hid import HidMatch, HidScanner, select_device
from ._keymap import LAYOUTS, KeyTranslator, translate_events
from ._lines import TERMINATORS, LineAssembler, decode_line
from ._profiles import ScannerProfile, load_profile, load_profiles, render_udev_rules
from ._reader import ScannerReader, iter_scans
from ._simulated import SimulatedScanner
from ._socket import SocketScanner
from ._types import (
    RECOVERABLE_CODES,
    SCAN_GARBAGE,
    SCAN_TOO_LONG,
    SCANNER_CLOSED,
    SCANNER_CONFIG,
    SCANNER_NOT_FOUND,
    SCANNER_UNPLUGGED,
    ReopenableScanner,
    Scan,
    Scanner,
    ScannerError,
)

if TYPE_CHECKING:
    from ._serial import SerialScanner

__all__ = [
    "LAYOUTS",
    "MAX_SCAN_LENGTH",
    "RECOVERABLE_CODES",
    "SCANNER_CLOSED",
    "SCANNER_CONFIG",
    "SCANNER_NOT_FOUND",
    "SCANNER_UNPLUGGED",
    "SCAN_GARBAGE",
    "SCAN_TOO_LONG",
    "TERMINATORS",
    "USABLE_KINDS",
    "FileConfig",
    "FileScanner",
    "HidConfig",
    "HidMatch",
    "HidScanner",
    "KeyTranslator",
    "LineAssembler",
    "ParsedScan",
    "ReopenableScanner",
    "Scan",
    "ScanKind",
    "Scanner",
    "ScannerConfig",
    "ScannerError",
    "ScannerProfile",
    "ScannerReader",
    "SerialConfig",
    "SerialScanner",
    "SimulatedConfig",
    "SimulatedScanner",
    "SocketConfig",
    "SocketScanner",
    "build_scanner",
    "classify",
    "decode_line",
    "iter_scans",
    "load_profile",
    "load_profiles",
    "open_scanner",
    "parse_scan",
    "parse_scanner_config",
    "render_udev_rules",
    "select_device",
    "translate_events",
]


def __getattr__(name: str) -> Any:
    # SerialScanner imports pyserial (the optional "hardware" extra): load it on first use.
    if name == "SerialScanner":
        from ._serial import SerialScanner

        return SerialScanner
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
