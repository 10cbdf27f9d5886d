"""The broker's address as every command takes it: `mqtt://HOST:PORT`, or
`mqtts://[USER@]HOST:PORT` for MQTT over TLS (docs/protocol.md).

One parser for the server, the launcher and the apps. It is strict on purpose: a typo
(`http://`, a bare host, a port out of range, a path) is refused with a message that shows
the expected form, instead of connecting somewhere unexpected. A password is refused
outright: a URL is a command-line argument, and argv is readable by every user of the
machine (`ps`); secrets live in credentials files.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

from queue_server.protocol.topics import valid_device_id

DEFAULT_MQTT_PORT = 1883
DEFAULT_MQTTS_PORT = 8883
FORM = "mqtt://HOST:PORT or mqtts://[USER@]HOST:PORT"
SCHEMES = {"mqtt": False, "mqtts": True}  # scheme -> TLS


class MqttUrlError(ValueError):
    """The text is not an `mqtt://HOST:PORT` (or `mqtts://`) address."""

    code = "bad_mqtt_url"


@dataclass(frozen=True)
class MqttUrl:
    """Where the broker is, whether it speaks TLS, and (optionally) the user to log in as;
    the password always comes from a credentials file."""

    host: str
    port: int = DEFAULT_MQTT_PORT
    tls: bool = False
    user: str | None = None

    def __str__(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host  # IPv6
        user = f"{self.user}@" if self.user else ""
        return f"{'mqtts' if self.tls else 'mqtt'}://{user}{host}:{self.port}"


def parse_mqtt_url(text: str) -> MqttUrl:
    """`mqtt://HOST:PORT` (port 1883 by default) or `mqtts://[USER@]HOST:PORT` (8883 by
    default); IPv6 as `[::1]`. Raises MqttUrlError naming the expected form and what is
    wrong."""
    parts = urlsplit(text.strip())
    scheme = text.strip().lower().partition("://")[0]
    if scheme not in SCHEMES or parts.scheme != scheme:
        raise _refused(text, "it must start with mqtt:// or mqtts://")
    if parts.password is not None:
        raise _refused(text, "a password does not belong in an address (anyone on the "
                             "machine can read a command line): put it in the credentials "
                             "file (--credentials)")
    if parts.path not in ("", "/") or parts.query or parts.fragment:
        raise _refused(text, "nothing may follow the port")
    if not parts.hostname:
        raise _refused(text, "the host is missing")
    user = unquote(parts.username) if parts.username is not None else None
    if user is not None and not valid_device_id(user):
        raise _refused(text, "the user is a device id (3-32 of a-z, 0-9 and -)")
    try:
        port = parts.port
    except ValueError:  # not a number, or out of 0-65535
        raise _refused(text, "the port must be a number from 1 to 65535") from None
    if port == 0:
        raise _refused(text, "the port must be a number from 1 to 65535")
    tls = SCHEMES[scheme]
    default = DEFAULT_MQTTS_PORT if tls else DEFAULT_MQTT_PORT
    return MqttUrl(parts.hostname, default if port is None else port, tls, user)


def _refused(text: str, why: str) -> MqttUrlError:
    # the text may carry a password: show the address without it
    shown = text.strip()
    at = shown.rfind("@")
    if at > 0:
        shown = shown[:shown.find("://") + 3] + "…" + shown[at:]
    return MqttUrlError(f"{shown!r} is not like {FORM}: {why}")
