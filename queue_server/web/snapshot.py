"""The dashboard's picture, built from what the follower last heard: one row per configured
service, counter and device, the hall's totals, and the alerts (queue_server/domain/alerts.py).
Pure functions of their arguments and the clock's `now`."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from queue_server.config import SiteConfig
from queue_server.domain.alerts import (
    Alert,
    clock_alerts,
    counter_alerts,
    device_alerts,
    limit_alerts,
    outbox_alerts,
    over_target,
    wait_alerts,
)
from queue_server.protocol.times import epoch_of

Row = dict[str, Any]


@dataclass(frozen=True)
class Heard:
    """A copy of what the follower holds, taken under its lock."""

    version: int
    connected: bool
    server: Row
    queues: Mapping[str, Row]
    counters: Mapping[str, Row]
    devices: Mapping[str, Row]  # each with last_seen and stale added by the follower
    waits: Mapping[str, tuple[float, int]]  # service -> (sum of waits s, count) today
    message: Row | None
    limited: Mapping[str, tuple[int, float]]  # device -> refusals for its rate, the last at
    outbox: Row | None = None  # the deliverer's status (wan/deliverer.py), as asked now


def service_row(svc: Any, q: Row | None, wait: tuple[float, int] | None, now: float) -> Row:
    q = q or {}
    oldest = epoch_of(q.get("oldest_at"))
    waiting = int(q.get("waiting") or 0)
    longest = max(0.0, now - oldest) if oldest is not None and waiting else 0.0
    target = svc.target_wait_min * 60
    return {"id": svc.id, "agency": svc.agency, "prefix": svc.prefix,
            "name": {"id": svc.name_id, "en": svc.name_en},
            "waiting": waiting, "priority_waiting": int(q.get("priority_waiting") or 0),
            "longest_wait_s": round(longest), "target_wait_s": target,
            "over_target": over_target(waiting, longest, target),
            "avg_wait_s": round(wait[0] / wait[1]) if wait and wait[1] else None,
            "calls_today": int(wait[1]) if wait else 0,
            "avg_service_s": q.get("avg_service_s"), "est_wait_s": q.get("est_wait_s"),
            "open": bool(q.get("open")), "closed_reason": q.get("closed_reason"),
            "issued_today": q.get("issued_today"), "quota": q.get("quota"),
            "open_counters": q.get("open_counters"), "known": bool(q)}


def counter_row(c: Any, st: Row | None, now: float) -> Row:
    st = st or {}
    ticket = st.get("ticket") or None
    since = epoch_of(st.get("since"))
    at = epoch_of((ticket or {}).get("called_at"))
    return {"id": c.id, "name": c.name, "number": c.number, "agency": c.agency,
            "services": list(c.services), "status": st.get("status", "unknown"),
            "reason": st.get("reason"), "officer": st.get("officer"),
            "for_s": round(now - since) if since is not None else None,
            "ticket": ticket.get("number") if ticket else None,
            "ticket_status": ticket.get("status") if ticket else None,
            "ticket_for_s": round(now - at) if at is not None else None}


def device_row(dev_id: str, role: str, name: str | None, st: Row | None) -> Row:
    st = st or {}
    printer = st.get("printer") if isinstance(st.get("printer"), dict) else None
    skew = st.get("clock_skew_s")
    return {"id": dev_id, "role": role, "name": name or dev_id,
            "status": st.get("status", "unknown"), "last_seen": st.get("last_seen"),
            "stale": bool(st.get("stale")),
            "clock_skew_s": round(skew) if isinstance(skew, int | float) else None,
            "printer": {"state": printer.get("state"), "paper": printer.get("paper")}
            if printer else None}


def alerts_of(services: list[Row], counters: list[Row], devices: list[Row],
              pause_alert_s: float, limited: Mapping[str, tuple[int, float]] | None = None,
              now: float = 0.0, clock_skew_max_s: float = 60.0) -> list[Alert]:
    found: list[Alert] = []
    for s in services:
        found += wait_alerts(s["id"], s["over_target"], s["longest_wait_s"])
    for d in devices:
        printer = d["printer"] or {}
        found += device_alerts(d["id"], d["status"], printer.get("state"), printer.get("paper"))
        found += clock_alerts(d["id"], d["status"], d["clock_skew_s"], clock_skew_max_s)
    for device, (refused, last_at) in sorted((limited or {}).items()):
        found += limit_alerts(device, refused, last_at, now)
    for c in counters:
        found += counter_alerts(c["id"], c["status"], c["for_s"], pause_alert_s)
    return found


def alert_rows(alerts: list[Alert], acks: Mapping[str, str]) -> list[Row]:
    return [{"key": a.key, "kind": a.kind.value, "subject": a.subject, "value": a.value,
             "acked_by": acks.get(a.key)} for a in alerts]


def picture(cfg: SiteConfig, heard: Heard, now: float,
            pause_alert_s: float) -> tuple[Row, list[Alert]]:
    """Everything the dashboard shows, and the alerts standing now: their rows, which
    carry who acknowledged them, are the caller's to fill in under "alerts"."""
    services = [service_row(s, heard.queues.get(s.id), heard.waits.get(s.id), now)
                for s in cfg.services]
    counters = [counter_row(c, heard.counters.get(c.id), now) for c in cfg.counters]
    for row in counters:  # the supervisor needs to know who sits there by name
        known = cfg.officer(row["officer"]) if row["officer"] else None
        row["officer_name"] = known.name if known else None
    devices = [device_row(d.id, d.role, d.name, heard.devices.get(d.id)) for d in cfg.devices]
    agencies = [{"id": a.id, "name": {"id": a.name_id, "en": a.name_en},
                 "services": [s for s in services if s["agency"] == a.id]}
                for a in cfg.agencies]
    totals = {"waiting": sum(s["waiting"] for s in services),
              "issued_today": sum(s["issued_today"] or 0 for s in services),
              "called_today": sum(s["calls_today"] for s in services),
              "counters_open": sum(c["status"] == "open" for c in counters),
              "counters_paused": sum(c["status"] == "paused" for c in counters)}
    snap = {"version": heard.version, "now": now, "site": cfg.site.name,
            "timezone": cfg.site.timezone, "totals": totals,
            "mqtt_connected": heard.connected,
            "server_online": heard.server.get("status") == "online",
            "agencies": agencies, "counters": counters, "devices": devices,
            "clock_skew_max_s": cfg.policy.clock_skew_max_s,
            "alerts": [], "message": heard.message, "outbox": outbox_row(heard.outbox)}
    alerts = alerts_of(services, counters, devices, pause_alert_s, heard.limited, now,
                       cfg.policy.clock_skew_max_s)
    if heard.outbox is not None:
        alerts += outbox_alerts(heard.outbox.get("oldest_age_s"),
                                int(heard.outbox.get("alert_after_s") or 0))
    return snap, alerts


def outbox_row(status: Row | None) -> Row | None:
    """What the status bar shows of the outbox: the WAN, the backlog and its age, the
    last delivery (no address, no error text: those are for /health and the log)."""
    if status is None:
        return None
    return {key: status.get(key) for key in ("enabled", "wan", "backlog", "oldest_age_s",
                                             "last_delivery_at", "error", "alert")}
