"""The SQL path (day_report) gives the figures of the pure accumulator
(domain.reports.build_report) on the same tickets, on SQLite and PostgreSQL.

Counts, percentiles, buckets, hours, busiest hour and the share within target must be
equal; the averages may differ in the last bits only (sums are added in another order).
"""

from __future__ import annotations

import json
import math
import random
from typing import Any

import pytest
from sqlalchemy import Engine

from queue_server.config import SiteConfig, default_site_path, load_site, parse_site
from queue_server.domain.ikm import Response, ikm_grouped
from queue_server.domain.reports import build_report
from queue_server.reporting import day_report
from queue_server.reporting.figures import figures_dict
from queue_server.reporting.query import agency_of
from queue_server.reporting.satisfaction import ikm_dict
from tests.reporting.data import (
    GONE_SERVICE,
    day_list,
    facts_from_db,
    feedback_rows,
    insert_rows,
    random_day_rows,
    ticket_row,
)
from tests.support.site import local_ts, small_site_data

AVERAGES = ("wait_avg_s", "service_avg_s")


def domain_levels(cfg: SiteConfig, engine: Engine, first: str, last: str) -> dict[str, Any]:
    targets = {s.id: s.target_wait_min * 60.0 for s in cfg.services}
    report = build_report(facts_from_db(engine, cfg, first, last), cfg.site.tz, targets)
    return {
        "site": {cfg.site.id: figures_dict(report.site)},
        "agency": {k: figures_dict(v) for k, v in report.by_agency.items()},
        "service": {k: figures_dict(v) for k, v in report.by_service.items()},
        "counter": {k: figures_dict(v) for k, v in report.by_counter.items()},
        "officer": {k: figures_dict(v) for k, v in report.by_officer.items()},
    }


def assert_same_figures(doc: dict[str, Any], expected: dict[str, Any]) -> None:
    for level, groups in expected.items():
        got = {r["key"]: r for r in doc["levels"][level] if r["issued"]}
        assert sorted(got) == sorted(groups), level
        for key, want in groups.items():
            row = got[key]
            for field, value in want.items():
                if field in AVERAGES and value is not None:
                    assert math.isclose(row[field], value, rel_tol=1e-9), (level, key, field)
                else:
                    assert row[field] == value, (level, key, field, row[field], value)


def dst_site() -> SiteConfig:
    """The small test site moved to a zone with summer time, to cross a DST change."""
    data = small_site_data("t-dst")
    data["site"]["timezone"] = "Europe/Berlin"
    data["agencies"].append({"id": "polri", "name_id": "Polri", "name_en": "Police"})
    data["services"].append({"id": "skck", "agency": "polri", "name_id": "SKCK",
                             "name_en": "Police certificate", "prefix": "P",
                             "schedule": "always", "target_wait_min": 10})
    return parse_site(data, source="test")


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_year_sample_matches_domain(db: Engine, seed: int) -> None:
    cfg = load_site(default_site_path())
    rng = random.Random(seed)
    days = day_list("2026-01-01", 6)
    rows = random_day_rows(cfg, days, 150, rng)
    insert_rows(db, rows, feedback_rows(cfg, rows, rng))
    first, last = "2026-01-02", "2026-01-05"  # the first and last day are outside
    doc = day_report(db, cfg, first, last)
    expected = domain_levels(cfg, db, first, last)
    assert expected["site"][cfg.site.id]["issued"] == 4 * 150
    assert GONE_SERVICE in expected["service"]
    assert_same_figures(doc, expected)


def test_dst_change_matches_domain(db: Engine) -> None:
    """Berlin goes from UTC+1 to UTC+2 on 2026-03-29: hours are read with the offset of
    each instant, on both sides of the change."""
    cfg = dst_site()
    rng = random.Random(7)
    rows = random_day_rows(cfg, day_list("2026-03-27", 5), 200, rng)
    insert_rows(db, rows)
    doc = day_report(db, cfg, "2026-03-27", "2026-03-31")
    assert_same_figures(doc, domain_levels(cfg, db, "2026-03-27", "2026-03-31"))


def test_ikm_matches_domain(db: Engine) -> None:
    cfg = load_site(default_site_path())
    rng = random.Random(11)
    rows = random_day_rows(cfg, day_list("2026-02-02", 4), 200, rng)
    feedback = feedback_rows(cfg, rows, rng, share=0.8)
    insert_rows(db, rows, feedback)
    doc = day_report(db, cfg, "2026-02-02", "2026-02-04")
    # answers count with their ticket's day, even when given after midnight
    in_range = {r["id"] for r in rows if "2026-02-02" <= r["day"] <= "2026-02-04"}
    inside = [f for f in feedback if f["ticket"] in in_range]
    late = local_ts("2026-02-05T00:00")
    assert any(f["at"] >= late for f in inside)  # given on 02-05 about a ticket of 02-04
    assert 0 < len(inside) < len(feedback)

    def by(key: Any) -> dict[str, Any]:
        grouped = ikm_grouped(inside, key, lambda f: Response(json.loads(f["scores"])))
        return {k: ikm_dict(v) for k, v in grouped.items()}

    expected = {
        "site": by(lambda f: cfg.site.id),
        "agency": by(lambda f: agency_of(cfg, f["service"])),
        "service": by(lambda f: f["service"]),
    }
    for level, groups in expected.items():
        got = {r["key"]: r["ikm"] for r in doc["levels"][level] if r["ikm"] is not None}
        assert got == groups, level
    assert doc["ikm_invalid_responses"] == 0


def test_invalid_feedback_is_counted_not_fatal(db: Engine) -> None:
    cfg = load_site(default_site_path())
    svc = cfg.services[0].id
    at = local_ts("2026-05-28T10:00")
    tickets = [ticket_row(i, "2026-05-28", svc, at, status="done") for i in range(1, 5)]
    answers = ['{"u1": 4}', '{"u1": 9}', "not json", '{"x": 1}']
    insert_rows(db, tickets, [
        {"ticket": t["id"], "at": at + 600, "service": svc, "counter": None, "scores": a}
        for t, a in zip(tickets, answers, strict=True)
    ])
    doc = day_report(db, cfg, "2026-05-28", "2026-05-28")
    assert doc["ikm_invalid_responses"] == 3
    row = next(r for r in doc["levels"]["service"] if r["key"] == svc)
    assert row["issued"] == 4
    assert row["ikm"]["respondents"] == 1
    assert row["ikm"]["converted"] == 100.0
