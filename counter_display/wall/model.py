"""What the hall wall shows, derived from the retained state of one zone: the calls
(state/calls), who is served where (state/counter/*), people waiting per service
(state/queue/*), the server clock (the bridge's measure of it) and the running text
(state/message). Pure functions first (testable without Qt), then the QObject for QML."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from PySide6.QtCore import Property, QObject, QTimer, Signal, Slot

from counter_display.announcer.zones import counter_table, zone_counters
from qtkit.bridge import StateBridge

RECENT_KEPT = 6  # rows of the latest-calls list (besides the big one)
DEFAULT_TZ = "Asia/Makassar"


# --------------------------------------------------------------------------- pure helpers


def zone_name(config: dict[str, Any] | None, zone: str | None) -> str:
    for entry in (config or {}).get("zones") or []:
        if zone and entry.get("id") == zone:
            return str(entry.get("name") or zone)
    return ""


def zone_calls(calls: Any, counters: list[str]) -> list[dict[str, Any]]:
    """The entries of state/calls for the zone's counters, newest first."""
    wanted = set(counters)
    return [dict(c) for c in calls if isinstance(c, dict) and c.get("counter") in wanted] \
        if isinstance(calls, list) else []


def counter_number(call: dict[str, Any], table: dict[str, tuple[int, str | None]]) -> int:
    if call.get("counter_number") is not None:
        return int(call["counter_number"])
    entry = table.get(str(call.get("counter")))
    if entry:
        return entry[0]
    digits = "".join(ch for ch in str(call.get("counter", "")) if ch.isdigit())
    return int(digits) if digits else 0


def call_row(call: dict[str, Any], table: dict[str, tuple[int, str | None]]) -> dict[str, Any]:
    return {"number": str(call.get("number") or ""), "counter": str(call.get("counter") or ""),
            "counterNumber": counter_number(call, table),
            "recall": int(call.get("recall_count") or call.get("recalls") or 0),
            "ticket": str(call.get("ticket") or call.get("id") or "")}


def counter_rows(state: Any, counters: list[str],
                 table: dict[str, tuple[int, str | None]]) -> list[dict[str, Any]]:
    """One row per zone counter (`state(key)` reads one retained topic): number, name,
    status (closed/paused/idle/called/serving) and the ticket number there."""
    rows = []
    for cid in counters:
        value = state(f"counter/{cid}") or {}
        number, name = table.get(cid, (0, None))
        ticket = value.get("ticket") or {}
        status = str(value.get("status") or "closed")
        if status == "open":
            status = str(ticket.get("status") or "idle") if ticket else "idle"
            if status not in ("called", "serving"):
                status = "idle"
        rows.append({"counter": cid, "counterNumber": int(value.get("number") or number),
                     "name": str(value.get("name") or name or cid), "status": status,
                     "ticket": str(ticket.get("number") or "") if ticket else ""})
    return rows


def queue_rows(state: Any, config: dict[str, Any] | None,
               counters: list[str]) -> list[dict[str, Any]]:
    """Services served by the zone's counters (config order) with their waiting counts."""
    config = config or {}
    served: set[str] = set()
    for entry in config.get("counters") or []:
        if entry.get("id") in counters:
            served.update(entry.get("services") or [])
    rows = []
    for service in config.get("services") or []:
        sid = service.get("id")
        if sid not in served:
            continue
        queue = state(f"queue/{sid}") or {}
        names = service.get("name") or {}
        rows.append({"service": sid, "prefix": str(service.get("prefix") or ""),
                     "nameId": str(names.get("id") or sid), "nameEn": str(names.get("en") or sid),
                     "waiting": int(queue.get("waiting") or 0),
                     "open": bool(queue.get("open", False))})
    return rows


def site_zone(config: dict[str, Any] | None) -> ZoneInfo:
    name = ((config or {}).get("site") or {}).get("timezone") or DEFAULT_TZ
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo(DEFAULT_TZ)


def message_texts(message: Any) -> tuple[str, str]:
    """(id, en) of state/message; empty when there is none."""
    if not isinstance(message, dict):
        return "", ""
    text = message.get("text")
    if isinstance(text, str):
        return text, text
    if isinstance(text, dict):
        first = str(text.get("id") or text.get("en") or "")
        return first, str(text.get("en") or first)
    return "", ""


