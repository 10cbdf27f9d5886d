"""`python -m bench.kiosk [--quick] [--tickets N] [--starts N] [--json-out FILE]`

The citizen kiosk on this machine, against the real queue server (a subprocess) and
Mosquitto, offscreen, with the simulated printer. Mosquitto is secured as a hall's is
(bench/access.py: accounts, ACL, TLS): the kiosk logs in as kiosk-01 over TLS, from its
credentials file (--credentials), as `python -m kiosk.app` does in a hall.

* cold start to interactive: from spawning `python` to the first frame after the welcome
  screen shows live state (config in, server online, the start button enabled), measured in
  a child process per start (time.time() at spawn and in the child). The first start also
  compiles the catalogs (a kiosk's first boot) and is reported apart. Floor: a child that
  starts a bare QGuiApplication + QML Window to its first frame.
* touch to printer bytes: a child kiosk takes N tickets, each by real mouse clicks (start,
  agency, service, then the timed touch on "no priority"); t0 just before that click, then
  the first ticket byte and the cut arriving at the simulated printer (its device end,
  recorded on the worker thread). Floors: a raw ticket.issue round trip (QueueClient), and
  the ticket layout printed straight to a simulated printer.
* resident memory (VmRSS) of the kiosk child after its N tickets; of the bare QML child.

One JSON document on stdout; progress on stderr.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from bench.stats import summary_ms

# The children import only what the kiosk imports: the parent's helpers (bench.run,
# bench.server_load: pydantic, the site config) are imported inside the parent's functions.
DEFAULT_START_AT = "2025-06-02T09:00"  # a Monday 09:00, as bench.server_load
AGENCY, SERVICE = "disdukcapil", "ktp-el"
DEVICE, FLOOR_DEVICE = "kiosk-01", "kiosk-02"
TARGET_START_S = 3.0
TARGET_TOUCH_P99_MS = 300.0
TARGET_RSS_MB = 250.0
CHILD_TIMEOUT_S = 60.0
STEP_TIMEOUT_S = 15.0
WARM_TICKETS = 5
BARE_QML = b"""import QtQuick
Window { width: 1080; height: 1920; visible: true; color: "#0a1a33"
    Text { anchors.centerIn: parent; text: "Ambil nomor antrean"; color: "white"
           font.pixelSize: 76 } }
