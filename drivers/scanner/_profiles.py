"""Scanner device profiles (hardware/scanners/*.toml) and the udev rules made from them.

Regenerate the committed rules after editing a profile:

    python -m drivers.scanner udev-rules hardware/scanners > hardware/udev/99-mpp-scanners.rules
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ._lines import TERMINATORS
from ._types import SCANNER_CONFIG, ScannerError

TRANSPORTS = ("serial", "hid")
KIOSK_GROUP = "mpp-kiosk"
_ID = re.compile(r"[a-z0-9][a-z0-9-]*")
_USB_ID = re.compile(r"[0-9a-f]{4}")
_REQUIRED = ("id", "name", "transport", "vendor_id", "product_id", "terminator")
_OPTIONAL = ("baudrate", "notes")


@dataclass(frozen=True)
class ScannerProfile:
    id: str
    name: str
    transport: str  # "serial" (USB-CDC, /dev/ttyACM*) or "hid" (keyboard wedge, evdev)
    vendor_id: str  # 4 lower-case hex digits, as lsusb prints them
    product_id: str
    terminator: str
    baudrate: int | None = None
    notes: str = ""


def load_profile(path: Path) -> ScannerProfile:
    """One profile file: a [scanner] table. Errors name the file and the key."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as err:
        raise ScannerError(SCANNER_CONFIG, f"{path}: {err}") from err
    table = data.get("scanner")
    if not isinstance(table, dict) or set(data) != {"scanner"}:
        raise ScannerError(SCANNER_CONFIG, f"{path}: expected exactly one [scanner] table")
    return _profile(path, table)


def _profile(path: Path, table: dict[str, Any]) -> ScannerProfile:
    def fail(key: str, problem: str) -> ScannerError:
        return ScannerError(SCANNER_CONFIG, f"{path}: scanner.{key}: {problem}")

    for key in table:
        if key not in _REQUIRED + _OPTIONAL:
            raise fail(key, "unknown key")
    for key in _REQUIRED:
        if not isinstance(table.get(key), str):
            raise fail(key, "required, a string")
    checks = (
        ("id", _ID.fullmatch(table["id"]), "lower-case letters, digits and '-'"),
        ("transport", table["transport"] in TRANSPORTS, f"one of {', '.join(TRANSPORTS)}"),
        ("vendor_id", _USB_ID.fullmatch(table["vendor_id"]), "4 lower-case hex digits"),
        ("product_id", _USB_ID.fullmatch(table["product_id"]), "4 lower-case hex digits"),
        ("terminator", table["terminator"] in TERMINATORS, "CR, LF or CRLF"),
    )
    for key, ok, expected in checks:
        if not ok:
            raise fail(key, f"{table[key]!r}: expected {expected}")
    baudrate = table.get("baudrate")
    if baudrate is not None and (type(baudrate) is not int or baudrate <= 0):
        raise fail("baudrate", f"{baudrate!r}: expected a positive integer")
    if table["transport"] == "serial" and baudrate is None:
        raise fail("baudrate", "required for transport 'serial'")
    return ScannerProfile(**table)


def load_profiles(directory: Path) -> list[ScannerProfile]:
    """All *.toml profiles in `directory`, sorted by id; ids must be unique."""
    profiles = [load_profile(path) for path in sorted(Path(directory).glob("*.toml"))]
    seen: set[str] = set()
    for profile in profiles:
        if profile.id in seen:
            raise ScannerError(SCANNER_CONFIG, f"{directory}: duplicate scanner.id {profile.id!r}")
        seen.add(profile.id)
    return sorted(profiles, key=lambda p: p.id)


_HEADER = """\
# udev rules for MPP queue barcode scanners. GENERATED from hardware/scanners/*.toml by
# drivers.scanner.render_udev_rules: edit the profiles, then run
#   python -m drivers.scanner udev-rules hardware/scanners > hardware/udev/99-mpp-scanners.rules
#
# Serial (USB-CDC) scanners get /dev/mpp-scanner and /dev/mpp-scanner-<profile id>;
# keyboard-wedge (HID) scanners get /dev/input/mpp-scanner and /dev/input/mpp-scanner-<id>.
# The kiosk service's group ({group}) may read them. HID scanners are also hidden from
# libinput, so a scan can never type into the UI, even before the kiosk grabs the device;
# serial ones from ModemManager, which would otherwise probe the port with AT commands.
"""


def render_udev_rules(profiles: Iterable[ScannerProfile], *, group: str = KIOSK_GROUP) -> str:
    """The udev rules file for `profiles`, one rule per profile."""
    parts = [_HEADER.format(group=group)]
    for profile in sorted(profiles, key=lambda p: p.id):
        parts.append(f"\n# {profile.name}\n{_rule(profile, group)}\n")
    return "".join(parts)


def _rule(profile: ScannerProfile, group: str) -> str:
    match = f'ATTRS{{idVendor}}=="{profile.vendor_id}", ATTRS{{idProduct}}=="{profile.product_id}"'
    access = f'GROUP="{group}", MODE="0660"'
    if profile.transport == "serial":
        links = f'SYMLINK+="mpp-scanner", SYMLINK+="mpp-scanner-{profile.id}"'
        mm = 'ENV{ID_MM_DEVICE_IGNORE}="1"'
        return f'SUBSYSTEM=="tty", {match}, {links}, {access}, {mm}'
    links = f'SYMLINK+="input/mpp-scanner", SYMLINK+="input/mpp-scanner-{profile.id}"'
    hide = 'ENV{LIBINPUT_IGNORE_DEVICE}="1"'
    return f'SUBSYSTEM=="input", KERNEL=="event*", {match}, {links}, {access}, {hide}'
