"""A box with no typed address: it shows the setup screen while it has no server of its
own, keeps looking, connects as soon as one appears, never picks between two halls by
itself, and follows its server to another broker. Real zeroconf on the loopback interface,
real Mosquitto and QueueServer, the apps offscreen.

Other processes on this machine may advertise servers of their own (the suite's other
tests, a demo): every site here is fresh, and a test without a site id only asserts what
more servers could not change."""

from __future__ import annotations

import re
import uuid
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from counter_display.counter.display import CounterDisplay
from drivers.printer import open_printer
from kiosk.app import parser as kiosk_parser
from kiosk.kiosk import Kiosk
from mpp.broker import BrokerHandle
from qtkit.app import WindowOptions
from qtkit.bridge import Endpoint
from qtkit.cli import base_parser
from qtkit.setup import QML as SETUP_QML
from qtkit.setup import SETTLE_MS, Finder, LocatedApp
from qtkit.setup import TS_DIR as SETUP_TS
from queue_server.clock import ManualClock
from queue_server.config import SiteConfig
from queue_server.protocol.discovery import (
    AMBIGUOUS,
    FOUND,
    LOOKING,
    PROTOCOL_VERSION,
    Advertiser,
    ServerInfo,
    browse,
    choose,
)
from queue_server.server import QueueServer
from tests.support.hall import client_of, server_options
from tests.support.qml import shown, text

pytestmark = [pytest.mark.timeout(90), pytest.mark.mdns]

LOOPBACK = ["127.0.0.1"]
WAIT_MS = 20000  # a server's advertisement takes ~3 s (name probing), its state ~1 s more


def _server(site: str, port: int, name: str = "", protocol: str = PROTOCOL_VERSION
            ) -> ServerInfo:
    return ServerInfo(site, "127.0.0.2", port, None, protocol, name or f"{site}.x")


# --------------------------------------------------------------------------- choose


def test_a_box_takes_the_only_server_and_never_guesses_between_two():
    a, b = _server("mpp-a", 1883), _server("mpp-b", 1884)
    assert choose([], None).outcome == LOOKING
    assert choose([a], None).server == a
    two = choose([b, a], None)
    assert (two.outcome, two.server, two.sites) == (AMBIGUOUS, None, ["mpp-a", "mpp-b"])
    # WHEN one of them goes away THEN the other is the box's
    assert choose([b], None).server == b
    # a box that knows its site takes its own, and waits for it when it is not there
    assert choose([a, b], "mpp-b").server == b
    mine_missing = choose([a], "mpp-b")
    assert (mine_missing.outcome, mine_missing.sites) == (LOOKING, ["mpp-a"])
    # a server of another major protocol is not one the box can talk to
    assert choose([_server("mpp-c", 1885, protocol="2")], None).outcome == LOOKING
    assert choose([a, _server("mpp-c", 1885, protocol="1.4")], "mpp-c").outcome == FOUND


def test_a_box_without_a_site_waits_for_the_network_to_settle_then_keeps_to_its_hall(
        qtbot):
    # GIVEN a box that does not know its site, fed what its watcher would see
    finder = Finder(None, "display-01")
    found: list[ServerInfo] = []
    finder.found.connect(found.append)
    finder.start(look=False)
    try:
        a, b = _server("mpp-a", 1883), _server("mpp-b", 1884)
        # WHEN one hall answers, then a second a moment later
        finder.seen([a])
        assert not found  # one answer may not be the whole network yet
        finder.seen([a, b])
        assert finder.outcome == AMBIGUOUS and finder.sites == ["mpp-a", "mpp-b"]
        # WHEN one goes away THEN, once that has settled, the box takes the other
        with qtbot.waitSignal(finder.found, timeout=SETTLE_MS * 3):
            finder.seen([b])
        assert found == [b] and finder.siteId == "mpp-b"
        # WHEN its server moves THEN the box follows at once, and keeps to its hall
        moved = _server("mpp-b", 1999)
        finder.seen([a, moved])
        assert found == [b, moved]
    finally:
        finder.stop()


# --------------------------------------------------------------------------- the catalog


def test_the_setup_catalogs_are_complete_and_match_the_screen():
    used = set(re.findall(r'QT_TR_NOOP\("([^"]+)"\)', SETUP_QML.read_text(encoding="utf-8")))
    for lang in ("id", "en"):
        root = ET.parse(SETUP_TS / f"setup_{lang}.ts").getroot()
        found = {m.findtext("source"): m.find("translation") for m in root.iter("message")}
        assert set(found) == used, lang
        assert all(t is not None and t.text and t.get("type") is None
                   for t in found.values()), lang


# --------------------------------------------------------------------------- the apps


@pytest.fixture(scope="module")
def qm_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("qm")


