"""bench/stats.py: the statistics behind the benchmarks' verdicts (percentiles, the
numbering check) and the rounding of their figures. Pure functions, no processes."""

from __future__ import annotations

import math

import pytest

from bench.stats import numbering_check, percentile, significant, summary_ms

# --------------------------------------------------------------------------- percentile


def test_percentile_of_nothing_is_an_error() -> None:
    with pytest.raises(ValueError, match="empty"):
        percentile([], 99)


@pytest.mark.parametrize("p", [0, 1, 50, 99, 100])
def test_percentile_of_one_sample_is_that_sample(p: float) -> None:
    assert percentile([7.5], p) == 7.5


def test_p99_of_a_hundred_values_is_the_99th_not_the_largest() -> None:
    values = list(range(1, 101))  # 1..100
    assert percentile(values, 99) == 99
    assert percentile(values, 100) == 100
    assert percentile(values, 50) == 50
    assert percentile(values, 1) == 1


def test_percentile_is_nearest_rank_never_interpolated() -> None:
    # nearest rank: ceil(p/100 * n); p99 of 10 values is the 10th, p50 the 5th
    values = [10, 20, 30, 40, 50, 60, 70, 80, 90, 1000]
    assert percentile(values, 99) == 1000
    assert percentile(values, 90) == 90
    assert percentile(values, 50) == 50
    assert percentile([1, 2], 50) == 1
    assert percentile(values, 0) == 10  # rank at least 1


def test_p99_of_two_hundred_values_lets_the_two_largest_out() -> None:
    values = [1.0] * 198 + [500.0, 900.0]
    assert percentile(values, 99) == 1.0


# --------------------------------------------------------------------------- summary_ms


def test_summary_of_no_samples_has_no_figures() -> None:
    assert summary_ms([]) == {"n": 0, "p50": None, "p99": None, "max": None, "mean": None}


def test_summary_is_in_milliseconds_whatever_the_order() -> None:
    samples_ns = [3_000_000, 1_000_000, 2_000_000]  # 3, 1, 2 ms, unsorted
    assert summary_ms(samples_ns) == {"n": 3, "p50": 2.0, "p99": 3.0, "max": 3.0, "mean": 2.0}


# --------------------------------------------------------------------------- numbering


def test_contiguous_numbers_from_one_pass() -> None:
    check = numbering_check({"ktp": [3, 1, 2], "kk": [1]})
    assert (check["duplicates"], check["gaps"]) == (0, 0)
    assert check["per_service"]["ktp"] == {"tickets": 3, "max": 3, "duplicates": 0, "gaps": 0}


def test_a_service_with_no_tickets_has_neither_duplicates_nor_gaps() -> None:
    check = numbering_check({"ktp": []})
    assert check == {"duplicates": 0, "gaps": 0,
                     "per_service": {"ktp": {"tickets": 0, "max": 0, "duplicates": 0,
                                             "gaps": 0}}}
    assert numbering_check({}) == {"duplicates": 0, "gaps": 0, "per_service": {}}


def test_a_number_given_twice_is_a_duplicate() -> None:
    check = numbering_check({"ktp": [1, 2, 2, 3, 3, 3]})
    assert (check["duplicates"], check["gaps"]) == (3, 0)


def test_a_number_nobody_holds_is_a_gap() -> None:
    check = numbering_check({"ktp": [1, 2, 4, 7]})
    assert (check["duplicates"], check["gaps"]) == (0, 3)  # 3, 5 and 6


def test_a_day_that_does_not_start_at_one_has_a_gap() -> None:
    assert numbering_check({"ktp": [2, 3]})["gaps"] == 1


def test_duplicates_and_gaps_add_up_over_services() -> None:
    check = numbering_check({"ktp": [1, 1, 3], "kk": [1, 2, 2, 5]})
    assert (check["duplicates"], check["gaps"]) == (2, 3)
    assert check["per_service"]["ktp"]["gaps"] == 1
    assert check["per_service"]["kk"] == {"tickets": 4, "max": 5, "duplicates": 1, "gaps": 2}


# --------------------------------------------------------------------------- significant


@pytest.mark.parametrize(("value", "expected"), [
    (0.000123456, 0.000123),
    (0.04, 0.04),
    (0.0449999, 0.045),
    (1.23456, 1.23),
    (68.94, 68.9),
    (457.2, 457.0),
    (1234.5, 1230.0),
    (-0.0123456, -0.0123),
])
def test_significant_keeps_three_digits(value: float, expected: float) -> None:
    assert significant(value) == pytest.approx(expected, rel=1e-12)


def test_a_tiny_figure_is_never_rounded_to_zero() -> None:
    # what round(x, 1) did to `extrapolated_full_s` on a fast machine
    for value in (0.04, 1e-6, 3.2e-9, 5e-300):
        assert round(value, 1) == 0.0
        assert significant(value) > 0


def test_significant_leaves_zero_and_non_finite_values_alone() -> None:
    assert significant(0.0) == 0.0
    assert significant(math.inf) == math.inf
    assert math.isnan(significant(math.nan))


def test_significant_takes_the_digits_asked_for() -> None:
    assert significant(0.0123456, 1) == 0.01
    assert significant(0.0123456, 5) == pytest.approx(0.012346, rel=1e-12)
    with pytest.raises(ValueError, match="digits"):
        significant(1.0, 0)
