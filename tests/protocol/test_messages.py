"""Command envelope parsing: every op with valid args, every refusal with its stable code."""

from __future__ import annotations

import json
from typing import Any

import pytest

from queue_server.protocol.errors import ErrorCode, ProtocolError
from queue_server.protocol.messages import (
    ALL_OPS,
    ARG_SPECS,
    MAX_PAYLOAD,
    ROLE_OPS,
    Command,
    dumps,
    error_reply,
    ok_reply,
    parse_command,
    peek_id,
)


def _payload(op: Any = "ping", args: Any = None, cmd_id: Any = "c-1", **extra: Any) -> bytes:
    envelope: dict[str, Any] = {"id": cmd_id, "op": op, **extra}
    if args is not None:
        envelope["args"] = args
    return json.dumps(envelope).encode()


def _refused(payload: bytes) -> ErrorCode:
    with pytest.raises(ProtocolError) as info:
        parse_command(payload)
    return info.value.code


# --------------------------------------------------------------------------- accepted

VALID: list[tuple[str, dict[str, Any]]] = [
    ("ping", {}),
    ("ticket.issue", {"service": "ktp-el"}),
    ("ticket.issue", {"service": "ktp-el", "priority": "elderly", "lang": "en"}),
    ("ticket.issue", {"service": "ktp-el", "priority": "disabled"}),
    ("ticket.issue", {"service": "ktp-el", "priority": "pregnant"}),
    ("ticket.issue", {"service": "ktp-el", "priority": "child"}),
    ("ticket.issue", {"service": "ktp-el", "priority": True}),
    ("ticket.issue", {"service": "ktp-el", "priority": False}),
    ("ticket.issue", {"service": "ktp-el", "priority": None}),
    ("ticket.issue", {"service": "ktp-el", "priority": "disabled", "assist": "voice"}),
    ("ticket.issue", {"service": "ktp-el", "assist": None}),
    ("ticket.issue", {"service": "paspor", "appointment": "APT-7K2Q", "lang": "id"}),
    ("appointment.checkin", {"code": "APT-7K2Q"}),
    ("appointment.checkin", {"code": "APT-7K2Q", "lang": "en"}),
    ("counter.open", {"counter": "loket-01"}),
    ("counter.open", {"counter": "loket-01", "officer": "Siti"}),
    ("counter.pause", {"counter": "loket-01"}),
    ("counter.pause", {"counter": "loket-01", "reason": "prayer"}),
    ("counter.pause", {"counter": "loket-01", "reason": "break"}),
    ("counter.close", {"counter": "loket-01"}),
    ("counter.call_next", {"counter": "loket-01"}),
    ("counter.recall", {"counter": "loket-01"}),
    ("counter.start", {"counter": "loket-01"}),
    ("counter.complete", {"counter": "loket-01"}),
    ("counter.no_show", {"counter": "loket-01"}),
    ("counter.transfer", {"counter": "loket-01", "service": "kk"}),
    ("counter.transfer", {"counter": "loket-01", "service": "kk", "front": True}),
    ("counter.no_shows", {"counter": "loket-01"}),
    ("counter.return", {"counter": "loket-01", "ticket": "A-012"}),
    ("feedback.submit", {"ticket": "A-012", "scores": {"u1": 4}}),
    ("feedback.submit", {"ticket": "A-012", "scores": {f"u{i}": 1 + i % 4 for i in range(1, 10)}}),
    ("officer.signin", {"officer": "petugas-01", "pin": "1234"}),
    ("officer.signin", {"officer": "petugas-01", "pin": "12345678"}),
    ("officer.signout", {}),
    ("officer.stats", {}),
    ("service.open", {"service": "kk"}),
    ("service.close", {"service": "kk"}),
    ("service.set_quota", {"service": "kk", "quota": 150}),
    ("service.set_quota", {"service": "kk", "quota": 1}),
    ("service.set_quota", {"service": "kk", "quota": 100000}),
    ("service.set_quota", {"service": "kk", "quota": None}),
    ("message.broadcast", {"text": "Layanan paspor dibuka kembali pukul 13.00"}),
    ("message.broadcast", {"text": "Istirahat", "text_en": "Break"}),
    ("message.broadcast", {"text": "x" * 500}),
    ("appointment.add", {"code": "APT-1", "service": "paspor", "slot": "2024-05-06T09:00"}),
    ("ticket.move", {"ticket": "A-012", "service": "kk", "front": True}),
    ("ticket.void", {"ticket": "A-012"}),
    ("ticket.void", {"ticket": "A-012", "reason": "kertas habis, warga pergi"}),
]


