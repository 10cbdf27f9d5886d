"""The engine's figures for /metrics (queue_server/metrics.py), driven without a broker:
a repeated command id is counted as `repeat`, a command that names no catalogued op under
op `none` (never the name it sent: a forger cannot make new series), and the text parses
with prometheus_client's own parser."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy import Engine as DbEngine

from queue_server.clock import ManualClock
from queue_server.engine.core import Inbound
from queue_server.protocol.messages import dumps
from queue_server.store.db import make_engine
from tests.support.engine import command, open_engine
from tests.support.site import local_ts, small_site


@pytest.fixture
def db(sqlite_url: str) -> Iterator[DbEngine]:
    engine = make_engine(sqlite_url)
    yield engine
    engine.dispose()


def test_repeats_and_unknown_ops_are_counted_without_new_names(db: DbEngine) -> None:
    engine, _sink = open_engine(small_site("t-figures"), db,
                                ManualClock(local_ts("2026-11-30T09:00")))
    try:
        # GIVEN a ticket issued, the same command sent again, and made-up ops
        engine.process([command("kiosk-01", "c1", "ticket.issue", service="ktp")])
        engine.process([command("kiosk-01", "c1", "ticket.issue", service="ktp")])
        engine.process([Inbound("kiosk-01", dumps({"id": f"x{i}", "op": f"made.up.{i}"}))
                        for i in range(3)])
        engine.process([Inbound("kiosk-01", b"not json")])
        text = engine.metrics.text().decode()
    finally:
        engine.close()
    # THEN each is counted by what it was
    samples = {(s.name, tuple(sorted(s.labels.items()))): s.value
               for family in text_string_to_metric_families(text) for s in family.samples}
    issue = "ticket.issue"
    assert samples[("mpp_commands_total", (("op", issue), ("result", "ok")))] == 1
    assert samples[("mpp_commands_total", (("op", issue), ("result", "repeat")))] == 1
    assert samples[("mpp_commands_total", (("op", "none"), ("result", "unknown_op")))] == 3
    assert samples[("mpp_commands_total", (("op", "none"), ("result", "bad_json")))] == 1
    assert samples[("mpp_tickets_issued_total", (("service", "ktp"),))] == 1  # not twice
    # AND no name a device sent became a label
    assert "made.up" not in text
    # AND every commit is in the histogram, its buckets cumulative up to +Inf
    buckets = sorted((float(dict(labels)["le"]), v) for (name, labels), v in samples.items()
                     if name == "mpp_commit_seconds_bucket")
    assert buckets[-1] == (float("inf"), samples[("mpp_commit_seconds_count", ())])
    assert [v for _le, v in buckets] == sorted(v for _le, v in buckets)
    assert samples[("mpp_commit_seconds_count", ())] >= 3
