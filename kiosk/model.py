"""The kiosk's flow and what each screen shows, derived from the retained state
(state/config, state/queue/*, state/server) and from the worker's answers.

Screens: welcome -> agencies -> services -> priority -> printing -> result (or error).
A scanned appointment QR goes welcome (or any screen but printing) -> printing -> result,
or to "refused" with a message that returns to welcome by itself.
All blocking work (ticket.issue, printing, printer status) runs on one worker thread;
its answers come back as signals delivered on the Qt thread. Texts are codes here; the
QML turns them into words in the current language."""

from __future__ import annotations

import logging
import threading
import time
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta, timezone
from typing import Any

from PySide6.QtCore import Property, QObject, Qt, QTimer, Signal, Slot

from kiosk.printing import qr_data_url, qr_payload, slot_time, ticket_layout, wait_minutes
from kiosk.scanning import verdict
from qtkit.bridge import CONNECTED, StateBridge
from queue_server.protocol.client import CommandError, QueueClient
from queue_server.protocol.ops import PRIORITY_KINDS

log = logging.getLogger("mpp.kiosk")

SCREENS = ("welcome", "agencies", "services", "priority", "printing", "result", "error",
           "refused")
PRIORITIES = ("none", *PRIORITY_KINDS)  # "none": the regular queue
ISSUE_ERRORS = ("service_closed", "quota_full", "timeout", "unknown_service", "forbidden")
DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")

IDLE_MS = 30_000  # back to welcome after this long without a touch
RESULT_MS = 10_000  # the result screen goes back to welcome by itself
RESULT_UNPRINTED_MS = 45_000  # longer when the citizen must photograph the number
ERROR_MS = 15_000
REFUSED_MS = 12_000  # a refused scan's message goes back to welcome by itself
REPEAT_SCAN_S = 5.0  # the same code again this soon after its answer: a re-read
RETRYABLE = ("timeout", "internal_error")  # no answer: the server may have committed it
UNANSWERED_KEPT = 20  # commands without an answer, retried with their command id
WALKIN_RETRY_S = 120.0  # later, the same choice is another citizen: a new ticket
PRINTER_POLL_MS = 15_000  # printer status while idle
REQUEST_TIMEOUT_S = 6.0


