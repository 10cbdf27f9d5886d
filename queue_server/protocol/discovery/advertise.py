"""Advertise the queue server on the LAN (the server side of discovery)."""

from __future__ import annotations

import ipaddress
import logging
import re
import socket
import threading
from typing import TYPE_CHECKING, Any

from queue_server.protocol.discovery.network import describe, host_ipv4_addresses, open_zeroconf
from queue_server.protocol.discovery.service import (
    PROTOCOL_VERSION,
    SERVICE_TYPE,
    DiscoveryError,
)

if TYPE_CHECKING:  # pragma: no cover - typing only, keeps the import lazy at runtime
    from zeroconf import ServiceInfo, Zeroconf

log = logging.getLogger(__name__)


# How long start() asks (by multicast) whether a candidate name is already answered for.
# A responder that multicast the same records within the last second must delay its answer
# by about a second (RFC 6762 section 14), so this is a little over one second.
_NAME_CHECK_MS = 1500

# A DNS label (one instance name, one host name) is at most 63 bytes.
_MAX_LABEL = 63


def _short_hostname() -> str:
    return socket.gethostname().split(".", 1)[0] or "localhost"


def _dns_label(text: str) -> str:
    """A host-name label (letters, digits, hyphens) made from arbitrary text."""
    label = re.sub(r"[^A-Za-z0-9-]+", "-", text).strip("-")[:_MAX_LABEL].strip("-")
    return label or "mpp-queue-server"


def _fit_label(text: str) -> str:
    """Trim an instance label to the 63-byte DNS limit without splitting a character."""
    raw = text.encode("utf-8")[:_MAX_LABEL]
    return raw.decode("utf-8", errors="ignore")


