"""Bootstrap shared by the Qt apps: the application object, a QML window with the size,
full-screen and cursor options, and the window grab used by --screenshot."""

from __future__ import annotations

import logging
import math
import os
import signal
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from PySide6.QtCore import QObject, Qt, QTimer, QUrl
from PySide6.QtGui import QCursor, QGuiApplication
from PySide6.QtQml import QQmlApplicationEngine
from PySide6.QtQuick import QQuickItem, QQuickWindow

from queue_server.notify import Notifier

log = logging.getLogger("mpp.qt.app")


class QmlLoadError(Exception):
    code = "qml_load_failed"


@dataclass(frozen=True)
class WindowOptions:
    size: tuple[int, int] | None = None  # None: the QML's own size
    fullscreen: bool = False
    hide_cursor: bool = True
    tile: tuple[int, int] | None = None  # (index, count): a cell of the screen, see tile_rect


def tile_rect(index: int, count: int,
              area: tuple[int, int, int, int]) -> tuple[int, int, int, int]:
    """Cell `index` (0-based) of `count` cells in a near-square grid over `area`
    (x, y, width, height), row by row: where the demo puts each of its windows, so a
    newcomer sees them all side by side rather than stacked at one corner."""
    if not 0 <= index < count:
        raise ValueError(f"tile {index + 1} of {count} does not exist")
    cols = math.ceil(math.sqrt(count))
    rows = math.ceil(count / cols)
    x, y, width, height = area
    w, h = width // cols, height // rows
    return x + (index % cols) * w, y + (index // cols) * h, w, h


def application(argv: list[str], *, offscreen: bool = False) -> QGuiApplication:
    """The process's application object, created once (tests already have one)."""
    existing = QGuiApplication.instance()
    if existing is not None:
        return existing  # type: ignore[return-value]
    if offscreen:
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    app = QGuiApplication([sys.argv[0] if sys.argv else "mpp", *argv])
    app.setOrganizationName("mpp-queue")
    return app


def load_window(engine: QQmlApplicationEngine, qml: Path, context: Mapping[str, QObject],
                opts: WindowOptions) -> QQuickWindow:
    """Load `qml` (a Window) with `context` as context properties, then size and show it.
    The engine is the caller's: install translators on it before loading."""
    for name, obj in context.items():
        engine.rootContext().setContextProperty(name, obj)
    engine.load(QUrl.fromLocalFile(str(qml)))
    roots = engine.rootObjects()
    if not roots or not isinstance(roots[0], QQuickWindow):
        raise QmlLoadError(f"{qml} did not load as a Window (see the QML warnings above)")
    window = roots[0]
    apply_options(window, opts)
    return window


def apply_options(window: QQuickWindow, opts: WindowOptions) -> None:
    if opts.size is not None:
        window.resize(*opts.size)
    if opts.tile is not None and not opts.fullscreen:
        area = window.screen().availableGeometry()
        window.setGeometry(*tile_rect(*opts.tile, (area.x(), area.y(), area.width(),
                                                   area.height())))
    if opts.hide_cursor:
        window.setCursor(QCursor(Qt.CursorShape.BlankCursor))
    if opts.fullscreen:
        window.showFullScreen()
    else:
        window.show()


def save_grab(window: QQuickWindow, path: Path) -> bool:
    """Render the window now and save it (PNG by suffix); works offscreen."""
    path.parent.mkdir(parents=True, exist_ok=True)
    return window.grabWindow().save(str(path))


def parse_tile(text: str) -> tuple[int, int]:
    """'2/4' (the second of four cells) -> (1, 4)."""
    try:
        number, count = (int(part) for part in text.split("/"))
    except ValueError as err:
        raise ValueError(f"tile must be N/COUNT like 2/4, not {text!r}") from err
    if not (1 <= number <= count <= 16):
        raise ValueError(f"tile out of range: {text!r}")
    return number - 1, count


def parse_size(text: str) -> tuple[int, int]:
    """'1280x720' -> (1280, 720)."""
    try:
        width, height = (int(part) for part in text.lower().split("x"))
    except ValueError as err:
        raise ValueError(f"size must be WIDTHxHEIGHT like 1280x720, not {text!r}") from err
    if not (100 <= width <= 8192 and 100 <= height <= 8192):
        raise ValueError(f"size out of range: {text!r}")
    return width, height


class AppScreen(Protocol):
    """What run_app needs of an app object (CounterDisplay, WallDisplay, Kiosk, ...)."""

    holder: QObject

    def has_state(self) -> bool: ...

    def grab(self, path: Path) -> bool: ...

    def close(self) -> None: ...


SCREENSHOT_WAIT_MS = 15000  # give up on the state after this long (grab what is there)
SETTLE_MS = 300  # let the window render the state before grabbing it


def run_app(app: QGuiApplication, screen: AppScreen, screenshot: str | None,
            notifier: Notifier | None = None) -> int:
    """Run the event loop; with `screenshot`, grab the window once the state is in (or
    after SCREENSHOT_WAIT_MS), save it there and quit. 1 when the grab was incomplete.
    systemd hears READY (the window is up) and watchdog pings from this loop
    (`notifier`, default from the environment: a no-op outside a unit)."""
    outcome = {"rc": 0}
    if screenshot:
        _schedule_screenshot(app, screen, Path(screenshot), outcome)
    notifier = notifier or Notifier.from_env()
    watch_loop(screen, notifier)
    # systemd stops a unit with SIGTERM: leave the loop, so the screen closes cleanly
    # (the loop's timer lets Python see the signal within a second)
    previous = signal.signal(signal.SIGTERM, lambda *_: app.quit())
    try:
        app.exec()
    finally:
        signal.signal(signal.SIGTERM, previous)
        notifier.stopping()
        screen.close()
    return outcome["rc"]


WAITING = "window up; waiting for the server's state"
SHOWING = "window up; showing the server's state"


def watch_loop(screen: AppScreen, notifier: Notifier) -> QTimer:
    """READY now (the window is shown), then a timer on the Qt main loop pings the
    watchdog and keeps STATUS true: a frozen GUI thread stops the pings."""
    shown = {"state": screen.has_state()}
    notifier.ready(SHOWING if shown["state"] else WAITING)
    timer = QTimer(screen.holder)
    # twice per ping period: a tick that comes a little early never costs a ping
    timer.setInterval(int(min(1.0, (notifier.ping_every or 2.0) / 2) * 1000))

    def tick() -> None:
        notifier.ping()
        state = screen.has_state()
        if state != shown["state"]:
            shown["state"] = state
            notifier.status(SHOWING if state else WAITING)

    timer.timeout.connect(tick)
    timer.start()
    tick()
    return timer


def _schedule_screenshot(app: QGuiApplication, screen: AppScreen, path: Path,
                         outcome: dict[str, int]) -> None:
    waited = {"ms": 0}
    poll = QTimer(screen.holder)
    poll.setInterval(100)

    def grab() -> None:
        if not screen.grab(path):
            log.error("could not save %s", path)
            outcome["rc"] = 1
        app.quit()

    def tick() -> None:
        waited["ms"] += poll.interval()
        ready = screen.has_state()
        if not ready and waited["ms"] < SCREENSHOT_WAIT_MS:
            return
        poll.stop()
        if not ready:
            log.error("no state after %d ms: grabbing anyway", SCREENSHOT_WAIT_MS)
            outcome["rc"] = 1
        QTimer.singleShot(SETTLE_MS, grab)

    poll.timeout.connect(tick)
    poll.start()


def find_visual_item(item: QQuickItem, name: str) -> QQuickItem | None:
    """`item` or the first item below it in the visual tree named `name` (Repeater
    delegates live only there, findChild does not see them)."""
    if item.objectName() == name:
        return item
    for child in item.childItems():
        found = find_visual_item(child, name)
        if found is not None:
            return found
    return None


def find_item(window: QQuickWindow, name: str) -> QObject:
    """A QML object by objectName, delegates included (tests, screenshots)."""
    found = window.findChild(QObject, name)
    if found is None:
        found = find_visual_item(window.contentItem(), name)
    if found is None:
        raise LookupError(f"no QML item named {name!r}")
    return found
