"""Bootstrap shared by the Qt apps: the application object, a QML window with the size,
full-screen and cursor options, and the window grab used by --screenshot."""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QObject, Qt, QUrl
from PySide6.QtGui import QCursor, QGuiApplication
from PySide6.QtQml import QQmlApplicationEngine
from PySide6.QtQuick import QQuickWindow


class QmlLoadError(Exception):
    code = "qml_load_failed"


@dataclass(frozen=True)
class WindowOptions:
    size: tuple[int, int] | None = None  # None: the QML's own size
    fullscreen: bool = False
    hide_cursor: bool = True


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


def parse_size(text: str) -> tuple[int, int]:
    """'1280x720' -> (1280, 720)."""
    try:
        width, height = (int(part) for part in text.lower().split("x"))
    except ValueError as err:
        raise ValueError(f"size must be WIDTHxHEIGHT like 1280x720, not {text!r}") from err
    if not (100 <= width <= 8192 and 100 <= height <= 8192):
        raise ValueError(f"size out of range: {text!r}")
    return width, height
