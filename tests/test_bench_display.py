"""The display latency benchmark runs end to end in quick mode and reports a complete, sane
document: the counter display, the hall wall and the chime each timed for every call.

Speed is never asserted here (this machine may be busy): only the shape, that every figure
is positive and that each latency has one sample per call.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.support.bench import positive, run_bench
from tests.support.broker import require_mosquitto

QUICK_CALLS = 50  # bench.display_latency --quick

LATENCIES = ("counter_display_ms", "wall_ms", "chime_start_ms")
FLOORS = ("mqtt_one_way_ms", "mqtt_request_reply_ms")
RATIOS = ("counter_display_p99_vs_request_reply_p99", "wall_p99_vs_request_reply_p99",
          "chime_start_p99_vs_request_reply_p99")


@pytest.fixture(scope="module")
def quick_run(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    pytest.importorskip("PySide6")
    require_mosquitto()
    doc, _ = run_bench("bench.display_latency", ["--quick"],
                       tmp_path_factory.mktemp("bench-display"), timeout=100, offscreen=True)
    return doc


def test_every_surface_is_timed_once_per_call(quick_run: dict[str, Any]) -> None:
    assert quick_run["calls_requested"] == QUICK_CALLS
    for key in LATENCIES:
        block = quick_run[key]
        assert block["n"] == QUICK_CALLS, f"{key}.n = {block['n']}"
        for stat in ("p50", "p99"):
            assert positive(block[stat]), f"{key}.{stat} = {block[stat]!r}"
        assert block["p50"] <= block["p99"], key


def test_floors_measured_in_the_same_run(quick_run: dict[str, Any]) -> None:
    for key in FLOORS:
        block = quick_run["floors"][key]
        assert positive(block["n"]) and block["lost"] == 0, key
        assert positive(block["p50"]) and positive(block["p99"]), key


def test_ratios_arepositive(quick_run: dict[str, Any]) -> None:
    for key in RATIOS:
        assert positive(quick_run["ratios"][key]), f"{key} = {quick_run['ratios'][key]!r}"


def test_nothing_went_missing(quick_run: dict[str, Any]) -> None:
    detail = quick_run["detail"]
    for key in ("counter", "wall", "chime", "reply"):
        assert detail["missing"][key] == 0, detail["missing"]
    assert detail["errors"] == {}
    assert detail["server_exit_code"] == 0
