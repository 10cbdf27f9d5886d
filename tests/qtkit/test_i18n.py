"""Translations: an app's catalogs compiled at run time, the primary language through the
installed translator and the secondary one on request."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication
from PySide6.QtQml import QQmlEngine

from qtkit.i18n import Translations, compiled

CATALOG = "kit"


def _ts(folder: Path, lang: str, text: str) -> Path:
    path = folder / f"{CATALOG}_{lang}.ts"
    path.write_text(
        '<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE TS>\n'
        f'<TS version="2.1" language="{lang}"><context><name>Screen</name>'
        f"<message><source>Now serving</source><translation>{text}</translation></message>"
        "</context></TS>\n", encoding="utf-8")
    return path


@pytest.fixture
def ts_dir(tmp_path: Path) -> Path:
    _ts(tmp_path, "id", "Sedang dilayani")
    _ts(tmp_path, "en", "Now serving")
    return tmp_path


def test_catalog_recompiled_only_when_the_ts_is_newer(ts_dir: Path, tmp_path: Path) -> None:
    qm = compiled("id", ts_dir, CATALOG, out_dir=tmp_path / "qm")
    first = qm.stat().st_mtime_ns
    assert compiled("id", ts_dir, CATALOG, out_dir=tmp_path / "qm").stat().st_mtime_ns == first
    ts = ts_dir / f"{CATALOG}_id.ts"
    os.utime(ts, ns=(first + 10**9, first + 10**9))  # the .ts edited after the build
    assert compiled("id", ts_dir, CATALOG, out_dir=tmp_path / "qm").stat().st_mtime_ns > first


def test_primary_and_secondary_language_and_the_switch(qapp, ts_dir: Path,
                                                       tmp_path: Path) -> None:
    # GIVEN an app's catalogs, Indonesian first
    engine = QQmlEngine()
    i18n = Translations(engine, "id", ts_dir=ts_dir, catalog=CATALOG, out_dir=tmp_path / "qm")
    try:
        # THEN qsTr speaks Indonesian and the secondary line English
        assert QCoreApplication.translate("Screen", "Now serving") == "Sedang dilayani"
        assert (i18n.language, i18n.other) == ("id", "en")
        assert i18n.alt("Screen", "Now serving") == "Now serving"
        # WHEN switched to English THEN both swap
        i18n.set_language("en")
        assert QCoreApplication.translate("Screen", "Now serving") == "Now serving"
        assert i18n.alt("Screen", "Now serving") == "Sedang dilayani"
        with pytest.raises(ValueError):
            i18n.set_language("fr")
    finally:
        i18n.close()
        engine.deleteLater()
