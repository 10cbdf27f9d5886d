"""bench/outbox.py runs end to end with tiny counts (a real central on a scratch
PostgreSQL) and prints a complete document. Only shape and exactly-once are checked,
never speed."""

from __future__ import annotations

from pathlib import Path

from tests.support.bench import positive, run_bench


def test_outbox_bench_tiny(tmp_path: Path) -> None:
    doc, _ = run_bench("bench.outbox", ["--tickets", "1200", "--halls", "3",
                                        "--per-hall", "600"], tmp_path, timeout=240)
    assert doc["hall"]["tickets"] == doc["hall"]["outbox_records"] == 1200
    assert doc["drain"]["records"] == 1200 and doc["drain"]["central_holds"]["exactly_once"]
    floor = doc["floor_raw_post"]
    assert floor["before_drain"]["records"] + floor["after_drain"]["records"] == 1200
    for part in ("one_instance", "two_instances"):
        ingest = doc["ingest"][part]
        assert (ingest["halls"], ingest["records"], ingest["requests"]) == (3, 1800, 6)
        assert ingest["exactly_once"] is True
    assert doc["floor_pg"]["copy"]["records"] == doc["floor_pg"]["insert"]["records"] == 1800
    assert all(positive(v) for v in doc["ratios"].values())
