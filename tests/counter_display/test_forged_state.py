"""Forged and malformed retained state on a real broker never breaks the counter display
or the staff console: each bad message is ignored with a log line, the screen keeps the
truth, a thin but well-formed message does not crash the screen, and the server's next
change puts the truth back (tests/support/forged.py has the messages)."""

from __future__ import annotations

import logging
from collections.abc import Callable

import pytest

from queue_server.protocol.client import QueueClient
from queue_server.server import QueueServer
from tests.counter_display.console_fixtures import console_factory_fixture  # noqa: F401
from tests.support.forged import MALFORMED, THIN, settle
from tests.support.qml import text_or_empty as text

WAIT_MS = 10000


def ignored(caplog: pytest.LogCaptureFixture) -> int:
    return sum(r.getMessage().startswith("ignored state/") for r in caplog.records)


@pytest.fixture
def hall(server: QueueServer, client_factory: Callable[..., QueueClient]
         ) -> tuple[QueueClient, QueueClient]:
    counter = client_factory("counter-01", "counter")
    kiosk = client_factory("kiosk-01", "kiosk", follow_state=False)
    counter.request("counter.open", {"counter": "loket-01"})
    number = kiosk.request("ticket.issue", {"service": "ktp"})["number"]
    kiosk.request("ticket.issue", {"service": "ktp"})
    assert counter.request("counter.call_next", {"counter": "loket-01"})["ticket"]["number"] \
        == number == "A-001"
    return counter, kiosk


def test_the_counter_display_keeps_the_truth(qtbot, hall, display_factory,
                                             mqtt_client_factory, mosquitto, site, caplog):
    caplog.set_level(logging.WARNING, logger="mpp.qt.bridge")
    counter, _kiosk = hall
    display = display_factory("loket-01")
    qtbot.waitUntil(lambda: text(display, "number") == "A-001", timeout=WAIT_MS)
    forger = mqtt_client_factory(mosquitto, user="server")  # only its account may write state/
    # WHEN someone publishes malformed retained state for its counter, the calls, ...
    settle(qtbot, display.bridge, forger, site.site.id, MALFORMED)
    # THEN the display shows what it showed, and said why it ignored each one
    assert text(display, "number") == "A-001"
    assert text(display, "counterName") == "Loket 1"
    assert display.bridge.online
    assert ignored(caplog) >= 11
    # WHEN the messages are well-formed but thin THEN it shows what they say, and lives
    settle(qtbot, display.bridge, forger, site.site.id, THIN)
    qtbot.waitUntil(lambda: text(display, "number") == "Z-001", timeout=WAIT_MS)
    # AND the server's next change of the counter puts the truth back
    counter.request("counter.recall", {"counter": "loket-01"})
    qtbot.waitUntil(lambda: text(display, "number") == "A-001", timeout=WAIT_MS)


def test_the_staff_console_keeps_the_truth(qtbot, hall, console_factory,
                                           mqtt_client_factory, mosquitto, site, caplog):
    caplog.set_level(logging.WARNING, logger="mpp.qt.bridge")
    _counter, _kiosk = hall
    console = console_factory("counter-01")
    qtbot.waitUntil(lambda: console.bridge.online, timeout=WAIT_MS)
    assert console.model.signIn("petugas-01", "1234")
    qtbot.waitUntil(lambda: text(console, "ticketNumber") == "A-001", timeout=WAIT_MS)
    qtbot.waitUntil(lambda: text(console, "waiting-ktp") == "1", timeout=WAIT_MS)
    forger = mqtt_client_factory(mosquitto, user="server")  # only its account may write state/
    settle(qtbot, console.bridge, forger, site.site.id, MALFORMED)
    assert text(console, "ticketNumber") == "A-001"
    assert text(console, "waiting-ktp") == "1"
    assert text(console, "counterTitle") == "Loket 1  ·  Andi"
    assert ignored(caplog) >= 11
    settle(qtbot, console.bridge, forger, site.site.id, THIN)
    qtbot.waitUntil(lambda: text(console, "ticketNumber") == "Z-001", timeout=WAIT_MS)
    # the officer goes on working: the next call is the server's truth again
    assert console.model.press("NEXT")
    qtbot.waitUntil(lambda: text(console, "ticketNumber") == "A-002", timeout=WAIT_MS)
