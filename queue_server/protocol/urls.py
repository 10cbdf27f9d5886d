"""The broker's address as every command takes it: `mqtt://HOST:PORT` (docs/protocol.md).

One parser for the server, the launcher and the apps. It is strict on purpose: a typo
(`http://`, a bare host, a port out of range, a path) is refused with a message that shows
the expected form, instead of connecting somewhere unexpected.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

DEFAULT_MQTT_PORT = 1883
FORM = "mqtt://HOST:PORT"


class MqttUrlError(ValueError):
    """The text is not an `mqtt://HOST:PORT` address."""

    code = "bad_mqtt_url"


@dataclass(frozen=True)
class MqttUrl:
    """Where the broker is. A dataclass, not a tuple: credentials and `mqtts://` come
    later as new fields without changing the callers."""

    host: str
    port: int = DEFAULT_MQTT_PORT

    def __str__(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host  # IPv6
        return f"mqtt://{host}:{self.port}"


def parse_mqtt_url(text: str) -> MqttUrl:
    """`mqtt://HOST:PORT` (the port defaults to 1883; IPv6 as `[::1]`) -> MqttUrl.
    Raises MqttUrlError naming the expected form and what is wrong."""
    parts = urlsplit(text.strip())
    if parts.scheme != "mqtt" or not text.strip().lower().startswith("mqtt://"):
        raise _refused(text, "it must start with mqtt://")
    if parts.username is not None or parts.password is not None:
        raise _refused(text, "a user or password is not supported")
    if parts.path not in ("", "/") or parts.query or parts.fragment:
        raise _refused(text, "nothing may follow the port")
    if not parts.hostname:
        raise _refused(text, "the host is missing")
    try:
        port = parts.port
    except ValueError:  # not a number, or out of 0-65535
        raise _refused(text, "the port must be a number from 1 to 65535") from None
    if port == 0:
        raise _refused(text, "the port must be a number from 1 to 65535")
    return MqttUrl(parts.hostname, DEFAULT_MQTT_PORT if port is None else port)


def _refused(text: str, why: str) -> MqttUrlError:
    return MqttUrlError(f"{text!r} is not like {FORM}: {why}")
