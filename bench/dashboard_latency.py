"""`python -m bench.dashboard_latency [--quick] [--calls N] [--json-out FILE]`

How soon the supervisor dashboard shows a call: the real queue server as a subprocess with
its dashboard on (`--http-port`), Mosquitto, a signed-in dashboard client reading the live
stream (/api/live, server-sent events) and, unless --no-browser, the dashboard page in
headless Chromium. For each call, one at a time, t0 just before the counter-01 "button"
publishes counter.call_next, then:

* sse_ms: the first snapshot event on /api/live whose loket-01 shows the called number;
* browser_ms: the page's loket-01 "serving" cell shows it (a MutationObserver stamps it
  with performance.timeOrigin + performance.now(), on the same clock as time.time_ns()).

Mosquitto is secured as a hall's is (bench/access.py: accounts, ACL, TLS): the server (and
its dashboard's follower) and the button log in with their own accounts over TLS, and the
dashboard speaks HTTPS with its certificate from the same site CA (the stream's client
checks it; Chromium, which cannot be told of the site CA, is told to accept it). The
floors (raw paho QoS 1 one-way and request/reply through the same Mosquitto, over TLS with
accounts of their own) are measured in the same run. One JSON document on stdout;
progress on stderr.
"""

from __future__ import annotations

import argparse
import json
import ssl
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import httpx

from bench import floors
from bench.access import client, secured_broker
from bench.chromium import launch
from bench.display_latency import BUTTON, COUNTER, SERVICE, _prepare_server
from bench.run import _broker_doc, machine_info, run_and_report
from bench.server_load import REPLY_TIMEOUT_S, ServerProcess, log, wait_ready
from bench.stats import summary_ms
from mpp.broker import BrokerHandle, free_port
from queue_server.config import default_site_path, load_site
from queue_server.protocol.credentials import load_https

DEFAULT_START_AT = "2026-11-30T09:00"
USER, PASSWORD = "bench", "bench-password-1"
CALL_TIMEOUT_S = 10.0
SPARE_TICKETS = 20
OBSERVER_JS = """() => {
  window.__seen = [];
  const body = document.querySelector('#counters tbody');
  let last = null;
  new MutationObserver(() => {
    const cell = body.querySelector('tr[data-counter="COUNTER"] td.ticket');
    const text = cell ? cell.textContent : null;
    if (text !== last) {
      last = text;
      window.__seen.push([performance.timeOrigin + performance.now(), text]);
    }
  }).observe(body, {childList: true, subtree: true, characterData: true});
}""".replace("COUNTER", COUNTER)


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m bench.dashboard_latency",
                                description=__doc__.splitlines()[0])
    p.add_argument("--quick", action="store_true", help="small counts, for the test")
    p.add_argument("--calls", type=int, help="calls to time (default 300; quick 30)")
    p.add_argument("--messages", type=int, help="MQTT floor samples (default 2000; quick 300)")
    p.add_argument("--no-browser", action="store_true", help="only the event stream")
    p.add_argument("--start-at", default=DEFAULT_START_AT,
                   help=f"server clock start, a Monday morning (default {DEFAULT_START_AT})")
    p.add_argument("--workdir", help="keep the database, logs and broker files here")
    p.add_argument("--json-out", help="also write the JSON document to this file")
    return p


class StreamReader:
    """Reads /api/live on its own thread; remembers when each loket-01 number first
    arrived (time.time_ns())."""

    def __init__(self, client: httpx.Client) -> None:
        self.client = client
        self.arrived: dict[str, int] = {}
        self.snapshots = 0
        self._cond = threading.Condition()
        self._stop = False
        self.thread = threading.Thread(target=self._run, name="bench-sse", daemon=True)

    def _run(self) -> None:
        try:
            with self.client.stream("GET", "/api/live", timeout=None) as resp:
                event = None
                for line in resp.iter_lines():
                    if self._stop:
                        return
                    if line.startswith("event: "):
                        event = line[7:]
                    elif line.startswith("data: ") and event == "snapshot":
                        now = time.time_ns()
                        snap = json.loads(line[6:])
                        ticket = next((c["ticket"] for c in snap["counters"]
                                       if c["id"] == COUNTER), None)
                        with self._cond:
                            self.snapshots += 1
                            if ticket and ticket not in self.arrived:
                                self.arrived[ticket] = now
                            self._cond.notify_all()
        except httpx.HTTPError:
            pass  # the stream ends when the server stops

    def wait_for(self, number: str, timeout: float) -> int | None:
        with self._cond:
            self._cond.wait_for(lambda: number in self.arrived, timeout)
            return self.arrived.get(number)

    def stop(self) -> None:
        self._stop = True


