"""bench/report_year.py runs end to end with a tiny count (SQLite and a scratch PostgreSQL)
and prints a complete document. Only shape and consistency are checked, never speed."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.support.bench import run_bench

TICKETS, DAYS = 3000, 6


def _number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and value >= 0


def test_report_bench_tiny(tmp_path: Path) -> None:
    doc, _ = run_bench("bench.report_year",
                       ["--tickets", str(TICKETS), "--days", str(DAYS), "--day-repeats", "2",
                        "--stream-sample", "500"], tmp_path, timeout=240)

    assert (doc["tickets"], doc["days"]) == (TICKETS, DAYS)
    assert doc["feedback"] > 0
    assert (doc["first_day"], doc["last_day"]) == ("2025-01-01", "2025-01-06")
    for backend in ("sqlite", "postgresql"):
        part = doc[backend]
        assert part["tickets_in_table"] == TICKETS
        assert part["year_site"]["issued"] == TICKETS, backend
        for key in ("count_all_s", "count_range_s", "one_column_scan_s"):
            assert _number(part["floors"][key]), (backend, key)
        assert part["floors"]["count_one_day"]["n"] == 2
        assert _number(part["year_report_s"]) and part["year_report_s"] > 0
        day = part["one_day_report"]
        assert day["n"] == 2 and 0 < day["min_s"] <= day["median_s"] <= day["max_s"]
        assert set(part["ratios"]) == {"year_report_vs_count_all",
                                       "year_report_vs_one_column_scan",
                                       "one_day_report_vs_count_one_day"}
        assert all(_number(v) for v in part["ratios"].values())
        groups = part["year_groups"]
        assert groups["site"] == 1 and groups["service"] > 1 and groups["officer"] > 1
    assert doc["same_figures_sqlite_postgresql"] is True
    assert doc["stream_python"]["sample"] == 500
    assert doc["stream_python"]["extrapolated_full_s"] > 0
    assert doc["wall_s"] > 0 and doc["machine"]["cores"] >= 1
