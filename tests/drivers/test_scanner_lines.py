"""LineAssembler: terminators, reassembly, decoding, control characters, stale partials."""

from __future__ import annotations

import pytest

from drivers.scanner import SCANNER_CONFIG, LineAssembler, ScannerError, decode_line


class FakeClock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


@pytest.mark.parametrize(
    ("terminator", "wire"),
    [("CR", b"AB12CD\rEF34GH\r"), ("LF", b"AB12CD\nEF34GH\n"), ("CRLF", b"AB12CD\r\nEF34GH\r\n")],
)
def test_each_terminator_splits_lines(terminator: str, wire: bytes) -> None:
    assert LineAssembler(terminator).feed(wire) == ["AB12CD", "EF34GH"]


def test_line_split_across_reads_is_reassembled() -> None:
    assembler = LineAssembler("CRLF")
    assert assembler.feed(b"MPP1:mpp-") == []
    assert assembler.feed(b"makassar:AB12CD\r") == []
    assert assembler.feed(b"\nNEXT") == ["MPP1:mpp-makassar:AB12CD"]


def test_stray_other_line_ends_and_control_chars_are_stripped() -> None:
    assert LineAssembler("LF").feed(b"\x02AB12CD\r\x03\n") == ["AB12CD"]


def test_empty_lines_are_not_scans() -> None:
    assert LineAssembler("CR").feed(b"\r\r\x00\r") == []


def test_utf8_then_latin1_fallback() -> None:
    assert decode_line("Kartu Keluarga – ok".encode()) == "Kartu Keluarga – ok"
    assert decode_line("Café".encode("latin-1")) == "Café"


def test_stale_partial_line_is_dropped_not_glued_to_the_next_scan() -> None:
    # GIVEN a truncated scan "ABC1" (no terminator)
    clock = FakeClock()
    assembler = LineAssembler("CR", stale_after=1.0, clock=clock)
    assert assembler.feed(b"ABC1") == []
    # WHEN the next scan arrives 2 s later
    clock.now += 2.0
    # THEN only the new scan comes out
    assert assembler.feed(b"XYZ123\r") == ["XYZ123"]
    assert assembler.dropped_partials == 1


def test_unterminated_flood_is_flushed_at_the_buffer_limit() -> None:
    assembler = LineAssembler("CR", max_buffer=16)
    lines = assembler.feed(b"A" * 20)
    assert lines == ["A" * 20]
    assert assembler.feed(b"OK1234\r") == ["OK1234"]


def test_unknown_terminator_is_a_config_error() -> None:
    with pytest.raises(ScannerError) as info:
        LineAssembler("NUL")
    assert info.value.code == SCANNER_CONFIG
