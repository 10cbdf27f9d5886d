"""An app under systemd (queue_server/notify.py via qtkit.app.run_app): READY once its
window is up, STATUS that follows the server's state, watchdog pings from the Qt main
loop, STOPPING at the end. The app runs as a box runs it, as `cage`'s child: the
watchdog's pid (WATCHDOG_PID) is its parent's, here the test's."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

from tests.support.hall import broker_args
from tests.support.notify import NotifyListener

ROOT = Path(__file__).resolve().parents[2]


def test_an_app_reports_ready_and_pings_from_its_loop(mosquitto, server, site, tmp_path):
    short = Path(tempfile.mkdtemp(prefix="mpp-notify-"))  # a socket path under 108 bytes
    with NotifyListener(short / "notify") as systemd:
        # GIVEN a counter display started as its unit starts it (the test plays cage)
        env = {**os.environ, "PYTHONPATH": str(ROOT), "QT_QPA_PLATFORM": "offscreen",
               "NOTIFY_SOCKET": systemd.address, "WATCHDOG_USEC": "600000",
               "WATCHDOG_PID": str(os.getpid())}
        log = tmp_path / "app.log"
        with log.open("wb") as err:
            proc = subprocess.Popen(
                [sys.executable, "-m", "mpp", "display", "counter", "--offscreen",
                 "--site-id", site.site.id, *broker_args(mosquitto, "display-counter"),
                 "--device", "display-counter", "--counter", "loket-01"],
                env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=err)
        try:
            # THEN READY once the window is up, then the state shown, and pings
            systemd.wait_for("READY", 30, "1")
            systemd.wait_for("STATUS", 20, "window up; showing the server's state")
            systemd.wait_for("WATCHDOG", 2, "1")
            systemd.wait_for("WATCHDOG", 2, "1")
            # WHEN systemd stops it THEN STOPPING
            proc.send_signal(signal.SIGTERM)
            systemd.wait_for("STOPPING", 10, "1")
            proc.wait(20)
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
            print(log.read_text())
    os.unlink(short / "notify")
    short.rmdir()