def _wait_http(client: httpx.Client, server: ServerProcess, timeout: float = 60.0) -> None:
    """The web server comes up a moment after MQTT (its imports): wait for /health."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not server.alive():
            raise RuntimeError(f"queue server exited early:\n{server.log_tail()}")
        try:
            if client.get("/health", timeout=1.0).status_code == 200:
                return
        except httpx.TransportError:
            time.sleep(0.1)  # nothing listens yet: the port is not bound
    raise RuntimeError("the dashboard did not come up")


def _sign_in(client: httpx.Client) -> None:
    import re

    page = client.get("/login")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    if token is None:
        raise RuntimeError("no sign-in form")
    resp = client.post("/login", data={"username": USER, "password": PASSWORD,
                                       "csrf_token": token.group(1)})
    if resp.status_code != 303:
        raise RuntimeError(f"sign-in refused: {resp.status_code}")


def dashboard_url(broker: BrokerHandle, port: int) -> tuple[str, ssl.SSLContext | bool]:
    """The dashboard's address and how a client checks it: HTTPS with the site CA when
    the server's credentials file names the dashboard's certificate ([https])."""
    own = broker.credentials("server")
    if own is None or own.source is None or load_https(own.source) is None:
        return f"http://127.0.0.1:{port}", True
    return f"https://127.0.0.1:{port}", ssl.create_default_context(
        cafile=str(own.ca) if own.ca else None)


def time_calls(url: str, verify: ssl.SSLContext | bool, broker: BrokerHandle, site: str,
               n_calls: int, warm: int, browser: bool) -> dict[str, Any]:
    samples: dict[str, list[int]] = {"sse": [], "browser": [], "reply": []}
    missing = {"sse": 0, "browser": 0}
    http = httpx.Client(base_url=url, timeout=10.0, verify=verify)
    _sign_in(http)
    reader = StreamReader(http)
    reader.thread.start()
    pw = chromium = page = None
    try:
        if browser:
            from playwright.sync_api import sync_playwright

            pw = sync_playwright().start()
            chromium = launch(pw)
            page = chromium.new_page(viewport={"width": 1440, "height": 900},
                                     ignore_https_errors=url.startswith("https:"))
            page.goto(url + "/login")
            page.fill("#username", USER)
            page.fill("#password", PASSWORD)
            page.click("#sign-in")
            page.wait_for_selector(f'#counters tr[data-counter="{COUNTER}"]')
            page.evaluate(OBSERVER_JS)
        with client(broker, site, BUTTON, "counter", follow_state=False) as button:
            button.request("counter.open", {"counter": COUNTER}, timeout=REPLY_TIMEOUT_S)
            for i in range(warm + n_calls):
                t0 = time.time_ns()
                reply = button.request("counter.call_next", {"counter": COUNTER},
                                       timeout=REPLY_TIMEOUT_S)
                t_reply = time.time_ns()
                number = (reply.get("ticket") or {}).get("number")
                if not number:
                    raise RuntimeError(f"nobody left to call after {i} calls")
                arrived = reader.wait_for(number, CALL_TIMEOUT_S)
                shown = None
                if page is not None:
                    page.wait_for_function(
                        "n => (window.__seen || []).some(x => (x[1] || '').startsWith(n))",
                        arg=number, timeout=CALL_TIMEOUT_S * 1000)
                    stamps = page.evaluate(
                        "n => window.__seen.filter(x => (x[1] || '').startsWith(n))"
                        ".map(x => x[0])", number)
                    shown = int(stamps[0] * 1e6) if stamps else None
                if i < warm:
                    continue
                samples["reply"].append(t_reply - t0)
                if arrived is None:
                    missing["sse"] += 1
                else:
                    samples["sse"].append(arrived - t0)
                if page is not None:
                    if shown is None:
                        missing["browser"] += 1
                    else:
                        samples["browser"].append(max(0, shown - t0))
    finally:
        reader.stop()
        if chromium is not None:
            chromium.close()
        if pw is not None:
            pw.stop()
        http.close()  # ends the stream
        reader.thread.join(5)
    return {"samples": samples, "missing": missing, "snapshots": reader.snapshots}


def run(args: argparse.Namespace, workdir: Path) -> dict[str, Any]:
    quick = args.quick
    n_calls = args.calls or (30 if quick else 300)
    n_msgs = args.messages or (300 if quick else 2000)
    warm = 3 if quick else 10
    cfg = load_site(default_site_path())
    broker = secured_broker(workdir / "secured", cfg)
    server: ServerProcess | None = None
    code: int | None = None
    try:
        machine = machine_info(broker.data_dir / "mosquitto.conf" if broker.data_dir else None)
        log(f"mosquitto {machine['mosquitto_version']} on {broker.url} (accounts, ACL, TLS)")
        one_way, req_rep = floors.mqtt_floors(broker, n_msgs, log)
        db_path = workdir / "db" / "mpp-dashboard-bench.db"
        db_path.parent.mkdir(parents=True, exist_ok=True)
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db_path}{suffix}").unlink(missing_ok=True)
        subprocess.run([sys.executable, "-m", "mpp", "admin", "add", USER, "--role",
                        "supervisor", "--db", f"sqlite:///{db_path}", "--password-stdin"],
                       input=PASSWORD + "\n", text=True, check=True, capture_output=True,
                       timeout=60)
        http_port = free_port()
        server = ServerProcess(broker, db_path, workdir / "server.log",
                               start_at=args.start_at)
        server.args += ["--http-port", str(http_port)]
        server.start()
        with client(broker, cfg.site.id, "supervisor-01", "supervisor",
                    follow_state=False) as supervisor:
            ready_s = wait_ready(server, supervisor)
        log(f"server pid {server.pid} answered after {ready_s:.2f} s")
        url, verify = dashboard_url(broker, http_port)
        with httpx.Client(base_url=url, verify=verify) as probe:
            _wait_http(probe, server)
        prepared = _prepare_server(broker, cfg.site.id, cfg, warm + n_calls + SPARE_TICKETS)
        log(f"timing {n_calls} calls (+{warm} warm-up) at {COUNTER}")
        timed = time_calls(url, verify, broker, cfg.site.id, n_calls, warm,
                           not args.no_browser)
    finally:
        if server is not None:
            code = server.stop()
        broker.stop()
    s = timed["samples"]
    sse, shown, reply = summary_ms(s["sse"]), summary_ms(s["browser"]), summary_ms(s["reply"])

    def ratio(a: float | None, b: float | None) -> float | None:
        return round(a / b, 2) if a and b else None

    return {
        "quick": quick, "calls_requested": n_calls,
        "sse_ms": sse, "browser_ms": shown, "call_reply_ms": reply,
        "floors": {"mqtt_one_way_ms": one_way, "mqtt_request_reply_ms": req_rep},
        "ratios": {
            "sse_p50_vs_request_reply_p50": ratio(sse["p50"], req_rep["p50"]),
            "sse_p99_vs_request_reply_p99": ratio(sse["p99"], req_rep["p99"]),
            "browser_p50_vs_request_reply_p50": ratio(shown["p50"], req_rep["p50"]),
            "browser_p99_vs_request_reply_p99": ratio(shown["p99"], req_rep["p99"]),
        },
        "detail": {"counter": COUNTER, "service": SERVICE, "missing": timed["missing"],
                   "snapshots_received": timed["snapshots"], "setup": prepared,
                   "broker": _broker_doc(broker, "every client and the floors"),
                   "server_exit_code": code},
        "machine": machine,
    }


def main(argv: list[str] | None = None) -> int:
    return run_and_report(run, build_parser().parse_args(argv), "mpp-dash-bench-")


if __name__ == "__main__":
    raise SystemExit(main())
