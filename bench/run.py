"""`python -m bench.run [--quick] [--tickets N] [--calls N] [--json-out FILE]`

One run on this machine: the real queue server as a subprocess under load over MQTT
(durable tickets per second from the four kiosks; call-to-event latency) and the floors
(raw Mosquitto one-way and request/reply with paho, raw durable SQLite commit), the ratios
to the targets, and pass/fail. The request/reply and commit floors, which the call latency
is judged against, are measured in blocks between blocks of calls: the machine's state
(other load, the disk's write-back) then weighs on both alike. They are also measured
once before the load, as until session 3, and that ratio is reported beside (it does not
decide `pass`). One JSON document on stdout; progress on stderr.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import signal
import subprocess
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import paho.mqtt

from bench import floors
from bench.server_load import (
    DEFAULT_START_AT,
    CpuProbe,
    ServerProcess,
    call_loop,
    check_database,
    engine_stages,
    issue_tickets,
    log,
    pick_counters,
    pick_services,
    raise_quotas,
    wait_ready,
)
from queue_server.broker import mosquitto_binary, start_mosquitto
from queue_server.config import default_site_path, load_site
from queue_server.protocol.client import QueueClient

TARGET_TICKETS_PER_S = 1000
TARGET_CALL_TO_EVENT_MAX_RATIO = 3


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__.splitlines()[0])
    p.add_argument("--quick", action="store_true", help="small counts (< 20 s), for the test")
    p.add_argument("--tickets", type=int, help="tickets to issue (default 10000; quick 600)")
    p.add_argument("--calls", type=int, help="counter calls to time (default 1000; quick 100)")
    p.add_argument("--messages", type=int, help="MQTT floor samples (default 2000; quick 300)")
    p.add_argument("--commits", type=int, help="SQLite floor commits (default 3000; quick 300)")
    p.add_argument("--blocks", type=int,
                   help="blocks of timed calls, each after a block of the request/reply and "
                        "commit floors (default 10; quick 4)")
    p.add_argument("--window", type=int, default=48,
                   help="outstanding ticket.issue commands per kiosk (default 48)")
    p.add_argument("--counters", type=int, default=8, help="counters calling (default 8)")
    p.add_argument("--start-at", default=DEFAULT_START_AT,
                   help=f"server clock start, a Monday morning (default {DEFAULT_START_AT})")
    p.add_argument("--server-log-level", default="INFO",
                   help="the server's --log-level (default INFO, as in production)")
    p.add_argument("--workdir", help="keep the database, logs and broker files here")
    p.add_argument("--hold", action="store_true",
                   help="before the load, print the server pid and wait 3 s (to attach "
                        "py-spy)")
    p.add_argument("--json-out", help="also write the JSON document to this file")
    return p


def machine_info(broker_conf: Path | None) -> dict[str, Any]:
    binary = mosquitto_binary()
    version = None
    if binary:
        out = subprocess.run([binary, "-h"], capture_output=True, text=True, timeout=10,
                             check=False)
        found = re.search(r"mosquitto version (\S+)", out.stdout + out.stderr)
        version = found.group(1) if found else None
    nodelay = None
    if broker_conf is not None and broker_conf.exists():
        nodelay = bool(re.search(r"^\s*set_tcp_nodelay\s+true\s*$",
                                 broker_conf.read_text(), re.MULTILINE))
    return {"cores": os.cpu_count(), "python": platform.python_version(),
            "mosquitto_version": version, "broker_set_tcp_nodelay": nodelay,
            "paho_mqtt": paho.mqtt.__version__, "platform": platform.platform(),
            # other work on the machine makes every figure noisier: look here first
            "loadavg_at_start": [round(x, 2) for x in os.getloadavg()]}


def run(args: argparse.Namespace, workdir: Path) -> dict[str, Any]:
    quick = args.quick
    n_tickets = args.tickets or (600 if quick else 10000)
    n_calls = args.calls or (100 if quick else 1000)
    n_msgs = args.messages or (300 if quick else 2000)
    n_commits = args.commits or (300 if quick else 3000)
    warm_calls = 10 if quick else 20
    # The request/reply and commit floors are measured in blocks between blocks of calls,
    # so that the ratio compares the two under the same conditions on the machine.
    blocks = max(1, args.blocks or (4 if quick else 10))
    cfg = load_site(default_site_path())
    site = cfg.site.id

    broker = start_mosquitto(workdir / "mosquitto")
    server: ServerProcess | None = None
    try:
        machine = machine_info(broker.data_dir / "mosquitto.conf" if broker.data_dir else None)
        log(f"mosquitto {machine['mosquitto_version']} on {broker.host}:{broker.port}")

        # 1. the one-way floor (the other two are taken between the blocks of calls)
        log(f"floor: one-way QoS 1 publish -> subscriber, {n_msgs} messages")
        one_way = floors.mqtt_one_way(broker.host, broker.port, n_msgs)
        db_dir = workdir / "db"
        db_dir.mkdir(parents=True, exist_ok=True)
        # and, for comparison only, the other two as they were measured until session 3
        log("floors before the load (for comparison): request/reply and durable commit")
        before_load = {"mqtt_request_reply_ms": floors.mqtt_request_reply(
                           broker.host, broker.port, n_msgs),
                       "sqlite_durable_commit": floors.sqlite_durable_commit(db_dir, n_commits)}

        # 2. the server under load
        db_path = db_dir / "mpp-bench.db"
        for suffix in ("", "-wal", "-shm"):  # a kept --workdir: start from an empty day
            Path(f"{db_path}{suffix}").unlink(missing_ok=True)
        server = ServerProcess(broker.host, broker.port, db_path, workdir / "server.log",
                               start_at=args.start_at, log_level=args.server_log_level)
        t0 = time.monotonic()
        server.start()
        services = pick_services(cfg, args.start_at)
        per_service = n_tickets // len(services) + 1
        with QueueClient(broker.host, broker.port, site, "supervisor-01", "supervisor",
                         follow_state=False) as supervisor:
            ready_s = wait_ready(server, supervisor)
            ready_s = time.monotonic() - t0
            log(f"server pid {server.pid} answered {ready_s:.2f} s after spawn")
            raised = raise_quotas(supervisor, cfg, services, per_service + 10)
        if args.hold:
            log(f"holding 3 s: py-spy record --pid {server.pid}")
            time.sleep(3)
        kiosks = [d.id for d in cfg.devices if d.role == "kiosk"]
        log(f"tickets: {n_tickets} from {len(kiosks)} kiosks (window {args.window}) over "
            f"{services}")
        probe = CpuProbe({"server": server.pid, "broker": broker.pid})
        tickets = issue_tickets(broker.host, broker.port, site, kiosks, services, n_tickets,
                                args.window, probe)
        log(f"tickets: {tickets['tickets']} ok in {tickets['elapsed_s']} s = "
            f"{tickets['tickets_per_s']}/s; errors {tickets['errors']}")
        pairs = pick_counters(cfg, services, args.counters)
        log(f"calls: {n_calls} (+{warm_calls} warm-up) over {[c for _, c in pairs]}, in "
            f"{blocks} blocks; before each, {n_msgs // blocks} raw request/replies and "
            f"{n_commits // blocks} raw durable commits (the floors)")
        with floors.RequestReplyFloor(broker.host, broker.port) as rr, \
                floors.CommitFloor(db_dir) as cf:

            def floor_block(block: int) -> None:
                rr.sample(n_msgs // blocks, floors.warmup_count(n_msgs) if block == 0 else 0)
                cf.sample(n_commits // blocks,
                          floors.warmup_count(n_commits) if block == 0 else 0)

            calls = call_loop(broker.host, broker.port, site, pairs, n_calls, warm_calls,
                              probe, blocks, floor_block)
        req_rep, commit = rr.summary(), cf.summary()
        log(f"calls: event p50 {calls['call_to_event_ms']['p50']} ms "
            f"p99 {calls['call_to_event_ms']['p99']} ms; floors: request/reply p99 "
            f"{req_rep['p99']} ms, commit p99 {commit['p99']} ms")
    finally:
        code = server.stop() if server is not None else None
        broker.stop()
    acked = tickets.pop("ids")
    stored = check_database(db_path, services, acked)
    doc = _document(machine, one_way, req_rep, commit, tickets, calls, stored, services,
                    raised, code, quick)
    doc["server"]["startup_s"] = round(ready_s, 2)
    doc["floors"]["before_load"] = before_load
    doc["ratios"]["call_to_event_p99_vs_floor_before_load"] = _floor_ratio(
        calls["call_to_event_ms"]["p99"], before_load["mqtt_request_reply_ms"],
        before_load["sqlite_durable_commit"])
    doc["floors"]["method"] = (f"one-way before the load; request/reply and commit in {blocks} "
                               f"blocks, each just before a block of {n_calls // blocks} "
                               f"timed calls")
    log(f"stages: {n_calls} calls through the engine alone (no MQTT), each step timed")
    doc["server_stages"] = engine_stages(db_dir, cfg, services, pairs,
                                         max(2 * n_calls, min(n_tickets, 4000)), n_calls,
                                         args.start_at)
    return doc


def _floor_ratio(event_p99: float | None, req_rep: dict[str, Any],
                 commit: dict[str, Any]) -> float | None:
    """Call-to-event p99 over the floor: request/reply p99 + commit p99."""
    return round(event_p99 / (req_rep["p99"] + commit["p99"]), 2) if event_p99 else None


def _document(machine: dict[str, Any], one_way: dict[str, Any], req_rep: dict[str, Any],
              commit: dict[str, Any], tickets: dict[str, Any], calls: dict[str, Any],
              stored: dict[str, Any], services: list[str], raised: dict[str, int],
              server_exit: int | None, quick: bool) -> dict[str, Any]:
    numbering = tickets.pop("numbering")
    floor_ms = req_rep["p99"] + commit["p99"]
    ev_p99 = calls["call_to_event_ms"]["p99"]
    tps = tickets["tickets_per_s"]
    ratios = {
        "tickets_per_s_vs_target_1000": round(tps / TARGET_TICKETS_PER_S, 3),
        "call_to_event_p99_vs_floor": _floor_ratio(ev_p99, req_rep, commit),
        "call_to_event_floor_ms": round(floor_ms, 3),
        "tickets_per_s_vs_raw_sqlite_commit_rate": round(tps / commit["commits_per_s"], 3),
    }
    duplicates = numbering["duplicates"] + stored["duplicates"]
    gaps = numbering["gaps"] + stored["gaps"]
    return {
        "quick": quick,
        "machine": machine,
        "floors": {"mqtt_one_way_ms": one_way, "mqtt_request_reply_ms": req_rep,
                   "sqlite_durable_commit": commit},
        "server": {
            "tickets_per_s": tps,
            "tickets": tickets["tickets"],
            "duplicates": duplicates,
            "gaps": gaps,
            "call_to_event_ms": calls["call_to_event_ms"],
            "call_reply_ms": calls["call_reply_ms"],
            "issue_reply_ms": tickets["issue_reply_ms"],
            "tickets_detail": {k: v for k, v in tickets.items()
                               if k not in ("tickets", "tickets_per_s", "issue_reply_ms")},
            "numbering_from_replies": numbering,
            "database": stored,
            "calls_detail": {k: v for k, v in calls.items()
                             if k not in ("call_to_event_ms", "call_reply_ms")},
            "services": services,
            "quotas_raised": raised,
            "server_exit_code": server_exit,
        },
        "ratios": ratios,
        "targets": {"tickets_per_s": TARGET_TICKETS_PER_S,
                    "call_to_event_p99_max_ratio": TARGET_CALL_TO_EVENT_MAX_RATIO},
        "pass": {
            "tickets_per_s": tps >= TARGET_TICKETS_PER_S,
            "call_to_event_p99": (ratios["call_to_event_p99_vs_floor"] is not None
                                  and ratios["call_to_event_p99_vs_floor"]
                                  <= TARGET_CALL_TO_EVENT_MAX_RATIO),
            "numbering": duplicates == 0 and gaps == 0,
            "durability": stored["acked_missing"] == 0,
        },
    }


def _interrupt(signum: int, _frame: object) -> None:
    raise KeyboardInterrupt(f"signal {signum}")  # unwinds through the finally blocks


def run_and_report(run_fn: Callable[[argparse.Namespace, Path], dict[str, Any]],
                   args: argparse.Namespace, prefix: str) -> int:
    """Run one benchmark in args.workdir or a temporary folder, print its JSON document
    (and write it to args.json_out); 130 when interrupted (Ctrl+C or SIGTERM)."""
    # SIGTERM too must stop the server and the broker (they run in their own sessions).
    signal.signal(signal.SIGTERM, _interrupt)
    started = time.monotonic()
    try:
        if args.workdir:
            workdir = Path(args.workdir)
            workdir.mkdir(parents=True, exist_ok=True)
            doc = run_fn(args, workdir)
        else:
            # The SQLite floor and the server database share one folder, so one disk.
            with tempfile.TemporaryDirectory(prefix=prefix) as tmp:
                doc = run_fn(args, Path(tmp))
    except KeyboardInterrupt as exc:
        log(f"interrupted ({exc or 'Ctrl+C'}): server and broker stopped")
        return 130
    doc["wall_s"] = round(time.monotonic() - started, 2)
    doc["machine"]["loadavg_at_end"] = [round(x, 2) for x in os.getloadavg()]
    text = json.dumps(doc, indent=2)
    print(text)
    if args.json_out:
        Path(args.json_out).write_text(text + "\n", encoding="utf-8")
    log(f"done in {doc['wall_s']} s")
    return 0


def main(argv: list[str] | None = None) -> int:
    return run_and_report(run, build_parser().parse_args(argv), "mpp-bench-")


if __name__ == "__main__":
    raise SystemExit(main())
