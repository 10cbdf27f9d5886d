"""`python -m bench.run [--quick] [--tickets N] [--calls N] [--json-out FILE]`

One run on this machine: the real queue server as a subprocess under load over MQTT
(durable tickets per second from the four kiosks; call-to-event latency) and the floors
(raw Mosquitto one-way and request/reply with paho, raw durable SQLite commit), the ratios
to the targets, and pass/fail.

The hall runs secured, as a hall does (issue 12): its Mosquitto has the site's accounts,
the ACL and a TLS listener (bench/access.py), and the server, the kiosks, the counters and
the display each log in with their own account over TLS. Before it starts, a second,
plain Mosquitto (anonymous, no TLS: the development switch) serves the plain floors only,
and is stopped before the secured one starts.

The call latency is judged against the QUIET PLAIN floor: request/reply p99 + commit p99
measured before the load on the plain broker (`floors.before_load`), when nothing of ours
is running; the stricter yardstick, so the cost of security counts against the hall. The
same two floors on the secured broker before the load (`floors.secured_before_load`) give
the cost of security as ratios (`ratios.security_cost`). The secured floors are measured
again after the load, with the server stopped (`floors.after_load`), and in blocks between
blocks of calls (`floors.in_blocks`); those ratios are reported beside the verdict and
decide nothing. A floor taken during the load absorbs the server's own disk work
(write-back, WAL folds) and so moves toward the figure it is meant to judge. One JSON
document on stdout; progress on stderr.
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
from bench.access import client, secured_broker
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
from bench.stats import ratio
from mpp.broker import BrokerHandle, mosquitto_binary, start_mosquitto
from queue_server.config import default_site_path, load_site

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
    # Besides the quiet floors (before and after the load), the request/reply and commit
    # floors are measured in blocks between blocks of calls: a diagnostic of how the
    # machine's state moved during the calls.
    blocks = max(1, args.blocks or (4 if quick else 10))
    cfg = load_site(default_site_path())
    site = cfg.site.id
    db_dir = workdir / "db"
    db_dir.mkdir(parents=True, exist_ok=True)

    # 1. the quiet floors before the load, each broker alone on the machine: the plain
    # one (anonymous, no TLS: the development switch) for the verdict's floor, then the
    # secured one the hall runs on (accounts, ACL, TLS) for the cost of security
    plain = start_mosquitto(workdir / "mosquitto-plain")
    try:
        log(f"plain mosquitto (anonymous, no TLS) on {plain.url}: quiet floors before the "
            f"load (the verdict's): one-way, request/reply and durable commit")
        plain_floors = quiet_floors(plain, db_dir, n_msgs, n_commits, one_way=True)
    finally:
        plain.stop()
    broker = secured_broker(workdir / "secured", cfg)
    server: ServerProcess | None = None
    try:
        machine = machine_info(broker.data_dir / "mosquitto.conf" if broker.data_dir else None)
        log(f"secured mosquitto {machine['mosquitto_version']} on {broker.url} "
            f"({len(broker.accounts)} accounts, ACL, TLS): quiet floors before the load")
        secured_floors = quiet_floors(broker, db_dir, n_msgs, n_commits, one_way=True)

        # 2. the server under load, every client with its own account over TLS
        db_path = db_dir / "mpp-bench.db"
        for suffix in ("", "-wal", "-shm"):  # a kept --workdir: start from an empty day
            Path(f"{db_path}{suffix}").unlink(missing_ok=True)
        server = ServerProcess(broker, db_path, workdir / "server.log",
                               start_at=args.start_at, log_level=args.server_log_level)
        t0 = time.monotonic()
        server.start()
        services = pick_services(cfg, args.start_at)
        per_service = n_tickets // len(services) + 1
        with client(broker, site, "supervisor-01", "supervisor",
                    follow_state=False) as supervisor:
            wait_ready(server, supervisor)
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
        tickets = issue_tickets(broker, site, kiosks, services, n_tickets, args.window,
                                probe)
        log(f"tickets: {tickets['tickets']} ok in {tickets['elapsed_s']} s = "
            f"{tickets['tickets_per_s']}/s; errors {tickets['errors']}")
        pairs = pick_counters(cfg, services, args.counters)
        log(f"calls: {n_calls} (+{warm_calls} warm-up) over {[c for _, c in pairs]}, in "
            f"{blocks} blocks; before each, {n_msgs // blocks} raw request/replies and "
            f"{n_commits // blocks} raw durable commits (floors in blocks, diagnostic)")
        with floors.RequestReplyFloor(broker) as rr, floors.CommitFloor(db_dir) as cf:

            def floor_block(block: int) -> None:
                rr.sample(n_msgs // blocks, floors.warmup_count(n_msgs) if block == 0 else 0)
                cf.sample(n_commits // blocks,
                          floors.warmup_count(n_commits) if block == 0 else 0)

            calls = call_loop(broker, site, pairs, n_calls, warm_calls, probe, blocks,
                              floor_block)
        in_blocks = {"mqtt_request_reply_ms": rr.summary(),
                     "sqlite_durable_commit": cf.summary()}
        server.stop()  # its exit code is read below; the machine is now idle of ours
        log("quiet floors again on the secured broker, after the load with the server "
            "stopped: request/reply and durable commit")
        after_load = quiet_floors(broker, db_dir, n_msgs, n_commits)
        log(f"calls: event p50 {calls['call_to_event_ms']['p50']} ms "
            f"p99 {calls['call_to_event_ms']['p99']} ms; floor p99s (request/reply + "
            f"commit), ms: plain before the load {_floor_text(plain_floors)}; secured "
            f"before the load {_floor_text(secured_floors)}, in blocks "
            f"{_floor_text(in_blocks)}, after {_floor_text(after_load)}")
    finally:
        code = server.stop() if server is not None else None
        broker.stop()
    acked = tickets.pop("ids")
    stored = check_database(db_path, services, acked)
    floors_doc = {"mqtt_one_way_ms": plain_floors.pop("mqtt_one_way_ms"),
                  "before_load": plain_floors,
                  "secured_mqtt_one_way_ms": secured_floors.pop("mqtt_one_way_ms"),
                  "secured_before_load": secured_floors,
                  "after_load": after_load, "in_blocks": in_blocks}
    doc = _document(machine, floors_doc, tickets, calls, stored, services, raised, code,
                    quick)
    doc["brokers"] = {
        "plain": _broker_doc(plain, "the plain floors before the load (the verdict's)"),
        "secured": _broker_doc(broker, "the hall (server, kiosks, counters, display, each "
                                       "with its own account) and the secured floors"),
    }
    doc["server"]["startup_s"] = round(ready_s, 2)
    doc["floors"]["method"] = (
        f"one-way, request/reply and commit before the load on the plain broker "
        f"(anonymous, no TLS: the quiet floor, the verdict's yardstick), then the same on "
        f"the secured broker (accounts, ACL, TLS: the cost of security); request/reply and "
        f"commit on the secured broker after the load with the server stopped, and in "
        f"{blocks} blocks each just before a block of {n_calls // blocks} timed calls "
        f"(after and in blocks: diagnostic)")
    log(f"stages: {n_calls} calls through the engine alone (no MQTT), each step timed")
    doc["server_stages"] = engine_stages(db_dir, cfg, services, pairs,
                                         max(2 * n_calls, min(n_tickets, 4000)), n_calls,
                                         args.start_at)
    return doc


def _conf_value(broker: BrokerHandle, option: str) -> str | None:
    """An option of the Mosquitto config we wrote for `broker` (None: not set)."""
    conf = broker.data_dir / "mosquitto.conf" if broker.data_dir else None
    if conf is None or not conf.exists():
        return None
    found = re.search(rf"^\s*{re.escape(option)}\s+(\S+)\s*$", conf.read_text(),
                      re.MULTILINE)
    return found.group(1) if found else None


def _broker_doc(broker: BrokerHandle, used_for: str) -> dict[str, Any]:
    """How a broker of the run was configured, read back from its config file."""
    return {"url": broker.url, "tls": broker.tls,
            "tls_version": _conf_value(broker, "tls_version"),
            "anonymous": _conf_value(broker, "allow_anonymous") == "true",
            "acl": _conf_value(broker, "acl_file") is not None,
            "accounts": len(broker.accounts),
            "client_id_bound_to_user": _conf_value(broker, "use_username_as_clientid")
            == "true",
            "used_for": used_for}


def quiet_floors(broker: BrokerHandle, db_dir: Path, n_msgs: int, n_commits: int, *,
                 one_way: bool = False) -> dict[str, Any]:
    """The request/reply and durable commit floors (and the one-way one when asked), each
    taken in one go on `broker` (as the broker's floor accounts when it is secured)."""
    out: dict[str, Any] = {}
    if one_way:
        out["mqtt_one_way_ms"] = floors.mqtt_one_way(broker, n_msgs)
    out["mqtt_request_reply_ms"] = floors.mqtt_request_reply(broker, n_msgs)
    out["sqlite_durable_commit"] = floors.sqlite_durable_commit(db_dir, n_commits)
    return out


def _floor_ms(pair: dict[str, Any]) -> float | None:
    """Request/reply p99 + commit p99 (ms); None when either has no samples."""
    rr, commit = pair["mqtt_request_reply_ms"]["p99"], pair["sqlite_durable_commit"]["p99"]
    return None if rr is None or commit is None else rr + commit


def _floor_text(pair: dict[str, Any]) -> str:
    return (f"{pair['mqtt_request_reply_ms']['p99']} + "
            f"{pair['sqlite_durable_commit']['p99']}")


def _floor_ratio(event_p99: float | None, req_rep: dict[str, Any],
                 commit: dict[str, Any]) -> float | None:
    """Call-to-event p99 over the floor: request/reply p99 + commit p99. None (no verdict
    possible) when there is no event p99, or no floor: missing, or zero."""
    if event_p99 is None or req_rep.get("p99") is None or commit.get("p99") is None:
        return None
    floor_ms = req_rep["p99"] + commit["p99"]
    return round(event_p99 / floor_ms, 2) if floor_ms > 0 else None


def _within(value: float | None, limit: float) -> bool:
    """A ratio passes when it was measured and is at most `limit`."""
    return value is not None and value <= limit


# which broker each floor of the document was measured on
FLOOR_BROKERS = {"mqtt_one_way_ms": "plain", "before_load": "plain",
                 "secured_mqtt_one_way_ms": "secured", "secured_before_load": "secured",
                 "after_load": "secured", "in_blocks": "secured"}
FLOOR_PAIRS = ("before_load", "secured_before_load", "after_load", "in_blocks")


def _call_ratios(event_p99: float | None, floors_doc: dict[str, Any]) -> dict[str, Any]:
    """Call-to-event p99 over each floor: the plain one before the load (the verdict's),
    the secured one before the load, after the load and in blocks (diagnostic), and the
    floors themselves (ms)."""
    out: dict[str, Any] = {}
    for when in FLOOR_PAIRS:
        pair = floors_doc[when]
        out[f"call_to_event_p99_vs_floor_{when}"] = _floor_ratio(
            event_p99, pair["mqtt_request_reply_ms"], pair["sqlite_durable_commit"])
    for when in FLOOR_PAIRS:
        floor_ms = _floor_ms(floors_doc[when])
        out[f"call_to_event_floor_{when}_ms"] = (None if floor_ms is None
                                                 else round(floor_ms, 3))
    return out


def _security_cost(event_p99: float | None, floors_doc: dict[str, Any]) -> dict[str, Any]:
    """What the accounts, the ACL and TLS cost, as ratios of the secured broker's quiet
    floors to the plain broker's (both before the load, in the same run), and the hall's
    call-to-event p99 (secured) over each quiet floor. Decides nothing."""
    plain, secured = floors_doc["before_load"], floors_doc["secured_before_load"]
    rr_plain, rr_secured = plain["mqtt_request_reply_ms"], secured["mqtt_request_reply_ms"]
    return {
        "request_reply_p50_secured_vs_plain": ratio(rr_secured["p50"], rr_plain["p50"]),
        "request_reply_p99_secured_vs_plain": ratio(rr_secured["p99"], rr_plain["p99"]),
        "one_way_p50_secured_vs_plain": ratio(
            floors_doc["secured_mqtt_one_way_ms"]["p50"], floors_doc["mqtt_one_way_ms"]["p50"]),
        "quiet_floor_secured_vs_plain": ratio(_floor_ms(secured), _floor_ms(plain)),
        # the verdict's ratio, repeated here: the hall pays for security, the floor not
        "call_to_event_p99_vs_plain_floor": _floor_ratio(
            event_p99, rr_plain, plain["sqlite_durable_commit"]),
        "call_to_event_p99_vs_secured_floor": _floor_ratio(
            event_p99, rr_secured, secured["sqlite_durable_commit"]),
    }


def _document(machine: dict[str, Any], floors_doc: dict[str, Any], tickets: dict[str, Any],
              calls: dict[str, Any], stored: dict[str, Any], services: list[str],
              raised: dict[str, int], server_exit: int | None, quick: bool
              ) -> dict[str, Any]:
    """The run's JSON document. `floors_doc`: mqtt_one_way_ms and before_load (the plain
    broker), secured_mqtt_one_way_ms and secured_before_load, after_load and in_blocks
    (the secured one); each *_load and in_blocks is {mqtt_request_reply_ms,
    sqlite_durable_commit}."""
    numbering = tickets.pop("numbering")
    tps = tickets["tickets_per_s"]
    quiet_commit = floors_doc["before_load"]["sqlite_durable_commit"]
    event_p99 = calls["call_to_event_ms"]["p99"]
    ratios = {
        "tickets_per_s_vs_target_1000": round(tps / TARGET_TICKETS_PER_S, 3),
        **_call_ratios(event_p99, floors_doc),
        "tickets_per_s_vs_raw_sqlite_commit_rate": (
            round(tps / quiet_commit["commits_per_s"], 3)
            if quiet_commit["commits_per_s"] else None),
        "security_cost": _security_cost(event_p99, floors_doc),
    }
    duplicates = numbering["duplicates"] + stored["duplicates"]
    gaps = numbering["gaps"] + stored["gaps"]
    return {
        "quick": quick,
        "machine": machine,
        "floors": {**floors_doc, "broker": dict(FLOOR_BROKERS)},
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
            # against the quiet plain floor only: a floor taken during the load moves
            # with it, and the secured floor would let the cost of security off
            "call_to_event_p99": _within(ratios["call_to_event_p99_vs_floor_before_load"],
                                         TARGET_CALL_TO_EVENT_MAX_RATIO),
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
