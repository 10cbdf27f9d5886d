"""The wire's times read back as epoch seconds (queue_server/protocol/times.py)."""

from __future__ import annotations

from zoneinfo import ZoneInfo

import pytest

from queue_server.domain.numbering import iso_local
from queue_server.protocol.times import epoch_of


def test_a_time_the_engine_wrote_reads_back_to_the_millisecond() -> None:
    # GIVEN an instant written as the engine writes it, in the site's zone
    written = iso_local(1_764_470_400.125, ZoneInfo("Asia/Makassar"))
    # WHEN a client reads it back THEN it is the same instant
    assert written == "2025-11-30T10:40:00.125+08:00"
    assert epoch_of(written) == 1_764_470_400.125


@pytest.mark.parametrize("value", [None, "", "yesterday", 1_764_470_400, {"at": 1}])
def test_what_is_not_a_time_reads_as_none(value: object) -> None:
    assert epoch_of(value) is None
