"""What a ticket asks of the officer, read from its wire form: voice guidance (the citizen
may not see: go to them) and the priority kind (UU 25/2009). Pure; the console shows the
marks in full, the counter display a general line (docs/protocol.md, "assist")."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from queue_server.protocol.ops import ASSIST_KINDS, PRIORITY_KINDS


def ticket_marks(ticket: Mapping[str, Any]) -> list[str]:
    """"voice" first when the ticket was taken with voice guidance, then its priority kind
    ("priority" for one without a known kind); [] for a regular ticket."""
    marks = [str(ticket["assist"])] if ticket.get("assist") in ASSIST_KINDS else []
    priority = ticket.get("priority")
    if priority in PRIORITY_KINDS:
        marks.append(str(priority))
    elif priority:
        marks.append("priority")
    return marks


def public_mark(ticket: Mapping[str, Any]) -> str:
    """The counter display's line, which the hall reads: "come" (the officer comes to the
    citizen), "priority", or "" (the kind stays between the citizen and the officer)."""
    marks = ticket_marks(ticket)
    if "voice" in marks:
        return "come"
    return "priority" if marks else ""
