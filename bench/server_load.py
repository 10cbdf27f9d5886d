"""The queue server under load, over MQTT: a real `python -m mpp server`
subprocess (its own GIL), simulated kiosks issuing tickets with a window of outstanding
commands, then counters calling one at a time while a display listens for the events."""

from __future__ import annotations

import contextlib
import itertools
import json
import os
import queue
import re
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import IO, Any

from bench.access import client
from bench.floors import _child_env, _repo_root, block_p99
from bench.stats import numbering_check, summary_ms
from mpp.broker import BrokerHandle
from queue_server.config import SiteConfig
from queue_server.protocol.client import CommandError, QueueClient

READY_TIMEOUT_S = 60.0
REPLY_TIMEOUT_S = 10.0
MAX_TRIES = 3
# A Monday 09:00 (site time): every sample schedule is open, and no lunch or prayer break.
DEFAULT_START_AT = "2025-06-02T09:00"


def log(msg: str) -> None:
    print(f"[bench] {msg}", file=sys.stderr, flush=True)


# --------------------------------------------------------------------------- the server


class ServerProcess:
    """`python -m mpp server` as a child; always stopped by stop() (SIGTERM, then
    SIGKILL)."""

    def __init__(self, broker: BrokerHandle, db_path: Path, log_path: Path,
                 start_at: str = DEFAULT_START_AT, log_level: str = "INFO",
                 site: Path | None = None) -> None:
        self.db_path, self.log_path = db_path, log_path
        own = broker.credentials("server")  # the file's path in argv, never the secret
        self.args = [sys.executable, "-m", "mpp", "--log-level", log_level, "server",
                     "--mqtt", broker.url,
                     *(["--credentials", str(own.source)] if own else []),
                     "--db", f"sqlite:///{db_path}", "--start-at", start_at,
                     "--no-zeroconf"]
        # the shipped site's per-kiosk rate limit would refuse a load test's tickets
        self.args += ["--site", str(site or unlimited_site(db_path.parent))]
        self.proc: subprocess.Popen[bytes] | None = None
        self._log: IO[bytes] | None = None

    @property
    def pid(self) -> int | None:
        return self.proc.pid if self.proc is not None else None

    def start(self) -> None:
        self._log = self.log_path.open("wb")
        self.proc = subprocess.Popen(self.args, stdin=subprocess.DEVNULL, stdout=self._log,
                                     stderr=subprocess.STDOUT, cwd=_repo_root(),
                                     env=_child_env(), start_new_session=True)

    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def log_tail(self, size: int = 2000) -> str:
        try:
            return self.log_path.read_bytes()[-size:].decode("utf-8", "replace")
        except OSError:
            return ""

    def stop(self) -> int | None:
        proc = self.proc
        if proc is None:
            return None
        if proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(15)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(5)
        if self._log is not None:
            self._log.close()
            self._log = None
        return proc.returncode


def unlimited_site(folder: Path) -> Path:
    """The shipped site file with no per-device rate limit (policy.issue_burst = 0)."""
    from queue_server.config import default_site_path

    text = default_site_path().read_text(encoding="utf-8")
    path = folder / "site-unlimited.toml"
    text, found = re.subn(r"^issue_burst = .*$", "issue_burst = 0", text, count=1,
                          flags=re.MULTILINE)
    if not found:
        text = text.replace("\n[policy]\n", "\n[policy]\nissue_burst = 0\n", 1)
    path.write_text(text, encoding="utf-8")
    return path


def wait_ready(server: ServerProcess, client: QueueClient, timeout: float = READY_TIMEOUT_S,
               ) -> float:
    """Ping until the server answers; returns the seconds it took."""
    start = time.monotonic()
    while time.monotonic() - start < timeout:
        if not server.alive():
            raise RuntimeError(f"queue server exited early:\n{server.log_tail()}")
        try:
            client.request("ping", timeout=0.2, retries=0)
            return time.monotonic() - start
        except CommandError:
            continue
    raise RuntimeError(f"queue server did not answer within {timeout:.0f} s:\n"
                       f"{server.log_tail()}")


