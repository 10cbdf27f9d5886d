"""Officer sign-in at a counter device, the lock-out after wrong PINs (per device and
officer code, domain/lockout.py), and the officer's own figures for today."""

from __future__ import annotations

import json
from typing import Any

from queue_server import pins
from queue_server.domain.hall import Hall
from queue_server.domain.lifecycle import TicketStatus
from queue_server.domain.lockout import (
    LockoutPolicy,
    PinFailures,
    record_failure,
    unknown_to_drop,
    wait_s,
)
from queue_server.engine.ops import Ctx, Handler, Result
from queue_server.protocol.errors import ErrorCode, ProtocolError


def _save_sessions(hall: Hall) -> None:
    hall.changes.settings["sessions"] = json.dumps(hall.sessions, sort_keys=True)


def _lockout_policy(hall: Hall) -> LockoutPolicy:
    p = hall.cfg.policy
    return LockoutPolicy(p.signin_attempts, p.signin_lockout_s, p.signin_lockout_max_s)


def _wrong_pin(hall: Hall, ctx: Ctx, code: str) -> None:
    """Count a wrong PIN for this device and code (domain/lockout.py), to be written."""
    key = (ctx.device, code)
    rec = hall.pin_failures.setdefault(key, PinFailures())
    record_failure(rec, ctx.now, _lockout_policy(hall))
    hall.changes.pin_failures.add(key)
    known = frozenset(o.code for o in hall.cfg.officers)
    for old in unknown_to_drop(hall.pin_failures, ctx.device, known):
        del hall.pin_failures[old]
        hall.changes.pin_failures.add(old)


def officer_signin(hall: Hall, ctx: Ctx, args: dict[str, Any]) -> Result:
    code = args["officer"]
    key = (ctx.device, code)
    wait = wait_s(hall.pin_failures.get(key), ctx.now)
    if wait:
        raise ProtocolError(ErrorCode.LOCKED_OUT, f"too many wrong PINs: try again in {wait} s",
                            retry_after_s=wait)
    officer = hall.cfg.officer(code)
    if officer is None or not pins.check_pin(args["pin"], officer.pin_hash):
        _wrong_pin(hall, ctx, code)  # the same answer for an unknown officer and a wrong PIN
        raise ProtocolError(ErrorCode.BAD_CREDENTIALS, "wrong officer code or PIN")
    if hall.pin_failures.pop(key, None) is not None:
        hall.changes.pin_failures.add(key)
    hall.sessions[ctx.device] = code
    _save_sessions(hall)
    device = hall.cfg.device(ctx.device)
    counters = list(device.counters) if device is not None else []
    return {"officer": {"code": officer.code, "name": officer.name, "agency": officer.agency},
            "counters": counters}


def officer_signout(hall: Hall, ctx: Ctx, args: dict[str, Any]) -> Result:
    code = hall.sessions.pop(ctx.device, None)
    if code is not None:
        _save_sessions(hall)
    return {"officer": code}


def officer_stats(hall: Hall, ctx: Ctx, args: dict[str, Any]) -> Result:
    """Today's figures of the officer signed in on this device."""
    code = hall.sessions.get(ctx.device)
    if code is None:
        raise ProtocolError(ErrorCode.NOT_SIGNED_IN, "sign in first")
    mine = [t for t in hall.tickets.values() if t.officer == code and t.day == ctx.day]
    done = [t for t in mine if t.status is TicketStatus.DONE]
    spans = [t.finished_at - (t.started_at or t.called_at or t.finished_at)
             for t in done if t.finished_at is not None]
    return {
        "officer": code,
        "called": len(mine),
        "served": len(done),
        "no_show": sum(1 for t in mine if t.status is TicketStatus.NO_SHOW),
        "transferred": sum(1 for t in mine if t.status is TicketStatus.TRANSFERRED),
        "avg_service_s": int(sum(spans) / len(spans)) if spans else 0,
    }


OFFICER_HANDLERS: dict[str, Handler] = {
    "officer.signin": officer_signin,
    "officer.signout": officer_signout,
    "officer.stats": officer_stats,
}
