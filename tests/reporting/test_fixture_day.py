"""One day at a small hall, computed by hand and checked through the SQL path
(day_report) on SQLite and PostgreSQL: the issue's "report figures match a hand-computed
fixture day". The tickets are in fixture_day.py, one per line with its wait and service
time; the arithmetic is next to each expected figure."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import Engine

from queue_server.reporting import day_report
from tests.reporting.data import insert_rows
from tests.reporting.fixture_day import DAY, FEEDBACK, TICKETS, fixture_site


@pytest.fixture
def report(db: Engine) -> dict[str, Any]:
    insert_rows(db, TICKETS, FEEDBACK)
    return day_report(db, fixture_site(), DAY, DAY)


def row(report: dict[str, Any], level: str, key: str) -> dict[str, Any]:
    return next(r for r in report["levels"][level] if r["key"] == key)


def hours(**by_hour: int) -> list[int]:
    out = [0] * 24
    for name, n in by_hour.items():
        out[int(name[1:])] = n
    return out


def test_site(report: dict[str, Any]) -> None:
    site = row(report, "site", "t-fixture")
    assert site["issued"] == 13  # tickets 1..13; 14 is the next day
    assert site["served"] == 9  # 1 2 3 5 7 8 11 12 13
    assert (site["no_shows"], site["transferred"], site["cancelled"]) == (1, 1, 1)  # 4, 9, 6
    assert site["priority"] == 2  # 5, 11
    # waits of the 11 called: 240+900+930+900+360+120+2400+1200+300+4500+0 = 11850
    assert site["wait_avg_s"] == pytest.approx(11850 / 11)
    # sorted 0 120 240 300 360 900 900 930 1200 2400 4500; rank ceil(0.9*11) = 10
    assert site["wait_p90_s"] == 2400
    # service times: 600+480+300+720+720+540+1800+240.7+310 = 5710.7 over 9
    assert site["service_avg_s"] == pytest.approx(5710.7 / 9)
    assert site["service_p90_s"] == 1800  # rank ceil(8.1) = 9: the largest
    # served within target: 1 2 5 7 11 13 yes; 3 (930 > 900), 8 (2400 > 1200), 12 no
    assert site["within_target_of"] == 9
    assert site["within_target"] == pytest.approx(6 / 9)
    assert site["arrivals_by_hour"] == hours(h8=7, h9=5, h10=1)
    assert site["busiest_hour"] == 8
    # [0,5) 0 120 240 | [5,10) 300 360 | [15,30) 900 900 930 1200 | 2400 | 4500
    assert site["wait_buckets"] == {"0-5": 3, "5-10": 2, "10-15": 0, "15-30": 4,
                                    "30-60": 1, "60+": 1}


def test_agencies(report: dict[str, Any]) -> None:
    assert [r["key"] for r in report["levels"]["agency"]] == ["dukcapil", "polri"]
    dukcapil = row(report, "agency", "dukcapil")  # tickets 1..10
    assert (dukcapil["issued"], dukcapil["served"], dukcapil["priority"]) == (10, 6, 1)
    assert dukcapil["wait_avg_s"] == pytest.approx(7050 / 8)  # 240+900+930+900+360+120+2400+1200
    assert dukcapil["wait_p90_s"] == 2400  # rank ceil(7.2) = 8: the largest
    assert dukcapil["service_avg_s"] == pytest.approx(3360 / 6)  # 600+480+300+720+720+540
    assert dukcapil["service_p90_s"] == 720  # rank ceil(5.4) = 6
    assert (dukcapil["within_target"], dukcapil["within_target_of"]) == (4 / 6, 6)
    polri = row(report, "agency", "polri")  # tickets 11 12 13
    assert polri["wait_avg_s"] == pytest.approx(4800 / 3)  # 300+4500+0
    assert polri["wait_p90_s"] == 4500
    assert polri["service_avg_s"] == pytest.approx(2350.7 / 3)  # 1800+240.7+310
    assert polri["service_p90_s"] == 1800
    assert polri["within_target"] == pytest.approx(2 / 3)  # 11 and 13
    assert polri["arrivals_by_hour"] == hours(h8=1, h9=1, h10=1)
    assert polri["busiest_hour"] == 8  # a tie: the earliest


def test_service_counter_officer(report: dict[str, Any]) -> None:
    ktp = row(report, "service", "ktp")  # tickets 1..6
    assert (ktp["issued"], ktp["served"], ktp["no_shows"], ktp["cancelled"]) == (6, 4, 1, 1)
    assert ktp["wait_avg_s"] == pytest.approx(3330 / 5)  # 240+900+930+900+360
    assert ktp["wait_p90_s"] == 930  # rank ceil(4.5) = 5
    assert ktp["service_avg_s"] == pytest.approx(2100 / 4)  # 600+480+300+720
    assert ktp["service_p90_s"] == 720  # rank ceil(3.6) = 4
    assert ktp["within_target"] == pytest.approx(3 / 4)  # 1 2 5
    assert ktp["agency"] == "dukcapil"

    assert [r["key"] for r in report["levels"]["counter"]] == [
        "loket-01", "loket-02", "loket-03", "loket-04"]  # 6 and 10 never reached one
    loket1 = row(report, "counter", "loket-01")  # tickets 1..4
    assert (loket1["issued"], loket1["served"], loket1["no_shows"]) == (4, 3, 1)
    assert loket1["wait_avg_s"] == pytest.approx(2970 / 4)  # 240+900+930+900
    assert loket1["wait_p90_s"] == 930
    assert loket1["service_avg_s"] == pytest.approx(1380 / 3)  # 600+480+300
    assert loket1["service_p90_s"] == 600  # rank ceil(2.7) = 3

    assert [r["key"] for r in report["levels"]["officer"]] == [
        "petugas-01", "petugas-02", "petugas-03"]
    p2 = row(report, "officer", "petugas-02")  # tickets 5 7 8 9
    assert (p2["issued"], p2["served"], p2["transferred"], p2["priority"]) == (4, 3, 1, 1)
    assert p2["wait_avg_s"] == pytest.approx(4080 / 4)  # 360+120+2400+1200
    assert p2["wait_p90_s"] == 2400  # rank ceil(3.6) = 4
    assert p2["service_avg_s"] == pytest.approx(1980 / 3)  # 720+720+540
    assert p2["within_target"] == pytest.approx(2 / 3)  # 5 and 7
    assert p2["arrivals_by_hour"] == hours(h8=2, h9=2)
    assert p2["busiest_hour"] == 8
    assert p2["name"] is None  # officers are named by code only


def test_ikm(report: dict[str, Any]) -> None:
    # ktp: one respondent all 4, one all 3: NRR 3.5 each, index 3.5, x 25 = 87.50 -> B
    ktp = row(report, "service", "ktp")["ikm"]
    assert (ktp["respondents"], ktp["index"], ktp["converted"]) == (2, 3.5, 87.5)
    assert (ktp["grade"], ktp["label"]["id"]) == ("B", "Baik")
    assert row(report, "agency", "dukcapil")["ikm"] == ktp
    skck = row(report, "agency", "polri")["ikm"]
    assert (skck["respondents"], skck["converted"], skck["grade"]) == (1, 100.0, "A")
    # the site: (4+3+4)/3 = 3.6667 per element; 11/3 x 25 = 91.67 -> A
    site = row(report, "site", "t-fixture")["ikm"]
    assert (site["respondents"], site["index"], site["converted"], site["grade"]) == (
        3, 3.6667, 91.67, "A")
    assert row(report, "service", "kk")["ikm"] is None  # no answers: no index, not zero
