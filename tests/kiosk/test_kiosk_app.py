"""The kiosk's entry point, options, printer configuration, catalogs and the server
connection: banner when unreachable, last config kept, recovery by itself."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from drivers.printer import PrinterConfigError
from kiosk.kiosk import TS_DIR
from kiosk.printing import issued_text, printer_config, ticket_layout, wait_text
from kiosk.prompts import SAYS
from tests.kiosk.test_kiosk_flow import WAIT_MS, ready, shown, text, to_priority
from tests.support.hall import broker_args


def test_catalogs_are_complete():
    sources = None
    for lang in ("id", "en"):
        root = ET.parse(TS_DIR / f"kiosk_{lang}.ts").getroot()
        found = {m.findtext("source"): m.find("translation") for m in root.iter("message")}
        assert found, lang
        assert all(t is not None and t.text and t.get("type") is None
                   for t in found.values()), lang
        assert sources is None or set(found) == sources
        sources = set(found)


def test_every_qml_text_is_in_the_catalog():
    import re

    qml = "\n".join(path.read_text(encoding="utf-8")
                    for path in sorted((TS_DIR.parent / "qml").glob("*.qml")))
    used = set(re.findall(r'QT_TR_NOOP\("([^"]+)"\)', qml))
    used |= set(SAYS.values())  # voice guidance's words (kiosk/prompts.py)
    root = ET.parse(TS_DIR / "kiosk_id.ts").getroot()
    assert used == {m.findtext("source") for m in root.iter("message")}


def test_printer_config_simulated_toml_json_and_errors(tmp_path: Path):
    cfg = printer_config("simulated", tmp_path / "tickets")
    assert cfg.type == "simulated" and cfg.output_dir == str(tmp_path / "tickets")
    assert (tmp_path / "tickets").is_dir()
    toml = tmp_path / "printer.toml"
    toml.write_text('[printer]\ntype = "network"\nhost = "127.0.5.21"\nprofile = "epson-tm-t82x"\n')
    cfg = printer_config(str(toml), None)
    assert (cfg.type, cfg.host, cfg.profile) == ("network", "127.0.5.21", "epson-tm-t82x")
    js = tmp_path / "printer.json"
    js.write_text(json.dumps({"type": "file", "path": "/dev/usb/lp0"}))
    assert printer_config(str(js), None).path == "/dev/usb/lp0"
    bad = tmp_path / "bad.toml"
    bad.write_text('type = "network"\ncolour = "red"\n')
    with pytest.raises(PrinterConfigError, match="colour"):
        printer_config(str(bad), None)
    with pytest.raises(PrinterConfigError, match=r"missing\.toml"):
        printer_config(str(tmp_path / "missing.toml"), None)


def test_ticket_layout_texts():
    ticket = {"id": "7b6d", "number": "A-012", "issued_at": "2026-11-30T09:41:02.051+08:00",
              "ahead": 3, "est_wait_s": 900}
    layout = ticket_layout(ticket, mall="MPP", agency="Disdukcapil", service="KTP-el",
                           counters=["Loket 1", "Loket 3"])
    assert layout.issued_at == "30/11/2026 09:41 WITA"
    assert layout.wait_text == "± 15 menit / about 15 min"
    assert layout.qr_payload == "7b6d"
    assert layout.footer_lines[0] == "Loket / Counter: Loket 1, Loket 3"
    assert wait_text(0) == "segera / soon"
    assert issued_text("not a time") == "not a time"


def test_main_screenshot_in_landscape(qapp, server, site, mosquitto, tmp_path, monkeypatch):
    from kiosk.app import main
    from tests.support.picture import colour_count, load, share

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    shot = tmp_path / "shot.png"
    # no --device: the kiosk is the device its credentials name
    rc = main(["--site-id", site.site.id, *broker_args(mosquitto, "kiosk-01"),
               "--offscreen", "--orientation", "landscape", "--lang", "en",
               "--screenshot", str(shot)])
    assert rc == 0
    image = load(shot)
    assert image.size == (1920, 1080)
    assert colour_count(image) >= 100, "a blank window, not the welcome screen"
    # THEN the welcome screen in KioskScreen.qml's palette: the header band (panel) over
    # the page (bg), the mall's name from the config in the accent colour, and the start
    # button enabled (action blue with its white label; grey while there is no config)
    assert share(image, "#13294d", (0.0, 0.0, 1.0, 0.12)) >= 0.5, "no header band"
    assert share(image, "#0a1a33", (0.0, 0.15, 1.0, 1.0)) >= 0.5, "no page background"
    assert share(image, "#ffd400", (0.4, 0.38, 0.6, 0.48)) >= 0.05, "no mall name"
    start = (0.3, 0.52, 0.7, 0.64)
    assert share(image, "#0a4a9c", start) >= 0.5, "the start button is not enabled"
    assert share(image, "#ffffff", start) >= 0.03, "the start button has no label"
    assert (tmp_path / "cache" / "mpp-queue" / "qm" / "kiosk_en.qm").exists()
    assert (tmp_path / "cache" / "mpp-queue" / "kiosk-tickets").is_dir()


def test_main_options(tmp_path):
    from kiosk.app import parser

    args = parser().parse_args(["--site-id", "mpp-makassar"])
    assert (args.device, args.default_device, args.printer, args.orientation) == (
        None, "kiosk-01", "simulated", "portrait")
    with pytest.raises(SystemExit):
        parser().parse_args(["--site-id", "x", "--orientation", "sideways"])


def test_bad_printer_config_is_reported_and_numbers_still_show(
        qtbot, server, kiosk_factory, tmp_path, mqtt_collector, mosquitto, site):
    from kiosk.app import printer_opener

    bad = tmp_path / "p.toml"
    bad.write_text('type = "carrier-pigeon"\n')
    with pytest.raises(PrinterConfigError, match="carrier-pigeon"):
        printer_opener(str(bad), None)()
    presence = mqtt_collector(mosquitto, f"mpp/v1/{site.site.id}/device/kiosk-01")
    # WHEN the kiosk starts with it THEN it runs, warns, and tells the hall why
    kiosk = kiosk_factory(open_printer=printer_opener(str(bad), None))
    ready(qtbot, kiosk)
    qtbot.waitUntil(lambda: shown(kiosk, "printerWarning"), timeout=WAIT_MS)
    qtbot.waitUntil(lambda: any(p.get("printer") == {"state": "offline",
                                                     "error": "printer_config"}
                                for p in presence.payloads() if isinstance(p, dict)),
                    timeout=WAIT_MS)
    to_priority(qtbot, kiosk, "ktp")
    kiosk.click("priority-none")
    qtbot.waitUntil(lambda: kiosk.model.screen == "result", timeout=WAIT_MS)
    assert text(kiosk, "ticketNumber") == "A-001" and shown(kiosk, "ticketQr")


def test_unreachable_printer_still_lets_the_kiosk_start(qtbot, server, kiosk_factory,
                                                        tmp_path):
    from kiosk.app import printer_opener

    cfg = tmp_path / "p.toml"
    cfg.write_text('type = "network"\nhost = "127.0.0.1"\nport = 9\ntimeout = 0.5\n')
    kiosk = kiosk_factory(open_printer=printer_opener(str(cfg), None))
    ready(qtbot, kiosk)
    assert kiosk.printer is None and kiosk.model.printerState == "offline"


def test_the_printer_opened_after_start_prints(qtbot, server, kiosk_factory, simulator):
    from drivers.printer import open_printer

    kiosk = kiosk_factory(
        open_printer=lambda: open_printer({"type": "simulated"}, simulator=simulator))
    to_priority(qtbot, kiosk, "kk")
    assert kiosk.model.printerState == "ready"
    kiosk.click("priority-none")
    qtbot.waitUntil(lambda: kiosk.model.screen == "result", timeout=WAIT_MS)
    assert len(simulator.tickets) == 1 and b"B-001" in simulator.tickets[0].data


def test_server_loss_banner_keeps_the_config_and_recovers(
        qtbot, kiosk_factory, server_factory, site, sqlite_url, clock, simulator):
    server = server_factory(site, sqlite_url, clock)
    kiosk = kiosk_factory(orientation="landscape")
    ready(qtbot, kiosk)
    kiosk.click("startButton")
    qtbot.waitUntil(lambda: shown(kiosk, "service-ktp"), timeout=WAIT_MS)
    # WHEN the server goes away THEN a bilingual banner shows; the services stay
    server.stop()
    qtbot.waitUntil(lambda: shown(kiosk, "offlineBanner"), timeout=WAIT_MS)
    banner = kiosk.item("offlineBanner")
    assert banner.property("primary") == "Server tidak terjangkau: menyambung kembali…"
    assert banner.property("secondary") == "Server unreachable: reconnecting…"
    assert shown(kiosk, "service-ktp") and kiosk.model.hasConfig
    # WHEN it comes back THEN the banner goes by itself and a number can be taken
    server_factory(site, sqlite_url, clock)
    qtbot.waitUntil(lambda: not shown(kiosk, "offlineBanner"), timeout=WAIT_MS)
    kiosk.click("homeButton")
    qtbot.waitUntil(lambda: kiosk.model.screen == "welcome", timeout=WAIT_MS)
    to_priority(qtbot, kiosk, "kk")
    kiosk.click("priority-pregnant")
    qtbot.waitUntil(lambda: kiosk.model.screen == "result", timeout=WAIT_MS)
    assert text(kiosk, "ticketNumber") == "B-001"
    assert len(simulator.tickets) == 1
