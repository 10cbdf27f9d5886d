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
    one_way = floors["mqtt_one_way_ms"]
    _check_latency(one_way, "mqtt_one_way_ms")
    assert one_way["lost"] == 0 and one_way["client_tcp_nodelay"] is True
    for when in ("before_load", "after_load", "in_blocks"):
        request_reply = floors[when]["mqtt_request_reply_ms"]
        _check_latency(request_reply, f"{when}.mqtt_request_reply_ms")
        assert request_reply["lost"] == 0, when
        assert request_reply["client_tcp_nodelay"] is True, when
        commit = floors[when]["sqlite_durable_commit"]
        _check_latency(commit, f"{when}.sqlite_durable_commit")
        assert positive(commit["commits_per_s"]), when
        assert commit["journal_mode"] == "wal", when
        assert commit["synchronous"] == "FULL", when


def test_the_verdict_is_against_the_quiet_floor(
        quick_run: tuple[dict[str, Any], str]) -> None:
    doc, _ = quick_run
    ratios = doc["ratios"]
    for when in ("before_load", "after_load", "in_blocks"):
        assert positive(ratios[f"call_to_event_p99_vs_floor_{when}"]), when
        assert positive(ratios[f"call_to_event_floor_{when}_ms"]), when
    quiet = ratios["call_to_event_p99_vs_floor_before_load"]
    assert doc["pass"]["call_to_event_p99"] is (quiet <= doc["targets"][
        "call_to_event_p99_max_ratio"])
    assert "quiet floor" in doc["floors"]["method"]


def test_floors_are_also_taken_between_the_blocks_of_calls(
        quick_run: tuple[dict[str, Any], str]) -> None:
    doc, _ = quick_run
    calls = doc["server"]["call_to_event_ms"]["blocks_p99_ms"]
    in_blocks = doc["floors"]["in_blocks"]
    request_reply = in_blocks["mqtt_request_reply_ms"]["blocks_p99_ms"]
    commit = in_blocks["sqlite_durable_commit"]["blocks_p99_ms"]
    assert len(calls) == len(request_reply) == len(commit) == 4  # --quick
    assert all(positive(v) for v in [*calls, *request_reply, *commit])
    assert "4 blocks" in doc["floors"]["method"]
    assert doc["server"]["calls_detail"]["cores_used"]["server"] > 0


def test_server_figures_arepositive(quick_run: tuple[dict[str, Any], str]) -> None:
    server = quick_run[0]["server"]
    assert positive(server["tickets_per_s"])
    assert positive(server["tickets"])
    for name in ("call_to_event_ms", "call_reply_ms"):
        _check_latency(server[name], name)
    assert server["calls_detail"]["missing_events"] == 0
    ratios = quick_run[0]["ratios"]
    for key in ("tickets_per_s_vs_target_1000", "tickets_per_s_vs_raw_sqlite_commit_rate"):
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


def test_the_hall_runs_secured_and_is_judged_against_the_plain_floor(
        quick_run: tuple[dict[str, Any], str]) -> None:
    doc, _ = quick_run
    plain, secured = doc["brokers"]["plain"], doc["brokers"]["secured"]
    assert plain["anonymous"] is True and plain["tls"] is False
    assert secured["anonymous"] is False and secured["tls"] is True and secured["acl"] is True
    assert secured["client_id_bound_to_user"] is True and secured["accounts"] > 0
    floors = doc["floors"]
    assert floors["broker"]["before_load"] == "plain"
    assert {floors["broker"][k] for k in ("secured_before_load", "after_load",
                                          "in_blocks")} == {"secured"}
    one_way = floors["secured_mqtt_one_way_ms"]
    _check_latency(one_way, "secured_mqtt_one_way_ms")
    assert one_way["lost"] == 0 and one_way["client_tcp_nodelay"] is True
    request_reply = floors["secured_before_load"]["mqtt_request_reply_ms"]
    _check_latency(request_reply, "secured_before_load.mqtt_request_reply_ms")
    assert request_reply["lost"] == 0 and request_reply["client_tcp_nodelay"] is True
    cost = doc["ratios"]["security_cost"]
    for key, value in cost.items():
        assert positive(value), f"security_cost.{key} = {value!r}"
    assert cost["call_to_event_p99_vs_plain_floor"] == doc["ratios"][
        "call_to_event_p99_vs_floor_before_load"]
    assert positive(doc["ratios"]["call_to_event_p99_vs_floor_secured_before_load"])
