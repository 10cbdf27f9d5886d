"""Where the counter apps' translation catalogs live: counter_display/i18n/ (its README
says how to update them). One catalog per app: the counter display, the console, the wall."""

from __future__ import annotations

from pathlib import Path

TS_DIR = Path(__file__).resolve().parent / "i18n"
