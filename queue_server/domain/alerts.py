"""The dashboard's alerts: the conditions of the hall a supervisor should act on. Each has a
stable key, the same for as long as the condition lasts, so an acknowledgement sticks to
it until the condition ends; when it comes back it is a new alert. Pure rules over plain
values: no broker, database or web."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum


class AlertKind(StrEnum):
    WAIT_OVER_TARGET = "wait_over_target"
    DEVICE_OFFLINE = "device_offline"
    PAPER_LOW = "paper_low"
    PAPER_OUT = "paper_out"
    PRINTER_PROBLEM = "printer_problem"
    COUNTER_PAUSED_LONG = "counter_paused_long"
    RATE_LIMITED = "rate_limited"
    CLOCK_SKEW = "clock_skew"
    OUTBOX_STALE = "outbox_stale"


PAPER_ALERT = {"near_end": AlertKind.PAPER_LOW, "out": AlertKind.PAPER_OUT}
PRINTER_ALERT_STATES = frozenset({"cover_open", "error", "offline"})
PAUSE_ALERT_S = 900.0  # a counter paused longer than this is alerted
LIMIT_ALERT_S = 600.0  # a device refused for its rate stays alerted this long after


@dataclass(frozen=True)
class Alert:
    key: str
    kind: AlertKind
    subject: str  # the service, device or counter id
    value: int | str | None = None  # seconds (waits, pauses) or the printer's state


def over_target(waiting: int, longest_wait_s: float, target_s: float) -> bool:
    """Someone waits, and the one waiting longest has waited past the service's target."""
    return waiting > 0 and longest_wait_s > target_s


def wait_alerts(service: str, over: bool, longest_wait_s: int) -> list[Alert]:
    if not over:
        return []
    return [Alert(f"wait:{service}", AlertKind.WAIT_OVER_TARGET, service, longest_wait_s)]


def device_alerts(device: str, status: str, printer_state: str | None,
                  paper: str | None) -> list[Alert]:
    """Offline; and its paper, or else a printer problem (an offline device's printer
    reads offline too: that says nothing new)."""
    found = []
    if status == "offline":
        found.append(Alert(f"offline:{device}", AlertKind.DEVICE_OFFLINE, device))
    if paper in PAPER_ALERT:
        found.append(Alert(f"paper:{device}:{paper}", PAPER_ALERT[paper], device))
    elif printer_state in PRINTER_ALERT_STATES and status != "offline":
        found.append(Alert(f"printer:{device}:{printer_state}", AlertKind.PRINTER_PROBLEM,
                           device, printer_state))
    return found


def counter_alerts(counter: str, status: str, for_s: int | None,
                   pause_alert_s: float = PAUSE_ALERT_S) -> list[Alert]:
    if status != "paused" or (for_s or 0) <= pause_alert_s:
        return []
    return [Alert(f"paused:{counter}", AlertKind.COUNTER_PAUSED_LONG, counter, for_s)]


def limit_alerts(device: str, refused: int, last_at: float, now: float,
                 window_s: float = LIMIT_ALERT_S) -> list[Alert]:
    """A device whose ticket issuing was refused for its rate (a child at the kiosk, or
    a script) lately: someone should look. `refused`: how many times, lately."""
    if refused <= 0 or now - last_at > window_s:
        return []
    return [Alert(f"limited:{device}", AlertKind.RATE_LIMITED, device, refused)]


def clock_alerts(device: str, status: str, skew_s: float | None,
                 max_s: float) -> list[Alert]:
    """An online device whose clock (its presence) is further than `max_s` from the
    server's: its screens show a wrong time, its logs lie; the hall's order does not
    depend on it (the server stamps every ticket)."""
    if status != "online" or skew_s is None or abs(skew_s) <= max_s:
        return []
    return [Alert(f"clock:{device}", AlertKind.CLOCK_SKEW, device, round(skew_s))]


def outbox_alerts(oldest_age_s: int | None, alert_after_s: int) -> list[Alert]:
    """The oldest record waiting for the city's central is older than the site's
    central.alert_after_min: the WAN, or the central, has been away too long."""
    if oldest_age_s is None or oldest_age_s <= alert_after_s:
        return []
    return [Alert("outbox:stale", AlertKind.OUTBOX_STALE, "outbox", oldest_age_s)]


def standing_acks(acks: Mapping[str, str], alerts: Iterable[Alert]) -> dict[str, str]:
    """The acknowledgements (alert key -> who) of alerts still standing: a condition that
    ends forgets its acknowledgement."""
    keys = {a.key for a in alerts}
    return {key: by for key, by in acks.items() if key in keys}
