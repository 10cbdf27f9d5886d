"""Every kiosk screen, in the normal and the large high-contrast mode and in both
languages, meets WCAG 2.1 AA for text (4.5:1), measured on its screenshot
(tests/support/contrast.py says how; docs/kiosk.md too)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from kiosk.kiosk import Kiosk
from queue_server.config import SiteConfig
from tests.support.contrast import AA, Measure, failures, ratio, screenshot, texts
from tests.support.site import two_agency_site

WAIT_MS = 10000


@pytest.fixture
def site(unique_site: str) -> SiteConfig:
    return two_agency_site(unique_site)  # so the agency screen shows


class Tour:
    """Drives one kiosk through its screens and measures each one."""

    def __init__(self, qtbot, kiosk: Kiosk, large: bool, lang: str) -> None:
        self.qtbot, self.kiosk, self.large, self.lang = qtbot, kiosk, large, lang
        self.seen: list[str] = []
        self.bad: list[str] = []

    def wait(self, predicate: Callable[[], bool]) -> None:
        self.qtbot.waitUntil(predicate, timeout=WAIT_MS)

    def check(self, name: str) -> None:
        self.qtbot.wait(50)  # not synchronisation: lets the new page lay out and paint
        assert self.kiosk.model.large == self.large
        assert self.kiosk.i18n.language == self.lang
        assert len(texts(self.kiosk.window)) >= 3, name
        mode = "large" if self.large else "normal"
        self.seen.append(name)
        self.bad += [f"{name} ({mode}, {self.lang}): {m}"
                     for m in failures(self.kiosk.window)]

    def start(self) -> None:
        """On welcome: this tour's language and mode (the welcome's buttons; their touch
        is tested below and in test_kiosk_flow)."""
        self.kiosk.i18n.set_language(self.lang)
        self.kiosk.model.setLarge(self.large)

    def go(self, button: str, screen: str) -> None:
        model = self.kiosk.model
        if model.screen == "welcome":
            self.start()
        self.kiosk.click(button)
        self.wait(lambda: model.screen == screen)

    def pages(self, name: str) -> None:
        """Check every page of a list (large mode shows a few at a time), then back to
        the first."""
        self.check(name)
        turned = 0
        while self.shown("pageNext") and self.kiosk.item("pageNext").isEnabled():
            self.kiosk.click("pageNext")
            turned += 1
            self.check(f"{name}-page-{turned + 1}")
        for _ in range(turned):
            self.kiosk.click("pagePrev")

    def shown(self, name: str) -> bool:
        try:
            return self.kiosk.item(name).isVisible()
        except LookupError:
            return False

    def to_priority(self, service: str) -> None:
        self.go("startButton", "agencies")
        self.go("agency-dukcapil", "services")
        self.wait(lambda: self.shown(f"service-{service}"))
        self.go(f"service-{service}", "priority")


def tour(qtbot, kiosk: Kiosk, large: bool, lang: str, simulator) -> Tour:
    t = Tour(qtbot, kiosk, large, lang)
    model = kiosk.model
    t.start()
    t.check("welcome")
    t.go("startButton", "agencies")
    t.pages("agencies")
    t.go("agency-dukcapil", "services")
    t.wait(lambda: t.shown("service-ktp") and model.services.count == 5)
    t.pages("services")  # with a closed and a full service
    t.go("service-ktp", "priority")
    t.check("priority")
    t.go("priority-elderly", "result")
    t.check("result")
    simulator.faults.paper_out = True
    t.go("doneButton", "welcome")
    t.start()
    model.check_printer()
    t.wait(lambda: model.printerState == "paper_out")
    t.check("welcome-paper-out")
    t.to_priority("kk")
    t.go("priority-none", "result")
    t.wait(lambda: model.printError != "")
    t.check("result-unprinted")  # with the offer of one copy
    simulator.faults.paper_out = False
    kiosk.click("reprintButton")
    t.wait(lambda: model.copy == "printed")
    t.check("result-copy")
    model.check_printer()
    t.wait(lambda: model.printerState == "ready")
    t.go("doneButton", "welcome")
    t.start()
    model.refuse("scan_garbage")  # what a garbled scan shows
    t.check("refused")
    t.go("refusedDone", "welcome")
    return t


@pytest.mark.parametrize("orientation", ["portrait", "landscape"])
def test_every_screen_in_both_modes_and_languages_meets_aa(qtbot, server, kiosk_factory,
                                                            client_factory, simulator,
                                                            orientation):
    supervisor = client_factory("supervisor-01", "supervisor", follow_state=False)
    other = client_factory("kiosk-08", "kiosk", follow_state=False)
    supervisor.request("service.close", {"service": "akta"})
    for _ in range(5):  # pindah's daily quota is 5
        other.request("ticket.issue", {"service": "pindah"})
    other.stop()  # no other kiosk up: the paper-out welcome still takes numbers
    kiosk = kiosk_factory(orientation=orientation)  # one: the language is the app's translator
    qtbot.waitUntil(lambda: kiosk.model.hasConfig and kiosk.bridge.online, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: kiosk.model.printerState == "ready", timeout=WAIT_MS)
    qtbot.waitUntil(lambda: (kiosk.bridge.value("device/kiosk-08") or {}).get("status")
                    != "online", timeout=WAIT_MS)
    qtbot.waitUntil(lambda: all((kiosk.bridge.value(f"queue/{s}") or {}).get("open") is False
                                for s in ("akta", "pindah")), timeout=WAIT_MS)
    tours = [tour(qtbot, kiosk, large, lang, simulator)
             for large in (False, True) for lang in ("id", "en")]
    # the printing screen, the error and the offline banner: the server goes away
    kiosk.model.request_timeout_s = 1.0
    server.stop()
    for t in tours:
        t.to_priority("ktp")
        t.go("priority-none", "printing")
        t.check("printing")
        t.wait(lambda t=t: t.kiosk.model.screen == "error")
        t.wait(lambda t=t: t.kiosk.item("offlineBanner").isVisible())
        t.check("error")
        t.go("homeButton", "welcome")
    # the paper-out welcome when another kiosk is up: it sends the citizen there
    client_factory("kiosk-07", "kiosk", follow_state=False)
    simulator.faults.paper_out = True
    for t in tours:
        t.start()
        kiosk.model.check_printer()
        t.wait(lambda: kiosk.model.elsewhere != "")
        t.check("welcome-elsewhere")
    assert all(len(t.seen) >= 12 for t in tours)
    assert all(any(seen.startswith("services-page-") for seen in t.seen)
               for t in tours if t.large)  # large mode pages its lists
    problems = [line for t in tours for line in t.bad]
    assert problems == [], "text under WCAG AA 4.5:1:\n" + "\n".join(problems)


def test_the_large_button_is_one_touch_and_ends_with_the_citizen(qtbot, server,
                                                                 kiosk_factory):
    kiosk = kiosk_factory()
    kiosk.model.idle_ms = 200  # 30 s in the hall
    qtbot.waitUntil(lambda: kiosk.model.hasConfig and kiosk.bridge.online, timeout=WAIT_MS)
    small = kiosk.item("startButton").property("size")
    kiosk.click("largeButton")
    qtbot.waitUntil(lambda: kiosk.model.large, timeout=WAIT_MS)
    # THEN bigger text and targets, and every time-out three times longer
    qtbot.waitUntil(lambda: kiosk.item("startButton").property("size") > small,
                    timeout=WAIT_MS)
    kiosk.click("startButton")
    qtbot.waitUntil(lambda: kiosk.model.screen == "agencies", timeout=WAIT_MS)
    assert kiosk.model.idle_timer.interval() == 600  # 90 s in the hall
    # WHEN the citizen walks away THEN the next one starts in the normal mode
    qtbot.waitUntil(lambda: kiosk.model.screen == "welcome", timeout=WAIT_MS)
    assert not kiosk.model.large
    assert not kiosk.model.idle_timer.isActive()


def test_the_measure_sees_a_text_under_aa(qapp, tmp_path):
    from PySide6.QtQml import QQmlApplicationEngine

    qml = tmp_path / "grey.qml"
    qml.write_text("""
import QtQuick
Window {
    width: 400; height: 200; visible: true; color: "#0b63ce"
    Text { objectName: "faint"; x: 20; y: 20; text: "Layanan"; color: "#c9d3e3"
           font.pixelSize: 40 }
    Text { objectName: "clear"; x: 20; y: 100; text: "Layanan"; color: "#ffffff"
           font.pixelSize: 40 }
}
""")
    engine = QQmlApplicationEngine()
    engine.load(str(qml))
    window = engine.rootObjects()[0]
    try:
        image = screenshot(window)
        found = failures(window)
        # THEN the grey text on the old action blue fails (3.77:1) and the white one passes
        assert [m.text for m in found] == ["Layanan"]
        bad: Measure = found[0]
        assert bad.background == (0x0b, 0x63, 0xce) and bad.measured == (0xc9, 0xd3, 0xe3)
        assert round(bad.ratio, 2) == round(ratio((0xc9, 0xd3, 0xe3), (0x0b, 0x63, 0xce)), 2)
        assert bad.ratio < AA
        assert image.size == (400, 200)
    finally:
        window.close()
        engine.deleteLater()
