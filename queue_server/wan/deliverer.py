"""The outbox's deliverer: a thread of the server process of its own (never the engine's)
that sends each stream's records to the city's central in seq order, one batch at a time,
and marks a stream delivered only up to what the central acknowledged. A failure keeps the
records and waits (doubling, with jitter, up to central.retry_max_s) before the next try;
with several central addresses the next one is tried first. The state is the database's
(outbox_streams), so a restart goes on where it stopped, after an outage of any length.
The hall never waits for it: the engine only sets its wake-up event.

Its status (WAN state, backlog, the oldest record's age, the last delivery, the last
error) feeds /health, /metrics, the dashboard and `mpp status` (docs/outside-world.md)."""

from __future__ import annotations

import logging
import random
import threading
import time
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Engine

from queue_server.clock import Clock
from queue_server.config import SiteConfig
from queue_server.domain.numbering import iso_local
from queue_server.domain.outbox import retry_delay
from queue_server.journal import log_event
from queue_server.protocol.credentials import warn_if_readable
from queue_server.protocol.upload import (
    STREAMS,
    UploadError,
    batch_body,
    error_of,
    parse_ack,
    record_key,
)
from queue_server.store import outbox
from queue_server.store.db import StoreError
from queue_server.store.outbox import StreamState
from queue_server.wan.http import CentralClient, WanError

log = logging.getLogger("mpp.wan")

POLL_S = 30.0  # the figures are read again at least this often with nothing to do
LINGER_S = 0.2  # after a wake-up, so that the records of a few commits go in one batch
STATUS_EVERY_S = 5.0  # the figures of a hall without a central, read on demand


class Refused(Exception):
    """The central answered, but did not acknowledge the batch."""

    def __init__(self, code: str, detail: str, status: int) -> None:
        super().__init__(f"{code}: {detail}")
        self.code, self.detail, self.status = code, detail, status


@dataclass
class _Figures:
    """What the status reports, as of the deliverer's last look (replaced whole)."""

    states: dict[str, StreamState] = field(default_factory=dict)
    wan: str = "unknown"  # unknown | up | down | refused
    error: str | None = None
    detail: str | None = None
    read_at: float = 0.0  # time.monotonic() of the read


def read_token(cfg: SiteConfig) -> str:
    """This site's token for the central, from central.token_file. Raises OSError or
    ValueError naming the file."""
    path = cfg.site_file_path(cfg.central.token_file)
    token = path.read_text(encoding="utf-8").strip()
    if not token:
        raise ValueError(f"{path}: empty (mpp central add-site writes the token there)")
    warn_if_readable(path)
    return token


