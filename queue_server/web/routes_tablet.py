"""A counter's survey tablet, facing the citizen at the desk: /f/counter/{counter} shows the
survey of the ticket that counter completed last (for a few minutes, then a welcome).

Only the tablet paired with that counter opens it. A supervisor pairs it on the tablet
itself: signs in, opens /f/counter/{counter}/pair and confirms; the tablet then holds a
cookie (a random token, only its SHA-256 kept, bound to that one counter and path) and the
supervisor's session on it ends, so the citizen's side of the desk holds no dashboard
access. One tablet per counter: pairing another revokes the one before. The page shows the
ticket's number and service, never its page key."""

from __future__ import annotations

import hashlib
import logging
import secrets
import time
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from queue_server.store.queries import last_unrated_ticket, ticket_by_id
from queue_server.store.tablets import pair_tablet, tablet_counter
from queue_server.web.deps import SESSION_COOKIE, Checked, Supervisor, ctx_of, over_https
from queue_server.web.limits import public_limited
from queue_server.web.survey import answers, complete, submit, survey_page, ticket_info

router = APIRouter(dependencies=[Depends(public_limited)])
log = logging.getLogger("mpp.web")

TABLET_COOKIE = "mpp_tablet"
TABLET_COOKIE_S = 400 * 86400  # the longest a browser keeps a cookie
TABLET_FRESH_S = 600.0  # a tablet offers the survey this long after the service ended
TABLET_IDLE_REFRESH_S = 4  # the waiting tablet looks for a newly completed ticket
TABLET_FORM_REFRESH_S = 180  # an unanswered form gives way to the next citizen's
TABLET_DONE_REFRESH_S = 6  # the thank-you stays this long before the tablet waits again
REFRESH = {"form": TABLET_FORM_REFRESH_S, "idle": TABLET_IDLE_REFRESH_S}


def _path(counter: str) -> str:
    return f"/f/counter/{counter}"


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _counter_name(request: Request, counter: str) -> str | None:
    """The counter's name, or None for a counter the site does not have."""
    found = [c.name for c in ctx_of(request).cfg.counters if c.id == counter]
    return found[0] if found else None


def _paired(request: Request, counter: str) -> bool:
    token = request.cookies.get(TABLET_COOKIE, "")
    if not token or len(token) > 128:
        return False
    return tablet_counter(ctx_of(request).db, _digest(token)) == counter


def _tablet(request: Request, counter: str, state: str, status: int = 200,
            **values: Any) -> Response:
    return survey_page(request, state, status=status, back=_path(counter),
                       refresh=REFRESH.get(state, TABLET_DONE_REFRESH_S),
                       action=_path(counter), tablet=True, **values)


def _refused(request: Request, counter: str) -> Response | None:
    """The answer for an unknown counter or a device not paired with it; None: go on."""
    name = _counter_name(request, counter)
    if name is None:
        return survey_page(request, "unknown_counter", status=404, tablet=True)
    if not _paired(request, counter):
        return survey_page(request, "unpaired", status=403, tablet=True, counter_name=name,
                           pair_url=_path(counter) + "/pair")
    return None


@router.get("/f/counter/{counter}", response_class=HTMLResponse,
            summary="The counter's paired tablet: the survey of that counter's last citizen")
def tablet_page(request: Request, counter: str) -> Response:
    refused = _refused(request, counter)
    if refused is not None:
        return refused
    ctx = ctx_of(request)
    found = last_unrated_ticket(ctx.db, ctx.today(), counter, ctx.now() - TABLET_FRESH_S)
    row = ticket_by_id(ctx.db, found) if found else None
    if row is None:
        return _tablet(request, counter, "idle")
    return _tablet(request, counter, "form", info=ticket_info(request, row),
                   hidden={"ticket": row.id})


@router.post("/f/counter/{counter}", response_class=HTMLResponse,
             summary="The counter's paired tablet: record the survey answers once")
async def tablet_rate(request: Request, counter: str) -> Response:
    refused = _refused(request, counter)
    if refused is not None:
        return refused
    ctx = ctx_of(request)
    form = await request.form()
    row = ticket_by_id(ctx.db, str(form.get("ticket") or "")[:32])
    # only a ticket this counter completed today: the tablet rates nothing else
    if row is None or row.counter != counter or row.day != ctx.today():
        return _tablet(request, counter, "unknown", status=404)
    info, scores = ticket_info(request, row), answers(form)
    if not complete(scores):
        return _tablet(request, counter, "incomplete", status=422, info=info,
                       chosen=scores, hidden={"ticket": row.id})
    state, status = submit(request, row.id, scores)
    return _tablet(request, counter, state, status=status, info=info, chosen=scores,
                   hidden={"ticket": row.id})


@router.get("/f/counter/{counter}/pair", response_class=HTMLResponse,
            summary="A supervisor pairs this device as the counter's survey tablet")
def pair_form(request: Request, counter: str, _signed: Supervisor) -> Response:
    name = _counter_name(request, counter)
    if name is None:
        return survey_page(request, "unknown_counter", status=404, tablet=True)
    return survey_page(request, "pair", tablet=True, counter_name=name,
                       action=_path(counter) + "/pair")


@router.post("/f/counter/{counter}/pair", response_class=HTMLResponse,
             summary="Pair this device with the counter; the supervisor is signed out here")
def pair(request: Request, counter: str, signed: Checked) -> Response:
    ctx = ctx_of(request)
    if _counter_name(request, counter) is None:
        return survey_page(request, "unknown_counter", status=404, tablet=True)
    token = secrets.token_urlsafe(32)
    pair_tablet(ctx.db, counter, _digest(token), time.time(), signed.user.username)
    ctx.accounts.sign_out(signed.token)
    log.info("survey tablet paired with %s by %s", counter, signed.user.username)
    resp = RedirectResponse(_path(counter), status_code=303)
    secure = over_https(request)
    resp.delete_cookie(SESSION_COOKIE, path="/", httponly=True, samesite="strict",
                       secure=secure)
    resp.set_cookie(TABLET_COOKIE, token, max_age=TABLET_COOKIE_S, path=_path(counter),
                    httponly=True, samesite="strict", secure=secure)
    return resp
