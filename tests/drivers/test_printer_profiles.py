"""hardware/printers/*.toml profiles: the shipped ones load, bad ones name the file and key."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from drivers.printer import ProfileError, find_profile, load_profile
from drivers.printer._escpos import Dummy
from drivers.printer.profiles import DEFAULT_PROFILE_DIR, SOURCE_HARDWARE, load_profiles

GOOD = """\
[printer]
model = "Test 80"
escpos_profile = "TM-T20II"
paper_mm = 80
width_dots = 576
native_qr = true
near_end_sensor = false

[usb]
vendor_id = 0x04b8
product_id = 0x0e15
"""


def test_shipped_profiles_load_and_name_real_escpos_profiles() -> None:
    profiles = load_profiles()
    assert {"epson-tm-t20ii", "epson-tm-t82x", "pos-5890", "xprinter-xp-80"} <= set(profiles)
    for profile in profiles.values():
        Dummy(profile=profile.escpos_profile)  # raises for a name python-escpos does not know
        assert profile.width_dots in (384, 576)
    assert profiles["epson-tm-t20ii"].near_end_sensor is False
    assert profiles["pos-5890"].native_qr is False
    assert profiles["pos-5890"].width_dots == 384


def test_good_profile(tmp_path: Path) -> None:
    path = tmp_path / "test-80.toml"
    path.write_text(GOOD)
    profile = load_profile(path)
    assert profile.name == "test-80"
    assert (profile.usb_vendor_id, profile.usb_product_id) == (0x04B8, 0x0E15)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (GOOD.replace("= 576", '= "576"'), "'printer.width_dots' must be int"),
        (GOOD.replace("width_dots = 576", "width_dots = 570"), "'printer.width_dots'"),
        (GOOD.replace("native_qr = true", "native_qr = 1"), "'printer.native_qr' must be bool"),
        (GOOD.replace("paper_mm = 80\n", ""), "'printer.paper_mm' is missing"),
        (GOOD.replace("[usb]", "[usb]\nspeed = 12"), "unknown key 'usb.speed'"),
        (GOOD + "\n[network]\nport = 9100\n", "unknown key 'network'"),
        (GOOD.replace("[printer]", "[printr]"), "unknown key 'printr'"),
        ("[usb]\nvendor_id = 1\n", "table [printer] is missing"),
        (GOOD.replace("model =", "model"), "not valid TOML"),
    ],
)
def test_bad_profile_names_file_and_key(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(text)
    with pytest.raises(ProfileError) as info:
        load_profile(path)
    assert str(path) in str(info.value)
    assert message in str(info.value)


def test_unknown_profile_lists_the_known_ones() -> None:
    with pytest.raises(ProfileError, match="pos-5890"):
        find_profile("tm-u220")
    assert DEFAULT_PROFILE_DIR.name == "printers"


def _fresh_interpreter(code: str) -> None:
    root = Path(__file__).resolve().parents[2]
    subprocess.run([sys.executable, "-W", "error", "-c", code], cwd=root, check=True, timeout=60)


def test_driver_imports_no_qt_mqtt_or_sqlalchemy_and_leaves_logging_alone() -> None:
    _fresh_interpreter(
        "import logging, sys, drivers.printer, drivers.printer._escpos\n"
        "bad = [m for m in sys.modules if m.split('.')[0] in ('PySide6', 'paho', 'sqlalchemy')]\n"
        "assert not bad, bad\n"
        "assert logging.getLogger().handlers == [], logging.getLogger().handlers\n"
    )


def test_importing_the_package_imports_neither_escpos_nor_pillow() -> None:
    # python-escpos parses its capabilities file on import: the kiosk's window must not wait
    _fresh_interpreter(
        "import drivers.printer, sys\n"
        "assert 'escpos' not in sys.modules and 'PIL' not in sys.modules\n"
    )


def test_a_box_finds_the_profiles_its_release_carries(tmp_path, monkeypatch):
    """Installed from a wheel there is no checkout: the release folder holds hardware/
    beside its venv (releases/V/{venv,hardware}), and $MPP_HARDWARE_DIR overrides both."""
    from drivers.printer.profiles import hardware_dir

    monkeypatch.delenv("MPP_HARDWARE_DIR", raising=False)
    release = tmp_path / "releases" / "1.0"
    (release / "venv").mkdir(parents=True)
    (release / "hardware" / "printers").mkdir(parents=True)
    no_checkout = tmp_path / "site-packages" / "hardware"
    found = hardware_dir(no_checkout, str(release / "venv"))
    assert found == release / "hardware"
    assert hardware_dir(SOURCE_HARDWARE, str(release / "venv")) == SOURCE_HARDWARE
    monkeypatch.setenv("MPP_HARDWARE_DIR", str(tmp_path / "elsewhere"))
    assert hardware_dir(SOURCE_HARDWARE, str(release / "venv")) == tmp_path / "elsewhere"