def _valid_id(case: tuple[str, dict[str, Any]]) -> str:
    op, args = case
    return "-".join([op, *(f"{k}={v}"[:20] for k, v in args.items() if k != "service")])


@pytest.mark.parametrize(("op", "args"), VALID, ids=[_valid_id(c) for c in VALID])
def test_each_op_accepts_its_valid_args(op: str, args: dict[str, Any]) -> None:
    cmd = parse_command(_payload(op, args, cmd_id="0b6f1c2e-uuid"))
    assert cmd == Command(id="0b6f1c2e-uuid", op=op, args=args)


def test_the_valid_table_covers_every_op() -> None:
    assert {op for op, _ in VALID} == ALL_OPS == set(ARG_SPECS)


def test_args_may_be_left_out_when_none_are_required() -> None:
    assert parse_command(b'{"id":"x","op":"ping"}') == Command(id="x", op="ping", args={})


@pytest.mark.parametrize(
    "cmd_id", ["a", "x" * 64, "Ünïcødé-id", "0b6f1c2e-7d3a-4f7e-9a51-2c1d0e9f8a7b"],
    ids=["one-char", "64-chars", "non-ascii", "uuid"],
)
def test_ids_of_1_to_64_characters(cmd_id: str) -> None:
    assert parse_command(_payload(cmd_id=cmd_id)).id == cmd_id


def test_extra_envelope_keys_are_ignored() -> None:
    # extending the contract with new optional envelope fields must not break old servers
    assert parse_command(_payload(ts=1715000000)).op == "ping"


def test_payload_of_exactly_max_size_is_accepted() -> None:
    text = "x" * 500
    payload = _payload("message.broadcast", {"text": text}, cmd_id="p" * 64)
    padded = payload[:-1] + b" " * (MAX_PAYLOAD - len(payload)) + b"}"
    assert len(padded) == MAX_PAYLOAD
    assert parse_command(padded).args == {"text": text}


# --------------------------------------------------------------------------- envelope refusals