class CpuProbe:
    """CPU seconds (user + system) of some processes, from /proc; this process included."""

    def __init__(self, pids: dict[str, int | None]) -> None:
        self.pids = {name: pid for name, pid in pids.items() if pid}
        self.pids["bench"] = os.getpid()
        self._tick = os.sysconf("SC_CLK_TCK")

    def snapshot(self) -> dict[str, float]:
        out = {}
        for name, pid in self.pids.items():
            try:
                with open(f"/proc/{pid}/stat", encoding="ascii") as f:
                    fields = f.read().rsplit(")", 1)[1].split()
                out[name] = (int(fields[11]) + int(fields[12])) / self._tick
            except (OSError, IndexError, ValueError):
                continue
        return out

    @staticmethod
    def usage(before: dict[str, float], after: dict[str, float], wall_s: float,
              ) -> dict[str, float]:
        """Cores used by each process over the interval (1.0 = one core busy)."""
        return {name: round((after[name] - before[name]) / wall_s, 2)
                for name in after if name in before and wall_s > 0}


NO_PROBE = CpuProbe({})


# --------------------------------------------------------------------------- choices


def pick_services(cfg: SiteConfig, start_at: str, count: int = 4) -> list[str]:
    """Services open at `start_at`: those without a daily quota first, then one with a quota
    (raised by the supervisor before the run, which exercises service.set_quota)."""
    local = datetime.fromisoformat(start_at).replace(tzinfo=cfg.site.tz)
    open_ = [s for s in cfg.services if cfg.schedules[s.schedule].is_open(local)]
    free = [s.id for s in open_ if s.daily_quota is None]
    capped = [s.id for s in open_ if s.daily_quota is not None]
    chosen = free[: max(1, count - 1)] + capped[:1]
    return chosen[:count]


def pick_counters(cfg: SiteConfig, services: list[str], count: int) -> list[tuple[str, str]]:
    """(device, counter) pairs whose counter serves one of `services` first among the
    services that will have tickets (so every call finds someone)."""
    owner = {}
    for device in cfg.devices:
        if device.role == "counter":
            for counter in device.counters:
                owner.setdefault(counter, device.id)
    pairs = []
    for counter in cfg.counters:
        if counter.id in owner and any(s in services for s in counter.services):
            pairs.append((owner[counter.id], counter.id))
    return pairs[:count]


def raise_quotas(supervisor: QueueClient, cfg: SiteConfig, services: list[str],
                 needed: int) -> dict[str, int]:
    raised = {}
    for service in services:
        quota = cfg.service(service).daily_quota
        if quota is not None and quota < needed:
            new = min(100000, needed)
            supervisor.request("service.set_quota", {"service": service, "quota": new},
                               timeout=REPLY_TIMEOUT_S)
            raised[service] = new
    return raised


# --------------------------------------------------------------------------- tickets


@dataclass
class KioskResult:
    ok: list[tuple[str, int, str]] = field(default_factory=list)  # service, number, id
    errors: dict[str, int] = field(default_factory=dict)
    latencies_ns: list[int] = field(default_factory=list)
    resends: int = 0
    lost: int = 0
    last_ok_ns: int = 0


def _kiosk_loop(client: QueueClient, device: str, jobs: list[dict[str, Any]], window: int,
                go: threading.Event, out: KioskResult) -> None:
    """Keep up to `window` ticket.issue commands outstanding; replies come back in order,
    so wait on the oldest pending slot, then refill."""
    todo = iter(jobs)
    outstanding: deque[list[Any]] = deque()  # [cmd_id, pending, args, t0, tries]

    def fill() -> None:
        while len(outstanding) < window:
            args = next(todo, None)
            if args is None:
                return
            t0 = time.perf_counter_ns()
            cmd_id, pending = client.send("ticket.issue", args, device=device)
            outstanding.append([cmd_id, pending, args, t0, 1])

    go.wait()
    fill()
    while outstanding:
        item = outstanding[0]
        cmd_id, pending, args, t0, tries = item
        if not pending.done.wait(REPLY_TIMEOUT_S):
            if tries >= MAX_TRIES:
                outstanding.popleft()
                out.lost += 1
                fill()
                continue
            _, item[1] = client.send("ticket.issue", args, device=device, cmd_id=cmd_id)
            item[4] = tries + 1
            out.resends += 1
            continue
        now = time.perf_counter_ns()
        outstanding.popleft()
        reply = pending.reply or {}
        if reply.get("ok"):
            ticket = reply["result"]
            out.ok.append((ticket["service"], int(ticket["number"].rsplit("-", 1)[1]),
                           ticket["id"]))
            out.latencies_ns.append(now - t0)
            out.last_ok_ns = now
        else:
            code = (reply.get("error") or {}).get("code", "unknown")
            out.errors[code] = out.errors.get(code, 0) + 1
        fill()


