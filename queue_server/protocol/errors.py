"""Stable error codes: the same strings go on the wire and into logs."""

from __future__ import annotations

from enum import StrEnum


class ErrorCode(StrEnum):
    BAD_JSON = "bad_json"
    BAD_REQUEST = "bad_request"
    TOO_LARGE = "too_large"
    UNKNOWN_OP = "unknown_op"
    FORBIDDEN = "forbidden"
    UNKNOWN_SERVICE = "unknown_service"
    UNKNOWN_COUNTER = "unknown_counter"
    UNKNOWN_TICKET = "unknown_ticket"
    SERVICE_CLOSED = "service_closed"
    QUOTA_FULL = "quota_full"
    COUNTER_CLOSED = "counter_closed"
    COUNTER_PAUSED = "counter_paused"
    NO_CURRENT_TICKET = "no_current_ticket"
    TICKET_ACTIVE = "ticket_active"
    INVALID_TRANSITION = "invalid_transition"
    APPOINTMENT_UNKNOWN = "appointment_unknown"
    APPOINTMENT_USED = "appointment_used"
    APPOINTMENT_EXPIRED = "appointment_expired"
    APPOINTMENT_TOO_EARLY = "appointment_too_early"
    ALREADY_RATED = "already_rated"
    GRACE_EXPIRED = "grace_expired"  # a no-show back too late to return (field grace_min)
    PERSONAL_DATA = "personal_data"  # a code that carries a NIK (protocol/personal.py)
    BAD_CREDENTIALS = "bad_credentials"
    LOCKED_OUT = "locked_out"
    NOT_SIGNED_IN = "not_signed_in"
    RATE_LIMITED = "rate_limited"
    STORAGE_ERROR = "storage_error"
    INTERNAL = "internal_error"
    TIMEOUT = "timeout"


class ProtocolError(Exception):
    """An error with a stable code, safe to send to a device. A figure it carries (the
    seconds to wait, the quota reached) is a field of `error` beside the words, so that
    no client has to read it out of the message."""

    def __init__(self, code: ErrorCode, message: str, **fields: int | str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.fields = fields

    def to_wire(self) -> dict[str, int | str]:
        return {"code": str(self.code), "message": self.message, **self.fields}
