"""Scanner config parsing, the open_scanner factory, device profiles and udev rules."""

from __future__ import annotations

from pathlib import Path

import pytest

from drivers.scanner import (
    SCANNER_CONFIG,
    SCANNER_NOT_FOUND,
    FileConfig,
    HidConfig,
    HidScanner,
    ScannerError,
    ScannerProfile,
    SerialConfig,
    SimulatedConfig,
    SimulatedScanner,
    SocketConfig,
    build_scanner,
    load_profile,
    load_profiles,
    open_scanner,
    parse_scanner_config,
    render_udev_rules,
)
from drivers.scanner.__main__ import main

REPO = Path(__file__).resolve().parents[2]
PROFILES = REPO / "hardware" / "scanners"
RULES = REPO / "hardware" / "udev" / "99-mpp-scanners.rules"


# --------------------------------------------------------------------------- config


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ({"type": "serial"}, SerialConfig()),
        (
            {"type": "serial", "port": "/dev/ttyACM0", "baudrate": 115200, "terminator": "CRLF"},
            SerialConfig("/dev/ttyACM0", 115200, "CRLF"),
        ),
        (
            {"type": "hid", "vendor_id": "0c2e", "product_id": "0b87", "layout": "us"},
            HidConfig(vendor_id="0c2e", product_id="0b87"),
        ),
        ({"type": "file", "path": "/srv/demo.txt"}, FileConfig("/srv/demo.txt")),
        ({"type": "socket", "port": 7071}, SocketConfig(port=7071)),
        ({"type": "simulated"}, SimulatedConfig()),
    ],
)
def test_parse_config(data: dict[str, object], expected: object) -> None:
    assert parse_scanner_config(data) == expected


@pytest.mark.parametrize(
    ("data", "key"),
    [
        ({"type": "usb"}, "scanner.type"),
        ({}, "scanner.type"),
        ({"type": "serial", "baud": 9600}, "scanner.baud"),
        ({"type": "serial", "baudrate": "9600"}, "scanner.baudrate"),
        ({"type": "serial", "baudrate": True}, "scanner.baudrate"),
        ({"type": "serial", "terminator": "NUL"}, "scanner.terminator"),
        ({"type": "hid", "vendor_id": "0x0c2e"}, "scanner.vendor_id"),
        ({"type": "hid", "name": "x", "layout": "dvorak"}, "scanner.layout"),
        ({"type": "hid", "name": "x", "grab": "yes"}, "scanner.grab"),
        ({"type": "file"}, "scanner.path"),
        ({"type": "socket", "path": "/tmp/x"}, "scanner.path"),
    ],
)
def test_bad_config_names_file_and_key(data: dict[str, object], key: str) -> None:
    with pytest.raises(ScannerError) as info:
        parse_scanner_config(data, source="/etc/mpp/kiosk.toml")
    assert info.value.code == SCANNER_CONFIG
    assert f"/etc/mpp/kiosk.toml: {key}:" in str(info.value)


def test_factory_builds_by_type() -> None:
    assert isinstance(build_scanner(SimulatedConfig()), SimulatedScanner)
    assert isinstance(build_scanner(HidConfig(name="Symbol Bar Code Scanner")), HidScanner)
    sim = open_scanner({"type": "simulated", "name": "kiosk-01"})
    assert sim.source == "simulated:kiosk-01"  # type: ignore[attr-defined]
    sim.close()


def test_hid_missing_device_path_is_not_found(tmp_path: Path) -> None:
    with pytest.raises(ScannerError) as info:
        open_scanner({"type": "hid", "path": str(tmp_path / "event99")})
    assert info.value.code == SCANNER_NOT_FOUND


# --------------------------------------------------------------------------- profiles


def test_committed_profiles_load() -> None:
    profiles = load_profiles(PROFILES)
    by_id = {p.id: p for p in profiles}
    assert {"honeywell-1450g-cdc", "honeywell-1450g-hid", "zebra-ds2208-hid"} <= set(by_id)
    assert any(p.id.startswith("newland") for p in profiles)
    cdc = by_id["honeywell-1450g-cdc"]
    assert (cdc.transport, cdc.vendor_id, cdc.baudrate) == ("serial", "0c2e", 115200)
    assert all(p.baudrate for p in profiles if p.transport == "serial")


