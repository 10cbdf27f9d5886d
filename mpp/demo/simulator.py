"""A simulated hall: kiosks issuing tickets, counters calling and serving, on hall time.

One scheduler thread runs everything from a heap of due actions (hall time). Commands go to
a small pool of worker threads (QueueClient.request: retries with the same id); each answer
comes back to the scheduler thread, so all simulation state is touched by one thread only.
"""

from __future__ import annotations

import datetime as dt
import heapq
import itertools
import logging
import math
import random
import threading
import time
from collections import Counter as Tally
from collections import deque
from collections.abc import Callable, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from mpp.demo import day as dayplan
from queue_server.clock import Clock
from queue_server.config import SiteConfig
from queue_server.protocol.client import CommandError, QueueClient
from queue_server.protocol.ops import IKM_ELEMENTS, IKM_SCORES, PRIORITY_KINDS

log = logging.getLogger("mpp.demo")

PRIORITY_SHARE = 0.10
PRIORITY_WEIGHTS = {"elderly": 0.55, "pregnant": 0.2, "disabled": 0.15, "child": 0.10}
ENGLISH_SHARE = 0.1
NO_SHOW_SHARE = 0.05
TRANSFER_SHARE = 0.02
FEEDBACK_SHARE = 0.3  # citizens who answer the satisfaction survey
APPOINTMENT_SHARE = 0.06  # of services taking 10 minutes or more
APPOINTMENT_SKIP = 0.1  # booked but never came
IDLE_POLL_S = 300.0  # an idle officer glances at the queue every 5 hall minutes


class HallClock(Clock):
    """The server's clock for the demo: stands at the opening scene (07:50) until run()
    is called once everything is connected, then runs `speed` times faster than real
    time, so a slow start (a broker that answers MQTT 5 slowly) costs no hall minutes."""

    def __init__(self, start: float, speed: float) -> None:
        super().__init__(speed=speed)
        self.start, self.speed = start, speed
        self._real0: float | None = None

    def run(self) -> None:
        if self._real0 is None:
            self._real0 = time.time()

    def now(self) -> float:
        if self._real0 is None:
            return self.start
        return self.start + (time.time() - self._real0) * self.speed


@dataclass
class Stats:
    """The simulator's own tallies (the summary shows them next to the retained state)."""

    issued: int = 0
    checkins: int = 0
    served: int = 0
    no_shows: int = 0
    transfers: int = 0
    recalls: int = 0
    refused_closed: int = 0
    refused_quota: int = 0
    commands: int = 0
    errors: Tally[str] = field(default_factory=Tally)
    day: str = ""
    day_over: bool = False
    lag_s: float = 0.0  # how late (real seconds) the last due action ran: > 1 s = overloaded
    in_flight: int = 0  # commands sent and not answered yet
    round_trip_s: float = 0.0  # recent command round trip, queueing included (real seconds)

    def copy(self) -> Stats:
        return Stats(**{**self.__dict__, "errors": Tally(self.errors)})


@dataclass(frozen=True)
class Reply:
    ok: bool
    result: dict[str, Any]
    code: str = ""
    message: str = ""
    took_s: float = 0.0  # real seconds from queueing the command to its answer


class Scheduler:
    """A heap of (hall time, action) run by one thread; other threads hand it work with
    post(). Waits are real seconds: (due - clock.now()) / speed."""

    def __init__(self, clock: Clock, speed: float) -> None:
        self.clock, self.speed = clock, speed
        self.lag_s = 0.0
        self._heap: list[tuple[float, int, Callable[[], None]]] = []
        self._seq = itertools.count()
        self._inbox: deque[Callable[[], None]] = deque()
        self._wake = threading.Event()
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._run, name="demo-scheduler", daemon=True)

    def at(self, due: float, action: Callable[[], None]) -> None:
        """Schedule `action` at hall time `due` (scheduler thread only)."""
        heapq.heappush(self._heap, (due, next(self._seq), action))

    def post(self, action: Callable[[], None]) -> None:
        """Run `action` on the scheduler thread as soon as possible (any thread)."""
        self._inbox.append(action)
        self._wake.set()

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stopping.set()
        self._wake.set()
        if self._thread.is_alive() and threading.current_thread() is not self._thread:
            self._thread.join(10.0)

    @property
    def stopping(self) -> bool:
        return self._stopping.is_set()

    def _run(self) -> None:
        while not self._stopping.is_set():
            self._wake.clear()
            while self._inbox and not self._stopping.is_set():
                self._safely(self._inbox.popleft())
            while self._heap and self._heap[0][0] <= (now := self.clock.now()):
                if self._stopping.is_set():
                    return
                due, _, action = heapq.heappop(self._heap)
                self.lag_s = (now - due) / self.speed
                self._safely(action)
            timeout = 0.5
            if self._heap:
                timeout = min(timeout, (self._heap[0][0] - self.clock.now()) / self.speed)
            self._wake.wait(max(0.0, timeout))

    @staticmethod
    def _safely(action: Callable[[], None]) -> None:
        try:
            action()
        except Exception:
            log.exception("demo simulator action failed")


