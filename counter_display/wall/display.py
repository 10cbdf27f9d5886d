"""The hall wall display assembled: bridge, model, announcer, translations, QML window."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject
from PySide6.QtQml import QQmlApplicationEngine

from counter_display.announcer import AnnounceStyle, Sink, Voice
from counter_display.catalogs import TS_DIR
from counter_display.wall.announce import WallAnnouncer
from counter_display.wall.media import MediaRotator
from counter_display.wall.model import WallModel
from counter_display.wall.screens import ScreenFollower
from qtkit.app import WindowOptions, find_item, load_window, save_grab
from qtkit.bridge import Endpoint, StateBridge
from qtkit.i18n import Translations

QML = Path(__file__).resolve().parent / "qml" / "WallScreen.qml"
CATALOG = "wall"


class WallDisplay:
    """Owns everything it starts; `close()` stops the MQTT client, the announcer and the
    window. Without a sink there are no announcements (the screen still follows the calls)."""

    def __init__(self, endpoint: Endpoint, zone: str | None = None, *, lang: str = "id",
                 window: WindowOptions | None = None, qm_dir: Path | None = None,
                 voice: Voice | None = None, sink: Sink | None = None,
                 style: AnnounceStyle | None = None, screen: str | None = None,
                 media: Path | None = None, media_seconds: float = 10.0,
                 skip_behind: int | None = None) -> None:
        self.zone = zone
        self._closed = False
        self.holder = QObject()
        # the one MQTT client of the wall: the announcer follows its events
        self.bridge = StateBridge(endpoint, self.holder, events=sink is not None)
        self.model = WallModel(self.bridge, zone, self.holder)
        self.announcer: WallAnnouncer | None = None
        if sink is not None:
            self.announcer = WallAnnouncer(self.bridge, self.model, voice, sink, style,
                                           max_queue=skip_behind, parent=self.holder)
        self.engine = QQmlApplicationEngine()
        self.i18n = Translations(self.engine, lang, ts_dir=TS_DIR, catalog=CATALOG,
                                 out_dir=qm_dir, parent=self.holder)
        self.media = MediaRotator(media, media_seconds, self.holder)
        context = {"bridge": self.bridge, "wall": self.model, "i18n": self.i18n,
                   "media": self.media}
        opts = window or WindowOptions(size=(1920, 1080))
        self.window = load_window(self.engine, QML, context, opts)
        # full screen or a chosen monitor: follow monitors being plugged and unplugged
        self.screens: ScreenFollower | None = None
        if screen or opts.fullscreen:
            self.screens = ScreenFollower(self.window, screen, fullscreen=opts.fullscreen,
                                          parent=self.holder)
        if self.announcer is not None:
            self.announcer.start()
        self.bridge.start()

    def has_state(self) -> bool:
        return all(self.bridge.value(k) is not None for k in ("server", "config", "calls"))

    def item(self, name: str) -> QObject:
        return find_item(self.window, name)

    def grab(self, path: Path) -> bool:
        return save_grab(self.window, path)

    def close(self) -> None:
        """Idempotent."""
        if self._closed:
            return
        self._closed = True
        if self.announcer is not None:
            self.announcer.stop()
        if self.screens is not None:
            self.screens.disconnect_all()
        self.model.stop()
        self.media.stop()
        self.bridge.stop()
        self.i18n.close()
        self.window.close()
        # the objects QML binds to die with the engine, after its bindings (no "null" errors)
        self.holder.setParent(self.engine)
        self.engine.deleteLater()

