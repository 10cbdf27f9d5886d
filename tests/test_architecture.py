"""The house has floors (STYLE.md 10, docs/architecture.md): an import only ever goes down,
never sideways between two parts of one floor, and no modules import each other, lazy
imports included. This test reads the import graph from the source and fails when an
arrow goes up or a circle comes back."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.imports import cycles, import_graph, imported_names, module_files

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("mpp", "queue_server", "qtkit", "kiosk", "counter_display", "drivers", "central")

# part -> (floor, side). A part may import parts on lower floors of its own side or of
# the shared side; never a part of its own floor, never one above. The launcher (the
# `mpp` command, the demo, the embedded broker) is the top floor and may import anything.
SHARED, SERVER, APPS = "shared", "server", "apps"
FLOORS: dict[str, tuple[int, str]] = {
    "queue_server.protocol": (1, SHARED),  # topics, messages, op catalogue, client, discovery
    "drivers": (1, APPS),  # printers, scanners, keypads: nothing of ours
    "queue_server.pins": (1, SERVER),
    "queue_server.journal": (1, SHARED),  # log events, journald's native protocol: stdlib
    "queue_server.metrics": (1, SERVER),  # the server's Prometheus figures
    "queue_server.clock": (1, SERVER),
    "queue_server.notify": (1, SHARED),  # systemd's READY/watchdog: the server and the apps
    "queue_server.config": (2, SERVER),  # the site's typed data: the domain reads it
    "queue_server.domain": (3, SERVER),  # the rules and the hall model
    "queue_server.store": (4, SERVER),
    "queue_server.reporting": (4, SERVER),
    "queue_server.engine": (5, SERVER),
    "queue_server.web": (5, SERVER),
    "queue_server.wan": (5, SERVER),  # the outbox's deliverer: HTTPS to the city's central
    "queue_server.server": (6, SERVER),
    "central": (7, SERVER),  # `mpp central`: the city's receiver (the hall never imports it)
    "qtkit": (2, APPS),  # the Qt kit both app packages stand on, with the one MQTT client
    "kiosk": (3, APPS),
    "counter_display": (3, APPS),
    "mpp": (9, SHARED),  # the launcher: the `mpp` command, the demo, the embedded broker
}


# part -> what it never imports, third-party or ours, however deep in a function: the
# contract stays import-light (DESIGN.md), the domain pure and drivers free of the hall's
# libraries (STYLE.md 1, 2), and the web keeps to HTTP: it reads the database only through
# store/ and reporting/ functions and hears the hall only through protocol/.
FORBIDDEN: dict[str, tuple[str, ...]] = {
    "queue_server.protocol": ("sqlalchemy", "PySide6", "fastapi"),
    "queue_server.domain": ("sqlalchemy", "paho", "PySide6", "fastapi"),
    "drivers": ("sqlalchemy", "paho", "PySide6"),
    "queue_server.web": ("sqlalchemy", "paho", "queue_server.store.models"),
    "queue_server.engine": ("sqlalchemy",),  # the engine commits through HallStore
}


# app packages that stand side by side on the kit: neither imports the other, kit or not
SIDE_BY_SIDE = {"kiosk", "counter_display"}
BOTTOM = "queue_server"  # the package's own __init__ (its version): anyone may import it


def part_of(module: str) -> str:
    """The longest FLOORS key that is `module` or a package above it."""
    if module == BOTTOM:
        return BOTTOM
    name = module
    while name not in FLOORS:
        if "." not in name:
            raise KeyError(f"{module} is on no floor: add its part to FLOORS")
        name = name.rpartition(".")[0]
    return name


def allowed(source: str, target: str) -> bool:
    if target in (source, BOTTOM):
        return True
    if source == BOTTOM:
        return False
    (floor_a, side_a), (floor_b, side_b) = FLOORS[source], FLOORS[target]
    if floor_a == 9:
        return True
    return floor_b < floor_a and side_b in (SHARED, side_a)


@pytest.fixture(scope="module")
def graph() -> dict[str, set[str]]:
    return import_graph(module_files(ROOT, PACKAGES))


def wrong_arrows(graph: dict[str, set[str]]) -> set[tuple[str, str]]:
    """(importing module, imported module) for every import that is not allowed."""
    return {(a, b) for a, targets in graph.items() for b in targets
            if not allowed(part_of(a), part_of(b)) or sideways(a, b)}


def sideways(source: str, target: str) -> bool:
    tops = {source.partition(".")[0], target.partition(".")[0]}
    return len(tops) == 2 and tops <= SIDE_BY_SIDE


def test_every_module_is_on_a_floor(graph: dict[str, set[str]]) -> None:
    for module in graph:
        part_of(module)


def test_imports_only_go_down(graph: dict[str, set[str]]) -> None:
    wrong = sorted(wrong_arrows(graph))
    assert not wrong, "imports that go up or sideways:\n" + "\n".join(
        f"  {a} -> {b}  ({part_of(a)} floor {FLOORS[part_of(a)][0]} -> {part_of(b)} floor "
        f"{FLOORS[part_of(b)][0]})" for a, b in wrong)


def test_no_two_modules_import_each_other(graph: dict[str, set[str]]) -> None:
    circles = cycles(graph)
    assert not circles, "modules that import each other (directly or round a circle):\n" + \
        "\n".join(f"  {' <-> '.join(c)}" for c in circles)


def test_the_graph_sees_lazy_imports_and_circles(tmp_path: Path) -> None:
    # GIVEN a tree where a function imports upward and two modules import each other
    pkg = tmp_path / "hall"
    (pkg / "low").mkdir(parents=True)
    (pkg / "__init__.py").write_text("")
    (pkg / "low" / "__init__.py").write_text("")
    (pkg / "low" / "rules.py").write_text(
        "def f():\n    from hall.top import start\n    return start\n")
    (pkg / "top.py").write_text("import importlib\nfrom . import low\n"
                                "def start():\n    return importlib.import_module('hall.b')\n")
    (pkg / "a.py").write_text("from hall.b import x\n")
    (pkg / "b.py").write_text("x = 1\ndef g():\n    from .a import x\n    return x\n")
    # WHEN its graph is read
    graph = import_graph(module_files(tmp_path, ["hall"]))
    # THEN the lazy, relative and importlib imports are arrows, and the circle is found
    assert graph["hall.low.rules"] == {"hall.top"}
    assert graph["hall.top"] == {"hall", "hall.low", "hall.b"}
    assert cycles(graph) == [["hall.a", "hall.b"]]


def forbidden_imports(names: dict[str, set[str]]) -> list[str]:
    found = []
    for module, imported in sorted(names.items()):
        banned = next((v for k, v in FORBIDDEN.items()
                       if module == k or module.startswith(k + ".")), ())
        found += [f"  {module} imports {name}" for name in sorted(imported)
                  if any(name == b or name.startswith(b + ".") for b in banned)]
    return found


def test_no_part_imports_what_it_must_not() -> None:
    found = forbidden_imports(imported_names(module_files(ROOT, PACKAGES)))
    assert not found, "imports a part must not make (FORBIDDEN):\n" + "\n".join(found)


def test_the_forbidden_rule_sees_imports_in_functions(tmp_path: Path) -> None:
    # GIVEN a web module that imports SQLAlchemy and the store's tables inside a function
    web = tmp_path / "queue_server" / "web"
    web.mkdir(parents=True)
    (web.parent / "__init__.py").write_text("")
    (web / "__init__.py").write_text("")
    (web / "late.py").write_text("def f():\n    from sqlalchemy import select\n"
                                 "    from queue_server.store.models import Ticket\n"
                                 "    return select(Ticket)\n")
    # WHEN the rule reads it
    found = forbidden_imports(imported_names(module_files(tmp_path, ["queue_server"])))
    # THEN both imports are named
    assert found == ["  queue_server.web.late imports queue_server.store.models",
                     "  queue_server.web.late imports queue_server.store.models.Ticket",
                     "  queue_server.web.late imports sqlalchemy",
                     "  queue_server.web.late imports sqlalchemy.select"]
