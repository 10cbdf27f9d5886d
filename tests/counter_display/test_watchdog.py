"""The apps' watchdog (qtkit.app.watch_loop) on a real counter display, offscreen: the
pings come from the Qt main loop, so a GUI thread that stops turning stops them."""

from __future__ import annotations

import threading

from qtkit.app import SHOWING, watch_loop
from queue_server.notify import Notifier
from tests.support.notify import NotifyListener

WAIT_MS = 10000


def _came(systemd: NotifyListener, key: str, value: str) -> bool:
    """Whether a message with key=value has come (read without waiting)."""
    while (fields := systemd.next(0)) is not None:
        if fields.get(key) == value:
            return True
    return False


def test_a_frozen_gui_thread_stops_the_pings(qtbot, display_factory, server):
    display = display_factory("loket-01")
    with NotifyListener() as systemd:
        # GIVEN a display whose unit has a watchdog: READY, then the server's state shown
        timer = watch_loop(display, Notifier(systemd.address, watchdog_s=0.6))
        try:
            assert systemd.wait_for("READY", 2)["READY"] == "1"
            qtbot.waitUntil(lambda: _came(systemd, "STATUS", SHOWING), timeout=WAIT_MS)
            qtbot.waitUntil(lambda: _came(systemd, "WATCHDOG", "1"), timeout=WAIT_MS)
            systemd.drain()
            # WHEN the GUI thread is stuck for 1.5 s (pings were due every 0.2 s)
            threading.Event().wait(1.5)  # the freeze itself, on the GUI thread
            # THEN nothing came meanwhile, and the pings resume once the loop turns
            assert systemd.next(0) is None
            qtbot.waitUntil(lambda: _came(systemd, "WATCHDOG", "1"), timeout=WAIT_MS)
        finally:
            timer.stop()
