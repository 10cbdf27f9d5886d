"""`python -m bench.display_latency [--quick] [--calls N] [--json-out FILE]`

What a citizen sees and hears after a counter presses "call next", measured in one process
on this machine: the real queue server as a subprocess, Mosquitto, and in this process a Qt
application (offscreen) with the counter display above loket-01 and the hall wall of zone
lantai-1 (announcing with the tone voice into a silent sink), plus the counter-01 "button".
Mosquitto is secured as a hall's is (bench/access.py: accounts, ACL, TLS): each of them logs
in with its own account over TLS (the counter display as `display-loket-01`, an account
the benchmark adds: the sample site lists no box for it).

For each call, one at a time, t0 = time.perf_counter_ns() just before the button publishes
counter.call_next, then:

* counter_display_ms: the counter display's QML `number` Text changes to the called
  number (its textChanged signal);
* wall_ms: the wall's big `callNumber` Text changes to it (textChanged);
* chime_start_ms: the wall's Announcer calls on_started for it (just before the sink
  would play the chime's first sample; rendering chime + voice comes before it).

The Qt event loop runs while waiting (a QEventLoop woken by those signals, with a timer
for the timeout). The floors (raw paho QoS 1 one-way and request/reply through the same
Mosquitto, over TLS with accounts of their own, bench.floors) are measured in the same run.
One JSON document on stdout; progress on stderr.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench import floors
from bench.access import client, secured_broker
from bench.run import _broker_doc, machine_info, run_and_report
from bench.server_load import (
    REPLY_TIMEOUT_S,
    ServerProcess,
    issue_tickets,
    log,
    raise_quotas,
    wait_ready,
)
from bench.stats import summary_ms
from mpp.broker import BrokerHandle
from queue_server.config import default_site_path, load_site
from queue_server.protocol.client import QueueClient

# A Monday 09:00 (site time): ktp-el's schedule is open, no lunch or prayer break.
DEFAULT_START_AT = "2026-11-30T09:00"
SERVICE = "ktp-el"
COUNTER = "loket-01"
BUTTON = "counter-01"
KIOSK = "kiosk-01"
DISPLAY_DEVICE = "display-hall"  # the wall
COUNTER_DISPLAY_DEVICE = "display-loket-01"  # its own box: one account, one connection
ZONE = "lantai-1"
SETUP_TIMEOUT_S = 30.0
CALL_TIMEOUT_S = 10.0
SPARE_TICKETS = 20


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m bench.display_latency",
                                description=__doc__.splitlines()[0])
    p.add_argument("--quick", action="store_true", help="small counts, for the test")
    p.add_argument("--calls", type=int, help="calls to time (default 1000; quick 50)")
    p.add_argument("--messages", type=int,
                   help="MQTT floor samples (default 2000; quick 300)")
    p.add_argument("--start-at", default=DEFAULT_START_AT,
                   help=f"server clock start, a Monday morning (default {DEFAULT_START_AT})")
    p.add_argument("--server-log-level", default="INFO",
                   help="the server's --log-level (default INFO, as in production)")
    p.add_argument("--workdir", help="keep the database, logs and broker files here")
    p.add_argument("--json-out", help="also write the JSON document to this file")
    return p


# --------------------------------------------------------------------------- Qt side


def _qt_objects() -> tuple[Any, ...]:
    """Qt is imported only when the benchmark runs (the module imports without a display)."""
    from PySide6.QtCore import QEventLoop, QObject, Qt, QTimer, Signal

    class Waker(QObject):
        """Emitted from paho's and the announcer's threads; delivered queued on the Qt
        thread, where it re-checks whether the call being timed is complete."""
        poke = Signal()

    return QEventLoop, QTimer, Waker, Qt


class Observer:
    """First time each number was seen on each surface, in perf_counter_ns, and the
    button's replies. Qt-thread slots record directly; the announcer's worker and paho's
    thread record, then poke the Qt thread."""

    SURFACES = ("counter", "wall", "chime")
    # arrivals on paho's threads in this process, before the hop to the Qt thread
    ARRIVALS = ("counter_state_in", "wall_calls_in", "wall_event_in")

    def __init__(self, counter_item: Any, wall_item: Any, wall_announcer: Any,
                 counter_bridge: Any, wall_bridge: Any, counter_id: str) -> None:
        QEventLoop, QTimer, Waker, Qt = _qt_objects()
        self._QEventLoop, self._QTimer = QEventLoop, QTimer
        self.seen: dict[str, dict[str, int]] = {s: {} for s in self.SURFACES + self.ARRIVALS}
        self._stamp_arrivals(counter_bridge, wall_bridge, counter_id)
        self.replies: dict[str, tuple[int, dict[str, Any]]] = {}
        self.waker = Waker()
        self.waker.poke.connect(self._check, Qt.ConnectionType.QueuedConnection)
        self._want: Callable[[], bool] | None = None
        self._loop: Any = None
        self._counter_item, self._wall_item = counter_item, wall_item
        counter_item.textChanged.connect(self._on_counter_text)
        wall_item.textChanged.connect(self._on_wall_text)
        # Wrap the Announcer's start hook (WallAnnouncer's own hook still runs after ours).
        inner = wall_announcer.announcer.on_started

        def on_started(call: Any, at: float) -> None:
            stamp = time.perf_counter_ns()
            self.seen["chime"].setdefault(str(call.number), stamp)
            if inner is not None:
                inner(call, at)
            self.waker.poke.emit()

        wall_announcer.announcer.on_started = on_started

    def _stamp_arrivals(self, counter_bridge: Any, wall_bridge: Any, counter_id: str) -> None:
        """Wrap the QueueClients' callbacks (read at call time) to stamp when the state or
        event carrying a number reaches this process; the displays' own callbacks follow."""
        key = f"counter/{counter_id}"
        seen = self.seen

        def counter_state(inner: Callable[[str, Any], None]) -> Callable[[str, Any], None]:
            def on_state(k: str, value: Any) -> None:
                if k == key and isinstance(value, dict):
                    number = (value.get("ticket") or {}).get("number")
                    if number:
                        seen["counter_state_in"].setdefault(str(number),
                                                            time.perf_counter_ns())
                inner(k, value)
            return on_state

        def wall_state(inner: Callable[[str, Any], None]) -> Callable[[str, Any], None]:
            def on_state(k: str, value: Any) -> None:
                if k == "calls" and isinstance(value, list) and value:
                    first = value[0] if isinstance(value[0], dict) else {}
                    if first.get("counter") == counter_id and first.get("number"):
                        seen["wall_calls_in"].setdefault(str(first["number"]),
                                                         time.perf_counter_ns())
                inner(k, value)
            return on_state

        def wall_event(inner: Callable[[Any], None]) -> Callable[[Any], None]:
            def on_event(event: Any) -> None:
                if isinstance(event, dict) and event.get("type") == "ticket.called":
                    number = (event.get("ticket") or {}).get("number") or event.get("number")
                    if number:
                        seen["wall_event_in"].setdefault(str(number), time.perf_counter_ns())
                inner(event)
            return on_event

        c_client, w_client = counter_bridge.client, wall_bridge.client
        c_client._on_state = counter_state(c_client._on_state)
        w_client._on_state = wall_state(w_client._on_state)
        w_client._on_event = wall_event(w_client._on_event)  # the wall's one client

    # -- recorders ----------------------------------------------------------------------

    def _on_counter_text(self, *_args: Any) -> None:
        stamp = time.perf_counter_ns()
        self.seen["counter"].setdefault(str(self._counter_item.property("text")), stamp)
        self._check()

    def _on_wall_text(self, *_args: Any) -> None:
        stamp = time.perf_counter_ns()
        self.seen["wall"].setdefault(str(self._wall_item.property("text")), stamp)
        self._check()

    def on_reply(self, cmd_id: str, reply: dict[str, Any]) -> None:
        """paho's thread."""
        self.replies[cmd_id] = (time.perf_counter_ns(), reply)
        self.waker.poke.emit()

    # -- waiting ------------------------------------------------------------------------

    def _check(self) -> None:
        if self._loop is not None and self._want is not None and self._want():
            self._loop.quit()

    def wait(self, want: Callable[[], bool], timeout_s: float) -> bool:
        """Run the Qt event loop until `want()` holds (re-checked on every signal above)
        or the timeout; True if it holds."""
        if want():
            return True
        loop = self._QEventLoop()
        timer = self._QTimer()
        timer.setSingleShot(True)
        timer.timeout.connect(loop.quit)
        self._want, self._loop = want, loop
        timer.start(int(timeout_s * 1000))
        try:
            loop.exec()
        finally:
            timer.stop()
            self._want, self._loop = None, None
        return want()

    def spin_until(self, want: Callable[[], bool], timeout_s: float) -> bool:
        """Set-up only (not timed): run the loop, re-checking every 20 ms."""
        loop = self._QEventLoop()
        tick = self._QTimer()
        tick.setInterval(20)
        deadline = time.monotonic() + timeout_s

        def check() -> None:
            if want() or time.monotonic() > deadline:
                loop.quit()

        tick.timeout.connect(check)
        tick.start()
        try:
            if not want():
                loop.exec()
        finally:
            tick.stop()
        return want()


