"""Pairing a blank box over the LAN (docs/boxes.md, docs/security.md): the box's calls
under /pair (public: a blank box has no account; rate limited per address and capped),
and the administrators' under /api/pairing (the dashboard's "Boxes waiting" panel)."""

from __future__ import annotations

import math
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Body, Depends, Path, Request

from queue_server.protocol.pairing import PairingError, check_public_key, unb64
from queue_server.web.deps import AdminChecked, Administrator, Refused, ctx_of
from queue_server.web.limits import PublicLimit
from queue_server.web.pairing import Pairings

OPENS_PER_MIN = 6  # new requests from one address: a box makes one per code it shows
HOST = r"^[A-Za-z0-9][A-Za-z0-9.-]{0,62}$"
TOKEN = r"^[A-Za-z0-9_-]{16,64}$"
Slug = Annotated[str, Path(pattern=r"^[a-z0-9]{10}$")]


def _limited(limit: PublicLimit, request: Request) -> None:
    wait = limit.take(request.client.host if request.client else "")
    if wait > 0:
        raise Refused(429, "rate_limited", retry_after_s=max(1, math.ceil(wait)))


def opens_limited(request: Request) -> None:
    _limited(request.app.state.pair_opens, request)


def polls_limited(request: Request) -> None:
    _limited(request.app.state.public_limit, request)


def pairings(request: Request) -> Pairings:
    found = ctx_of(request).pairing
    if found is None:
        raise Refused(503, "pairing_off")
    return found


box = APIRouter(prefix="/pair", tags=["pairing"])
Token = Annotated[str, Path(pattern=TOKEN)]


@box.post("", status_code=201, dependencies=[Depends(opens_limited)],
          summary="A blank box asks for its bundle (public, rate limited)")
def open_request(request: Request, host: Annotated[str, Body(pattern=HOST)],
                 key: Annotated[str, Body(max_length=64)],
                 proto: Annotated[Literal[1], Body()]) -> dict[str, Any]:
    try:
        raw = unb64(key, "bad_key")
        check_public_key(raw)
    except PairingError as err:
        raise Refused(400, err.code) from None
    address = request.client.host if request.client else ""
    found = pairings(request)
    made = found.open(host, address, raw)
    return {"token": made.token, "site": found.site, "poll_s": found.poll_s,
            "expires_s": round(found.ttl_s)}


@box.get("/{token}", dependencies=[Depends(polls_limited)],
         summary="Where the box's request is: waiting, sent (with the sealed answer), ...")
def poll(request: Request, token: Token) -> dict[str, Any]:
    return pairings(request).poll(token)


@box.post("/{token}/confirm", dependencies=[Depends(polls_limited)],
          summary="The box opened its answer: its bundle is marked taken")
def confirm(request: Request, token: Token,
            mac: Annotated[str, Body(embed=True, max_length=64)]) -> dict[str, str]:
    try:
        raw = unb64(mac, "bad_confirm")
    except PairingError as err:
        raise Refused(400, err.code) from None
    return {"state": pairings(request).confirm(token, raw).state.value}


@box.post("/{token}/failed", dependencies=[Depends(polls_limited)],
          summary="The box could not open its answer (a wrong code?): it asks again")
def failed(request: Request, token: Token,
           reason: Annotated[Literal["mismatch"], Body(embed=True)]) -> dict[str, str]:
    return {"state": pairings(request).failed(token).state.value}


admin = APIRouter(prefix="/api/pairing", tags=["pairing"])


@admin.get("", summary="Boxes waiting to be installed, and the bundles free to give")
def listing(request: Request, signed: Administrator) -> dict[str, Any]:
    found = ctx_of(request).pairing
    if found is None:
        return {"folder": None, "requests": [], "bundles": []}
    return found.listing()


@admin.post("/{request_id}/approve",
            summary="Give a waiting box a bundle, sealed with the code its screen shows")
def approve(request: Request, signed: AdminChecked, request_id: Slug,
            code: Annotated[str, Body(min_length=1, max_length=32)],
            device: Annotated[str, Body(pattern=r"^[a-z0-9][a-z0-9-]{0,31}$")]
            ) -> dict[str, str]:
    made = pairings(request).approve(request_id, code, device, signed.user.username)
    return {"id": made.id, "state": made.state.value, "device": device}


@admin.post("/{request_id}/refuse", summary="Refuse a box's request")
def refuse(request: Request, signed: AdminChecked, request_id: Slug) -> dict[str, str]:
    made = pairings(request).refuse(request_id, signed.user.username)
    return {"id": made.id, "state": made.state.value}
