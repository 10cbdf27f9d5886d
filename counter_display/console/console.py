"""The staff console assembled: bridge (role counter), model, translations, the QML window
and, when given, a hardware keypad whose presses go through the same `press()` as the
on-screen buttons."""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QObject, Qt, Signal, Slot
from PySide6.QtQml import QQmlApplicationEngine

from counter_display.catalogs import TS_DIR
from counter_display.console.model import ConsoleModel
from drivers.buttons import Keypad, KeypadReader, KeypadStatus, Press, PressFilter
from qtkit.app import WindowOptions, find_item, load_window, save_grab
from qtkit.bridge import Endpoint, StateBridge
from qtkit.i18n import Translations

log = logging.getLogger("mpp.console")

QML = Path(__file__).resolve().parent / "qml" / "ConsoleScreen.qml"
CATALOG = "console"



class KeypadRelay(QObject):
    """Carries presses from the reader thread to the Qt thread (queued signal)."""

    pressed = Signal(str)
    statusChanged = Signal(str)

    def on_press(self, press: Press) -> None:  # reader thread
        self.pressed.emit(press.button.name)

    def on_status(self, status: KeypadStatus, _detail: str) -> None:  # reader thread
        self.statusChanged.emit(status.value)

    @staticmethod
    def on_error(err: BaseException) -> None:  # reader thread
        log.warning("keypad: %s", err)


class StaffConsole:
    """Owns everything it starts; `close()` stops the reader, the worker, the MQTT client
    and the window."""

    def __init__(self, endpoint: Endpoint, *, lang: str = "id",
                 window: WindowOptions | None = None, qm_dir: Path | None = None,
                 keypad: Keypad | None = None, press_filter: PressFilter | None = None
                 ) -> None:
        self.holder = QObject()
        self.bridge = StateBridge(endpoint, self.holder)
        self.model = ConsoleModel(self.bridge, self.holder, lang=lang)
        self.engine = QQmlApplicationEngine()
        self.i18n = Translations(self.engine, lang, ts_dir=TS_DIR, catalog=CATALOG,
                                 out_dir=qm_dir, parent=self.holder)
        self.i18n.languageChanged.connect(lambda: self.model.set_language(self.i18n.language))
        context = {"bridge": self.bridge, "desk": self.model, "i18n": self.i18n}
        self.window = load_window(self.engine, QML, context,
                                  window or WindowOptions(size=(1280, 720), hide_cursor=False))
        self.model.start()
        self.bridge.start()
        self.relay = KeypadRelay(self.holder)
        self.relay.pressed.connect(self._keypad_pressed, Qt.ConnectionType.QueuedConnection)
        self.reader: KeypadReader | None = None
        if keypad is not None:
            self.reader = KeypadReader(keypad, self.relay.on_press, self.relay.on_error,
                                       self.relay.on_status, press_filter=press_filter)
            self.reader.start()

    @Slot(str)
    def _keypad_pressed(self, button: str) -> None:
        self.model.press(button)

    def item(self, name: str) -> QObject:
        """A QML item by objectName (tests, screenshots)."""
        return find_item(self.window, name)

    def has_state(self) -> bool:
        """Ready to be shown: connected (the sign-in screen needs no retained state)."""
        return bool(self.bridge.online)

    def grab(self, path: Path) -> bool:
        return save_grab(self.window, path)

    def close(self) -> None:
        if self.reader is not None:
            self.reader.stop()
            self.reader = None
        self.model.stop()
        self.bridge.stop()
        self.i18n.close()
        self.window.close()
        self.engine.deleteLater()
        self.holder.deleteLater()
