"""The dashboard's read side: the page, the live picture (JSON and server-sent events),
alert acknowledgement, a CSV export, and the OpenAPI description."""

from __future__ import annotations

import csv
import io
import logging
import time
from collections.abc import AsyncIterator
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Body, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response, StreamingResponse

from queue_server.protocol.ops import PAUSE_REASONS
from queue_server.web.accounts import AccountError
from queue_server.web.deps import (
    AdminChecked,
    Administrator,
    Checked,
    Refused,
    Supervisor,
    ctx_of,
    lang_of,
)
from queue_server.web.i18n import translate
from queue_server.web.render import page

router = APIRouter()
log = logging.getLogger("mpp.web")
KEEPALIVE_S = 5.0  # a fresh picture at least this often: waits grow with time
RECHECK_SESSION_S = 30.0


@router.get("/", response_class=HTMLResponse, summary="The live dashboard page")
def dashboard(request: Request, signed: Supervisor) -> Response:
    pairing = ctx_of(request).pairing  # its panel refreshes as often as the boxes poll
    poll_s = max(0.25, pairing.poll_s) if pairing is not None else 3.0
    return page(request, "dashboard.html", pause_reasons=PAUSE_REASONS,
                boxes_poll_ms=round(poll_s * 1000))


@router.get("/api/me", summary="The signed-in account")
def me(signed: Supervisor) -> dict[str, Any]:
    return {"username": signed.user.username, "role": signed.user.role}


@router.get("/api/accounts", summary="Dashboard accounts (administrators only)")
def accounts(request: Request, signed: Administrator) -> list[dict[str, str]]:
    return [{"username": u.username, "role": u.role}
            for u in ctx_of(request).accounts.list()]


@router.post("/api/accounts", summary="Add a dashboard account (administrators only)")
def add_account(request: Request, signed: AdminChecked,
                username: Annotated[str, Body(max_length=64)],
                password: Annotated[str, Body(max_length=256)],
                role: Annotated[Literal["supervisor", "administrator"], Body()]
                ) -> dict[str, str]:
    try:
        user = ctx_of(request).accounts.add(username.strip().lower(), password, role)
    except AccountError as err:
        raise Refused(409 if err.code == "exists" else 400, err.code) from None
    log.info("account %s (%s) added by %s", user.username, user.role, signed.user.username)
    return {"username": user.username, "role": user.role}


@router.post("/api/accounts/{username}/disable",
             summary="Disable an account and end its sessions (administrators only)")
def disable_account(request: Request, signed: AdminChecked, username: str
                    ) -> dict[str, str]:
    if username == signed.user.username:
        raise Refused(409, "own_account")
    try:
        ctx_of(request).accounts.disable(username)
    except AccountError as err:
        raise Refused(404, err.code) from None
    log.info("account %s disabled by %s", username, signed.user.username)
    return {"username": username, "disabled": "true"}


@router.get("/api/snapshot", summary="Everything the dashboard shows, now")
def snapshot(request: Request, signed: Supervisor) -> dict[str, Any]:
    return ctx_of(request).live.snapshot()


@router.get("/api/live", summary="Server-sent events: a `snapshot` event on every change",
            response_class=StreamingResponse)
async def live(request: Request, signed: Supervisor) -> StreamingResponse:
    ctx = ctx_of(request)
    accounts = ctx.accounts

    async def stream() -> AsyncIterator[str]:
        version, checked = -1, time.monotonic()
        yield "retry: 2000\n\n"
        while not ctx.closing:
            version, text = ctx.live.snapshot_json()
            yield f"event: snapshot\ndata: {text}\n\n"
            await ctx.live.changed(version, KEEPALIVE_S)
            if await request.is_disconnected():
                return
            if time.monotonic() - checked > RECHECK_SESSION_S:
                if accounts.session(signed.token) is None:  # signed out or expired
                    yield "event: signed_out\ndata: {}\n\n"
                    return
                checked = time.monotonic()

    return StreamingResponse(stream(), media_type="text/event-stream",
                             headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"})


@router.post("/api/alerts/ack", summary="Acknowledge an alert")
def ack(request: Request, signed: Checked,
        key: Annotated[str, Body(embed=True, max_length=120)]) -> dict[str, Any]:
    if not ctx_of(request).live.acknowledge(key, signed.user.username):
        raise Refused(404, "unknown_alert")
    return {"ok": True, "key": key, "by": signed.user.username}


@router.get("/api/export/services.csv", summary="Today's figures per service, as CSV",
            response_class=Response)
def export_services(request: Request, signed: Supervisor) -> Response:
    lang = lang_of(request)
    snap = ctx_of(request).live.snapshot()
    out = io.StringIO()
    w = csv.writer(out)
    w.writerow([translate(lang, f"csv.{c}") for c in
                ("agency", "service", "waiting", "longest_wait_s", "avg_wait_s",
                 "avg_service_s", "target_wait_s", "issued_today", "quota", "open")])
    for agency in snap["agencies"]:
        for s in agency["services"]:
            w.writerow([agency["name"][lang], s["name"][lang], s["waiting"],
                        s["longest_wait_s"], s["avg_wait_s"] if s["avg_wait_s"] is not None
                        else "", s["avg_service_s"] or "", s["target_wait_s"],
                        s["issued_today"] if s["issued_today"] is not None else "",
                        s["quota"] if s["quota"] is not None else "", int(s["open"])])
    return Response(out.getvalue(), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": 'attachment; filename="services.csv"'})


@router.get("/api/openapi.json", summary="This API's OpenAPI description")
def openapi(request: Request, signed: Supervisor) -> JSONResponse:
    return JSONResponse(request.app.openapi())


health_router = APIRouter()


@health_router.get("/health", summary="Liveness probe (public, no personal data)")
@health_router.get("/api/health", summary="Liveness probe (public, no personal data)")
def health(request: Request) -> dict[str, Any]:
    return ctx_of(request).health()
