"""Keypad profiles (hardware/keypads/*.toml), the loader's errors, and open_keypad."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from gpiozero.pins.mock import MockFactory

from drivers.buttons import (
    KIOSK_BUTTONS,
    Button,
    GpioKeypad,
    HidKeypad,
    KeypadConfigError,
    SerialKeypad,
    SimulatedKeypad,
    load_keypad_profile,
    open_keypad,
    parse_keypad_config,
)

PROFILES = Path(__file__).resolve().parents[2] / "hardware" / "keypads"
CORE = [Button.NEXT, Button.RECALL, Button.NO_SHOW, Button.COMPLETE]


@pytest.mark.parametrize(
    ("name", "cls"),
    [
        ("usb-hid-4key.toml", HidKeypad),
        ("serial-6key.toml", SerialKeypad),
        ("pi-gpio-4key.toml", GpioKeypad),
        ("simulated.toml", SimulatedKeypad),
    ],
)
def test_shipped_profiles_load_and_open(name: str, cls: type) -> None:
    config = load_keypad_profile(PROFILES / name)
    keypad = open_keypad(config)  # builds only: nothing is opened until a reader runs
    assert isinstance(keypad, cls)
    assert config.filter.debounce_s == 0.05 and config.filter.repeat_window_s == 1.5


def test_every_shipped_profile_is_tested() -> None:
    assert len(list(PROFILES.glob("*.toml"))) == 6


@pytest.mark.parametrize(("name", "cls"), [("kiosk-usb-hid-numpad.toml", HidKeypad),
                                           ("kiosk-simulated.toml", SimulatedKeypad)])
def test_kiosk_profiles_have_the_voice_keys_and_quick_repeats(name: str, cls: type) -> None:
    config = load_keypad_profile(PROFILES / name)
    assert isinstance(open_keypad(config), cls)
    assert config.filter.repeat_window_s == 0.3  # next, next, next moves three times
    if cls is HidKeypad:
        assert set(config.transport.keys.values()) == set(KIOSK_BUTTONS)
        assert config.transport.keys[82] is Button.VOICE  # KEY_KP0


def test_hid_profile_maps_keypad_keys() -> None:
    config = load_keypad_profile(PROFILES / "usb-hid-4key.toml")
    assert sorted(config.transport.keys.items()) == list(
        zip(
            [75, 79, 80, 81],
            [Button.COMPLETE, Button.NEXT, Button.RECALL, Button.NO_SHOW],
            strict=True,
        )
    )
    assert config.transport.selector.vendor_product == (0x1189, 0x8890)


def test_gpio_profile_uses_bcm_pins() -> None:
    config = load_keypad_profile(PROFILES / "pi-gpio-4key.toml")
    assert dict(config.transport.pins) == dict(zip([17, 27, 22, 23], CORE, strict=True))
    factory = MockFactory()
    try:
        keypad = open_keypad(config, pin_factory=factory)
        keypad.open()
        keypad.close()
    finally:
        factory.close()


def test_filter_and_source_overrides() -> None:
    config = parse_keypad_config(
        {"type": "simulated", "source": "kp-7", "filter": {"debounce_s": 0, "repeat_window_s": 3}}
    )
    assert config.filter.make().repeat_window_s == 3.0
    assert open_keypad(config).source == "kp-7"


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ('type = "bluetooth"', "type: unknown keypad type 'bluetooth'"),
        ("model = 1", "type: missing"),
        ('type = "simulated"\ncolour = "red"', "colour: unknown key"),
        ('type = "serial"', "serial: missing table"),
        ('type = "serial"\n[serial]\nbaud = 9600', "serial.baud: unknown key"),
        ('type = "serial"\n[serial]\nbaudrate = 9600', "serial.port: missing"),
        (
            'type = "serial"\n[serial]\nport = "/dev/x"\nbaudrate = "fast"',
            "serial.baudrate: expected int",
        ),
        ('type = "serial"\n[serial]\nport = "/dev/x"\nbaudrate = 0', "serial.baudrate: must be"),
        (
            'type = "hid"\n[hid]\nvendor_product = "12:34"\n[hid.keys]\nKEY_1 = "NEXT"',
            "hid.vendor_product: expected 'vvvv:pppp'",
        ),
        (
            'type = "hid"\n[hid]\ngrab = true\n[hid.keys]\nKEY_1 = "NEXT"',
            "hid.path: set one of path, vendor_product, name",
        ),
        (
            'type = "hid"\n[hid]\nname = "x"\n[hid.keys]\nKEY_NOPE = "NEXT"',
            "hid.keys.KEY_NOPE: unknown key code",
        ),
        (
            'type = "hid"\n[hid]\nname = "x"\n[hid.keys]\nKEY_1 = "LUNCH"',
            "hid.keys.KEY_1: unknown button 'LUNCH'",
        ),
        (
            'type = "hid"\n[hid]\nname = "x"\ngrab = "yes"\n[hid.keys]\nKEY_1 = "NEXT"',
            "hid.grab: expected bool",
        ),
        ('type = "hid"\n[hid]\nname = "x"\n[hid.keys]', "hid.keys: maps no buttons"),
        ('type = "gpio"\n[gpio.pins]\n40 = "NEXT"', "gpio.pins.40: expected a BCM pin"),
        (
            'type = "gpio"\n[gpio]\nbounce_time_s = -1\n[gpio.pins]\n4 = "NEXT"',
            "gpio.bounce_time_s: must be >= 0",
        ),
        ('type = "simulated"\n[filter]\ndebounce_s = -0.1', "filter.debounce_s: must be >= 0"),
        ('type = "simulated"\n[filter]\nwindow = 1', "filter.window: unknown key"),
        ('type = "simulated"\n[simulated]\nx = 1', "simulated.x: unknown key"),
        ("type = ", "not valid TOML"),
    ],
)
def test_profile_errors_name_file_and_key(tmp_path: Path, text: str, error: str) -> None:
    path = tmp_path / "counter-03.toml"
    path.write_text(text + "\n", encoding="utf-8")
    with pytest.raises(KeypadConfigError) as info:
        load_keypad_profile(path)
    assert str(info.value).startswith(f"{path}: ")
    assert error in str(info.value)
    assert info.value.code == "keypad_config"


def test_missing_profile_file(tmp_path: Path) -> None:
    with pytest.raises(KeypadConfigError, match="cannot read"):
        load_keypad_profile(tmp_path / "absent.toml")


def test_package_import_pulls_in_no_framework_or_device_library() -> None:
    # GIVEN a fresh interpreter WHEN drivers.buttons is imported THEN none of these load
    code = (
        "import sys, drivers.buttons; "
        "print(sorted({m.split('.')[0] for m in sys.modules} & "
        "{'PySide6', 'paho', 'sqlalchemy', 'serial', 'evdev', 'gpiozero'}))"
    )
    root = Path(__file__).resolve().parents[2]
    out = subprocess.run(
        [sys.executable, "-c", code],
        cwd=root,
        capture_output=True,
        text=True,
        check=True,
        timeout=30,
    )
    assert out.stdout.strip() == "[]"
