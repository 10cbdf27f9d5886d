"""The demo's console: a live one-screen view (ANSI, no curses) or one line every few seconds.

It shows what a display would see, the QueueClient's retained state (queues, counters,
calls), next to the simulator's own tallies. Rendering is pure (Snapshot -> lines)."""

from __future__ import annotations

import datetime as dt
import logging
import shutil
import sys
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TextIO

from mpp.demo.simulator import Stats
from queue_server.config import SiteConfig

WIDTH = 100
QUEUE_ROWS = 12
CALL_ROWS = 4  # two columns: 8 calls
COUNTER_COLUMNS = 4
COUNTER_CELL = 25

ALT_SCREEN_ON, ALT_SCREEN_OFF = "\x1b[?1049h\x1b[?25l", "\x1b[?25h\x1b[?1049l"
CLEAR, HOME, ERASE_LINE, ERASE_BELOW = "\x1b[2J", "\x1b[H", "\x1b[K", "\x1b[J"


@dataclass(frozen=True)
class Snapshot:
    """Everything one frame needs, taken at one moment."""

    cfg: SiteConfig
    hall_time: dt.datetime
    speed: float
    broker: str
    db: str
    elapsed_s: float
    stats: Stats
    state: dict[str, Any]
    notes: tuple[str, ...] = ()

    def queues(self) -> list[dict[str, Any]]:
        return [v for k, v in self.state.items() if k.startswith("queue/") and isinstance(v, dict)]

    def counters(self) -> dict[str, dict[str, Any]]:
        return {k[len("counter/"):]: v for k, v in self.state.items()
                if k.startswith("counter/") and isinstance(v, dict)}

    def calls(self) -> list[dict[str, Any]]:
        calls = self.state.get("calls")
        return list(calls) if isinstance(calls, list) else []

    def waiting(self) -> int:
        return sum(int(q.get("waiting") or 0) for q in self.queues())

    def open_counters(self) -> int:
        return sum(1 for c in self.counters().values() if c.get("status") == "open")


# --------------------------------------------------------------------------- formatting


def duration(seconds: float | None) -> str:
    """Compact hall duration: '-', '45s', '18m', '1h05m'."""
    if not seconds:
        return "-"
    s = int(seconds)
    if s < 60:
        return f"{s}s"
    if s < 3600:
        return f"{s // 60}m"
    return f"{s // 3600}h{s % 3600 // 60:02d}m"


def _clock(iso: str | None) -> str:
    """'2026-11-30T09:12:10.123+08:00' -> '09:12:10'."""
    return iso[11:19] if iso and len(iso) >= 19 else "--:--:--"


def _call_text(call: dict[str, Any]) -> str:
    where = call.get("counter_name") or call.get("counter") or "?"
    recall = " (recall)" if call.get("recall_count") else ""
    return f"{call.get('number', '?')} -> {where}{recall}"


def _last_call(snap: Snapshot) -> str:
    calls = snap.calls()
    return _call_text(calls[0]) if calls else "none yet"


def _counter_cell(number: int, view: dict[str, Any] | None) -> str:
    label = f"L{number:02d}"
    if not view:
        return f"{label} ?"
    status = view.get("status", "?")
    ticket = view.get("ticket") or {}
    if status == "open" and ticket:
        what = ticket.get("status", "")
        if what == "called" and ticket.get("recalls"):
            what = "recall"
        return f"{label} {ticket.get('number', '?'):<6} {what}"
    if status == "open":
        return f"{label} idle (kosong)"
    if status == "paused":
        return f"{label} paused ({view.get('reason') or 'break'})"
    return f"{label} {status}"


def _queue_state(q: dict[str, Any]) -> str:
    if q.get("open"):
        return "open (buka)"
    return f"closed: {q.get('closed_reason') or '?'}"


# --------------------------------------------------------------------------- frames


