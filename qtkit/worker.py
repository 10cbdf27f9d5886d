"""Blocking work off the Qt thread: `Worker` runs an app's jobs (requests to the server,
printing, device status) one at a time, in order, on one thread; each job's answer comes
back to the Qt thread by a queued signal, so a job never touches a Qt object and a slot
never blocks. `RequestWorker` is a Worker for QueueClient requests (the staff console)."""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable
from typing import Any, TypeVar

from PySide6.QtCore import QObject, Qt, Signal, Slot

from queue_server.protocol.client import CommandError, QueueClient

log = logging.getLogger("mpp.qt.worker")

T = TypeVar("T")
REQUEST_TIMEOUT_S = 4.0  # the client resends the same id twice within it
_STOP = object()


class Worker(QObject):
    """`submit(job, done)`: `job()` runs on the worker thread, then `done(result)` on the
    Qt thread. `stop()` lets the job in flight finish and drops the queued ones."""

    _finished = Signal(object, object)  # done, result: emitted on the worker thread

    def __init__(self, name: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._name = name
        self._jobs: queue.Queue[Any] = queue.Queue()
        self._thread: threading.Thread | None = None
        self._stopped = False
        self._finished.connect(self._deliver, Qt.ConnectionType.QueuedConnection)

    def start(self) -> None:
        if self._thread is None and not self._stopped:
            self._thread = threading.Thread(target=self._run, name=self._name)
            self._thread.start()

    def submit(self, job: Callable[[], T], done: Callable[[T], None] | None = None) -> bool:
        """Queue `job` (run once the worker is started); False once stopped."""
        if self._stopped:
            return False
        self._jobs.put((job, done))
        return True

    def stop(self, timeout: float | None = None) -> None:
        """Wait for the job in flight (at most `timeout` seconds), drop the rest;
        idempotent."""
        self._stopped = True
        while True:  # nothing queued behind the stop
            try:
                self._jobs.get_nowait()
            except queue.Empty:
                break
        self._jobs.put(_STOP)
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None

    def _run(self) -> None:
        while True:
            item = self._jobs.get()
            if item is _STOP:
                return
            job, done = item
            try:
                result = job()
            except Exception:  # a bug in a job must not end the worker
                log.exception("%s: job failed", self._name)
                continue
            if done is not None:
                self._finished.emit(done, result)

    @Slot(object, object)
    def _deliver(self, done: Callable[[Any], None], result: Any) -> None:
        done(result)


class RequestWorker(QObject):
    """`submit(tag, op, args)`; `answered(tag, op, result, error)` on the Qt thread, with
    `result` a dict (None on error) and `error` {"code", "message", ...} as the server sent
    it, figures as fields (None on success)."""

    answered = Signal(str, str, object, object)

    def __init__(self, client: Callable[[], QueueClient], parent: QObject | None = None,
                 *, timeout: float = REQUEST_TIMEOUT_S,
                 name: str = "mpp-console-requests") -> None:
        super().__init__(parent)
        self._client = client
        self.timeout = timeout
        self._worker = Worker(name, self)

    def start(self) -> None:
        self._worker.start()

    def stop(self) -> None:
        """Finish the request in flight (at most the timeout), drop the rest; idempotent."""
        self._worker.stop(self.timeout + 2)

    def submit(self, tag: str, op: str, args: dict[str, Any] | None = None) -> None:
        sent = dict(args or {})
        self._worker.submit(lambda: self._request(op, sent),
                            lambda answer: self.answered.emit(tag, op, *answer))

    def _request(self, op: str, args: dict[str, Any]
                 ) -> tuple[dict[str, Any] | None, dict[str, Any] | None]:
        """Worker thread: (result, None) or (None, error)."""
        try:
            return self._client().request(op, args, timeout=self.timeout), None
        except CommandError as err:
            return None, err.to_wire()  # the code, the message and any figure as a field
        except Exception as err:  # not connected yet, link down: the server is unreachable
            log.warning("%s failed: %s", op, err)
            return None, {"code": "timeout", "message": str(err)}
