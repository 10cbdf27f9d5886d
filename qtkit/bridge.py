"""StateBridge: the app's one QueueClient on paho's thread, its retained state (and, when
asked, its events) re-emitted on the Qt thread. paho callbacks only emit a signal
(thread-safe); the queued connection runs the slot on the Qt thread, so no Qt object is
ever touched from paho's thread.

One bridge per app and one client per bridge: one connection, one presence
(`device/{id}` retained), one Last Will, one reconnect loop. Whatever else in the app
talks to the broker goes through `bridge.client` or listens to `bridge.eventReceived`,
never a client of its own (two clients under one device id each carry a Last Will, and
either one dropping would show the device offline)."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import Property, QObject, Qt, QTimer, Signal, Slot

from queue_server.protocol.client import CommandError, QueueClient
from queue_server.protocol.credentials import Credentials
from queue_server.protocol.link import LinkError
from queue_server.protocol.messages import dumps
from queue_server.protocol.state import problem
from queue_server.protocol.text import printable

log = logging.getLogger("mpp.qt.bridge")

CONNECTING = "connecting"
CONNECTED = "connected"
SERVER_OFFLINE = "server_offline"
BROKER_UNREACHABLE = "broker_unreachable"
RETRY_S = 2.0  # between first-connection attempts; paho reconnects by itself afterwards
POLL_MS = 250  # how often the link's connected flag is read
CLOCK_CHECK_S = 300.0  # the device's clock against the server's, and in the presence
CLOCK_WARN_S = 60.0  # a box's own log says so past this (the server reports it too)


@dataclass(frozen=True)
class Endpoint:
    host: str
    port: int
    site: str
    device_id: str
    role: str = "display"
    credentials: Credentials | None = None  # the box's broker account; None: anonymous
    tls: bool = False  # mqtts: the broker's certificate checked against credentials.ca


class StateBridge(QObject):
    """Properties for QML: `status` (connecting / connected / server_offline /
    broker_unreachable), `online` (status == connected) and `state`, the raw retained state
    keyed by topic below `state/` ("server", "config", "counter/loket-01", ...)."""

    statusChanged = Signal()
    stateChanged = Signal()
    topicChanged = Signal(str)  # one retained topic changed (key below state/)
    eventReceived = Signal(object)  # one wire event (a dict), on the Qt thread (events=True)
    _incoming = Signal(str, object)  # emitted on paho's thread, delivered queued
    _incoming_event = Signal(object)  # same, for events

    def __init__(self, endpoint: Endpoint, parent: QObject | None = None, *,
                 events: bool = False, devices: bool = False,
                 clock: Callable[[], float] | None = None) -> None:
        """`events`: also follow `event/#` (the wall's announcements). State and events
        come through one queue, so an event is seen after the state published before it.
        `devices`: also follow the devices' presence, as keys `device/<id>` (a kiosk).
        `clock`: this box's clock (default the system's; tests give a wrong one). Every
        CLOCK_CHECK_S and after each connect it is measured against the server's (a ping:
        `server_offset_s`) and reported in the presence (`clock`), for the supervisor."""
        super().__init__(parent)
        self.endpoint = endpoint
        self._state: dict[str, Any] = {}
        self._status = CONNECTING
        self._client = QueueClient(endpoint.host, endpoint.port, endpoint.site,
                                   endpoint.device_id, endpoint.role,
                                   credentials=endpoint.credentials, tls=endpoint.tls,
                                   on_state=self._from_paho, follow_events=events,
                                   follow_devices=devices, clock=clock or time.time,
                                   on_event=self._incoming_event.emit if events else None)
        self._incoming.connect(self._apply, Qt.ConnectionType.QueuedConnection)
        self._incoming_event.connect(self.eventReceived, Qt.ConnectionType.QueuedConnection)
        self._stop = threading.Event()
        self._started = threading.Event()
        self._attempted = threading.Event()  # the first connection attempt has ended
        self._connector: threading.Thread | None = None
        self._poll = QTimer(self)
        self._poll.setInterval(POLL_MS)
        self._poll.timeout.connect(self._refresh_status)
        self._presence_lock = threading.Lock()
        self._health: dict[str, Any] = {}  # the app's own fields in device/{id}
        self._presence_sent: dict[str, Any] | None = None
        self._link_up = False
        self._clock_stop = threading.Event()
        self._clock_due = threading.Event()  # check the clock now (a connect, a test)
        self._clock_thread: threading.Thread | None = None

    # -- lifecycle ---------------------------------------------------------------------

    @property
    def client(self) -> QueueClient:
        """The MQTT client, for apps that send commands (request() blocks: call it off
        the Qt thread)."""
        return self._client

    def start(self) -> None:
        """Connect in the background: the window shows at once, whatever the broker does."""
        self._connector = threading.Thread(target=self._connect, args=(self._stop,),
                                           name="mpp-qt-connect", daemon=True)
        self._connector.start()
        self._clock_stop.clear()
        self._clock_thread = threading.Thread(target=self._keep_time, name="mpp-qt-clock",
                                              daemon=True)
        self._clock_thread.start()
        self._poll.start()

    def _connect(self, stop: threading.Event) -> None:
        while not stop.is_set():
            try:
                self._client.start(timeout=5.0)
            except LinkError as err:
                self._attempted.set()
                log.warning("broker unreachable (%s); retrying", err)
                stop.wait(RETRY_S)
                continue
            self._started.set()
            self._attempted.set()
            return

    def stop(self) -> None:
        """Stop the paho thread and the connector; idempotent."""
        self._poll.stop()
        self._stop.set()
        self._clock_stop.set()
        self._clock_due.set()
        if self._clock_thread is not None:
            self._clock_thread.join(10)
            self._clock_thread = None
        if self._connector is not None:
            self._connector.join(10)
            self._connector = None
        if self._started.is_set():
            self._started.clear()
            self._client.stop()

    def move_to(self, endpoint: Endpoint) -> None:
        """Follow the server to another broker address (it moved to another box or port):
        the same client, so whoever holds `bridge.client` keeps it. Qt thread."""
        if (endpoint.host, endpoint.port, endpoint.tls) == \
                (self.endpoint.host, self.endpoint.port, self.endpoint.tls):
            return
        if endpoint.site != self.endpoint.site:
            raise ValueError(f"a bridge of site {self.endpoint.site} cannot move to "
                             f"site {endpoint.site}")
        log.info("server moved: %s:%d -> %s:%d", self.endpoint.host, self.endpoint.port,
                 endpoint.host, endpoint.port)
        self.endpoint = endpoint
        self._stop.set()  # the connector in flight gives up; the new one has its own event
        self._stop = threading.Event()
        self._attempted.clear()
        # Off the Qt thread: leaving a broker that went away can take seconds (a TCP
        # connect to a dead host), and the screen must not freeze meanwhile.
        self._connector = threading.Thread(
            target=self._relink, args=(self._connector, endpoint, self._stop),
            name="mpp-qt-connect", daemon=True)
        self._connector.start()

    def _relink(self, previous: threading.Thread | None, endpoint: Endpoint,
                stop: threading.Event) -> None:
        """The connector of a move: after the one before it, leave, retarget, connect."""
        if previous is not None:
            previous.join()
        if self._started.is_set():
            self._started.clear()
            self._client.stop()
        if not stop.is_set():  # a later move or stop() overtook this one
            self._client.link.retarget(endpoint.host, endpoint.port, tls=endpoint.tls)
            self._connect(stop)

    # -- presence ----------------------------------------------------------------------

    def publish_presence(self, health: dict[str, Any]) -> None:
        """device/{id}: online with the app's health (the kiosk's printer and scanner),
        retained; sent when it changed, and again after every reconnect (the client's
        birth message, which carries no health, replaces it). Any thread."""
        with self._presence_lock:
            self._health = dict(health)
            self._send_presence()

    def _send_presence(self, clock: bool = False) -> None:
        """Under the presence lock. `clock`: also when the health did not change (a fresh
        clock reading)."""
        client = self._client
        message = {"role": client.role, "status": "online", **self._health}
        if not client.link.connected.is_set() or (
                not clock and (not self._health or message == self._presence_sent)):
            return
        self._presence_sent = message
        client.link.publish(client.topics.device(client.device_id),
                            dumps(client.presence(self._health)), retain=True)

    # -- the clock (its own thread: a ping waits for the server) -----------------------

    def _keep_time(self) -> None:
        while not self._clock_stop.is_set():
            if not self._client.link.connected.is_set():
                self._clock_due.wait(1.0)
                self._clock_due.clear()  # checked once connected, whatever asked for it
                continue
            try:
                offset = self._client.check_clock(cancel=self._clock_stop)
            except (CommandError, LinkError, OSError) as err:
                log.debug("clock check failed: %s", err)
            else:  # the server's own training shift (--start-at) is no fault of ours
                skew = _shift_of(self._client.state.get("server")) - offset
                if abs(skew) > CLOCK_WARN_S:
                    log.warning("this box's clock is %+.0f s off the server's", skew)
            with self._presence_lock:
                self._send_presence(clock=True)
            self._clock_due.wait(CLOCK_CHECK_S)
            self._clock_due.clear()

    def check_clock_now(self) -> None:
        """Measure the clock and report it in the presence now (after a connect; tests)."""
        self._clock_due.set()

    def server_now(self) -> float:
        """The server's clock now (epoch seconds), read off this box's clock."""
        return self._client.clock() + self.server_offset_s

    @property
    def server_offset_s(self) -> float:
        """The server's clock minus this box's: measured by the last clock check, else
        what state/server says of the server's own shift (`clock_offset_s`). Screens show
        the server's time: `server_now()`."""
        measured = self._client.server_offset_s
        return measured if measured is not None else _shift_of(self._state.get("server"))

    def _on_link(self, up: bool) -> None:
        if up == self._link_up:
            return
        self._link_up = up
        if up:
            with self._presence_lock:
                self._presence_sent = None  # the birth message replaced it
                self._send_presence()
            self._clock_due.set()  # a new connection, maybe a new server: measure again

    # -- paho thread -------------------------------------------------------------------

    def _from_paho(self, key: str, value: Any) -> None:
        self._incoming.emit(key, value)

    # -- Qt thread ---------------------------------------------------------------------

    @Slot(str, object)
    def _apply(self, key: str, value: Any) -> None:
        if (why := problem(key, value)) is not None:  # forged or malformed: keep the last
            log.warning("ignored state/%s: %s", printable(key, 60), printable(why))
            return
        if self._state.get(key, object()) == value:
            return  # the server republishes everything on reconnect: idempotent
        if value is None:
            self._state.pop(key, None)
        else:
            self._state[key] = value
        self.topicChanged.emit(key)
        self.stateChanged.emit()
        self._refresh_status()

    @Slot()
    def _refresh_status(self) -> None:
        self._on_link(self._client.link.connected.is_set())
        status = self._compute_status()
        if status != self._status:
            log.info("status %s -> %s", self._status, status)
            self._status = status
            self.statusChanged.emit()

    def _compute_status(self) -> str:
        if not self._client.link.connected.is_set():
            return BROKER_UNREACHABLE if self._attempted.is_set() else CONNECTING
        server = self._state.get("server") or {}
        return CONNECTED if server.get("status") == "online" else SERVER_OFFLINE

    def value(self, key: str) -> Any:
        """One retained topic (below `state/`), or None."""
        return self._state.get(key)

    def _get_status(self) -> str:
        return self._status

    def _get_online(self) -> bool:
        return self._status == CONNECTED

    def _get_state(self) -> dict[str, Any]:
        return dict(self._state)

    status = Property(str, _get_status, notify=statusChanged)
    online = Property(bool, _get_online, notify=statusChanged)
    state = Property("QVariantMap", _get_state, notify=stateChanged)  # type: ignore[arg-type]  # PySide6 takes a type name


def _shift_of(server: Any) -> float:
    """state/server's `clock_offset_s`: the server's clock minus the real time (training)."""
    value = server.get("clock_offset_s") if isinstance(server, dict) else None
    return float(value) if type(value) in (int, float) else 0.0
