"""The citizen's satisfaction survey (IKM, PermenPANRB 14/2017), reached from the QR code on
the ticket (/f/{ticket id}) or on a customer-facing tablet at a counter (/f/counter/{id}:
the survey of the ticket that counter completed last, for a few minutes, then a welcome).

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

from queue_server.domain.ikm import ELEMENTS
from queue_server.protocol.ops import IKM_SCORES
from queue_server.store.queries import last_unrated_ticket, ticket_summary
from queue_server.web.deps import ctx_of
from queue_server.web.render import page

router = APIRouter()

TICKET_ID = re.compile(r"^[0-9a-f]{32}$")
SUBMIT_TIMEOUT_S = 10.0
TABLET_FRESH_S = 600.0  # a tablet offers the survey this long after the service ended
TABLET_IDLE_REFRESH_S = 4  # the waiting tablet looks for a newly completed ticket
TABLET_FORM_REFRESH_S = 180  # an unanswered form gives way to the next citizen's
TABLET_DONE_REFRESH_S = 6  # the thank-you stays this long before the tablet waits again


def _ticket(request: Request, ticket: str) -> dict[str, Any] | None:
    if not TICKET_ID.fullmatch(ticket):
        return None
    ctx = ctx_of(request)
    row = ticket_summary(ctx.db, ticket)
    if row is None:
        return None
    try:
        svc = ctx.cfg.service(row.service)
        names = {"id": svc.name_id, "en": svc.name_en}
    except KeyError:  # a service since removed from the site file
        names = {"id": row.service, "en": row.service}
    return {"service": names, "day": row.day, "status": row.status}


def _form(request: Request, ticket: str, info: dict[str, Any] | None, *,
          state: str = "form", status: int = 200, chosen: dict[str, int] | None = None,
          back: str = "") -> Response:
    """`back`: the tablet page to return to (it refreshes to it); empty for a phone."""
    refresh = 0
    if back:
        refresh = {"form": TABLET_FORM_REFRESH_S, "idle": TABLET_IDLE_REFRESH_S}.get(
            state, TABLET_DONE_REFRESH_S)
    return page(request, "feedback.html", status=status, ticket=ticket, info=info,
                state=state, elements=ELEMENTS, scores=IKM_SCORES, chosen=chosen or {},
                back=back,
                refresh=refresh)


def _tablet_path(request: Request) -> str:
    """Only our own tablet pages, never an outside address (no open redirect)."""
    back = request.query_params.get("back", "")
    counter = back.removeprefix("/f/counter/")
    cfg = ctx_of(request).cfg
    return back if back != counter and counter in {c.id for c in cfg.counters} else ""


@router.get("/f/counter/{counter}", response_class=HTMLResponse,
            summary="Public: a counter-side tablet, the survey of that counter's last citizen")
def feedback_tablet(request: Request, counter: str) -> Response:
    ctx = ctx_of(request)
    if counter not in {c.id for c in ctx.cfg.counters}:
        return _form(request, "", None, state="unknown_counter", status=404)
    back = f"/f/counter/{counter}"
    found = last_unrated_ticket(ctx.db, ctx.today(), counter, ctx.now() - TABLET_FRESH_S)
    if found is None:
        return _form(request, "", None, state="idle", back=back)
    return _form(request, found, _ticket(request, found), back=back)


@router.get("/f/{ticket}", response_class=HTMLResponse,
            summary="Public: the satisfaction survey for one completed ticket")
def feedback_form(request: Request, ticket: str) -> Response:
    if ticket == "counter":  # /f/counter without a counter id
        return _form(request, "", None, state="unknown_counter", status=404)
    info = _ticket(request, ticket)
    if info is None:
        return _form(request, ticket, None, state="unknown", status=404)
    if info["status"] != "done":
        return _form(request, ticket, info, state="not_done", status=409)
    return _form(request, ticket, info)


@router.post("/f/{ticket}", response_class=HTMLResponse,
             summary="Public: record the survey answers (u1..u9, each 1..4) once")
async def feedback_submit(request: Request, ticket: str) -> Response:
    back = _tablet_path(request)
    info = _ticket(request, ticket)
    if info is None:
        return _form(request, ticket, None, state="unknown", status=404, back=back)
    form = await request.form()
    scores: dict[str, int] = {}
    for element in ELEMENTS:
        value = str(form.get(element) or "")
        if value in {str(score) for score in IKM_SCORES}:
            scores[element] = int(value)
    if not scores:
        return _form(request, ticket, info, state="empty", status=422, back=back)
    payload = json.dumps({"id": f"feedback-{ticket}", "op": "feedback.submit",
                          "args": {"ticket": ticket, "scores": scores}}).encode()
    try:
        raw = ctx_of(request).submit("web:feedback", "counter", payload, SUBMIT_TIMEOUT_S)
    except TimeoutError:
        return _form(request, ticket, info, state="busy", status=503, chosen=scores, back=back)
    reply = json.loads(raw)
    if reply.get("ok"):
        return _form(request, ticket, info, state="thanks", back=back)
    code = reply.get("error", {}).get("code")
    states = {"already_rated": ("already", 409), "invalid_transition": ("not_done", 409)}
    state, status = states.get(code, ("busy", 503))
    return _form(request, ticket, info, state=state, status=status, chosen=scores, back=back)
