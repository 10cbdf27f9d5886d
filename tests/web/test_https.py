"""The dashboard over HTTPS (issue 12): `mpp provision --tls` makes its certificate with the
site CA, the server's credentials file names it, and the real server then speaks HTTPS
only (TLS 1.2+). A browser that trusts the site CA signs in and gets `Secure` cookies; one
that trusts another CA is refused; plain HTTP to the port gets no page; the addresses the
server gives out (ticket pages, zeroconf) say https. A missing, unreadable or mismatched
certificate or key stops the server with the file named, never plain HTTP instead."""

from __future__ import annotations

import os
import shutil
import ssl
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path

import httpx
import pytest

from mpp.broker import BrokerHandle, free_port
from mpp.provision import Provisioned, provision
from mpp.provision.accounts import read_secrets
from mpp.provision.run import TlsRequest
from mpp.provision.tls import site_ca
from queue_server.clock import ManualClock
from queue_server.config import SiteConfig
from queue_server.protocol.credentials import HttpsFiles, load_https
from queue_server.server import QueueServer
from queue_server.web.https import HttpsError, server_context
from tests.support.hall import client_of, server_options
from tests.web.conftest import PASSWORD, SUPERVISOR, csrf_of, sign_in

ROOT = Path(__file__).resolve().parents[2]
NAMES = TlsRequest(names=["localhost"], ips=["127.0.0.1"])


@dataclass
class Secured:
    server: QueueServer
    done: Provisioned
    url: str  # https://127.0.0.1:PORT

    @property
    def ca(self) -> Path:
        return self.done.credentials("server").parent / "ca.crt"

    def client(self, ca: Path | None = None, url: str | None = None) -> httpx.Client:
        """A browser that trusts `ca` (default: this site's CA) and no other."""
        context = ssl.create_default_context(cafile=str(ca or self.ca))
        return httpx.Client(base_url=url or self.url, verify=context, timeout=10.0,
                            follow_redirects=False)


def attributes(set_cookie: str) -> dict[str, str]:
    """A Set-Cookie header's attributes, by lower-case name ("secure": "")."""
    parts = [p.strip() for p in set_cookie.split(";")][1:]
    return {k.lower(): v for k, _, v in (p.partition("=") for p in parts)}


def cookies_of(resp: httpx.Response) -> dict[str, dict[str, str]]:
    return {h.partition("=")[0]: attributes(h) for h in resp.headers.get_list("set-cookie")}


@pytest.fixture
def provisioned(tmp_path: Path, site: SiteConfig) -> Provisioned:
    return provision(site, tmp_path / "provision", tls=NAMES)


@pytest.fixture
def secured(mosquitto: BrokerHandle, site: SiteConfig, sqlite_url: str, clock: ManualClock,
            provisioned: Provisioned) -> Iterator[Secured]:
    https = load_https(provisioned.credentials("server"))
    assert https is not None, "the server's credentials name the dashboard's certificate"
    server = QueueServer(site, server_options(mosquitto, sqlite_url, http_port=0,
                                              http_host="127.0.0.1", advertise=False,
                                              https=https), clock)
    server.start(wait_connected=10)
    try:
        assert server.web is not None
        server.web.accounts.add(SUPERVISOR, PASSWORD, "supervisor")
        yield Secured(server, provisioned, f"https://127.0.0.1:{server.http_port}")
    finally:
        server.stop()


def test_a_browser_trusting_the_site_ca_signs_in_with_secure_cookies(secured: Secured
                                                                     ) -> None:
    with secured.client() as browser:
        form = browser.get("/login", params={"lang": "en"})
        assert form.status_code == 200 and 'name="csrf_token"' in form.text
        # every cookie the dashboard sets is Secure: the form's, the language's...
        set_by_form = cookies_of(form)
        assert set(set_by_form) == {"mpp_login_csrf", "mpp_lang"}
        assert all("secure" in attrs for attrs in set_by_form.values()), set_by_form
        # ... the session's (HttpOnly, SameSite=Strict as over HTTP)
        signed = sign_in(browser)
        assert signed.status_code == 303
        session = cookies_of(signed)["mpp_session"]
        assert {"secure", "httponly"} <= set(session) and session["samesite"] == "strict"
        assert cookies_of(signed)["mpp_login_csrf"].keys() >= {"secure", "max-age"}
        assert browser.get("/api/me").json() == {"username": SUPERVISOR,
                                                 "role": "supervisor"}
        # ... and the one that ends the session at sign-out
        out = browser.post("/logout", data={"csrf_token": csrf_of(browser)})
        assert out.status_code == 303 and "secure" in cookies_of(out)["mpp_session"]
        stream = browser.get("/health").extensions["network_stream"]
        assert stream.get_extra_info("ssl_object").version() in ("TLSv1.2", "TLSv1.3")
    # the certificate names localhost too, as provisioned
    with secured.client(url=secured.url.replace("127.0.0.1", "localhost")) as by_name:
        assert by_name.get("/health").status_code == 200