class KioskModel(QObject):
    changed = Signal()  # the state-derived lists (config, queues, server)
    screenChanged = Signal()
    ticketChanged = Signal()
    printerChanged = Signal()
    scannerChanged = Signal()
    # from the worker thread, delivered queued on the Qt thread
    _issued = Signal(str, object, str)  # transaction id, result, print error code ("" = ok)
    _failed = Signal(str, str)  # transaction id, error code
    _printer_status = Signal(object)  # PrinterStatus.as_dict() or None

    def __init__(self, bridge: StateBridge, client: QueueClient,
                 printer: Any | None, language: Callable[[], str],
                 parent: QObject | None = None, *, site: str = "",
                 has_scanner: bool = False,
                 open_printer: Callable[[], Any] | None = None) -> None:
        super().__init__(parent)
        self._bridge, self._client, self._printer = bridge, client, printer
        self._site, self._has_scanner = site, has_scanner
        self._scanner_state = "ready" if has_scanner else "none"
        self._busy_op = ""
        self._busy_args: dict[str, Any] = {}
        # retry key -> (command id, args) of commands that got no answer: the same scan
        # (or the same service and priority) resends the same command, so one the server
        # did commit is answered with its ticket: no "already used", no second number
        self._unanswered: dict[str, tuple[str, dict[str, Any], float]] = {}
        self._scan_text = ""  # the scan being checked in
        self._quiet: tuple[str, float] = ("", 0.0)  # (text, until): re-reads ignored
        self._language = language
        self._screen = "welcome"
        self._agency = ""
        self._service = ""
        self._ticket: dict[str, Any] = {}
        self._print_error = ""
        self._error = ""
        self._busy_id = ""
        self._priority = "none"
        self._printer_state: dict[str, Any] | None = None
        self._no_printer: dict[str, Any] = {"state": "offline"}  # status while there is none
        self._closing = threading.Event()
        self._worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="mpp-kiosk-worker")
        self._issued.connect(self._on_issued, Qt.ConnectionType.QueuedConnection)
        self._failed.connect(self._on_failed, Qt.ConnectionType.QueuedConnection)
        self._printer_status.connect(self._on_printer_status, Qt.ConnectionType.QueuedConnection)
        bridge.topicChanged.connect(self._on_topic)
        bridge.statusChanged.connect(self._on_bridge_status)

        self.idle_ms, self.result_ms = IDLE_MS, RESULT_MS  # tests shorten them
        self.refused_ms = REFUSED_MS
        self.request_timeout_s = REQUEST_TIMEOUT_S
        self.idle_timer = self._timer(IDLE_MS, self.home)
        self.result_timer = self._timer(RESULT_MS, self.home)
        self.printer_timer = self._timer(PRINTER_POLL_MS, self.check_printer, single=False)
        self.printer_timer.start()
        if open_printer is not None:  # first job of the worker: the window need not wait
            self._worker.submit(self._open_printer, open_printer)
        self.check_printer()

    def _timer(self, ms: int, slot: Callable[[], None], *, single: bool = True) -> QTimer:
        timer = QTimer(self)
        timer.setSingleShot(single)
        timer.setTimerType(Qt.TimerType.PreciseTimer)  # coarse timers drift by 5 %
        timer.setInterval(ms)
        timer.timeout.connect(slot)
        return timer

    def close(self) -> None:
        """Stop the timers and wait for the worker (a print in progress finishes)."""
        self._closing.set()
        for timer in (self.idle_timer, self.result_timer, self.printer_timer):
            timer.stop()
        self._worker.shutdown(wait=True, cancel_futures=True)

    # -- state from the bridge ------------------------------------------------------

    @Slot(str)
    def _on_topic(self, key: str) -> None:
        if key in ("config", "server") or key.startswith("queue/"):
            self.changed.emit()

    @Slot()
    def _on_bridge_status(self) -> None:
        if str(self._bridge.status) == CONNECTED:
            self.check_printer()

    def _config(self) -> dict[str, Any]:
        value = self._bridge.value("config")
        return value if isinstance(value, dict) else {}

    def _queue(self, service_id: str) -> dict[str, Any]:
        value = self._bridge.value(f"queue/{service_id}")
        return value if isinstance(value, dict) else {}

    def _weekday(self) -> str:
        """Today in the site's time zone, by the server's clock when known."""
        server = self._bridge.value("server") or {}
        try:
            now = datetime.fromisoformat(str(server.get("clock")))
        except ValueError:
            now = datetime.now(timezone(timedelta(hours=8)))
        return DAYS[now.weekday()]

    def _get_mall(self) -> str:
        return str((self._config().get("site") or {}).get("name") or "")

    def _feedback_url(self) -> str:
        return str((self._config().get("site") or {}).get("feedback_url") or "")

    def _get_has_config(self) -> bool:
        return bool(self._config().get("services"))

    def agency_list(self) -> list[dict[str, Any]]:
        config = self._config()
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
                "open": sum(1 for s in mine if self._queue(str(s.get("id"))).get("open")),
                "services": len(mine),
            })
        return out

    def service_list(self) -> list[dict[str, Any]]:
        day = self._weekday()
        out = []
        for service in self._config().get("services") or []:
            if service.get("agency") != self._agency:
                continue
            sid = str(service.get("id"))
            queue = self._queue(sid)
            names = service.get("name") or {}
            reason = "" if queue.get("open") else str(queue.get("closed_reason") or "unknown")
            out.append({
                "id": sid, "nameId": names.get("id", ""),
                "nameEn": names.get("en") or names.get("id", ""),
                "waiting": int(queue.get("waiting") or 0),
                "waitMin": wait_minutes(queue.get("est_wait_s")),
                "open": bool(queue.get("open")),
                "reason": reason,  # "", hours, supervisor, quota, unknown (no state yet)
                "hours": ", ".join((service.get("hours") or {}).get(day) or []),
            })
        return out

    def _get_agencies(self) -> list[dict[str, Any]]:
        return self.agency_list()

    def _get_services(self) -> list[dict[str, Any]]:
        return self.service_list()

    def _names(self, kind: str, wanted: str) -> dict[str, str]:
        for entry in self._config().get(kind) or []:
            if entry.get("id") == wanted:
                names = entry.get("name") or {}
                name_id = names.get("id", wanted)
                return {"id": name_id, "en": names.get("en") or name_id}
        return {"id": wanted, "en": wanted}

    def _get_agency_names(self) -> dict[str, str]:
        return self._names("agencies", self._agency) if self._agency else {"id": "", "en": ""}

    def _get_service_names(self) -> dict[str, str]:
        return self._names("services", self._service) if self._service else {"id": "", "en": ""}

    def _counter_names(self, ids: list[Any]) -> list[str]:
        names = {c.get("id"): str(c.get("name") or c.get("id"))
                 for c in self._config().get("counters") or []}
        return [names.get(i, str(i)) for i in ids]

    # -- navigation (called by the buttons) -----------------------------------------

    def _set_screen(self, screen: str) -> None:
        if screen == self._screen:
            return
        log.debug("screen %s -> %s", self._screen, screen)
        self._screen = screen
        self.result_timer.stop()
        if screen in ("welcome", "printing", "refused"):
            self.idle_timer.stop()
        else:
            self.idle_timer.setInterval(max(self.idle_ms, ERROR_MS) if screen == "error"
                                        else self.idle_ms)
            self.idle_timer.start()
        if screen == "welcome":
            self._agency = self._service = ""
            self._priority = "none"
        self.screenChanged.emit()

    @Slot()
    def touched(self) -> None:
        """Any touch: the idle countdown starts again."""
        if self.idle_timer.isActive():
            self.idle_timer.start()

    @Slot()
    def start(self) -> None:
        self.check_printer()
        agencies = self.agency_list()
        if len(agencies) == 1:  # one agency: its services at once
            self.chooseAgency(str(agencies[0]["id"]))
            return
        self._set_screen("agencies")

    @Slot(str)
    def chooseAgency(self, agency_id: str) -> None:
        self._agency = agency_id
        self._service = ""
        self._set_screen("services")
        self.screenChanged.emit()  # agency names changed
        self.changed.emit()  # the service list is the agency's

    @Slot(str, result=bool)
    def chooseService(self, service_id: str) -> bool:
        """Only an open service can be chosen (the server decides in the end)."""
        entry = next((s for s in self.service_list() if s["id"] == service_id), None)
        if entry is None or not entry["open"]:
            return False
        self._service = service_id
        self._set_screen("priority")
        self.screenChanged.emit()
        return True

    @Slot(str)
    def choosePriority(self, priority: str) -> None:
        if self._busy_id or not self._service or priority not in PRIORITIES:
            return
        self._priority = priority
        self._issue()

    @Slot()
    def back(self) -> None:
        target = {"agencies": "welcome", "priority": "services", "error": "services"}
        if self._screen == "services":
            single = len(self.agency_list()) == 1
            self._set_screen("welcome" if single else "agencies")
        else:
            self._set_screen(target.get(self._screen, "welcome"))

    @Slot()
    def home(self) -> None:
        if self._screen != "printing":
            self._set_screen("welcome")

    # -- issuing and printing (worker thread) ---------------------------------------

    def _issue(self) -> None:
        args: dict[str, Any] = {"service": self._service, "lang": self._language()}
        if self._priority != "none":
            args["priority"] = self._priority
        tx, sent, at = self._unanswered.get(_retry_key("ticket.issue", args), ("", {}, 0.0))
        if time.monotonic() - at > WALKIN_RETRY_S:
            tx, sent = "", {}
        self._begin("ticket.issue", sent or args, tx)

    def _begin(self, op: str, args: dict[str, Any], tx: str = "") -> None:
        """One transaction (request, then print) on the worker, the printing screen
        meanwhile. The same path for walk-in tickets and appointment check-ins."""
        tx = tx or uuid.uuid4().hex
        self._busy_id, self._busy_op, self._busy_args = tx, op, args
        self._ticket, self._print_error, self._error = {}, "", ""
        self.ticketChanged.emit()
        self._set_screen("printing")
        self._worker.submit(self._transaction, tx, op, args, self._print_context())

    def _print_context(self) -> dict[str, Any]:
        """Names the ticket needs, read on the Qt thread (a check-in's service is known
        only from the answer, so every service's name is passed)."""
        config, lang = self._config(), self._language()
        services = {str(s.get("id")): self._names("services", str(s.get("id")))[lang]
                    for s in config.get("services") or []}
        agencies = {str(a.get("id")): self._names("agencies", str(a.get("id")))["id"]
                    for a in config.get("agencies") or []}
        counters = {str(c.get("id")): str(c.get("name") or c.get("id"))
                    for c in config.get("counters") or []}
        return {"mall": self._get_mall(), "agencies": agencies, "services": services,
                "counters": counters, "feedback_url": self._feedback_url()}

    def _transaction(self, tx: str, op: str, args: dict[str, Any],
                     context: dict[str, Any]) -> None:
        try:
            result = self._client.request(op, args, timeout=self.request_timeout_s,
                                          cmd_id=tx)
        except CommandError as err:
            self._failed.emit(tx, str(getattr(err.code, "value", err.code)))
            return
        except Exception:  # the number must never be lost silently: say something
            log.exception("%s failed", op)
            self._failed.emit(tx, "internal_error")
            return
        print_error = self._print(result, context)
        self._issued.emit(tx, result, print_error)

    def _print(self, ticket: dict[str, Any], context: dict[str, Any]) -> str:
        """Worker thread: reads only `context` (built on the Qt thread), never the bridge."""
        if self._printer is None:
            return "printer_offline"
        from drivers.printer import PrinterError

        names = context["counters"]
        counters = [names.get(str(c), str(c)) for c in ticket.get("counters") or []]
        service, agency = str(ticket.get("service", "")), str(ticket.get("agency", ""))
        layout = ticket_layout(ticket, mall=context["mall"],
                               agency=context["agencies"].get(agency, agency),
                               service=context["services"].get(service, service),
                               counters=counters, feedback_url=context["feedback_url"])
        try:
            self._printer.print_ticket(layout)
            code = ""
        except PrinterError as err:
            log.warning("ticket %s not printed: %s", ticket.get("number"), err)
            code = err.code
        except Exception:
            log.exception("ticket %s not printed", ticket.get("number"))
            code = "printer_error"
        self._read_printer()
        return code

    @Slot(str, object, str)
    def _on_issued(self, tx: str, result: dict[str, Any], print_error: str) -> None:
        if tx != self._busy_id:
            return
        self._busy_id = ""
        self._unanswered.pop(_retry_key(self._busy_op, self._busy_args), None)
        if self._busy_op == "appointment.checkin":  # the answer names the service
            self._quiet = (self._scan_text, time.monotonic() + REPEAT_SCAN_S)
            self._service = str(result.get("service") or "")
            self._agency = str(result.get("agency") or "")
            self.screenChanged.emit()
        counters = list(result.get("counters") or [])
        self._ticket = {
            "number": str(result.get("number", "")),
            "ahead": int(result.get("ahead") or 0),
            "waitMin": wait_minutes(result.get("est_wait_s")),
            "counters": ", ".join(self._counter_names(counters)),
            "priority": str(result.get("priority") or ""),
            "qr": qr_data_url(qr_payload(result, self._feedback_url())) if print_error else "",
            "qrPayload": qr_payload(result, self._feedback_url()),
            "id": str(result.get("id", "")),
            "slot": slot_time(result.get("appointment_slot")),
        }
        self._print_error = print_error
        self.ticketChanged.emit()
        self._set_screen("result")
        self.result_timer.setInterval(max(self.result_ms, RESULT_UNPRINTED_MS) if print_error
                                      else self.result_ms)
        self.result_timer.start()
        self.idle_timer.stop()

    @Slot(str, str)
    def _on_failed(self, tx: str, code: str) -> None:
        if tx != self._busy_id:
            return
        self._busy_id = ""
        self._error = code
        self._remember_unanswered(tx, code)
        self.ticketChanged.emit()
        self._set_screen("refused" if self._busy_op == "appointment.checkin" else "error")
        if self._screen == "refused":
            self._start_refused_timer()

    def _remember_unanswered(self, tx: str, code: str) -> None:
        key = _retry_key(self._busy_op, self._busy_args)
        self._unanswered.pop(key, None)
        if code in RETRYABLE:  # trying again must be able to resend it
            self._unanswered[key] = (tx, self._busy_args, time.monotonic())
            while len(self._unanswered) > UNANSWERED_KEPT:
                self._unanswered.pop(next(iter(self._unanswered)))
        if self._busy_op == "appointment.checkin":
            retry = code in RETRYABLE  # the same code may be scanned again at once
            self._quiet = ("", 0.0) if retry else (self._scan_text,
                                                   time.monotonic() + REPEAT_SCAN_S)

    # -- appointment QR scans ----------------------------------------------------------

    @Slot(str)
    def scanned(self, text: str) -> None:
        """A line from the scanner (Qt thread). Ignored while a ticket is being printed,
        and within REPEAT_SCAN_S of the answer to the same text (a code held under the
        scanner is read again and again; it must not replace the citizen's ticket with
        "already used"). After no answer, the same code may be scanned again at once."""
        quiet_text, until = self._quiet
        if self._busy_id or (text == quiet_text and time.monotonic() < until):
            log.info("scan ignored (%s)", "busy" if self._busy_id else "repeated")
            return
        self._scan_text = text
        found = verdict(text, self._site)
        if found.refusal:
            log.info("scan refused: %s", found.refusal)  # never the text: it may be personal
            self._quiet = (text, time.monotonic() + REPEAT_SCAN_S)
            self.refuse(found.refusal)
            return
        tx, args, _at = self._unanswered.get(_retry_key("appointment.checkin",
                                                        {"code": found.code}), ("", {}, 0.0))
        self._begin("appointment.checkin",
                    args or {"code": found.code, "lang": self._language()}, tx)

    def refuse(self, code: str) -> None:
        """The message screen for a refused scan or check-in; back to welcome by itself."""
        self._error = code
        self.ticketChanged.emit()
        self._set_screen("refused")
        self._start_refused_timer()

    def _start_refused_timer(self) -> None:
        self.result_timer.setInterval(self.refused_ms)
        self.result_timer.start()

    def _get_priority_kinds(self) -> list[str]:
        return list(PRIORITY_KINDS)

    def _get_has_scanner(self) -> bool:
        return self._has_scanner

    def _get_scanner_ok(self) -> bool:
        return self._scanner_state == "ready"

    @Slot(str)
    def scanner_failed(self, code: str) -> None:
        """The scanner went away (unplugged, not found): hide the hint, tell the hall."""
        self._set_scanner_state("unplugged" if code == "scanner_unplugged" else "absent")

    @Slot()
    def scanner_back(self) -> None:
        self._set_scanner_state("ready")

    def _set_scanner_state(self, state: str) -> None:
        if state != self._scanner_state:
            self._scanner_state = state
            self.scannerChanged.emit()
            self.check_printer()  # republishes the presence (on the worker)

    # -- printer status --------------------------------------------------------------

    @property
    def printer(self) -> Any | None:
        """The printer (opened on the worker when given as `open_printer`)."""
        return self._printer

    def _open_printer(self, opener: Callable[[], Any]) -> None:
        """Worker thread: open the printer (python-escpos is imported here, off the start
        path). A bad config or an absent printer leaves the kiosk issuing numbers on screen,
        the reason in the log and in the presence."""
        try:
            self._printer = opener()
        except Exception as err:
            code = getattr(err, "code", None) or (
                "printer_config" if isinstance(err, ValueError) else "printer_offline")
            log.error("printer unavailable (%s): %s", code, err)
            self._no_printer = {"state": "offline", "error": str(code)}

    @Slot()
    def check_printer(self) -> None:
        if self._closing.is_set() or self._screen == "printing":
            return
        try:
            self._worker.submit(self._read_printer)
        except RuntimeError:  # shut down
            pass

    def _read_printer(self) -> None:
        if self._printer is None:
            status = dict(self._no_printer)
        else:
            try:
                status = self._printer.status().as_dict()
            except Exception:  # a driver bug must not stop the kiosk
                log.exception("printer status failed")
                status = {"state": "offline"}
        self._printer_status.emit(status)
        self._publish_presence(status)

    def _publish_presence(self, printer: dict[str, Any]) -> None:
        """Worker thread: the printer's and the scanner's health in the kiosk's presence
        (the bridge sends it when it changed, and after each reconnect)."""
        health: dict[str, Any] = {"printer": printer}
        if self._has_scanner:
            health["scanner"] = {"state": self._scanner_state}
        self._bridge.publish_presence(health)

    @Slot(object)
    def _on_printer_status(self, status: dict[str, Any] | None) -> None:
        if status != self._printer_state:
            self._printer_state = status
            self.printerChanged.emit()

    def _get_printer_state(self) -> str:
        return str((self._printer_state or {}).get("state") or "unknown")

    def _get_printer_ok(self) -> bool:
        return self._get_printer_state() in ("ready", "paper_near_end", "unknown")

    # -- properties ------------------------------------------------------------------

    def _get_screen(self) -> str:
        return self._screen

    def _get_agency(self) -> str:
        return self._agency

    def _get_service(self) -> str:
        return self._service

    def _get_ticket(self) -> dict[str, Any]:
        return dict(self._ticket)

    def _get_print_error(self) -> str:
        return self._print_error

    def _get_error(self) -> str:
        return self._error

    screen = Property(str, _get_screen, notify=screenChanged)
    agency = Property(str, _get_agency, notify=screenChanged)
    service = Property(str, _get_service, notify=screenChanged)
    agencyName = Property("QVariantMap", _get_agency_names, notify=screenChanged)  # type: ignore[arg-type]
    serviceName = Property("QVariantMap", _get_service_names, notify=screenChanged)  # type: ignore[arg-type]
    mallName = Property(str, _get_mall, notify=changed)
    hasConfig = Property(bool, _get_has_config, notify=changed)
    agencies = Property("QVariantList", _get_agencies, notify=changed)  # type: ignore[arg-type]
    services = Property("QVariantList", _get_services, notify=changed)  # type: ignore[arg-type]
    ticket = Property("QVariantMap", _get_ticket, notify=ticketChanged)  # type: ignore[arg-type]
    printError = Property(str, _get_print_error, notify=ticketChanged)
    error = Property(str, _get_error, notify=ticketChanged)
    printerState = Property(str, _get_printer_state, notify=printerChanged)
    printerOk = Property(bool, _get_printer_ok, notify=printerChanged)
    hasScanner = Property(bool, _get_has_scanner, constant=True)
    priorityKinds = Property("QVariantList", _get_priority_kinds, constant=True)  # type: ignore[arg-type]
    scannerOk = Property(bool, _get_scanner_ok, notify=scannerChanged)


def _retry_key(op: str, args: dict[str, Any]) -> str:
    """Which earlier unanswered command a new one repeats: the same appointment code, or
    a walk-in ticket for the same service and priority."""
    if op == "appointment.checkin":
        return f"checkin:{args.get('code')}"
    return f"issue:{args.get('service')}:{args.get('priority') or 'none'}"
