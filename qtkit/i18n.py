"""Translations: English source strings in QML (Qt's convention), one catalog per language
in each app's folder (`kiosk/i18n/kiosk_id.ts`, `counter_display/i18n/wall_en.ts`, ...),
compiled to .qm at run time into a cache directory when missing or older than the .ts
(never committed).

The screens are bilingual: the *primary* language goes through the engine's installed
QTranslator (`qsTr`, refreshed by `engine.retranslate()`); the *secondary* line asks
`i18n.alt(context, source)`, which translates with the other language's QTranslator.
"""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
import sys
from pathlib import Path

from PySide6.QtCore import Property, QCoreApplication, QObject, QTranslator, Signal, Slot
from PySide6.QtQml import QQmlEngine

from queue_server.protocol.ops import LANGS

log = logging.getLogger("mpp.qt.i18n")

LANGUAGES = LANGS  # the op catalogue's: Bahasa Indonesia first, English second


class TranslationError(Exception):
    code = "translation_unavailable"


def cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "mpp-queue" / "qm"


def lrelease_binary() -> str:
    """pyside6-lrelease next to the running interpreter, else on PATH."""
    local = Path(sys.executable).with_name("pyside6-lrelease")
    if local.exists():
        return str(local)
    found = shutil.which("pyside6-lrelease") or shutil.which("lrelease")
    if found is None:
        raise TranslationError("pyside6-lrelease not found (install PySide6-Essentials)")
    return found


def compiled(lang: str, ts_dir: Path, catalog: str, out_dir: Path | None = None) -> Path:
    """The .qm for `lang`, compiled from `<catalog>_<lang>.ts` in the app's `ts_dir` when
    missing or older."""
    ts = ts_dir / f"{catalog}_{lang}.ts"
    qm = (out_dir or cache_dir()) / f"{catalog}_{lang}.qm"
    if qm.exists() and qm.stat().st_mtime >= ts.stat().st_mtime:
        return qm
    qm.parent.mkdir(parents=True, exist_ok=True)
    tmp = qm.with_suffix(f".{os.getpid()}.tmp")
    proc = subprocess.run([lrelease_binary(), "-silent", str(ts), "-qm", str(tmp)],
                          capture_output=True, text=True, check=False)
    if proc.returncode != 0 or not tmp.exists():
        raise TranslationError(f"lrelease failed on {ts}: {proc.stderr.strip()}")
    tmp.replace(qm)  # atomic: two apps starting at once never read half a file
    return qm


class Translations(QObject):
    """The language switch. `language` is the primary language; `other` the secondary."""

    languageChanged = Signal()

    def __init__(self, engine: QQmlEngine, lang: str = "id", *, ts_dir: Path, catalog: str,
                 out_dir: Path | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._engine = engine
        self._translators: dict[str, QTranslator] = {}
        for code in LANGUAGES:
            tr = QTranslator(self)
            qm = compiled(code, ts_dir, catalog, out_dir=out_dir)
            if not tr.load(str(qm)):
                raise TranslationError(f"cannot load the {code} catalog")
            self._translators[code] = tr
        self._lang = ""
        self.set_language(lang)

    def _get_language(self) -> str:
        return self._lang

    @Slot(str)
    def set_language(self, lang: str) -> None:
        if lang not in LANGUAGES:
            raise ValueError(f"language must be one of {LANGUAGES}, not {lang!r}")
        if lang == self._lang:
            return
        if self._lang:
            QCoreApplication.removeTranslator(self._translators[self._lang])
        QCoreApplication.installTranslator(self._translators[lang])
        self._lang = lang
        self._engine.retranslate()
        self.languageChanged.emit()

    language = Property(str, _get_language, set_language, notify=languageChanged)

    def _get_other(self) -> str:
        return next(code for code in LANGUAGES if code != self._lang)

    other = Property(str, _get_other, notify=languageChanged)

    @Slot(str, str, result=str)
    def alt(self, context: str, source: str) -> str:
        """`source` in the secondary language (QML: bind through `i18n.other`)."""
        text = self._translators[self._get_other()].translate(context, source)
        return text or source

    def text(self, lang: str, context: str, source: str) -> str:
        """`source` in `lang`, whichever language the screen shows (the kiosk's voice
        guidance speaks a language choice in that language)."""
        return self._translators[lang].translate(context, source) or source

    def close(self) -> None:
        """Remove the installed translator (the application object outlives us in tests)."""
        if self._lang:
            QCoreApplication.removeTranslator(self._translators[self._lang])
            self._lang = ""
