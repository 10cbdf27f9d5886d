"""The suite's own packages (tests/kiosk, tests/mpp, ...) are imported as tests.kiosk,
tests.mpp, ... (tests/__init__.py), never under the bare names of the packages they test:
pytest would otherwise put them in sys.modules as `kiosk`, `mpp`, ..., covering the real
ones. Meaningful in a whole run, when every test folder has been collected."""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

from tests.test_architecture import PACKAGES

ROOT = Path(__file__).resolve().parents[1]


def test_the_packages_under_test_are_the_real_ones() -> None:
    for name in PACKAGES:
        module = importlib.import_module(name)
        assert Path(str(module.__file__)).parent == ROOT / name, (name, module.__file__)


def test_no_test_module_goes_by_a_bare_name() -> None:
    tests = ROOT / "tests"
    bare = sorted(name for name, module in list(sys.modules.items())
                  if tests in Path(str(getattr(module, "__file__", None) or "/")).parents
                  and name.partition(".")[0] != "tests")
    assert not bare, f"test modules imported outside the tests package: {bare}"