def render(snap: Snapshot, width: int = WIDTH) -> list[str]:
    """The full-screen view, about 36 lines of at most `width` characters."""
    st = snap.stats
    t = snap.hall_time
    day_note = "  hall closed for the day" if st.day_over else ""
    counters_total = len(snap.cfg.counters)
    lines = [
        _two_sides(f"MPP demo - {snap.cfg.site.name}",
                   f"hall clock {t:%a %d %b %Y %H:%M:%S} (x{snap.speed:g})", width),
        (f"broker {snap.broker} | db {snap.db} | running {duration(snap.elapsed_s)}"
        f" | Ctrl-C to stop{day_note}"),
        "",
        (f"Issued (tiket) {st.issued} ({st.checkins} appointments) | Served (selesai) "
         f"{st.served} | No-shows {st.no_shows} | Transfers {st.transfers}"),
        (f"Waiting (menunggu) {snap.waiting()} | Counters open (loket buka) "
         f"{snap.open_counters()}/{counters_total} | Kiosk refusals: closed "
         f"{st.refused_closed}, quota full {st.refused_quota}"),
        (f"Commands sent {st.commands}, in flight {st.in_flight}, round trip "
         f"{st.round_trip_s * 1000:.0f} ms | lag {st.lag_s:.1f} s"
         f"{' BEHIND: lower --speed' if behind(snap) else ''} | errors "
         f"{', '.join(f'{k} {v}' for k, v in sorted(st.errors.items())) or 'none'}"),
        "",
        *_queue_table(snap),
        "",
        *_counter_grid(snap),
        "",
        *_calls(snap),
    ]
    if snap.notes:
        lines += [f"log: {n}" for n in snap.notes]
    return [line[:width] for line in lines]


def _two_sides(left: str, right: str, width: int) -> str:
    gap = max(1, width - len(left) - len(right))
    return left + " " * gap + right


def _queue_table(snap: Snapshot) -> list[str]:
    queues = snap.queues()
    busiest = sorted(queues, key=lambda q: (-int(q.get("waiting") or 0),
                                            -int(q.get("issued_today") or 0),
                                            str(q.get("service"))))[:QUEUE_ROWS]
    rows = [f"QUEUES (antrean): busiest {len(busiest)} of {len(snap.cfg.services)} services",
            (f"{'service':<18}{'pfx':<5}{'waiting':>8}{'longest':>9}{'est.wait':>10}"
            f"{'issued/quota':>14}{'counters':>10}  state")]
    for q in busiest:
        try:
            prefix = snap.cfg.service(str(q.get("service"))).prefix
        except KeyError:
            prefix = "?"
        quota = q.get("quota")
        issued = f"{q.get('issued_today', 0)}/{quota if quota else '-'}"
        rows.append(
            f"{str(q.get('service'))[:17]:<18}{prefix:<5}{q.get('waiting', 0):>8}"
            f"{duration(q.get('longest_wait_s')):>9}{duration(q.get('est_wait_s')):>10}"
            f"{issued:>14}{q.get('open_counters', 0):>10}  {_queue_state(q)}")
    if not busiest:
        rows.append("(no queue state yet)")
    return rows