def _check_port(value: int, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 < value < 65536:
        raise ValueError(f"{what} must be a TCP port number (1-65535), got {value!r}")
    return value


class Advertiser:
    """Advertise the queue server on the LAN; explicit lifecycle, also a context manager.

    ``start()`` blocks about 3 s: it checks that the name is free, probes and announces
    it (as mDNS requires), and raises :class:`DiscoveryError` when zeroconf cannot work
    here. The instance name is the site slug; if another server on the network already
    uses it, the host name is appended (``"mpp-makassar (srv2)"``); if that is taken too,
    DiscoveryError. ``stop()`` sends the
    goodbye records and closes all sockets and threads; it never raises and may be called
    any number of times. A stopped advertiser can be started again.

    ``mqtt_host`` is what devices will connect to. Pass ``""`` or ``"0.0.0.0"`` when the
    broker listens on every interface: browsers then use the address the record resolved
    to (as they also do for a loopback ``mqtt_host`` when they run on another machine).
    ``mqtt_tls``: the broker speaks MQTT over TLS on ``mqtt_port`` (devices dial mqtts
    and check its certificate against the site CA); ``http_tls``: the dashboard on
    ``http_port`` speaks HTTPS only. ``addresses`` are the A records
    (default: this host's non-loopback IPv4 addresses, else 127.0.0.1). ``interfaces`` is
    a zeroconf interface choice (default: all).
    """

    def __init__(
        self,
        site: str,
        mqtt_host: str,
        mqtt_port: int,
        http_port: int | None,
        addresses: list[str] | None = None,
        interfaces: Any = None,
        mqtt_tls: bool = False,
        http_tls: bool = False,
    ) -> None:
        if not isinstance(site, str) or not site.strip():
            raise ValueError("site must be a non-empty slug")
        self.site = site.strip()
        self.mqtt_host = (mqtt_host or "").strip()
        self.mqtt_port = _check_port(mqtt_port, "mqtt_port")
        self.http_port = None if http_port is None else _check_port(http_port, "http_port")
        self.mqtt_tls = mqtt_tls
        self.http_tls = http_tls
        if addresses is not None:
            for addr in addresses:
                ipaddress.ip_address(addr)  # raises ValueError on a typo
        self.addresses = list(addresses) if addresses is not None else None
        self.interfaces = interfaces
        self.name: str | None = None  # instance name actually registered, once started
        self._lock = threading.Lock()
        self._zc: Zeroconf | None = None
        self._info: ServiceInfo | None = None

    def __enter__(self) -> Advertiser:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def running(self) -> bool:
        return self._zc is not None

    def _properties(self) -> dict[str, str]:
        props = {
            "site": self.site,
            "mqtt_host": self.mqtt_host,
            "mqtt_port": str(self.mqtt_port),
            "proto": PROTOCOL_VERSION,
        }
        if self.http_port is not None:
            props["http_port"] = str(self.http_port)
        if self.mqtt_tls:
            props["mqtt_tls"] = "1"
        if self.http_tls and self.http_port is not None:
            props["http_tls"] = "1"
        return props

    def _candidate_names(self) -> list[str]:
        """First the bare site, then the site plus this host's name (for uniqueness)."""
        host = _short_hostname()
        suffix = f" ({host})"
        site_part = _fit_label(self.site)
        with_host = _fit_label(self.site[: max(1, _MAX_LABEL - len(suffix.encode()))] + suffix)
        names = [site_part]
        if with_host != site_part:
            names.append(with_host)
        return [f"{label}.{SERVICE_TYPE}" for label in names]

    def start(self) -> None:
        """Register the service instance; no-op if already running."""
        from zeroconf import DNSQuestionType, NonUniqueNameException, ServiceInfo
        from zeroconf import Error as ZeroconfError

        with self._lock:
            if self._zc is not None:
                return
            addresses = self.addresses if self.addresses is not None else host_ipv4_addresses()
            server = f"{_dns_label(f'{self.site}-{_short_hostname()}')}.local."
            try:
                zc = open_zeroconf(self.interfaces)
            except (OSError, ZeroconfError, ValueError) as exc:
                raise DiscoveryError(f"cannot open mDNS sockets: {describe(exc)}") from exc
            try:
                last_conflict: str | None = None
                for name in self._candidate_names():
                    # zeroconf's own probe asks with the unicast-response (QU) bit; when
                    # several mDNS sockets share port 5353 on one host (avahi, other apps,
                    # tests) that unicast answer can reach another socket and the conflict
                    # goes unnoticed. A multicast (QM) question is seen by every socket.
                    if zc.get_service_info(
                        SERVICE_TYPE, name, timeout=_NAME_CHECK_MS, question_type=DNSQuestionType.QM
                    ):
                        log.info("mDNS name %r already answered for on the network", name)
                        last_conflict = name
                        continue
                    info = ServiceInfo(
                        SERVICE_TYPE,
                        name,
                        port=self.mqtt_port,
                        properties=self._properties(),
                        server=server,
                        parsed_addresses=addresses,
                    )
                    try:
                        zc.register_service(info)
                    except NonUniqueNameException:
                        log.info("mDNS name %r already taken on the network", name)
                        last_conflict = name
                        continue
                    self._zc, self._info, self.name = zc, info, name
                    log.info("advertising %s on port %d", name, self.mqtt_port)
                    return
                raise DiscoveryError(
                    f"service name for site {self.site!r} is already taken on the network "
                    f"(last tried {last_conflict!r})"
                )
            except DiscoveryError:
                zc.close()
                raise
            except (OSError, ZeroconfError, ValueError, RuntimeError) as exc:
                zc.close()
                raise DiscoveryError(
                    f"cannot advertise site {self.site!r}: {describe(exc)}"
                ) from exc

    def stop(self) -> None:
        """Send goodbye records and close; idempotent, never raises."""
        with self._lock:
            zc, info = self._zc, self._info
            self._zc = self._info = None
            if zc is None:
                return
            try:
                if info is not None:
                    zc.unregister_service(info)
            except Exception as exc:  # shutting down anyway; peers expire the record by TTL
                log.warning("mDNS unregister failed: %s", describe(exc))
            finally:
                try:
                    zc.close()
                except Exception as exc:
                    log.warning("mDNS close failed: %s", describe(exc))
            log.info("stopped advertising %s", self.name)

