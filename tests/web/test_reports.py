"""Report pages and exports of the dashboard, from tickets issued and served over MQTT."""

from __future__ import annotations

import csv
import io

import httpx
import pytest
from openpyxl import load_workbook

DAY = "2026-11-30"  # the test clock's Monday


@pytest.fixture
def served_day(dash, clock, client_factory):
    """Three tickets: A-001 waits 10 min and is served 5 min at loket-01; two wait."""
    kiosk = client_factory("kiosk-01", "kiosk")
    desk = client_factory("counter-01", "counter")
    kiosk.request("ticket.issue", {"service": "ktp"})
    kiosk.request("ticket.issue", {"service": "ktp"})
    kiosk.request("ticket.issue", {"service": "kk"})
    clock.advance(600)
    desk.request("counter.open", {"counter": "loket-01"})
    desk.request("counter.call_next", {"counter": "loket-01"})
    desk.request("counter.start", {"counter": "loket-01"})
    clock.advance(300)
    desk.request("counter.complete", {"counter": "loket-01"})
    return dash


def _row(report: dict, level: str, key: str) -> dict:
    return next(r for r in report["levels"][level] if r["key"] == key)


def test_report_json_has_the_days_figures_and_no_personal_data(served_day, supervisor):
    resp = supervisor.get("/api/reports", params={"first_day": DAY, "last_day": DAY})
    assert resp.status_code == 200
    report = resp.json()
    site = report["levels"]["site"][0]
    assert (site["issued"], site["served"], site["wait_avg_s"], site["service_avg_s"]) == (
        3, 1, 600, 300)
    assert site["arrivals_by_hour"][9] == 3 and site["busiest_hour"] == 9
    assert _row(report, "service", "ktp")["issued"] == 2
    assert _row(report, "counter", "loket-01")["served"] == 1
    assert "A-001" not in resp.text and "kiosk-01" not in resp.text


def test_page_shows_figures_and_charts_in_the_chosen_language(served_day, supervisor):
    page = supervisor.get("/reports", params={"first_day": DAY, "lang": "en"})
    assert page.status_code == 200
    html = page.text
    assert "Arrivals per hour" in html and 'data-field="issued">3<' in html
    assert 'data-field="wait_avg_s">10:00<' in html  # minutes:seconds
    assert 'id="chart-arrivals"' in html and 'id="level-counter"' in html
    page_id = supervisor.get("/reports", params={"first_day": DAY, "lang": "id"})
    assert "Kedatangan per jam" in page_id.text
    printed = supervisor.get("/reports/print", params={"day": DAY})
    assert printed.status_code == 200 and "Ringkasan Harian Pelayanan" in printed.text


def test_exports_read_back_with_the_same_figures(served_day, supervisor):
    params = {"first_day": DAY, "last_day": DAY, "lang": "en"}
    got = supervisor.get("/api/reports/export.csv", params=params)
    assert got.status_code == 200 and got.headers["content-type"].startswith("text/csv")
    assert "attachment" in got.headers["content-disposition"]
    rows = list(csv.reader(io.StringIO(got.content.decode("utf-8-sig"))))
    header, body = rows[0], rows[1:]
    site = dict(zip(header, body[0], strict=True))
    assert site["Tickets issued"] == "3" and site["Served"] == "1"
    xlsx = supervisor.get("/api/reports/export.xlsx", params=params)
    assert xlsx.status_code == 200
    book = load_workbook(io.BytesIO(xlsx.content), read_only=True)
    try:
        assert "Summary" in book.sheetnames and "Services" in book.sheetnames
    finally:
        book.close()


def test_bad_ranges_get_a_stable_code_in_the_users_language(dash, supervisor):
    resp = supervisor.get("/api/reports", params={"first_day": "2026-12-02",
                                                  "last_day": "2026-12-01", "lang": "en"})
    assert resp.status_code == 400
    assert resp.json()["error"]["code"] == "bad_range"
    assert resp.json()["error"]["message"].startswith("Invalid date range")
    assert supervisor.get("/api/reports", params={"first_day": "30-11-2026"}).status_code == 422


def test_reports_need_a_session(dash, clients):
    anon: httpx.Client = clients()
    for path in ("/api/reports", "/api/reports/export.csv", "/api/reports/export.xlsx"):
        assert anon.get(path).status_code == 401
    for path in ("/reports", "/reports/print"):
        resp = anon.get(path)
        assert resp.status_code in (302, 303, 307) and "/login" in resp.headers["location"]
