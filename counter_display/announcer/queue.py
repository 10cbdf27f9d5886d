"""Per-zone announcement queue: in order, never dropped, never overlapping.

One worker thread renders each call and hands the Audio to a Sink, whose ``play`` blocks
until the sound is done; so two announcements never overlap in one zone.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import OrderedDict, deque
from collections.abc import Callable, Mapping
from typing import Any

from drivers.audio import Sink

from .phrases import AnnounceStyle, Call, build_tokens
from .render import render_call
from .voices import Voice, VoiceError

log = logging.getLogger(__name__)

Hook = Callable[[Call, float], None]


class Announcer:
    """Announcement queue of one zone.

    ``submit`` is thread-safe and never blocks on audio; it returns False for a duplicate
    (same ticket id and recall count already accepted: retained/queued MQTT may deliver an
    event twice). A recall has a new recall count, so it is announced again.

    Hooks (called on the worker thread; keep them quick; ``at`` is ``clock()``, by default
    ``time.time()`` so a benchmark can compare with the press time of another process):
    on_started(call, at) just before the sink starts (the chime's first sample),
    on_finished(call, at) when the sink returns, on_error(call, exc) when rendering or
    playing failed. A voice failure still plays the chime (the screen shows the number).
    """

    def __init__(self, voice: Voice | None, sink: Sink, style: AnnounceStyle | None = None, *,
                 zone: str = "hall", warn_above: int = 50, remember: int = 10_000,
                 counters: Mapping[str, int | tuple[int, str | None]] | None = None,
                 on_started: Hook | None = None, on_finished: Hook | None = None,
                 on_error: Callable[[Call, BaseException], None] | None = None,
                 clock: Callable[[], float] = time.time) -> None:
        self.voice = voice
        self.sink = sink
        self.style = style or AnnounceStyle()
        self.zone = zone
        self.warn_above = warn_above
        self.counters = dict(counters or {})
        self.on_started = on_started
        self.on_finished = on_finished
        self.on_error = on_error
        self.clock = clock
        self._remember = remember
        self._seen: OrderedDict[tuple[str, int, int], None] = OrderedDict()
        self._queue: deque[Call] = deque()
        self._cond = threading.Condition()
        self._busy = False
        self._stopping = False
        self._thread: threading.Thread | None = None
        self._warned = False
        self.announced = 0
        self.errors = 0

    # -- control ----------------------------------------------------------------------

    def start(self) -> Announcer:
        with self._cond:
            if self._thread is not None:
                raise RuntimeError("announcer already started")
            self._stopping = False
            self._thread = threading.Thread(target=self._run, name=f"announcer-{self.zone}",
                                            daemon=True)
            self._thread.start()
        return self

    def stop(self, *, drain: bool = True, timeout: float | None = 30.0) -> list[Call]:
        """Stop the worker. drain=True: announce everything queued first; False: abandon the
        queue (the announcement playing now finishes). Returns the abandoned calls. The
        worker thread has ended when this returns (unless ``timeout`` expired: then
        RuntimeError)."""
        with self._cond:
            abandoned: list[Call] = []
            if not drain:
                abandoned = list(self._queue)
                self._queue.clear()
            self._stopping = True
            self._cond.notify_all()
            thread = self._thread
        if thread is not None:
            thread.join(timeout)
            if thread.is_alive():
                raise RuntimeError(f"announcer-{self.zone} did not stop within {timeout} s")
        with self._cond:
            self._thread = None
        if abandoned:
            log.warning("announcer %s: %d calls abandoned at stop", self.zone, len(abandoned))
        return abandoned

    def __enter__(self) -> Announcer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def pending(self) -> int:
        with self._cond:
            return len(self._queue) + (1 if self._busy else 0)

    def wait_idle(self, timeout: float | None = None) -> bool:
        """Wait until the queue is empty and nothing is playing. True if idle."""
        deadline = None if timeout is None else time.monotonic() + timeout
        with self._cond:
            while self._queue or self._busy:
                left = None if deadline is None else deadline - time.monotonic()
                if left is not None and left <= 0:
                    return False
                self._cond.wait(left)
            return True

    # -- input ------------------------------------------------------------------------

    def submit(self, call: Call | Mapping[str, Any] | Any) -> bool:
        """Queue a call (a Call, a ticket.called/ticket.recalled event dict, or an object
        with the same attributes). False if it is a duplicate or the announcer stopped.
        Raises PhraseError (bad_number, bad_call...) for a call that cannot be spoken."""
        if not isinstance(call, Call):
            call = Call.from_event(call, self.counters)
        build_tokens(call, self.style)          # validate now, in the caller's thread
        with self._cond:
            if self._stopping:
                log.warning("announcer %s stopped: %s not announced", self.zone, call.number)
                return False
            if call.key in self._seen:
                log.debug("duplicate call %s ignored", call.key)
                return False
            self._seen[call.key] = None
            while len(self._seen) > self._remember:
                self._seen.popitem(last=False)
            self._queue.append(call)
            depth = len(self._queue)
            if depth > self.warn_above and not self._warned:
                self._warned = True
                log.warning("announcer %s: %d calls queued (above %d); none are dropped",
                            self.zone, depth, self.warn_above)
            elif depth <= self.warn_above // 2:
                self._warned = False
            self._cond.notify_all()
        return True

    # -- worker -----------------------------------------------------------------------

    def _run(self) -> None:
        while True:
            with self._cond:
                while not self._queue and not self._stopping:
                    self._cond.wait()
                if not self._queue:
                    return                      # stopping and drained
                call = self._queue.popleft()
                self._busy = True
            try:
                self._announce(call)
            finally:
                with self._cond:
                    self._busy = False
                    self._cond.notify_all()

    def _announce(self, call: Call) -> None:
        try:
            try:
                audio = render_call(call, self.style, self.voice)
            except VoiceError as exc:
                self._error(call, exc)
                audio = render_call(call, self.style, None)   # the chime alone
            self._hook(self.on_started, call)
            play_call = getattr(self.sink, "play_call", None)  # sinks that name by call
            if callable(play_call):
                play_call(audio, call)
            else:
                self.sink.play(audio)
            self.announced += 1
            self._hook(self.on_finished, call)
        except Exception as exc:  # never let one call kill the zone's worker
            log.exception("announcer %s: %s failed", self.zone, call.number)
            self._error(call, exc)

    def _error(self, call: Call, exc: BaseException) -> None:
        self.errors += 1
        log.warning("announcer %s: %s: %s", self.zone, call.number, exc)
        if self.on_error is not None:
            try:
                self.on_error(call, exc)
            except Exception:
                log.exception("on_error hook failed")

    def _hook(self, hook: Hook | None, call: Call) -> None:
        if hook is not None:
            try:
                hook(call, self.clock())
            except Exception:
                log.exception("announcer hook failed")
