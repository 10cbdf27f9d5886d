"""The dashboard latency benchmark runs end to end in quick mode and reports a complete
document. Speed is not asserted (the machine may be busy): only shape and sanity."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.support.broker import require_mosquitto

ROOT = Path(__file__).resolve().parents[2]


def test_dashboard_latency_quick(tmp_path):
    require_mosquitto()
    out = tmp_path / "bench.json"
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT) + (os.pathsep + env["PYTHONPATH"]
                                     if env.get("PYTHONPATH") else "")
    proc = subprocess.run(
        [sys.executable, "-m", "bench.dashboard_latency", "--quick", "--calls", "10",
         "--messages", "100", "--json-out", str(out)],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=240, check=False)
    assert proc.returncode == 0, proc.stderr[-3000:]
    doc = json.loads(proc.stdout)
    assert json.loads(out.read_text()) == doc
    for block in ("sse_ms", "browser_ms", "call_reply_ms"):
        assert doc[block]["n"] == 10, (block, doc[block])
        assert 0 < doc[block]["p50"] <= doc[block]["p99"] <= doc[block]["max"]
    assert doc["detail"]["missing"] == {"sse": 0, "browser": 0}
    assert doc["detail"]["server_exit_code"] == 0
    assert all(v is not None for v in doc["ratios"].values())
