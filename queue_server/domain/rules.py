"""Can a ticket be issued now? Opening hours, manual closing and daily quotas."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from queue_server.protocol.errors import ErrorCode, ProtocolError


class OpenCheck(Protocol):
    def is_open(self, local: datetime) -> bool: ...


def check_issuable(
    schedule: OpenCheck,
    local_now: datetime,
    manually_closed: bool,
    issued_today: int,
    quota: int | None,
) -> None:
    """Raises service_closed or quota_full with a message for the citizen screen."""
    if manually_closed:
        raise ProtocolError(ErrorCode.SERVICE_CLOSED, "service is closed today by the supervisor")
    if not schedule.is_open(local_now):
        raise ProtocolError(ErrorCode.SERVICE_CLOSED, "service is outside its opening hours")
    if quota is not None and issued_today >= quota:
        raise ProtocolError(ErrorCode.QUOTA_FULL, f"daily quota of {quota} tickets reached")
