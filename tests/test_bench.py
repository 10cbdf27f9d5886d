"""The benchmark runs end to end in quick mode and reports a complete, sane document.

Speed is never asserted here: this machine may be busy, and figures are the benchmark's
business (`make bench`). Only shape, positivity and correctness (numbering) are checked.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.support.bench import positive, run_bench
from tests.support.broker import require_mosquitto

LATENCY_KEYS = ("n", "p50", "p99")


@pytest.fixture(scope="module")
def quick_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, Any], str]:
    require_mosquitto()
    return run_bench("bench.run", ["--quick"], tmp_path_factory.mktemp("bench"), timeout=100)


def _check_latency(block: dict[str, Any], where: str) -> None:
    for key in LATENCY_KEYS:
        assert positive(block.get(key)), f"{where}.{key} = {block.get(key)!r}"
    assert block["p50"] <= block["p99"], where


def test_document_has_every_section(quick_run: tuple[dict[str, Any], str]) -> None:
    doc, _ = quick_run
    for key in ("machine", "floors", "server", "ratios", "targets", "pass"):
        assert key in doc, key
    machine = doc["machine"]
    assert positive(machine["cores"])
    assert machine["python"].startswith("3.")
    assert machine["mosquitto_version"]
    assert machine["broker_set_tcp_nodelay"] is True
    assert doc["targets"] == {"tickets_per_s": 1000, "call_to_event_p99_max_ratio": 3}
    assert set(doc["pass"]) >= {"tickets_per_s", "call_to_event_p99", "numbering"}
    assert all(isinstance(v, bool) for v in doc["pass"].values())


def test_floors_are_measured(quick_run: tuple[dict[str, Any], str]) -> None:
    floors = quick_run[0]["floors"]
    for name in ("mqtt_one_way_ms", "mqtt_request_reply_ms"):
        _check_latency(floors[name], name)
        assert floors[name]["lost"] == 0
        assert floors[name]["client_tcp_nodelay"] is True
    commit = floors["sqlite_durable_commit"]
    _check_latency(commit, "sqlite_durable_commit")
    assert positive(commit["commits_per_s"])
    assert commit["journal_mode"] == "wal"
    assert commit["synchronous"] == "FULL"


def test_floors_are_taken_between_the_blocks_of_calls(
        quick_run: tuple[dict[str, Any], str]) -> None:
    doc, _ = quick_run
    calls = doc["server"]["call_to_event_ms"]["blocks_p99_ms"]
    request_reply = doc["floors"]["mqtt_request_reply_ms"]["blocks_p99_ms"]
    commit = doc["floors"]["sqlite_durable_commit"]["blocks_p99_ms"]
    assert len(calls) == len(request_reply) == len(commit) == 4  # --quick
    assert all(positive(v) for v in [*calls, *request_reply, *commit])
    assert "4 blocks" in doc["floors"]["method"]
    before = doc["floors"]["before_load"]  # the earlier method, reported beside
    _check_latency(before["mqtt_request_reply_ms"], "before_load request/reply")
    _check_latency(before["sqlite_durable_commit"], "before_load commit")
    assert positive(doc["ratios"]["call_to_event_p99_vs_floor_before_load"])
    assert doc["server"]["calls_detail"]["cores_used"]["server"] > 0


def test_server_figures_arepositive(quick_run: tuple[dict[str, Any], str]) -> None:
    server = quick_run[0]["server"]
    assert positive(server["tickets_per_s"])
    assert positive(server["tickets"])
    for name in ("call_to_event_ms", "call_reply_ms"):
        _check_latency(server[name], name)
    assert server["calls_detail"]["missing_events"] == 0
    ratios = quick_run[0]["ratios"]
    for key in ("tickets_per_s_vs_target_1000", "call_to_event_p99_vs_floor",
                "tickets_per_s_vs_raw_sqlite_commit_rate"):
        assert positive(ratios[key]), key


def test_numbers_are_unique_and_contiguous(quick_run: tuple[dict[str, Any], str]) -> None:
    server = quick_run[0]["server"]
    assert server["duplicates"] == 0
    assert server["gaps"] == 0
    assert server["tickets_detail"]["errors"] == {}
    database = server["database"]
    assert database["rows"] == server["tickets"]
    assert database["acked_missing"] == 0
    assert quick_run[0]["pass"]["numbering"] is True
