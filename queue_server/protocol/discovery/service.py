"""The queue server's mDNS service: its type, its TXT record and how a device reads it.

TXT record of the advertised instance (all values UTF-8 strings):

========== ===================================================================
key        value
========== ===================================================================
site       site slug, e.g. ``mpp-makassar`` (the ``{site}`` of ``mpp/v1/{site}``)
mqtt_host  host or address devices use for the MQTT broker; empty or a wildcard
           (``0.0.0.0``, ``::``) means "the address this record resolved to", and so
           does a loopback address seen from another machine (the server's own view)
mqtt_port  MQTT broker port (also the SRV port)
mqtt_tls   ``1``: the broker speaks MQTT over TLS on ``mqtt_port`` (devices use mqtts and
           check its certificate against the site CA); absent or ``0``: plain MQTT
http_port  HTTP API / dashboard port; the key is absent when there is none
http_tls   ``1``: the dashboard on ``http_port`` speaks HTTPS only (its certificate is
           signed by the site CA); absent or ``0``: plain HTTP
proto      wire protocol version, :data:`PROTOCOL_VERSION`
========== ===================================================================
"""

from __future__ import annotations

import ipaddress
import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING

from queue_server.protocol.urls import DEFAULT_MQTT_PORT

if TYPE_CHECKING:  # pragma: no cover - typing only, keeps the import lazy at runtime
    from zeroconf import ServiceInfo

__all__ = ["DEFAULT_MQTT_PORT", "PROTOCOL_VERSION", "SERVICE_TYPE", "DiscoveryError",
           "ServerInfo", "server_info_from"]

log = logging.getLogger(__name__)

SERVICE_TYPE = "_mpp-queue._tcp.local."
PROTOCOL_VERSION = "1"
_WILDCARD_HOSTS = frozenset({"", "0.0.0.0", "::", "*"})


class DiscoveryError(Exception):
    """Zeroconf could not advertise or browse; discovery is unavailable, nothing else is."""

    code = "discovery_failed"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class ServerInfo:
    """What a device needs to reach the queue server."""

    site: str
    mqtt_host: str
    mqtt_port: int
    http_port: int | None
    protocol: str
    name: str  # full service instance name, or "static" for static configuration
    mqtt_tls: bool = False  # the broker speaks TLS on mqtt_port
    http_tls: bool = False  # the dashboard speaks HTTPS on http_port
    address: str = ""  # the address the record resolved to ("" for static config)

    @property
    def http_url(self) -> str | None:
        """The dashboard's base URL at the address the record resolved to (a blank box
        pairs there, docs/boxes.md); None when the server serves no HTTP."""
        host = self.address or self.mqtt_host
        if self.http_port is None or not host:
            return None
        scheme = "https" if self.http_tls else "http"
        bare = host.split("%", 1)[0]
        return f"{scheme}://[{bare}]:{self.http_port}" if ":" in bare \
            else f"{scheme}://{bare}:{self.http_port}"


def _txt_int(value: str | None) -> int | None:
    if value is None or not value.strip():
        return None
    try:
        port = int(value.strip())
    except ValueError:
        return None
    return port if 0 < port < 65536 else None


def _is_loopback(host: str) -> bool:
    if host.lower() in {"localhost", "localhost."}:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def server_info_from(info: ServiceInfo, local: set[str] | None) -> ServerInfo | None:
    """Turn a resolved zeroconf ServiceInfo into a ServerInfo, or None if unusable.

    ``local`` is this machine's addresses (None if unknown): a loopback ``mqtt_host`` is
    kept only when the server is on this machine.
    """
    from zeroconf import IPVersion

    props = info.decoded_properties
    mqtt_port = _txt_int(props.get("mqtt_port")) or (info.port if info.port else None)
    if mqtt_port is None:
        log.debug("ignoring %s: no usable MQTT port", info.name)
        return None
    host = (props.get("mqtt_host") or "").strip()
    addresses = info.parsed_addresses(IPVersion.V4Only) or info.parsed_scoped_addresses()
    remote = [a for a in addresses if not _is_loopback(a.split("%", 1)[0])]
    if (
        _is_loopback(host)
        and remote
        and local is not None
        and not any(a.split("%", 1)[0] in local for a in remote)
    ):
        # The server advertised its own loopback view of the broker, and it runs on
        # another machine: reach it at the address its record resolved to.
        host = remote[0]
    elif host in _WILDCARD_HOSTS:
        # The server listens everywhere: use the address the record resolved to.
        if addresses:
            host = addresses[0]
        elif info.server:
            host = info.server.rstrip(".")
        else:
            log.debug("ignoring %s: no MQTT host and no address", info.name)
            return None
    return ServerInfo(
        site=(props.get("site") or "").strip(),
        mqtt_host=host,
        mqtt_port=mqtt_port,
        http_port=_txt_int(props.get("http_port")),
        protocol=(props.get("proto") or "").strip(),
        name=info.name,
        mqtt_tls=(props.get("mqtt_tls") or "").strip() == "1",
        http_tls=(props.get("http_tls") or "").strip() == "1",
        address=remote[0] if remote else (addresses[0] if addresses else ""),
    )

