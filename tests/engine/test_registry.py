"""The op catalogue (protocol/ops.py) and the engine agree: every op has exactly one
handler, an argument spec and a role rule; every handler is for an op of the catalogue;
and an op the catalogue calls read-only changes nothing in the hall."""

from __future__ import annotations

import pytest

from queue_server.domain.hall import Changes, Hall
from queue_server.engine.core import ALL_HANDLERS
from queue_server.engine.officers import OFFICER_HANDLERS
from queue_server.engine.ops import HANDLERS, Ctx, registry
from queue_server.engine.supervisor import SUPERVISOR_HANDLERS
from queue_server.protocol.messages import ARG_SPECS, ROLE_OPS
from queue_server.protocol.ops import OPS, ROLES, SUPERVISOR
from tests.support.site import local_ts, small_site


def test_every_op_of_the_catalogue_has_a_handler() -> None:
    missing = sorted(set(OPS) - set(ALL_HANDLERS))
    assert not missing, f"ops with no handler in the engine's tables: {missing}"


def test_every_handler_is_for_an_op_of_the_catalogue_and_only_one() -> None:
    tables = [HANDLERS, OFFICER_HANDLERS, SUPERVISOR_HANDLERS]
    strays = sorted(name for table in tables for name in table if name not in OPS)
    assert not strays, f"handlers for ops the catalogue does not know: {strays}"
    names = [name for table in tables for name in table]
    assert len(names) == len(set(names)), "an op with two handlers"


def test_every_op_has_a_role_rule_and_an_argument_spec() -> None:
    for name, op in OPS.items():
        assert op.roles and op.roles <= set(ROLES), f"{name}: roles {set(op.roles)}"
        assert any(name in ROLE_OPS[role] for role in ROLES if role != SUPERVISOR) \
            or op.roles == {SUPERVISOR}, f"{name}: no device role may use it"
        assert ARG_SPECS[name] == op.args
    assert ROLE_OPS[SUPERVISOR] == set(OPS)  # the dashboard's in-process caller may do all


def test_the_registry_refuses_an_unknown_op_and_a_second_handler() -> None:
    # GIVEN the engine's own tables
    with pytest.raises(KeyError, match=r"ticket\.print"):
        registry(HANDLERS, {"ticket.print": HANDLERS["ping"]})
    with pytest.raises(KeyError, match="ping"):
        registry(HANDLERS, {"ping": HANDLERS["ping"]})


@pytest.mark.parametrize("name", sorted(n for n, op in OPS.items() if op.read_only))
def test_a_read_only_op_changes_nothing(name: str) -> None:
    # GIVEN a hall with an officer signed in at counter-01
    hall = Hall.empty(small_site("t-registry"))
    hall.sessions["counter-01"] = "petugas-01"
    now = local_ts("2026-11-30T09:00")
    # WHEN the op runs (on that counter, when it names one)
    args = {"counter": "loket-01"} if "counter" in OPS[name].args else {}
    ALL_HANDLERS[name](hall, Ctx(now=now, day="2026-11-30", device="counter-01"), args)
    # THEN nothing is left to write or to publish (so its reply need not be kept)
    assert hall.take_changes() == Changes()
