"""The printed QR is the ticket's own page (the `url` of the ticket.issue reply, at the
site's public address): its key is on that paper and in that reply only, and the ticket id
is not in it; still no personal data."""

from __future__ import annotations

import re

import pytest

from drivers.printer import PrinterSimulator
from queue_server.config import SiteConfig, parse_site
from queue_server.server import QueueServer
from tests.kiosk.test_kiosk_flow import WAIT_MS, to_priority
from tests.support.site import small_site_data

PUBLIC = "http://127.20.0.2:8080"


@pytest.fixture
def site(unique_site: str) -> SiteConfig:
    data = small_site_data(unique_site)
    data["site"]["public_url"] = PUBLIC
    return parse_site(data, source="tests/kiosk/test_kiosk_feedback_qr.py")


def test_the_ticket_qr_is_the_tickets_own_page(qtbot, server: QueueServer, kiosk_factory,
                                               simulator: PrinterSimulator):
    kiosk = kiosk_factory()
    to_priority(qtbot, kiosk, "ktp")
    kiosk.click("priority-none")
    qtbot.waitUntil(lambda: kiosk.model.screen == "result", timeout=WAIT_MS)
    ticket_id = kiosk.model.ticket["id"]
    [printed] = simulator.tickets[0].qr_payloads
    assert re.fullmatch(re.escape(PUBLIC) + r"/t/[A-Za-z0-9_-]{22}", printed), printed
    assert ticket_id not in printed
    assert kiosk.model.ticket["qrPayload"] == printed
