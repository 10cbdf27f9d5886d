"""The kiosk benchmark runs end to end with tiny counts and reports a complete document:
cold starts (kiosk and the bare QML floor), touch to printer bytes once per ticket, the
issue and print floors, memory, ratios, targets and pass flags.

Speed is never asserted here (this machine may be busy): only the shape and that every
figure is positive and consistent.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.support.bench import positive, run_bench
from tests.support.broker import require_mosquitto

TICKETS = 3


@pytest.fixture(scope="module")
def quick_run(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    require_mosquitto()
    doc, _ = run_bench("bench.kiosk", ["--quick", "--tickets", str(TICKETS), "--starts", "1"],
                       tmp_path_factory.mktemp("bench-kiosk"), timeout=150, offscreen=True)
    return doc


def test_touch_to_bytes_is_timed_once_per_ticket(quick_run: dict[str, Any]) -> None:
    kiosk = quick_run["kiosk"]
    assert kiosk["tickets"] == TICKETS
    for key in ("touch_to_first_byte_ms", "touch_to_ticket_cut_ms"):
        block = kiosk[key]
        assert block["n"] == TICKETS, key
        assert positive(block["p50"]) and block["p50"] <= block["p99"], key
    # the first byte reaches the printer before the ticket is cut
    assert kiosk["touch_to_first_byte_ms"]["max"] <= kiosk["touch_to_ticket_cut_ms"]["max"]
    assert kiosk["server_exit_code"] == 0


def test_starts_memory_and_floors(quick_run: dict[str, Any]) -> None:
    kiosk, floors = quick_run["kiosk"], quick_run["floors"]
    for block in (kiosk["cold_start"], floors["bare_qml_start"]):
        assert block["n"] == 1
        assert positive(block["median_s"]) and block["min_s"] <= block["max_s"]
        assert positive(block["rss_mb"])
    assert positive(kiosk["first_start_s"])
    assert positive(kiosk["rss_mb"]) and kiosk["rss_mb"] <= kiosk["peak_rss_mb"]
    for key in ("ticket_issue_round_trip_ms", "print_to_simulator_ms"):
        assert floors[key]["n"] == TICKETS and positive(floors[key]["p99"]), key


def test_ratios_targets_and_verdicts(quick_run: dict[str, Any]) -> None:
    assert all(positive(v) for v in quick_run["ratios"].values()), quick_run["ratios"]
    assert quick_run["targets"] == {"cold_start_s": 3.0, "touch_to_bytes_p99_ms": 300.0,
                                    "rss_mb": 250.0}
    assert set(quick_run["pass"]) == {"cold_start", "touch_to_bytes_p99",
                                        "touch_to_ticket_cut_p99", "rss"}
    assert all(isinstance(v, bool) for v in quick_run["pass"].values())
    assert quick_run["quick"] is True and positive(quick_run["wall_s"])
