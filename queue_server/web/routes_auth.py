"""Sign-in and sign-out pages."""

from __future__ import annotations

import logging
import secrets
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from queue_server.web.accounts import AccountError
from queue_server.web.deps import SESSION_COOKIE, Checked, ctx_of, lang_of, over_https
from queue_server.web.i18n import error_text
from queue_server.web.render import page

router = APIRouter(include_in_schema=True)
log = logging.getLogger("mpp.web")
LOGIN_COOKIE = "mpp_login_csrf"  # double-submit token: the form cannot be posted cross-site


def _safe_next(target: str | None) -> str:
    # only a path on this site: "//host" and "/\\host" are other sites to a browser
    if target and target.startswith("/") and not target.startswith("//") \
            and "\\" not in target and not any(ord(c) < 32 for c in target):
        return target
    return "/"


def _login_page(request: Request, status: int = 200, error: str | None = None) -> Response:
    token = secrets.token_urlsafe(24)
    resp = page(request, "login.html", status=status, login_csrf=token, error=error,
                next=_safe_next(request.query_params.get("next")))
    resp.set_cookie(LOGIN_COOKIE, token, httponly=True, samesite="strict", path="/login",
                    secure=over_https(request))
    return resp


@router.get("/login", response_class=HTMLResponse, summary="Sign-in page (public)")
def login_form(request: Request) -> Response:
    return _login_page(request)


@router.post("/login", response_class=HTMLResponse, summary="Sign in (public)")
def login(request: Request, username: Annotated[str, Form(max_length=64)],
          password: Annotated[str, Form(max_length=256)],
          csrf_token: Annotated[str, Form(max_length=64)] = "",
          next: Annotated[str, Form(max_length=200)] = "/") -> Response:
    lang = lang_of(request)
    cookie = request.cookies.get(LOGIN_COOKIE, "")
    if not cookie or not secrets.compare_digest(cookie.encode(), csrf_token.encode()):
        return _login_page(request, 403, error_text(lang, "csrf"))
    accounts = ctx_of(request).accounts
    remote = request.client.host if request.client else None
    try:
        signed = accounts.sign_in(username, password, remote)
    except AccountError as err:
        log.warning("dashboard sign-in refused (%s) for %r from %s", err.code,
                    username[:28], remote)
        status = {"locked_out": 429, "busy": 503}.get(err.code, 401)
        return _login_page(request, status, error_text(lang, err.code))
    log.info("dashboard sign-in: %s (%s) from %s", signed.user.username, signed.user.role,
             remote)
    resp = RedirectResponse(_safe_next(next), status_code=303)
    secure = over_https(request)
    resp.set_cookie(SESSION_COOKIE, signed.token, httponly=True, samesite="strict",
                    path="/", max_age=int(accounts.policy.absolute_s), secure=secure)
    resp.delete_cookie(LOGIN_COOKIE, path="/login", httponly=True, samesite="strict",
                       secure=secure)
    return resp


@router.post("/logout", summary="Sign out")
def logout(request: Request, signed: Checked) -> Response:
    ctx_of(request).accounts.sign_out(signed.token)
    log.info("dashboard sign-out: %s", signed.user.username)
    resp = RedirectResponse("/login", status_code=303)
    resp.delete_cookie(SESSION_COOKIE, path="/", httponly=True, samesite="strict",
                       secure=over_https(request))
    return resp
