"""`mpp status`: the WAN and the outbox as the hall's database holds them, for the
technician (lines) and for a monitoring script (JSON, exit 1 while the alert stands)."""

from __future__ import annotations

import json

from mpp.cli import main
from queue_server.clock import ManualClock
from queue_server.config import default_site_path, load_site
from queue_server.store import outbox
from queue_server.store.db import make_engine
from tests.support.engine import open_engine, run
from tests.support.site import local_ts

CENTRAL = """
[central]
url = "https://127.0.0.1:9/"
token_file = "central.token"
alert_after_min = 60
"""


def hall(tmp_path, with_central: bool):
    """A sample hall that served two tickets on a Monday morning long ago."""
    site = tmp_path / "site.toml"
    site.write_text(default_site_path().read_text(encoding="utf-8")
                    + (CENTRAL if with_central else ""), encoding="utf-8")
    cfg = load_site(site)
    url = f"sqlite:///{tmp_path / 'hall.db'}"
    db = make_engine(url)
    engine, sink = open_engine(cfg, db, ManualClock(local_ts("2024-06-03T09:00")))
    run(engine, sink, "supervisor-01", "counter.open", counter="loket-01")
    for _ in range(2):
        run(engine, sink, "kiosk-01", "ticket.issue", service="ktp-el")
        run(engine, sink, "supervisor-01", "counter.call_next", counter="loket-01")
    run(engine, sink, "supervisor-01", "counter.complete", counter="loket-01")
    engine.close()
    return site, url, db


def test_a_hall_without_a_central_fills_its_outbox_without_alert(tmp_path, capsys):
    site, url, db = hall(tmp_path, with_central=False)
    assert main(["status", "--site", str(site), "--db", url]) == 0
    out = capsys.readouterr().out
    assert "off (no central in the site file)" in out
    assert "backlog:        2 records (days 0, incidents 0, surveys 0, tickets 2)" in out
    assert "ALERT" not in out
    db.dispose()


def test_an_old_backlog_is_an_alert_and_exit_1_until_delivered(tmp_path, capsys):
    site, url, db = hall(tmp_path, with_central=True)
    # GIVEN records waiting since a morning long ago, and a central never reached
    outbox.mark_failed(db, "tickets", local_ts("2024-06-03T09:05"), "unreachable",
                       "ConnectionRefusedError: [Errno 111] Connection refused")
    assert main(["status", "--site", str(site), "--db", url]) == 1
    out = capsys.readouterr().out
    assert "DOWN (the central does not answer)" in out and "last error:     unreachable" in out
    assert "oldest waiting: 2024-06-03T09:00:00.000+08:00" in out and "ALERT" in out
    # WHEN the central acknowledges them
    outbox.mark_delivered(db, "tickets", 2, local_ts("2024-06-03T10:00"))
    # THEN the alert is gone, and a script reads the same in JSON
    assert main(["status", "--site", str(site), "--db", url, "--json"]) == 0
    status = json.loads(capsys.readouterr().out)
    assert (status["wan"], status["backlog"], status["alert"]) == ("up", 0, False)
    assert status["last_delivery_at"] == "2024-06-03T10:00:00.000+08:00"
    db.dispose()
