"""A box that looks for its server for as long as it takes (DESIGN.md: no typed address).

`Finder` keeps a zeroconf browser open and tells the setup screen what it sees; `LocatedApp`
shows that screen (qml/SetupWindow.qml, the same for every app) until one server is
clearly the box's own, then builds the app on it, and moves the app's connection when the
server moves to another box or port. Nothing here exits for want of a server."""

from __future__ import annotations

import argparse
import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any, Protocol

from PySide6.QtCore import Property, QObject, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QGuiApplication
from PySide6.QtQml import QQmlApplicationEngine

from qtkit.app import AppScreen, WindowOptions, find_item, load_window, run_app, save_grab
from qtkit.box import apply_box
from qtkit.bridge import Endpoint, StateBridge
from qtkit.cli import credentials_of, device_of, endpoint_of
from qtkit.i18n import Translations
from queue_server.protocol.discovery import (
    FOUND,
    LOOKING,
    Choice,
    DiscoveryError,
    ServerInfo,
    Watcher,
    choose,
    host_ipv4_addresses,
)
from queue_server.protocol.urls import MqttUrlError, parse_mqtt_url

log = logging.getLogger("mpp.qt.setup")

HERE = Path(__file__).resolve().parent
QML = HERE / "qml" / "SetupWindow.qml"
TS_DIR = HERE / "i18n"
CATALOG = "setup"
RETRY_MS = 5000  # mDNS not available (no network yet at boot): try again this often
# A box that does not know its site takes a server only once it has been the only one for
# this long: a second hall's server answers within ~1 s of the first (mDNS query timing),
# and a box that joined the wrong hall would serve it until someone noticed.
SETTLE_MS = 3000


