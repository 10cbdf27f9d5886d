"""PySide6 6.12.0 drops a reference to True on every Signal.emit() from Python, and
CPython 3.11 then aborts ("bool_dealloc") in a display that runs all day. pyproject.toml
keeps us off that release; this fails if an installed PySide6 has the bug again."""

from __future__ import annotations

import gc
import sys

from PySide6.QtCore import QObject, Signal


class _Probe(QObject):
    ping = Signal()


def test_signal_emit_keeps_the_reference_count_of_true() -> None:
    probe = _Probe()
    gc.collect()
    before = sys.getrefcount(True)
    for _ in range(1000):
        probe.ping.emit()
    assert sys.getrefcount(True) >= before - 10
