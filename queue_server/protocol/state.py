"""The retained state, the events and the device presence, checked by topic kind before a
display or the dashboard believes them (docs/protocol.md, "State payloads").

Only the server writes `state/` and `event/`, and the broker's access control enforces it;
this is the second line: a forged or malformed message (a number where a list belongs, a
list of a million calls, a name of a megabyte) is ignored with one log line by whoever
reads it, and the last good value stays on the screen. Keys the contract does not list
are allowed (it grows by new optional fields); the keys it lists must have their types.
A cleared retained topic (an empty payload, None here) is always fine."""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from typing import Any

Check = Callable[[Any, str], None]  # raises _Bad naming where

MAX_STR = 1000  # any string of the state (a running text is at most 500)
MAX_LIST = 1000  # services, counters, agencies of one site
MAX_CALLS = 50  # policy.calls_kept is at most 50


class _Bad(Exception):
    pass


def _fail(path: str, what: str) -> None:
    raise _Bad(f"{path or 'payload'}: {what}")


def text(limit: int = MAX_STR) -> Check:
    def check(value: Any, path: str) -> None:
        if not isinstance(value, str) or len(value) > limit:
            _fail(path, f"not a string of at most {limit} characters")
    return check


def _int(value: Any, path: str) -> None:
    if type(value) is not int:
        _fail(path, "not an integer")


def _number(value: Any, path: str) -> None:
    if type(value) not in (int, float) or not math.isfinite(value):
        _fail(path, "not a number")


def _bool(value: Any, path: str) -> None:
    if type(value) is not bool:
        _fail(path, "not true or false")


def opt(check: Check) -> Check:
    def optional(value: Any, path: str) -> None:
        if value is not None:
            check(value, path)
    return optional


def list_of(check: Check, limit: int = MAX_LIST) -> Check:
    def items(value: Any, path: str) -> None:
        if not isinstance(value, list) or len(value) > limit:
            _fail(path, f"not a list of at most {limit} items")
        for i, item in enumerate(value):
            check(item, f"{path}[{i}]")
    return items


def obj(fields: Mapping[str, Check], required: tuple[str, ...] = ()) -> Check:
    def members(value: Any, path: str) -> None:
        if not isinstance(value, dict):
            _fail(path, "not an object")
        for key in required:
            if key not in value:
                _fail(f"{path}.{key}", "missing")
        for key, check in fields.items():
            if key in value:
                check(value[key], f"{path}.{key}" if path else key)
    return members


def map_of(check: Check, limit: int = 32) -> Check:
    def entries(value: Any, path: str) -> None:
        if not isinstance(value, dict) or len(value) > limit:
            _fail(path, f"not an object of at most {limit} keys")
        for key, item in value.items():
            check(item, f"{path}.{key}")
    return entries


STR, OSTR, INT, NUM, BOOL = text(), opt(text()), _int, _number, _bool
NAMES = obj({"id": STR, "en": STR})  # a name in both languages

TICKET = obj({"id": STR, "number": STR, "service": STR, "status": STR, "priority": OSTR,
              "issued_at": OSTR, "counter": OSTR, "called_at": OSTR, "recalls": INT,
              "appointment_slot": OSTR, "transferred_from": OSTR, "front": BOOL,
              "assist": OSTR},
             required=("number",))

SERVER = obj({"status": STR, "site": STR, "name": STR, "protocol": STR, "version": STR,
              "timezone": STR, "started_at": OSTR, "clock": OSTR, "clock_offset_s": NUM,
              "seq": INT}, required=("status",))

CONFIG = obj({
    "site": obj({"id": STR, "name": STR, "timezone": STR, "feedback_url": STR}),
    "agencies": list_of(obj({"id": STR, "name": NAMES, "icon": OSTR}, required=("id",))),
    "services": list_of(obj({"id": STR, "agency": STR, "name": NAMES, "prefix": STR,
                             "hours": map_of(list_of(text(32), 24)),
                             "daily_quota": opt(INT), "target_wait_min": NUM},
                            required=("id",))),
    "counters": list_of(obj({"id": STR, "name": STR, "number": INT, "agency": STR,
                             "services": list_of(STR)}, required=("id",))),
    "zones": list_of(obj({"id": STR, "name": STR, "counters": list_of(STR)},
                         required=("id",))),
    "kiosks": list_of(obj({"id": STR, "name": STR}, required=("id",))),
})

QUEUE = obj({"service": STR, "waiting": INT, "priority_waiting": INT,
             "longest_wait_s": NUM, "oldest_at": OSTR, "est_wait_s": opt(NUM),
             "avg_service_s": opt(NUM), "open": BOOL, "closed_reason": OSTR,
             "open_counters": INT, "issued_today": INT, "quota": opt(INT), "at": OSTR,
             "seq": INT})

COUNTER = obj({"counter": STR, "name": STR, "number": INT, "status": STR,
               "ticket": opt(TICKET), "since": OSTR, "reason": OSTR, "officer": OSTR,
               "services": list_of(STR), "seq": INT})

CALLS = list_of(obj({"number": STR, "counter": STR, "service": STR, "at": OSTR,
                     "recall_count": INT, "ticket": STR, "counter_name": STR,
                     "counter_number": INT}, required=("number",)), MAX_CALLS)


def _message_text(value: Any, path: str) -> None:
    (NAMES if isinstance(value, dict) else text(500))(value, path)


MESSAGE = obj({"text": _message_text, "text_en": opt(text(500)), "at": OSTR, "by": OSTR})

EVENT = obj({"seq": INT, "type": STR, "ticket": TICKET, "counter": OSTR, "at": OSTR,
             "to_service": OSTR, "new_ticket": OSTR}, required=("type", "ticket"))

PRESENCE = obj({"role": STR, "status": STR, "clock": OSTR,
                "printer": opt(obj({"state": OSTR, "paper": OSTR}))}, required=("status",))

CHECKS: dict[str, Check] = {
    "server": SERVER, "config": CONFIG, "queue": QUEUE, "counter": COUNTER, "calls": CALLS,
    "message": MESSAGE, "event": EVENT, "device": PRESENCE,
}


def problem(kind: str, value: Any) -> str | None:
    """What is wrong with one message, or None when it may be used. `kind` is a topic
    kind (`server`, `queue`, `event`, `device`, ...: protocol/topics.TopicKind) or a
    state key as the apps keep it (`queue/ktp`, `counter/loket-01`)."""
    check = CHECKS.get(kind.split("/", 1)[0])
    if check is None or value is None:
        return None
    try:
        check(value, "")
    except _Bad as err:
        return str(err)
    except RecursionError:
        return "nested too deep"
    return None
