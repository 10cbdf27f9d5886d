"""What the staff console shows and does. Everything shown follows the retained state
(state/counter/{id}, state/queue/{service}, state/config, state/server); actions go through
the RequestWorker, one at a time: a second press while one is in flight is dropped, so a
nervous double press never calls two citizens. On-screen buttons and hardware keypads share
`press(button)`, which sends drivers.buttons.command_for(button, counter). A no-show who
comes back within the site's grace is listed (`returnable`, from counter.no_shows, asked
after each action and every RETURNABLE_EVERY_S) and put back at the front by
`returnTicket(id)` (counter.return)."""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import Property, QObject, QTimer, Signal, Slot

from counter_display.marks import ticket_marks
from drivers.buttons import Button, NoDirectCommand, command_for
from qtkit.bridge import StateBridge
from qtkit.worker import RequestWorker
from queue_server.protocol.ops import COUNTER_ACTIONS, OFFICER_PAUSE_REASONS, PAUSE_REASONS
from queue_server.protocol.times import epoch_of

log = logging.getLogger("mpp.console.model")

SIGNIN, CHOOSE, MAIN = "signin", "counter", "main"
RETURNABLE_EVERY_S = 30  # the list of no-shows who may come back, asked again this often


def _figure(error: dict[str, Any]) -> int:
    """The figure an error carries for the officer: the seconds to wait (`retry_after_s`
    of locked_out) or the grace in minutes (`grace_min` of grace_expired), else 0."""
    for key in ("retry_after_s", "grace_min"):
        value = error.get(key)
        if type(value) is int and value > 0:
            return value
    return 0


