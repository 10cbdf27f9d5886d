"""bench/run.py's verdict on the call-to-event latency: its p99 over the QUIET PLAIN floor
(request/reply p99 + durable commit p99, measured before the load on the plain broker). The
secured broker's floors (before the load, after it, in blocks between the calls) are
reported beside, with the cost of security as ratios, and decide nothing. Pure functions
over made-up figures; no broker, no server."""

from __future__ import annotations

from typing import Any

import pytest

from bench.run import _document, _floor_ratio, _within


def latency(p99: float | None, p50: float | None = None) -> dict[str, Any]:
    return {"n": 0 if p99 is None else 100, "p50": p99 if p50 is None else p50, "p99": p99,
            "max": p99, "mean": p99}


def pair(req_rep_p99: float | None, commit_p99: float | None,
         commits_per_s: float = 2000.0, req_rep_p50: float | None = None) -> dict[str, Any]:
    return {"mqtt_request_reply_ms": latency(req_rep_p99, req_rep_p50),
            "sqlite_durable_commit": {**latency(commit_p99), "commits_per_s": commits_per_s}}


# --------------------------------------------------------------------------- _floor_ratio


def test_ratio_is_the_event_p99_over_the_sum_of_both_floor_p99s() -> None:
    assert _floor_ratio(6.0, latency(0.5), latency(1.5)) == 3.0
    assert _floor_ratio(1.0, latency(1.0), latency(2.0)) == 0.33  # two decimals


def test_no_event_p99_gives_no_ratio() -> None:
    assert _floor_ratio(None, latency(0.5), latency(1.5)) is None


def test_a_zero_or_missing_floor_gives_no_ratio_not_an_error() -> None:
    assert _floor_ratio(4.0, latency(0.0), latency(0.0)) is None
    assert _floor_ratio(4.0, latency(None), latency(1.0)) is None
    assert _floor_ratio(4.0, latency(1.0), latency(None)) is None


def test_a_ratio_without_a_figure_never_passes() -> None:
    assert _within(3.0, 3) is True
    assert _within(3.01, 3) is False
    assert _within(0.0, 3) is True
    assert _within(None, 3) is False


# --------------------------------------------------------------------------- the document


def document(event_p99: float | None, before: dict[str, Any], after: dict[str, Any],
             in_blocks: dict[str, Any], secured: dict[str, Any] | None = None,
             one_way_p50: tuple[float, float] = (0.3, 0.3)) -> dict[str, Any]:
    """`before`: the plain broker's quiet floor; `secured` (default: the same as `before`),
    after and in_blocks: the secured broker's; `one_way_p50`: (plain, secured)."""
    tickets = {"tickets": 600, "tickets_per_s": 1200.0, "issue_reply_ms": latency(5.0),
               "errors": {}, "numbering": {"duplicates": 0, "gaps": 0, "per_service": {}}}
    calls = {"call_to_event_ms": latency(event_p99), "call_reply_ms": latency(4.0),
             "missing_events": 0}
    stored = {"rows": 600, "duplicates": 0, "gaps": 0, "acked_missing": 0}
    floors_doc = {"mqtt_one_way_ms": latency(0.5, one_way_p50[0]), "before_load": before,
                  "secured_mqtt_one_way_ms": latency(0.5, one_way_p50[1]),
                  "secured_before_load": before if secured is None else secured,
                  "after_load": after, "in_blocks": in_blocks}
    return _document({"cores": 2}, floors_doc, tickets, calls, stored, ["ktp"], {}, 0,
                     quick=True)


def test_the_verdict_is_taken_against_the_quiet_floor_before_the_load() -> None:
    # GIVEN calls whose p99 is within 3 floors in blocks (the floor grew with the load)
    # but 4 quiet floors
    doc = document(8.0, before=pair(0.5, 1.5), after=pair(0.6, 1.4),
                   in_blocks=pair(1.5, 2.5))
    ratios = doc["ratios"]
    assert ratios["call_to_event_p99_vs_floor_before_load"] == 4.0
    assert ratios["call_to_event_p99_vs_floor_after_load"] == 4.0
    assert ratios["call_to_event_p99_vs_floor_in_blocks"] == 2.0
    # THEN it fails: the in-block ratio is a diagnostic only
    assert doc["pass"]["call_to_event_p99"] is False


def test_a_quieter_floor_after_the_load_does_not_decide_either() -> None:
    doc = document(6.0, before=pair(0.5, 1.5), after=pair(0.4, 0.6),
                   in_blocks=pair(3.0, 3.0))
    assert doc["ratios"]["call_to_event_p99_vs_floor_before_load"] == 3.0
    assert doc["ratios"]["call_to_event_p99_vs_floor_after_load"] == 6.0
    assert doc["pass"]["call_to_event_p99"] is True


