"""A zone's announcements without a screen: follows `event/ticket` on the broker and feeds
the Announcer (for `mpp demo` on a machine without a display, or a hall speaker driven
by a box with no wall). Same rules as the wall: only events announce, never retained
state, so a restart re-announces nothing; the zone's counters come from `state/config`.

Imports paho (through QueueClient), unlike the rest of this package: import it by name.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

from drivers.audio import Sink
from queue_server.protocol.client import QueueClient
from queue_server.protocol.credentials import Credentials
from queue_server.protocol.ops import CALL_EVENTS

from .phrases import AnnounceStyle, Call, PhraseError
from .queue import Announcer
from .voices import Voice
from .zones import zone_call

log = logging.getLogger(__name__)

class ZoneAnnouncer:
    """Its own QueueClient (state for the config, events for the calls) and Announcer.
    The paho callback submits directly: Announcer.submit is thread-safe and never blocks
    on audio. `submitted` is in event order; the sink keeps what it played."""

    def __init__(self, host: str, port: int, site: str, device: str, *, zone: str | None,
                 voice: Voice | None, sink: Sink, style: AnnounceStyle | None = None,
                 protocol: str = "3.1.1", max_queue: int | None = None,
                 credentials: Credentials | None = None, tls: bool = False) -> None:
        self.zone = zone
        # None: every call is announced (a hall). A number: calls arriving while that many
        # wait are skipped (a sped-up demo played aloud would fall ever further behind).
        self.max_queue = max_queue
        self.dropped = 0
        self.announcer = Announcer(voice, sink, style, zone=zone or "hall",
                                   on_finished=self._done, on_error=self._failed)
        self.submitted: list[Call] = []
        self.finished = 0  # announcements over (played or failed)
        self.skipped = 0  # zone events that arrived before the config (cannot be placed)
        self._cond = threading.Condition()
        self.client = QueueClient(host, port, site, device, "display", follow_state=True,
                                  follow_events=True, on_event=self._on_event,
                                  protocol=protocol, credentials=credentials, tls=tls)

    @property
    def sink(self) -> Sink:
        return self.announcer.sink

    def start(self, timeout: float = 10.0) -> ZoneAnnouncer:
        """Raises LinkError when the broker cannot be reached."""
        self.announcer.start()
        try:
            self.client.start(timeout)
        except BaseException:
            self.announcer.stop(drain=False)
            raise
        return self

    def stop(self, *, drain: bool = False, timeout: float = 60.0) -> None:
        """Stop listening; the announcement playing now finishes (drain: all queued). A
        sink with `close()` (a simulated speaker) is told to stop waiting."""
        self.client.stop()
        close = getattr(self.sink, "close", None)
        if callable(close) and not drain:
            close()
        self.announcer.stop(drain=drain, timeout=timeout)

    def _on_event(self, event: Any) -> None:
        if not isinstance(event, dict):
            return
        config = self.client.state.get("config")
        if not isinstance(config, dict):
            if event.get("type") in CALL_EVENTS:
                self.skipped += 1
                log.warning("call before state/config: not announced")
            return
        try:
            call = zone_call(event, config, self.zone)
            if call is not None and self.max_queue is not None \
                    and self.announcer.pending() >= self.max_queue:
                with self._cond:
                    self.dropped += 1
                    self._cond.notify_all()
                return
            if call is not None and self.announcer.submit(call):
                with self._cond:
                    self.submitted.append(call)
                    self._cond.notify_all()
        except PhraseError as err:
            log.warning("event not announced: %s", err)

    def _done(self, _call: Call, _at: float) -> None:
        with self._cond:
            self.finished += 1
            self._cond.notify_all()

    def _failed(self, call: Call, _exc: BaseException) -> None:
        self._done(call, 0.0)

    def wait_finished(self, count: int, timeout: float) -> bool:
        """Wait until `count` announcements are over. True if they are."""
        return self.wait(lambda: self.finished >= count, timeout)

    def wait(self, predicate: Callable[[], bool], timeout: float) -> bool:
        """Wait until `predicate()` (re-checked at each call submitted, skipped or over)."""
        with self._cond:
            return self._cond.wait_for(predicate, timeout)
