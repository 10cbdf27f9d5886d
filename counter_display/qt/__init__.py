"""Qt foundation shared by the display apps: bootstrap, state bridge, translations."""

from counter_display.qt.app import (
    QmlLoadError,
    WindowOptions,
    application,
    load_window,
    parse_size,
    save_grab,
)
from counter_display.qt.bridge import (
    BROKER_UNREACHABLE,
    CONNECTED,
    CONNECTING,
    SERVER_OFFLINE,
    Endpoint,
    StateBridge,
)
from counter_display.qt.cli import base_parser, endpoint_of, window_options_of
from counter_display.qt.i18n import LANGUAGES, TranslationError, Translations, compiled

__all__ = [
    "BROKER_UNREACHABLE", "CONNECTED", "CONNECTING", "LANGUAGES", "SERVER_OFFLINE",
    "Endpoint", "QmlLoadError", "StateBridge", "TranslationError", "Translations",
    "WindowOptions", "application", "base_parser", "compiled", "endpoint_of", "load_window",
    "parse_size", "save_grab", "window_options_of",
]
