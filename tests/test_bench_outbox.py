"""bench/outbox.py runs end to end with tiny counts (a real central on a scratch database
of the session's PostgreSQL) and prints a complete document. Only shape and exactly-once
are checked, never speed."""

from __future__ import annotations

from pathlib import Path

from tests.support.bench import positive, run_bench


def test_outbox_bench_tiny(tmp_path: Path, postgres_cluster) -> None:
    name = postgres_cluster.new_database()
    try:
        doc, _ = run_bench("bench.outbox", [
            "--tickets", "700", "--halls", "2", "--per-hall", "600",
            "--pg-url", postgres_cluster.url(name)], tmp_path, timeout=240)
    finally:
        postgres_cluster.drop_database(name + "_floor")
        postgres_cluster.drop_database(name)
    assert doc["hall"]["tickets"] == doc["hall"]["outbox_records"] == 700
    assert doc["drain"]["records"] == 700 and doc["drain"]["central_holds"]["exactly_once"]
    floor = doc["floor_raw_post"]
    assert floor["before_drain"]["records"] + floor["after_drain"]["records"] == 700
    for part in ("one_instance", "two_instances"):
        ingest = doc["ingest"][part]
        assert (ingest["halls"], ingest["records"], ingest["requests"]) == (2, 1200, 4)
        assert ingest["exactly_once"] is True
    assert doc["floor_pg"]["copy"]["records"] == doc["floor_pg"]["insert"]["records"] == 1200
    assert all(positive(v) for v in doc["ratios"].values())