class ButtonClient(QueueClient):
    """The counter's "call next" button: a QueueClient whose replies also reach the
    Observer (stamped on paho's thread as they arrive)."""

    observer: Observer | None = None

    def _on_reply(self, payload: bytes) -> None:
        super()._on_reply(payload)
        if self.observer is not None:
            try:
                reply = json.loads(payload)
            except ValueError:
                return
            if isinstance(reply, dict):
                self.observer.on_reply(str(reply.get("re")), reply)


# --------------------------------------------------------------------------- the run


def _prepare_server(broker: BrokerHandle, site: str, cfg: Any,
                    tickets: int) -> dict[str, Any]:
    """Quota high enough, `tickets` ktp-el tickets issued, loket-01 open."""
    with client(broker, site, "supervisor-01", "supervisor",
                follow_state=False) as supervisor:
        raised = raise_quotas(supervisor, cfg, [SERVICE], tickets + 10)
    issued = issue_tickets(broker, site, [KIOSK], [SERVICE], tickets, window=32)
    if issued["tickets"] < tickets:
        raise RuntimeError(f"only {issued['tickets']} of {tickets} tickets issued: "
                           f"{issued['errors']}")
    return {"quota_raised": raised, "tickets": issued["tickets"],
            "tickets_per_s": issued["tickets_per_s"]}


