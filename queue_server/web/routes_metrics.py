"""/metrics: the server's figures in Prometheus' text format (queue_server/metrics.py).

Public, as /health is: a scraper on the hall's LAN signs in to nothing, and the figures
are counts and times by service, op and device role, never a ticket, a number or anything
of a citizen's (docs/observability.md says why, and how to close it at the firewall)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from queue_server.metrics import CONTENT_TYPE_LATEST
from queue_server.web.deps import Refused, ctx_of

router = APIRouter()


@router.get("/metrics", summary="Figures for Prometheus (public, no personal data)")
def metrics(request: Request) -> Response:
    found = ctx_of(request).metrics
    if found is None:  # a dashboard made without a server behind it
        raise Refused(404, "not_found")
    return Response(found.text(), media_type=CONTENT_TYPE_LATEST)