class Deliverer:
    def __init__(self, cfg: SiteConfig, db: Engine, clock: Clock,
                 client: CentralClient | None = None) -> None:
        self.cfg, self.db, self.clock = cfg, db, clock
        self.central = cfg.central
        self._client = client
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._figures = _Figures(wan="off" if not self.central.enabled else "unknown")
        self._batch = dict.fromkeys(STREAMS, self.central.batch)
        self._failures = 0
        self._next_try = 0.0
        self.delivered = 0  # records acknowledged since start (for the log and tests)

    # -- lifecycle ---------------------------------------------------------------------

    def start(self) -> None:
        """Start sending when the site names a central (else only the status works)."""
        if not self.central.enabled:
            log.info("no central in the site file: the outbox fills, nothing is sent")
            return
        if self._client is None:
            try:
                token = read_token(self.cfg)
            except (OSError, ValueError) as err:
                self._set(wan="refused", error="no_token", detail=str(err))
                log_event(log, "wan.no_token", level=logging.ERROR, detail=str(err),
                          text="the outbox is kept, nothing is sent")
                return
            ca = self.cfg.site_file_path(self.central.ca) if self.central.ca else None
            self._client = CentralClient(self.central.url, token, ca, self.central.timeout_s)
        self._thread = threading.Thread(target=self._run, name="mpp-outbox", daemon=True)
        self._thread.start()

    def wake(self) -> None:
        """New records were committed (the engine's thread: sets an event, nothing more)."""
        self._wake.set()

    def stop(self) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            if self._client is not None:
                self._client.abort()  # a batch in flight is sent again at the next start
            self._thread.join(10)
            self._thread = None
        if self._client is not None:
            self._client.close()

    # -- the thread ----------------------------------------------------------------------

    def _run(self) -> None:
        while not self._stop.is_set():
            self._wake.clear()
            try:
                states = outbox.states(self.db)
                self._set(states=states)
                sent = self._round(states) if time.monotonic() >= self._next_try else False
            except StoreError as err:  # the database, not the WAN: look again soon
                log.warning("outbox: %s", err)
                self._stop.wait(self.central.retry_min_s)
                continue
            except Exception:  # a bug must not end the thread: the records wait
                log.exception("outbox deliverer: internal error; trying again")
                self._stop.wait(self.central.retry_min_s)
                continue
            if sent:
                continue  # draining: straight on with the next batches
            wait = POLL_S if not self._failures else max(0.0, self._next_try -
                                                         time.monotonic())
            if self._wake.wait(min(wait, POLL_S)) and not self._stop.is_set():
                self._stop.wait(LINGER_S)

    def _round(self, states: dict[str, StreamState]) -> bool:
        """One batch of each stream with a backlog; whether any went through (False when
        nothing waited, or on the first failure, which ends the round)."""
        sent = False
        for stream in STREAMS:
            state = states.get(stream)
            if state is None or state.backlog == 0:
                continue
            rows = outbox.read_batch(self.db, stream, state.delivered, self._batch[stream])
            if not rows:
                continue
            try:
                self._send(stream, rows)
            except (WanError, Refused) as err:
                return self._failed(stream, err)
            sent = True
        return sent

    def _send(self, stream: str, rows: list[tuple[int, str]]) -> None:
        assert self._client is not None
        site, last = self.cfg.site.id, rows[-1][0]
        body = batch_body(site, stream, [body for _seq, body in rows])
        answer = self._client.post(body, f"{record_key(site, stream, rows[0][0])}..{last}")
        if answer.status != 200:
            code, detail = error_of(answer.body) or (_status_code(answer.status),
                                                     answer.body[:200].decode("utf-8",
                                                                              "replace"))
            raise Refused(code, detail, answer.status)
        try:
            ack = parse_ack(answer.body, site, stream, last)
        except UploadError as err:
            raise Refused(err.code, err.message, answer.status) from err
        outbox.mark_delivered(self.db, stream, last, self.clock.now())
        self.delivered += len(rows)
        if ack.conflicts:
            log_event(log, "wan.conflict", level=logging.WARNING, stream=stream,
                      conflicts=ack.conflicts, text="the central holds other records "
                      "under some of these keys (a restored database?)")
        if self._failures:
            log_event(log, "wan.up", url=self._client.url, text="the central answers again")
        self._failures = 0
        self._set(wan="up", error=None, detail=None)

    def _failed(self, stream: str, err: WanError | Refused) -> bool:
        """Note the failure and when to try again; True: again at once (a smaller batch)."""
        assert self._client is not None
        if self._stop.is_set():  # stopping cut the request short: no fault of the WAN
            return False
        if isinstance(err, Refused) and err.status == 413 and self._batch[stream] > 1:
            self._batch[stream] //= 2  # the central takes smaller batches: no wait
            log.warning("outbox: the central refused a batch as too large; now %d records",
                        self._batch[stream])
            return True
        self._failures += 1
        several = len(self._client.urls) > 1
        delay = 0.0 if several and self._failures % len(self._client.urls) else retry_delay(
            self._failures, self.central.retry_min_s, self.central.retry_max_s,
            random.random())
        self._next_try = time.monotonic() + delay
        wan = "down" if isinstance(err, WanError) else "refused"
        if self._failures == 1 or self._figures.error != err.code:
            log_event(log, f"wan.{wan}", level=logging.WARNING, url=self._client.url,
                      code=err.code, detail=err.detail[:200],
                      text="the records wait in the outbox")
        if several:
            self._client.next_url()
        self._set(wan=wan, error=err.code, detail=err.detail[:300])
        try:
            outbox.mark_failed(self.db, stream, self.clock.now(), err.code, err.detail)
        except StoreError as store_err:
            log.warning("outbox: %s", store_err)
        return False

    def _set(self, **changes: Any) -> None:
        f = self._figures
        values = {"states": f.states, "wan": f.wan, "error": f.error, "detail": f.detail,
                  "read_at": f.read_at, **changes}
        if "states" in changes:
            values["read_at"] = time.monotonic()
        self._figures = _Figures(**values)  # one assignment: readers see it whole

    # -- status (any thread) -------------------------------------------------------------

    def status(self) -> dict[str, Any]:
        """The outbox as /health, /metrics, the dashboard and `mpp status` show it."""
        f = self._figures
        if self._thread is None and time.monotonic() - f.read_at > STATUS_EVERY_S:
            try:  # nobody reads them in a loop: read them now, at most so often
                self._set(states=outbox.states(self.db))
            except StoreError as err:
                log.warning("outbox status: %s", err)
            f = self._figures
        return summary(self.cfg, f.states, self.clock.now(), f.wan, f.error, f.detail,
                       self._client.url if self._client and self._thread else None)


