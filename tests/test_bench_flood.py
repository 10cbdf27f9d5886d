"""bench.flood runs end to end on a small flood and reports a complete document; its
correctness figures (every oversized payload refused, every command answered, the honest
kiosk served, the fast kiosk held to its burst) are checked, never its speed."""

from __future__ import annotations

from tests.support.bench import positive, run_bench
from tests.support.broker import require_mosquitto


def test_a_small_flood_is_reported(tmp_path):
    require_mosquitto()
    doc, _ = run_bench("bench.flood", ["--ids", "1200", "--counters", "3"], tmp_path,
                       timeout=120)
    flood = doc["flood"]
    assert flood["ids"] == 1200 and flood["oversized"] == 24
    assert flood["replies"]["too_large"] == 24
    assert sum(flood["replies"].values()) == 1200
    # the shipped site's burst of 10, then one per 10 s for the run's length, the rest
    # refused for their rate
    issues = flood["fast_kiosk_issues"]
    assert 10 <= issues["ok"] <= 10 + int(doc["wall_s"] / 10) + 1, issues
    assert issues["ok"] + issues["rate_limited"] == 300, issues
    rss = doc["server_rss_mib"]
    assert positive(rss["idle"]) and rss["peak"] >= rss["idle"]
    assert doc["honest_kiosk"]["ticket_during_flood"]
    assert doc["honest_kiosk"]["ping_before_ms"]["n"] == 200
    assert all(doc["pass"].values()), doc["pass"]
    assert doc["server_exit_code"] == 0
