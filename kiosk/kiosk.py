"""The kiosk assembled: bridge (with its QueueClient), printer, scanner, model,
translations and the QML window."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, QObject, QPointF, Qt
from PySide6.QtQml import QQmlApplicationEngine
from PySide6.QtQuick import QQuickItem

from kiosk.model import KioskModel
from kiosk.scanning import ScanFeed
from kiosk.voice import KeypadFeed, VoiceGuide
from qtkit.app import WindowOptions, find_visual_item, load_window, save_grab
from qtkit.bridge import Endpoint, StateBridge
from qtkit.i18n import Translations
from queue_server.protocol.client import QueueClient

QML = Path(__file__).resolve().parent / "qml" / "KioskScreen.qml"
TS_DIR = Path(__file__).resolve().parent / "i18n"
CATALOG = "kiosk"
PORTRAIT = (1080, 1920)
LANDSCAPE = (1920, 1080)
TOUCH_EVENTS = (QEvent.Type.MouseButtonPress, QEvent.Type.TouchBegin)


class _TouchWatcher(QObject):
    """Every press anywhere on the window restarts the idle countdown."""

    def __init__(self, model: KioskModel, parent: QObject) -> None:
        super().__init__(parent)
        self._model = model

    def eventFilter(self, _obj: QObject, event: QEvent) -> bool:
        if event.type() in TOUCH_EVENTS:
            self._model.touched()
        return False


def bridge_client(bridge: StateBridge) -> QueueClient:
    """The QueueClient the bridge owns (one MQTT connection, one presence per device)."""
    return bridge.client


class Kiosk:
    """Owns everything it starts; `close()` stops the worker, the scanner reader, the
    MQTT client, the printer and the window. `scanner` (a drivers.scanner Scanner; opened,
    or not yet when `scanner_opened` is false) feeds appointment check-ins. Instead of an
    opened `printer`, `open_printer` may open it on the worker thread after start. `keypad`
    (a drivers.buttons Keypad, with its `press_filter`) and `speaker` (a drivers.audio
    Speaker, started here) give voice guidance (docs/kiosk.md)."""

    def __init__(self, endpoint: Endpoint, printer: Any | None, *, lang: str = "id",
                 window: WindowOptions | None = None, qm_dir: Path | None = None,
                 scanner: Any | None = None, scanner_opened: bool = True,
                 open_printer: Callable[[], Any] | None = None,
                 keypad: Any | None = None, press_filter: Any | None = None,
                 speaker: Any | None = None,
                 clock: Callable[[], float] | None = None) -> None:
        self.holder = QObject()  # parent of the Qt objects, deleted by close()
        # the other kiosks' presence too; `clock`: the box's own (tests give a wrong one)
        self.bridge = StateBridge(endpoint, self.holder, devices=True, clock=clock)
        self.engine = QQmlApplicationEngine()
        self.i18n = Translations(self.engine, lang, ts_dir=TS_DIR, catalog=CATALOG,
                                 out_dir=qm_dir, parent=self.holder)
        self.model = KioskModel(self.bridge, bridge_client(self.bridge), printer,
                                lambda: str(self.i18n.language), self.holder,
                                site=endpoint.site, has_scanner=scanner is not None,
                                open_printer=open_printer)
        self.speaker = speaker.start() if speaker is not None else None
        self.voice = VoiceGuide(self.model, self.speaker, self.i18n.text,
                                lambda: str(self.i18n.language), self.i18n.set_language,
                                self.holder)
        context = {"bridge": self.bridge, "kiosk": self.model, "i18n": self.i18n,
                   "voice": self.voice}
        self.window = load_window(self.engine, QML, context,
                                  window or WindowOptions(size=PORTRAIT))
        self.default_lang = lang
        self._last_screen: str = str(self.model.screen)
        self.model.screenChanged.connect(self._on_screen)
        self._watcher = _TouchWatcher(self.model, self.holder)
        self.window.installEventFilter(self._watcher)
        self.bridge.start()
        self.scans: ScanFeed | None = None
        if scanner is not None:
            self.scans = ScanFeed(scanner, self.holder, opened=scanner_opened)
            self.scans.scanned.connect(self.model.scanned)
            self.scans.failed.connect(self.model.scanner_failed)
            self.scans.reconnected.connect(self.model.scanner_back)
            self.scans.start()
        self.keys: KeypadFeed | None = None
        if keypad is not None:
            self.keys = KeypadFeed(keypad, press_filter, self.holder)
            self.keys.pressed.connect(self.voice.press)
            self.keys.start()

    def _on_screen(self) -> None:
        """Back to welcome: the next citizen starts in the kiosk's own language."""
        screen = str(self.model.screen)
        if screen == "welcome" and self._last_screen != "welcome":
            self.i18n.set_language(self.default_lang)
        self._last_screen = screen

    @property
    def printer(self) -> Any | None:
        """The printer given, or the one `open_printer` opened (None until then)."""
        return self.model.printer

    @property
    def simulator(self) -> Any:
        return getattr(self.printer, "simulator", None)

    def has_state(self) -> bool:
        return self.bridge.value("config") is not None and self.bridge.value("server") is not None

    def item(self, name: str) -> QQuickItem:
        """A visible-tree QML item by objectName, delegates included (tests, screenshots)."""
        found = find_visual_item(self.window.contentItem(), name)
        if found is None:
            raise LookupError(f"no QML item named {name!r}")
        return found

    def click(self, name: str) -> None:
        """A real mouse click at the centre of the named item (tests, screenshots)."""
        from PySide6.QtTest import QTest

        _polish(self.window.contentItem())  # positioners lay out lazily, before a frame
        item = self.item(name)
        centre = item.mapToScene(QPointF(item.width() / 2, item.height() / 2)).toPoint()
        QTest.mouseClick(self.window, Qt.MouseButton.LeftButton,
                         Qt.KeyboardModifier.NoModifier, centre)

    def grab(self, path: Path) -> bool:
        return save_grab(self.window, path)

    def close(self) -> None:
        if self.keys is not None:
            self.keys.stop()  # joins the reader thread and closes the keypad
        if self.speaker is not None:
            self.speaker.close()
        if self.scans is not None:
            self.scans.stop()  # joins the reader thread and closes the scanner
        self.model.close()
        self.bridge.stop()
        self.i18n.close()
        self.window.removeEventFilter(self._watcher)
        self.window.close()
        self.engine.deleteLater()
        self.holder.deleteLater()
        if self.printer is not None:
            self.printer.close()


def _polish(item: QQuickItem) -> None:
    for _ in range(2):  # children size parents and parents place children
        stack = [item]
        while stack:
            current = stack.pop()
            current.ensurePolished()
            stack.extend(current.childItems())

