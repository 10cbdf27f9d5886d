"""The wall follows monitors: the configured one (name or index) when connected, else the
primary; back when it returns. The choice is a pure function; the Qt part runs on the
offscreen platform with two configured screens (its config file), where unplugging and
re-plugging are the real QGuiApplication signals emitted for the screen concerned (the
offscreen platform cannot add or remove screens at run time)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtGui import QGuiApplication, QWindow

from counter_display.wall.screens import choose_screen
from tests.counter_display.wall_fixtures import (  # noqa: F401  (fixtures)
    wall_factory_fixture,
    zoned_site_fixture,
)

ROOT = Path(__file__).resolve().parents[2]
WAIT_MS = 10000


@pytest.mark.parametrize(("names", "primary", "wanted", "expected"), [
    (["eDP-1", "HDMI-2"], 0, "HDMI-2", 1),      # by name
    (["eDP-1", "HDMI-2"], 0, "hdmi-2", 1),      # a typo in case still finds it
    (["eDP-1", "HDMI-2"], 0, "1", 1),           # by index
    (["eDP-1"], 0, "HDMI-2", 0),                # unplugged: the primary
    (["eDP-1", "DP-1"], 1, "HDMI-2", 1),        # ... whichever is primary
    (["eDP-1", "DP-1"], 1, "7", 1),             # an index out of range: the primary
    (["eDP-1", "DP-1"], 1, None, 1),            # nothing configured: the primary
    (["eDP-1", "DP-1"], 5, None, 0),            # no primary known: the first
    ([], 0, "HDMI-2", None),                    # no monitor at all
])
def test_choose_screen(names, primary, wanted, expected):
    assert choose_screen(names, primary, wanted) == expected


SCRIPT = r"""
import json, sys
from PySide6.QtGui import QGuiApplication, QWindow
from counter_display.wall.screens import ScreenFollower

app = QGuiApplication([])
screens = {s.name(): s for s in app.screens()}
primary = app.primaryScreen()
other = next(s for s in app.screens() if s is not primary)
wanted = other.name() if sys.argv[1] == "OTHER" else sys.argv[1]
window = QWindow()
window.resize(640, 360)
window.show()
follower = ScreenFollower(window, wanted, fullscreen=True)

def where():
    app.processEvents()
    g = window.geometry()
    return [window.screen().name(), g.x(), g.y(), g.width(), g.height(),
            window.visibility() == QWindow.Visibility.FullScreen]

steps = {"order": [s.name() for s in app.screens()], "primary": primary.name(),
         "other": other.name(), "start": where()}
app.screenRemoved.emit(other)         # the non-primary monitor is unplugged
steps["unplugged"] = where()
app.screenAdded.emit(other)           # ... and plugged back
steps["replugged"] = where()
app.primaryScreenChanged.emit(primary)  # a primary change: the wanted one stays
steps["primary_changed"] = where()
steps["placements"] = follower.placements
print(json.dumps(steps))
"""
GEOMETRY = {"eDP-1": [0, 0, 1920, 1080], "HDMI-2": [1920, 0, 3840, 2160]}


def run_follower(tmp_path: Path, wanted: str) -> dict[str, list]:
    config = tmp_path / "screens.json"
    config.write_text(json.dumps({"screens": [
        {"name": name, "x": g[0], "y": g[1], "width": g[2], "height": g[3], "logicalDpi": 96,
         "logicalBaseDpi": 96, "dpr": 1} for name, g in GEOMETRY.items()]}))
    env = {**os.environ, "QT_QPA_PLATFORM": f"offscreen:configfile={config}",
           "PYTHONPATH": str(ROOT)}
    proc = subprocess.run([sys.executable, "-c", SCRIPT, wanted], env=env, cwd=ROOT,
                          capture_output=True, text=True, timeout=60, check=False)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout.strip().splitlines()[-1])


def full(name: str) -> list:
    return [name, *GEOMETRY[name], True]


def test_the_wall_leaves_an_unplugged_monitor_and_comes_back(tmp_path: Path):
    steps = run_follower(tmp_path, "OTHER")  # the monitor that is not the primary one
    other, primary = steps["other"], steps["primary"]
    assert {other, primary} == set(GEOMETRY)
    assert steps["start"] == full(other)
    assert steps["unplugged"] == full(primary)
    assert steps["replugged"] == full(other)
    assert steps["primary_changed"] == full(other)
    assert steps["placements"] == [other, primary, other]


def test_a_screen_given_by_index_or_absent(tmp_path: Path):
    probe = run_follower(tmp_path, "DP-3")  # never connected: the primary, full screen
    assert probe["start"] == full(probe["primary"])
    assert probe["placements"] == [probe["primary"]]
    index = probe["order"].index(probe["other"])
    by_index = run_follower(tmp_path, str(index))
    assert by_index["start"] == full(probe["other"])
    assert by_index["unplugged"] == full(probe["primary"])
    assert by_index["replugged"] == full(probe["other"])


def test_the_wall_display_follows_screens_when_full_screen(qtbot, wall_factory):
    wall = wall_factory("lantai-1", sound=False, screen="HDMI-2", fullscreen=True)
    follower = wall.screens
    assert follower is not None
    primary = QGuiApplication.primaryScreen()
    assert follower.placements == [primary.name()] and wall.window.screen() is primary
    # the handlers are connected to the application's signals
    app = QGuiApplication.instance()
    assert isinstance(app, QGuiApplication)
    app.screenRemoved.emit(primary)  # the last screen: nowhere to go, the window stays
    assert wall.window.screen() is primary and len(follower.placements) == 1
    # WHEN the window lost full screen (a window manager after a re-plug) and a screen
    # event comes THEN the handler puts it back full screen on its screen
    wall.window.showNormal()
    qtbot.waitUntil(lambda: wall.window.visibility() != QWindow.Visibility.FullScreen,
                    timeout=WAIT_MS)
    app.screenAdded.emit(primary)
    qtbot.waitUntil(lambda: wall.window.visibility() == QWindow.Visibility.FullScreen,
                    timeout=WAIT_MS)
    assert follower.placements == [primary.name()] * 2
