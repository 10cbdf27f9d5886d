"""Wait estimates from recent service times and open counters."""

from __future__ import annotations

import pytest

from queue_server.domain.estimate import estimate_wait_s, mean_service_s


@pytest.mark.parametrize(
    ("recent", "default", "expected"),
    [
        pytest.param([], 300.0, 300.0, id="no-data-default"),
        pytest.param([1.0, 2.0, 4.9], 300.0, 300.0, id="only-slips-default"),
        pytest.param([5.0], 300.0, 5.0, id="five-seconds-counts"),
        pytest.param([60.0, 120.0, 180.0], 300.0, 120.0, id="mean"),
        pytest.param([2.0, 100.0, 4.99, 200.0], 300.0, 150.0, id="slips-ignored-in-mean"),
        pytest.param((240.0,), 300.0, 240.0, id="tuple-input"),
    ],
)
def test_mean_service_s(recent: list[float], default: float, expected: float) -> None:
    assert mean_service_s(recent, default) == pytest.approx(expected)


@pytest.mark.parametrize(
    ("ahead", "service_s", "counters", "expected"),
    [
        pytest.param(0, 300.0, 2, 0, id="nobody-ahead"),
        pytest.param(-1, 300.0, 2, 0, id="negative-ahead"),
        pytest.param(1, 300.0, 1, 300, id="one-ahead"),
        pytest.param(3, 100.0, 1, 300, id="three-ahead-one-counter"),
        pytest.param(3, 100.0, 2, 200, id="ceil-3-over-2"),
        pytest.param(4, 100.0, 2, 200, id="exact-4-over-2"),
        pytest.param(5, 100.0, 2, 300, id="ceil-5-over-2"),
        pytest.param(1, 100.0, 3, 100, id="fewer-ahead-than-counters"),
        pytest.param(3, 100.0, 0, 300, id="zero-counters-as-one"),
        pytest.param(3, 100.0, -2, 300, id="negative-counters-as-one"),
        pytest.param(2, 62.5, 1, 125, id="fractional-service"),
    ],
)
def test_estimate_wait_s(ahead: int, service_s: float, counters: int, expected: int) -> None:
    wait = estimate_wait_s(ahead, service_s, counters)
    assert wait == expected
    assert type(wait) is int