class Finder(QObject):
    """What the setup screen shows (`outcome`, `sites`, `siteId`, `deviceId`, `addresses`,
    `elapsed`, `problem`) and `found(ServerInfo)` whenever the box's server is new or
    moved. Once a server is taken, the box keeps to its site."""

    changed = Signal()
    elapsedChanged = Signal()  # every second: only the clock re-renders
    found = Signal(object)  # ServerInfo, on the Qt thread
    _seen = Signal(object)  # list[ServerInfo], emitted on zeroconf's thread

    def __init__(self, site: str | None, device: str, *, interfaces: Any = None,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._site = site
        self._device = device
        self._interfaces = interfaces
        self._outcome = LOOKING
        self._sites: list[str] = []
        self._addresses: list[str] = []
        self._elapsed = 0
        self._problem = ""
        self._taken: ServerInfo | None = None
        self._watcher: Watcher | None = None
        self._seen.connect(self.seen, Qt.ConnectionType.QueuedConnection)
        self._tick = QTimer(self)
        self._tick.setInterval(1000)
        self._tick.timeout.connect(self._on_tick)
        self._retry = QTimer(self)
        self._retry.setInterval(RETRY_MS)
        self._retry.timeout.connect(self._open)
        self._servers: list[ServerInfo] = []
        self._settle = QTimer(self)
        self._settle.setSingleShot(True)
        self._settle.setInterval(SETTLE_MS)
        self._settle.timeout.connect(self._take)

    def start(self, *, look: bool = True) -> None:
        """Count the time and look (`look=False`: the screenshots feed `seen` instead)."""
        self._refresh_addresses()
        self._tick.start()
        if look:
            self._open()

    def stop(self) -> None:
        self._tick.stop()
        self._retry.stop()
        self._settle.stop()
        if self._watcher is not None:
            self._watcher.stop()
            self._watcher = None

    @Slot()
    def _open(self) -> None:
        watcher = Watcher(self._seen.emit, interfaces=self._interfaces)
        try:
            watcher.start()
        except DiscoveryError as err:
            self._set(problem=err.message)
            self._retry.start()
            return
        self._retry.stop()
        self._watcher = watcher
        self._set(problem="")

    @Slot(object)
    def seen(self, servers: list[ServerInfo]) -> None:
        """The servers on the network now (from the watcher, on the Qt thread)."""
        self._servers = servers
        if self._site is None:  # no site to go by: take nothing until the view settles
            self._show(servers)
            self._settle.start()
            return
        self._take()

    @Slot()
    def _take(self) -> None:
        choice = self._show(self._servers)
        server = choice.server
        if choice.outcome != FOUND or server is None or server == self._taken:
            return
        log.info("queue server %s: site %s on %s://%s:%d", server.name, server.site,
                 "mqtts" if server.mqtt_tls else "mqtt", server.mqtt_host, server.mqtt_port)
        self._taken = server
        self._site = server.site  # from now on only this hall's server is the box's
        self.found.emit(server)

    def _show(self, servers: list[ServerInfo]) -> Choice:
        choice = choose(servers, self._site)
        self._set(outcome=choice.outcome, sites=choice.sites)
        return choice

    @Slot()
    def _on_tick(self) -> None:
        self._elapsed += 1
        if self._elapsed % 10 == 0:  # a cable plugged in, DHCP done
            self._refresh_addresses()
        self.elapsedChanged.emit()

    def _refresh_addresses(self) -> None:
        found = [a for a in host_ipv4_addresses() if a != "127.0.0.1"]
        self._set(addresses=found)

    def _set(self, **values: Any) -> None:
        dirty = False
        for name, value in values.items():
            if getattr(self, f"_{name}") != value:
                setattr(self, f"_{name}", value)
                dirty = True
        if dirty:
            self.changed.emit()

    def _get_outcome(self) -> str:
        return self._outcome

    def _get_sites(self) -> list[str]:
        return list(self._sites)

    def _get_site_id(self) -> str:
        return self._site or ""

    def _get_device_id(self) -> str:
        return self._device

    def _get_addresses(self) -> list[str]:
        return list(self._addresses)

    def _get_elapsed(self) -> int:
        return self._elapsed

    def _get_problem(self) -> str:
        return self._problem

    outcome = Property(str, _get_outcome, notify=changed)
    sites = Property("QStringList", _get_sites, notify=changed)  # type: ignore[arg-type]  # PySide6 takes a type name
    siteId = Property(str, _get_site_id, notify=changed)
    deviceId = Property(str, _get_device_id, notify=changed)
    addresses = Property("QStringList", _get_addresses, notify=changed)  # type: ignore[arg-type]  # PySide6 takes a type name
    elapsed = Property(int, _get_elapsed, notify=elapsedChanged)
    problem = Property(str, _get_problem, notify=changed)


class BridgedScreen(AppScreen, Protocol):
    """An app whose one connection is its StateBridge (kiosk, wall, counter, console)."""

    bridge: StateBridge


class LocatedApp:
    """The setup screen, then the app `build(endpoint)` makes once the box's server is
    found; an AppScreen for run_app either way (a screenshot before the server is found
    is the setup screen)."""

    def __init__(self, args: argparse.Namespace, role: str,
                 build: Callable[[Endpoint], BridgedScreen], window: WindowOptions, *,
                 interfaces: Any = None, qm_dir: Path | None = None,
                 look: bool = True) -> None:
        self.holder = QObject()
        self._role = role
        self._build = build
        self._credentials = credentials_of(args)
        self._device = device_of(args, self._credentials)
        self.screen: BridgedScreen | None = None
        self.finder = Finder(args.site_id, self._device, interfaces=interfaces,
                             parent=self.holder)
        self.engine: QQmlApplicationEngine | None = QQmlApplicationEngine()
        self.i18n = Translations(self.engine, args.lang, ts_dir=TS_DIR, catalog=CATALOG,
                                 out_dir=qm_dir, parent=self.engine)  # gone with it
        self.window = load_window(self.engine, QML, {"finder": self.finder, "i18n": self.i18n},
                                  window)
        self.finder.found.connect(self._on_found)
        self.finder.start(look=look)
        self._fallback = _fallback_of(args, self._device, role, self._credentials)
        if self._fallback is not None and look:  # multicast may be blocked on the LAN
            QTimer.singleShot(int(args.discover_timeout * 1000), self.holder,
                              self._use_fallback)

    def _use_fallback(self) -> None:
        """No server announced itself in time: the box file's address (`mpp provision
        --box-mqtt`). A server announced later still wins: the bridge moves to it."""
        if self.screen is None and self._fallback is not None:
            log.info("no queue server announced on the LAN: using the box file's %s://%s:%d",
                     "mqtts" if self._fallback.tls else "mqtt", self._fallback.host,
                     self._fallback.port)
            self.screen = self._build(self._fallback)
            self._close_setup()

    @Slot(object)
    def _on_found(self, server: ServerInfo) -> None:
        endpoint = Endpoint(server.mqtt_host, server.mqtt_port, server.site, self._device,
                            self._role, self._credentials, server.mqtt_tls)
        if self.screen is None:
            self.screen = self._build(endpoint)  # before the setup window goes: the app
            self._close_setup()                  # would quit with its last window
        else:
            self.screen.bridge.move_to(endpoint)

    @property
    def setting_up(self) -> bool:
        """The setup screen is showing (no app yet)."""
        return self.screen is None

    def item(self, name: str) -> QObject:
        """A setup-screen item by objectName (tests, screenshots)."""
        return find_item(self.window, name)

    def has_state(self) -> bool:
        return self.screen is not None and self.screen.has_state()

    def grab(self, path: Path) -> bool:
        if self.screen is not None:
            return self.screen.grab(path)
        return save_grab(self.window, path)

    def _close_setup(self) -> None:
        if self.engine is None:
            return
        self.i18n.close()
        self.window.close()
        self.engine.deleteLater()
        self.engine = None

    def close(self) -> None:
        self.finder.stop()
        if self.screen is not None:
            self.screen.close()
        self._close_setup()
        self.holder.deleteLater()


def _fallback_of(args: argparse.Namespace, device: str, role: str,
                 credentials: Any) -> Endpoint | None:
    """The box file's static address (only a fallback: args.mqtt_fallback), if any."""
    if not (getattr(args, "mqtt_fallback", False) and args.mqtt and args.site_id):
        return None
    try:
        url = parse_mqtt_url(args.mqtt)
    except MqttUrlError as err:
        raise SystemExit(f"error: the box file's mqtt: {err}") from err
    return Endpoint(url.host, url.port, args.site_id, device, role, credentials, url.tls)


def run_located(app: QGuiApplication, args: argparse.Namespace, role: str,
                build: Callable[[Endpoint], BridgedScreen], window: WindowOptions, *,
                interfaces: Any = None) -> int:
    """Run the app `build` makes: on --mqtt with --site-id as given (the static
    configuration, no discovery), else on the server found on the LAN, behind the setup
    screen for as long as it takes."""
    screen: AppScreen
    apply_box(args)  # the box file's device, site and credentials, when the box has one
    fallback = getattr(args, "mqtt_fallback", False)  # the box file's URL: zeroconf first
    if args.mqtt is not None and args.site_id and not fallback:
        screen = build(endpoint_of(args, role))
    else:
        if args.mqtt is not None and not fallback:
            log.warning("--mqtt without --site-id is not a static address: looking for "
                        "the server on the LAN instead")
        screen = LocatedApp(args, role, build, window, interfaces=interfaces)
    return run_app(app, screen, args.screenshot)
