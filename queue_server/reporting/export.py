"""Report exports: `to_csv(report)` and `to_xlsx(report)` of a `day_report` document.

Headers come from labels.py in the chosen language ('id' default, or 'en'). Level values
(site/agency/service/counter/officer) and codes stay as they are, so a sheet can be
filtered the same way in either language. Averages are seconds rounded to 0.1 s, the share
within target is a percentage rounded to 0.1; counts are exact. Nothing is added that the
report does not hold, so the exports carry no personal data either.

Every text cell that a spreadsheet would read as a formula (starting with = + - @, a tab
or a carriage return: a name in the site file, say) is prefixed with a quote, in both
formats: opening an export never runs anything (formula injection, OWASP).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator, Mapping
from typing import Any

from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from queue_server.domain.ikm import ELEMENTS
from queue_server.reporting.figures import HOURS
from queue_server.reporting.labels import check_lang, label

ROW_FIELDS = ("level", "key", "name", "agency")
FIGURES = (
    "issued", "served", "no_shows", "transferred", "cancelled", "voided", "priority",
    "wait_avg_s", "wait_p90_s", "service_avg_s", "service_p90_s",
    "within_target", "within_target_of", "busiest_hour",
)
IKM_FIELDS = ("ikm_respondents", "ikm_index", "ikm_converted", "ikm_grade")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
ROUNDED = {"wait_avg_s": 1, "service_avg_s": 1}


def safe_cell(value: Any) -> Any:
    """A text a spreadsheet would take for a formula, quoted; anything else as it is."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def _safe_row(values: Any) -> list[Any]:
    return [safe_cell(v) for v in values]


def hour_fields() -> list[str]:
    return [f"hour_{h:02d}" for h in range(HOURS)]


def bucket_fields(report: Mapping[str, Any]) -> list[str]:
    return [f"wait_{b}" for b in report["wait_buckets"]]


def rows(report: Mapping[str, Any]) -> Iterator[dict[str, Any]]:
    """Every group of every level, in level order."""
    for level_rows in report["levels"].values():
        yield from level_rows


def _figure(row: Mapping[str, Any], field: str) -> Any:
    value = row[field]
    if value is None:
        return None
    if field == "within_target":
        return round(value * 100, 1)
    if field in ROUNDED:
        return round(value, ROUNDED[field])
    return value


def _ikm(row: Mapping[str, Any], field: str) -> Any:
    ikm = row.get("ikm")
    if ikm is None:
        return None
    return {"ikm_respondents": ikm["respondents"], "ikm_index": ikm["index"],
            "ikm_converted": ikm["converted"], "ikm_grade": ikm["grade"]}[field]


def flat_row(report: Mapping[str, Any], row: Mapping[str, Any], lang: str) -> dict[str, Any]:
    """One group as {field: value} with every export column."""
    name = row["name"][lang] if row["name"] else None
    out: dict[str, Any] = {"level": row["level"], "key": row["key"], "name": name,
                           "agency": row["agency"]}
    for field in FIGURES:
        out[field] = _figure(row, field)
    for field, bucket in zip(bucket_fields(report), report["wait_buckets"], strict=True):
        out[field] = row["wait_buckets"][bucket]
    for field, count in zip(hour_fields(), row["arrivals_by_hour"], strict=True):
        out[field] = count
    for field in IKM_FIELDS:
        out[field] = _ikm(row, field)
    return out


def columns(report: Mapping[str, Any]) -> list[str]:
    return [*ROW_FIELDS, *FIGURES, *bucket_fields(report), *hour_fields(), *IKM_FIELDS]


def to_csv(report: Mapping[str, Any], lang: str = "id", delimiter: str = ",") -> bytes:
    """One row per group with a `level` column; UTF-8 with a BOM so Excel reads it as
    UTF-8. Use delimiter=';' for an Excel set to Indonesian (decimal comma) regional
    settings, which splits CSV columns on semicolons."""
    check_lang(lang)
    fields = columns(report)
    buf = io.StringIO(newline="")
    writer = csv.writer(buf, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(_safe_row(label(f, lang) for f in fields))
    for row in rows(report):
        flat = flat_row(report, row, lang)
        writer.writerow(_safe_row("" if flat[f] is None else flat[f] for f in fields))
    return buf.getvalue().encode("utf-8-sig")


def to_xlsx(report: Mapping[str, Any], lang: str = "id") -> bytes:
    """A workbook: Summary, one sheet per level (agency, service, counter, officer),
    arrivals per hour, wait distribution and IKM."""
    check_lang(lang)
    wb = Workbook()
    summary = wb.active
    summary.title = label("sheet_summary", lang)
    _summary(summary, report, lang)
    per_level = [*ROW_FIELDS, *FIGURES]
    for level in ("agency", "service", "counter", "officer"):
        ws = wb.create_sheet(label(f"sheet_{level}", lang))
        level_rows = report["levels"][level]
        _table(ws, per_level, (flat_row(report, r, lang) for r in level_rows), lang)
    everything = [flat_row(report, r, lang) for r in rows(report)]
    _table(wb.create_sheet(label("sheet_hours", lang)), [*ROW_FIELDS, *hour_fields()],
           everything, lang)
    _table(wb.create_sheet(label("sheet_waits", lang)), [*ROW_FIELDS, *bucket_fields(report)],
           everything, lang)
    _ikm_sheet(wb.create_sheet(label("sheet_ikm", lang)), report, lang)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _table(ws: Any, fields: list[str], flat_rows: Any, lang: str) -> None:
    ws.append(_safe_row(label(f, lang) for f in fields))
    for flat in flat_rows:
        ws.append(_safe_row(flat[f] for f in fields))
    ws.freeze_panes = "A2"
    for i, field in enumerate(fields, start=1):
        ws.column_dimensions[get_column_letter(i)].width = 30 if field == "name" else 14


def _summary(ws: Any, report: Mapping[str, Any], lang: str) -> None:
    ws.append(_safe_row([label("figure", lang), label("value", lang)]))
    site = report["site"]
    for field, value in (("site", site["name"]), ("timezone", site["timezone"]),
                         ("first_day", report["first_day"]),
                         ("last_day", report["last_day"]), ("days", report["days"]),
                         ("ikm_weight", report["ikm_weight"])):
        ws.append(_safe_row([label(field, lang), value]))
    flat = flat_row(report, report["levels"]["site"][0], lang)
    for field in (*FIGURES, *IKM_FIELDS):
        ws.append(_safe_row([label(field, lang), flat[field]]))
    ws.column_dimensions["A"].width = 34
    ws.column_dimensions["B"].width = 34


def _ikm_sheet(ws: Any, report: Mapping[str, Any], lang: str) -> None:
    nrr = [f"nrr_{e}" for e in ELEMENTS]
    fields = [*ROW_FIELDS, "ikm_respondents", *nrr, "ikm_index", "ikm_converted",
              "ikm_grade", "ikm_label"]
    ws.append(_safe_row(label(f, lang) for f in fields))
    for level in ("site", "agency", "service"):
        for row in report["levels"][level]:
            ikm = row.get("ikm")
            if ikm is None:
                continue
            flat = flat_row(report, row, lang)
            values = [flat[f] for f in ROW_FIELDS]
            values.append(ikm["respondents"])
            values.extend(ikm["nrr"].get(e) for e in ELEMENTS)
            values.extend([ikm["index"], ikm["converted"], ikm["grade"], ikm["label"][lang]])
            ws.append(_safe_row(values))
    ws.freeze_panes = "A2"
