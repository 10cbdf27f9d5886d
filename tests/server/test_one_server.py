"""One server per hall database: a second one, started by mistake on another box or by a
technician's typo, would number tickets from its own memory and hand out duplicates. It is
refused before it serves, on SQLite and on PostgreSQL, and the lock goes with the first."""

from __future__ import annotations

import pytest

from queue_server.server import DatabaseInUse, QueueServer
from tests.support.hall import client_of, server_options


def issue(mosquitto, site) -> str:
    kiosk = client_of(mosquitto, site.site.id, "kiosk-01", "kiosk", follow_state=False)
    kiosk.start()
    try:
        return kiosk.request("ticket.issue", {"service": "ktp"}, timeout=20)["number"]
    finally:
        kiosk.stop()


def test_a_second_server_on_the_same_database_refuses_to_start(mosquitto, site, db_url,
                                                              clock):
    first = QueueServer(site, server_options(mosquitto, db_url, advertise=False), clock)
    first.start(wait_connected=10)
    try:
        # WHEN a second server starts on the same database
        second = QueueServer(site, server_options(mosquitto, db_url, advertise=False), clock)
        with pytest.raises(DatabaseInUse, match="duplicate numbers"):
            second.start()
        second.db.dispose()
        # THEN the first serves on
        assert issue(mosquitto, site) == "A-001"
    finally:
        first.stop()
    # AND once the first has stopped, a server starts on it again and numbers on
    again = QueueServer(site, server_options(mosquitto, db_url, advertise=False), clock)
    again.start(wait_connected=10)
    try:
        assert issue(mosquitto, site) == "A-002"
    finally:
        again.stop()