@pytest.mark.parametrize(
    ("payload", "code"),
    [
        pytest.param(b"", ErrorCode.BAD_JSON, id="empty"),
        pytest.param(b"not json", ErrorCode.BAD_JSON, id="not-json"),
        pytest.param(b'{"id":"a","op":"ping"', ErrorCode.BAD_JSON, id="truncated"),
        pytest.param(b"{'id':'a'}", ErrorCode.BAD_JSON, id="single-quotes"),
        pytest.param(b'{"id":"\xe9","op":"ping"}', ErrorCode.BAD_JSON, id="latin1-byte"),
        pytest.param(b'{"id":"\xff\xfe","op":"ping"}', ErrorCode.BAD_JSON, id="invalid-utf8"),
        pytest.param(b'{"id":"\xc3","op":"ping"}', ErrorCode.BAD_JSON, id="cut-utf8-sequence"),
        pytest.param(
            '{"id":"a","op":"ping"}'.encode("utf-16"), ErrorCode.BAD_JSON, id="utf16-with-bom"
        ),
        pytest.param(
            '{"id":"a","op":"ping"}'.encode("utf-16-le"), ErrorCode.BAD_JSON, id="utf16le-no-bom"
        ),
        pytest.param(
            '{"id":"a","op":"ping"}'.encode("utf-32"), ErrorCode.BAD_JSON, id="utf32"
        ),
        pytest.param(b"[" * 4000 + b"]" * 4000, ErrorCode.BAD_JSON, id="nesting-too-deep"),
        pytest.param(b"[" * 50 + b"]" * 50, ErrorCode.BAD_REQUEST, id="nested-arrays"),
        pytest.param(b"[]", ErrorCode.BAD_REQUEST, id="array"),
        pytest.param(b'"ping"', ErrorCode.BAD_REQUEST, id="string"),
        pytest.param(b"null", ErrorCode.BAD_REQUEST, id="null"),
        pytest.param(b"42", ErrorCode.BAD_REQUEST, id="number"),
        pytest.param(b'{"op":"ping"}', ErrorCode.BAD_REQUEST, id="missing-id"),
        pytest.param(_payload(cmd_id=""), ErrorCode.BAD_REQUEST, id="empty-id"),
        pytest.param(_payload(cmd_id="x" * 65), ErrorCode.BAD_REQUEST, id="id-65-chars"),
        pytest.param(_payload(cmd_id=42), ErrorCode.BAD_REQUEST, id="numeric-id"),
        pytest.param(_payload(cmd_id=None), ErrorCode.BAD_REQUEST, id="null-id"),
        pytest.param(_payload(cmd_id=["a"]), ErrorCode.BAD_REQUEST, id="list-id"),
        pytest.param(b'{"id":"a"}', ErrorCode.BAD_REQUEST, id="missing-op"),
        pytest.param(_payload(op=7), ErrorCode.BAD_REQUEST, id="numeric-op"),
        pytest.param(_payload(op=None), ErrorCode.BAD_REQUEST, id="null-op"),
        pytest.param(_payload(op=["ping"]), ErrorCode.BAD_REQUEST, id="list-op"),
        pytest.param(_payload(op="ticket.print"), ErrorCode.UNKNOWN_OP, id="unknown-op"),
        pytest.param(_payload(op=""), ErrorCode.UNKNOWN_OP, id="empty-op"),
        pytest.param(_payload(op="PING"), ErrorCode.UNKNOWN_OP, id="op-is-case-sensitive"),
        pytest.param(_payload(op="x" * 5000), ErrorCode.UNKNOWN_OP, id="very-long-op"),
        pytest.param(_payload(args=[]), ErrorCode.BAD_REQUEST, id="args-list"),
        pytest.param(_payload(args="service=kk"), ErrorCode.BAD_REQUEST, id="args-string"),
        pytest.param(b'{"id":"a","op":"ping","args":null}', ErrorCode.BAD_REQUEST,
                     id="args-null"),
        pytest.param(b"x" * (MAX_PAYLOAD + 1), ErrorCode.TOO_LARGE, id="oversized-garbage"),
        pytest.param(
            _payload("message.broadcast", {"text": "x" * MAX_PAYLOAD}), ErrorCode.TOO_LARGE,
            id="oversized-valid-json",
        ),
    ],
)
def test_envelope_refusals(payload: bytes, code: ErrorCode) -> None:
    assert _refused(payload) is code


def test_too_large_says_the_limit_in_a_field() -> None:
    with pytest.raises(ProtocolError) as info:
        parse_command(b"x" * (MAX_PAYLOAD + 1))
    assert info.value.to_wire() == {"code": "too_large", "message": "payload over 8192 bytes",
                                    "max_bytes": MAX_PAYLOAD}


def test_unknown_op_message_is_truncated() -> None:
    with pytest.raises(ProtocolError) as info:
        parse_command(_payload(op="x" * 5000))
    assert len(info.value.message) < 100


# --------------------------------------------------------------------------- argument refusals

S = {"service": "ktp-el"}
C = {"counter": "loket-01"}
Q = {"service": "kk"}
F = {"ticket": "A-012"}


