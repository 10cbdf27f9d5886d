"""The counter display assembled: bridge, model, translations and the QML window."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject
from PySide6.QtQml import QQmlApplicationEngine

from counter_display.catalogs import TS_DIR
from counter_display.counter.model import CounterModel
from qtkit.app import WindowOptions, find_item, load_window, save_grab
from qtkit.bridge import Endpoint, StateBridge
from qtkit.i18n import Translations

QML = Path(__file__).resolve().parent / "qml" / "CounterScreen.qml"
CATALOG = "counter_display"


class CounterDisplay:
    """Owns everything it starts; `close()` stops the MQTT client and the window."""

    def __init__(self, endpoint: Endpoint, counter_id: str, *, lang: str = "id",
                 window: WindowOptions | None = None, qm_dir: Path | None = None) -> None:
        self.counter_id = counter_id
        self.holder = QObject()  # parent of the Qt objects, deleted by close()
        self.bridge = StateBridge(endpoint, self.holder)
        self.model = CounterModel(self.bridge, counter_id, self.holder)
        self.engine = QQmlApplicationEngine()  # deleted first in close(): bindings die first
        self.i18n = Translations(self.engine, lang, ts_dir=TS_DIR, catalog=CATALOG,
                                 out_dir=qm_dir, parent=self.holder)
        context = {"bridge": self.bridge, "counter": self.model, "i18n": self.i18n}
        self.window = load_window(self.engine, QML, context,
                                  window or WindowOptions(size=(1280, 720)))
        self.bridge.start()

    def has_state(self) -> bool:
        """The counter's own state, the calls and the server status have arrived (a call
        only flashes once the calls seen at start-up are known)."""
        return all(self.bridge.value(key) is not None
                   for key in (f"counter/{self.counter_id}", "calls", "server"))

    def item(self, name: str) -> QObject:
        """A QML item by objectName (tests, screenshots)."""
        return find_item(self.window, name)

    def grab(self, path: Path) -> bool:
        return save_grab(self.window, path)

    def close(self) -> None:
        self.bridge.stop()
        self.i18n.close()
        self.window.close()
        self.engine.deleteLater()  # with its window, before the objects QML binds to
        self.holder.deleteLater()
