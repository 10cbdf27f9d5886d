"""The citizens' pages' common parts: the IKM survey form of PermenPANRB 14/2017 (all nine
answers, each 1..4), sending it as `feedback.submit`, and the page in its states (one
template, feedback.html, for a ticket's page on a phone and a counter's tablet).

No session means no cookie to ride, so the survey has no CSRF token; the command id is
derived from the ticket, so a double submit is answered the same and changes nothing."""

from __future__ import annotations

import json
from typing import Any

from fastapi import Request
from fastapi.responses import Response
from starlette.datastructures import FormData

from queue_server.domain.ikm import ELEMENTS
from queue_server.protocol.ops import IKM_SCORES
from queue_server.store.queries import TicketPage
from queue_server.web.deps import ctx_of
from queue_server.web.render import page

SUBMIT_TIMEOUT_S = 10.0
# the engine's refusals as the page's states
_REFUSED = {"already_rated": ("already", 409), "invalid_transition": ("not_done", 409)}


def answers(form: FormData) -> dict[str, int]:
    """The valid answers among the form's fields (u1..u9 -> 1..4)."""
    scores: dict[str, int] = {}
    for element in ELEMENTS:
        value = str(form.get(element) or "")
        if value in {str(score) for score in IKM_SCORES}:
            scores[element] = int(value)
    return scores


def complete(scores: dict[str, int]) -> bool:
    return len(scores) == len(ELEMENTS)


def submit(request: Request, ticket_id: str, scores: dict[str, int]) -> tuple[str, int]:
    """Send the nine answers through the engine; the page's (state, HTTP status)."""
    payload = json.dumps({"id": f"feedback-{ticket_id}", "op": "feedback.submit",
                          "args": {"ticket": ticket_id, "scores": scores}}).encode()
    try:
        raw = ctx_of(request).submit("web:feedback", "counter", payload, SUBMIT_TIMEOUT_S)
    except TimeoutError:
        return "busy", 503
    reply = json.loads(raw)
    if reply.get("ok"):
        return "thanks", 200
    return _REFUSED.get(reply.get("error", {}).get("code"), ("busy", 503))


def ticket_info(request: Request, found: TicketPage) -> dict[str, Any]:
    """What the page shows of a ticket: its number, service (both languages), day and
    status; nothing personal."""
    try:
        svc = ctx_of(request).cfg.service(found.service)
        names = {"id": svc.name_id, "en": svc.name_en}
    except KeyError:  # a service since removed from the site file
        names = {"id": found.service, "en": found.service}
    return {"number": found.number, "service": names, "day": found.day,
            "status": found.status}


def survey_page(request: Request, state: str, *, status: int = 200,
                info: dict[str, Any] | None = None, action: str = "",
                hidden: dict[str, str] | None = None, chosen: dict[str, int] | None = None,
                refresh: int = 0, back: str = "", **values: Any) -> Response:
    """`action`: where the form posts; `back`: the tablet page a refresh returns to
    (empty: the page itself)."""
    resp = page(request, "feedback.html", status=status, state=state, info=info,
                action=action, hidden=hidden or {}, chosen=chosen or {}, refresh=refresh,
                back=back, elements=ELEMENTS, scores=IKM_SCORES,
                **{"retry_after": 0, "counter_name": "", "pair_url": "", **values})
    resp.headers["Referrer-Policy"] = "no-referrer"  # a page's address holds its key
    return resp
