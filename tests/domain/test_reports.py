"""Report figures: a hand-computed fixture day at a Makassar hall, and the edges."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from queue_server.domain.reports import (
    Report,
    ReportAccumulator,
    TicketFact,
    build_report,
    nearest_rank,
    wait_bucket,
)

MAKASSAR = ZoneInfo("Asia/Makassar")  # UTC+8, no DST
AGENCY = {"ktp": "dukcapil", "kk": "dukcapil", "skck": "polri"}
TARGETS_S = {"ktp": 15 * 60.0, "kk": 20 * 60.0}  # skck has no target


def at(hh: int, mm: int) -> float:
    return datetime(2026, 11, 30, hh, mm, tzinfo=MAKASSAR).timestamp()


def fact(
    service: str,
    issued: tuple[int, int],
    wait_min: float | None,
    service_min: float | None,
    status: str,
    counter: str | None = None,
    officer: str | None = None,
    *,
    priority: bool = False,
    started: bool = True,
) -> TicketFact:
    """Called `wait_min` after issue; started a minute after the call (walk to the counter)
    unless `started` is False; finished `service_min` after the start."""
    issued_at = at(*issued)
    called = None if wait_min is None else issued_at + wait_min * 60
    start = called + 60 if called is not None and started else None
    finish = None
    if service_min is not None and called is not None:
        finish = (start if start is not None else called) + service_min * 60
    return TicketFact(
        service,
        AGENCY[service],
        counter,
        officer,
        issued_at,
        called,
        start,
        finish,
        status,
        priority,
    )


# The fixture day. Waits and service times in minutes.
DAY = [
    fact("ktp", (8, 5), 3, 10, "done", "c1", "o1"),  # 1
    fact("ktp", (8, 10), 6, 8, "done", "c1", "o1"),  # 2
    fact("ktp", (8, 20), 15, 5, "done", "c1", "o1"),  # 3: exactly the 15-min target
    fact("ktp", (8, 40), 16, 12, "done", "c2", "o2", priority=True),  # 4
    fact("ktp", (9, 0), 20, 2, "no_show", "c1", "o1", started=False),  # 5: no service time
    fact("ktp", (9, 5), 25, 7, "done", "c2", "o2"),  # 6
    fact("ktp", (9, 10), 9, 6, "done", "c1", "o1"),  # 7
    fact("ktp", (9, 15), 31, 4, "transferred", "c1", "o1"),  # 8: no service time
    fact("ktp", (9, 20), None, None, "cancelled"),  # 9: never called, no counter
    fact("ktp", (9, 30), 45, 10, "done", "c2", "o2"),  # 10
    fact("kk", (8, 15), 2, 15, "done", "c2", "o2"),  # 11
    fact("kk", (9, 25), 18, 20, "done", "c2", "o2"),  # 12
    fact("kk", (9, 45), 62, 9, "done", "c2", "o2"),  # 13
    fact("kk", (10, 0), None, None, "waiting"),  # 14: still waiting at close of data
    fact("skck", (8, 30), 4, 11, "done", "c3", "o3"),  # 15
    fact("skck", (9, 35), 14, 13, "done", "c3", "o3"),  # 16
    fact("skck", (9, 50), 8, 2, "no_show", "c3", "o3", started=False),  # 17
    fact("skck", (10, 10), 5, 6, "done", "c3", "o3", priority=True),  # 18: 5:00 -> "5-10"
    fact("skck", (10, 20), 0, 3, "done", "c3", "o3", started=False),  # 19: from the call
    fact("skck", (11, 5), 10, 30, "done", "c3", "o3"),  # 20: 10:00 -> "10-15"
]


@pytest.fixture
def report() -> Report:
    return build_report(DAY, MAKASSAR, TARGETS_S)


def test_site_counts(report: Report) -> None:
    site = report.site
    # done: 1,2,3,4,6,7,10,11,12,13,15,16,18,19,20 = 15; no-show 5,17; transferred 8;
    # cancelled 9; (14 waiting) -> 15 + 2 + 1 + 1 + 1 = 20
    assert (site.issued, site.served, site.no_shows, site.transferred, site.cancelled) == (
        20,
        15,
        2,
        1,
        1,
    )
    assert site.priority == 2


def test_site_wait(report: Report) -> None:
    site = report.site
    # 18 called tickets (not 9, 14). Waits: 3+6+15+16+20+25+9+31+45+2+18+62+4+14+8+5+0+10
    # = 293 min; 293 x 60 / 18 = 976.67 s
    assert site.wait_avg_s == pytest.approx(293 * 60 / 18)
    # sorted: 0 2 3 4 5 6 8 9 10 14 15 16 18 20 25 31 45 62; rank ceil(0.9 x 18) = 17 -> 45 min
    assert site.wait_p90_s == 45 * 60


def test_site_service_time(report: Report) -> None:
    site = report.site
    # done only: 10+8+5+12+7+6+10+15+20+9+11+13+6+3+30 = 165 min / 15 = 11 min
    assert site.service_avg_s == pytest.approx(11 * 60)
    # sorted: 3 5 6 6 7 8 9 10 10 11 12 13 15 20 30; rank ceil(0.9 x 15) = 14 -> 20 min
    assert site.service_p90_s == 20 * 60


def test_within_target(report: Report) -> None:
    # ktp served (target 15): 3 6 15 16 25 9 45 -> 3, 6, 15 (inclusive), 9 = 4 of 7
    # kk served (target 20): 2 18 62 -> 2 of 3; skck has no target: left out. 6 / 10
    assert report.site.within_target == pytest.approx(0.6)
    assert report.site.within_target_of == 10
    assert report.by_service["ktp"].within_target == pytest.approx(4 / 7)
    assert report.by_service["kk"].within_target == pytest.approx(2 / 3)
    assert report.by_service["skck"].within_target is None
    assert report.by_agency["polri"].within_target_of == 0


def test_busiest_hour_in_makassar_time(report: Report) -> None:
    # 08: 1,2,3,4,11,15 = 6; 09: 5,6,7,8,9,10,12,13,16,17 = 10; 10: 14,18,19 = 3; 11: 20 = 1
    assert report.site.arrivals_by_hour == {8: 6, 9: 10, 10: 3, 11: 1}
    assert report.site.busiest_hour == 9
    assert report.by_agency["polri"].arrivals_by_hour == {8: 1, 9: 2, 10: 2, 11: 1}
    assert report.by_agency["polri"].busiest_hour == 9  # tie 9/10: the earliest


def test_wait_buckets(report: Report) -> None:
    # [0,5): 0 2 3 4; [5,10): 5 6 8 9; [10,15): 10 14; [15,30): 15 16 18 20 25;
    # [30,60): 31 45; 60+: 62
    assert report.site.wait_buckets == {
        "0-5": 4,
        "5-10": 4,
        "10-15": 2,
        "15-30": 5,
        "30-60": 2,
        "60+": 1,
    }


def test_by_agency(report: Report) -> None:
    duk = report.by_agency["dukcapil"]
    assert (duk.issued, duk.served, duk.no_shows, duk.transferred, duk.cancelled) == (
        14,
        10,
        1,
        1,
        1,
    )
    # waits 3 6 15 16 20 25 9 31 45 2 18 62 = 252 min / 12 = 21 min; rank ceil(10.8) = 11 -> 45
    assert duk.wait_avg_s == pytest.approx(21 * 60)
    assert duk.wait_p90_s == 45 * 60
    pol = report.by_agency["polri"]
    # waits 4 14 8 5 0 10 = 41 min / 6; sorted 0 4 5 8 10 14, rank ceil(5.4) = 6 -> 14
    assert pol.wait_avg_s == pytest.approx(41 * 60 / 6)
    assert pol.wait_p90_s == 14 * 60
    # service 11 13 6 3 30 = 63 min / 5 = 12.6 min; rank ceil(4.5) = 5 -> 30
    assert pol.service_avg_s == pytest.approx(63 * 60 / 5)
    assert pol.service_p90_s == 30 * 60


def test_by_service_counter_and_officer(report: Report) -> None:
    # ktp waits 3 6 15 16 20 25 9 31 45 = 170 min over 9
    assert report.by_service["ktp"].wait_avg_s == pytest.approx(170 * 60 / 9)
    # tickets 9 and 14 reached no counter: counters hold 18 of the 20
    assert sorted(report.by_counter) == ["c1", "c2", "c3"]
    assert sum(g.issued for g in report.by_counter.values()) == 18
    o1 = report.by_officer["o1"]
    # o1: tickets 1 2 3 5 7 8; waits 3 6 15 20 9 31 = 84 min / 6; served 1 2 3 7
    assert (o1.issued, o1.served, o1.no_shows, o1.transferred) == (6, 4, 1, 1)
    assert o1.wait_avg_s == pytest.approx(84 * 60 / 6)
    # service 10 8 5 6 = 29 min / 4 = 7.25 min; sorted 5 6 8 10, rank ceil(3.6) = 4 -> 10
    assert o1.service_avg_s == pytest.approx(7.25 * 60)
    assert o1.service_p90_s == 10 * 60
    assert report.by_counter["c3"] == report.by_agency["polri"]


def test_empty_input() -> None:
    report = build_report([], MAKASSAR, TARGETS_S)
    site = report.site
    assert (site.issued, site.served, site.no_shows) == (0, 0, 0)
    assert site.wait_avg_s is None and site.wait_p90_s is None
    assert site.service_avg_s is None and site.service_p90_s is None
    assert site.within_target is None and site.within_target_of == 0
    assert site.busiest_hour is None and site.arrivals_by_hour == {}
    assert set(site.wait_buckets.values()) == {0}
    assert report.by_agency == {} and report.by_officer == {}


def test_streaming_equals_batch() -> None:
    acc = ReportAccumulator(MAKASSAR, TARGETS_S)
    for f in DAY:
        acc.add(f)
    assert acc.result() == build_report(DAY, MAKASSAR, TARGETS_S)


def test_hour_follows_the_site_zone_across_midnight_utc() -> None:
    # 23:30 UTC is 07:30 the next day in Makassar
    utc_2330 = datetime(2026, 11, 29, 23, 30, tzinfo=ZoneInfo("UTC")).timestamp()
    f = TicketFact("ktp", "dukcapil", None, None, utc_2330, None, None, None, "waiting")
    assert build_report([f], MAKASSAR).site.busiest_hour == 7


def test_negative_duration_counts_as_zero() -> None:
    t = at(9, 0)
    f = TicketFact("ktp", "dukcapil", "c1", "o1", t, t - 30, None, t - 40, "done")
    site = build_report([f], MAKASSAR).site
    assert (site.wait_avg_s, site.service_avg_s) == (0.0, 0.0)


def test_unknown_status_rejected() -> None:
    f = TicketFact("ktp", "dukcapil", None, None, at(9, 0), None, None, None, "lost")
    with pytest.raises(ValueError):
        build_report([f], MAKASSAR)


@pytest.mark.parametrize(
    ("samples", "percent", "expected"),
    [
        pytest.param([], 90, None, id="empty"),
        pytest.param([7], 90, 7, id="one"),
        pytest.param(list(range(1, 11)), 90, 9, id="1-10-p90-is-9"),
        pytest.param(list(range(1, 11)), 50, 5, id="1-10-p50-is-5"),
        pytest.param(list(range(1, 12)), 90, 10, id="1-11-rank-ceil-9.9"),
        pytest.param([5, 5, 5, 1], 90, 5, id="ties"),
        pytest.param([3, 1, 2], 100, 3, id="p100-max"),
    ],
)
def test_nearest_rank(samples: list[int], percent: int, expected: int | None) -> None:
    histogram: dict[int, int] = {}
    for s in samples:
        histogram[s] = histogram.get(s, 0) + 1
    assert nearest_rank(histogram, percent) == expected


@pytest.mark.parametrize(
    ("seconds", "label"),
    [
        (0, "0-5"),
        (299.9, "0-5"),
        (300, "5-10"),
        (899, "10-15"),
        (900, "15-30"),
        (1799, "15-30"),
        (1800, "30-60"),
        (3599, "30-60"),
        (3600, "60+"),
        (86400, "60+"),
    ],
)
def test_wait_bucket_edges(seconds: float, label: str) -> None:
    assert wait_bucket(seconds) == label
