"""Supervisor reports from the database: figures per site, agency, service, counter and
officer plus the IKM (query.py), and their CSV / Excel exports (export.py).
See docs/reports.md."""

from queue_server.reporting.export import to_csv, to_xlsx
from queue_server.reporting.query import LEVELS, ReportError, day_report

__all__ = ["LEVELS", "ReportError", "day_report", "to_csv", "to_xlsx"]
