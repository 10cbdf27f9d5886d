"""The groups of tests/support/parallel.py reach pytest-xdist's scheduler: a small suite
of its own, run on 2 workers like `make test` runs this one, shows every grouped test under
its group's name (`node id@group`, what the loadgroup scheduler reads; a newer pytest can
make xdist drop it without a word, see pyproject.toml)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

SUITE = {
    "conftest.py": 'pytest_plugins = ["tests.support.parallel"]\n',
    "test_adverts.py": """
import pytest

@pytest.mark.mdns
def test_advertises():
    pass

@pytest.mark.mdns
def test_browses():
    pass

def test_alone():
    pass
""",
    "test_shared.py": """
import pytest

@pytest.fixture(scope="module")
def setup_once():
    return 1

def test_first(setup_once):
    pass

def test_second(setup_once):
    pass
""",
}


def test_mdns_tests_and_a_modules_shared_fixture_each_keep_to_one_group(tmp_path: Path) -> None:
    for name, text in SUITE.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    # only xdist and the plugin under test: the others (Qt...) would only slow it down
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1"}
    done = subprocess.run([sys.executable, "-m", "pytest", "-p", "xdist.plugin", "-p",
                           "no:cacheprovider", "-v", "-n", "2", "--dist", "loadgroup",
                           "--strict-markers"],
                          cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120,
                          check=False)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    ran = set(re.findall(r"PASSED (test_\w+\.py::\w+(?:@[\w.]+)?)", done.stdout))
    assert ran == {"test_adverts.py::test_advertises@mdns",
                   "test_adverts.py::test_browses@mdns",
                   "test_adverts.py::test_alone",
                   "test_shared.py::test_first@test_shared.py",
                   "test_shared.py::test_second@test_shared.py"}, done.stdout[-3000:]
