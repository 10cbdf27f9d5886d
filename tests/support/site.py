"""A small site for server tests: three always-open services, one office-hours
service, one with a small quota; eight kiosks, three counters, a display."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from queue_server import pins
from queue_server.config import SiteConfig, parse_site

TZ = ZoneInfo("Asia/Makassar")
ALWAYS = ["00:00-23:59"]
PIN_1234 = pins.hash_pin("1234", iterations=1000)  # cheap on purpose: tests sign in often


def local_ts(text: str) -> float:
    """Epoch seconds of a local Makassar time like '2026-11-30T09:00'."""
    return datetime.fromisoformat(text).replace(tzinfo=TZ).timestamp()


def small_site_data(site_id: str) -> dict[str, Any]:
    def service(sid: str, prefix: str, **extra: Any) -> dict[str, Any]:
        return {"id": sid, "agency": "dukcapil", "name_id": f"Layanan {sid}",
                "name_en": f"Service {sid}", "prefix": prefix, "schedule": "always",
                "avg_service_min": 5, **extra}

    return {
        "site": {"id": site_id, "name": "MPP Uji", "timezone": "Asia/Makassar"},
        # the per-kiosk rate limit stays on, wide enough for tests that issue hundreds of
        # tickets from one kiosk; tests/server/test_hostile.py sets its own
        "policy": {"priority_ratio": 2, "issue_burst": 2000},
        "schedules": {
            "always": dict.fromkeys(("mon", "tue", "wed", "thu", "fri", "sat", "sun"), ALWAYS),
            "office": {"mon": ["08:00-12:00", "13:00-16:00"],
                       "fri": ["08:00-11:30", "13:30-16:00"]},
        },
        "agencies": [{"id": "dukcapil", "name_id": "Disdukcapil", "name_en": "Civil Registry"}],
        "services": [
            service("ktp", "A"), service("kk", "B"), service("akta", "C"),
            service("izin", "D", schedule="office"), service("pindah", "E", daily_quota=5),
        ],
        "counters": [
            {"id": "loket-01", "name": "Loket 1", "number": 1, "agency": "dukcapil",
             "services": ["ktp", "kk"]},
            {"id": "loket-02", "name": "Loket 2", "number": 2, "agency": "dukcapil",
             "services": ["kk"]},
            {"id": "loket-03", "name": "Loket 3", "number": 3, "agency": "dukcapil",
             "services": ["akta", "ktp", "izin", "pindah"]},
        ],
        "devices": [
            *({"id": f"kiosk-{i:02d}", "role": "kiosk"} for i in range(1, 9)),
            *({"id": f"counter-{i:02d}", "role": "counter", "counters": [f"loket-{i:02d}"]}
              for i in range(1, 4)),
            {"id": "display-01", "role": "display"},
            {"id": "supervisor-01", "role": "supervisor"},
        ],
        "officers": [
            {"code": "petugas-01", "name": "Andi", "agency": "dukcapil", "pin_hash": PIN_1234},
            {"code": "petugas-02", "name": "Nurul", "agency": "dukcapil", "pin_hash": PIN_1234},
        ],
    }


def small_site(site_id: str) -> SiteConfig:
    return parse_site(small_site_data(site_id), source="tests/support/site.py")


def two_agency_site(site_id: str) -> SiteConfig:
    """The small site with a second agency (one service, one counter), so a kiosk shows
    its agency screen."""
    data = small_site_data(site_id)
    data["agencies"].append({"id": "bpjs", "name_id": "BPJS Kesehatan",
                             "name_en": "BPJS Health"})
    data["services"].append({"id": "jkn", "agency": "bpjs", "name_id": "Kartu JKN",
                             "name_en": "JKN card", "prefix": "J", "schedule": "always"})
    data["counters"].append({"id": "loket-09", "name": "Loket 9", "number": 9,
                             "agency": "bpjs", "services": ["jkn"]})
    return parse_site(data, source="tests/support/site.py")