def test_a_survey_tablet_is_paired_with_a_secure_cookie(secured: Secured) -> None:
    from tests.web.test_tablet import pair

    with secured.client() as tablet:
        paired = pair(tablet, "loket-01")
        assert paired.status_code == 303
        made = cookies_of(paired)
        assert {"secure", "httponly"} <= set(made["mpp_tablet"])
        assert "secure" in made["mpp_session"]  # the supervisor's session ends there
        assert tablet.get("/f/counter/loket-01").status_code == 200


def test_a_browser_trusting_another_ca_is_refused(secured: Secured, tmp_path: Path) -> None:
    site_ca(tmp_path / "stranger", "stranger")  # a CA of its own, as another site's
    with secured.client(ca=tmp_path / "stranger" / "ca.crt") as stranger, \
            pytest.raises(httpx.ConnectError, match="CERTIFICATE_VERIFY_FAILED"):
        stranger.get("/login")


def test_plain_http_to_the_https_port_gets_no_page(secured: Secured) -> None:
    plain = secured.url.replace("https://", "http://")
    # the TLS server hangs up on bytes that are not a handshake: no page, no cookie
    with httpx.Client(base_url=plain, timeout=5.0) as browser, \
            pytest.raises(httpx.RemoteProtocolError, match="without sending a response"):
        browser.get("/login")


def test_the_ticket_page_address_says_https(secured: Secured, mosquitto: BrokerHandle,
                                            site: SiteConfig) -> None:
    # the site names no public_url: the server gives out its own address, https://
    assert secured.server.http_base == secured.url
    kiosk = client_of(mosquitto, site.site.id, "kiosk-01", "kiosk")
    kiosk.start()
    try:
        reply = kiosk.request("ticket.issue", {"service": "ktp"})
    finally:
        kiosk.stop()
    assert reply["url"].startswith(secured.url + "/t/"), reply["url"]
    with secured.client() as phone:
        page = phone.get(reply["url"].removeprefix(secured.url))
        assert page.status_code == 200 and reply["number"] in page.text
        assert not page.headers.get_list("set-cookie")


@pytest.mark.mdns
def test_zeroconf_says_the_dashboard_speaks_https(mosquitto: BrokerHandle, site: SiteConfig,
                                                  sqlite_url: str, clock: ManualClock,
                                                  provisioned: Provisioned) -> None:
    from queue_server.protocol.discovery import browse

    https = load_https(provisioned.credentials("server"))
    server = QueueServer(site, server_options(mosquitto, sqlite_url, http_port=0,
                                              http_host="127.0.0.1", advertise=True,
                                              mdns_interfaces=["127.0.0.1"],
                                              https=https), clock)
    server.start(wait_connected=10)
    try:
        found = browse(timeout=10, site=site.site.id, interfaces=["127.0.0.1"])
        assert [(s.http_port, s.http_tls) for s in found] == [(server.http_port, True)]
    finally:
        server.stop()


# --------------------------------------------------------------------------- faults


def test_the_context_speaks_tls_12_at_least(provisioned: Provisioned) -> None:
    https = load_https(provisioned.credentials("server"))
    assert https is not None
    assert server_context(https).minimum_version == ssl.TLSVersion.TLSv1_2


def _files(done: Provisioned) -> HttpsFiles:
    https = load_https(done.credentials("server"))
    assert https is not None
    return https


