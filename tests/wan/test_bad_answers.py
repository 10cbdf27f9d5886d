"""A central that answers badly (a 500, garbage, the wrong acknowledgement, a refused
token) keeps every record in the hall and gives a clear status; once it
answers well, the records go. The deliverer here is the server's own, on a hall driven
without a broker (tests/support/engine.py)."""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine as DbEngine

from queue_server.clock import ManualClock
from queue_server.config import SiteConfig
from queue_server.store.db import make_engine
from queue_server.wan.deliverer import Deliverer
from tests.support.central import CentralTls, held, new_site
from tests.support.engine import open_engine, run
from tests.support.site import local_ts, small_site_data


def token_file(path: Path, token: str) -> Path:
    path.write_text(token + "\n")
    path.chmod(0o600)
    return path


def site(site_id: str, url: str, token: Path, tls: CentralTls) -> SiteConfig:
    data = small_site_data(site_id)
    data["central"] = {"url": url, "token_file": str(token), "ca": str(tls.ca),
                       "retry_min_s": 0.05, "retry_max_s": 0.2, "timeout_s": 2}
    return SiteConfig.model_validate({**data, "source": "tests/wan"})


def wait_for(condition: Callable[[], bool], what: str, deadline_s: float = 20.0) -> None:
    start = time.monotonic()
    while not condition():
        if time.monotonic() - start > deadline_s:
            pytest.fail(f"not within {deadline_s} s: {what}")
        time.sleep(0.02)  # the deliverer's own thread: we watch its status


@pytest.fixture
def db(tmp_path: Path) -> Iterator[DbEngine]:
    engine = make_engine(f"sqlite:///{tmp_path / 'hall.db'}")
    yield engine
    engine.dispose()


def hall_with_records(cfg: SiteConfig, db: DbEngine, n: int) -> None:
    """A hall that ended n tickets (n records in its outbox), then closed."""
    engine, sink = open_engine(cfg, db, ManualClock(local_ts("2026-11-30T09:00")))
    run(engine, sink, "counter-01", "counter.open", counter="loket-01")
    for _ in range(n):
        run(engine, sink, "kiosk-01", "ticket.issue", service="ktp")
        run(engine, sink, "counter-01", "counter.call_next", counter="loket-01")
    run(engine, sink, "counter-01", "counter.complete", counter="loket-01")
    engine.close()


@pytest.mark.parametrize(("status", "body", "code"), [
    (500, b"<html>Internal Server Error</html>", "central_error"),
    (502, b"", "central_error"),
    (200, b"\x00garbage", "bad_answer"),
    (200, json.dumps({"ok": True, "site": "t-bad", "stream": "tickets",
                      "acked_through": 1}).encode(), "bad_answer"),
    (503, b'{"ok": false, "error": {"code": "storage_error", "message": "later"}}',
     "storage_error"),
])
def test_a_bad_answer_keeps_the_records_and_says_why(scripted_central, central_tls, db,
                                                     tmp_path, status, body, code):
    token = token_file(tmp_path / "token", "t0ken")
    cfg = site("t-bad", scripted_central.url, token, central_tls)
    hall_with_records(cfg, db, 3)
    scripted_central.answer = (status, body)
    deliverer = Deliverer(cfg, db, ManualClock(local_ts("2026-11-30T10:00")))
    deliverer.start()
    try:
        # WHEN it has tried a few times
        wait_for(lambda: scripted_central.requests >= 3, "three tries")
        status_now = deliverer.status()
        # THEN the records are all still there, and the status names the fault
        assert (status_now["wan"], status_now["error"]) == ("refused", code)
        assert status_now["backlog"] == 3 and status_now["streams"]["tickets"]["delivered"] == 0
        assert status_now["oldest_age_s"] == 3600  # the first ended at 09:00
    finally:
        deliverer.stop()


def test_a_refused_token_keeps_the_records_until_a_good_one_comes(
        central_factory, central_db, central_tls, db, tmp_path, unique_site):
    central = central_factory(central_db)
    good = new_site(central_db, unique_site, tmp_path)
    token = token_file(tmp_path / "hall.token", "a-token-the-central-never-gave")
    cfg = site(unique_site, central.url, token, central_tls)
    hall_with_records(cfg, db, 4)
    clock = ManualClock(local_ts("2026-11-30T09:30"))
    deliverer = Deliverer(cfg, db, clock)
    deliverer.start()
    try:
        wait_for(lambda: deliverer.status()["error"] == "unauthorised", "the refusal seen")
        assert deliverer.status()["backlog"] == 4 and held(central_db, unique_site) == {}
    finally:
        deliverer.stop()
    # WHEN the right token is put in its place and the server starts again
    token.write_text(good.read_text())
    clock.advance(3600)
    again = Deliverer(cfg, db, clock)
    again.start()
    try:
        wait_for(lambda: held(central_db, unique_site) == {"tickets": [1, 2, 3, 4]},
                 "the records delivered")
        # AND the alert that came with the hour of waiting is gone once they are
        wait_for(lambda: again.status()["backlog"] == 0, "the status caught up")
        assert again.status()["alert"] is False and again.status()["wan"] == "up"
    finally:
        again.stop()


def test_an_old_backlog_raises_the_alert(scripted_central, central_tls, db, tmp_path):
    token = token_file(tmp_path / "token", "t0ken")
    cfg = site("t-old", scripted_central.url, token, central_tls)
    hall_with_records(cfg, db, 1)
    clock = ManualClock(local_ts("2026-11-30T09:30"))
    deliverer = Deliverer(cfg, db, clock)
    # GIVEN a record waiting since 09:00 and a site that alerts after 60 minutes
    assert deliverer.status()["alert"] is False
    clock.set(local_ts("2026-11-30T10:02"))
    # THEN past the hour the status alerts, with the age of the oldest record
    status = deliverer.status()
    assert status["alert"] is True and status["oldest_age_s"] == 62 * 60
    assert status["wan"] == "unknown"  # not started: it never tried
