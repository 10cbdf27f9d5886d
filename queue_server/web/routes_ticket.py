"""A ticket's own page for the citizen's phone (DESIGN.md: the `url` of the ticket.issue
reply, the printed ticket's QR): /t/{key}. It shows the ticket (number, service, status)
and, once the service is completed, the satisfaction survey; one rating per ticket.

The key (128 random bits) is the only way in: the hall keeps its SHA-256
(domain/ticket_page.py), and the ticket id published on state/ and event/ topics opens
nothing: the old survey address /f/{ticket id} answers 404. Every route here is public and
rate-limited per address (limits.py)."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response

from queue_server.domain.ticket_page import PAGE_PATH, key_digest, well_formed
from queue_server.store.queries import TicketPage, ticket_by_key
from queue_server.web.deps import ctx_of
from queue_server.web.limits import public_limited
from queue_server.web.survey import answers, complete, submit, survey_page, ticket_info

router = APIRouter(dependencies=[Depends(public_limited)])

WAITING_REFRESH_S = 30  # until the service is done the page looks again by itself
# Issue 15 adds the live position and the call to this page: they belong in
# `_ticket_page` (the values) and the `ticket` block of feedback.html (the view).


def _found(request: Request, key: str) -> TicketPage | None:
    if not well_formed(key):
        return None  # not even a key's shape: no database read
    return ticket_by_key(ctx_of(request).db, key_digest(key))


def _action(request: Request, key: str) -> str:
    lang = request.query_params.get("lang") or ""
    return f"{PAGE_PATH}{key}" + (f"?lang={lang}" if lang in ("id", "en") else "")


def _unknown(request: Request) -> Response:
    return survey_page(request, "unknown", status=404)


@router.get(PAGE_PATH + "{key}", response_class=HTMLResponse,
            summary="Public: a ticket's own page (its status, then the survey), by its key")
def ticket_page(request: Request, key: str) -> Response:
    found = _found(request, key)
    if found is None:
        return _unknown(request)
    info = ticket_info(request, found)
    if found.status != "done":
        return survey_page(request, "ticket", info=info, refresh=WAITING_REFRESH_S)
    if found.rated:
        return survey_page(request, "already", info=info)
    return survey_page(request, "form", info=info, action=_action(request, key))


@router.post(PAGE_PATH + "{key}", response_class=HTMLResponse,
             summary="Public: record the survey answers (u1..u9, each 1..4) once")
async def ticket_rate(request: Request, key: str) -> Response:
    found = _found(request, key)
    if found is None:
        return _unknown(request)
    info = ticket_info(request, found)
    scores = answers(await request.form())
    if not complete(scores):
        return survey_page(request, "incomplete", status=422, info=info, chosen=scores,
                           action=_action(request, key))
    state, status = submit(request, found.id, scores)
    return survey_page(request, state, status=status, info=info, chosen=scores,
                       action=_action(request, key))


@router.get("/f/{ticket}", response_class=HTMLResponse,
            summary="Public: the old survey address by ticket id; opens nothing (404)")
def old_survey(request: Request, ticket: str) -> Response:
    return _unknown(request)


@router.post("/f/{ticket}", response_class=HTMLResponse,
             summary="Public: the old survey address by ticket id; records nothing (404)")
def old_survey_post(request: Request, ticket: str) -> Response:
    return _unknown(request)
