"""CSV and Excel exports read back (csv module, openpyxl) give the report's figures, with
headers in Bahasa Indonesia or English from the one catalogue."""

from __future__ import annotations

import csv
import io
from typing import Any

import openpyxl
import pytest

from queue_server.domain.ikm import ELEMENTS
from queue_server.reporting import to_csv, to_xlsx
from queue_server.reporting.export import columns
from queue_server.reporting.labels import LABELS, label

LEVEL_ORDER = ("site", "agency", "service", "counter", "officer")


def all_rows(report: dict[str, Any]) -> list[dict[str, Any]]:
    return [r for level in LEVEL_ORDER for r in report["levels"][level]]


def check_flat(values: dict[str, Any], row: dict[str, Any], buckets: list[str]) -> None:
    """values: field -> value as read back (text from CSV, numbers from Excel)."""

    def num(v: Any) -> float | None:
        return None if v in ("", None) else float(v)

    assert values["level"] == row["level"]
    assert values["key"] == row["key"]
    for field in ("issued", "served", "no_shows", "transferred", "cancelled", "priority",
                  "wait_p90_s", "service_p90_s", "within_target_of", "busiest_hour"):
        assert num(values[field]) == row[field], field
    for field in ("wait_avg_s", "service_avg_s"):
        if row[field] is None:
            assert num(values[field]) is None
        else:
            assert num(values[field]) == pytest.approx(row[field], abs=0.05), field
    if row["within_target"] is None:
        assert num(values["within_target"]) is None
    else:
        assert num(values["within_target"]) == pytest.approx(row["within_target"] * 100,
                                                             abs=0.05)
    for b in buckets:
        assert num(values[f"wait_{b}"]) == row["wait_buckets"][b]
    for h in range(24):
        assert num(values[f"hour_{h:02d}"]) == row["arrivals_by_hour"][h]
    ikm = row.get("ikm")
    assert num(values["ikm_converted"]) == (ikm["converted"] if ikm else None)
    assert (values["ikm_grade"] or None) == (ikm["grade"] if ikm else None)


@pytest.mark.parametrize("lang", ["id", "en"])
def test_csv_round_trip(fixture_report: dict[str, Any], lang: str) -> None:
    data = to_csv(fixture_report, lang=lang)
    assert data.startswith(b"\xef\xbb\xbf")  # the BOM: Excel then reads UTF-8
    reader = csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""))
    header, *body = list(reader)
    fields = columns(fixture_report)
    assert header == [label(f, lang) for f in fields]
    assert LABELS["issued"][lang] in header
    expected = all_rows(fixture_report)
    assert len(body) == len(expected) == 1 + 2 + 3 + 4 + 3
    for line, row in zip(body, expected, strict=True):
        check_flat(dict(zip(fields, line, strict=True)), row, fixture_report["wait_buckets"])
    assert [line[0] for line in body] == [r["level"] for r in expected]


def test_csv_semicolon_and_names(fixture_report: dict[str, Any]) -> None:
    text = to_csv(fixture_report, lang="en", delimiter=";").decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))
    fields = columns(fixture_report)
    by_key = {r[1]: dict(zip(fields, r, strict=True)) for r in rows[1:]}
    assert by_key["skck"]["name"] == "Police certificate"
    id_text = to_csv(fixture_report, lang="id").decode("utf-8-sig")
    assert ",SKCK," in id_text and "Police certificate" not in id_text


def test_bad_language_is_refused(fixture_report: dict[str, Any]) -> None:
    with pytest.raises(ValueError, match="lang"):
        to_csv(fixture_report, lang="fr")
    with pytest.raises(ValueError, match="lang"):
        to_xlsx(fixture_report, lang="")


def sheet_dicts(ws: Any) -> tuple[list[str], list[list[Any]]]:
    header, *body = [list(r) for r in ws.iter_rows(values_only=True)]
    return header, body


