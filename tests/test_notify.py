"""queue_server/notify.py against a real unix datagram socket (tests/support/notify.py)."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from queue_server.notify import Notifier, watchdog_seconds
from tests.support.notify import NotifyListener


def test_messages_reach_an_abstract_socket():
    with NotifyListener() as systemd:
        notifier = Notifier.from_env({"NOTIFY_SOCKET": systemd.address})
        notifier.ready("serving")
        notifier.status("busy")
        notifier.stopping()
        assert systemd.next(2) == {"READY": "1", "STATUS": "serving"}
        assert systemd.next(2) == {"STATUS": "busy"}
        assert systemd.next(2) == {"STOPPING": "1"}


def test_pings_are_throttled_to_a_third_of_the_period():
    folder = Path(tempfile.mkdtemp(prefix="mpp-notify-"))
    now = [100.0]
    with NotifyListener(folder / "notify") as systemd:
        notifier = Notifier(systemd.address, watchdog_s=3.0, monotonic=lambda: now[0])
        notifier.ping()
        notifier.ping()  # the same instant: not again
        now[0] += 0.99
        notifier.ping()
        now[0] += 0.01  # a full second after the first
        notifier.ping()
        assert [systemd.next(1), systemd.next(1), systemd.next(0.2)] == [
            {"WATCHDOG": "1"}, {"WATCHDOG": "1"}, None]
    os.unlink(folder / "notify")
    folder.rmdir()


def test_without_a_socket_nothing_is_sent_and_nothing_fails():
    notifier = Notifier.from_env({})
    assert not notifier.enabled
    notifier.ready("x")
    notifier.ping()
    notifier.stopping()


def test_a_vanished_socket_is_not_an_error():
    notifier = Notifier("/nonexistent/notify", watchdog_s=1.0)
    notifier.ready()
    notifier.ping()


def test_the_watchdog_is_ours_or_our_parents():
    assert watchdog_seconds({"WATCHDOG_USEC": "30000000"}) == 30.0
    assert watchdog_seconds({"WATCHDOG_USEC": "30000000", "WATCHDOG_PID": str(os.getpid())})
    assert watchdog_seconds({"WATCHDOG_USEC": "30000000", "WATCHDOG_PID": str(os.getppid())})
    someone_else = str(max(os.getpid(), os.getppid()) + 1)
    assert watchdog_seconds({"WATCHDOG_USEC": "30000000", "WATCHDOG_PID": someone_else}) is None
    assert watchdog_seconds({"WATCHDOG_USEC": "0"}) is None
    assert watchdog_seconds({"WATCHDOG_USEC": "soon"}) is None
    assert watchdog_seconds({}) is None