def issue_tickets(broker: BrokerHandle, site: str, kiosks: list[str], services: list[str],
                  total: int, window: int, probe: CpuProbe = NO_PROBE) -> dict[str, Any]:
    """`total` ticket.issue commands spread over the kiosks and services."""
    cycle = itertools.cycle(services)
    jobs: dict[str, list[dict[str, Any]]] = {k: [] for k in kiosks}
    for i in range(total):
        args: dict[str, Any] = {"service": next(cycle)}
        if i % 10 == 9:
            args["priority"] = "elderly"  # about one citizen in ten goes first
        jobs[kiosks[i % len(kiosks)]].append(args)
    clients = [client(broker, site, k, "kiosk", follow_state=False).start() for k in kiosks]
    results = {k: KioskResult() for k in kiosks}
    go = threading.Event()
    threads = [threading.Thread(target=_kiosk_loop, name=f"bench-{k}",
                                args=(c, k, jobs[k], window, go, results[k]), daemon=True)
               for k, c in zip(kiosks, clients, strict=True)]
    try:
        for t in threads:
            t.start()
        time.sleep(0.05)
        start = time.perf_counter_ns()
        cpu0 = probe.snapshot()
        go.set()
        for t in threads:
            t.join()
        cpu1 = probe.snapshot()
        wall_s = (time.perf_counter_ns() - start) / 1e9
    finally:
        for c in clients:
            c.stop()
    ok = [row for r in results.values() for row in r.ok]
    last = max((r.last_ok_ns for r in results.values()), default=start)
    elapsed_s = max(1e-9, (last - start) / 1e9)
    errors: dict[str, int] = {}
    for r in results.values():
        for code, n in r.errors.items():
            errors[code] = errors.get(code, 0) + n
    numbers: dict[str, list[int]] = {s: [] for s in services}
    for service, number, _id in ok:
        numbers.setdefault(service, []).append(number)
    return {
        "tickets": len(ok),
        "elapsed_s": round(elapsed_s, 3),
        "tickets_per_s": round(len(ok) / elapsed_s, 1),
        "issue_reply_ms": summary_ms([x for r in results.values() for x in r.latencies_ns]),
        "errors": errors,
        "resends": sum(r.resends for r in results.values()),
        "lost": sum(r.lost for r in results.values()),
        "numbering": numbering_check(numbers),
        "cores_used": CpuProbe.usage(cpu0, cpu1, wall_s),
        "ids": [row[2] for row in ok],
    }


# --------------------------------------------------------------------------- calls


