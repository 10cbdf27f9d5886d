"""The benchmark runs end to end in quick mode and reports a complete, sane document.

Speed is never asserted here: this machine may be busy, and figures are the benchmark's
business (`make bench`). Only shape, positivity and correctness (numbering) are checked.
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

LATENCY_KEYS = ("n", "p50", "p99")


@pytest.fixture(scope="module")
def quick_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, Any], str]:
    require_mosquitto()
    out = tmp_path_factory.mktemp("bench") / "bench.json"
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT) + (os.pathsep + env["PYTHONPATH"]
                                     if env.get("PYTHONPATH") else "")
    proc = subprocess.run(
        [sys.executable, "-m", "bench.run", "--quick", "--json-out", str(out)],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=100, check=False,
    )
    assert proc.returncode == 0, f"bench failed ({proc.returncode}):\n{proc.stderr[-3000:]}"
    doc = json.loads(proc.stdout)
    assert json.loads(out.read_text()) == doc
    return doc, proc.stderr


def _positive(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and value > 0


def _check_latency(block: dict[str, Any], where: str) -> None:
    for key in LATENCY_KEYS:
        assert _positive(block.get(key)), f"{where}.{key} = {block.get(key)!r}"
    assert block["p50"] <= block["p99"], where


def test_document_has_every_section(quick_run: tuple[dict[str, Any], str]) -> None:
    doc, _ = quick_run
    for key in ("machine", "floors", "server", "ratios", "targets", "pass"):
        assert key in doc, key
    machine = doc["machine"]
    assert _positive(machine["cores"])
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
    assert _positive(commit["commits_per_s"])
    assert commit["journal_mode"] == "wal"
    assert commit["synchronous"] == "FULL"


def test_server_figures_are_positive(quick_run: tuple[dict[str, Any], str]) -> None:
    server = quick_run[0]["server"]
    assert _positive(server["tickets_per_s"])
    assert _positive(server["tickets"])
    for name in ("call_to_event_ms", "call_reply_ms"):
        _check_latency(server[name], name)
    assert server["calls_detail"]["missing_events"] == 0
    ratios = quick_run[0]["ratios"]
    for key in ("tickets_per_s_vs_target_1000", "call_to_event_p99_vs_floor",
                "tickets_per_s_vs_raw_sqlite_commit_rate"):
        assert _positive(ratios[key]), key


def test_numbers_are_unique_and_contiguous(quick_run: tuple[dict[str, Any], str]) -> None:
    server = quick_run[0]["server"]
    assert server["duplicates"] == 0
    assert server["gaps"] == 0
    assert server["tickets_detail"]["errors"] == {}
    database = server["database"]
    assert database["rows"] == server["tickets"]
    assert database["acked_missing"] == 0
    assert quick_run[0]["pass"]["numbering"] is True
