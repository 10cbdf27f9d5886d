"""Which counters a zone announces, their numbers, and the call a wire event makes in a
zone, from `state/config` (pure). The wall and the headless announcer both use it."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any

from queue_server.protocol.ops import CALL_EVENTS
from queue_server.protocol.state import problem
from queue_server.protocol.text import printable

from .phrases import Call, PhraseError

__all__ = ["counter_table", "zone_call", "zone_counters"]


def zone_counters(config: Mapping[str, Any] | None, zone: str | None) -> list[str]:
    """Counter ids the zone shows, in config order: the zone's list from state/config, or
    every counter for no zone / an unknown zone (the whole hall)."""
    config = config or {}
    everyone = [str(c.get("id")) for c in config.get("counters") or [] if c.get("id")]
    if zone:
        for entry in config.get("zones") or []:
            if entry.get("id") == zone:
                return [str(c) for c in entry.get("counters") or []]
    return everyone


def counter_table(config: Mapping[str, Any] | None) -> dict[str, tuple[int, str | None]]:
    """counter id -> (number, name) for Call.from_event."""
    table: dict[str, tuple[int, str | None]] = {}
    for entry in (config or {}).get("counters") or []:
        try:
            table[str(entry["id"])] = (int(entry["number"]), entry.get("name"))
        except (KeyError, TypeError, ValueError):
            continue
    return table


def zone_call(event: Mapping[str, Any], config: Mapping[str, Any] | None,
              zone: str | None) -> Call | None:
    """The Call to announce for one wire event, or None (another type, another zone's
    counter). Raises PhraseError for a call of the zone that cannot be spoken, and for a
    malformed event (protocol/state.py: a forged one, say)."""
    why = problem("event", event)
    if why is not None:
        raise PhraseError("bad_event", f"malformed event: {printable(why)}")
    if event.get("type") not in CALL_EVENTS:
        return None
    if event.get("counter") not in set(zone_counters(config, zone)):
        return None
    call = Call.from_event(event, counter_table(config))
    return dataclasses.replace(call, zone=zone or "hall",
                               extra={"counter_id": str(event.get("counter")),
                                      "seq": event.get("seq"), "at": event.get("at")})