@pytest.fixture
def boxes(qtbot: object) -> Iterator[list[LocatedApp]]:
    made: list[LocatedApp] = []
    yield made
    for box in made:
        box.close()


@pytest.fixture
def advertised(sqlite_url: str, clock: ManualClock
               ) -> Iterator[Callable[[SiteConfig, BrokerHandle], QueueServer]]:
    """`advertised(cfg, broker)`: a QueueServer on `broker` that advertises itself on the
    loopback interface, as a hall's server does on its LAN; stopped at teardown."""
    started: list[QueueServer] = []

    def start(cfg: SiteConfig, broker: BrokerHandle) -> QueueServer:
        opts = server_options(broker, sqlite_url, mdns_interfaces=LOOPBACK)
        server = QueueServer(cfg, opts, clock)
        server.start(wait_connected=10)
        started.append(server)
        return server

    yield start
    for server in started:
        server.stop()


def _counter_box(boxes: list[LocatedApp], broker: BrokerHandle, qm_dir: Path,
                 *site: str) -> LocatedApp:
    """A counter display above loket-01 with its credentials and (maybe) its site id."""
    credentials = broker.credentials("display-01")
    assert credentials is not None and credentials.source is not None
    args = base_parser("mpp display counter", "test", device="display-counter").parse_args(
        [*(["--site-id", site[0]] if site else []), "--credentials",
         str(credentials.source)])

    def build(endpoint: Endpoint) -> CounterDisplay:
        return CounterDisplay(endpoint, "loket-01", qm_dir=qm_dir,
                              window=WindowOptions(size=(1280, 720)))
    box = LocatedApp(args, "display", build, WindowOptions(size=(1280, 720)),
                     interfaces=LOOPBACK, qm_dir=qm_dir)
    boxes.append(box)
    return box


def test_a_kiosk_with_no_server_shows_the_setup_screen_until_its_server_appears(
        qtbot, boxes, advertised, site, mosquitto, qm_dir, tmp_path):
    # GIVEN a kiosk of a site whose server is not running
    credentials = mosquitto.credentials("kiosk-01")
    assert credentials is not None
    args = kiosk_parser().parse_args(["--site-id", site.site.id, "--credentials",
                                      str(credentials.source)])

    def build(endpoint: Endpoint) -> Kiosk:
        printer = open_printer({"type": "simulated"})
        return Kiosk(endpoint, printer, qm_dir=qm_dir,
                     window=WindowOptions(size=(1080, 1920)))
    box = LocatedApp(args, "kiosk", build, WindowOptions(size=(1080, 1920)),
                     interfaces=LOOPBACK, qm_dir=qm_dir)
    boxes.append(box)
    # THEN the setup screen says, in both languages, that it is looking, and who it is
    assert box.setting_up and box.window.isVisible()
    assert text(box, "headingPrimary") == "Mencari server antrean di jaringan ini…"
    assert text(box, "headingSecondary") == "Looking for the queue server on this network…"
    assert text(box, "detailSecondary") == f"This box belongs to {site.site.id}."
    assert text(box, "deviceId") == "kiosk-01"
    # AND it keeps looking (the clock runs, the app did not exit)
    qtbot.waitUntil(lambda: text(box, "elapsed") == "0:02", timeout=WAIT_MS)
    assert box.setting_up
    # WHEN the server starts THEN the kiosk comes up on it, with the hall's services
    advertised(site, mosquitto)
    qtbot.waitUntil(lambda: box.screen is not None, timeout=WAIT_MS)
    kiosk = box.screen
    assert isinstance(kiosk, Kiosk)
    assert not box.setting_up and box.engine is None  # the setup screen is gone
    qtbot.waitUntil(lambda: kiosk.model.hasConfig and kiosk.bridge.online, timeout=WAIT_MS)
    kiosk.click("startButton")
    qtbot.waitUntil(lambda: shown(kiosk, "service-ktp"), timeout=WAIT_MS)
    assert kiosk.bridge.endpoint.port == mosquitto.port