@dataclass
class CounterSim:
    id: str
    device: str
    services: tuple[str, ...]
    agency: str
    status: str = "closed"  # closed | open | paused | done (closed for the day)
    busy: bool = False  # a command is in flight
    idle_since: float | None = None  # open and nothing to call
    ticket: dict[str, Any] | None = None
    token: int = 0
    sent_at: float = 0.0  # hall time the last command was sent
    breaks: list[tuple[float, float, str]] = field(default_factory=list)
    close_at: float = math.inf

    def break_now(self, now: float) -> tuple[float, float, str] | None:
        return next((b for b in self.breaks if b[0] <= now < b[1]), None)


class HallSimulator:
    """Drives the hall through kiosk and counter devices of the site configuration, each
    through its own client in `clients` (device id -> QueueClient): with the broker's ACL
    a device publishes on its own `cmd/` only, under its own account."""

    def __init__(self, cfg: SiteConfig, clock: Clock, speed: float,
                 clients: Mapping[str, QueueClient], *, kiosk_devices: list[str],
                 counter_devices: dict[str, str], supervisor: str | None = None,
                 workers: int = 4, seed: int | None = None) -> None:
        self.cfg, self.clock, self.speed = cfg, clock, speed
        self.tz = cfg.site.tz
        self.clients = clients
        self.kiosk_devices, self.supervisor = kiosk_devices, supervisor
        self.rng = random.Random(seed)
        self.stats = Stats()
        self.sched = Scheduler(clock, speed)
        self._pool = ThreadPoolExecutor(workers, thread_name_prefix="demo-cmd")
        self._tokens = itertools.count(1)
        self.counters = {
            c.id: CounterSim(c.id, counter_devices[c.id], c.services, c.agency)
            for c in cfg.counters if c.id in counter_devices
        }
        self._by_service: dict[str, list[CounterSim]] = {s.id: [] for s in cfg.services}
        for sim in self.counters.values():
            for sid in sim.services:
                self._by_service[sid].append(sim)

    # -- life ---------------------------------------------------------------------------

    def start(self, day: dt.date) -> None:
        self.sched.at(self.clock.now(), lambda: self._plan_day(day))
        self.sched.start()

    def stop(self) -> None:
        """Idempotent; waits for commands in flight (each at most one request timeout)."""
        self.sched.stop()
        self._pool.shutdown(wait=True, cancel_futures=True)

    def snapshot(self) -> Stats:
        self.stats.lag_s = self.sched.lag_s
        return self.stats.copy()

    # -- time -----------------------------------------------------------------------------

    def _epoch(self, day: dt.date, minute: float) -> float:
        midnight = dt.datetime.combine(day, dt.time(0), self.tz)
        return midnight.timestamp() + minute * 60

    def _minute(self, ts: float) -> float:
        local = dt.datetime.fromtimestamp(ts, self.tz)
        return local.hour * 60 + local.minute + local.second / 60 + local.microsecond / 6e7

    # -- commands -------------------------------------------------------------------------

    def _send(self, op: str, args: dict[str, Any], device: str,
              then: Callable[[Reply], None]) -> None:
        """Request on a worker thread; `then(reply)` runs later on the scheduler thread."""
        if self.sched.stopping:
            return
        queued = time.monotonic()

        def work() -> Reply:
            try:
                result = self.clients[device].request(op, args, timeout=6.0)
                return Reply(True, result, took_s=time.monotonic() - queued)
            except CommandError as err:
                return Reply(False, {}, str(err.code), err.message, time.monotonic() - queued)

        def done(fut: Future[Reply]) -> None:
            if fut.cancelled():
                return
            reply = fut.result() if fut.exception() is None else Reply(
                False, {}, "client_error", str(fut.exception()))
            self.sched.post(lambda: self._settle(reply, then))

        self.stats.commands += 1
        self.stats.in_flight += 1
        try:
            self._pool.submit(work).add_done_callback(done)
        except RuntimeError:  # pool shut down: we are stopping
            pass

    def _settle(self, reply: Reply, then: Callable[[Reply], None]) -> None:
        self.stats.in_flight -= 1
        self.stats.round_trip_s += (reply.took_s - self.stats.round_trip_s) * 0.05
        if not reply.ok and reply.code not in ("service_closed", "quota_full"):
            self.stats.errors[reply.code] += 1
            log.debug("demo command refused: %s %s", reply.code, reply.message)
        then(reply)

    # -- the day ---------------------------------------------------------------------------

    def _plan_day(self, day: dt.date) -> None:
        now = self.clock.now()
        self.stats.day, self.stats.day_over = day.isoformat(), False
        rng = self.rng
        for c in self.counters.values():
            c.status, c.ticket, c.idle_since = "closed", None, None
        last_close = now
        for plan in dayplan.counter_plans(self.cfg, day):
            c = self.counters.get(plan.counter)
            if c is None:
                continue
            c.breaks = [(self._epoch(day, a + rng.uniform(0, 3)),
                         self._epoch(day, b - rng.uniform(0, 4)), why)
                        for a, b, why in plan.breaks]
            c.close_at = self._epoch(day, plan.close_at + rng.uniform(0, 3))
            last_close = max(last_close, c.close_at)
            opening = max(now, self._epoch(day, plan.open_at + rng.uniform(-2, 6)))
            self._go(c, opening, self._open)
            for start, _end, _why in c.breaks:
                self.sched.at(start, lambda c=c: self._poke(c))
            self.sched.at(c.close_at, lambda c=c: self._poke(c))
        day_end = self._epoch(day, 17 * 60)
        for demand in dayplan.demands(self.cfg, day):
            first = max(now, self._epoch(day, dayplan.DAY_SHAPE[0][0]))
            self.sched.at(first, lambda d=demand, t=first: self._arrival(d, t, day_end))
            self._book_appointments(day, demand)
        self.sched.at(max(day_end, last_close) + 3600, lambda: self._end_day(day))

    def _end_day(self, day: dt.date) -> None:
        self.stats.day_over = True
        nxt = dayplan.next_open_date(self.cfg, day)
        if nxt is not None:
            self.sched.at(self._epoch(nxt, 7 * 60), lambda: self._plan_day(nxt))

    # -- citizens -------------------------------------------------------------------------

    def _arrival(self, demand: dayplan.Demand, t: float, day_end: float) -> None:
        """Non-homogeneous Poisson arrivals by thinning: candidates at the peak rate,
        each kept with probability rate(t) / peak (t: the hall time it was due)."""
        peak = demand.peak
        if peak <= 0:
            return
        if self.rng.random() < demand.rate(self._minute(t)) / peak:
            self._issue(demand.service)
        nxt = t + self.rng.expovariate(peak / 60.0)
        if nxt < day_end:
            self.sched.at(nxt, lambda: self._arrival(demand, nxt, day_end))

    def _issue(self, service: str) -> None:
        args: dict[str, Any] = {"service": service,
                                "lang": "en" if self.rng.random() < ENGLISH_SHARE else "id"}
        if self.rng.random() < PRIORITY_SHARE:
            kinds = [k for k in PRIORITY_KINDS if k in PRIORITY_WEIGHTS]
            args["priority"] = self.rng.choices(
                kinds, weights=[PRIORITY_WEIGHTS[k] for k in kinds])[0]
        self._send("ticket.issue", args, self.rng.choice(self.kiosk_devices),
                   lambda r: self._issued(service, r))

    def _issued(self, service: str, reply: Reply, checkin: bool = False) -> None:
        if reply.ok:
            self.stats.issued += 1
            self.stats.checkins += int(checkin)
            self._wake(service)
        elif reply.code == "service_closed":
            self.stats.refused_closed += 1
        elif reply.code == "quota_full":
            self.stats.refused_quota += 1

    def _book_appointments(self, day: dt.date, demand: dayplan.Demand) -> None:
        """A few citizens booked online; they check in at a kiosk shortly before the slot."""
        svc = self.cfg.service(demand.service)
        if self.supervisor is None or svc.avg_service_min < 10:
            return
        now = self.clock.now()
        slots = [m for a, b in demand.open_spans for m in range(int(a), int(b) - 30, 15)
                 if self._epoch(day, m) > now + 1200]
        count = min(len(slots), round(demand.volume * APPOINTMENT_SHARE))
        for i, minute in enumerate(sorted(self.rng.sample(slots, count))):
            code = f"demo-{day:%Y%m%d}-{svc.prefix}{i + 1:03d}"
            slot = f"{day.isoformat()}T{minute // 60:02d}:{minute % 60:02d}"
            self._send("appointment.add",
                       {"code": code, "service": svc.id, "slot": slot},
                       self.supervisor, lambda r, c=code, m=minute: self._booked(day, c, m, r))

    def _booked(self, day: dt.date, code: str, minute: float, reply: Reply) -> None:
        if not reply.ok or self.rng.random() < APPOINTMENT_SKIP:
            return
        at = self._epoch(day, minute - self.rng.uniform(0, 15))
        service = reply.result.get("service", "")
        self.sched.at(at, lambda: self._send(
            "appointment.checkin", {"code": code},
            self.rng.choice(self.kiosk_devices), lambda r: self._issued(service, r, True)))

    # -- counters -------------------------------------------------------------------------

    def _go(self, c: CounterSim, due: float, step: Callable[[CounterSim], None]) -> None:
        """Make `step` the counter's next move (replacing any earlier plan)."""
        c.token = token = next(self._tokens)

        def run() -> None:
            if c.token == token and not c.busy:
                step(c)

        self.sched.at(due, run)

    def _after(self, c: CounterSim, hall_s: float, step: Callable[[CounterSim], None]) -> None:
        """`step` `hall_s` after the counter's last command was sent: the reply's round trip
        does not stretch the officer's day, even at high speeds."""
        self._go(c, (c.sent_at or self.clock.now()) + hall_s, step)

    def _cmd(self, c: CounterSim, op: str, then: Callable[[Reply], None],
             **args: Any) -> None:
        c.busy, c.sent_at = True, self.clock.now()

        def settle(reply: Reply) -> None:
            c.busy = False
            then(reply)

        self._send(op, {"counter": c.id, **args}, c.device, settle)

    def _wake(self, service: str) -> None:
        """A new ticket: the officer idle the longest notices it after a few seconds."""
        idle = [c for c in self._by_service.get(service, ())
                if c.status == "open" and c.idle_since is not None and not c.busy]
        if idle:
            c = min(idle, key=lambda x: x.idle_since or 0.0)
            c.idle_since = None
            self._go(c, self.clock.now() + self.rng.uniform(5, 20), self._call)

    def _poke(self, c: CounterSim) -> None:
        """Break or closing time: an idle counter acts on it now."""
        if c.status == "open" and c.idle_since is not None and not c.busy:
            self._go(c, self.clock.now(), self._call)

    def _retry_later(self, c: CounterSim, reply: Reply) -> None:
        """An unexpected refusal: forget what we thought and look again in a minute."""
        if reply.code in ("counter_closed", "counter_paused"):
            c.status = "closed"
            self._after(c, 60, self._open)
            return
        c.ticket = None
        self._after(c, 60, self._call)

    def _open(self, c: CounterSim) -> None:
        if c.status == "done" or self.clock.now() >= c.close_at:
            c.status = "done"
            return

        def opened(r: Reply) -> None:
            if not r.ok:
                self._after(c, 60, self._open)
                return
            c.status, c.idle_since = "open", None
            self._after(c, self.rng.uniform(0, 30), self._call)

        self._cmd(c, "counter.open", opened)

    def _call(self, c: CounterSim) -> None:
        if c.status != "open":
            return
        now = self.clock.now()
        brk = c.break_now(now)
        if brk is not None:
            self._cmd(c, "counter.pause", lambda r: self._paused(c, brk, r), reason=brk[2])
            return
        self._cmd(c, "counter.call_next", lambda r: self._called(c, r))

    def _paused(self, c: CounterSim, brk: tuple[float, float, str], r: Reply) -> None:
        if not r.ok:
            self._retry_later(c, r)
            return
        c.status, c.idle_since = "paused", None
        self._go(c, brk[1], self._open)

    def _called(self, c: CounterSim, r: Reply) -> None:
        if not r.ok:
            self._retry_later(c, r)
            return
        c.ticket = r.result.get("ticket")
        now = self.clock.now()
        if c.ticket is None:
            if now >= c.close_at:
                self._cmd(c, "counter.close", lambda _r: setattr(c, "status", "done"))
                return
            c.idle_since = now
            self._after(c, IDLE_POLL_S, self._call)
            return
        c.idle_since = None
        if self.rng.random() < NO_SHOW_SHARE:
            self._after(c, self.rng.uniform(40, 80), self._recall)
        else:
            self._after(c, self.rng.lognormvariate(math.log(45), 0.4), self._start)

    def _recall(self, c: CounterSim) -> None:
        def recalled(r: Reply) -> None:
            if not r.ok:
                self._retry_later(c, r)
                return
            self.stats.recalls += 1
            self._after(c, self.rng.uniform(40, 80), self._no_show)

        self._cmd(c, "counter.recall", recalled)

    def _no_show(self, c: CounterSim) -> None:
        def gone(r: Reply) -> None:
            if not r.ok:
                self._retry_later(c, r)
                return
            self.stats.no_shows += 1
            c.ticket = None
            self._after(c, self.rng.uniform(3, 10), self._call)

        self._cmd(c, "counter.no_show", gone)

    def _start(self, c: CounterSim) -> None:
        service = (c.ticket or {}).get("service", c.services[0])
        mean_s = self.cfg.service(service).avg_service_min * 60
        sigma = 0.5
        duration = self.rng.lognormvariate(math.log(mean_s) - sigma**2 / 2, sigma)

        def started(r: Reply) -> None:
            if not r.ok:
                self._retry_later(c, r)
                return
            self._after(c, max(30.0, duration), self._finish)

        self._cmd(c, "counter.start", started)

    def _finish(self, c: CounterSim) -> None:
        service = (c.ticket or {}).get("service", "")
        now_local = dt.datetime.fromtimestamp(self.clock.now(), self.tz)
        targets = [s.id for s in self.cfg.services_of_agency(c.agency)
                   if s.id != service and self.cfg.is_service_open(s.id, now_local)]
        if targets and self.rng.random() < TRANSFER_SHARE:
            target = self.rng.choice(targets)

            def moved(r: Reply) -> None:
                self._next_citizen(c, r, "transfers")
                if r.ok:
                    self._wake(target)

            self._cmd(c, "counter.transfer", moved, service=target)
            return
        def completed(r: Reply) -> None:
            if r.ok and self.rng.random() < FEEDBACK_SHARE:
                self._rate(c, r.result.get("ticket", {}).get("id"))
            self._next_citizen(c, r, "served")

        self._cmd(c, "counter.complete", completed)

    def _rate(self, c: CounterSim, ticket: Any) -> None:
        """A citizen answers the satisfaction survey (IKM): mostly good, sometimes not."""
        if not isinstance(ticket, str):
            return
        scores = {e: self.rng.choices(IKM_SCORES, weights=(1, 3, 12, 8))[0]
                  for e in IKM_ELEMENTS}
        self._send("feedback.submit", {"ticket": ticket, "scores": scores}, c.device,
                   lambda _r: None)

    def _next_citizen(self, c: CounterSim, r: Reply, tally: str) -> None:
        if not r.ok:
            self._retry_later(c, r)
            return
        setattr(self.stats, tally, getattr(self.stats, tally) + 1)
        c.ticket = None
        self._after(c, self.rng.uniform(5, 30), self._call)
