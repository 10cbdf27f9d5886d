"""Which monitor the wall is on, following hot-plug: the configured screen (by name, e.g.
HDMI-2, or by index) when it is connected, else the primary one; back on the configured one
when it returns. Halls unplug and re-plug TVs (cleaning, power cuts, a swapped cable), and
a wall left on a laptop's own panel is a wall nobody sees."""

from __future__ import annotations

import logging
from collections.abc import Sequence

from PySide6.QtCore import QObject, Slot
from PySide6.QtGui import QGuiApplication, QScreen, QWindow

log = logging.getLogger("mpp.display.wall.screens")


def choose_screen(names: Sequence[str], primary: int, wanted: str | None) -> int | None:
    """Index of the screen to use among `names` (the connected screens, in Qt's order):
    the one named `wanted` (exactly, else ignoring case), else `wanted` as an index, else
    `primary` (else the first). None when no screen is connected."""
    if not names:
        return None
    if wanted:
        if wanted in names:
            return list(names).index(wanted)
        folded = [n.casefold() for n in names]
        if wanted.casefold() in folded:
            return folded.index(wanted.casefold())
        if wanted.isdigit() and int(wanted) < len(names):
            return int(wanted)
    return primary if 0 <= primary < len(names) else 0


class ScreenFollower(QObject):
    """Places `window` on the chosen screen now and on every screenAdded / screenRemoved /
    primaryScreenChanged. `placements` lists the screen names it moved to (tests, logs)."""

    def __init__(self, window: QWindow, wanted: str | None, *, fullscreen: bool,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.window, self.wanted, self.fullscreen = window, wanted, fullscreen
        self.placements: list[str] = []
        app = QGuiApplication.instance()
        assert isinstance(app, QGuiApplication)
        self._app = app
        app.screenAdded.connect(self.on_screens_changed)
        app.screenRemoved.connect(self.on_screen_removed)
        app.primaryScreenChanged.connect(self.on_screens_changed)
        self.place()

    def disconnect_all(self) -> None:
        for signal, slot in ((self._app.screenAdded, self.on_screens_changed),
                             (self._app.screenRemoved, self.on_screen_removed),
                             (self._app.primaryScreenChanged, self.on_screens_changed)):
            try:
                signal.disconnect(slot)
            except (RuntimeError, TypeError):
                pass

    @Slot(QScreen)
    def on_screens_changed(self, _screen: QScreen | None = None) -> None:
        self.place()

    @Slot(QScreen)
    def on_screen_removed(self, screen: QScreen) -> None:
        self.place(gone=screen)

    def target(self, gone: QScreen | None = None) -> QScreen | None:
        screens = [s for s in QGuiApplication.screens() if s is not gone]
        primary = QGuiApplication.primaryScreen()
        primary_index = screens.index(primary) if primary in screens else 0
        index = choose_screen([s.name() for s in screens], primary_index, self.wanted)
        return None if index is None else screens[index]

    def place(self, gone: QScreen | None = None) -> None:
        screen = self.target(gone)
        if screen is None:
            return  # no monitor at all: Qt keeps the window; the next screenAdded places it
        full_now = self.window.visibility() == QWindow.Visibility.FullScreen
        if self.window.screen() is screen and self.placements and (full_now or
                                                                   not self.fullscreen):
            return
        if self.wanted and not self.wanted.isdigit() and screen.name() != self.wanted:
            log.warning("screen %s not connected: the wall goes on %s", self.wanted,
                        screen.name())
        full = self.fullscreen or full_now
        if full:
            self.window.showNormal()  # a full-screen window only moves once it is normal
        self.window.setScreen(screen)
        if full:
            self.window.setGeometry(screen.geometry())
            self.window.showFullScreen()
        else:
            geometry = self.window.geometry()
            geometry.moveCenter(screen.availableGeometry().center())
            self.window.setGeometry(geometry)
        self.placements.append(screen.name())
        log.info("wall on screen %s (%dx%d)", screen.name(), screen.size().width(),
                 screen.size().height())
