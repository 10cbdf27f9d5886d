"""What the counter display shows, derived from state/counter/{id}, state/config,
state/calls (when to flash) and state/server. Status and reason are codes; the QML
turns them into words."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Property, QObject, QTimer, Signal, Slot

from counter_display.marks import public_mark
from qtkit.bridge import StateBridge
from queue_server.protocol.ops import PAUSE_REASONS

FLASH_MS = 6000  # how long a new call (or a recall) flashes

# view status: unknown (no state yet), idle (open, nobody), called, serving, paused, closed


def view_status(counter: dict[str, Any] | None) -> str:
    if not counter:
        return "unknown"
    status = counter.get("status")
    if status in ("closed", "paused"):
        return str(status)
    ticket = counter.get("ticket") or {}
    if ticket.get("status") == "called":
        return "called"
    return "serving" if ticket else "idle"


def call_key(calls: Any, counter_id: str) -> tuple[str, int, str] | None:
    """The newest entry of state/calls for this counter: changes on every call and every
    recall (a recall does not republish state/counter, so the flash follows state/calls)."""
    for call in calls if isinstance(calls, list) else []:
        if isinstance(call, dict) and call.get("counter") == counter_id:
            return (str(call.get("ticket")), int(call.get("recall_count") or 0),
                    str(call.get("at")))
    return None


class CounterModel(QObject):
    changed = Signal()
    flashingChanged = Signal()

    def __init__(self, bridge: StateBridge, counter_id: str,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._bridge, self._id = bridge, counter_id
        self._key = f"counter/{counter_id}"
        self._loaded = False
        self._last_call: tuple[str, int, str] | None = None
        self._flashing = False
        self._flash_timer = QTimer(self)
        self._flash_timer.setSingleShot(True)
        self._flash_timer.setInterval(FLASH_MS)
        self._flash_timer.timeout.connect(self._stop_flash)
        bridge.topicChanged.connect(self._on_topic)

    @Slot(str)
    def _on_topic(self, key: str) -> None:
        if key == "calls":
            self._on_calls()
        if key in (self._key, "config"):
            self.changed.emit()

    def _on_calls(self) -> None:
        key = call_key(self._bridge.value("calls"), self._id)
        if self._loaded and key is not None and key != self._last_call:
            self._set_flashing(True)
            self._flash_timer.start()
        self._last_call, self._loaded = key, True

    @Slot()
    def _stop_flash(self) -> None:
        self._set_flashing(False)

    def _set_flashing(self, value: bool) -> None:
        if value != self._flashing:
            self._flashing = value
            self.flashingChanged.emit()

    def _counter(self) -> dict[str, Any] | None:
        value = self._bridge.value(self._key)
        return value if isinstance(value, dict) else None

    def _config_entry(self) -> dict[str, Any]:
        config = self._bridge.value("config") or {}
        for entry in config.get("counters") or []:
            if entry.get("id") == self._id:
                return dict(entry)
        return {}

    def _get_name(self) -> str:
        counter = self._counter() or {}
        return str(counter.get("name") or self._config_entry().get("name") or self._id)

    def _get_number(self) -> str:
        ticket = (self._counter() or {}).get("ticket") or {}
        return str(ticket.get("number") or "")

    def _get_mark(self) -> str:
        return public_mark((self._counter() or {}).get("ticket") or {})

    def _get_status(self) -> str:
        return view_status(self._counter())

    def _get_reason(self) -> str:
        reason = (self._counter() or {}).get("reason")
        if self._get_status() != "paused":
            return ""
        return reason if reason in PAUSE_REASONS else "other"

    def _get_flashing(self) -> bool:
        return self._flashing

    counterName = Property(str, _get_name, notify=changed)
    number = Property(str, _get_number, notify=changed)
    mark = Property(str, _get_mark, notify=changed)  # "come", "priority" or ""
    status = Property(str, _get_status, notify=changed)
    reason = Property(str, _get_reason, notify=changed)
    flashing = Property(bool, _get_flashing, notify=flashingChanged)
