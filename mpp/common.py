"""What the commands of `mpp` share: their usage error, the --mqtt and --credentials
options, and the wait for Ctrl+C or SIGTERM."""

from __future__ import annotations

import logging
import signal
import threading
from pathlib import Path

from queue_server.protocol.credentials import (
    Credentials,
    CredentialsError,
    HttpsFiles,
    credentials_path,
    load_credentials,
    load_https,
)
from queue_server.protocol.urls import MqttUrl, MqttUrlError, parse_mqtt_url

log = logging.getLogger("mpp")


class UsageError(Exception):
    """A wrong option: `mpp` prints it and exits with 2."""

    code = "usage"


def mqtt_option(text: str) -> MqttUrl:
    """--mqtt, or a usage error that shows the expected form."""
    try:
        return parse_mqtt_url(text)
    except MqttUrlError as err:
        raise UsageError(f"--mqtt: {err}") from None


def server_credentials(given: str | None, url: MqttUrl
                       ) -> tuple[Credentials | None, Credentials | None]:
    """The server's broker account and its dashboard follower's, from --credentials (else
    $MPP_CREDENTIALS, else systemd's $CREDENTIALS_DIRECTORY/mqtt.toml); (None, None)
    when there is none: anonymous, the development switch."""
    path = credentials_path(given)
    if path is None:
        if url.user is not None:
            raise UsageError(f"--mqtt names the user {url.user} but no credentials file "
                             "gives its password: --credentials FILE")
        return None, None
    try:
        own = load_credentials(path, user=url.user)
        return own, _follower(path)
    except CredentialsError as err:
        raise UsageError(f"--credentials: {err}") from None


def server_https(given: str | None) -> HttpsFiles | None:
    """The dashboard's certificate and key, from the [https] section of the server's
    credentials file (found as server_credentials finds it); None: plain HTTP."""
    path = credentials_path(given)
    if path is None:
        return None
    try:
        return load_https(path)
    except CredentialsError as err:
        raise UsageError(f"--credentials: {err}") from None


def _follower(path: Path) -> Credentials | None:
    try:
        return load_credentials(path, "follower")
    except CredentialsError as err:
        if "[follower] is missing" not in str(err):
            raise
        log.warning("%s has no [follower] section: the dashboard's follower connects "
                    "anonymously", path)
        return None


def wait_for_signal(duration: float | None) -> None:
    """Block until SIGINT/SIGTERM, or `duration` seconds."""
    done = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: done.set())
    done.wait(duration)
