"""The health check of `mpp upgrade`: units running, then /health "online", over HTTP or
HTTPS signed by the site CA (the probe dials the loopback, which the certificate need not
name). Real servers on loopback; `true`/`false` stand in for systemctl is-active."""

from __future__ import annotations

import http.server
import json
import ssl
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from mpp.provision.tls import leaf_certificate, site_ca
from mpp.upgrade import Services
from mpp.upgrade.health import wait_healthy

RUNNING = Services("true", ("mpp-server.service",))
STOPPED = Services("false", ("mpp-server.service",))


def handler(status: str) -> type[http.server.BaseHTTPRequestHandler]:
    class Health(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            body = json.dumps({"status": status}).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *_: object) -> None:
            pass

    return Health


@contextmanager
def serving(status: str, tls: ssl.SSLContext | None = None) -> Iterator[str]:
    server = http.server.HTTPServer(("127.0.0.1", 0), handler(status))
    if tls is not None:
        server.socket = tls.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        scheme = "https" if tls else "http"
        yield f"{scheme}://127.0.0.1:{server.server_address[1]}/health"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


def test_online_is_healthy_and_anything_else_is_not_by_the_deadline() -> None:
    with serving("online") as url:
        assert wait_healthy(RUNNING, url, timeout_s=5) is None
    with serving("starting") as url:
        assert wait_healthy(RUNNING, url, timeout_s=0.3) == \
            f"{url}: status 'starting' after 0.3 s"


def test_a_stopped_unit_fails_at_once() -> None:
    with serving("online") as url:
        assert wait_healthy(STOPPED, url, timeout_s=60) == "mpp-server.service not running"


def test_https_is_checked_against_the_site_ca(tmp_path: Path) -> None:
    # GIVEN a dashboard certificate from the site CA that names the host, not the loopback
    ca = site_ca(tmp_path / "ca", "t-site")
    leaf_certificate(tmp_path / "web.crt", tmp_path / "web.key", ca, ["mpp-server.local"],
                     [], "MPP t-site web")
    tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    tls.load_cert_chain(tmp_path / "web.crt", tmp_path / "web.key")
    site_ca(tmp_path / "other", "t-other")
    with serving("online", tls) as url:
        # WHEN probed with the site's CA, THEN healthy
        assert wait_healthy(RUNNING, url, 5, ca=tmp_path / "ca/ca.crt") is None
        # AND WHEN probed with another site's CA, THEN not (the chain is checked)
        why = wait_healthy(RUNNING, url, 0.3, ca=tmp_path / "other/ca.crt")
        assert why is not None and "CERTIFICATE_VERIFY_FAILED" in why


def test_a_server_box_is_checked_on_the_port_its_unit_serves() -> None:
    """No --health-url on the server box: the URL is the one the unit serves, so a release
    whose server never comes up is rolled back instead of passing on "the unit runs"."""
    import re
    from urllib.parse import urlsplit

    from mpp.upgrade.commands import default_health_url

    unit = (Path(__file__).resolve().parents[3] / "systemd/mpp-server.service").read_text()
    port = re.search(r"^ExecStart=.*--http-port (\d+)", unit, re.M)
    assert port is not None
    url = default_health_url(("mpp-server.service",))
    assert url is not None and urlsplit(url).port == int(port.group(1))
    assert urlsplit(url).scheme == "https"  # the unit loads web.crt: it serves HTTPS only
    assert default_health_url(("mpp-kiosk.service",)) is None
