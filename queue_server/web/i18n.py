"""Translations of the dashboard: one JSON catalogue per language in web/i18n/
(key -> text, `{name}` placeholders). Pages get `t(key, **values)`; the page's script
gets the whole catalogue for the strings it builds itself."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

from queue_server.protocol.ops import LANGS

DEFAULT_LANG = LANGS[0]
CATALOGUES = Path(__file__).parent / "i18n"


@cache
def catalogue(lang: str) -> dict[str, str]:
    merged: dict[str, str] = {}
    for path in sorted(CATALOGUES.glob(f"*{lang}.json")):  # id.json, reports.id.json, ...
        with open(path, encoding="utf-8") as f:
            merged.update(json.load(f))
    return merged


def pick_lang(value: str | None) -> str:
    return value if value in LANGS else DEFAULT_LANG


def translate(lang: str, key: str, **values: object) -> str:
    """A missing key shows itself (visible in screenshots, caught by the catalogue test)."""
    text = catalogue(pick_lang(lang)).get(key, key)
    return text.format(**values) if values else text


def error_text(lang: str, code: str) -> str:
    key = f"error.{code}"
    text = translate(lang, key)
    return text if text != key else translate(lang, "error.unknown", code=code)
