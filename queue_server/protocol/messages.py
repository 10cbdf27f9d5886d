"""Command envelope parsing and per-op argument checks.

Hand-written checks instead of a schema library: this runs for every
command on the hot path and in every app.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from queue_server.protocol.errors import ErrorCode, ProtocolError
from queue_server.protocol.ops import (
    ASSIST_KINDS,
    IKM_ELEMENTS,
    IKM_SCORES,
    LANGS,
    OPS,
    PAUSE_REASONS,
    PRIORITY_KINDS,
    ROLES,
    ArgSpec,
)
from queue_server.protocol.text import has_control, printable

MAX_PAYLOAD = 8192
MAX_ID = 64
MAX_TEXT = 500
# an oversized payload is not parsed: its id is read only where our clients put it, first
_HEAD_ID = re.compile(rb'\A\s*\{\s*"id"\s*:\s*"([A-Za-z0-9._:-]{1,64})"')

# derived from the op catalogue (protocol/ops.py)
ALL_OPS = frozenset(OPS)
ROLE_OPS: dict[str, frozenset[str]] = {
    role: frozenset(name for name, op in OPS.items() if role in op.roles) for role in ROLES}
# plain dicts: read for every command on the hot path
ARG_SPECS: dict[str, dict[str, ArgSpec]] = {name: dict(op.args) for name, op in OPS.items()}


@dataclass(frozen=True)
class Command:
    id: str
    op: str
    args: dict[str, Any] = field(default_factory=dict)


def _bad(message: str) -> ProtocolError:
    return ProtocolError(ErrorCode.BAD_REQUEST, message)


def _is_short_str(value: Any, limit: int) -> bool:
    """A string of 1..limit characters without control characters: what the database's
    columns take on every backend (PostgreSQL refuses NUL) and no log line can be forged
    with."""
    return isinstance(value, str) and 0 < len(value) <= limit and not has_control(value)


def _check_scores(value: Any) -> bool:
    if not isinstance(value, dict) or not value:
        return False
    return all(
        k in IKM_ELEMENTS and type(v) is int and v in IKM_SCORES for k, v in value.items()
    )


_KIND_CHECKS: dict[str, Any] = {
    "slug": lambda v: _is_short_str(v, 32),
    "code": lambda v: _is_short_str(v, 128),
    "text": lambda v: _is_short_str(v, MAX_TEXT),
    "bool": lambda v: isinstance(v, bool),
    "pin": lambda v: isinstance(v, str) and 4 <= len(v) <= 8 and v.isascii() and v.isdigit(),
    "lang": lambda v: v in LANGS,
    "reason": lambda v: v in PAUSE_REASONS,
    "priority": lambda v: v is None or isinstance(v, bool) or v in PRIORITY_KINDS,
    "assist": lambda v: v is None or v in ASSIST_KINDS,
    "quota": lambda v: v is None or (type(v) is int and 0 < v <= 100000),
    "scores": _check_scores,
}


def _check_args(op: str, args: dict[str, Any]) -> None:
    spec = ARG_SPECS[op]
    for name in args:
        if name not in spec:
            raise _bad(f"unknown argument '{printable(name, 40)}' for {op}")
    for name, (kind, required) in spec.items():
        if name not in args:
            if required:
                raise _bad(f"missing argument '{name}' for {op}")
            continue
        if not _KIND_CHECKS[kind](args[name]):
            raise _bad(f"invalid value for '{name}' ({kind})")


def _loads(payload: bytes) -> Any:
    """Strict UTF-8 JSON (json.loads alone would guess UTF-16/32), and no lone
    surrogates from backslash-u escapes: they could not be encoded into a reply."""
    text = payload.decode("utf-8")
    data = json.loads(text)
    if "\\u" in text:
        json.dumps(data, ensure_ascii=False).encode("utf-8")
    return data


def peek_id(payload: bytes) -> str | None:
    """Best-effort command id from a payload that failed to parse fully. An oversized one
    is not parsed: only an id at its very start is read."""
    if len(payload) > MAX_PAYLOAD:
        found = _HEAD_ID.match(payload[:128])
        return found.group(1).decode() if found else None
    try:
        data = _loads(payload)
    except (ValueError, RecursionError):
        return None
    if isinstance(data, dict) and _is_short_str(data.get("id"), MAX_ID):
        return str(data["id"])
    return None


def parse_command(payload: bytes) -> Command:
    """Parse and check one command envelope; raises ProtocolError."""
    if len(payload) > MAX_PAYLOAD:
        raise ProtocolError(ErrorCode.TOO_LARGE, f"payload over {MAX_PAYLOAD} bytes",
                            max_bytes=MAX_PAYLOAD)
    try:
        data = _loads(payload)
    except (ValueError, RecursionError) as err:
        raise ProtocolError(ErrorCode.BAD_JSON, "payload is not UTF-8 JSON") from err
    if not isinstance(data, dict):
        raise _bad("command must be a JSON object")
    cmd_id, op, args = data.get("id"), data.get("op"), data.get("args", {})
    if not _is_short_str(cmd_id, MAX_ID):
        raise _bad(f"'id' must be a string of 1..{MAX_ID} characters")
    if not isinstance(op, str):
        raise _bad("'op' must be a string")
    if op not in ALL_OPS:
        raise ProtocolError(ErrorCode.UNKNOWN_OP, f"unknown op '{printable(op, 40)}'")
    if not isinstance(args, dict):
        raise _bad("'args' must be a JSON object")
    _check_args(op, args)
    return Command(id=str(cmd_id), op=op, args=args)


def ok_reply(cmd_id: str, result: dict[str, Any]) -> dict[str, Any]:
    return {"re": cmd_id, "ok": True, "result": result}


def error_reply(cmd_id: str | None, err: ProtocolError) -> dict[str, Any]:
    return {"re": cmd_id, "ok": False, "error": err.to_wire()}


def dumps(message: dict[str, Any]) -> bytes:
    return json.dumps(message, separators=(",", ":"), ensure_ascii=False).encode()