@pytest.mark.parametrize(
    ("op", "args"),
    [
        # unknown and missing arguments
        pytest.param("ping", {"x": 1}, id="ping-unknown-arg"),
        pytest.param("ticket.issue", {**S, "nik": "7371..."}, id="issue-unknown-arg"),
        pytest.param("ticket.issue", {}, id="issue-missing-service"),
        pytest.param("counter.call_next", {}, id="call-next-missing-counter"),
        pytest.param("counter.transfer", C, id="transfer-missing-service"),
        pytest.param("feedback.submit", F, id="feedback-missing-scores"),
        pytest.param("service.set_quota", Q, id="quota-missing"),
        pytest.param("appointment.add", {"code": "A", "service": "kk"}, id="appt-missing-slot"),
        pytest.param("ticket.move", {"ticket": "A-012"}, id="move-missing-service"),
        pytest.param("message.broadcast", {"text_en": "Break"}, id="broadcast-missing-text"),
        # slug and code lengths and types
        pytest.param("ticket.issue", {"service": ""}, id="empty-service"),
        pytest.param("ticket.issue", {"service": "s" * 33}, id="service-33-chars"),
        pytest.param("ticket.issue", {"service": 5}, id="numeric-service"),
        pytest.param("ticket.issue", {"service": None}, id="null-service"),
        pytest.param("counter.open", {"counter": ["loket-01"]}, id="list-counter"),
        pytest.param("appointment.checkin", {"code": ""}, id="empty-code"),
        pytest.param("appointment.checkin", {"code": "c" * 129}, id="code-129-chars"),
        # priority values
        pytest.param("ticket.issue", {**S, "priority": "vip"}, id="priority-unknown-kind"),
        pytest.param("ticket.issue", {**S, "priority": "Elderly"}, id="priority-case"),
        pytest.param("ticket.issue", {**S, "priority": ""}, id="priority-empty"),
        pytest.param("ticket.issue", {**S, "priority": 1}, id="priority-int"),
        pytest.param("ticket.issue", {**S, "priority": 0}, id="priority-zero"),
        pytest.param("ticket.issue", {**S, "priority": ["elderly"]}, id="priority-list"),
        pytest.param("ticket.issue", {**S, "assist": "braille"}, id="assist-unknown-kind"),
        pytest.param("ticket.issue", {**S, "assist": True}, id="assist-bool"),
        pytest.param("ticket.issue", {**S, "priority": {"kind": "elderly"}}, id="priority-dict"),
        # lang and reason
        pytest.param("ticket.issue", {**S, "lang": "jv"}, id="lang-unknown"),
        pytest.param("ticket.issue", {**S, "lang": None}, id="lang-null"),
        pytest.param("ticket.issue", {**S, "lang": ["id"]}, id="lang-list"),
        pytest.param("counter.pause", {**C, "reason": "lunch"}, id="reason-unknown"),
        # bool
        pytest.param("counter.transfer", {**C, **Q, "front": "yes"}, id="front-string"),
        pytest.param("counter.transfer", {**C, **Q, "front": 1}, id="front-int"),
        pytest.param("counter.transfer", {**C, **Q, "front": None}, id="front-null"),
        # quota bounds
        pytest.param("service.set_quota", {**Q, "quota": 0}, id="quota-zero"),
        pytest.param("officer.signin", {"officer": "p-1", "pin": "123"}, id="pin-too-short"),
        pytest.param("officer.signin", {"officer": "p-1", "pin": "123456789"},
                     id="pin-too-long"),
        pytest.param("officer.signin", {"officer": "p-1", "pin": "12a4"}, id="pin-not-digits"),
        pytest.param("officer.signin", {"officer": "p-1", "pin": "١٢٣٤"},
                     id="pin-non-ascii-digits"),
        pytest.param("officer.signin", {"officer": "p-1", "pin": 1234}, id="pin-a-number"),
        pytest.param("service.set_quota", {**Q, "quota": -1}, id="quota-negative"),
        pytest.param("service.set_quota", {**Q, "quota": 100001}, id="quota-too-big"),
        pytest.param("service.set_quota", {**Q, "quota": 10.0}, id="quota-float"),
        pytest.param("service.set_quota", {**Q, "quota": "10"}, id="quota-string"),
        pytest.param("service.set_quota", {**Q, "quota": True}, id="quota-bool"),
        # text
        pytest.param("message.broadcast", {"text": ""}, id="text-empty"),
        pytest.param("message.broadcast", {"text": "x" * 501}, id="text-501-chars"),
        pytest.param("message.broadcast", {"text": "ok", "text_en": 3}, id="text-en-int"),
        # IKM scores: keys u1..u9, ints 1..4, bools are not ints here
        pytest.param("feedback.submit", {**F, "scores": {}}, id="scores-empty"),
        pytest.param("feedback.submit", {**F, "scores": [4, 4]}, id="scores-list"),
        pytest.param("feedback.submit", {**F, "scores": "u1=4"}, id="scores-string"),
        pytest.param("feedback.submit", {**F, "scores": {"u0": 3}}, id="scores-u0"),
        pytest.param("feedback.submit", {**F, "scores": {"u10": 3}}, id="scores-u10"),
        pytest.param("feedback.submit", {**F, "scores": {"U1": 3}}, id="scores-uppercase-key"),
        pytest.param("feedback.submit", {**F, "scores": {"u1": 0}}, id="scores-zero"),
        pytest.param("feedback.submit", {**F, "scores": {"u1": 5}}, id="scores-five"),
        pytest.param("feedback.submit", {**F, "scores": {"u1": -1}}, id="scores-negative"),
        pytest.param("feedback.submit", {**F, "scores": {"u1": 3.0}}, id="scores-float"),
        pytest.param("feedback.submit", {**F, "scores": {"u1": "3"}}, id="scores-string-value"),
        pytest.param("feedback.submit", {**F, "scores": {"u1": True}}, id="scores-true"),
        pytest.param("feedback.submit", {**F, "scores": {"u1": None}}, id="scores-null"),
        pytest.param(
            "feedback.submit", {**F, "scores": {"u1": 4, "u2": True}}, id="scores-one-bad-of-two"
        ),
    ],
)
def test_argument_refusals_are_bad_request(op: str, args: dict[str, Any]) -> None:
    assert _refused(_payload(op, args)) is ErrorCode.BAD_REQUEST