"""


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m bench.kiosk", description=__doc__.splitlines()[0])
    p.add_argument("--quick", action="store_true", help="small counts, for the test")
    p.add_argument("--tickets", type=int, help="tickets by touch (default 200; quick 10)")
    p.add_argument("--starts", type=int, help="cold starts of each kind (default 5; quick 1)")
    p.add_argument("--start-at", default=DEFAULT_START_AT,
                   help=f"server clock start, a Monday morning (default {DEFAULT_START_AT})")
    p.add_argument("--workdir", help="keep the database, logs and broker files here")
    p.add_argument("--json-out", help="also write the JSON document to this file")
    p.add_argument("--child", choices=("bare", "start", "touch"), help=argparse.SUPPRESS)
    p.add_argument("--mqtt", help=argparse.SUPPRESS)  # the broker's URL, for --child
    p.add_argument("--credentials", help=argparse.SUPPRESS)  # the kiosk's file, for --child
    p.add_argument("--site", help=argparse.SUPPRESS)
    return p


# --------------------------------------------------------------------------- children


def _rss_kb() -> dict[str, int]:
    fields = {}
    for line in Path("/proc/self/status").read_text().splitlines():
        key, _, value = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            fields[key] = int(value.split()[0])
    return fields


def _emit(doc: dict[str, Any]) -> None:
    print(json.dumps(doc), flush=True)


def _child_bare() -> None:
    from PySide6.QtCore import QByteArray
    from PySide6.QtGui import QGuiApplication
    from PySide6.QtQml import QQmlApplicationEngine

    app = QGuiApplication(["bench-bare"])
    engine = QQmlApplicationEngine()
    engine.loadData(QByteArray(BARE_QML))
    window = engine.rootObjects()[0]

    def on_frame() -> None:
        _emit({"ready_at": time.time(), **_rss_kb()})
        app.quit()

    window.frameSwapped.connect(on_frame)
    app.exec()


def _kiosk(args: argparse.Namespace, printer: Any) -> Any:
    from kiosk.kiosk import PORTRAIT, Kiosk
    from qtkit.app import WindowOptions
    from qtkit.bridge import Endpoint
    from queue_server.protocol.credentials import load_credentials
    from queue_server.protocol.urls import parse_mqtt_url

    url = parse_mqtt_url(args.mqtt)
    credentials = load_credentials(args.credentials) if args.credentials else None
    endpoint = Endpoint(url.host, url.port, args.site, DEVICE, "kiosk", credentials,
                        tls=url.tls)
    return Kiosk(endpoint, printer, window=WindowOptions(size=PORTRAIT))


def _live(kiosk: Any) -> bool:
    """The welcome screen shows live state: config in, server online, button enabled."""
    return (kiosk.has_state() and kiosk.bridge.online and kiosk.model.hasConfig
            and bool(kiosk.item("startButton").property("enabled")))


def _child_start(args: argparse.Namespace) -> None:
    phases = {"interpreter": time.time()}  # the moment this module runs
    from PySide6.QtCore import QObject, Qt, Slot

    from kiosk.app import parser, start_kiosk

    class Watch(QObject):
        """On the Qt thread (frameSwapped comes from the render thread: queued here)."""

        armed = False

        @Slot()
        def frame(self) -> None:
            phases.setdefault("first_frame", time.time())
            if self.armed:  # this frame was rendered after the state was in
                _emit({"ready_at": time.time(), "phases": phases, **_rss_kb()})
                app.quit()
            elif _live(kiosk):
                phases["live"] = time.time()
                self.armed = True
                kiosk.window.update()

        @Slot()
        def change(self) -> None:
            kiosk.window.update()  # a frame to check on, whatever changed

    phases["imports"] = time.time()
    options = parser().parse_args(["--site-id", args.site, "--mqtt", args.mqtt,
                                   "--device", DEVICE, "--offscreen",
                                   *(["--credentials", args.credentials]
                                     if args.credentials else [])])
    app, kiosk = start_kiosk(options)  # as `python -m kiosk.app` does
    phases["window_loaded"] = time.time()
    watch = Watch()
    queued = Qt.ConnectionType.QueuedConnection
    kiosk.window.frameSwapped.connect(watch.frame, queued)
    kiosk.model.changed.connect(watch.change)
    kiosk.bridge.statusChanged.connect(watch.change)
    try:
        app.exec()
    finally:
        kiosk.close()


def _child_touch(args: argparse.Namespace) -> None:
    import threading

    from drivers.printer import PrinterSimulator, open_printer
    from qtkit.app import application

    class TimedSimulator(PrinterSimulator):
        """The printer's device end, noting when a ticket's first byte and its cut arrive."""

        def __init__(self) -> None:
            super().__init__(max_tickets=2)  # rendered images are not kept
            self.first_ns = self.cut_ns = 0
            self.cut = threading.Event()

        def receive(self, data: bytes) -> bytes:
            now = time.perf_counter_ns()
            if not self.first_ns and not data.startswith(b"\x10\x04"):  # not a status query
                self.first_ns = now
            last = self.tickets[-1] if self.tickets else None
            reply = super().receive(data)
            if self.tickets and self.tickets[-1] is not last:
                self.cut_ns = time.perf_counter_ns()
                self.cut.set()
            return reply

    app = application([], offscreen=True)
    sim = TimedSimulator()
    kiosk = _kiosk(args, open_printer({"type": "simulated"}, simulator=sim))
    first: list[int] = []
    cut: list[int] = []
    try:
        _wait(app, lambda: _live(kiosk) and kiosk.model.printerState == "ready")
        for i in range(args.tickets + WARM_TICKETS):
            _step(app, kiosk, "startButton", "agencies")
            _step(app, kiosk, f"agency-{AGENCY}", "services")
            _step(app, kiosk, f"service-{SERVICE}", "priority")
            sim.first_ns, sim.cut_ns = 0, 0
            sim.cut.clear()
            t0 = time.perf_counter_ns()
            kiosk.click("priority-none")
            # the Qt loop runs meanwhile (it draws the printing screen), as in the hall
            _wait(app, sim.cut.is_set)
            if i >= WARM_TICKETS:
                first.append(sim.first_ns - t0)
                cut.append(sim.cut_ns - t0)
            _wait(app, lambda: kiosk.model.screen == "result")
            if kiosk.model.printError:
                raise RuntimeError(f"ticket {i}: print error {kiosk.model.printError}")
            _step(app, kiosk, "doneButton", "welcome")
        _emit({"first_ns": first, "cut_ns": cut, **_rss_kb()})
    finally:
        kiosk.close()


def _wait(app: Any, predicate: Any) -> None:
    """Run the Qt event loop until predicate() holds, checked every 5 ms. QEventLoop.exec
    lets the worker thread run while the loop is idle (a Python-level
    processEvents(WaitForMoreEvents) loop starves it: the GIL is not released there)."""
    from PySide6.QtCore import QEventLoop, QTimer

    if predicate():
        return
    loop, tick = QEventLoop(), QTimer()
    deadline = time.monotonic() + STEP_TIMEOUT_S
    tick.setInterval(5)
    tick.timeout.connect(lambda: (predicate() or time.monotonic() > deadline) and loop.quit())
    tick.start()
    loop.exec()
    tick.stop()
    if not predicate():
        raise RuntimeError("the kiosk did not reach the expected state")


def _step(app: Any, kiosk: Any, button: str, screen: str) -> None:
    _wait(app, lambda: _has(kiosk, button))
    kiosk.click(button)
    _wait(app, lambda: kiosk.model.screen == screen)


def _has(kiosk: Any, name: str) -> bool:
    try:
        return bool(kiosk.item(name).isVisible())
    except LookupError:
        return False


# --------------------------------------------------------------------------- parent


def _spawn(kind: str, broker: Any, site: str, workdir: Path, tickets: int = 0,
           ) -> tuple[float, dict[str, Any]]:
    """Run one child; (time.time() at spawn, its JSON line)."""
    from bench.floors import _child_env, _repo_root

    env = {**_child_env(), "QT_QPA_PLATFORM": "offscreen",
           "XDG_CACHE_HOME": str(workdir / "cache")}
    own = broker.credentials(DEVICE)  # the file's path in argv, never the secret
    cmd = [sys.executable, "-m", "bench.kiosk", "--child", kind, "--site", site,
           "--mqtt", broker.url, *(["--credentials", str(own.source)] if own else []),
           "--tickets", str(tickets)]
    spawned = time.time()
    proc = subprocess.run(cmd, capture_output=True, text=True, cwd=_repo_root(), env=env,
                          timeout=CHILD_TIMEOUT_S + tickets, check=False)
    lines = [ln for ln in proc.stdout.splitlines() if ln.startswith("{")]
    if proc.returncode != 0 or not lines:
        raise RuntimeError(f"child {kind} failed ({proc.returncode}):\n{proc.stderr[-3000:]}")
    return spawned, json.loads(lines[-1])


def _starts(kind: str, count: int, broker: Any, site: str, workdir: Path) -> dict[str, Any]:
    seconds, rss, phases = [], [], {}
    for _ in range(count):
        spawned, doc = _spawn(kind, broker, site, workdir)
        seconds.append(doc["ready_at"] - spawned)
        rss.append(doc["VmRSS"])
        for name, at in (doc.get("phases") or {}).items():
            phases.setdefault(name, []).append(at - spawned)
    out = {"n": count, "median_s": _median(seconds), "max_s": round(max(seconds), 3),
           "min_s": round(min(seconds), 3), "rss_mb": round(max(rss) / 1024, 1)}
    if phases:  # seconds from spawn to the end of each step (median over the starts)
        out["phases_median_s"] = {name: _median(v) for name, v in
                                  sorted(phases.items(), key=lambda kv: _median(kv[1]))}
    return out


def _median(values: list[float]) -> float:
    return round(sorted(values)[len(values) // 2], 3)


def _issue_floor(broker: Any, site: str, n: int) -> dict[str, Any]:
    from bench.access import client
    from bench.server_load import REPLY_TIMEOUT_S

    samples = []
    with client(broker, site, FLOOR_DEVICE, "kiosk", follow_state=False) as kiosk:
        for _ in range(n):
            t0 = time.perf_counter_ns()
            kiosk.request("ticket.issue", {"service": SERVICE}, timeout=REPLY_TIMEOUT_S)
            samples.append(time.perf_counter_ns() - t0)
    return summary_ms(samples)


def _print_floor(n: int) -> dict[str, Any]:
    from drivers.printer import PrinterSimulator, open_printer
    from kiosk.printing import ticket_layout

    ticket = {"id": "7b6d7d8f" * 4, "number": "A-123", "issued_at": "2025-06-02T09:01:00+08:00",
              "ahead": 4, "est_wait_s": 600}
    layout = ticket_layout(ticket, mall="Mal Pelayanan Publik", agency="Disdukcapil",
                           service="Perekaman KTP-el", counters=["Loket 1", "Loket 2"])
    printer = open_printer({"type": "simulated"}, simulator=PrinterSimulator(max_tickets=2))
    samples = []
    try:
        for _ in range(n):
            t0 = time.perf_counter_ns()
            printer.print_ticket(layout)
            samples.append(time.perf_counter_ns() - t0)
    finally:
        printer.close()
    return summary_ms(samples)


def run(args: argparse.Namespace, workdir: Path) -> dict[str, Any]:
    from bench.access import client, secured_broker
    from bench.run import _broker_doc, machine_info
    from bench.server_load import ServerProcess, log, raise_quotas, wait_ready
    from queue_server.config import default_site_path, load_site

    n_tickets = args.tickets or (10 if args.quick else 200)
    n_starts = args.starts or (1 if args.quick else 5)
    cfg = load_site(default_site_path())
    site = cfg.site.id
    broker = secured_broker(workdir / "secured", cfg)
    server = None
    try:
        machine = machine_info(broker.data_dir / "mosquitto.conf" if broker.data_dir else None)
        log(f"mosquitto {machine['mosquitto_version']} on {broker.url} (accounts, ACL, TLS)")
        server = ServerProcess(broker, workdir / "mpp-kiosk.db", workdir / "server.log",
                               start_at=args.start_at)
        server.start()
        with client(broker, site, "supervisor-01", "supervisor",
                    follow_state=False) as supervisor:
            wait_ready(server, supervisor)
            raise_quotas(supervisor, cfg, [SERVICE], 2 * n_tickets + 2 * WARM_TICKETS + 10)
        log(f"floor: bare QML window start x{n_starts}")
        bare = _starts("bare", n_starts, broker, site, workdir)
        log("kiosk: first start (compiles the catalogs)")
        spawned, doc = _spawn("start", broker, site, workdir)
        first_s = round(doc["ready_at"] - spawned, 3)
        log(f"kiosk: cold start x{n_starts}")
        start = _starts("start", n_starts, broker, site, workdir)
        log(f"floor: ticket.issue round trip x{n_tickets}; print to the simulator")
        issue = _issue_floor(broker, site, n_tickets)
        printing = _print_floor(n_tickets)
        log(f"kiosk: {n_tickets} tickets by touch")
        _, touch = _spawn("touch", broker, site, workdir, tickets=n_tickets)
    finally:
        server_exit = server.stop() if server is not None else None
        broker.stop()
    doc = _document(machine, bare, first_s, start, issue, printing, touch, n_tickets,
                    server_exit, args.quick)
    doc["broker"] = _broker_doc(broker, "every client and the floors")
    return doc


def _document(machine: dict[str, Any], bare: dict[str, Any], first_s: float,
              start: dict[str, Any], issue: dict[str, Any], printing: dict[str, Any],
              touch: dict[str, Any], n_tickets: int, server_exit: int | None,
              quick: bool) -> dict[str, Any]:
    first = summary_ms(touch["first_ns"])
    cut = summary_ms(touch["cut_ns"])
    rss_mb = round(touch["VmRSS"] / 1024, 1)
    floor_p50 = issue["p50"] + printing["p50"]
    floor_p99 = issue["p99"] + printing["p99"]
    return {
        "quick": quick,
        "machine": machine,
        "floors": {"bare_qml_start": bare, "ticket_issue_round_trip_ms": issue,
                   "print_to_simulator_ms": printing},
        "kiosk": {
            "first_start_s": first_s,
            "cold_start": start,
            "touch_to_first_byte_ms": first,
            "touch_to_ticket_cut_ms": cut,
            "tickets": n_tickets,
            "rss_mb": rss_mb,
            "peak_rss_mb": round(touch["VmHWM"] / 1024, 1),
            "server_exit_code": server_exit,
        },
        "ratios": {
            "cold_start_vs_bare_qml": round(start["median_s"] / bare["median_s"], 2),
            "touch_first_byte_p99_vs_issue_p99": round(first["p99"] / issue["p99"], 2),
            "touch_cut_p50_vs_issue_plus_print_p50": round(cut["p50"] / floor_p50, 2),
            "touch_cut_p99_vs_issue_plus_print_p99": round(cut["p99"] / floor_p99, 2),
            "rss_vs_bare_qml": round(rss_mb / bare["rss_mb"], 2),
        },
        "targets": {"cold_start_s": TARGET_START_S, "touch_to_bytes_p99_ms": TARGET_TOUCH_P99_MS,
                    "rss_mb": TARGET_RSS_MB},
        "pass": {
            "cold_start": start["max_s"] < TARGET_START_S,
            "touch_to_bytes_p99": first["p99"] < TARGET_TOUCH_P99_MS,
            "touch_to_ticket_cut_p99": cut["p99"] < TARGET_TOUCH_P99_MS,
            "rss": rss_mb < TARGET_RSS_MB,
        },
    }


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.child == "bare":
        _child_bare()
    elif args.child == "start":
        _child_start(args)
    elif args.child == "touch":
        _child_touch(args)
    else:
        from bench.run import run_and_report

        return run_and_report(run, args, "mpp-bench-kiosk-")
    return 0


if __name__ == "__main__":
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    raise SystemExit(main())