def summary(cfg: SiteConfig, states: dict[str, StreamState], now: float, wan: str,
            error: str | None, detail: str | None, url: str | None) -> dict[str, Any]:
    """The status as one JSON-ready dict (the deliverer's, or `mpp status` from the
    database alone)."""
    tz = cfg.site.tz
    waiting = [s.oldest_at for s in states.values() if s.backlog and s.oldest_at]
    oldest = min(waiting, default=None)
    delivered = [s.delivered_at for s in states.values() if s.delivered_at]
    last = max(delivered, default=None)
    age = max(0, int(now - oldest)) if oldest is not None else None
    alert_after = cfg.central.alert_after_min * 60
    return {
        "enabled": cfg.central.enabled, "wan": wan, "url": url,
        "backlog": sum(s.backlog for s in states.values()),
        "oldest_at": iso_local(oldest, tz), "oldest_age_s": age,
        "last_delivery_at": iso_local(last, tz),
        "last_delivery_age_s": max(0, int(now - last)) if last is not None else None,
        "error": error, "detail": detail,
        "alert_after_s": alert_after,
        "alert": cfg.central.enabled and age is not None and age > alert_after,
        "streams": {s.stream: {"backlog": s.backlog, "delivered": s.delivered,
                               "head": s.head} for s in states.values()},
    }


def from_database(cfg: SiteConfig, db: Engine, now: float) -> dict[str, Any]:
    """The status from the database alone (`mpp status`, with or without a server
    running): the WAN state is the one the last try left."""
    states = outbox.states(db)
    tried = [s for s in states.values() if s.tried_at is not None]
    last = max(tried, key=lambda s: s.tried_at or 0.0, default=None)
    if not cfg.central.enabled:
        wan = "off"
    elif last is None:
        wan = "unknown"
    elif last.error is None:
        wan = "up"
    else:
        wan = "down" if last.error in WAN_DOWN else "refused"
    return summary(cfg, states, now, wan, last.error if last else None,
                   last.detail if last else None,
                   ", ".join(cfg.central.url) if cfg.central.enabled else None)


WAN_DOWN = frozenset({"unreachable", "tls_error"})  # no answer at all (WanError)


def _status_code(status: int) -> str:
    return {401: "unauthorised", 403: "forbidden", 404: "not_found", 413: "too_large"}.get(
        status, "central_error" if status >= 500 else f"http_{status}")
