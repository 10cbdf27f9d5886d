"""Zeroconf (mDNS / DNS-SD) discovery of the queue server on the hall LAN.

The server advertises one ``_mpp-queue._tcp.local.`` service instance (``advertise``);
kiosks and displays browse for it so nobody has to type an address (``browse``), and keep
watching for as long as they run (``watch``: a server that boots later, a second hall, a
server that moved; ``choose`` says which one is the box's). Static configuration is the
fallback. The TXT record is described in ``service``.

Import-light on purpose: the kiosk and display apps import this package too, so zeroconf
is imported lazily inside the functions that need it, and nothing from SQLAlchemy or Qt.

Every failure of zeroconf itself (name conflict, no usable network interface, socket
errors) is raised as :class:`DiscoveryError`. The server must keep working without
discovery: catch it, log one line, carry on.
"""

from queue_server.protocol.discovery.advertise import Advertiser
from queue_server.protocol.discovery.browse import browse, resolve_server
from queue_server.protocol.discovery.network import host_ipv4_addresses
from queue_server.protocol.discovery.service import (
    DEFAULT_MQTT_PORT,
    PROTOCOL_VERSION,
    SERVICE_TYPE,
    DiscoveryError,
    ServerInfo,
)
from queue_server.protocol.discovery.watch import (
    AMBIGUOUS,
    FOUND,
    LOOKING,
    Choice,
    Watcher,
    choose,
)

__all__ = [
    "AMBIGUOUS",
    "DEFAULT_MQTT_PORT",
    "FOUND",
    "LOOKING",
    "PROTOCOL_VERSION",
    "SERVICE_TYPE",
    "Advertiser",
    "Choice",
    "DiscoveryError",
    "ServerInfo",
    "Watcher",
    "browse",
    "choose",
    "host_ipv4_addresses",
    "resolve_server",
]
