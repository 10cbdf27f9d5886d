"""Per-device token buckets (domain/limits.py): a burst, then a steady rate."""

from __future__ import annotations

from queue_server.domain.limits import TokenBuckets


def test_a_burst_then_one_token_per_interval():
    buckets = TokenBuckets(burst=3, per_min=6)  # one token every 10 s
    assert [buckets.take("kiosk-01", 100.0) for _ in range(3)] == [0, 0, 0]
    assert buckets.take("kiosk-01", 100.0) == 10  # the fourth waits for the next token
    assert buckets.take("kiosk-01", 104.0) == 6
    assert buckets.refused("kiosk-01") == 2
    assert buckets.take("kiosk-01", 110.0) == 0  # one token came back
    assert buckets.refused("kiosk-01") == 0
    assert buckets.take("kiosk-01", 110.0) == 10


def test_each_device_has_its_own_bucket():
    buckets = TokenBuckets(burst=2, per_min=1)
    for _ in range(2):
        buckets.take("kiosk-01", 0.0)
    assert buckets.take("kiosk-01", 0.0) == 60
    assert buckets.take("kiosk-02", 0.0) == 0  # another kiosk is untouched


def test_the_bucket_never_holds_more_than_the_burst():
    buckets = TokenBuckets(burst=2, per_min=60)
    buckets.take("k", 0.0)
    assert [buckets.take("k", 3600.0) for _ in range(3)] == [0, 0, 1]


def test_a_token_given_back_can_be_taken_again():
    buckets = TokenBuckets(burst=1, per_min=1)
    assert buckets.take("k", 0.0) == 0
    buckets.give_back("k")
    assert buckets.take("k", 0.0) == 0
    assert buckets.take("k", 0.0) == 60


def test_burst_zero_means_no_limit():
    buckets = TokenBuckets(burst=0, per_min=1)
    assert all(buckets.take("k", 0.0) == 0 for _ in range(10_000))


def test_full_buckets_are_forgotten():
    buckets = TokenBuckets(burst=2, per_min=6)
    buckets.take("k1", 0.0)
    buckets.take("k2", 0.0)
    buckets.take("k2", 0.0)
    buckets.forget_full(10.0)  # k1 is full again, k2 still one short
    assert set(buckets._buckets) == {"k2"}
    buckets.forget_full(20.0)
    assert not buckets._buckets