def test_two_halls_are_named_and_the_box_joins_neither_unless_its_site_says(
        qtbot, boxes, advertised, site, mosquitto, qm_dir):
    # GIVEN two halls on one network: this test's site with its server, and another
    other = f"mpp-other-{uuid.uuid4().hex[:8]}"
    advertised(site, mosquitto)
    assert browse(timeout=WAIT_MS / 1000, site=site.site.id, interfaces=LOOPBACK)
    with Advertiser(other, "127.0.0.1", 1, None, addresses=["127.0.0.1"],
                    interfaces=LOOPBACK):
        # WHEN a box that does not know its site looks
        lost = _counter_box(boxes, mosquitto, qm_dir)
        both = {site.site.id, other}
        qtbot.waitUntil(lambda: both <= set(lost.finder.sites), timeout=WAIT_MS)
        # THEN its setup screen names both, and says how to tell it which is its own
        assert lost.finder.outcome == AMBIGUOUS and lost.setting_up
        heading = text(lost, "headingSecondary")
        assert site.site.id in heading and other in heading and "halls found" in heading
        assert text(lost, "detailSecondary") == (
            "This box does not know which one it belongs to: provision it with its bundle.")
        assert text(lost, "detailPrimary").startswith("Perangkat ini tidak tahu")
        # WHEN a box that knows its site looks THEN it joins its own hall, the other not
        mine = _counter_box(boxes, mosquitto, qm_dir, site.site.id)
        qtbot.waitUntil(mine.has_state, timeout=WAIT_MS)
        display = mine.screen
        assert isinstance(display, CounterDisplay)
        assert display.bridge.endpoint.site == site.site.id
        assert text(display, "counterName") == "Loket 1"
        assert lost.setting_up and lost.finder.outcome == AMBIGUOUS


def test_the_box_follows_its_server_to_another_broker(
        qtbot, boxes, advertised, site, mosquitto, fresh_mosquitto, qm_dir):
    # GIVEN a counter display that found its server on the LAN
    first = advertised(site, mosquitto)
    box = _counter_box(boxes, mosquitto, qm_dir, site.site.id)
    qtbot.waitUntil(box.has_state, timeout=WAIT_MS)
    display = box.screen
    assert isinstance(display, CounterDisplay)
    assert display.bridge.endpoint.port == mosquitto.port
    # WHEN the server moves: stopped here, started on another broker, advertised there
    first.stop()
    moved = fresh_mosquitto()
    advertised(site, moved)
    # THEN the display follows it, without a restart, and shows what it says there
    qtbot.waitUntil(lambda: display.bridge.endpoint.port == moved.port
                    and display.bridge.online, timeout=WAIT_MS)
    assert box.screen is display
    counter = client_of(moved, site.site.id, "counter-01", "counter")
    counter.start()
    try:
        counter.request("counter.open", {"counter": "loket-01"})
        qtbot.waitUntil(lambda: text(display, "statusPrimary")
                        == "Menunggu nomor berikutnya", timeout=WAIT_MS)
    finally:
        counter.stop()


def test_a_box_where_mdns_cannot_run_says_so_and_keeps_trying(qtbot, boxes, mosquitto,
                                                             qm_dir):
    # GIVEN a box told to look on an interface this machine does not have (TEST-NET-1)
    credentials = mosquitto.credentials("display-01")
    assert credentials is not None
    args = base_parser("mpp display counter", "test", device="display-counter").parse_args(
        ["--site-id", "mpp-nowhere", "--credentials", str(credentials.source)])

    def build(endpoint: Endpoint) -> CounterDisplay:
        raise AssertionError(f"no server can be found, yet {endpoint} was")
    box = LocatedApp(args, "display", build, WindowOptions(size=(1280, 720)),
                     interfaces=["192.0.2.77"], qm_dir=qm_dir)
    boxes.append(box)
    # THEN its setup screen names the problem, and it is still there, looking
    qtbot.waitUntil(lambda: text(box, "problem") != "", timeout=WAIT_MS)
    assert "192.0.2.77" in text(box, "problem") and box.item("problem").property("visible")
    assert text(box, "problem").startswith("Pencarian jaringan tidak berfungsi di sini")
    assert box.setting_up


def test_the_console_started_with_no_server_stays_up_on_the_setup_screen(
        qapp, mosquitto, tmp_path, monkeypatch):
    # GIVEN a console whose hall has no server on the network, asked for a screenshot
    # (run_app grabs what is on screen when no hall state came within its wait)
    from counter_display.console.app import main
    from qtkit import app as qtapp
    from tests.support.picture import load, share

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setattr(qtapp, "SCREENSHOT_WAIT_MS", 3000)  # the wait, not the behaviour
    credentials = mosquitto.credentials("counter-02")
    assert credentials is not None
    shot = tmp_path / "shot.png"
    rc = main(["--site-id", f"mpp-none-{uuid.uuid4().hex[:8]}", "--credentials",
               str(credentials.source), "--offscreen", "--size", "1024x768",
               "--screenshot", str(shot)])
    # THEN it did not exit for want of a server: it ran, looking, and showed the setup
    # screen (rc 1: no hall state to show)
    assert rc == 1
    image = load(shot)
    assert image.size == (1024, 768)
    assert share(image, "#10233f", (0.0, 0.0, 1.0, 0.5)) >= 0.5, "not the setup screen"
    assert share(image, "#1b3560", (0.1, 0.8, 0.9, 0.9)) >= 0.5, "no box facts panel"
    assert (tmp_path / "cache" / "mpp-queue" / "qm" / "setup_id.qm").exists()