def test_argument_errors_name_the_argument() -> None:
    with pytest.raises(ProtocolError) as info:
        parse_command(_payload("service.set_quota", {**Q, "quota": True}))
    assert "quota" in info.value.message


# --------------------------------------------------------------------------- replies


@pytest.mark.parametrize(
    "payload",
    [
        pytest.param(rb'{"id":"\ud800","op":"ping"}', id="lone-surrogate-id"),
        pytest.param(rb'{"id":"a","op":"message.broadcast","args":{"text":"\udc00"}}',
                     id="lone-surrogate-text"),
        pytest.param(rb'{"id":"a","op":"counter.open","args":{"counter":"c","officer":"\ud83d"}}',
                     id="lone-surrogate-officer"),
    ],
)
def test_a_lone_surrogate_is_refused_as_bad_json(payload: bytes) -> None:
    # GIVEN a JSON-valid command whose strings hold an escaped lone UTF-16 surrogate
    # THEN it is refused: it could not go back on the wire as UTF-8 in a reply
    assert _refused(payload) is ErrorCode.BAD_JSON


@pytest.mark.parametrize(
    ("payload", "text"),
    [
        pytest.param(rb'{"id":"\ud83d\ude00","op":"ping"}', "\U0001f600", id="pair-in-id"),
        pytest.param(rb'{"id":"a","op":"message.broadcast","args":{"text":"\ud83d\ude00"}}',
                     "\U0001f600", id="pair-in-text"),
        pytest.param(rb'{"id":"a","op":"message.broadcast","args":{"text":"Antre\u00e1n"}}',
                     "Antre\u00e1n", id="escaped-latin"),
        pytest.param('{"id":"a","op":"message.broadcast","args":{"text":"Loket \u2460"}}'.encode(),
                     "Loket \u2460", id="raw-utf8"),
    ],
)
def test_an_accepted_command_can_be_answered_and_echoed(payload: bytes, text: str) -> None:
    # GIVEN a command whose strings hold non-ASCII text, escaped (a surrogate pair too) or not
    cmd = parse_command(payload)
    assert text in (cmd.id, cmd.args.get("text"))
    # THEN it goes back on the wire as UTF-8, the same strings read back
    wire = dumps(ok_reply(cmd.id, {"echo": cmd.args}))
    assert json.loads(wire.decode("utf-8")) == {"re": cmd.id, "ok": True,
                                                "result": {"echo": cmd.args}}


def test_an_error_reply_to_a_peeked_id_can_be_encoded() -> None:
    # GIVEN a command refused for its op, whose id holds an escaped lone surrogate
    payload = rb'{"id":"\ud800","op":"no.such.op"}'
    err = ProtocolError(ErrorCode.UNKNOWN_OP, "unknown op")
    # THEN the refusal the server sends (with the peeked id) is encodable
    assert json.loads(dumps(error_reply(peek_id(payload), err)))["ok"] is False


