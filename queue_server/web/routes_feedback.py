"""The citizen's satisfaction survey (IKM, PermenPANRB 14/2017), reached from the QR code on
the ticket or on a customer-facing tablet: /f/{ticket id}.

It is the one public page besides sign-in: a citizen has no account. The ticket id (128
random bits, printed only on the citizen's own ticket) is the key; the page shows the
service and day only, and the engine accepts one rating per completed ticket
(`feedback.submit`, as a counter device would send it). No session means no cookie to ride,
so there is no CSRF token; the command id is derived from the ticket, so a double submit
is answered the same and changes nothing."""

from __future__ import annotations

import json
import re
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy import text

from queue_server.domain.ikm import ELEMENTS
from queue_server.web.deps import ctx_of
from queue_server.web.render import page

router = APIRouter()

TICKET_ID = re.compile(r"^[0-9a-f]{32}$")
SUBMIT_TIMEOUT_S = 10.0


def _ticket(request: Request, ticket: str) -> dict[str, Any] | None:
    if not TICKET_ID.fullmatch(ticket):
        return None
    ctx = ctx_of(request)
    with ctx.db.connect() as conn:
        row = conn.execute(text("SELECT service, day, status FROM tickets WHERE id = :id"),
                           {"id": ticket}).first()
    if row is None:
        return None
    try:
        svc = ctx.cfg.service(row.service)
        names = {"id": svc.name_id, "en": svc.name_en}
    except KeyError:  # a service since removed from the site file
        names = {"id": row.service, "en": row.service}
    return {"service": names, "day": row.day, "status": row.status}


def _form(request: Request, ticket: str, info: dict[str, Any] | None, *,
          state: str = "form", status: int = 200, chosen: dict[str, int] | None = None
          ) -> Response:
    return page(request, "feedback.html", status=status, ticket=ticket, info=info,
                state=state, elements=ELEMENTS, chosen=chosen or {})


@router.get("/f/{ticket}", response_class=HTMLResponse,
            summary="Public: the satisfaction survey for one completed ticket")
def feedback_form(request: Request, ticket: str) -> Response:
    info = _ticket(request, ticket)
    if info is None:
        return _form(request, ticket, None, state="unknown", status=404)
    if info["status"] != "done":
        return _form(request, ticket, info, state="not_done", status=409)
    return _form(request, ticket, info)


@router.post("/f/{ticket}", response_class=HTMLResponse,
             summary="Public: record the survey answers (u1..u9, each 1..4) once")
async def feedback_submit(request: Request, ticket: str) -> Response:
    info = _ticket(request, ticket)
    if info is None:
        return _form(request, ticket, None, state="unknown", status=404)
    form = await request.form()
    scores: dict[str, int] = {}
    for element in ELEMENTS:
        value = str(form.get(element) or "")
        if value in ("1", "2", "3", "4"):
            scores[element] = int(value)
    if not scores:
        return _form(request, ticket, info, state="empty", status=422)
    payload = json.dumps({"id": f"feedback-{ticket}", "op": "feedback.submit",
                          "args": {"ticket": ticket, "scores": scores}}).encode()
    try:
        raw = ctx_of(request).submit("web:feedback", "counter", payload, SUBMIT_TIMEOUT_S)
    except TimeoutError:
        return _form(request, ticket, info, state="busy", status=503, chosen=scores)
    reply = json.loads(raw)
    if reply.get("ok"):
        return _form(request, ticket, info, state="thanks")
    code = reply.get("error", {}).get("code")
    states = {"already_rated": ("already", 409), "invalid_transition": ("not_done", 409)}
    state, status = states.get(code, ("busy", 503))
    return _form(request, ticket, info, state=state, status=status, chosen=scores)