# --------------------------------------------------------------------------- QObject


class WallModel(QObject):
    """Properties for QML. `current` is the call on the big panel: the one being announced
    (set by the announcer's start hook) or else the newest call of the zone."""

    changed = Signal()
    clockChanged = Signal()
    currentChanged = Signal()

    def __init__(self, bridge: StateBridge, zone: str | None = None,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._bridge, self.zone = bridge, zone
        self._announcing: dict[str, Any] | None = None
        self._clock_timer = QTimer(self)
        self._clock_timer.setInterval(1000)
        self._clock_timer.timeout.connect(self.clockChanged)
        self._clock_timer.start()
        bridge.topicChanged.connect(self._on_topic)

    def stop(self) -> None:
        self._clock_timer.stop()

    @Slot(str)
    def _on_topic(self, key: str) -> None:
        if key == "server":
            self.clockChanged.emit()
        self.changed.emit()
        if key in ("calls", "config"):
            self.currentChanged.emit()

    # -- announcer hooks (Qt thread) --------------------------------------------------

    def set_announcing(self, row: dict[str, Any] | None) -> None:
        self._announcing = row
        self.currentChanged.emit()

    # -- derived ------------------------------------------------------------------------

    def config(self) -> dict[str, Any]:
        value = self._bridge.value("config")
        return value if isinstance(value, dict) else {}

    def counters(self) -> list[str]:
        return zone_counters(self.config(), self.zone)

    def table(self) -> dict[str, tuple[int, str | None]]:
        return counter_table(self.config())

    def calls(self) -> list[dict[str, Any]]:
        table = self.table()
        return [call_row(c, table) for c in zone_calls(self._bridge.value("calls"),
                                                       self.counters())]

    def _get_current(self) -> dict[str, Any]:
        if self._announcing is not None:
            return dict(self._announcing)
        calls = self.calls()
        return calls[0] if calls else {}

    def _get_announcing(self) -> bool:
        return self._announcing is not None

    def _get_recent(self) -> list[dict[str, Any]]:
        current = self._get_current()
        rows = [c for c in self.calls()
                if (c["ticket"], c["recall"], c["counter"])
                != (current.get("ticket"), current.get("recall"), current.get("counter"))]
        return rows[:RECENT_KEPT]

    def _get_counter_rows(self) -> list[dict[str, Any]]:
        return counter_rows(self._bridge.value, self.counters(), self.table())

    def _get_queue_rows(self) -> list[dict[str, Any]]:
        return queue_rows(self._bridge.value, self.config(), self.counters())

    def _get_site_name(self) -> str:
        return str((self.config().get("site") or {}).get("name") or "")

    def _get_zone_name(self) -> str:
        return zone_name(self.config(), self.zone)

    def _now(self) -> datetime:
        """The server's clock (measured by the bridge), not this box's: a wall that booted
        with a wrong time still shows the hall's."""
        return datetime.fromtimestamp(self._bridge.server_now(), site_zone(self.config()))

    def _get_clock(self) -> str:
        return self._now().strftime("%H:%M")

    def _get_date(self) -> list[int]:
        now = self._now()
        return [now.weekday(), now.day, now.month - 1, now.year]

    def _get_message_id(self) -> str:
        return message_texts(self._bridge.value("message"))[0]

    def _get_message_en(self) -> str:
        return message_texts(self._bridge.value("message"))[1]

    current = Property("QVariantMap", _get_current, notify=currentChanged)  # type: ignore[arg-type]
    announcing = Property(bool, _get_announcing, notify=currentChanged)
    recent = Property("QVariantList", _get_recent, notify=currentChanged)  # type: ignore[arg-type]
    counterRows = Property("QVariantList", _get_counter_rows, notify=changed)  # type: ignore[arg-type]
    queueRows = Property("QVariantList", _get_queue_rows, notify=changed)  # type: ignore[arg-type]
    siteName = Property(str, _get_site_name, notify=changed)
    zoneName = Property(str, _get_zone_name, notify=changed)
    clock = Property(str, _get_clock, notify=clockChanged)
    date = Property("QVariantList", _get_date, notify=clockChanged)  # type: ignore[arg-type]
    messageId = Property(str, _get_message_id, notify=changed)
    messageEn = Property(str, _get_message_en, notify=changed)
