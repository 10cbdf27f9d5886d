"""Reports and their exports hold no personal data: no ticket ids or labels, no
appointment codes, no device ids, no officer names; officer codes only in officer rows."""

from __future__ import annotations

import csv
import io
import json
import random
from typing import Any

import openpyxl
from sqlalchemy import Engine

from queue_server.config import default_site_path, load_site
from queue_server.reporting import day_report, to_csv, to_xlsx
from tests.reporting.data import day_list, feedback_rows, insert_rows, random_day_rows


def forbidden(rows: list[dict[str, Any]]) -> set[str]:
    """Every personal or device value in the stored tickets."""
    out = set()
    for r in rows:
        out.update({r["id"], r["label"], r["device"]})
        if r["appointment"]:
            out.add(r["appointment"])
    return out


def test_no_personal_data(db: Engine) -> None:
    cfg = load_site(default_site_path())
    rows = random_day_rows(cfg, day_list("2026-03-02", 2), 120, random.Random(5))
    insert_rows(db, rows, feedback_rows(cfg, rows, random.Random(6)))
    report = day_report(db, cfg, "2026-03-02", "2026-03-03")
    secrets = forbidden(rows)
    assert any(s.startswith("APPT-") for s in secrets)
    assert any(s.startswith("kiosk-") for s in secrets)
    officer_codes = {o.code for o in cfg.officers}
    officer_names = {o.name for o in cfg.officers}
    assert {r["key"] for r in report["levels"]["officer"]} <= officer_codes
    assert report["levels"]["officer"], "the data must have officers to test with"

    def check_text(text: str, where: str) -> None:
        for secret in secrets | officer_names:
            assert secret not in text, f"{secret!r} in {where}"

    # the JSON document: officer codes only in the officer level
    check_text(json.dumps(report), "report")
    for level, level_rows in report["levels"].items():
        if level == "officer":
            continue
        for row in level_rows:
            text = json.dumps(row)
            assert not any(code in text for code in officer_codes), (level, row["key"])

    # CSV: officer codes only on officer lines
    for lang in ("id", "en"):
        text = to_csv(report, lang=lang).decode("utf-8-sig")
        check_text(text, f"csv {lang}")
        for line in list(csv.reader(io.StringIO(text, newline="")))[1:]:
            if line[0] != "officer":
                assert not any(code in ",".join(line) for code in officer_codes), line

    # Excel: every cell of every sheet
    wb = openpyxl.load_workbook(io.BytesIO(to_xlsx(report, lang="en")))
    for ws in wb.worksheets:
        for values in ws.iter_rows(values_only=True):
            text = " ".join("" if v is None else str(v) for v in values)
            check_text(text, ws.title)
            if values[0] != "officer":
                assert not any(code in text for code in officer_codes), (ws.title, values)
    wb.close()
