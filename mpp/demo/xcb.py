"""Can the demo's app windows open on this X11 display? Qt's xcb platform plugin needs a
dozen small X libraries that a Debian desktop does not always have (libxcb-cursor0 above
all, which Qt 6.5+ loads at run time); without them every app dies at start. The demo
checks first and names the Debian packages to install, instead of claiming windows."""

from __future__ import annotations

import ctypes
import importlib.util
import re
import subprocess
from collections.abc import Mapping
from pathlib import Path

PLUGIN = Path("Qt", "plugins", "platforms", "libqxcb.so")
# loaded with dlopen by the plugin, so `ldd` does not list it
DLOPENED = ("libxcb-cursor.so.0",)
# sonames whose Debian package does not follow the usual naming rule
PACKAGES = {"libglib-2.0.so.0": "libglib2.0-0", "libgthread-2.0.so.0": "libglib2.0-0"}


def uses_xcb(env: Mapping[str, str]) -> bool:
    """Whether Qt apps started with `env` would use the xcb (X11) platform."""
    chosen = env.get("QT_QPA_PLATFORM", "")
    if chosen:
        return chosen.split(":")[0] == "xcb"
    return bool(env.get("DISPLAY")) and not env.get("WAYLAND_DISPLAY")


def not_found(ldd_output: str) -> list[str]:
    """The sonames `ldd` could not resolve, in order, once each."""
    found = re.findall(r"^\s*(\S+)\s+=>\s+not found", ldd_output, re.MULTILINE)
    return list(dict.fromkeys(found))


def debian_package(soname: str) -> str:
    """libxcb-icccm.so.4 -> libxcb-icccm4, libxkbcommon-x11.so.0 -> libxkbcommon-x11-0."""
    if soname in PACKAGES:
        return PACKAGES[soname]
    match = re.fullmatch(r"(lib[\w.+-]+?)\.so\.(\d+)(?:\.\d+)*", soname)
    if match is None:
        return soname
    name, version = match.group(1).lower(), match.group(2)
    return f"{name}-{version}" if name[-1].isdigit() else f"{name}{version}"


def _loadable(soname: str) -> bool:
    try:
        ctypes.CDLL(soname)
    except OSError:
        return False
    return True


def missing_libraries() -> list[str]:
    """Sonames the xcb plugin of the installed PySide6 lacks; [] when PySide6 is absent or
    `ldd` cannot tell."""
    spec = importlib.util.find_spec("PySide6")
    if spec is None or not spec.submodule_search_locations:
        return []
    plugin = Path(next(iter(spec.submodule_search_locations))) / PLUGIN
    if not plugin.exists():
        return []
    try:
        out = subprocess.run(["ldd", str(plugin)], capture_output=True, text=True,
                             timeout=20, check=False).stdout
    except (OSError, subprocess.TimeoutExpired):
        return []
    return [*not_found(out), *(s for s in DLOPENED if not _loadable(s))]


def missing_packages(env: Mapping[str, str]) -> list[str]:
    """Debian packages to install before the apps can open windows under `env`."""
    if not uses_xcb(env):
        return []
    return list(dict.fromkeys(debian_package(s) for s in missing_libraries()))
