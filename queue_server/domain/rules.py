"""Can a ticket be issued now? Opening hours, manual closing and daily quotas."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from queue_server.protocol.errors import ErrorCode, ProtocolError


class OpenCheck(Protocol):
    def is_open(self, local: datetime) -> bool: ...


def why_closed(
    schedule: OpenCheck,
    local_now: datetime,
    manually_closed: bool,
    issued_today: int,
    quota: int | None,
) -> str | None:
    """The first rule that blocks issuing (supervisor, then hours, then quota); None if
    none does. The same word goes on state/queue as `closed_reason`."""
    if manually_closed:
        return "supervisor"
    if not schedule.is_open(local_now):
        return "hours"
    if quota is not None and issued_today >= quota:
        return "quota"
    return None


def check_issuable(reason: str | None, quota: int | None) -> None:
    """Raises service_closed or quota_full for a why_closed reason, with a message for the
    citizen screen; quota_full carries the quota as a field."""
    if reason == "supervisor":
        raise ProtocolError(ErrorCode.SERVICE_CLOSED, "service is closed today by the supervisor")
    if reason == "hours":
        raise ProtocolError(ErrorCode.SERVICE_CLOSED, "service is outside its opening hours")
    if reason == "quota":
        assert quota is not None  # why_closed says "quota" only under one
        raise ProtocolError(ErrorCode.QUOTA_FULL, f"daily quota of {quota} tickets reached",
                            quota=quota)