@pytest.mark.parametrize("lang", ["id", "en"])
def test_xlsx_round_trip(fixture_report: dict[str, Any], lang: str) -> None:
    wb = openpyxl.load_workbook(io.BytesIO(to_xlsx(fixture_report, lang=lang)))
    names = ["sheet_summary", "sheet_agency", "sheet_service", "sheet_counter",
             "sheet_officer", "sheet_hours", "sheet_waits", "sheet_ikm"]
    assert wb.sheetnames == [label(n, lang) for n in names]
    buckets = fixture_report["wait_buckets"]
    fields = columns(fixture_report)
    labels = {label(f, lang): f for f in fields}

    # per-level sheets: the figure columns
    for level, sheet in zip(("agency", "service", "counter", "officer"), names[1:5],
                            strict=True):
        header, body = sheet_dicts(wb[label(sheet, lang)])
        expected = fixture_report["levels"][level]
        assert len(body) == len(expected)
        for values, row in zip(body, expected, strict=True):
            got = {labels[h]: v for h, v in zip(header, values, strict=True)}
            assert got["issued"] == row["issued"] and got["served"] == row["served"]
            assert got["wait_p90_s"] == row["wait_p90_s"]
            if row["wait_avg_s"] is not None:
                assert got["wait_avg_s"] == pytest.approx(row["wait_avg_s"], abs=0.05)

    # arrivals per hour and wait distribution: every group of every level
    expected = all_rows(fixture_report)
    for sheet, keys in (("sheet_hours", [f"hour_{h:02d}" for h in range(24)]),
                        ("sheet_waits", [f"wait_{b}" for b in buckets])):
        header, body = sheet_dicts(wb[label(sheet, lang)])
        assert [labels[h] for h in header] == ["level", "key", "name", "agency", *keys]
        assert [v[0] for v in body] == [r["level"] for r in expected]
        for values, row in zip(body, expected, strict=True):
            want = (row["arrivals_by_hour"] if sheet == "sheet_hours"
                    else [row["wait_buckets"][b] for b in buckets])
            assert values[4:] == want

    # summary: the site's figures
    summary = dict(wb[label("sheet_summary", lang)].iter_rows(values_only=True))
    site = fixture_report["levels"]["site"][0]
    assert summary[label("issued", lang)] == site["issued"] == 13
    assert summary[label("wait_p90_s", lang)] == 2400
    assert summary[label("first_day", lang)] == "2026-11-30"
    assert summary[label("ikm_converted", lang)] == 91.67

    # IKM: site, agencies and services that had answers
    header, body = sheet_dicts(wb[label("sheet_ikm", lang)])
    assert [(v[0], v[1]) for v in body] == [("site", "t-fixture"), ("agency", "dukcapil"),
                                           ("agency", "polri"), ("service", "ktp"),
                                           ("service", "skck")]
    ktp = dict(zip(header, body[3], strict=True))
    for e in ELEMENTS:
        assert ktp[label(f"nrr_{e}", lang)] == 3.5
    assert ktp[label("ikm_converted", lang)] == 87.5
    assert ktp[label("ikm_label", lang)] == ("Baik" if lang == "id" else "Good")
    wb.close()


INJECTIONS = ['=HYPERLINK("http://127.0.0.9/x","klik")', "+cmd|' /C calc'!A0", "-2+3",
              "@SUM(A1:A9)", "\t=1+1", "\r=1+1"]


def _poisoned(report: dict[str, Any]) -> dict[str, Any]:
    """The report with names a hostile site file could carry (names are text, any text)."""
    import copy

    bad = copy.deepcopy(report)
    bad["site"]["name"] = INJECTIONS[3]
    rows_ = all_rows(bad)
    for row, text in zip(rows_[1:], INJECTIONS * len(rows_), strict=False):
        row["name"] = {"id": text, "en": text}
    return bad


@pytest.mark.parametrize("lang", ["id", "en"])
def test_csv_neutralises_formulas(fixture_report: dict[str, Any], lang: str) -> None:
    data = to_csv(_poisoned(fixture_report), lang=lang)
    cells = [c for row in csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""))
             for c in row]
    assert not [c for c in cells if c[:1] in ("=", "+", "-", "@", "\t", "\r")]
    for text in INJECTIONS:
        assert "'" + text in cells  # still readable, as text


def test_xlsx_neutralises_formulas(fixture_report: dict[str, Any]) -> None:
    wb = openpyxl.load_workbook(io.BytesIO(to_xlsx(_poisoned(fixture_report))))
    cells = [c for ws in wb.worksheets for row in ws.iter_rows() for c in row]
    assert not [c.coordinate for c in cells if c.data_type == "f"]  # not one formula
    texts = {c.value for c in cells if isinstance(c.value, str)}
    assert not [t for t in texts if t[:1] in ("=", "+", "-", "@", "\t", "\r")]
    for text in INJECTIONS:  # (XML reads a carriage return back as a line feed)
        assert "'" + text.replace("\r", "\n") in texts
