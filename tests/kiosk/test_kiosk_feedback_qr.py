"""A site with a survey address: the printed QR is the survey's URL for this ticket (the
citizen scans it with a phone after being served); still no personal data."""

from __future__ import annotations

import pytest

from drivers.printer import PrinterSimulator
from queue_server.config import SiteConfig, parse_site
from queue_server.server import QueueServer
from tests.kiosk.test_kiosk_flow import WAIT_MS, to_priority
from tests.support.site import small_site_data

SURVEY = "http://10.20.0.2:8080/f/{ticket}"


@pytest.fixture
def site(unique_site: str) -> SiteConfig:
    data = small_site_data(unique_site)
    data["site"]["feedback_url"] = SURVEY
    return parse_site(data, source="tests/kiosk/test_kiosk_feedback_qr.py")


def test_the_ticket_qr_is_the_survey_url(qtbot, server: QueueServer, kiosk_factory,
                                         simulator: PrinterSimulator):
    kiosk = kiosk_factory()
    to_priority(qtbot, kiosk, "ktp")
    kiosk.click("priority-none")
    qtbot.waitUntil(lambda: kiosk.model.screen == "result", timeout=WAIT_MS)
    ticket_id = kiosk.model.ticket["id"]
    assert len(ticket_id) == 32
    assert simulator.tickets[0].qr_payloads == [SURVEY.replace("{ticket}", ticket_id)]
    assert kiosk.model.ticket["qrPayload"] == SURVEY.replace("{ticket}", ticket_id)