def call_loop(broker: BrokerHandle, site: str, pairs: list[tuple[str, str]], calls: int,
              warmup: int, probe: CpuProbe = NO_PROBE, blocks: int = 1,
              between: Callable[[int], None] | None = None) -> dict[str, Any]:
    """Counters call one at a time; a display subscribed to event/ticket timestamps the
    matching ticket.called event. The timed calls run in `blocks` blocks, with
    between(block) before each (bench.run measures its floors there); CPU use counts
    the call blocks only."""
    events: queue.SimpleQueue[tuple[str, int]] = queue.SimpleQueue()

    def on_event(event: dict[str, Any]) -> None:
        at = time.perf_counter_ns()
        if event.get("type") == "ticket.called":
            events.put(((event.get("ticket") or {}).get("id"), at))

    devices = sorted({d for d, _ in pairs})
    display = client(broker, site, "display-hall", "display", follow_state=False,
                     follow_events=True, on_event=on_event).start()
    # one connection per counter device: each publishes on its own cmd/ alone
    staff = {d: client(broker, site, d, "counter", follow_state=False).start()
             for d in devices}
    to_event: list[int] = []
    to_reply: list[int] = []
    seen: dict[str, int] = {}
    missing_events = empty = 0
    order = CallOrder()
    try:
        for device, counter in pairs:
            staff[device].request("counter.open", {"counter": counter},
                                  timeout=REPLY_TIMEOUT_S)
        live = list(pairs)
        i = 0
        per_block = -(-calls // max(1, blocks))
        starts: list[int] = []  # len(to_event) at the start of each block
        cpu_s: dict[str, float] = {}
        wall_ns = 0
        cpu0, start = probe.snapshot(), time.perf_counter_ns()
        while i < warmup + calls and live:
            if i >= warmup and (i - warmup) % per_block == 0 and between is not None:
                _add_usage(cpu_s, cpu0, probe.snapshot())
                wall_ns += time.perf_counter_ns() - start
                between((i - warmup) // per_block)
                starts.append(len(to_event))
                cpu0, start = probe.snapshot(), time.perf_counter_ns()
            device, counter = live[i % len(live)]
            t0 = time.perf_counter_ns()
            result = staff[device].request("counter.call_next", {"counter": counter},
                                           timeout=REPLY_TIMEOUT_S)
            t1 = time.perf_counter_ns()
            ticket = result.get("ticket")
            if ticket is None:
                live.remove((device, counter))
                empty += 1
                continue
            order.add(ticket)
            at = _await_event(events, seen, ticket["id"])
            if i >= warmup:
                to_reply.append(t1 - t0)
                if at is None:
                    missing_events += 1
                else:
                    to_event.append(at - t0)
            i += 1
        _add_usage(cpu_s, cpu0, probe.snapshot())
        wall_ns += time.perf_counter_ns() - start
        cores = CpuProbe.usage(dict.fromkeys(cpu_s, 0.0), cpu_s, wall_ns / 1e9)
    finally:
        for desk in staff.values():
            desk.stop()
        display.stop()
    return {"calls": len(to_reply), "counters": [c for _, c in pairs],
            "call_to_event_ms": {**summary_ms(to_event),
                                 **block_p99(to_event, [*starts[1:], len(to_event)])},
            "call_reply_ms": summary_ms(to_reply),
            "missing_events": missing_events, "counters_emptied": empty, "cores_used": cores,
            "regular_called_out_of_number_order": order.inversions,
            "regular_calls_checked": order.checked}


def _add_usage(total: dict[str, float], before: dict[str, float],
               after: dict[str, float]) -> None:
    for name, value in after.items():
        if name in before:
            total[name] = total.get(name, 0.0) + value - before[name]


class CallOrder:
    """Regular (non-priority, not transferred) tickets of one service should be called in
    number order: counts calls whose number is below one already called."""

    def __init__(self) -> None:
        self.highest: dict[str, int] = {}
        self.inversions = self.checked = 0

    def add(self, ticket: dict[str, Any]) -> None:
        if ticket.get("priority") or ticket.get("front") or ticket.get("transferred_from"):
            return
        number = int(str(ticket["number"]).rsplit("-", 1)[1])
        service = ticket["service"]
        self.checked += 1
        if number < self.highest.get(service, 0):
            self.inversions += 1
        else:
            self.highest[service] = number


def _await_event(events: queue.SimpleQueue[tuple[str, int]], seen: dict[str, int],
                 ticket_id: str, timeout: float = REPLY_TIMEOUT_S) -> int | None:
    deadline = time.monotonic() + timeout
    while ticket_id not in seen:
        left = deadline - time.monotonic()
        if left <= 0:
            return None
        try:
            tid, at = events.get(timeout=left)
        except queue.Empty:
            return None
        seen[tid] = at
    return seen.pop(ticket_id)


# --------------------------------------------------------------------------- database


def check_database(db_path: Path, services: list[str], acked_ids: list[str]) -> dict[str, Any]:
    """After the server stopped: numbering as stored, and every acknowledged ticket there."""
    conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    try:
        marks = ",".join("?" * len(services))
        rows = conn.execute(
            f"SELECT service, number, id FROM tickets WHERE number IS NOT NULL "
            f"AND service IN ({marks})", services).fetchall()
    finally:
        conn.close()
    numbers: dict[str, list[int]] = {s: [] for s in services}
    for service, number, _id in rows:
        numbers[service].append(number)
    stored = {row[2] for row in rows}
    check = numbering_check(numbers)
    return {"rows": len(rows), "duplicates": check["duplicates"], "gaps": check["gaps"],
            "acked_missing": sum(1 for i in acked_ids if i not in stored)}


# --------------------------------------------------------------------------- stages


class _NullOut:
    """An Outbound that only counts: the stages below leave MQTT out (the floors cover it)."""

    def __init__(self) -> None:
        self.messages = 0

    def publish(self, topic: str, payload: bytes, retain: bool = False) -> None:
        self.messages += 1

    def burst(self) -> contextlib.nullcontext[None]:
        return contextlib.nullcontext()


def engine_stages(db_dir: Path, cfg: SiteConfig, services: list[str],
                  pairs: list[tuple[str, str]], tickets: int, calls: int,
                  start_at: str = DEFAULT_START_AT) -> dict[str, Any]:
    """Where a `counter.call_next` spends its time inside the server: the real Engine on a
    real SQLite file (with its checkpointer), no MQTT. Each step of Engine.process is
    timed: apply (parse, check, handler), flush (the rows), commit (BEGIN..COMMIT around
    the flush, fsync included), events and states (built and handed to a null outbound).
    Also the WAL pages one call writes."""
    from queue_server.clock import Clock
    from queue_server.engine.core import Engine, Inbound
    from queue_server.store import repo
    from queue_server.store.db import Checkpointer, make_engine
    from queue_server.store.hall_store import HallStore

    path = db_dir / "stages.db"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    db = make_engine(f"sqlite:///{path}")
    out = _NullOut()
    eng = Engine(cfg, HallStore(cfg, db), Clock.starting_at(start_at, cfg.site.tz), out)
    eng.open()
    checkpointer = Checkpointer(db)
    checkpointer.start()
    ids = itertools.count()

    def command(device: str, op: str, args: dict[str, Any]) -> Inbound:
        return Inbound(device, json.dumps({"id": f"s{next(ids)}", "op": op,
                                           "args": args}).encode())

    samples: dict[str, list[int]] = {k: [] for k in
                                     ("apply", "flush", "commit", "events", "states", "total")}

    def timed(name: str, fn: Any) -> Any:
        def run(*a: Any, **k: Any) -> Any:
            t0 = time.perf_counter_ns()
            try:
                return fn(*a, **k)
            finally:
                samples[name].append(time.perf_counter_ns() - t0)
        return run

    flush = repo.flush
    try:
        for service in services:
            if cfg.service(service).daily_quota is not None:
                eng.process([command("supervisor-01", "service.set_quota",
                                     {"service": service, "quota": 100000})])
        kiosks = [d.id for d in cfg.devices if d.role == "kiosk"]
        batch = [command(kiosks[i % len(kiosks)], "ticket.issue",
                         {"service": services[i % len(services)]}) for i in range(tickets)]
        for i in range(0, len(batch), 64):  # about the batches the server sees under load
            eng.process(batch[i:i + 64])
        for device, counter in pairs:
            eng.process([command(device, "counter.open", {"counter": counter})])
        repo.flush = timed("flush", flush)  # type: ignore[assignment]
        for name, attr in (("apply", "_apply_all"), ("commit", "_commit"),
                           ("events", "_publish_events"), ("states", "_publish_changes")):
            setattr(eng, attr, timed(name, getattr(eng, attr)))
        warm = min(20, calls // 5)
        out.messages = 0
        for i in range(warm + calls):
            device, counter = pairs[i % len(pairs)]
            if i == warm:
                for values in samples.values():
                    values.clear()
                out.messages = 0
            t0 = time.perf_counter_ns()
            eng.process([command(device, "counter.call_next", {"counter": counter})])
            samples["total"].append(time.perf_counter_ns() - t0)
        commit_only = [c - f for c, f in zip(samples["commit"], samples["flush"], strict=True)]
        stages = {"apply": summary_ms(samples["apply"]), "flush": summary_ms(samples["flush"]),
                  "begin_commit": summary_ms(commit_only),
                  "events": summary_ms(samples["events"]),
                  "states": summary_ms(samples["states"]),
                  "total": summary_ms(samples["total"])}
        timed_calls, messages = len(samples["total"]), out.messages
        # the WAL pages of one call: fold the WAL back, then let calls append to it
        checkpointer.stop()
        eng.close()
        raw = sqlite3.connect(path)
        try:
            raw.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            page = 24 + raw.execute("PRAGMA page_size").fetchone()[0]
        finally:
            raw.close()
        wal = Path(f"{path}-wal")
        before = wal.stat().st_size if wal.exists() else 0
        probe = 50
        for i in range(probe):
            device, counter = pairs[i % len(pairs)]
            eng.process([command(device, "counter.call_next", {"counter": counter})])
        after = wal.stat().st_size if wal.exists() else 0
    finally:
        repo.flush = flush  # type: ignore[assignment]
        checkpointer.stop()
        eng.close()
        db.dispose()
    return {
        "calls": timed_calls,
        "stages_ms": stages,
        "messages_per_call": round(messages / max(1, timed_calls), 2),
        "wal_pages_per_call": round(max(0, after - before) / page / probe, 2),
    }
