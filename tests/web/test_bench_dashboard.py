"""The dashboard latency benchmark runs end to end in quick mode and reports a complete
document. Speed is not asserted (the machine may be busy): only shape and sanity."""

from __future__ import annotations

from tests.support.bench import run_bench
from tests.support.broker import require_mosquitto


def test_dashboard_latency_quick(tmp_path):
    require_mosquitto()
    doc, _ = run_bench("bench.dashboard_latency",
                       ["--quick", "--calls", "10", "--messages", "100"], tmp_path, timeout=240)
    for block in ("sse_ms", "browser_ms", "call_reply_ms"):
        assert doc[block]["n"] == 10, (block, doc[block])
        assert 0 < doc[block]["p50"] <= doc[block]["p99"] <= doc[block]["max"]
    assert doc["detail"]["missing"] == {"sse": 0, "browser": 0}
    assert doc["detail"]["server_exit_code"] == 0
    assert all(v is not None for v in doc["ratios"].values())
