"""The worker both apps run blocking work on: jobs in order off the Qt thread, answers on
the Qt thread, a stop that finishes the job in flight and drops the rest; and its request
form, over a real broker (with and without a server behind it)."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from mpp.broker import BrokerHandle
from qtkit.worker import RequestWorker, Worker
from queue_server.protocol.client import QueueClient
from queue_server.server import QueueServer
from tests.support.hall import client_of

WAIT_MS = 10000


def on_qt_thread() -> bool:
    return threading.current_thread() is threading.main_thread()


@pytest.fixture
def worker(qtbot: Any) -> Iterator[Worker]:
    worker = Worker("mpp-test-worker")
    worker.start()
    yield worker
    worker.stop()


def test_jobs_run_in_order_off_the_qt_thread_and_answer_on_it(qtbot, worker):
    ran: list[tuple[int, bool]] = []
    answers: list[tuple[int, bool]] = []
    # WHEN three jobs are submitted
    for i in range(3):
        worker.submit(lambda i=i: ran.append((i, on_qt_thread())) or i * 10,
                      lambda result: answers.append((result, on_qt_thread())))
    # THEN they ran in order on the worker, and each answer came on the Qt thread
    qtbot.waitUntil(lambda: len(answers) == 3, timeout=WAIT_MS)
    assert ran == [(0, False), (1, False), (2, False)]
    assert answers == [(0, True), (10, True), (20, True)]


def test_a_failing_job_does_not_stop_the_worker(qtbot, worker):
    answers: list[str] = []

    def broken() -> str:
        raise RuntimeError("a bug in a job")

    worker.submit(broken, answers.append)
    worker.submit(lambda: "next", answers.append)
    qtbot.waitUntil(lambda: answers == ["next"], timeout=WAIT_MS)


def test_stop_finishes_the_job_in_flight_and_drops_the_rest(qtbot):
    worker = Worker("mpp-test-worker")
    started, release = threading.Event(), threading.Event()
    ran: list[str] = []

    def slow() -> None:
        started.set()
        release.wait(5)
        ran.append("slow")

    worker.submit(slow)
    worker.submit(lambda: ran.append("queued"))
    worker.start()
    assert started.wait(5)
    # WHEN it is stopped while the first job runs (released just after)
    threading.Timer(0.2, release.set).start()
    worker.stop()
    # THEN the first job finished, the queued one never ran, and no more are taken
    assert ran == ["slow"]
    assert not worker.submit(lambda: ran.append("late"))
    worker.stop()  # idempotent


@pytest.fixture
def requests_factory(qtbot: Any, unique_site: str
                     ) -> Iterator[Callable[[BrokerHandle, str], RequestWorker]]:
    made: list[tuple[RequestWorker, QueueClient]] = []

    def make(broker: BrokerHandle, site: str = unique_site) -> RequestWorker:
        client = client_of(broker, site, "counter-01", "counter")
        client.start(timeout=5.0)
        requests = RequestWorker(lambda: client)
        made.append((requests, client))
        requests.start()
        return requests

    yield make
    for requests, client in made:
        requests.stop()
        client.stop()


def answers_of(requests: RequestWorker) -> list[tuple[Any, ...]]:
    seen: list[tuple[Any, ...]] = []
    requests.answered.connect(lambda *answer: seen.append((*answer, on_qt_thread())))
    return seen


def test_requests_are_answered_on_the_qt_thread_in_order(qtbot, server: QueueServer,
                                                         mosquitto, site, requests_factory):
    requests = requests_factory(mosquitto, site.site.id)
    seen = answers_of(requests)
    # WHEN a sign-in with the right PIN, then one with a wrong PIN, are submitted
    requests.submit("good", "officer.signin", {"officer": "petugas-01", "pin": "1234"})
    requests.submit("bad", "officer.signin", {"officer": "petugas-01", "pin": "0000"})
    # THEN the result, then the server's error as sent, come on the Qt thread
    qtbot.waitUntil(lambda: len(seen) == 2, timeout=WAIT_MS)
    (tag1, op1, result, error1, qt1), (tag2, op2, none, error2, qt2) = seen
    assert (tag1, op1, error1, qt1) == ("good", "officer.signin", None, True)
    assert result["officer"]["code"] == "petugas-01"
    assert (tag2, op2, none, qt2) == ("bad", "officer.signin", None, True)
    assert error2["code"] == "bad_credentials"


def test_no_server_answers_timeout(qtbot, fresh_mosquitto, requests_factory):
    requests = requests_factory(fresh_mosquitto())  # a broker, but no server behind it
    requests.timeout = 0.6  # keep the test short
    seen = answers_of(requests)
    requests.submit("action", "counter.open", {"counter": "loket-01"})
    qtbot.waitUntil(lambda: bool(seen), timeout=WAIT_MS)
    assert seen[0][:3] == ("action", "counter.open", None)
    assert seen[0][3]["code"] == "timeout" and seen[0][4]
