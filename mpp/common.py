"""What the commands of `mpp` share: their usage error, the --mqtt option, and the wait
for Ctrl+C or SIGTERM."""

from __future__ import annotations

import signal
import threading

from queue_server.protocol.urls import MqttUrl, MqttUrlError, parse_mqtt_url


class UsageError(Exception):
    """A wrong option: `mpp` prints it and exits with 2."""

    code = "usage"


def mqtt_option(text: str) -> MqttUrl:
    """--mqtt, or a usage error that shows the expected form."""
    try:
        return parse_mqtt_url(text)
    except MqttUrlError as err:
        raise UsageError(f"--mqtt: {err}") from None


def wait_for_signal(duration: float | None) -> None:
    """Block until SIGINT/SIGTERM, or `duration` seconds."""
    done = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: done.set())
    done.wait(duration)
