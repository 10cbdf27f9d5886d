"""The kiosk as a screen reader sees it (Qt Accessibility): every screen walked by pressing
buttons found by their accessible role and name, never by a click; on every screen each
interactive item has a name."""

from __future__ import annotations

import pytest

from kiosk.kiosk import Kiosk
from queue_server.config import SiteConfig
from tests.support.accessible import Role, buttons, find, unnamed_interactive
from tests.support.site import two_agency_site

WAIT_MS = 10000


@pytest.fixture
def site(unique_site: str) -> SiteConfig:
    return two_agency_site(unique_site)  # so the agency screen shows


def press(qtbot, kiosk: Kiosk, name: str, screen: str) -> None:
    find(kiosk.window, Role.Button, name).press()
    qtbot.waitUntil(lambda: kiosk.model.screen == screen, timeout=WAIT_MS)


def named(kiosk: Kiosk) -> set[str]:
    """The screen's buttons by name; fails when an interactive item has none."""
    assert unnamed_interactive(kiosk.window) == []
    return set(buttons(kiosk.window))


def test_every_screen_is_walked_by_accessible_buttons(qtbot, server, kiosk_factory, scanner,
                                                      simulator, client_factory):
    kiosk = kiosk_factory(scanner=scanner)
    qtbot.waitUntil(lambda: kiosk.model.hasConfig and kiosk.bridge.online, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: kiosk.model.printerState == "ready", timeout=WAIT_MS)
    # welcome: the start button and each language by its own name
    assert {"Ambil nomor antrean", "Bahasa Indonesia", "English"} <= named(kiosk)
    start = find(kiosk.window, Role.Button, "Ambil nomor antrean")
    assert start.description == "Pilih layanan, lalu nomor Anda dicetak"
    press(qtbot, kiosk, "Ambil nomor antrean", "agencies")
    assert {"Disdukcapil", "BPJS Kesehatan", "Kembali", "Beranda"} <= named(kiosk)
    press(qtbot, kiosk, "Disdukcapil", "services")
    qtbot.waitUntil(lambda: "Layanan ktp" in buttons(kiosk.window), timeout=WAIT_MS)
    shown = named(kiosk)
    assert {f"Layanan {s}" for s in ("ktp", "kk", "akta", "izin", "pindah")} <= shown
    ktp = buttons(kiosk.window)["Layanan ktp"]
    assert ktp.enabled and ktp.description.startswith("0 menunggu")
    press(qtbot, kiosk, "Layanan ktp", "priority")
    assert {"Tidak, antrean biasa", "Lansia (60+)", "Penyandang disabilitas", "Ibu hamil",
            "Membawa anak kecil"} <= named(kiosk)
    press(qtbot, kiosk, "Penyandang disabilitas", "result")
    assert kiosk.model.ticket["priority"] == "disabled"
    assert "Selesai" in named(kiosk)
    press(qtbot, kiosk, "Selesai", "welcome")
    # a refused scan: its message and the Done button
    scanner.feed("MPP1:T:" + "0" * 32)
    qtbot.waitUntil(lambda: kiosk.model.screen == "refused", timeout=WAIT_MS)
    assert "Selesai" in named(kiosk)
    press(qtbot, kiosk, "Selesai", "welcome")
    # the printing screen, then the error screen of an unanswered request
    kiosk.model.request_timeout_s = 1.5
    press(qtbot, kiosk, "Ambil nomor antrean", "agencies")
    press(qtbot, kiosk, "Disdukcapil", "services")
    qtbot.waitUntil(lambda: "Layanan kk" in buttons(kiosk.window), timeout=WAIT_MS)
    press(qtbot, kiosk, "Layanan kk", "priority")
    server.stop()
    press(qtbot, kiosk, "Tidak, antrean biasa", "printing")
    assert named(kiosk) == {"Bahasa Indonesia", "English"}
    qtbot.waitUntil(lambda: kiosk.model.screen == "error", timeout=WAIT_MS)
    assert {"Kembali", "Beranda"} <= named(kiosk)
    press(qtbot, kiosk, "Kembali", "services")


def test_names_follow_the_language_and_closed_services_read_as_disabled(
        qtbot, server, kiosk_factory, client_factory):
    supervisor = client_factory("supervisor-01", "supervisor", follow_state=False)
    supervisor.request("service.close", {"service": "akta"})
    kiosk = kiosk_factory()
    qtbot.waitUntil(lambda: kiosk.model.hasConfig and kiosk.bridge.online, timeout=WAIT_MS)
    english = find(kiosk.window, Role.Button, "English")
    assert not english.checked
    english.press()
    qtbot.waitUntil(lambda: "Take a number" in buttons(kiosk.window), timeout=WAIT_MS)
    assert find(kiosk.window, Role.Button, "English").checked
    press(qtbot, kiosk, "Take a number", "agencies")
    press(qtbot, kiosk, "BPJS Health", "services")
    assert "JKN card" in named(kiosk)
    press(qtbot, kiosk, "Back", "agencies")
    press(qtbot, kiosk, "Civil Registry", "services")
    qtbot.waitUntil(lambda: buttons(kiosk.window)["Service akta"].description
                    == "Temporarily closed", timeout=WAIT_MS)  # its queue's state is in
    akta = buttons(kiosk.window)["Service akta"]
    assert not akta.enabled
    # WHEN a screen reader presses the closed service THEN nothing happens
    akta.press()
    assert kiosk.model.screen == "services"
    press(qtbot, kiosk, "Home", "welcome")


UNNAMED = """
import QtQuick
Window {
    width: 200; height: 100; visible: true
    Rectangle {
        objectName: "silent"; width: 90; height: 90
        MouseArea { anchors.fill: parent }
    }
    Rectangle {
        x: 100; width: 90; height: 90
        Accessible.role: Accessible.Button
        Accessible.name: "Named"
        MouseArea { anchors.fill: parent }
    }
}
"""


def test_an_interactive_item_without_a_name_is_reported(qapp, tmp_path):
    from PySide6.QtQml import QQmlApplicationEngine

    qml = tmp_path / "unnamed.qml"
    qml.write_text(UNNAMED)
    engine = QQmlApplicationEngine()
    engine.load(str(qml))
    window = engine.rootObjects()[0]
    try:
        assert unnamed_interactive(window) == ["QQuickRectangle silent"]
        assert set(buttons(window)) == {"Named"}
    finally:
        window.close()
        engine.deleteLater()
