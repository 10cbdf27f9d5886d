"""The officer PIN lock-out's rules (domain/lockout.py): per record, with back-off."""

from __future__ import annotations

from queue_server.domain.lockout import (
    FORGET_S,
    UNKNOWN_KEPT,
    LockoutPolicy,
    PinFailures,
    record_failure,
    stale,
    unknown_to_drop,
    wait_s,
)

POLICY = LockoutPolicy(attempts=3, lockout_s=300, max_s=1000)


def test_the_nth_wrong_pin_locks_and_each_lock_in_a_row_doubles():
    rec = PinFailures()
    for _ in range(2):
        record_failure(rec, 0.0, POLICY)
    assert wait_s(rec, 0.0) == 0
    record_failure(rec, 0.0, POLICY)
    assert wait_s(rec, 0.0) == 301 and wait_s(rec, 299.5) == 1 and wait_s(rec, 300.0) == 0
    for _ in range(3):
        record_failure(rec, 400.0, POLICY)
    assert rec.until == 400.0 + 600  # twice as long
    for _ in range(3):
        record_failure(rec, 2000.0, POLICY)
    assert rec.until == 2000.0 + 1000  # capped at the maximum, not 1200


def test_a_record_is_stale_a_day_after_its_last_wrong_pin_when_not_locked():
    rec = PinFailures()
    record_failure(rec, 0.0, POLICY)
    assert not stale(rec, FORGET_S - 1) and stale(rec, FORGET_S)
    locked = PinFailures(until=FORGET_S * 2, at=0.0)
    assert not stale(locked, FORGET_S)


def test_records_of_unknown_codes_per_device_are_bounded_oldest_first():
    records = {("counter-01", f"nobody-{i}"): PinFailures(at=float(i)) for i in range(40)}
    records[("counter-01", "petugas-01")] = PinFailures(at=0.0)  # a real officer: kept
    records[("counter-02", "nobody-x")] = PinFailures(at=0.0)  # another device: kept
    drop = unknown_to_drop(records, "counter-01", {"petugas-01"})
    assert len(drop) == 40 - UNKNOWN_KEPT
    assert drop == [("counter-01", f"nobody-{i}") for i in range(40 - UNKNOWN_KEPT)]
