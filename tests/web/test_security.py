"""The dashboard refuses everything without a session, checks CSRF on every change, locks
an account out after repeated failures, and shows a role only what it needs."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import time

from sqlalchemy import select
from sqlalchemy.orm import Session

from queue_server.store.models import Event
from queue_server.web.app import PUBLIC_PATHS, api_routes
from tests.web.conftest import ADMIN, PASSWORD, SUPERVISOR, csrf_of, login_token, sign_in


def _routes(dash):
    return api_routes(dash.server._http.app.routes)


def _fill(path: str) -> str:
    return re.sub(r"\{[^}]+\}", "ktp", path)


def test_every_route_refuses_without_a_session(dash, clients):
    client = clients()
    checked = 0
    for method, path in _routes(dash):
        if path in PUBLIC_PATHS:
            continue
        resp = client.request(method, _fill(path), json={})
        if path.startswith("/api/"):
            assert resp.status_code == 401, (method, path, resp.status_code)
            assert resp.json()["error"]["code"] == "not_signed_in"
        else:
            assert resp.status_code == 303, (method, path, resp.status_code)
            assert resp.headers["location"].startswith("/login")
        checked += 1
    assert checked >= 12  # the dashboard, the live stream, every action...
    # a forged or stale cookie is no session either
    client.cookies.set("mpp_session", "not-a-real-token")
    assert client.get("/api/snapshot").status_code == 401
    # the public ones answer without a session and say nothing personal
    health = client.get("/health").json()
    assert health["status"] == "online"
    assert client.get("/api/health").status_code == 200
    assert client.get("/login").status_code == 200


def test_session_cookie_is_httponly_strict_and_sign_out_ends_it(dash, clients):
    client = clients()
    resp = sign_in(client)
    assert resp.status_code == 303
    cookie = resp.headers["set-cookie"]
    assert "mpp_session=" in cookie and "HttpOnly" in cookie
    assert "samesite=strict" in cookie.lower()
    token = csrf_of(client)
    assert client.get("/api/me").json() == {"username": SUPERVISOR, "role": "supervisor"}
    assert client.post("/logout").status_code == 403  # no CSRF token
    assert client.post("/logout", data={"csrf_token": token}).status_code == 303
    client.cookies.clear()
    assert client.get("/api/me").status_code == 401


def test_over_plain_http_no_cookie_claims_secure(dash, clients):
    """The appliance's plain-HTTP mode (no [https] in the server's credentials): a
    `Secure` cookie would never come back over http://, so none is marked so."""
    client = clients()
    form = client.get("/login", params={"lang": "en"})
    signed = sign_in(client)
    out = client.post("/logout", data={"csrf_token": csrf_of(client)})
    made = [h for resp in (form, signed, out) for h in resp.headers.get_list("set-cookie")]
    names = {h.partition("=")[0] for h in made}
    assert names == {"mpp_lang", "mpp_login_csrf", "mpp_session"}, made
    for header in made:
        flags = {p.strip().partition("=")[0].lower() for p in header.split(";")[1:]}
        assert "secure" not in flags, header


def test_sessions_expire_when_idle(dash, supervisor):
    accounts = dash.server.web.accounts
    assert supervisor.get("/api/me").status_code == 200
    later = time.time() + accounts.policy.idle_s + 1
    accounts.now = lambda: later
    resp = supervisor.get("/api/me")
    assert resp.status_code == 401
    assert supervisor.get("/", follow_redirects=False).status_code == 303


def test_csrf_is_required_on_every_change(dash, supervisor):
    token = supervisor.headers.pop("X-CSRF-Token")
    for headers in ({}, {"X-CSRF-Token": "wrong"}):
        resp = supervisor.post("/api/services/ktp/close", headers=headers)
        assert resp.status_code == 403
        assert resp.json()["error"]["code"] == "csrf"
    assert supervisor.get("/api/snapshot").json()["agencies"][0]["services"][0]["open"]
    # a form post with a wrong field is refused too
    resp = supervisor.post("/api/services/ktp/close", data={"csrf_token": "x" * 40})
    assert resp.status_code == 403
    resp = supervisor.post("/api/services/ktp/close", headers={"X-CSRF-Token": token})
    assert resp.status_code == 200 and resp.json()["result"]["closed_reason"] == "supervisor"


