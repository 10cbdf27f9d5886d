"""Hostile text in commands: control characters never pass the argument checks (the
database and the logs would take them), log lines escape what they quote, and an
oversized payload is refused without being parsed."""

from __future__ import annotations

import json

import pytest

from queue_server.protocol.errors import ErrorCode, ProtocolError
from queue_server.protocol.messages import MAX_PAYLOAD, dumps, parse_command, peek_id
from queue_server.protocol.text import has_control, printable

CONTROLS = ["\x00", "\n", "\r", "\t", "\x1b", "\x7f", "\x85", "\u2028", "\u2029"]


def _code(payload: bytes) -> ErrorCode:
    with pytest.raises(ProtocolError) as info:
        parse_command(payload)
    return info.value.code


@pytest.mark.parametrize("char", CONTROLS, ids=[hex(ord(c)) for c in CONTROLS])
@pytest.mark.parametrize(("op", "name", "args"), [
    ("ticket.issue", "service", {"service": "ktp{}"}),
    ("appointment.checkin", "code", {"code": "APT{}1"}),
    ("officer.signin", "officer", {"officer": "petugas{}", "pin": "1234"}),
    ("counter.open", "officer", {"counter": "loket-01", "officer": "x{}y"}),
    ("message.broadcast", "text", {"text": "Selamat{}pagi"}),
    ("ticket.move", "ticket", {"ticket": "A-001{}", "service": "kk"}),
])
def test_a_control_character_in_any_string_argument_is_bad_request(char, op, name, args):
    bad = {k: v.replace("{}", char) for k, v in args.items()}
    with pytest.raises(ProtocolError) as info:
        parse_command(dumps({"id": "c-1", "op": op, "args": bad}))
    assert info.value.code is ErrorCode.BAD_REQUEST
    assert name in info.value.message
    ok = {k: v.replace("{}", "-") for k, v in args.items()}  # the same without: accepted
    assert parse_command(dumps({"id": "c-1", "op": op, "args": ok})).args == ok


@pytest.mark.parametrize("char", CONTROLS, ids=[hex(ord(c)) for c in CONTROLS])
def test_a_control_character_in_the_command_id_is_bad_request_with_no_id(char):
    payload = dumps({"id": f"id{char}1", "op": "ping"})
    assert _code(payload) is ErrorCode.BAD_REQUEST
    assert peek_id(payload) is None  # never echoed, never stored


def test_an_officer_code_longer_than_a_column_is_refused_at_counter_open():
    # tickets.officer and counters.officer hold a site file's codes (slugs, 32 at most):
    # PostgreSQL would refuse 33 and fail every command committed with it
    args = {"counter": "loket-01", "officer": "o" * 33}
    assert _code(dumps({"id": "c", "op": "counter.open", "args": args})) \
        is ErrorCode.BAD_REQUEST
    args["officer"] = "o" * 32
    assert parse_command(dumps({"id": "c", "op": "counter.open", "args": args}))


def test_names_quoted_in_an_error_are_escaped():
    with pytest.raises(ProtocolError) as info:
        parse_command(dumps({"id": "c", "op": "ping\nINFO mpp.engine forged", "args": {}}))
    assert info.value.code is ErrorCode.UNKNOWN_OP
    assert "\n" not in info.value.message and "\\x0a" in info.value.message
    with pytest.raises(ProtocolError) as info:
        parse_command(dumps({"id": "c", "op": "ping", "args": {"a\r\nb": 1}}))
    assert "\r" not in info.value.message and "a\\x0d\\x0ab" in info.value.message


def test_printable_escapes_controls_and_cuts():
    assert printable("a\nb\x00c\u2028d") == "a\\x0ab\\x00c\\u2028d"
    assert printable(printable("a\nb")) == printable("a\nb")  # escaped once is enough
    assert printable("x" * 300, 10) == "x" * 10 + "..."
    assert printable(42) == "42"
    assert has_control("a\x1fb") and not has_control("Selamat pagi, Bapak/Ibu é ✓")


def test_an_oversized_payload_is_refused_before_it_is_parsed():
    # GIVEN a payload over the limit that is not even JSON after its head
    payload = b'{"id": "big-1", "op": "ticket.issue", "args": {"x": "' + b"\xff" * MAX_PAYLOAD
    # THEN it is too_large (a parse would have said bad_json), with the limit as a field
    with pytest.raises(ProtocolError) as info:
        parse_command(payload)
    assert info.value.code is ErrorCode.TOO_LARGE
    assert info.value.fields == {"max_bytes": MAX_PAYLOAD}
    # AND its id is read from its head only, so the sender can match the refusal
    assert peek_id(payload) == "big-1"


@pytest.mark.parametrize("payload", [
    json.dumps({"op": "ping", "id": "late-id", "pad": "x" * MAX_PAYLOAD}).encode(),
    b"[" + b"[" * (MAX_PAYLOAD + 10),
    json.dumps({"id": "a\nb", "pad": "x" * MAX_PAYLOAD}).encode(),
])
def test_an_oversized_payload_without_an_id_at_its_head_gets_no_id(payload):
    assert len(payload) > MAX_PAYLOAD
    assert peek_id(payload) is None