def test_a_bad_certificate_or_key_is_named(provisioned: Provisioned, tmp_path: Path) -> None:
    good = _files(provisioned)
    source = provisioned.credentials("server")
    secret = good.key.read_text()
    # the broker's key is a key of the same CA, but not the dashboard's
    broker_key = provisioned.out / "broker" / "server.key"
    with pytest.raises(HttpsError) as err:
        server_context(replace(good, key=broker_key))
    assert str(err.value) == (f"{source}: [https] key {broker_key}: not the key of the "
                              f"certificate {good.cert} (run `mpp provision --tls` again "
                              "and copy both)")
    assert err.value.code == "bad_https"
    garbage = tmp_path / "garbage.pem"
    garbage.write_text("not a certificate\n")
    with pytest.raises(HttpsError, match=rf"\[https\] cert {garbage}: not a PEM certificate"):
        server_context(replace(good, cert=garbage))
    with pytest.raises(HttpsError, match=rf"\[https\] key {garbage}: not a PEM private key"):
        server_context(replace(good, key=garbage))
    unreadable = tmp_path / "a-folder"
    unreadable.mkdir()
    with pytest.raises(HttpsError, match=rf"\[https\] key {unreadable}: cannot read it: "):
        server_context(replace(good, key=unreadable))
    for fault in (broker_key, garbage, unreadable):
        with pytest.raises(HttpsError) as err:
            server_context(replace(good, key=fault))
        assert secret not in str(err.value)


def test_the_server_refuses_to_start_on_a_bad_key(mosquitto: BrokerHandle, site: SiteConfig,
                                                  sqlite_url: str, clock: ManualClock,
                                                  provisioned: Provisioned) -> None:
    https = replace(_files(provisioned), key=provisioned.out / "broker" / "server.key")
    server = QueueServer(site, server_options(mosquitto, sqlite_url, http_port=0,
                                              http_host="127.0.0.1", advertise=False,
                                              https=https), clock)
    with pytest.raises(HttpsError, match="not the key of the certificate"):
        server.start()
    assert server.web is None and server.http_port is None
    server.stop()  # still safe; the leak check finds nothing left running


def _mpp_server(credentials: Path, port: int, tmp_path: Path) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen(
        [sys.executable, "-m", "mpp", "server", "--db", f"sqlite:///{tmp_path / 'x.db'}",
         "--no-zeroconf", "--mqtt", "mqtt://127.0.0.1:9", "--credentials",
         str(credentials), "--http-port", str(port)],
        env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)


def test_mpp_server_serves_https_from_its_credentials_file(provisioned: Provisioned,
                                                           tmp_path: Path) -> None:
    port = free_port()
    proc = _mpp_server(provisioned.credentials("server"), port, tmp_path)
    context = ssl.create_default_context(
        cafile=str(provisioned.credentials("server").parent / "ca.crt"))
    try:
        deadline, health = time.monotonic() + 60, None
        with httpx.Client(base_url=f"https://127.0.0.1:{port}", verify=context,
                          timeout=2.0) as browser:
            while health is None and time.monotonic() < deadline and proc.poll() is None:
                try:
                    health = browser.get("/health")
                except httpx.ConnectError as err:  # not listening yet; never a bad cert
                    if "CERTIFICATE" in str(err):
                        raise
                    time.sleep(0.2)
        assert health is not None and health.status_code == 200, proc.poll()
        assert health.json()["mqtt_connected"] is False  # nobody on port 9: it waits
    finally:
        proc.terminate()
        _out, err = proc.communicate(timeout=20)
    assert f"dashboard over HTTPS on port {port}" in err and "Traceback" not in err
    # the log names the files, never what is in them
    key = _files(provisioned).key.read_text().strip().splitlines()[1]
    secrets = read_secrets(provisioned.out / "secrets.toml")
    assert key not in err and not any(s in err for s in secrets.values())


@pytest.mark.parametrize("fault", ["missing", "mismatched"])
def test_mpp_server_says_which_file_is_wrong_and_exits(provisioned: Provisioned,
                                                       tmp_path: Path, fault: str) -> None:
    files = _files(provisioned)
    if fault == "missing":
        files.key.unlink()
        why = f"--credentials: {files.source}: [https] key: no such file {files.key}"
    else:
        shutil.copy(provisioned.out / "broker" / "server.key", files.key)
        why = (f"cannot serve the dashboard over HTTPS: {files.source}: [https] key "
               f"{files.key}: not the key of the certificate {files.cert}")
    proc = _mpp_server(provisioned.credentials("server"), free_port(), tmp_path)
    _out, err = proc.communicate(timeout=60)
    assert proc.returncode == 2, err[-2000:]
    assert f"mpp: {why}" in err and "Traceback" not in err
