"""RequestWorker: QueueClient.request blocks, so it runs on one worker thread; each answer
comes back to the Qt thread by a signal (queued: the worker never touches a Qt object)."""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Signal

from queue_server.protocol.client import CommandError, QueueClient

log = logging.getLogger("mpp.console.requests")

REQUEST_TIMEOUT_S = 4.0  # the client resends the same id twice within it
_STOP = object()


class RequestWorker(QObject):
    """`submit(tag, op, args)`; `answered(tag, op, result, error)` on the Qt thread, with
    `result` a dict (None on error) and `error` {"code", "message", ...} as the server sent
    it, figures as fields (None on success)."""

    answered = Signal(str, str, object, object)

    def __init__(self, client: Callable[[], QueueClient], parent: QObject | None = None,
                 *, timeout: float = REQUEST_TIMEOUT_S) -> None:
        super().__init__(parent)
        self._client, self._timeout = client, timeout
        self._queue: queue.Queue[Any] = queue.Queue()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="mpp-console-requests")
            self._thread.start()

    def stop(self) -> None:
        """Finish the request in flight (at most the timeout), drop the rest; idempotent."""
        if self._thread is not None:
            while True:  # nothing queued behind the stop
                try:
                    self._queue.get_nowait()
                except queue.Empty:
                    break
            self._queue.put(_STOP)
            self._thread.join(self._timeout + 2)
            self._thread = None

    def submit(self, tag: str, op: str, args: dict[str, Any] | None = None) -> None:
        self._queue.put((tag, op, dict(args or {})))

    def _run(self) -> None:
        while True:
            item = self._queue.get()
            if item is _STOP:
                return
            tag, op, args = item
            result: dict[str, Any] | None = None
            error: dict[str, Any] | None = None
            try:
                result = self._client().request(op, args, timeout=self._timeout)
            except CommandError as err:
                error = err.to_wire()  # the code, the message and any figure as a field
            except Exception as err:  # not connected yet, link down: the server is unreachable
                log.warning("%s failed: %s", op, err)
                error = {"code": "timeout", "message": str(err)}
            self.answered.emit(tag, op, result, error)