def test_sign_in_form_has_its_own_csrf_token(dash, clients):
    client = clients()
    login_token(client)
    resp = client.post("/login", data={"username": SUPERVISOR, "password": PASSWORD,
                                       "csrf_token": "forged"})
    assert resp.status_code == 403
    assert "mpp_session" not in resp.headers.get("set-cookie", "")


def test_lock_out_after_repeated_failures(dash, clients):
    accounts = dash.server.web.accounts
    client = clients()
    for _ in range(accounts.policy.max_failures):
        resp = sign_in(client, password="salah-sekali-lagi")
        assert resp.status_code == 401
        assert "Nama pengguna atau kata sandi salah" in resp.text
    resp = sign_in(client)  # the right password, but locked
    assert resp.status_code == 429
    assert "Terlalu banyak percobaan gagal" in resp.text
    assert sign_in(clients(), ADMIN).status_code == 303  # other accounts are not locked
    later = time.time() + accounts.policy.lockout_s + 1
    accounts.now = lambda: later
    assert sign_in(client).status_code == 303


def test_unknown_user_gets_the_same_answer(dash, clients):
    resp = sign_in(clients(), "tidak-ada")
    assert resp.status_code == 401
    assert "Nama pengguna atau kata sandi salah" in resp.text


def test_roles_and_no_personal_data(dash, supervisor, clients):
    assert supervisor.get("/api/accounts").status_code == 403
    admin = clients()
    assert sign_in(admin, ADMIN).status_code == 303
    listed = admin.get("/api/accounts").json()
    assert {a["username"] for a in listed} == {ADMIN, SUPERVISOR}
    # a supervisor's pages name no other account, no hash, no officer PIN hash
    for text in (supervisor.get("/").text, supervisor.get("/api/snapshot").text,
                 admin.get("/api/accounts").text):
        assert "$argon2" not in text and "pbkdf2" not in text.lower()
    page = supervisor.get("/").text + supervisor.get("/api/snapshot").text
    assert ADMIN not in re.findall(r"[a-z]+", page)


def test_actions_are_audited_with_the_user(dash, supervisor):
    resp = supervisor.post("/api/message", json={"text": "Selamat datang", "text_en": "Welcome"})
    assert resp.status_code == 200, resp.text
    resp = supervisor.post("/api/services/pindah/quota", json={"quota": 3})
    assert resp.json()["result"]["quota"] == 3
    supervisor.cookies.set("mpp_lang", "en")
    bad = supervisor.post("/api/tickets/move", json={"ticket": "A-999", "service": "kk"})
    assert bad.status_code == 404
    assert bad.json()["error"]["code"] == "unknown_ticket"
    assert bad.json()["error"]["message"] == "No such ticket today."
    with Session(dash.server.db) as s:
        devices = s.scalars(select(Event.device).where(Event.device.like("web:%"))).all()
    assert f"web:{SUPERVISOR}" in devices


def test_openapi_describes_every_route(dash, supervisor, clients):
    assert clients().get("/api/openapi.json").status_code == 401
    spec = supervisor.get("/api/openapi.json").json()
    assert spec["openapi"].startswith("3.")
    for method, path in _routes(dash):
        assert path in spec["paths"], path
        assert method.lower() in spec["paths"][path], (method, path)


