"""Reports for a chosen day or range (queue_server/reporting): the page with tables and
charts, the figures as JSON, CSV and XLSX exports, and a printable one-page daily summary.
A year of a big hall is computed by aggregate queries, so these are plain sync routes
(FastAPI runs them on its thread pool; the live dashboard is not held up)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response

from queue_server.reporting.export import to_csv, to_xlsx
from queue_server.reporting.figures import FIGURE_FIELDS
from queue_server.reporting.labels import label
from queue_server.reporting.query import ReportError, day_report
from queue_server.web.deps import Refused, Supervisor, ctx_of, lang_of
from queue_server.web.render import page

router = APIRouter()

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FIRST, LAST = "first day", "last day, inclusive (default: the first day)"


def _day(what: str) -> Any:
    """A fresh Query per parameter (one shared instance would describe only the first)."""
    return Query(default=None, pattern=r"^\d{4}-\d{2}-\d{2}$",
                 description=f"{what}: local day YYYY-MM-DD (default: today)")
TABLE_LEVELS = ("agency", "service", "counter", "officer")


def _report(request: Request, first_day: str | None, last_day: str | None
            ) -> dict[str, Any]:
    ctx = ctx_of(request)
    first = first_day or ctx.today()
    last = last_day or first
    try:
        return day_report(ctx.db, ctx.cfg, first, last)
    except ReportError as err:
        raise Refused(400, err.code, str(err)) from None


def _bars(values: list[int], labels: list[str]) -> dict[str, Any]:
    """A bar chart as numbers the template draws in SVG (no script, prints as is)."""
    top = max(values, default=0) or 1
    return {"top": max(values, default=0),
            "bars": [{"label": lab, "value": v, "height": round(92 * v / top, 1)}
                     for lab, v in zip(labels, values, strict=True)]}


def _head(field: str, lang: str) -> str:
    """The exports' column label; the pages show durations as minutes:seconds."""
    text = label(field, lang)
    if field.endswith("_s"):
        text = text.replace(" (detik)", " (mnt:dtk)").replace(" (s)", " (min:s)")
    return text


def _view(report: dict[str, Any], lang: str) -> dict[str, Any]:
    site = report["levels"]["site"][0]
    hours = site["arrivals_by_hour"]
    buckets = report["wait_buckets"]
    return {
        "report": report, "site_row": site, "fields": FIGURE_FIELDS,
        "levels": TABLE_LEVELS,
        "head": lambda field: _head(field, lang),
        "arrivals": _bars(hours, [f"{h:02d}" for h in range(24)]),
        "waits": _bars([site["wait_buckets"][b] for b in buckets], list(buckets)),
    }


@router.get("/reports", response_class=HTMLResponse,
            summary="Report page: figures, charts and IKM for a day or a range")
def reports_page(request: Request, signed: Supervisor, first_day: str | None = _day(FIRST),
                 last_day: str | None = _day(LAST)) -> Response:
    report = _report(request, first_day, last_day)
    return page(request, "reports.html", **_view(report, lang_of(request)))


@router.get("/reports/print", response_class=HTMLResponse,
            summary="Printable one-page summary of one day")
def reports_print(request: Request, signed: Supervisor, day: str | None = _day("the day")
                  ) -> Response:
    report = _report(request, day, day)
    return page(request, "report_print.html", **_view(report, lang_of(request)))


@router.get("/api/reports", summary="Report figures for a day range, as JSON")
def reports_json(request: Request, signed: Supervisor, first_day: str | None = _day(FIRST),
                 last_day: str | None = _day(LAST)) -> JSONResponse:
    return JSONResponse(_report(request, first_day, last_day))


def _download(body: bytes, media: str, report: dict[str, Any], ext: str) -> Response:
    name = f"laporan-{report['site']['id']}-{report['first_day']}_{report['last_day']}.{ext}"
    return Response(body, media_type=media,
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


@router.get("/api/reports/export.csv", response_class=Response,
            summary="Report figures for a day range, as CSV (UTF-8, one row per group)")
def reports_csv(request: Request, signed: Supervisor, first_day: str | None = _day(FIRST),
                last_day: str | None = _day(LAST)) -> Response:
    report = _report(request, first_day, last_day)
    return _download(to_csv(report, lang_of(request)), "text/csv; charset=utf-8", report,
                     "csv")


@router.get("/api/reports/export.xlsx", response_class=Response,
            summary="Report figures for a day range, as an Excel workbook")
def reports_xlsx(request: Request, signed: Supervisor, first_day: str | None = _day(FIRST),
                 last_day: str | None = _day(LAST)) -> Response:
    report = _report(request, first_day, last_day)
    return _download(to_xlsx(report, lang_of(request)), XLSX, report, "xlsx")
