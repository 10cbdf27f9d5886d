"""The officer PIN lock-out, per (device, officer code): wrong PINs typed at one counter
lock that code at that counter only, so someone at another device cannot lock an officer
out of their own desk. Each lock in a row lasts twice the one before (back-off), up to a
maximum; a good PIN, or a day without a wrong one, starts over. Pure rules over plain
records; the engine keeps them in the hall and the store writes them (table pin_lockouts)
so a restart does not lift a lock."""

from __future__ import annotations

from dataclasses import dataclass

FORGET_S = 24 * 3600.0  # an unlocked record with no wrong PIN for this long is dropped
UNKNOWN_KEPT = 32  # records of codes no officer has, per device (the oldest go first)

Key = tuple[str, str]  # (device, officer code)


@dataclass
class PinFailures:
    failures: int = 0  # wrong PINs since the last lock
    locks: int = 0  # locks in a row: the back-off's exponent
    until: float = 0.0  # locked until (epoch s); 0: not locked
    at: float = 0.0  # the last wrong PIN


@dataclass(frozen=True)
class LockoutPolicy:
    attempts: int
    lockout_s: float
    max_s: float


def wait_s(rec: PinFailures | None, now: float) -> int:
    """Whole seconds left to wait (rounded up, at least 1 while locked); 0: not locked."""
    if rec is None or rec.until <= now:
        return 0
    return int(rec.until - now) + 1


def record_failure(rec: PinFailures, now: float, policy: LockoutPolicy) -> None:
    """One more wrong PIN; the `attempts`-th since the last lock locks again, for twice as
    long as the lock before."""
    rec.failures += 1
    rec.at = now
    if rec.failures >= policy.attempts:
        rec.locks += 1
        rec.failures = 0
        rec.until = now + min(policy.max_s, policy.lockout_s * 2 ** (rec.locks - 1))


def stale(rec: PinFailures, now: float) -> bool:
    """Not locked, and no wrong PIN for FORGET_S: nothing left to remember."""
    return rec.until <= now and now - rec.at >= FORGET_S


def unknown_to_drop(records: dict[Key, PinFailures], device: str,
                    known: set[str] | frozenset[str]) -> list[Key]:
    """The records of `device` for codes no officer has, beyond UNKNOWN_KEPT: the oldest
    (by last wrong PIN). Bounds what a device typing random codes can make us keep."""
    unknown = sorted((rec.at, key) for key, rec in records.items()
                     if key[0] == device and key[1] not in known)
    return [key for _at, key in unknown[:max(0, len(unknown) - UNKNOWN_KEPT)]]
