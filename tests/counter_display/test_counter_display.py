"""The counter display over a real server and broker, offscreen: it follows the counter's
retained state, says why it is not serving, marks a lost server, switches language."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from queue_server.protocol.client import QueueClient
from queue_server.server import QueueServer
from tests.support.hall import broker_args
from tests.support.qml import text, visible

WAIT_MS = 10000
ACCENT = "#ffd400"  # CounterScreen.qml's accent: the number being served


@pytest.fixture
def counter(server: QueueServer, client_factory: Callable[..., QueueClient]) -> QueueClient:
    return client_factory("counter-01", "counter")


@pytest.fixture
def kiosk(server: QueueServer, client_factory: Callable[..., QueueClient]) -> QueueClient:
    return client_factory("kiosk-01", "kiosk", follow_state=False)


def call_one(counter: QueueClient, kiosk: QueueClient) -> str:
    counter.request("counter.open", {"counter": "loket-01"})
    number = kiosk.request("ticket.issue", {"service": "ktp"})["number"]
    called = counter.request("counter.call_next", {"counter": "loket-01"})
    assert called["ticket"]["number"] == number
    return str(number)


def test_shows_the_number_called_over_mqtt_and_flashes(qtbot, display_factory, counter,
                                                       kiosk):
    # GIVEN a display above loket-01, showing the open counter
    display = display_factory("loket-01")
    qtbot.waitUntil(display.has_state, timeout=WAIT_MS)  # a call found at start-up never flashes
    counter.request("counter.open", {"counter": "loket-01"})
    qtbot.waitUntil(lambda: text(display, "statusPrimary") == "Menunggu nomor berikutnya",
                    timeout=WAIT_MS)
    assert text(display, "counterName") == "Loket 1"
    assert text(display, "statusSecondary") == "Waiting for the next number"
    # WHEN a citizen's ticket is called to it
    number = kiosk.request("ticket.issue", {"service": "ktp"})["number"]
    counter.request("counter.call_next", {"counter": "loket-01"})
    # THEN the number shows, large, flashing, with the call caption in both languages
    qtbot.waitUntil(lambda: text(display, "number") == number, timeout=WAIT_MS)
    assert visible(display, "numberPanel") and not visible(display, "statusBox")
    assert display.model.flashing
    assert text(display, "captionPrimary") == "Silakan menuju loket ini"
    assert text(display, "captionSecondary") == "Please come to this counter"
    assert not visible(display, "offlineMarker")
    raw = display.bridge.property("state")  # what QML sees as bridge.state
    assert raw["counter/loket-01"]["ticket"]["number"] == number


def test_recall_flashes_again_and_serving_keeps_the_number(qtbot, display_factory, counter,
                                                           kiosk):
    display = display_factory("loket-01")
    # the display must be up before the call: a call it only finds in retained state
    # at start-up is shown without flashing (that is the design)
    qtbot.waitUntil(display.has_state, timeout=WAIT_MS)
    number = call_one(counter, kiosk)
    qtbot.waitUntil(lambda: display.model.flashing, timeout=WAIT_MS)
    display.model._stop_flash()  # as if the flash time were over
    # WHEN the counter recalls the number
    with qtbot.waitSignal(display.model.flashingChanged, timeout=WAIT_MS):
        counter.request("counter.recall", {"counter": "loket-01"})
    assert display.model.flashing
    # WHEN service starts THEN the number stays, captioned as being served
    counter.request("counter.start", {"counter": "loket-01"})
    qtbot.waitUntil(lambda: text(display, "captionPrimary") == "Sedang dilayani",
                    timeout=WAIT_MS)
    assert text(display, "number") == number


def test_a_display_started_after_the_call_shows_it_at_once(qtbot, display_factory, counter,
                                                           kiosk):
    number = call_one(counter, kiosk)
    display = display_factory("loket-01")  # retained state: no new call needed
    # the number comes from the counter's state, the flash from the calls: wait for both
    qtbot.waitUntil(lambda: text(display, "number") == number and display.has_state(),
                    timeout=WAIT_MS)
    assert not display.model.flashing  # an old call is not announced as new


@pytest.mark.parametrize(("reason", "primary", "secondary"), [
    ("break", "Istirahat", "Break"),
    ("prayer", "Istirahat salat", "Prayer break"),
    ("system", "Gangguan sistem", "System problem"),
])
def test_paused_shows_the_reason(qtbot, display_factory, counter, reason, primary, secondary):
    display = display_factory("loket-01")
    counter.request("counter.open", {"counter": "loket-01"})
    counter.request("counter.pause", {"counter": "loket-01", "reason": reason})
    qtbot.waitUntil(lambda: text(display, "statusPrimary") == primary, timeout=WAIT_MS)
    assert text(display, "statusSecondary") == secondary
    assert visible(display, "statusHeading") and not visible(display, "numberPanel")
    assert text(display, "statusHeading") == "Loket dijeda  ·  Counter paused"


def test_closed_shows_closed(qtbot, display_factory, counter, kiosk):
    display = display_factory("loket-01")
    call_one(counter, kiosk)
    counter.request("counter.complete", {"counter": "loket-01"})
    counter.request("counter.close", {"counter": "loket-01"})
    qtbot.waitUntil(lambda: text(display, "statusPrimary") == "Loket tutup", timeout=WAIT_MS)
    assert text(display, "statusSecondary") == "Counter closed"
    assert not visible(display, "numberPanel")
    assert "Silakan menuju loket lain" in text(display, "hintPrimary")


def test_server_offline_marker_and_recovery(qtbot, display_factory, server_factory, site,
                                            sqlite_url, clock, client_factory):
    # GIVEN a display showing a called number
    server = server_factory(site, sqlite_url, clock)
    counter = client_factory("counter-01", "counter")
    kiosk = client_factory("kiosk-01", "kiosk", follow_state=False)
    number = call_one(counter, kiosk)
    display = display_factory("loket-01")
    qtbot.waitUntil(lambda: text(display, "number") == number, timeout=WAIT_MS)
    assert display.bridge.status == "connected"
    # WHEN the server stops THEN a discreet marker shows; the number stays
    server.stop()
    qtbot.waitUntil(lambda: visible(display, "offlineMarker"), timeout=WAIT_MS)
    assert display.bridge.status == "server_offline"
    assert text(display, "offlineText") == "Server tidak terhubung"
    assert text(display, "number") == number
    # WHEN it comes back THEN the marker goes, by itself
    server_factory(site, sqlite_url, clock)
    qtbot.waitUntil(lambda: not visible(display, "offlineMarker"), timeout=WAIT_MS)
    assert display.bridge.status == "connected"
    assert text(display, "number") == number


def test_broker_loss_and_recovery(qtbot, display_factory, fresh_mosquitto, server_factory,
                                  site, sqlite_url, clock):
    broker = fresh_mosquitto()
    server_factory(site, sqlite_url, clock, broker=broker)
    display = display_factory("loket-01", broker=broker)
    qtbot.waitUntil(lambda: display.bridge.status == "connected", timeout=WAIT_MS)
    broker.stop()
    qtbot.waitUntil(lambda: display.bridge.status == "broker_unreachable", timeout=WAIT_MS)
    assert text(display, "offlineText") == "Jaringan terputus"
    fresh_mosquitto(port=broker.port)
    qtbot.waitUntil(lambda: display.bridge.status == "connected", timeout=20000)
    assert not visible(display, "offlineMarker")


def test_language_switch_changes_the_texts(qtbot, display_factory, counter):
    display = display_factory("loket-01", lang="id")
    counter.request("counter.open", {"counter": "loket-01"})
    counter.request("counter.pause", {"counter": "loket-01", "reason": "prayer"})
    qtbot.waitUntil(lambda: text(display, "statusPrimary") == "Istirahat salat",
                    timeout=WAIT_MS)
    # WHEN English becomes the primary language THEN the lines swap
    display.i18n.set_language("en")
    assert text(display, "statusPrimary") == "Prayer break"
    assert text(display, "statusSecondary") == "Istirahat salat"
    display.i18n.set_language("id")
    assert text(display, "statusPrimary") == "Istirahat salat"
    assert text(display, "statusSecondary") == "Prayer break"


def test_started_in_english(qtbot, display_factory, counter):
    counter.request("counter.open", {"counter": "loket-01"})
    counter.request("counter.close", {"counter": "loket-01"})
    display = display_factory("loket-01", lang="en")
    qtbot.waitUntil(lambda: text(display, "statusPrimary") == "Counter closed",
                    timeout=WAIT_MS)
    assert text(display, "statusSecondary") == "Loket tutup"


def test_main_screenshot_renders_once_the_state_is_in(qapp, mosquitto, site, counter, kiosk,
                                                      tmp_path, monkeypatch):
    from counter_display.counter.app import main
    from tests.support.picture import colour_count, load, share

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))  # the .qm cache
    call_one(counter, kiosk)
    shot = tmp_path / "shot.png"
    rc = main(["--site-id", site.site.id, *broker_args(mosquitto, "display-01"),
               "--device", "display-01", "--counter", "loket-01", "--offscreen",
               "--size", "1920x1080", "--lang", "en", "--screenshot", str(shot)])
    assert rc == 0
    image = load(shot)
    assert image.size == (1920, 1080)
    assert colour_count(image) >= 100, "a blank window, not the screen"
    # THEN the called number fills the middle, in the accent colour on black (or black on
    # the accent while flashing): a screen still waiting for its state shows white text only
    number = (0.15, 0.45, 0.85, 0.76)
    assert share(image, ACCENT, number) >= 0.15, "no number drawn in the middle"
    assert share(image, "#000000", number) >= 0.15, "the middle is one flat colour"
    # AND the counter's name (white) sits at the top left, on black
    name = (0.02, 0.03, 0.35, 0.16)
    assert share(image, "#ffffff", name) >= 0.05 and share(image, "#000000", name) >= 0.3
    assert (tmp_path / "cache" / "mpp-queue" / "qm" / "counter_display_en.qm").exists()


def test_catalogs_are_complete():
    import xml.etree.ElementTree as ET

    from counter_display.catalogs import TS_DIR
    from qtkit.i18n import LANGUAGES

    sources = None
    for lang in LANGUAGES:
        root = ET.parse(TS_DIR / f"counter_display_{lang}.ts").getroot()
        messages = root.iter("message")
        found = {m.findtext("source"): m.find("translation") for m in messages}
        assert all(t is not None and t.text and t.get("type") is None
                   for t in found.values()), lang
        assert sources is None or set(found) == sources
        sources = set(found)


def test_started_before_the_broker_it_connects_when_the_broker_comes(
        qtbot, display_factory, fresh_mosquitto, server_factory, site, sqlite_url, clock):
    broker = fresh_mosquitto()
    broker.stop()  # GIVEN no broker yet (boot order: the display's Pi came up first)
    display = display_factory("loket-01", broker=broker)
    qtbot.waitUntil(lambda: display.bridge.status == "broker_unreachable", timeout=WAIT_MS)
    assert visible(display, "offlineMarker")
    # WHEN the broker and the server come up THEN the display connects by itself
    fresh_mosquitto(port=broker.port)
    server_factory(site, sqlite_url, clock, broker=broker)
    qtbot.waitUntil(lambda: display.bridge.status == "connected", timeout=20000)
    qtbot.waitUntil(lambda: text(display, "statusPrimary") == "Loket tutup", timeout=WAIT_MS)


def test_a_voice_guided_or_priority_ticket_is_marked_for_the_hall(qtbot, display_factory,
                                                                   counter, kiosk):
    display = display_factory("loket-01")
    qtbot.waitUntil(display.has_state, timeout=WAIT_MS)
    counter.request("counter.open", {"counter": "loket-01"})
    kiosk.request("ticket.issue", {"service": "ktp", "priority": "disabled", "assist": "voice"})
    kiosk.request("ticket.issue", {"service": "ktp", "priority": "elderly"})
    kiosk.request("ticket.issue", {"service": "ktp"})
    # WHEN the voice-guided citizen is called THEN the officer comes to them, said to all
    counter.request("counter.call_next", {"counter": "loket-01"})
    qtbot.waitUntil(lambda: visible(display, "markText"), timeout=WAIT_MS)
    assert text(display, "markText") == (
        "Petugas akan menghampiri Anda  ·  The officer will come to you")
    # AND a priority citizen's ticket says priority, not which kind (that stays private)
    counter.request("counter.call_next", {"counter": "loket-01"})
    qtbot.waitUntil(lambda: text(display, "markText").startswith("Layanan prioritas"),
                    timeout=WAIT_MS)
    counter.request("counter.call_next", {"counter": "loket-01"})
    qtbot.waitUntil(lambda: not visible(display, "markText"), timeout=WAIT_MS)
