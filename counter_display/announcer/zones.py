"""Which counters a zone announces, and their numbers, from `state/config` (pure)."""

from __future__ import annotations

from typing import Any

__all__ = ["counter_table", "zone_counters"]


def zone_counters(config: dict[str, Any] | None, zone: str | None) -> list[str]:
    """Counter ids the zone shows, in config order: the zone's list from state/config, or
    every counter for no zone / an unknown zone (the whole hall)."""
    config = config or {}
    everyone = [str(c.get("id")) for c in config.get("counters") or [] if c.get("id")]
    if zone:
        for entry in config.get("zones") or []:
            if entry.get("id") == zone:
                return [str(c) for c in entry.get("counters") or []]
    return everyone


def counter_table(config: dict[str, Any] | None) -> dict[str, tuple[int, str | None]]:
    """counter id -> (number, name) for Call.from_event."""
    table: dict[str, tuple[int, str | None]] = {}
    for entry in (config or {}).get("counters") or []:
        try:
            table[str(entry["id"])] = (int(entry["number"]), entry.get("name"))
        except (KeyError, TypeError, ValueError):
            continue
    return table
