"""The supervisor dashboard's web application (FastAPI), served by the queue server.

Structure (add a feature by adding a router to ROUTERS, nothing else):
    app.py            create_app(): routers, error answers, security headers
    deps.py           WebContext (on app.state.ctx), require_user(role) / Supervisor /
                      Administrator (who is signed in), csrf / Checked and csrf_admin /
                      AdminChecked (state-changing requests), lang_of (id | en)
    accounts.py       accounts (argon2id), sessions (idle + absolute expiry), lock-out:
                      the rules (their rows: queue_server/store/accounts.py)
    follower.py       Follower: its own MQTT connection, hands what it hears to LiveState
    live.py           LiveState: the hall as last heard, versions, acknowledgements
    snapshot.py       the picture built from it (alert rules: queue_server/domain/alerts.py)
    routes_auth.py    /login, /logout
    routes_ticket.py  /t/{key}: a ticket's own page for the citizen's phone, the survey
    routes_tablet.py  /f/counter/{counter}: a counter's paired survey tablet
    survey.py         the survey form and page both use; limits.py: the per-address limit
    routes_metrics.py /metrics: the server's figures for Prometheus (public, nothing personal)
    routes_api.py     /, /api/me, /api/accounts, /api/snapshot, /api/live (SSE),
                      /api/alerts/ack,
                      /api/export/services.csv, /api/openapi.json, /health, /api/health
    routes_actions.py /api/services/..., /api/counters/..., /api/tickets/move,
                      /api/tickets/void, /api/message: commands through QueueServer.submit
                      as `web:<user>`
    routes_pairing.py /pair (a blank box asks for its bundle; public, limited) and
                      /api/pairing (administrators give it one); pairing.py: the requests
    render.py         page(request, template, **values): Jinja2 with t() and the CSRF token
    i18n.py, i18n/    JSON catalogues id.json / en.json
    runner.py         WebServer: uvicorn on its own thread, started and stopped by QueueServer

Rules for every route: pages and /api need a session (Depends on Supervisor, Administrator,
Checked or AdminChecked); a POST/PUT/DELETE uses Checked or AdminChecked (session + CSRF).
Only /login, /health, /api/health, /metrics, /static, the citizens' pages and a blank box's
/pair calls (PUBLIC_PATHS, rate-limited per address) are public
(tests/web/test_security.py enumerates the routes)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi.routing import APIRoute
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import BaseRoute

from queue_server.web import (
    routes_actions,
    routes_api,
    routes_auth,
    routes_metrics,
    routes_pairing,
    routes_reports,
    routes_tablet,
    routes_ticket,
)
from queue_server.web.deps import NotSignedIn, Refused, WebContext, lang_of
from queue_server.web.i18n import error_text
from queue_server.web.limits import PublicLimit, TooMany
from queue_server.web.survey import survey_page

ROUTERS = [routes_auth.router, routes_api.router, routes_api.health_router,
           routes_actions.router, routes_reports.router, routes_tablet.router,
           routes_ticket.router, routes_metrics.router, routes_pairing.box,
           routes_pairing.admin]
# the citizens' pages: a ticket's by its key; the old survey address (404); a counter's
# tablet (public route, but only its paired tablet gets past the door: routes_tablet.py)
# /metrics: counts and times for Prometheus, nothing personal (docs/observability.md)
# /pair: a blank box asking for its bundle has no account yet; what it gets is sealed for
# it and for the code on its screen (routes_pairing.py, docs/security.md)
PUBLIC_PATHS = {"/login", "/health", "/api/health", "/metrics", "/t/{key}", "/f/{ticket}",
                "/f/counter/{counter}", "/pair", "/pair/{token}", "/pair/{token}/confirm",
                "/pair/{token}/failed"}
STATIC = Path(__file__).parent / "static"


def _error(request: Request, status: int, code: str, detail: str = "",
           fields: dict[str, int] | None = None) -> JSONResponse:
    error: dict[str, str | int] = {"code": code, "message": error_text(lang_of(request), code)}
    if detail:
        error["detail"] = detail
    error.update(fields or {})
    resp = JSONResponse({"error": error}, status_code=status)
    if fields and "retry_after_s" in fields:
        resp.headers["Retry-After"] = str(fields["retry_after_s"])
    return resp


def api_routes(routes: list[BaseRoute], prefix: str = "") -> list[tuple[str, str]]:
    """(method, path) of every API route, through included routers (for the tests that
    check each one refuses without a session and is in the OpenAPI description)."""
    found: list[tuple[str, str]] = []
    for route in routes:
        if isinstance(route, APIRoute):
            found += [(m, prefix + route.path) for m in sorted(route.methods or ())]
        elif hasattr(route, "original_router"):  # FastAPI's included router
            inner = prefix + getattr(getattr(route, "include_context", None), "prefix", "")
            found += api_routes(route.original_router.routes, inner)
    return found


def create_app(ctx: WebContext) -> FastAPI:
    # the built-in /docs, /redoc and /openapi.json would be public: ours needs a session
    app = FastAPI(title="MPP queue dashboard", version="1", docs_url=None, redoc_url=None,
                  openapi_url=None)
    app.state.ctx = ctx
    app.state.public_limit = PublicLimit(ctx.cfg.policy.public_requests_per_min)
    app.state.pair_opens = PublicLimit(routes_pairing.OPENS_PER_MIN)
    for router in ROUTERS:
        app.include_router(router)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")

    @app.exception_handler(NotSignedIn)
    async def not_signed_in(request: Request, _exc: NotSignedIn) -> Response:
        if request.url.path.startswith("/api/"):
            return _error(request, 401, "not_signed_in")
        return RedirectResponse(f"/login?next={request.url.path}", status_code=303)

    @app.exception_handler(Refused)
    async def refused(request: Request, exc: Refused) -> Response:
        return _error(request, exc.status, exc.code, exc.detail, exc.fields)

    @app.exception_handler(TooMany)
    async def too_many(request: Request, exc: TooMany) -> Response:
        resp = survey_page(request, "rate_limited", status=429,
                           retry_after=exc.retry_after_s)
        resp.headers["Retry-After"] = str(exc.retry_after_s)
        return resp

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> Response:
        fields = ", ".join(".".join(str(p) for p in e.get("loc", ())) for e in exc.errors())
        return _error(request, 422, "bad_request", fields)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        code = {404: "not_found", 405: "method_not_allowed"}.get(exc.status_code, "http_error")
        return _error(request, exc.status_code, code)

    @app.middleware("http")
    async def headers(request: Request,
                      call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        resp = await call_next(request)
        resp.headers.setdefault("X-Content-Type-Options", "nosniff")
        resp.headers.setdefault("X-Frame-Options", "DENY")
        resp.headers.setdefault("Referrer-Policy", "same-origin")
        resp.headers.setdefault(
            "Content-Security-Policy",
            "default-src 'self'; img-src 'self' data:; style-src 'self'; "
            "script-src 'self'; connect-src 'self'; frame-ancestors 'none'")
        return resp

    return app
