"""The Qt kit the kiosk and the counter apps stand on, side by side: bootstrap, the state
bridge (the one MQTT client of each app), the worker thread for blocking work, translations
and the options every app shares."""

from qtkit.app import (
    QmlLoadError,
    WindowOptions,
    application,
    load_window,
    parse_size,
    save_grab,
)
from qtkit.bridge import (
    BROKER_UNREACHABLE,
    CONNECTED,
    CONNECTING,
    SERVER_OFFLINE,
    Endpoint,
    StateBridge,
)
from qtkit.cli import base_parser, endpoint_of, window_options_of
from qtkit.i18n import LANGUAGES, TranslationError, Translations, compiled
from qtkit.setup import Finder, LocatedApp, run_located
from qtkit.worker import RequestWorker, Worker

__all__ = [
    "BROKER_UNREACHABLE", "CONNECTED", "CONNECTING", "LANGUAGES", "SERVER_OFFLINE",
    "Endpoint", "Finder", "LocatedApp", "QmlLoadError", "RequestWorker", "StateBridge",
    "TranslationError", "Translations", "WindowOptions", "Worker", "application",
    "base_parser", "compiled", "endpoint_of", "load_window", "parse_size", "run_located",
    "save_grab", "window_options_of",
]
