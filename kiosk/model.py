"""The kiosk's flow and what each screen shows (kiosk/qml), on the Qt thread: the screens
move by the transition table (screens.py); the agencies and services are list models
(lists.py) read from the retained state (choices.py); a ticket is one transaction on the
worker (tickets.py); the printer's and scanner's health go in the presence (devices.py).
Texts are codes here; the QML turns them into words in the current language."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Property, QObject, Qt, QTimer, Signal, Slot

from kiosk.choices import (
    AGENCY_KEYS,
    SERVICE_KEYS,
    agency_rows,
    kiosk_elsewhere,
    names_of,
    service_rows,
    site_value,
    weekday,
)
from kiosk.devices import DeviceHealth
from kiosk.lists import RowsModel
from kiosk.scanning import RepeatGate, verdict
from kiosk.screens import NAVIGABLE, UNTIMED, Action, Screen, next_screen
from kiosk.tickets import (
    CHECKIN,
    ISSUE,
    RETRYABLE,
    Names,
    Outcome,
    TicketJob,
    Unanswered,
    print_ticket,
    run_job,
    ticket_view,
)
from qtkit.bridge import StateBridge
from qtkit.worker import Worker
from queue_server.protocol.client import QueueClient
from queue_server.protocol.ops import PRIORITY_KINDS

log = logging.getLogger("mpp.kiosk")

PRIORITIES = ("none", *PRIORITY_KINDS)  # "none": the regular queue
IDLE_MS = 30_000  # back to welcome after this long without a touch
RESULT_MS = 10_000  # the result screen goes back to welcome by itself
RESULT_UNPRINTED_MS = 45_000  # longer when the citizen must photograph the number
# the one copy of a ticket whose print failed: "" none, offered, printing, printed, failed
# (a failed copy printed nothing: it is offered again)
COPY_OFFERED, COPY_PRINTING, COPY_PRINTED, COPY_FAILED = "offered", "printing", "printed", "failed"
ERROR_MS = 15_000
REFUSED_MS = 12_000  # a refused scan's message goes back to welcome by itself
REQUEST_TIMEOUT_S = 6.0
SLOW = 3  # large text or voice guidance: every time-out three times longer


class KioskModel(QObject):
    changed = Signal()  # the state-derived values (config, queues, server)
    screenChanged = Signal()
    ticketChanged = Signal()
    printerChanged = Signal()
    scannerChanged = Signal()
    assistChanged = Signal()  # large text, voice guidance
    copyChanged = Signal()
    elsewhereChanged = Signal()  # the kiosk to send citizens to while this one cannot print

    def __init__(self, bridge: StateBridge, client: QueueClient,
                 printer: Any | None, language: Callable[[], str],
                 parent: QObject | None = None, *, site: str = "",
                 has_scanner: bool = False,
                 open_printer: Callable[[], Any] | None = None) -> None:
        super().__init__(parent)
        self._bridge, self._client, self._language, self._site = bridge, client, language, site
        self._screen = Screen.WELCOME
        self._agency = self._service = ""
        self._busy: TicketJob | None = None  # the transaction in flight
        self._ticket: dict[str, Any] = {}
        self._print_error = self._error = ""
        self._copy = ""  # COPY_* of the ticket on the result screen
        self._copy_of: tuple[dict[str, Any], Names] | None = None  # its answer and names
        self._job_names: Names | None = None  # what the transaction in flight prints
        self._unanswered = Unanswered()
        self._repeats = RepeatGate()
        self._scan_text = ""  # the scan being checked in
        self._large = self._voice = False  # the citizen's modes, until they leave
        self._agencies = RowsModel(AGENCY_KEYS, self)
        self._services = RowsModel(SERVICE_KEYS, self)
        self.worker = Worker("mpp-kiosk-worker", self)
        self.health = DeviceHealth(bridge, self.worker, printer, has_scanner=has_scanner,
                                   may_check=lambda: self._screen is not Screen.PRINTING,
                                   parent=self)
        self.health.printerChanged.connect(self.printerChanged)
        self.health.printerChanged.connect(self.elsewhereChanged)
        self.health.scannerChanged.connect(self.scannerChanged)
        bridge.topicChanged.connect(self._on_topic)

        self.idle_ms, self.result_ms = IDLE_MS, RESULT_MS  # tests shorten them
        self.refused_ms = REFUSED_MS
        self.request_timeout_s = REQUEST_TIMEOUT_S
        self.idle_timer = self._timer(IDLE_MS, self.leave)
        self.result_timer = self._timer(RESULT_MS, self.leave)
        self.worker.start()
        self.health.start(open_printer)

    def _timer(self, ms: int, slot: Callable[[], None]) -> QTimer:
        timer = QTimer(self)
        timer.setSingleShot(True)
        timer.setTimerType(Qt.TimerType.PreciseTimer)  # coarse timers drift by 5 %
        timer.setInterval(ms)
        timer.timeout.connect(slot)
        return timer

    def close(self) -> None:
        """Stop the timers and wait for the worker (a print in progress finishes)."""
        for timer in (self.idle_timer, self.result_timer):
            timer.stop()
        self.health.close()
        self.worker.stop()

    # -- state from the bridge ------------------------------------------------------

    @Slot(str)
    def _on_topic(self, key: str) -> None:
        if key == "config" or key.startswith("device/"):
            self.elsewhereChanged.emit()
        if key in ("config", "server") or key.startswith("queue/"):
            self._agencies.replace(agency_rows(self._config(), self._queue))
            self._refresh_services()
            self.changed.emit()

    def _refresh_services(self) -> None:
        day = weekday(self._bridge.value("server"))
        self._services.replace(service_rows(self._config(), self._queue, self._agency, day))

    def _config(self) -> dict[str, Any]:
        value = self._bridge.value("config")
        return value if isinstance(value, dict) else {}

    def _queue(self, service_id: str) -> dict[str, Any]:
        value = self._bridge.value(f"queue/{service_id}")
        return value if isinstance(value, dict) else {}

    # -- the screens ------------------------------------------------------------------

    def _go(self, action: Action) -> bool:
        """Move by the transition table; False where `action` does nothing here."""
        target = next_screen(self._screen, action)
        if target is None:
            log.debug("%s ignored on %s", action, self._screen)
            return False
        self._set_screen(target)
        return True

    def _set_screen(self, screen: Screen | str) -> None:
        """Enter `screen` (the table chose it): its idle countdown; welcome starts afresh."""
        screen = Screen(screen)
        if screen is self._screen:
            return
        log.debug("screen %s -> %s", self._screen, screen)
        self._screen = screen
        self.result_timer.stop()
        self._restart_idle()
        if screen is Screen.WELCOME:
            self._agency = self._service = ""
        if screen is not Screen.RESULT:  # the copy is offered to the citizen at the kiosk
            self._copy_of = None
            self._set_copy("")
        self.screenChanged.emit()

    def _restart_idle(self) -> None:
        """The idle countdown of the screen shown; welcome has one only while a mode is on
        (it ends the mode for the next citizen)."""
        screen = self._screen
        if screen in UNTIMED and not (screen is Screen.WELCOME and self.assisted):
            self.idle_timer.stop()
            return
        idle = max(self.idle_ms, ERROR_MS) if screen is Screen.ERROR else self.idle_ms
        self.idle_timer.setInterval(idle * self.slow)
        self.idle_timer.start()

    # -- the citizen's modes: large text, voice guidance -------------------------------

    @property
    def assisted(self) -> bool:
        return self._large or self._voice

    @property
    def slow(self) -> int:
        """The factor of every time-out: SLOW while a mode is on."""
        return SLOW if self.assisted else 1

    @Slot(bool)
    def setLarge(self, on: bool) -> None:
        self._set_modes(on, self._voice)

    def set_voice(self, on: bool) -> None:
        """Voice guidance on or off (kiosk.voice drives it)."""
        self._set_modes(self._large, on)

    def _set_modes(self, large: bool, voice: bool) -> None:
        if (large, voice) == (self._large, self._voice):
            return
        self._large, self._voice = large, voice
        if self._screen is not Screen.PRINTING and not self.result_timer.isActive():
            self._restart_idle()
        self.assistChanged.emit()

    @Slot()
    def leave(self) -> None:
        """The citizen is done (Done, or a time-out): modes off for the next, welcome."""
        self._set_modes(False, False)
        self._go(Action.HOME)

    # -- navigation (called by the buttons) -------------------------------------------

    @Slot()
    def touched(self) -> None:
        """Any touch: the idle countdown starts again."""
        if self.idle_timer.isActive():
            self.idle_timer.start()

    def _elsewhere(self) -> str:
        """While this kiosk cannot print (paper out, cover open, offline, error), the name
        of another kiosk that is up and prints (device presence); else "". Citizens are
        sent there instead of taking a number here; with no such kiosk, numbers are
        issued and shown on the screen."""
        if self.health.printer_ok:
            return ""
        return kiosk_elsewhere(self._config(), lambda d: self._bridge.value(f"device/{d}"),
                               self._bridge.endpoint.device_id)

    @Slot()
    def start(self) -> None:
        self.check_printer()
        if self._elsewhere():
            log.info("start refused: the printer is out, another kiosk prints")
            return
        agencies = self._agencies.rows
        if len(agencies) == 1:  # one agency: its services at once
            self.chooseAgency(str(agencies[0]["id"]))
            return
        self._go(Action.START)

    @Slot(str)
    def chooseAgency(self, agency_id: str) -> None:
        if next_screen(self._screen, Action.CHOOSE_AGENCY) is None:
            return
        self._agency, self._service = agency_id, ""
        self._refresh_services()  # the service list is the agency's
        self._go(Action.CHOOSE_AGENCY)
        self.screenChanged.emit()  # agency names changed
        self.changed.emit()

    @Slot(str, result=bool)
    def chooseService(self, service_id: str) -> bool:
        """Only an open service can be chosen (the server decides in the end)."""
        entry = next((s for s in self._services.rows if s["id"] == service_id), None)
        if entry is None or not entry["open"] \
                or next_screen(self._screen, Action.CHOOSE_SERVICE) is None:
            return False
        self._service = service_id
        self._go(Action.CHOOSE_SERVICE)
        self.screenChanged.emit()
        return True

    @Slot(str)
    def choosePriority(self, priority: str) -> None:
        if self._busy or not self._service or priority not in PRIORITIES:
            return
        args: dict[str, Any] = {"service": self._service, "lang": self._language()}
        if priority != "none":
            args["priority"] = priority
        if self._voice:
            args["assist"] = "voice"  # the officer comes to the citizen (docs/protocol.md)
        self._begin(self._unanswered.job(ISSUE, args), Action.ISSUE)

    @Slot()
    def back(self) -> None:
        if self._screen is Screen.SERVICES and len(self._agencies.rows) == 1:
            self._go(Action.HOME)  # no agency screen to go back to
        else:
            self._go(Action.BACK)

    @Slot()
    def home(self) -> None:
        self._go(Action.HOME)

    # -- a ticket's transaction (request, then print, on the worker) ------------------

    def _begin(self, job: TicketJob, action: Action) -> None:
        """The printing screen while the job runs. The same path for walk-in tickets and
        appointment check-ins."""
        if next_screen(self._screen, action) is None:
            return
        self._busy = job
        self._ticket, self._print_error, self._error = {}, "", ""
        self.ticketChanged.emit()
        self._go(action)  # leaves the result screen: no copy offered
        names, timeout = Names.of(self._config(), self._language()), self.request_timeout_s
        self._job_names = names
        self.worker.submit(lambda: self._transaction(job, names, timeout), self._on_outcome)

    def _transaction(self, job: TicketJob, names: Names, timeout: float) -> Outcome:
        """Worker thread: reads only its arguments and the printer, never the bridge."""
        printer = self.health.printer
        outcome = run_job(job, self._client, printer, names, timeout)
        if outcome.ticket is not None and printer is not None:
            self.health.read()  # the status after printing, for the screen and the hall
        return outcome

    def _on_outcome(self, outcome: Outcome) -> None:
        if self._busy is None or outcome.job.tx != self._busy.tx:
            return
        self._busy = None
        if outcome.ticket is not None:
            self._on_issued(outcome.job, outcome.ticket, outcome.print_error)
        else:
            self._on_failed(outcome.job, outcome.error)

    def _on_issued(self, job: TicketJob, result: dict[str, Any], print_error: str) -> None:
        self._unanswered.answered(job)
        if job.checkin:  # the answer names the service
            self._repeats.hold(self._scan_text)
            self._service = str(result.get("service") or "")
            self._agency = str(result.get("agency") or "")
            self.screenChanged.emit()
        self._ticket = ticket_view(result, self._config(), print_error)
        self._print_error = print_error
        if print_error and self._job_names is not None:  # the citizen holds no whole ticket
            self._copy_of = (result, self._job_names)
            self._set_copy(COPY_OFFERED)
        self.ticketChanged.emit()
        self._go(Action.ISSUED)
        self.result_timer.setInterval(self.slow * (max(self.result_ms, RESULT_UNPRINTED_MS)
                                                   if print_error else self.result_ms))
        self.result_timer.start()
        self.idle_timer.stop()

    def _on_failed(self, job: TicketJob, code: str) -> None:
        self._error = code
        self._unanswered.failed(job, code)
        if job.checkin and code in RETRYABLE:
            self._repeats.release()  # no answer: the same code may be scanned again at once
        elif job.checkin:
            self._repeats.hold(self._scan_text)
        self.ticketChanged.emit()
        self._go(Action.CHECKIN_FAILED if job.checkin else Action.ISSUE_FAILED)
        if self._screen is Screen.REFUSED:
            self._start_refused_timer()

    # -- the one copy of a ticket whose print failed -----------------------------------

    def _set_copy(self, state: str) -> None:
        if state != self._copy:
            self._copy = state
            self.copyChanged.emit()

    @Slot()
    def reprint(self) -> None:
        """Print the copy (marked SALINAN / COPY), once: offered until one has printed."""
        if self._screen is not Screen.RESULT or self._copy not in (COPY_OFFERED, COPY_FAILED) \
                or self._copy_of is None:
            return
        result, names = self._copy_of
        self._set_copy(COPY_PRINTING)
        self.result_timer.stop()  # the citizen is here, waiting for the paper

        def job() -> str:  # worker thread
            printer = self.health.printer
            error = print_ticket(printer, result, names, copy=True)
            if printer is not None:
                self.health.read()  # the status after printing, for the screen and the hall
            return error

        self.worker.submit(job, self._on_copied)

    def _on_copied(self, error: str) -> None:
        if self._copy != COPY_PRINTING:
            return  # a new ticket began meanwhile
        if error:
            log.warning("the copy of %s was not printed: %s", self._ticket.get("number"), error)
        self._set_copy(COPY_FAILED if error else COPY_PRINTED)
        if self._screen is Screen.RESULT:
            self.result_timer.setInterval(RESULT_UNPRINTED_MS if error else self.result_ms)
            self.result_timer.start()

    # -- appointment QR scans ---------------------------------------------------------

    @Slot(str)
    def scanned(self, text: str) -> None:
        """A line from the scanner (Qt thread). Ignored while a ticket is being printed,
        and when RepeatGate calls it a re-read of the code just answered."""
        if self._busy or self._repeats.held(text):
            log.info("scan ignored (%s)", "busy" if self._busy else "repeated")
            return
        self._scan_text = text
        if self._elsewhere():  # no number here: the welcome screen names the other kiosk
            self._repeats.hold(text)
            self.refuse("printer_out")
            return
        found = verdict(text, self._site)
        if found.refusal:
            log.info("scan refused: %s", found.refusal)  # never the text: it may be personal
            self._repeats.hold(text)
            self.refuse(found.refusal)
            return
        args = {"code": found.code, "lang": self._language()}
        self._begin(self._unanswered.job(CHECKIN, args), Action.SCAN)

    def refuse(self, code: str) -> None:
        """The message screen for a refused scan; back to welcome by itself."""
        self._error = code
        self.ticketChanged.emit()
        if self._go(Action.REFUSE):
            self._start_refused_timer()

    def _start_refused_timer(self) -> None:
        self.result_timer.setInterval(self.refused_ms * self.slow)
        self.result_timer.start()

    @Slot(str)
    def scanner_failed(self, code: str) -> None:
        self.health.scanner_failed(code)

    @Slot()
    def scanner_back(self) -> None:
        self.health.scanner_back()

    # -- printer ----------------------------------------------------------------------

    @property
    def printer(self) -> Any | None:
        """The printer (opened on the worker when given as `open_printer`)."""
        return self.health.printer

    @Slot()
    def check_printer(self) -> None:
        self.health.check()

    # -- properties -------------------------------------------------------------------

    def _names(self, kind: str, wanted: str) -> dict[str, str]:
        return names_of(self._config(), kind, wanted) if wanted else {"id": "", "en": ""}

    screen = Property(str, lambda self: self._screen.value, notify=screenChanged)
    navigable = Property(bool, lambda self: self._screen in NAVIGABLE, notify=screenChanged)
    agency = Property(str, lambda self: self._agency, notify=screenChanged)
    service = Property(str, lambda self: self._service, notify=screenChanged)
    agencyName = Property("QVariantMap", lambda self: self._names("agencies", self._agency),  # type: ignore[arg-type]
                          notify=screenChanged)
    serviceName = Property("QVariantMap", lambda self: self._names("services", self._service),  # type: ignore[arg-type]
                           notify=screenChanged)
    mallName = Property(str, lambda self: site_value(self._config(), "name"), notify=changed)
    hasConfig = Property(bool, lambda self: bool(self._config().get("services")), notify=changed)
    agencies = Property(QObject, lambda self: self._agencies, constant=True)
    services = Property(QObject, lambda self: self._services, constant=True)
    ticket = Property("QVariantMap", lambda self: dict(self._ticket), notify=ticketChanged)  # type: ignore[arg-type]
    printError = Property(str, lambda self: self._print_error, notify=ticketChanged)
    copy = Property(str, lambda self: self._copy, notify=copyChanged)
    elsewhere = Property(str, lambda self: self._elsewhere(), notify=elsewhereChanged)
    error = Property(str, lambda self: self._error, notify=ticketChanged)
    printerState = Property(str, lambda self: self.health.printer_state, notify=printerChanged)
    printerOk = Property(bool, lambda self: self.health.printer_ok, notify=printerChanged)
    hasScanner = Property(bool, lambda self: self.health.has_scanner, constant=True)
    priorityKinds = Property("QVariantList", lambda self: list(PRIORITY_KINDS), constant=True)  # type: ignore[arg-type]
    scannerOk = Property(bool, lambda self: self.health.scanner_ok, notify=scannerChanged)
    large = Property(bool, lambda self: self._large, notify=assistChanged)
    voice = Property(bool, lambda self: self._voice, notify=assistChanged)
