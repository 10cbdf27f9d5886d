"""Jinja2 pages with the translation function and the session's CSRF token."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from queue_server.web.deps import LANG_COOKIE, current_session, lang_of, over_https
from queue_server.web.i18n import LANGS, catalogue, translate

templates = Jinja2Templates(directory=str(Path(__file__).parent / "templates"))


def page(request: Request, name: str, status: int = 200, **values: Any) -> HTMLResponse:
    lang = lang_of(request)
    signed = current_session(request)
    context = {
        "lang": lang, "langs": LANGS,
        "t": lambda key, **kw: translate(lang, key, **kw),
        "catalogue_json": json.dumps(catalogue(lang), ensure_ascii=False),
        "user": signed.user if signed else None,
        "csrf": signed.csrf if signed else "",
        **values,
    }
    resp = templates.TemplateResponse(request, name, context, status_code=status)
    if request.query_params.get("lang") in LANGS:
        resp.set_cookie(LANG_COOKIE, lang, samesite="strict", path="/", max_age=365 * 86400,
                        secure=over_https(request))
    resp.headers["Cache-Control"] = "no-store"
    return resp
