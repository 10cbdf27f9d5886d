"""Printer model profiles: hardware/printers/*.toml, loaded with tomllib."""

from __future__ import annotations

import os
import sys
import tomllib
from dataclasses import dataclass
from pathlib import Path

SOURCE_HARDWARE = Path(__file__).resolve().parents[2] / "hardware"


def hardware_dir(source: Path = SOURCE_HARDWARE, prefix: str = sys.prefix) -> Path:
    """$MPP_HARDWARE_DIR, else the checkout's hardware/, else the release's: a box runs
    /opt/mpp/releases/V/venv and its release bundle put hardware/ beside that venv (the
    wheel itself carries no profiles)."""
    if os.environ.get("MPP_HARDWARE_DIR"):
        return Path(os.environ["MPP_HARDWARE_DIR"])
    if source.is_dir():
        return source
    return Path(prefix).resolve().parent / "hardware"


DEFAULT_PROFILE_DIR = hardware_dir() / "printers"

_PRINTER_KEYS: dict[str, type] = {
    "model": str,
    "escpos_profile": str,
    "paper_mm": int,
    "width_dots": int,
    "native_qr": bool,
    "near_end_sensor": bool,
}
_USB_KEYS: dict[str, type] = {"vendor_id": int, "product_id": int}


class ProfileError(ValueError):
    """A profile file is missing, unreadable or has a wrong key; names the file and key."""


@dataclass(frozen=True)
class PrinterProfile:
    name: str
    model: str
    escpos_profile: str
    paper_mm: int
    width_dots: int
    native_qr: bool
    near_end_sensor: bool
    usb_vendor_id: int | None = None
    usb_product_id: int | None = None


def load_profile(path: Path) -> PrinterProfile:
    try:
        with path.open("rb") as f:
            data = tomllib.load(f)
    except FileNotFoundError as err:
        raise ProfileError(f"{path}: printer profile not found") from err
    except tomllib.TOMLDecodeError as err:
        raise ProfileError(f"{path}: not valid TOML: {err}") from err
    _reject_unknown(path, "", data, {"printer", "usb"})
    printer = _table(path, data, "printer", required=True)
    usb = _table(path, data, "usb", required=False)
    fields = _checked(path, "printer", printer, _PRINTER_KEYS, required=True)
    usb_fields = _checked(path, "usb", usb, _USB_KEYS, required=False)
    if fields["width_dots"] <= 0 or fields["width_dots"] % 8:
        raise ProfileError(f"{path}: key 'printer.width_dots' must be a positive multiple of 8")
    return PrinterProfile(
        name=path.stem,
        usb_vendor_id=usb_fields.get("vendor_id"),
        usb_product_id=usb_fields.get("product_id"),
        **fields,
    )


def load_profiles(directory: Path = DEFAULT_PROFILE_DIR) -> dict[str, PrinterProfile]:
    return {p.stem: load_profile(p) for p in sorted(directory.glob("*.toml"))}


def find_profile(name: str, directory: Path = DEFAULT_PROFILE_DIR) -> PrinterProfile:
    path = directory / f"{name}.toml"
    if not path.is_file():
        known = ", ".join(sorted(p.stem for p in directory.glob("*.toml")))
        raise ProfileError(f"{path}: no printer profile {name!r} (known: {known})")
    return load_profile(path)


def _table(path: Path, data: dict, key: str, *, required: bool) -> dict:
    value = data.get(key)
    if value is None and not required:
        return {}
    if not isinstance(value, dict):
        problem = "missing" if value is None else "not a table"
        raise ProfileError(f"{path}: table [{key}] is {problem}")
    return value


def _checked(path: Path, table: str, data: dict, spec: dict[str, type], *, required: bool) -> dict:
    _reject_unknown(path, table + ".", data, set(spec))
    out = {}
    for key, typ in spec.items():
        if key not in data:
            if required:
                raise ProfileError(f"{path}: key '{table}.{key}' is missing")
            continue
        value = data[key]
        if type(value) is not typ:  # bool is an int subclass: compare exact types
            raise ProfileError(
                f"{path}: key '{table}.{key}' must be {typ.__name__}, got {type(value).__name__}"
            )
        out[key] = value
    return out


def _reject_unknown(path: Path, prefix: str, data: dict, known: set[str]) -> None:
    unknown = sorted(set(data) - known)
    if unknown:
        raise ProfileError(f"{path}: unknown key '{prefix}{unknown[0]}'")