class ConsoleModel(QObject):
    changed = Signal()  # anything derived from the retained state
    sessionChanged = Signal()  # screen, officer, counters, chosen counter
    busyChanged = Signal()
    errorChanged = Signal()
    statsChanged = Signal()
    returnableChanged = Signal()
    elapsedChanged = Signal()
    transferRequested = Signal()  # the keypad's TRANSFER: open the service chooser
    acted = Signal(str, bool)  # op, ok: after every answer to an action

    def __init__(self, bridge: StateBridge, parent: QObject | None = None, *,
                 lang: str = "id") -> None:
        super().__init__(parent)
        self._bridge = bridge
        self._lang = lang
        self.worker = RequestWorker(lambda: bridge.client, self)
        self.worker.answered.connect(self._answered)
        self._screen = SIGNIN
        self._officer: dict[str, Any] = {}
        self._counters: list[str] = []
        self._counter = ""
        self._busy = False
        self._error_code, self._error_seconds, self._notice = "", 0, ""
        self._stats: dict[str, Any] = {}
        self._returnable: list[dict[str, Any]] = []
        self._notice_arg = ""  # the number a notice names (a ticket back in the queue)
        self._ticks = 0
        self.last_result: dict[str, Any] | None = None
        self._tick = QTimer(self)
        self._tick.setInterval(1000)
        self._tick.timeout.connect(self.elapsedChanged)
        self._tick.timeout.connect(self._every_second)
        self.changed.connect(self.elapsedChanged)
        self._tick.start()
        bridge.topicChanged.connect(self._on_topic)

    def start(self) -> None:
        self.worker.start()

    def stop(self) -> None:
        self._tick.stop()
        self.worker.stop()

    # -- state ---------------------------------------------------------------------------

    @Slot(str)
    def _on_topic(self, key: str) -> None:
        if key in ("config", "server") or key.startswith("queue/") \
                or key == f"counter/{self._counter}":
            self.changed.emit()

    def _state(self) -> dict[str, Any]:
        value = self._bridge.value(f"counter/{self._counter}") if self._counter else None
        return value if isinstance(value, dict) else {}

    def _config(self) -> dict[str, Any]:
        value = self._bridge.value("config")
        return value if isinstance(value, dict) else {}

    def _service_name(self, sid: str) -> str:
        for svc in self._config().get("services") or []:
            if svc.get("id") == sid:
                names = svc.get("name") or {}
                return str(names.get(self._lang) or names.get("id") or sid)
        return sid

    def _counter_entry(self, cid: str) -> dict[str, Any]:
        for entry in self._config().get("counters") or []:
            if entry.get("id") == cid:
                return dict(entry)
        return {}

    def _ticket(self) -> dict[str, Any]:
        ticket = self._state().get("ticket")
        return ticket if isinstance(ticket, dict) else {}

    @Slot(str)
    def set_language(self, lang: str) -> None:
        if lang != self._lang:
            self._lang = lang
            self.changed.emit()
            self.sessionChanged.emit()

    # -- actions (Qt thread) -------------------------------------------------------------

    def _submit(self, op: str, args: dict[str, Any], tag: str = "action") -> bool:
        if self._busy:
            log.info("%s dropped: an action is in flight", op)
            return False
        self._busy = True
        self.busyChanged.emit()
        self.worker.submit(tag, op, args)
        return True

    @Slot(str, str, result=bool)
    def signIn(self, officer: str, pin: str) -> bool:
        officer = officer.strip().lower()
        if not officer or not (4 <= len(pin) <= 8 and pin.isdigit()):
            self._set_error("bad_credentials")
            return False
        return self._submit("officer.signin", {"officer": officer, "pin": pin}, "signin")

    @Slot(str)
    def chooseCounter(self, counter_id: str) -> None:
        """Work at `counter_id` (one of the sign-in's counters; the server has the last
        word: a counter not assigned to this device is refused with `forbidden`)."""
        self._counter = counter_id
        self._screen = MAIN
        self._clear_error()
        self.sessionChanged.emit()
        self.changed.emit()
        self.refreshStats()

    @Slot(str, result=bool)
    def press(self, name: str) -> bool:
        """One call button, from the screen, a shortcut or a keypad."""
        if self._screen != MAIN or not self._counter:
            return False
        button = Button[name]
        try:
            op, args = command_for(button, self._counter)
        except NoDirectCommand:
            self.transferRequested.emit()
            return False
        return self._submit(op, args)

    @Slot(str, bool, result=bool)
    def transfer(self, service: str, front: bool) -> bool:
        if self._screen != MAIN or not service:
            return False
        args: dict[str, Any] = {"counter": self._counter, "service": service}
        if front:
            args["front"] = True
        return self._submit("counter.transfer", args)

    @Slot(str, result=bool)
    def pause(self, reason: str) -> bool:
        if self._screen != MAIN:
            return False
        op, args = command_for(Button.PAUSE, self._counter)
        if reason not in OFFICER_PAUSE_REASONS:
            reason = OFFICER_PAUSE_REASONS[0]
        return self._submit(op, {**args, "reason": reason})

    @Slot(result=bool)
    def resume(self) -> bool:
        """Resume a paused counter, or open a closed one."""
        return self._screen == MAIN and self._submit("counter.open", {"counter": self._counter})

    @Slot(result=bool)
    def closeCounter(self) -> bool:
        return self._screen == MAIN and self._submit("counter.close",
                                                     {"counter": self._counter})

    @Slot()
    def signOut(self) -> None:
        self.worker.submit("signout", "officer.signout", {})
        self._officer, self._counters, self._counter = {}, [], ""
        self._stats = {}
        self._set_returnable([])
        self._screen = SIGNIN
        self._clear_error()
        self.sessionChanged.emit()
        self.statsChanged.emit()
        self.changed.emit()

    @Slot()
    def refreshStats(self) -> None:
        self.worker.submit("stats", "officer.stats", {})
        self.refreshReturnable()

    @Slot()
    def refreshReturnable(self) -> None:
        if self._screen == MAIN and self._counter:
            self.worker.submit("noshows", "counter.no_shows", {"counter": self._counter})

    def _every_second(self) -> None:
        self._ticks += 1
        if self._ticks % RETURNABLE_EVERY_S == 0:
            self.refreshReturnable()  # the grace runs out by itself

    @Slot(str, result=bool)
    def returnTicket(self, ticket_id: str) -> bool:
        """A no-show who came back goes to the front of the queue, same number."""
        if self._screen != MAIN or not ticket_id:
            return False
        return self._submit("counter.return", {"counter": self._counter,
                                               "ticket": ticket_id})

    @Slot()
    def dismissError(self) -> None:
        self._clear_error()

    # -- answers (Qt thread, queued from the worker) -------------------------------------

    @Slot(str, str, object, object)
    def _answered(self, tag: str, op: str, result: Any, error: Any) -> None:
        if tag == "stats":
            if result is not None:
                self._stats = dict(result)
                self.statsChanged.emit()
            return
        if tag == "signout":
            return
        if tag == "noshows":
            if self._screen != MAIN:
                return  # signed out meanwhile
            rows = (result or {}).get("tickets") if error is None else []
            self._set_returnable(rows if isinstance(rows, list) else [])
            return
        self._busy = False
        self.busyChanged.emit()
        self.last_result = result
        if error is not None:
            self._set_error(str(error.get("code")), _figure(error))
            self.acted.emit(op, False)
            if op in COUNTER_ACTIONS:
                self.refreshStats()
            return
        self._clear_error()
        if tag == "signin":
            self._signed_in(result)
        elif op == "counter.call_next" and not result.get("ticket"):
            self._set_notice("nobody_waiting")
        elif op == "counter.return":
            self._set_notice("returned", str((result.get("ticket") or {}).get("number") or ""))
        if op in COUNTER_ACTIONS:
            self.refreshStats()
        self.acted.emit(op, True)

    def _signed_in(self, result: dict[str, Any]) -> None:
        self._officer = dict(result.get("officer") or {})
        self._counters = [str(c) for c in result.get("counters") or []]
        if len(self._counters) == 1:
            self.chooseCounter(self._counters[0])
            return
        self._screen = CHOOSE
        self.sessionChanged.emit()

    def _set_error(self, code: str, retry_after_s: int = 0) -> None:
        self._error_code = code
        self._error_seconds = retry_after_s
        self._notice = ""
        self.errorChanged.emit()

    def _set_notice(self, notice: str, arg: str = "") -> None:
        self._error_code, self._error_seconds, self._notice = "", 0, notice
        self._notice_arg = arg
        self.errorChanged.emit()

    def _set_returnable(self, rows: list[Any]) -> None:
        found = [{"id": str(t.get("id") or ""), "number": str(t.get("number") or ""),
                  "service": self._service_name(str(t.get("service") or "")),
                  "leftMin": max(1, -(-int(t.get("left_s") or 0) // 60))}  # rounded up
                 for t in rows if isinstance(t, dict) and t.get("id")]
        if found != self._returnable:
            self._returnable = found
            self.returnableChanged.emit()

    def _clear_error(self) -> None:
        if self._error_code or self._notice:
            self._error_code, self._error_seconds, self._notice = "", 0, ""
            self.errorChanged.emit()

    # -- properties ----------------------------------------------------------------------

    def _get_screen(self) -> str:
        return self._screen

    def _get_officer_name(self) -> str:
        return str(self._officer.get("name") or "")

    def _get_officer_code(self) -> str:
        return str(self._officer.get("code") or "")

    def _get_counters(self) -> list[dict[str, str]]:
        return [{"id": c, "name": str(self._counter_entry(c).get("name") or c)}
                for c in self._counters]

    def _get_counter_id(self) -> str:
        return self._counter

    def _get_counter_name(self) -> str:
        if not self._counter:
            return ""
        return str(self._state().get("name") or self._counter_entry(self._counter).get("name")
                   or self._counter)

    def _get_counter_status(self) -> str:
        status = self._state().get("status")
        return str(status) if status in ("open", "paused", "closed") else "unknown"

    def _get_pause_reason(self) -> str:
        state = self._state()
        if state.get("status") != "paused":
            return ""
        reason = state.get("reason")
        return reason if reason in PAUSE_REASONS else "other"

    def _get_ticket_number(self) -> str:
        return str(self._ticket().get("number") or "")

    def _get_ticket_service(self) -> str:
        sid = self._ticket().get("service")
        return self._service_name(str(sid)) if sid else ""

    def _get_ticket_marks(self) -> list[str]:
        return ticket_marks(self._ticket())

    def _get_ticket_status(self) -> str:
        return str(self._ticket().get("status") or "")

    def _get_elapsed(self) -> int:
        """Seconds since the current ticket was called or started (server clock)."""
        ticket = self._ticket()
        if not ticket:
            return 0
        since = epoch_of(self._state().get("since") or ticket.get("called_at"))
        if since is None:
            return 0
        return max(0, int(self._bridge.server_now() - since))

    def _get_queues(self) -> list[dict[str, Any]]:
        services = self._state().get("services") or \
            self._counter_entry(self._counter).get("services") or []
        rows = []
        for sid in services:
            q = self._bridge.value(f"queue/{sid}") or {}
            rows.append({"id": sid, "name": self._service_name(sid),
                         "waiting": int(q.get("waiting") or 0),
                         "open": bool(q.get("open", True)),
                         "longest": int(q.get("longest_wait_s") or 0)})
        return rows

    def _get_transfer_targets(self) -> list[dict[str, str]]:
        current = self._ticket().get("service")
        return [{"id": str(s.get("id")), "name": self._service_name(str(s.get("id")))}
                for s in self._config().get("services") or [] if s.get("id") != current]

    def _get_stats(self) -> dict[str, Any]:
        return dict(self._stats)

    def _get_busy(self) -> bool:
        return self._busy

    def _get_error_code(self) -> str:
        return self._error_code

    def _get_error_seconds(self) -> int:
        return self._error_seconds

    def _get_notice(self) -> str:
        return self._notice

    def _get_pause_reasons(self) -> list[str]:
        return list(OFFICER_PAUSE_REASONS)

    screen = Property(str, _get_screen, notify=sessionChanged)
    officerName = Property(str, _get_officer_name, notify=sessionChanged)
    officerCode = Property(str, _get_officer_code, notify=sessionChanged)
    counters = Property("QVariantList", _get_counters, notify=sessionChanged)  # type: ignore[arg-type]
    counterId = Property(str, _get_counter_id, notify=sessionChanged)
    counterName = Property(str, _get_counter_name, notify=changed)
    counterStatus = Property(str, _get_counter_status, notify=changed)
    pauseReason = Property(str, _get_pause_reason, notify=changed)
    ticketNumber = Property(str, _get_ticket_number, notify=changed)
    ticketService = Property(str, _get_ticket_service, notify=changed)
    ticketStatus = Property(str, _get_ticket_status, notify=changed)
    ticketMarks = Property("QVariantList", _get_ticket_marks, notify=changed)  # type: ignore[arg-type]
    elapsed = Property(int, _get_elapsed, notify=elapsedChanged)
    queues = Property("QVariantList", _get_queues, notify=changed)  # type: ignore[arg-type]
    transferTargets = Property("QVariantList", _get_transfer_targets, notify=changed)  # type: ignore[arg-type]
    stats = Property("QVariantMap", _get_stats, notify=statsChanged)  # type: ignore[arg-type]
    busy = Property(bool, _get_busy, notify=busyChanged)
    errorCode = Property(str, _get_error_code, notify=errorChanged)
    errorSeconds = Property(int, _get_error_seconds, notify=errorChanged)
    notice = Property(str, _get_notice, notify=errorChanged)
    noticeArg = Property(str, lambda self: self._notice_arg, notify=errorChanged)
    returnable = Property("QVariantList", lambda self: list(self._returnable),  # type: ignore[arg-type]
                          notify=returnableChanged)
    pauseReasons = Property("QVariantList", _get_pause_reasons, constant=True)  # type: ignore[arg-type]
