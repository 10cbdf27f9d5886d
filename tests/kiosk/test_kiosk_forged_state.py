"""Forged and malformed retained state on a real broker never breaks the kiosk: it keeps
the services it listed, and a citizen still gets a ticket (tests/support/forged.py)."""

from __future__ import annotations

import logging

from drivers.printer import PrinterSimulator
from queue_server.server import QueueServer
from tests.kiosk.test_kiosk_flow import open_for_a_tap
from tests.support.forged import MALFORMED, THIN, settle
from tests.support.qml import shown, text

WAIT_MS = 10000


def test_the_kiosk_keeps_its_services_and_issues(qtbot, server_factory, sqlite_url, clock,
                                                 kiosk_factory, simulator: PrinterSimulator,
                                                 mqtt_client_factory, mosquitto, site,
                                                 caplog):
    caplog.set_level(logging.WARNING, logger="mpp.qt.bridge")
    server: QueueServer = server_factory(site, sqlite_url, clock)
    kiosk = kiosk_factory()
    qtbot.waitUntil(lambda: kiosk.model.hasConfig and kiosk.bridge.online, timeout=WAIT_MS)
    kiosk.click("startButton")
    qtbot.waitUntil(lambda: shown(kiosk, "service-ktp"), timeout=WAIT_MS)
    services = [row["id"] for row in kiosk.model.services.rows]
    forger = mqtt_client_factory(mosquitto, user="server")  # only its account may write state/
    # WHEN malformed state arrives (config, queues, server status)
    settle(qtbot, kiosk.bridge, forger, site.site.id, MALFORMED)
    # THEN the kiosk lists what it listed, online, under the mall's name
    assert [row["id"] for row in kiosk.model.services.rows] == services
    assert kiosk.bridge.online and text(kiosk, "mallName") == "MPP Uji"
    assert sum(r.getMessage().startswith("ignored state/") for r in caplog.records) >= 11
    # AND thin state does not break it
    settle(qtbot, kiosk.bridge, forger, site.site.id, THIN)
    # AND the server's truth comes back (it republishes everything, its config with it,
    # whenever it connects): the citizen takes a number as ever
    server.stop()
    server_factory(site, sqlite_url, clock)
    qtbot.waitUntil(lambda: (kiosk.bridge.value("config") or {}).get("site", {}).get("name")
                    == "MPP Uji", timeout=WAIT_MS)
    # (the old server's "offline" may still be on its way: the kiosk takes no choice then)
    qtbot.waitUntil(lambda: kiosk.bridge.online and shown(kiosk, "service-ktp"),
                    timeout=WAIT_MS)
    open_for_a_tap(qtbot, kiosk, "ktp")
    kiosk.click("service-ktp")
    qtbot.waitUntil(lambda: kiosk.model.screen == "priority", timeout=WAIT_MS)
    kiosk.click("priority-none")
    qtbot.waitUntil(lambda: kiosk.model.screen == "result", timeout=WAIT_MS)
    assert text(kiosk, "ticketNumber") == "A-001"
    assert len(simulator.tickets) == 1