def test_reply_shapes() -> None:
    err = ProtocolError(ErrorCode.QUOTA_FULL, "kuota harian habis")
    assert json.loads(dumps(ok_reply("c-1", {"number": "A-012"}))) == {
        "re": "c-1", "ok": True, "result": {"number": "A-012"},
    }
    assert json.loads(dumps(error_reply(None, err))) == {
        "re": None, "ok": False, "error": {"code": "quota_full", "message": "kuota harian habis"},
    }


def test_dumps_is_compact_utf8() -> None:
    assert dumps({"teks": "Antrean ditutup — terima kasih"}) == (
        '{"teks":"Antrean ditutup — terima kasih"}'.encode()
    )


# --------------------------------------------------------------------------- peek_id


@pytest.mark.parametrize(
    ("payload", "expected"),
    [
        pytest.param(_payload(op="no.such.op", cmd_id="c-9"), "c-9", id="unknown-op-keeps-id"),
        pytest.param(_payload("ticket.issue", {}, cmd_id="c-8"), "c-8", id="bad-args-keeps-id"),
        pytest.param(b"", None, id="empty"),
        pytest.param(b"\x00\xff\xfe garbage", None, id="binary-garbage"),
        pytest.param(b'{"id":"c-1"', None, id="truncated"),
        pytest.param(b'{"id":"\xff"}', None, id="invalid-utf8"),
        pytest.param(b'["c-1"]', None, id="array"),
        pytest.param(b'{"id":42}', None, id="numeric-id"),
        pytest.param(b'{"id":""}', None, id="empty-id"),
        pytest.param(_payload(cmd_id="x" * 65), None, id="id-too-long"),
        pytest.param(b"[" * 100_000, None, id="deep-nesting"),
    ],
)
def test_peek_id(payload: bytes, expected: str | None) -> None:
    assert peek_id(payload) == expected


# --------------------------------------------------------------------------- roles

COUNTER_ACTIONS = {op for op in ALL_OPS if op.startswith("counter.")}
SUPERVISOR_ONLY_OPS = {"service.open", "service.close", "service.set_quota",
                       "message.broadcast", "appointment.add", "ticket.move", "ticket.void"}


def test_kiosk_cannot_use_counter_or_supervisor_ops() -> None:
    assert ROLE_OPS["kiosk"] == {"ticket.issue", "appointment.checkin", "ping"}
    assert not ROLE_OPS["kiosk"] & (COUNTER_ACTIONS | SUPERVISOR_ONLY_OPS | {"feedback.submit"})


def test_counter_has_its_ops_and_no_kiosk_or_supervisor_ops() -> None:
    officer_ops = {"officer.signin", "officer.signout", "officer.stats"}
    assert COUNTER_ACTIONS | {"feedback.submit", "ping"} | officer_ops == ROLE_OPS["counter"]
    assert "ticket.issue" not in ROLE_OPS["counter"]
    assert not ROLE_OPS["counter"] & SUPERVISOR_ONLY_OPS


def test_display_may_only_ping() -> None:
    assert ROLE_OPS["display"] == {"ping"}


def test_supervisor_has_every_op() -> None:
    assert ROLE_OPS["supervisor"] == ALL_OPS
    assert {"service.set_quota", "message.broadcast", "appointment.add"} <= ROLE_OPS["supervisor"]


@pytest.mark.parametrize("role", sorted(ROLE_OPS))
def test_every_role_may_ping(role: str) -> None:
    assert "ping" in ROLE_OPS[role]


def test_ops_match_the_design_contract() -> None:
    assert {
        "counter.open", "counter.pause", "counter.close", "counter.call_next", "counter.recall",
        "counter.start", "counter.complete", "counter.no_show", "counter.transfer",
        "counter.no_shows", "counter.return",
    } == COUNTER_ACTIONS
    assert all(ARG_SPECS[op]["counter"] == ("slug", True) for op in COUNTER_ACTIONS)
