"""Supervisor actions. Each one is a protocol command run through the engine with
QueueServer.submit, as device `web:<user>`: the same rules as an MQTT supervisor, and the
same audit log (events.device names the user)."""

from __future__ import annotations

import json
import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Body, Path, Request

from queue_server.protocol.ops import PauseReason
from queue_server.web.deps import Checked, Refused, ctx_of

router = APIRouter(prefix="/api")
Slug = Annotated[str, Path(pattern=r"^[a-z0-9][a-z0-9-]{0,31}$")]
SUBMIT_TIMEOUT_S = 10.0


def run(request: Request, signed: Checked, op: str, args: dict[str, Any]) -> dict[str, Any]:
    ctx = ctx_of(request)
    payload = json.dumps({"id": uuid.uuid4().hex, "op": op, "args": args}).encode()
    try:
        raw = ctx.submit(f"web:{signed.user.username}", "supervisor", payload,
                         SUBMIT_TIMEOUT_S)
    except TimeoutError:
        raise Refused(503, "timeout") from None
    reply = json.loads(raw)
    if not reply.get("ok"):
        error = reply.get("error") or {}
        status = 404 if str(error.get("code", "")).startswith("unknown_") else 409
        if error.get("code") in ("bad_request", "forbidden"):
            status = 400 if error["code"] == "bad_request" else 403
        raise Refused(status, str(error.get("code", "internal_error")),
                      str(error.get("message", "")))
    return {"ok": True, "op": op, "result": reply.get("result")}


@router.post("/services/{service}/open", summary="Open a service (service.open)")
def service_open(request: Request, signed: Checked, service: Slug) -> dict[str, Any]:
    return run(request, signed, "service.open", {"service": service})


@router.post("/services/{service}/close", summary="Close a service (service.close)")
def service_close(request: Request, signed: Checked, service: Slug) -> dict[str, Any]:
    return run(request, signed, "service.close", {"service": service})


@router.post("/services/{service}/quota",
             summary="Change today's walk-in quota; null = back to the configured one")
def service_quota(request: Request, signed: Checked, service: Slug,
                  quota: Annotated[int | None, Body(embed=True, ge=1, le=100000)]
                  ) -> dict[str, Any]:
    return run(request, signed, "service.set_quota", {"service": service, "quota": quota})


@router.post("/counters/{counter}/pause", summary="Pause a counter (counter.pause)")
def counter_pause(request: Request, signed: Checked, counter: Slug,
                  reason: Annotated[PauseReason, Body(embed=True)] = "other"
                  ) -> dict[str, Any]:
    return run(request, signed, "counter.pause", {"counter": counter, "reason": reason})


@router.post("/counters/{counter}/close", summary="Close a counter (counter.close)")
def counter_close(request: Request, signed: Checked, counter: Slug) -> dict[str, Any]:
    return run(request, signed, "counter.close", {"counter": counter})


@router.post("/tickets/move", summary="Move a waiting ticket to another service (ticket.move)")
def ticket_move(request: Request, signed: Checked,
                ticket: Annotated[str, Body(min_length=1, max_length=64)],
                service: Annotated[str, Body(pattern=r"^[a-z0-9][a-z0-9-]{0,31}$")],
                front: Annotated[bool, Body()] = False) -> dict[str, Any]:
    return run(request, signed, "ticket.move",
               {"ticket": ticket.strip().upper() if "-" in ticket else ticket.strip(),
                "service": service, "front": front})


@router.post("/tickets/void",
             summary="Take a waiting ticket never handed out out of the queue (ticket.void)")
def ticket_void(request: Request, signed: Checked,
                ticket: Annotated[str, Body(min_length=1, max_length=64)],
                reason: Annotated[str | None, Body(max_length=500)] = None) -> dict[str, Any]:
    args: dict[str, Any] = {"ticket": ticket.strip().upper() if "-" in ticket else ticket.strip()}
    if reason and reason.strip():
        args["reason"] = reason.strip()
    return run(request, signed, "ticket.void", args)


@router.post("/message", summary="Running text on the wall displays (message.broadcast)")
def broadcast(request: Request, signed: Checked,
              text: Annotated[str, Body(min_length=1, max_length=500)],
              text_en: Annotated[str | None, Body(max_length=500)] = None) -> dict[str, Any]:
    args: dict[str, Any] = {"text": text}
    if text_en:
        args["text_en"] = text_en
    return run(request, signed, "message.broadcast", args)