def test_the_floors_and_their_sums_are_in_the_document() -> None:
    before, after, in_blocks = pair(0.5, 1.5), pair(0.6, 1.4), pair(1.25, 2.5)
    doc = document(8.0, before, after, in_blocks)
    assert doc["floors"]["before_load"] == before
    assert doc["floors"]["after_load"] == after
    assert doc["floors"]["in_blocks"] == in_blocks
    ratios = doc["ratios"]
    assert ratios["call_to_event_floor_before_load_ms"] == 2.0
    assert ratios["call_to_event_floor_after_load_ms"] == 2.0
    assert ratios["call_to_event_floor_in_blocks_ms"] == 3.75
    assert "call_to_event_p99_vs_floor" not in ratios  # renamed: _in_blocks
    assert ratios["tickets_per_s_vs_raw_sqlite_commit_rate"] == 0.6  # 1200 / 2000


@pytest.mark.parametrize(("event_p99", "before"), [
    (None, pair(0.5, 1.5)),  # no call reached the display
    (4.0, pair(0.0, 0.0)),   # a floor rounded to nothing
    (4.0, pair(None, 1.5)),  # a floor with no samples
])
def test_no_quiet_ratio_means_no_pass(event_p99: float | None,
                                      before: dict[str, Any]) -> None:
    doc = document(event_p99, before=before, after=pair(0.5, 1.5), in_blocks=pair(0.5, 1.5))
    assert doc["ratios"]["call_to_event_p99_vs_floor_before_load"] is None
    assert doc["pass"]["call_to_event_p99"] is False



# --------------------------------------------------------------------------- security


def test_the_verdict_is_taken_against_the_plain_floor_not_the_secured_one() -> None:
    # GIVEN calls within 3 of the secured broker's quiet floor, but not of the plain one's
    doc = document(9.0, before=pair(1.0, 1.0), secured=pair(2.0, 1.0),
                   after=pair(2.0, 1.0), in_blocks=pair(2.0, 1.0))
    ratios = doc["ratios"]
    assert ratios["call_to_event_p99_vs_floor_before_load"] == 4.5
    assert ratios["call_to_event_p99_vs_floor_secured_before_load"] == 3.0
    assert ratios["call_to_event_floor_before_load_ms"] == 2.0
    assert ratios["call_to_event_floor_secured_before_load_ms"] == 3.0
    # THEN it fails: the cost of security counts against the hall, not the yardstick
    assert doc["pass"]["call_to_event_p99"] is False
    assert doc["floors"]["broker"]["before_load"] == "plain"
    assert doc["floors"]["broker"]["secured_before_load"] == "secured"
    assert doc["floors"]["broker"]["in_blocks"] == "secured"


def test_the_cost_of_security_is_the_secured_floor_over_the_plain_one() -> None:
    doc = document(6.0, before=pair(1.0, 1.0, req_rep_p50=0.5),
                   secured=pair(1.5, 1.5, req_rep_p50=0.6), after=pair(1.0, 1.0),
                   in_blocks=pair(1.0, 1.0), one_way_p50=(0.4, 0.5))
    cost = doc["ratios"]["security_cost"]
    assert cost == {
        "request_reply_p50_secured_vs_plain": 1.2,
        "request_reply_p99_secured_vs_plain": 1.5,
        "one_way_p50_secured_vs_plain": 1.25,
        "quiet_floor_secured_vs_plain": 1.5,  # (1.5 + 1.5) / (1.0 + 1.0)
        "call_to_event_p99_vs_plain_floor": 3.0,  # the verdict's ratio
        "call_to_event_p99_vs_secured_floor": 2.0,
    }
    assert doc["pass"]["call_to_event_p99"] is True


def test_a_missing_plain_figure_gives_no_cost_not_an_error() -> None:
    doc = document(6.0, before=pair(None, 1.0), secured=pair(1.5, 1.5),
                   after=pair(1.0, 1.0), in_blocks=pair(1.0, 1.0), one_way_p50=(0.0, 0.5))
    cost = doc["ratios"]["security_cost"]
    assert cost["request_reply_p99_secured_vs_plain"] is None
    assert cost["one_way_p50_secured_vs_plain"] is None
    assert cost["quiet_floor_secured_vs_plain"] is None
    assert cost["call_to_event_p99_vs_plain_floor"] is None
    assert doc["pass"]["call_to_event_p99"] is False
