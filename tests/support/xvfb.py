"""A real X server for tests of real windows: Xvfb on a display number it picks itself
(-displayfd), no TCP, torn down with the test. Apps then use Qt's xcb platform exactly as
on a hall PC with a screen, which the offscreen platform of the other UI tests never does.
Also used by scripts/screenshots.py (the demo's desktop), hence no pytest here."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

START_S = 20.0

GRAB = """
import sys
from PySide6.QtGui import QGuiApplication
app = QGuiApplication(["grab"])
sys.exit(0 if app.primaryScreen().grabWindow(0).save(sys.argv[1]) else 1)
"""


def require_xvfb() -> str:
    binary = shutil.which("Xvfb")
    if binary is None:
        raise RuntimeError("Xvfb not installed: run scripts/install-system-deps.sh")
    return binary


@contextmanager
def xvfb(size: str = "1920x1080") -> Iterator[str]:
    """Yields the DISPLAY value (":N") of a new Xvfb screen of `size`."""
    read, write = os.pipe()
    proc = subprocess.Popen([require_xvfb(), "-displayfd", str(write), "-screen", "0",
                             f"{size}x24", "-nolisten", "tcp", "-noreset"],
                            pass_fds=(write,), stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE)
    os.close(write)
    try:
        with os.fdopen(read) as pipe:
            number = pipe.readline().strip()  # written once the server accepts clients
        if not number:
            proc.kill()
            _out, err = proc.communicate(timeout=START_S)
            raise RuntimeError(f"Xvfb did not start: {err.decode(errors='replace')[-500:]}")
        yield f":{number}"
    finally:
        if proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(5)
        if proc.stderr is not None:
            proc.stderr.close()


def grab_screen(display: str, path: Path) -> None:
    """The whole X screen as PNG, grabbed by a Qt client of that display."""
    env = {k: v for k, v in os.environ.items() if k not in ("QT_QPA_PLATFORM",
                                                            "WAYLAND_DISPLAY")}
    done = subprocess.run([sys.executable, "-c", GRAB, str(path)], env={**env,
                          "DISPLAY": display, "QT_QPA_PLATFORM": "xcb"},
                          capture_output=True, text=True, timeout=60, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"could not grab {display}: {done.stderr[-1000:]}")