def time_calls(broker: BrokerHandle, site: str, n_calls: int, warm: int,
               qm_dir: Path) -> dict[str, Any]:
    from counter_display.announcer import NullSink, ToneVoice
    from counter_display.counter.display import CounterDisplay
    from counter_display.wall.display import WallDisplay
    from qtkit.app import WindowOptions, application
    from qtkit.bridge import Endpoint

    app = application([], offscreen=True)

    def endpoint(device: str) -> Endpoint:
        return Endpoint(broker.host, broker.port, site, device, "display",
                        broker.credentials(device), tls=broker.tls)

    counter = CounterDisplay(endpoint(COUNTER_DISPLAY_DEVICE), COUNTER, lang="id",
                             qm_dir=qm_dir, window=WindowOptions(size=(1280, 720)))
    wall = WallDisplay(endpoint(DISPLAY_DEVICE), ZONE, lang="id", qm_dir=qm_dir,
                       window=WindowOptions(size=(1920, 1080)), voice=ToneVoice(),
                       sink=NullSink())
    assert wall.announcer is not None
    button = ButtonClient(broker.host, broker.port, site, BUTTON, "counter",
                          credentials=broker.credentials(BUTTON), tls=broker.tls,
                          follow_state=False)
    kinds = ("counter", "wall", "chime", "reply", *Observer.ARRIVALS)
    samples: dict[str, list[int]] = {k: [] for k in kinds}
    missing = dict.fromkeys(kinds, 0)
    errors: dict[str, int] = {}
    numbers: list[str] = []
    try:
        obs = Observer(counter.item("number"), wall.item("callNumber"), wall.announcer,
                       counter.bridge, wall.bridge, COUNTER)
        button.observer = obs
        button.start()
        button.request("counter.open", {"counter": COUNTER}, timeout=REPLY_TIMEOUT_S)

        def ready() -> bool:
            return bool(counter.has_state() and wall.has_state()
                        and wall.bridge.property("online")
                        and wall.announcer is not None and wall.announcer.listening
                        and counter.model.property("status") == "idle")

        if not obs.spin_until(ready, SETUP_TIMEOUT_S):
            raise RuntimeError("the displays did not get the server's state in time")
        log(f"displays ready (zone {ZONE} counters: {wall.model.counters()[:3]}...)")
        for i in range(warm + n_calls):
            t0 = time.perf_counter_ns()
            cmd_id, _pending = button.send("counter.call_next", {"counter": COUNTER})

            def replied(cid: str = cmd_id) -> bool:
                return cid in obs.replies

            if not obs.wait(replied, CALL_TIMEOUT_S):
                if i >= warm:
                    missing["reply"] += 1
                continue
            at_reply, reply = obs.replies.pop(cmd_id)
            if not reply.get("ok"):
                code = str((reply.get("error") or {}).get("code", "unknown"))
                errors[code] = errors.get(code, 0) + 1
                continue
            ticket = (reply.get("result") or {}).get("ticket")
            if not ticket:
                errors["queue_empty"] = errors.get("queue_empty", 0) + 1
                break
            number = str(ticket["number"])

            def complete(num: str = number) -> bool:
                return all(num in obs.seen[s] for s in Observer.SURFACES)

            obs.wait(complete, CALL_TIMEOUT_S)
            if i < warm:
                continue
            numbers.append(number)
            samples["reply"].append(at_reply - t0)
            for surface in Observer.SURFACES + Observer.ARRIVALS:
                at = obs.seen[surface].get(number)
                if at is None:
                    missing[surface] += 1
                else:
                    samples[surface].append(at - t0)
            if (i - warm + 1) % max(1, n_calls // 5) == 0:
                log(f"calls: {i - warm + 1}/{n_calls}")
        played = len(wall.announcer.played)
        submitted = len(wall.announcer.submitted)
        gaps = wall.announcer.gaps
    finally:
        button.stop()
        wall.close()
        counter.close()
        for _ in range(3):
            app.processEvents()
    return {"samples": samples, "missing": missing, "errors": errors,
            "numbers": numbers, "announced": {"submitted": submitted, "started": played,
                                               "event_gaps": gaps}}


def run(args: argparse.Namespace, workdir: Path) -> dict[str, Any]:
    quick = args.quick
    n_calls = args.calls or (50 if quick else 1000)
    n_msgs = args.messages or (300 if quick else 2000)
    warm = 5 if quick else 20
    cfg = load_site(default_site_path())
    site = cfg.site.id

    broker = secured_broker(workdir / "secured", cfg, extra_devices=(COUNTER_DISPLAY_DEVICE,))
    server: ServerProcess | None = None
    code: int | None = None
    try:
        machine = machine_info(broker.data_dir / "mosquitto.conf" if broker.data_dir else None)
        log(f"mosquitto {machine['mosquitto_version']} on {broker.url} (accounts, ACL, TLS)")
        one_way, req_rep = floors.mqtt_floors(broker, n_msgs, log)

        db_dir = workdir / "db"
        db_dir.mkdir(parents=True, exist_ok=True)
        db_path = db_dir / "mpp-display-bench.db"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db_path}{suffix}").unlink(missing_ok=True)
        server = ServerProcess(broker, db_path, workdir / "server.log",
                               start_at=args.start_at, log_level=args.server_log_level)
        server.start()
        with client(broker, site, "supervisor-01", "supervisor",
                    follow_state=False) as supervisor:
            ready_s = wait_ready(server, supervisor)
        log(f"server pid {server.pid} answered after {ready_s:.2f} s")
        n_tickets = warm + n_calls + SPARE_TICKETS
        prepared = _prepare_server(broker, site, cfg, n_tickets)
        log(f"issued {prepared['tickets']} {SERVICE} tickets; timing {n_calls} calls "
            f"(+{warm} warm-up) at {COUNTER}")
        qm_dir = workdir / "qm"
        qm_dir.mkdir(parents=True, exist_ok=True)
        timed = time_calls(broker, site, n_calls, warm, qm_dir)
    finally:
        if server is not None:
            code = server.stop()
        broker.stop()
    doc = _document(machine, one_way, req_rep, timed, prepared, code, quick, n_calls)
    doc["detail"]["broker"] = _broker_doc(broker, "every client and the floors")
    return doc


