"""The hall wall display over a real server and broker, offscreen: calls of its zone show
at once, large, with the counter; events (never retained state) are announced in order,
none lost, none overlapping; a recall is announced again; a lost server shows."""

from __future__ import annotations

import itertools
import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from counter_display.announcer import EspeakVoice, read_wav
from counter_display.wall import app as wall_app
from counter_display.wall.display import WallDisplay
from counter_display.wall.model import zone_counters
from queue_server.protocol.client import QueueClient
from queue_server.server import QueueServer
from tests.counter_display.wall_fixtures import (  # noqa: F401  (fixtures)
    wall_factory_fixture,
    zoned_site_fixture,
)
from tests.support.hall import broker_args
from tests.support.picture import colour_count, load, share
from tests.support.qml import text, visible

WAIT_MS = 10000
ACCENT = "#ffd400"  # WallScreen.qml's accent: numbers and the counter calling
I18N = Path(__file__).resolve().parents[2] / "counter_display" / "i18n"


def played(wall: WallDisplay) -> list[tuple[str, int, int]]:
    assert wall.announcer is not None
    return [(c.number, c.counter, c.recalls) for c in list(wall.announcer.played)]


def idle(wall: WallDisplay) -> bool:
    assert wall.announcer is not None
    return wall.announcer.announcer.pending() == 0


@pytest.fixture
def clients(server: QueueServer, client_factory: Callable[..., QueueClient]
            ) -> Callable[[str], QueueClient]:
    made: dict[str, QueueClient] = {}

    def get(device: str) -> QueueClient:
        if device not in made:
            role = device.split("-", maxsplit=1)[0]
            made[device] = client_factory(device, role, follow_state=(role != "kiosk"))
        return made[device]

    return get


def call(clients: Callable[[str], QueueClient], n: int, service: str) -> str:
    counter, loket = clients(f"counter-0{n}"), {"counter": f"loket-0{n}"}
    counter.request("counter.open", loket)
    number = clients("kiosk-01").request("ticket.issue", {"service": service})["number"]
    called = counter.request("counter.call_next", loket)
    assert called["ticket"]["number"] == number
    return str(number)


def listening(wall: WallDisplay) -> bool:
    return wall.bridge.online and wall.announcer is not None and wall.announcer.listening


def test_a_call_shows_large_with_its_counter_and_is_announced(qtbot, wall_factory, clients):
    wall = wall_factory("lantai-1")
    qtbot.waitUntil(lambda: listening(wall) and visible(wall, "noCalls"), timeout=WAIT_MS)
    assert text(wall, "noCalls") == "Belum ada panggilan"
    number = call(clients, 1, "ktp")
    qtbot.waitUntil(lambda: text(wall, "callNumber") == number, timeout=WAIT_MS)
    assert text(wall, "callCounter") == "→ Loket 1"
    assert text(wall, "callCounterAlt") == "Please go to Counter 1"
    assert text(wall, "callCaption") == "Nomor antrian  ·  Queue number"
    qtbot.waitUntil(lambda: played(wall) == [(number, 1, 0)], timeout=WAIT_MS)
    qtbot.waitUntil(lambda: idle(wall) and not wall.model.announcing, timeout=WAIT_MS)
    assert len(wall.announcer.sink.history) == 1  # type: ignore[union-attr]
    # who is served where, and the zone's waiting counts
    qtbot.waitUntil(lambda: text(wall, "counterTicket_loket-01") == number, timeout=WAIT_MS)
    assert text(wall, "counterTicket_loket-02") == "Tutup"
    assert text(wall, "waiting_ktp") == "0"
    clients("kiosk-01").request("ticket.issue", {"service": "kk"})
    qtbot.waitUntil(lambda: text(wall, "waiting_kk") == "1", timeout=WAIT_MS)
    assert {row["service"] for row in wall.model.queueRows} == {"ktp", "kk", "akta", "izin",
                                                                 "pindah"}
    assert text(wall, "siteName") == "MPP Uji  ·  Lantai 1"
    assert re.fullmatch(r"\d\d:\d\d", text(wall, "clock"))
    assert text(wall, "date") == "Senin, 30 November 2026"  # the server's (manual) clock


