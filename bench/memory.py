"""A process's resident memory, from /proc (Linux): now, and the peak since a reset."""

from __future__ import annotations

import re


def _status_kib(field: str, pid: int | str = "self") -> int:
    with open(f"/proc/{pid}/status", encoding="ascii") as f:
        found = re.search(rf"^{field}:\s+(\d+) kB", f.read(), re.MULTILINE)
    if not found:
        raise RuntimeError(f"no {field} in /proc/{pid}/status")
    return int(found.group(1))


def rss_mib(pid: int | str = "self") -> float:
    return _status_kib("VmRSS", pid) / 1024


def peak_rss_mib(pid: int | str = "self") -> float:
    """The highest resident memory since the process began, or since reset_peak()."""
    return _status_kib("VmHWM", pid) / 1024


def reset_peak(pid: int | str = "self") -> None:
    """Start the peak over from the memory resident now (Linux 4.0+: clear_refs 5)."""
    with open(f"/proc/{pid}/clear_refs", "w", encoding="ascii") as f:
        f.write("5")
