"""The hall wall against hostile text and forged state, over a real server and broker:
the running text shows literally (no rich text, no image fetched from the network), and
malformed retained state or a forged event neither breaks the screen nor is announced."""

from __future__ import annotations

import http.server
import logging
import threading
from collections.abc import Callable, Iterator

import pytest
from PySide6.QtQml import QQmlExpression, qmlContext

from queue_server.protocol.client import QueueClient
from queue_server.server import QueueServer
from tests.counter_display.wall_fixtures import (  # noqa: F401  (fixtures)
    wall_factory_fixture,
    zoned_site_fixture,
)
from tests.support.forged import MALFORMED, THIN, settle
from tests.support.qml import text

WAIT_MS = 10000


class _Counting(http.server.BaseHTTPRequestHandler):
    hits: list[str]

    def do_GET(self) -> None:
        self.hits.append(self.path)
        self.send_response(404)
        self.end_headers()

    def log_message(self, *_args: object) -> None:
        pass


@pytest.fixture
def web_trap() -> Iterator[tuple[str, list[str]]]:
    """A loopback HTTP server that counts the requests made to it: (its URL, the paths)."""
    hits: list[str] = []
    handler = type("Handler", (_Counting,), {"hits": hits})
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, name="web-trap", daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}", hits
    httpd.shutdown()
    httpd.server_close()
    thread.join(5)


@pytest.fixture
def boss(server: QueueServer, client_factory: Callable[..., QueueClient]) -> QueueClient:
    return client_factory("supervisor-01", "supervisor")


def test_the_running_text_is_plain_text(qtbot, wall_factory, boss, web_trap):
    url, hits = web_trap
    wall = wall_factory("lantai-1")
    qtbot.waitUntil(lambda: wall.bridge.online, timeout=WAIT_MS)
    # WHEN the supervisor's running text is markup with a remote image
    markup = f'<img src="{url}/pixel.png" width=900><b>x</b>'
    boss.request("message.broadcast", {"text": markup})
    # THEN the wall shows it letter for letter, as plain text
    ticker = wall.item("tickerText")
    qtbot.waitUntil(lambda: text(wall, "tickerText") == markup, timeout=WAIT_MS)
    plain = QQmlExpression(qmlContext(ticker), ticker, "textFormat === Text.PlainText")
    assert plain.evaluate()[0] is True
    one_char = float(ticker.property("font").pixelSize())
    assert float(ticker.property("implicitWidth")) > 20 * one_char  # not one bold "x"
    # AND nothing was fetched: a frame drawn with it asked no one for the image
    wall.window.grabWindow()
    assert hits == []


def _call(clients: Callable[..., QueueClient]) -> str:
    counter, kiosk = clients("counter-01", "counter"), clients("kiosk-01", "kiosk")
    counter.request("counter.open", {"counter": "loket-01"})
    number = kiosk.request("ticket.issue", {"service": "ktp"})["number"]
    counter.request("counter.call_next", {"counter": "loket-01"})
    return str(number)


def test_forged_state_and_events_never_break_the_wall(qtbot, server, wall_factory,
                                                      client_factory, mqtt_client_factory,
                                                      mosquitto, site, caplog):
    caplog.set_level(logging.WARNING)
    wall = wall_factory("lantai-1")
    qtbot.waitUntil(lambda: wall.bridge.online and wall.announcer is not None
                    and wall.announcer.listening, timeout=WAIT_MS)
    number = _call(client_factory)
    qtbot.waitUntil(lambda: text(wall, "callNumber") == number
                    and text(wall, "counterTicket_loket-01") == number, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: len(wall.announcer.played) == 1, timeout=WAIT_MS)
    forger = mqtt_client_factory(mosquitto, user="server")  # only its account may write state/
    # WHEN malformed state and a malformed call event arrive
    settle(qtbot, wall.bridge, forger, site.site.id, MALFORMED)
    # THEN the wall shows what it showed, and announced nothing more
    assert text(wall, "callNumber") == number
    assert text(wall, "counterTicket_loket-01") == number
    assert text(wall, "siteName") == "MPP Uji  ·  Lantai 1"
    assert len(wall.announcer.submitted) == 1
    assert any("malformed event" in r.getMessage() for r in caplog.records)
    # AND thin messages show what they say without breaking it
    settle(qtbot, wall.bridge, forger, site.site.id, THIN)
    qtbot.waitUntil(lambda: text(wall, "callNumber") == "Z-001", timeout=WAIT_MS)
    # AND the server's next call shows and is announced as ever
    counter = client_factory("counter-01", "counter")
    client_factory("kiosk-02", "kiosk").request("ticket.issue", {"service": "ktp"})
    nxt = counter.request("counter.call_next", {"counter": "loket-01"})["ticket"]["number"]
    qtbot.waitUntil(lambda: text(wall, "callNumber") == nxt, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: len(wall.announcer.submitted) == 2, timeout=WAIT_MS)