def test_each_zone_shows_and_announces_only_its_counters(qtbot, wall_factory, clients, site):
    wall_1 = wall_factory("lantai-1")
    wall_2 = wall_factory("lantai-2", lang="en", device="display-02")
    qtbot.waitUntil(lambda: listening(wall_1) and listening(wall_2), timeout=WAIT_MS)
    a = call(clients, 1, "ktp")
    f = call(clients, 4, "pbb")
    qtbot.waitUntil(lambda: played(wall_1) == [(a, 1, 0)] and played(wall_2) == [(f, 4, 0)],
                    timeout=WAIT_MS)
    qtbot.waitUntil(lambda: idle(wall_1) and idle(wall_2), timeout=WAIT_MS)
    qtbot.waitUntil(lambda: text(wall_1, "callNumber") == a
                    and text(wall_2, "callNumber") == f, timeout=WAIT_MS)
    assert text(wall_2, "callCounter") == "→ Counter 4"
    assert [r["number"] for r in wall_1.model.calls()] == [a]
    assert [r["counter"] for r in wall_2.model.counterRows] == ["loket-04", "loket-05"]
    assert [r["service"] for r in wall_2.model.queueRows] == ["pbb"]
    # an unknown zone or none: the whole hall
    config = wall_1.bridge.value("config")
    everyone = [c.id for c in site.counters]
    assert zone_counters(config, "basement") == everyone == zone_counters(config, None)


def test_a_restarted_wall_shows_the_calls_without_announcing_them_again(
        qtbot, wall_factory, clients):
    first = wall_factory("lantai-1")
    qtbot.waitUntil(lambda: listening(first), timeout=WAIT_MS)
    old = call(clients, 1, "ktp")
    qtbot.waitUntil(lambda: len(played(first)) == 1 and idle(first), timeout=WAIT_MS)
    first.close()
    # WHEN the wall boots again THEN the retained state shows the call at once
    wall = wall_factory("lantai-1")
    qtbot.waitUntil(lambda: text(wall, "callNumber") == old and listening(wall),
                    timeout=WAIT_MS)
    assert text(wall, "counterTicket_loket-01") == old
    # and only a new event is announced (the old call never is)
    new = call(clients, 2, "kk")
    qtbot.waitUntil(lambda: played(wall) == [(new, 2, 0)] and idle(wall), timeout=WAIT_MS)
    assert [c.number for c in wall.announcer.submitted] == [new]  # type: ignore[union-attr]
    assert len(wall.announcer.sink.history) == 1  # type: ignore[union-attr]


def test_a_burst_of_20_calls_is_announced_in_order_without_loss_or_overlap(
        qtbot, wall_factory, clients):
    wall = wall_factory("lantai-1")
    qtbot.waitUntil(lambda: listening(wall), timeout=WAIT_MS)
    kiosk = clients("kiosk-01")
    for service, count in (("ktp", 7), ("kk", 7), ("akta", 6)):
        for _ in range(count):
            kiosk.request("ticket.issue", {"service": service})
    rounds = {1: 7, 2: 7, 3: 6}
    for n in rounds:
        clients(f"counter-0{n}").request("counter.open", {"counter": f"loket-0{n}"})
    # WHEN three counters press "call next" as fast as they can (not waiting for answers)
    pending = []
    for r in range(7):
        for n, times in rounds.items():
            if r < times:
                _, slot = clients(f"counter-0{n}").send("counter.call_next",
                                                        {"counter": f"loket-0{n}"})
                pending.append(slot)
    qtbot.waitUntil(lambda: all(p.done.is_set() for p in pending), timeout=WAIT_MS)
    called = [p.reply["result"]["ticket"] for p in pending]  # type: ignore[index]
    assert all(t is not None for t in called) and len({t["number"] for t in called}) == 20
    # THEN all 20 are announced, in event order, one after the other
    announcer = wall.announcer
    assert announcer is not None
    qtbot.waitUntil(lambda: len(announcer.played) == 20 and idle(wall), timeout=60000)
    assert announcer.played == announcer.submitted
    seqs = [c.extra["seq"] for c in announcer.submitted]
    assert seqs == sorted(seqs) and len(set(seqs)) == 20
    assert {c.ticket_id for c in announcer.played} == {t["id"] for t in called}
    history = announcer.sink.history  # type: ignore[attr-defined]
    assert len(history) == 20 and len({p.path for p in history}) == 20
    for before, after in itertools.pairwise(history):
        assert after.started >= before.finished  # never two at once


def test_a_recall_is_announced_again(qtbot, wall_factory, clients):
    wall = wall_factory("lantai-1")
    qtbot.waitUntil(lambda: listening(wall), timeout=WAIT_MS)
    number = call(clients, 3, "akta")
    qtbot.waitUntil(lambda: played(wall) == [(number, 3, 0)], timeout=WAIT_MS)
    clients("counter-03").request("counter.recall", {"counter": "loket-03"})
    qtbot.waitUntil(lambda: played(wall) == [(number, 3, 0), (number, 3, 1)] and idle(wall),
                    timeout=WAIT_MS)
    qtbot.waitUntil(lambda: text(wall, "callCaption") == "Panggilan ulang  ·  Calling again",
                    timeout=WAIT_MS)
    assert text(wall, "callNumber") == number