def _ratio(a: float | None, b: float | None) -> float | None:
    return round(a / b, 2) if a and b else None


def _document(machine: dict[str, Any], one_way: dict[str, Any], req_rep: dict[str, Any],
              timed: dict[str, Any], prepared: dict[str, Any], server_exit: int | None,
              quick: bool, n_calls: int) -> dict[str, Any]:
    s = timed["samples"]
    counter_ms, wall_ms = summary_ms(s["counter"]), summary_ms(s["wall"])
    chime_ms, reply_ms = summary_ms(s["chime"]), summary_ms(s["reply"])
    rr50, rr99 = req_rep["p50"], req_rep["p99"]
    ow99 = one_way["p99"]
    ratios = {
        "counter_display_p99_vs_request_reply_p99": _ratio(counter_ms["p99"], rr99),
        "wall_p99_vs_request_reply_p99": _ratio(wall_ms["p99"], rr99),
        "chime_start_p99_vs_request_reply_p99": _ratio(chime_ms["p99"], rr99),
        "counter_display_p50_vs_request_reply_p50": _ratio(counter_ms["p50"], rr50),
        "wall_p50_vs_request_reply_p50": _ratio(wall_ms["p50"], rr50),
        "chime_start_p50_vs_request_reply_p50": _ratio(chime_ms["p50"], rr50),
        "counter_display_p99_vs_one_way_p99": _ratio(counter_ms["p99"], ow99),
        "call_reply_p99_vs_request_reply_p99": _ratio(reply_ms["p99"], rr99),
    }
    return {
        "quick": quick,
        "calls_requested": n_calls,
        "counter_display_ms": counter_ms,
        "wall_ms": wall_ms,
        "chime_start_ms": chime_ms,
        "call_reply_ms": reply_ms,
        "floors": {"mqtt_one_way_ms": one_way, "mqtt_request_reply_ms": req_rep},
        # where the time goes: t0 -> the message reaching this process (paho's thread),
        # before the hop to the Qt thread, the model, the QML binding and the announcer
        "arrivals_ms": {
            "counter_state_received": summary_ms(s["counter_state_in"]),
            "wall_calls_state_received": summary_ms(s["wall_calls_in"]),
            "wall_event_received": summary_ms(s["wall_event_in"]),
        },
        "ratios": ratios,
        "detail": {
            "counter": COUNTER, "zone": ZONE, "service": SERVICE, "button": BUTTON,
            "missing": timed["missing"], "errors": timed["errors"],
            "first_number": timed["numbers"][0] if timed["numbers"] else None,
            "last_number": timed["numbers"][-1] if timed["numbers"] else None,
            "announcer": timed["announced"],
            "voice": "tone", "sink": "null",
            "qt_platform": os.environ.get("QT_QPA_PLATFORM"),
            "setup": prepared,
            "server_exit_code": server_exit,
        },
        "machine": machine,
    }


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    logging.basicConfig(level=logging.WARNING, format="[%(name)s] %(message)s")
    return run_and_report(run, args, "mpp-display-bench-")


if __name__ == "__main__":
    raise SystemExit(main())