def test_committed_udev_rules_equal_the_rendered_profiles() -> None:
    assert RULES.read_text(encoding="utf-8") == render_udev_rules(load_profiles(PROFILES))


def test_cli_prints_the_rules(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["udev-rules", str(PROFILES)]) == 0
    assert capsys.readouterr().out == RULES.read_text(encoding="utf-8")
    assert main([]) == 2


def test_render_udev_rules_exact() -> None:
    profiles = [
        ScannerProfile("b-hid", "B wedge", "hid", "05e0", "1200", "CR"),
        ScannerProfile("a-cdc", "A serial", "serial", "0c2e", "0b8a", "CR", 115200),
    ]
    rules = render_udev_rules(profiles, group="kiosk")
    body = rules.split("\n\n", 1)[1]
    assert body == (
        "# A serial\n"
        'SUBSYSTEM=="tty", ATTRS{idVendor}=="0c2e", ATTRS{idProduct}=="0b8a", '
        'SYMLINK+="mpp-scanner", SYMLINK+="mpp-scanner-a-cdc", GROUP="kiosk", MODE="0660", '
        'ENV{ID_MM_DEVICE_IGNORE}="1"\n'
        "\n# B wedge\n"
        'SUBSYSTEM=="input", KERNEL=="event*", ATTRS{idVendor}=="05e0", '
        'ATTRS{idProduct}=="1200", SYMLINK+="input/mpp-scanner", '
        'SYMLINK+="input/mpp-scanner-b-hid", GROUP="kiosk", MODE="0660", '
        'ENV{LIBINPUT_IGNORE_DEVICE}="1"\n'
    )
    assert "(kiosk)" in rules.split("\n\n", 1)[0]


GOOD = """\
[scanner]
id = "x-cdc"
name = "X"
transport = "serial"
vendor_id = "1eab"
product_id = "8203"
baudrate = 9600
terminator = "CRLF"
"""


@pytest.mark.parametrize(
    ("old", "new", "key"),
    [
        ('transport = "serial"', 'transport = "bluetooth"', "scanner.transport"),
        ('vendor_id = "1eab"', 'vendor_id = "1EAB"', "scanner.vendor_id"),
        ('product_id = "8203"', 'product_id = "82031"', "scanner.product_id"),
        ("baudrate = 9600\n", "", "scanner.baudrate"),
        ("baudrate = 9600", 'baudrate = "9600"', "scanner.baudrate"),
        ('terminator = "CRLF"', 'terminator = "TAB"', "scanner.terminator"),
        ('id = "x-cdc"', 'id = "X CDC"', "scanner.id"),
        ('name = "X"\n', "", "scanner.name"),
        ('name = "X"', 'name = "X"\nbaud = 1', "scanner.baud"),
    ],
)
def test_bad_profile_names_file_and_key(tmp_path: Path, old: str, new: str, key: str) -> None:
    path = tmp_path / "x.toml"
    path.write_text(GOOD.replace(old, new), encoding="utf-8")
    with pytest.raises(ScannerError) as info:
        load_profile(path)
    assert info.value.code == SCANNER_CONFIG
    assert f"{path}: {key}:" in str(info.value)


def test_profile_file_problems(tmp_path: Path) -> None:
    (tmp_path / "a.toml").write_text(GOOD, encoding="utf-8")
    (tmp_path / "b.toml").write_text(GOOD, encoding="utf-8")
    with pytest.raises(ScannerError, match=r"duplicate scanner\.id 'x-cdc'"):
        load_profiles(tmp_path)
    bad = tmp_path / "b.toml"
    bad.write_text("[scanner\n", encoding="utf-8")
    with pytest.raises(ScannerError, match=str(bad)):
        load_profile(bad)
    bad.write_text(GOOD + "\n[other]\n", encoding="utf-8")
    with pytest.raises(ScannerError, match="exactly one"):
        load_profile(bad)


def test_package_imports_no_qt_mqtt_sqlalchemy_or_hardware_libs() -> None:
    import subprocess
    import sys

    code = (
        "import sys, drivers.scanner as s; s.classify('AB12CD');"
        "bad = [m for m in sys.modules if m.split('.')[0] in "
        "('PySide6', 'paho', 'sqlalchemy', 'amqtt', 'serial', 'evdev')];"
        "print(bad)"
    )
    out = subprocess.run(
        [sys.executable, "-W", "error", "-c", code],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert out.stdout.strip() == "[]"