def test_server_loss_shows_a_status_and_recovers(qtbot, wall_factory, server_factory, site,
                                                 sqlite_url, clock, client_factory):
    server = server_factory(site, sqlite_url, clock)
    counter = client_factory("counter-01", "counter")
    kiosk = client_factory("kiosk-01", "kiosk", follow_state=False)
    wall = wall_factory("lantai-1")
    qtbot.waitUntil(lambda: listening(wall), timeout=WAIT_MS)
    assert not visible(wall, "statusMarker")
    counter.request("counter.open", {"counter": "loket-01"})
    kiosk.request("ticket.issue", {"service": "ktp"})
    number = counter.request("counter.call_next", {"counter": "loket-01"})["ticket"]["number"]
    qtbot.waitUntil(lambda: len(played(wall)) == 1 and idle(wall), timeout=WAIT_MS)
    # WHEN the server stops THEN a discreet status shows; the call stays
    server.stop()
    qtbot.waitUntil(lambda: visible(wall, "statusMarker"), timeout=WAIT_MS)
    assert text(wall, "statusText") == "Server tidak terhubung"
    assert text(wall, "callNumber") == number
    # WHEN it is back THEN the status goes, nothing is announced twice, new calls are
    server_factory(site, sqlite_url, clock)
    qtbot.waitUntil(lambda: not visible(wall, "statusMarker"), timeout=WAIT_MS)
    kiosk.request("ticket.issue", {"service": "ktp"})
    again = counter.request("counter.call_next", {"counter": "loket-01"})["ticket"]["number"]
    qtbot.waitUntil(lambda: len(played(wall)) == 2 and idle(wall), timeout=WAIT_MS)
    assert played(wall) == [(number, 1, 0), (again, 1, 0)]


@pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="espeak-ng not installed")
def test_espeak_speaks_the_call(qtbot, wall_factory, clients):
    wall = wall_factory("lantai-1", voice=EspeakVoice())
    qtbot.waitUntil(lambda: listening(wall), timeout=WAIT_MS)
    call(clients, 1, "ktp")
    qtbot.waitUntil(lambda: len(played(wall)) == 1 and idle(wall), timeout=WAIT_MS)
    assert wall.announcer is not None and wall.announcer.announcer.errors == 0
    audio = read_wav(wall.announcer.sink.history[0].path)  # type: ignore[attr-defined]
    assert audio.duration_s > 4.0  # chime 1.2 s + "Nomor antrian, A, nol, nol, satu, ..."
    assert audio.rms() > 100


def test_the_app_entry_point_renders_a_screenshot(qtbot, server, site, mosquitto, tmp_path,
                                                  clients):
    number = call(clients, 4, "pbb")
    shot = tmp_path / "wall.png"
    rc = wall_app.main(["--site-id", site.site.id, *broker_args(mosquitto, "display-02"),
                        "--device", "display-02",
                        "--zone", "lantai-2",
                        "--offscreen", "--sound", f"wav-dir:{tmp_path / 'wav'}",
                        "--voice", "tone", "--number-mode", "cardinal", "--english",
                        "--size", "960x540", "--screenshot", str(shot)])
    assert rc == 0 and number.startswith("F-")
    image = load(shot)
    assert image.size == (960, 540)
    assert colour_count(image) >= 100, "a blank window, not the wall"
    # THEN the zone's last call is in the large panel (the accent number on the panel, or
    # the accent panel while it is announced), loket-04's tile is lit in the accent as it
    # calls that number, and loket-05's tile (closed) is not
    assert share(image, "#000000", (0.0, 0.0, 1.0, 0.12)) >= 0.5, "no header on black"
    assert share(image, ACCENT, (0.02, 0.14, 0.62, 0.59)) >= 0.05, "no call in the panel"
    assert share(image, ACCENT, (0.03, 0.7, 0.31, 0.95)) >= 0.5, "loket-04 is not lit"
    assert share(image, ACCENT, (0.33, 0.7, 0.62, 0.95)) < 0.01, "closed loket-05 is lit"
    assert wall_app.main(["--site-id", "x", "--sound", "speaker"]) == 2


def test_wall_catalogs_are_complete():
    qml = (Path(wall_app.__file__).parent / "qml" / "WallScreen.qml").read_text()
    sources = set(re.findall(r'QT_TR_NOOP\("([^"]+)"\)', qml))
    for lang in ("id", "en"):
        ts = (I18N / f"wall_{lang}.ts").read_text(encoding="utf-8")
        assert 'type="unfinished"' not in ts
        found = set(re.findall(r"<source>([^<]+)</source>", ts))
        assert sources <= found, sources - found
