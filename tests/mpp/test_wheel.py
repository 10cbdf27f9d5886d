"""A box runs the project from its wheel, not from a checkout (docs/upgrades.md): every
file the packages load at run time (QML, translations, templates, migrations, the sample
site) must be in it, or a kiosk installed from a release shows no screen."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("mpp", "queue_server", "qtkit", "kiosk", "counter_display", "drivers")
NOT_SHIPPED = {".md", ".pyc"}  # notes for developers, caches
DEVELOPER_TOOLS = {"kiosk/i18n/fill.py"}  # fills the .ts catalogues in a checkout


def test_the_wheel_carries_every_file_the_packages_load(tmp_path: Path) -> None:
    source = tmp_path / "src"  # a clean copy: setuptools would reuse a stale build/
    files = subprocess.run(["git", "-C", str(ROOT), "ls-files", "--cached", "--others",
                            "--exclude-standard"], check=True, capture_output=True,
                           text=True).stdout.split()
    for name in files:
        if (ROOT / name).is_file():
            (source / name).parent.mkdir(parents=True, exist_ok=True)
            (source / name).write_bytes((ROOT / name).read_bytes())
    subprocess.run([sys.executable, "-m", "pip", "--disable-pip-version-check", "-q",
                    "wheel", "--no-deps", "--no-build-isolation", "--wheel-dir",
                    str(tmp_path / "wheels"), str(source)], check=True)
    wheel = next((tmp_path / "wheels").glob("mpp_queue-*.whl"))
    shipped = set(zipfile.ZipFile(wheel).namelist())
    wanted = {name for name in files
              if name.split("/")[0] in PACKAGES and Path(name).suffix not in NOT_SHIPPED
              and name not in DEVELOPER_TOOLS and (ROOT / name).is_file()}
    assert wanted - shipped == set()
    assert "kiosk/qml/KioskScreen.qml" in shipped  # the check itself sees QML
