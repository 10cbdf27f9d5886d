"""`make demo` on a desktop: the four app windows on a real X server (Xvfb) through Qt's
xcb platform, as a newcomer's Debian desktop runs them. The other UI tests use the
offscreen platform, which never loads the xcb plugin nor its libraries."""

from __future__ import annotations

from pathlib import Path

from mpp.demo.apps import plan_apps
from mpp.demo.xcb import debian_package, missing_packages, not_found, uses_xcb
from tests.support.demo import Demo, hall_has_called
from tests.support.picture import colour_count, load, share
from tests.support.xvfb import grab_screen, xvfb

WALL_ACCENT = "#ffd400"  # the wall's call panel (counter_display/wall/qml)
# the four cells of the screen, (left, top, right, bottom) in fractions: the demo's tiles
CELLS = {"counter display": (0.0, 0.0, 0.5, 0.5), "staff console": (0.5, 0.0, 1.0, 0.5),
         "kiosk": (0.0, 0.5, 0.5, 1.0), "wall display": (0.5, 0.5, 1.0, 1.0)}


def what_is_missing(shot: Path) -> list[str]:
    """What the screen does not show yet: [] once each cell holds its own app, by the
    colours its QML paints (not one window over the others), and the wall a call."""
    screen = load(shot)
    missing = [f"{name}: no window" for name, cell in CELLS.items()
               if colour_count(screen, cell) <= 50]  # bare root, or one flat colour
    checks = {"counter display": share(screen, "#000000", CELLS["counter display"]) > 0.5,
              "the console's keypad": share(screen, "#2b3340", CELLS["staff console"]) > 0.05,
              "the kiosk's page": share(screen, "#0a1a33", CELLS["kiosk"]) > 0.3,
              "a call on the wall's accent panel":
                  share(screen, WALL_ACCENT, CELLS["wall display"], tolerance=10) > 0.02}
    return missing + [name for name, seen in checks.items() if not seen]


def test_the_demo_opens_four_windows_side_by_side_on_an_x_display(tmp_path: Path) -> None:
    data = tmp_path / "demo"
    apps, shot = data / "apps", tmp_path / "screen.png"
    with xvfb("1920x1080") as display:
        assert missing_packages({"DISPLAY": display}) == [], "scripts/install-system-deps.sh"
        with Demo("--speed", "600", "--apps", "auto", "--http-port", "0", "--data-dir",
                  str(data), env_extra={"DISPLAY": display},
                  env_drop=("QT_QPA_PLATFORM", "WAYLAND_DISPLAY")) as demo:
            connected = demo.wait_until(lambda: len(list(apps.glob("*.log"))) == 4 and all(
                "connected" in log.read_text() for log in apps.glob("*.log")))
            called = demo.wait_output(hall_has_called)

            def shown() -> bool:  # the screen, grabbed again until it shows the hall
                grab_screen(display, shot)
                return not what_is_missing(shot)

            demo.wait_until(shown)
            assert demo.stop() == 0, demo.stdout + demo.stderr
    out = demo.stdout
    assert connected and called, out + demo.stderr
    assert "cannot open the app windows" not in out, out
    assert "exited with code" not in out, out
    for log in apps.glob("*.log"):
        assert "qt.qpa" not in log.read_text(), (log.name, log.read_text()[-2000:])
    assert load(shot).size == (1920, 1080)
    assert what_is_missing(shot) == []


# --------------------------------------------------------------------------- the parts


def test_windows_are_planned_as_the_four_cells_of_the_screen() -> None:
    from queue_server.config import default_site_path, load_site

    specs = plan_apps(load_site(default_site_path()), "mqtt://127.0.0.1:1883")
    tiles = [spec.argv[spec.argv.index("--tile") + 1] for spec in specs]
    assert tiles == ["1/4", "2/4", "3/4", "4/4"]


def test_xcb_is_what_qt_uses_on_x11() -> None:
    assert uses_xcb({"DISPLAY": ":0"})
    assert not uses_xcb({"DISPLAY": ":0", "WAYLAND_DISPLAY": "wayland-0"})
    assert uses_xcb({"DISPLAY": ":0", "WAYLAND_DISPLAY": "wayland-0",
                     "QT_QPA_PLATFORM": "xcb"})
    assert not uses_xcb({"DISPLAY": ":0", "QT_QPA_PLATFORM": "offscreen"})
    assert not uses_xcb({})
    assert missing_packages({"QT_QPA_PLATFORM": "offscreen"}) == []


def test_missing_libraries_are_named_as_debian_packages() -> None:
    ldd = ("\tlinux-vdso.so.1 (0x00007ffd)\n"
           "\tlibxcb-icccm.so.4 => not found\n"
           "\tlibxcb-keysyms.so.1 => not found\n"
           "\tlibxcb-icccm.so.4 => not found\n"
           "\tlibX11-xcb.so.1 => /lib/x86_64-linux-gnu/libX11-xcb.so.1 (0x00007f)\n")
    assert not_found(ldd) == ["libxcb-icccm.so.4", "libxcb-keysyms.so.1"]
    assert [debian_package(s) for s in ("libxcb-icccm.so.4", "libxcb-keysyms.so.1",
                                        "libxcb-cursor.so.0", "libxkbcommon-x11.so.0",
                                        "libX11-xcb.so.1", "libxcb-render-util.so.0",
                                        "libglib-2.0.so.0", "libdbus-1.so.3")] == [
        "libxcb-icccm4", "libxcb-keysyms1", "libxcb-cursor0", "libxkbcommon-x11-0",
        "libx11-xcb1", "libxcb-render-util0", "libglib2.0-0", "libdbus-1-3"]
