"""Pytest plugin (registered in tests/conftest.py): which tests share a pytest-xdist worker.

`make test` runs the suite on 3 workers with `--dist loadgroup` (addopts in pyproject.toml):
tests go one by one to whichever worker is free, except those of one xdist_group, which all
go to one worker, one after the other. Groups given here:

- "mdns", every test marked `@pytest.mark.mdns` (it advertises or browses on the loopback
  mDNS network): multicast on loopback is one network for the whole machine, and a box
  that does not know its site takes the only server it sees, another test's as well.
- one per module that has a module-, class- or package-scoped fixture: its setup (a
  benchmark run, a wheel build, a browser) then runs once, not once per worker.

pytest-xdist 3.8 reads the groups from the node ids, which pytest 9.2 no longer lets it
change (pytest-xdist issue 1386): pyproject.toml keeps pytest below 9.2 until it can, and
tests/test_parallel.py fails when grouping stops working.
"""

from __future__ import annotations

import pytest

MDNS = "mdns"
SHARED_SCOPES = ("module", "class", "package")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", f"{MDNS}: advertises or browses on the loopback mDNS network (all these "
        "run on one xdist worker, one at a time)")
    # pytest-xdist's marker, valid even in a run without xdist (-p no:xdist -o addopts=)
    config.addinivalue_line("markers", "xdist_group(name): these tests share an xdist worker")


@pytest.hookimpl(tryfirst=True)  # before xdist's own hook turns xdist_group into node ids
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if item.get_closest_marker("xdist_group"):
            continue
        if item.get_closest_marker(MDNS):
            item.add_marker(pytest.mark.xdist_group(MDNS))
        elif _has_shared_fixture(item):
            item.add_marker(pytest.mark.xdist_group(item.nodeid.split("::", 1)[0]))


def _has_shared_fixture(item: pytest.Item) -> bool:
    info = getattr(item, "_fixtureinfo", None)
    if info is None:  # not a test function (no fixtures)
        return False
    return any(defs[-1].scope in SHARED_SCOPES
               for defs in info.name2fixturedefs.values() if defs)
