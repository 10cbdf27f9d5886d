"""What the citizen chooses from, read from the retained state: the agencies with at least
one service, an agency's services with their queues, the names of things, and the kiosk to
go to when this one cannot print. Pure: the retained values in (state/config,
state/queue/{id}, state/server, device/{id}), plain dicts out."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from typing import Any

from kiosk.printing import wait_minutes

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
SITE_TZ_FALLBACK = timezone(timedelta(hours=8))  # before the server's clock is known

Queues = Callable[[str], dict[str, Any]]  # service id -> its state/queue value ({} if none)
Presence = Callable[[str], Any]  # device id -> its device/{id} value (None if none)
PRINTABLE = ("ready", "paper_near_end", "unknown")  # printer states that print

AGENCY_KEYS = ("id", "nameId", "nameEn", "icon", "open", "services")
SERVICE_KEYS = ("id", "nameId", "nameEn", "waiting", "waitMin", "open", "reason", "hours")


def agency_rows(config: dict[str, Any], queue: Queues) -> list[dict[str, Any]]:
    """One row per agency that has a service: its names, icon, open and all services."""
    services = config.get("services") or []
    out = []
    for agency in config.get("agencies") or []:
        mine = [s for s in services if s.get("agency") == agency.get("id")]
        if not mine:
            continue
        names = agency.get("name") or {}
        out.append({
            "id": agency.get("id"), "nameId": names.get("id", ""),
            "nameEn": names.get("en") or names.get("id", ""),
            "icon": agency.get("icon") or "",
            "open": sum(1 for s in mine if queue(str(s.get("id"))).get("open")),
            "services": len(mine),
        })
    return out


def service_rows(config: dict[str, Any], queue: Queues, agency: str,
                 day: str) -> list[dict[str, Any]]:
    """One row per service of `agency`: its queue, or why it is closed and today's hours."""
    out = []
    for service in config.get("services") or []:
        if service.get("agency") != agency:
            continue
        sid = str(service.get("id"))
        state = queue(sid)
        names = service.get("name") or {}
        reason = "" if state.get("open") else str(state.get("closed_reason") or "unknown")
        out.append({
            "id": sid, "nameId": names.get("id", ""),
            "nameEn": names.get("en") or names.get("id", ""),
            "waiting": int(state.get("waiting") or 0),
            "waitMin": wait_minutes(state.get("est_wait_s")),
            "open": bool(state.get("open")),
            "reason": reason,  # "", hours, supervisor, quota, unknown (no state yet)
            "hours": ", ".join((service.get("hours") or {}).get(day) or []),
        })
    return out


def weekday(server: Any) -> str:
    """Today in the site's time zone, by the server's clock (state/server) when known."""
    clock = server.get("clock") if isinstance(server, dict) else None
    try:
        now = datetime.fromisoformat(str(clock))
    except ValueError:
        now = datetime.now(SITE_TZ_FALLBACK)
    return DAYS[now.weekday()]


def names_of(config: dict[str, Any], kind: str, wanted: str) -> dict[str, str]:
    """{"id": Indonesian, "en": English} of an agency or service (`kind`); its id when
    the config does not name it."""
    for entry in config.get(kind) or []:
        if entry.get("id") == wanted:
            names = entry.get("name") or {}
            name_id = names.get("id", wanted)
            return {"id": name_id, "en": names.get("en") or name_id}
    return {"id": wanted, "en": wanted}


def counter_names(config: dict[str, Any]) -> dict[str, str]:
    """Counter id -> its name."""
    return {str(c.get("id")): str(c.get("name") or c.get("id"))
            for c in config.get("counters") or []}


def site_value(config: dict[str, Any], key: str) -> str:
    """A field of the config's `site` (its name), "" when absent."""
    return str((config.get("site") or {}).get(key) or "")


def kiosk_elsewhere(config: dict[str, Any], presence: Presence, me: str) -> str:
    """The name of the first other kiosk of the site (state/config `kiosks`, in the site
    file's order) that is online with a printer that prints; "" when there is none."""
    for entry in config.get("kiosks") or []:
        kiosk_id = str(entry.get("id") or "")
        seen = presence(kiosk_id) if kiosk_id and kiosk_id != me else None
        if not isinstance(seen, dict) or seen.get("status") != "online":
            continue
        printer = seen.get("printer")
        state = printer.get("state") if isinstance(printer, dict) else None
        if (state or "unknown") in PRINTABLE:
            return str(entry.get("name") or kiosk_id)
    return ""
