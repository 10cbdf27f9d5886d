"""Dependencies every router uses: who is signed in (`require_user(role)`), the CSRF
check on state-changing requests (`csrf`), and the page language (`lang_of`)."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated, Any, cast

from fastapi import Depends, Request

from queue_server.web.accounts import Accounts, SignedIn
from queue_server.web.i18n import DEFAULT_LANG, LANGS

if TYPE_CHECKING:
    from queue_server.metrics import Metrics
    from queue_server.web.live import LiveState

SESSION_COOKIE = "mpp_session"
LANG_COOKIE = "mpp_lang"
CSRF_HEADER = "X-CSRF-Token"
CSRF_FIELD = "csrf_token"


class NotSignedIn(Exception):
    """Answered 401 on /api, a redirect to /login for pages (see app.py)."""


class Refused(Exception):
    """Answered with `status` and {"error": {"code", "message"}} in the user's language;
    `fields` are figures the error carries (`retry_after_s` also goes in Retry-After)."""

    def __init__(self, status: int, code: str, detail: str = "", **fields: int) -> None:
        super().__init__(code)
        self.status, self.code, self.detail, self.fields = status, code, detail, fields


@dataclass
class WebContext:
    """What the routers need, on app.state.ctx."""

    cfg: Any  # SiteConfig
    accounts: Accounts
    live: LiveState
    submit: Callable[[str, str, bytes, float], bytes]  # QueueServer.submit
    health: Callable[[], dict[str, Any]]
    closing: bool = False
    db: Any = None  # the store's database, handed to store/ and reporting/ functions
    today: Callable[[], str] = lambda: ""  # the site's local day on the server's clock
    now: Callable[[], float] = lambda: 0.0  # the server's clock (epoch seconds)
    metrics: Metrics | None = None  # the server's figures, for /metrics
    # boxes asking for their bundle (web/pairing.py's Pairings; None: no boxes folder)
    pairing: Any = None


def ctx_of(request: Request) -> WebContext:
    ctx: WebContext = request.app.state.ctx
    return ctx


def over_https(request: Request) -> bool:
    """Whether this request came over HTTPS (the dashboard's own TLS, or a TLS proxy on
    this box): then every cookie the dashboard sets is `Secure`."""
    return request.url.scheme == "https"


def lang_of(request: Request) -> str:
    lang = request.query_params.get("lang") or request.cookies.get(LANG_COOKIE)
    return lang if lang in LANGS else DEFAULT_LANG


def current_session(request: Request) -> SignedIn | None:
    cached = getattr(request.state, "signed_in", False)
    if cached is not False:
        return cast("SignedIn | None", cached)  # what an earlier call found
    found = ctx_of(request).accounts.session(request.cookies.get(SESSION_COOKIE))
    request.state.signed_in = found
    return found


def require_user(role: str = "supervisor") -> Callable[[Request], SignedIn]:
    """`Depends(require_user("administrator"))`: the session, or 401/redirect; 403 when
    the account's role is not enough."""

    def dependency(request: Request) -> SignedIn:
        found = current_session(request)
        if found is None:
            raise NotSignedIn()
        if not found.user.has(role):
            raise Refused(403, "forbidden")
        return found

    return dependency


Supervisor = Annotated[SignedIn, Depends(require_user("supervisor"))]
Administrator = Annotated[SignedIn, Depends(require_user("administrator"))]


async def _csrf_ok(request: Request, signed_in: SignedIn) -> SignedIn:
    """The session's CSRF token must come back in the X-CSRF-Token header (scripts) or the
    csrf_token form field (forms). SameSite=Strict cookies are the second wall."""
    sent = request.headers.get(CSRF_HEADER)
    if sent is None and request.headers.get("content-type", "").startswith(
            ("application/x-www-form-urlencoded", "multipart/form-data")):
        sent = str((await request.form()).get(CSRF_FIELD) or "")
    if not sent or not secrets.compare_digest(sent.encode(), signed_in.csrf.encode()):
        raise Refused(403, "csrf")
    return signed_in


async def csrf(request: Request, signed_in: Supervisor) -> SignedIn:
    return await _csrf_ok(request, signed_in)


async def csrf_admin(request: Request, signed_in: Administrator) -> SignedIn:
    return await _csrf_ok(request, signed_in)


Checked = Annotated[SignedIn, Depends(csrf)]  # signed in, and the CSRF token matched
AdminChecked = Annotated[SignedIn, Depends(csrf_admin)]  # the same, for administrators