def _counter_grid(snap: Snapshot) -> list[str]:
    views = snap.counters()
    cells = [_counter_cell(c.number, views.get(c.id)) for c in
             sorted(snap.cfg.counters, key=lambda c: c.number)]
    per_col = -(-len(cells) // COUNTER_COLUMNS)
    rows = ["COUNTERS (loket)"]
    for r in range(per_col):
        row = [cells[col * per_col + r] for col in range(COUNTER_COLUMNS)
               if col * per_col + r < len(cells)]
        rows.append("".join(f"{cell[:COUNTER_CELL - 1]:<{COUNTER_CELL}}" for cell in row)
                    .rstrip())
    return rows


def _calls(snap: Snapshot) -> list[str]:
    calls = snap.calls()[:CALL_ROWS * 2]
    rows = ["LATEST CALLS (panggilan terakhir)"]
    texts = [f"{_clock(c.get('at'))}  {_call_text(c)}" for c in calls]
    for r in range(CALL_ROWS):
        pair = [texts[i] for i in (r, r + CALL_ROWS) if i < len(texts)]
        if pair:
            rows.append("".join(f"{p:<50}" for p in pair).rstrip())
    if not calls:
        rows.append("(no calls yet)")
    return rows


def plain_line(snap: Snapshot) -> str:
    st = snap.stats
    return (f"[{snap.hall_time:%H:%M}] issued {st.issued} served {st.served} "
            f"waiting {snap.waiting()} open counters {snap.open_counters()}/"
            f"{len(snap.cfg.counters)} last call {_last_call(snap)}"
            + (" (simulator behind)" if behind(snap) else "")
            + "".join(f" | {note}" for note in snap.notes))


def behind(snap: Snapshot) -> bool:
    """The simulation cannot keep up: actions run late, or each command's round trip
    costs over a hall minute (lower --speed)."""
    st = snap.stats
    return st.lag_s >= 2.0 or st.round_trip_s * snap.speed >= 60.0


def final_lines(snap: Snapshot) -> list[str]:
    """The closing summary: three lines under 100 characters."""
    st = snap.stats
    errors = ", ".join(f"{k} {v}" for k, v in sorted(st.errors.items())) or "none"
    return [
        (f"final summary [{snap.hall_time:%a %Y-%m-%d %H:%M}]: issued {st.issued} served "
         f"{st.served} waiting {snap.waiting()} no-shows {st.no_shows}"),
        (f"  transfers {st.transfers}, appointments {st.checkins}, counters open "
         f"{snap.open_counters()}/{len(snap.cfg.counters)}, kiosk refusals: closed "
         f"{st.refused_closed} quota full {st.refused_quota}"),
        f"  command errors: {errors}; last call {_last_call(snap)}",
    ]


# --------------------------------------------------------------------------- the reporter


class LogTail(logging.Handler):
    """Keeps the last few warnings for the live screen (stderr would tear it)."""

    def __init__(self, keep: int = 2) -> None:
        super().__init__(logging.WARNING)
        self.lines: deque[str] = deque(maxlen=keep)
        self.setFormatter(logging.Formatter("%(levelname)s %(name)s %(message)s"))

    def emit(self, record: logging.LogRecord) -> None:
        try:
            self.lines.append(self.format(record).splitlines()[0])
        except Exception:
            self.handleError(record)


class Reporter:
    """Redraws the live screen every second (a TTY), or prints a line every 5 s."""

    def __init__(self, take: Callable[[tuple[str, ...]], Snapshot], *, live: bool,
                 out: TextIO | None = None) -> None:
        self._take, self.live = take, live
        self.out = out or sys.stdout
        self.interval = 1.0 if live else 5.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="demo-summary", daemon=True)
        self._tail = LogTail()
        self._saved_handlers: list[logging.Handler] = []

    def start(self) -> None:
        if self.live:
            root = logging.getLogger()
            self._saved_handlers = list(root.handlers)
            for h in self._saved_handlers:
                root.removeHandler(h)
            root.addHandler(self._tail)
            self.out.write(ALT_SCREEN_ON + CLEAR)
            self.out.flush()
        self._thread.start()

    def stop(self) -> None:
        """Idempotent: restores the terminal and the log handlers once."""
        if self._stop.is_set():
            return
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(5.0)
        if self.live:
            self.out.write(ALT_SCREEN_OFF)
            self.out.flush()
            root = logging.getLogger()
            root.removeHandler(self._tail)
            for h in self._saved_handlers:
                root.addHandler(h)
            for line in self._tail.lines:
                print(f"(logged during the demo) {line}", file=sys.stderr)

    def _run(self) -> None:
        next_at = time.monotonic() + (0.0 if self.live else self.interval)
        while not self._stop.wait(max(0.0, next_at - time.monotonic())):
            next_at += self.interval
            try:
                self.draw()
            except Exception:  # a bad frame must not end the demo
                logging.getLogger("mpp.demo").exception("summary failed")

    def draw(self) -> None:
        snap = self._take(tuple(self._tail.lines))
        if not self.live:
            print(plain_line(snap), file=self.out, flush=True)
            return
        size = shutil.get_terminal_size((WIDTH, 40))
        lines = render(snap, min(size.columns, 200))[: max(1, size.lines - 1)]
        self.out.write(HOME + "".join(line + ERASE_LINE + "\n" for line in lines) + ERASE_BELOW)
        self.out.flush()