def test_mpp_admin_add_creates_a_working_account(tmp_path, site):
    from queue_server.store.db import make_engine
    from queue_server.web.accounts import Accounts

    url = f"sqlite:///{tmp_path / 'admin.db'}"
    cmd = [sys.executable, "-m", "mpp", "admin", "add", "budi", "--role",
           "administrator", "--db", url, "--password-stdin"]
    done = subprocess.run(cmd, input="sandi-yang-panjang\n", capture_output=True, text=True,
                          timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    again = subprocess.run(cmd, input="sandi-yang-panjang\n", capture_output=True,
                           text=True, timeout=60, check=False)
    assert again.returncode == 2 and "exists" in again.stderr
    weak = subprocess.run([*cmd[:5], "cici", *cmd[6:]], input="pendek\n",
                          capture_output=True, text=True, timeout=60, check=False)
    assert weak.returncode == 2 and "weak_password" in weak.stderr
    engine = make_engine(url)
    try:
        signed = Accounts(engine).sign_in("budi", "sandi-yang-panjang")
        assert signed.user.role == "administrator"
    finally:
        engine.dispose()


def test_error_messages_follow_the_language(dash, supervisor):
    supervisor.cookies.set("mpp_lang", "en")
    resp = supervisor.post("/api/counters/loket-01/pause", json={"reason": "break"})
    assert resp.status_code == 409
    assert resp.json()["error"]["code"] == "counter_closed"
    assert resp.json()["error"]["message"] == "The counter is closed."
    supervisor.cookies.set("mpp_lang", "id")
    resp = supervisor.post("/api/counters/loket-01/pause", json={"reason": "break"})
    assert resp.json()["error"]["message"] == "Loket masih tutup."
    assert json.loads(supervisor.get("/api/snapshot").text)["counters"][0]["status"] == "closed"


def test_administrators_manage_accounts_supervisors_cannot(dash, supervisor, clients):
    new = {"username": "dewi", "password": "sandi-dewi-panjang", "role": "supervisor"}
    assert supervisor.post("/api/accounts", json=new).status_code == 403
    assert supervisor.post(f"/api/accounts/{ADMIN}/disable").status_code == 403
    admin = clients()
    assert sign_in(admin, ADMIN).status_code == 303
    assert admin.post("/api/accounts", json=new).status_code == 403  # no CSRF token
    admin.headers["X-CSRF-Token"] = csrf_of(admin)
    assert admin.post("/api/accounts", json=new).json() == {"username": "dewi",
                                                           "role": "supervisor"}
    assert admin.post("/api/accounts", json=new).json()["error"]["code"] == "exists"
    weak = admin.post("/api/accounts", json={**new, "username": "eka", "password": "x"})
    assert weak.status_code == 400 and weak.json()["error"]["code"] == "weak_password"
    assert admin.post(f"/api/accounts/{ADMIN}/disable").json()["error"]["code"] == "own_account"
    # disabling ends the supervisor's session at once
    assert admin.post(f"/api/accounts/{SUPERVISOR}/disable").status_code == 200
    assert supervisor.get("/api/me").status_code == 401
    assert sign_in(clients(), SUPERVISOR).status_code == 401
    assert sign_in(clients(), "dewi", "sandi-dewi-panjang").status_code == 303


def test_sign_in_redirects_only_within_the_site(dash, clients):
    for target, expected in [("/api/me", "/api/me"), ("//evil.example/x", "/"),
                             ("/\\evil.example", "/"), ("https://evil.example", "/"),
                             ("/\tx", "/")]:
        client = clients()
        token = login_token(client)
        resp = client.post("/login", data={"username": SUPERVISOR, "password": PASSWORD,
                                           "csrf_token": token, "next": target})
        assert resp.status_code == 303 and resp.headers["location"] == expected, target


def test_pages_carry_protective_headers(dash, supervisor):
    resp = supervisor.get("/")
    assert "script-src 'self'" in resp.headers["content-security-policy"]
    assert resp.headers["x-frame-options"] == "DENY"
    assert resp.headers["cache-control"] == "no-store"
    assert "<script>" not in resp.text  # no inline script: the CSP would block it anyway
