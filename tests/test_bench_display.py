"""The display latency benchmark runs end to end in quick mode and reports a complete, sane
document: the counter display, the hall wall and the chime each timed for every call.

Speed is never asserted here (this machine may be busy): only the shape, that every figure
is positive and that each latency has one sample per call.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.support.broker import require_mosquitto

ROOT = Path(__file__).resolve().parent.parent
QUICK_CALLS = 50  # bench.display_latency --quick

LATENCIES = ("counter_display_ms", "wall_ms", "chime_start_ms")
FLOORS = ("mqtt_one_way_ms", "mqtt_request_reply_ms")
RATIOS = ("counter_display_p99_vs_request_reply_p99", "wall_p99_vs_request_reply_p99",
          "chime_start_p99_vs_request_reply_p99")


@pytest.fixture(scope="module")
def quick_run(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    pytest.importorskip("PySide6")
    require_mosquitto()
    out = tmp_path_factory.mktemp("bench-display") / "display.json"
    env = dict(os.environ)
    env["QT_QPA_PLATFORM"] = "offscreen"
    env["PYTHONPATH"] = str(ROOT) + (os.pathsep + env["PYTHONPATH"]
                                     if env.get("PYTHONPATH") else "")
    proc = subprocess.run(
        [sys.executable, "-m", "bench.display_latency", "--quick", "--json-out", str(out)],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=100, check=False,
    )
    assert proc.returncode == 0, f"bench failed ({proc.returncode}):\n{proc.stderr[-3000:]}"
    doc = json.loads(proc.stdout)
    assert json.loads(out.read_text()) == doc
    return doc


def _positive(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and value > 0


def test_every_surface_is_timed_once_per_call(quick_run: dict[str, Any]) -> None:
    assert quick_run["calls_requested"] == QUICK_CALLS
    for key in LATENCIES:
        block = quick_run[key]
        assert block["n"] == QUICK_CALLS, f"{key}.n = {block['n']}"
        for stat in ("p50", "p99"):
            assert _positive(block[stat]), f"{key}.{stat} = {block[stat]!r}"
        assert block["p50"] <= block["p99"], key


def test_floors_measured_in_the_same_run(quick_run: dict[str, Any]) -> None:
    for key in FLOORS:
        block = quick_run["floors"][key]
        assert _positive(block["n"]) and block["lost"] == 0, key
        assert _positive(block["p50"]) and _positive(block["p99"]), key


def test_ratios_are_positive(quick_run: dict[str, Any]) -> None:
    for key in RATIOS:
        assert _positive(quick_run["ratios"][key]), f"{key} = {quick_run['ratios'][key]!r}"


def test_nothing_went_missing(quick_run: dict[str, Any]) -> None:
    detail = quick_run["detail"]
    for key in ("counter", "wall", "chime", "reply"):
        assert detail["missing"][key] == 0, detail["missing"]
    assert detail["errors"] == {}
    assert detail["server_exit_code"] == 0
