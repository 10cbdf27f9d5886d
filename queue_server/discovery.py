"""Zeroconf (mDNS / DNS-SD) discovery of the queue server on the hall LAN.

The server advertises one ``_mpp-queue._tcp.local.`` service instance; kiosks and displays
browse for it so nobody has to type an address. Static configuration is the fallback.

TXT record of the advertised instance (all values UTF-8 strings):

========== ===================================================================
key        value
========== ===================================================================
site       site slug, e.g. ``mpp-makassar`` (the ``{site}`` of ``mpp/v1/{site}``)
mqtt_host  host or address devices use for the MQTT broker; empty or a wildcard
           (``0.0.0.0``, ``::``) means "the address this record resolved to", and so
           does a loopback address seen from another machine (the server's own view)
mqtt_port  MQTT broker port (also the SRV port)
http_port  HTTP API / dashboard port; the key is absent when there is none
proto      wire protocol version, :data:`PROTOCOL_VERSION`
========== ===================================================================

Import-light on purpose: the kiosk and display apps import this module too, so zeroconf
is imported lazily inside the functions that need it, and nothing from SQLAlchemy or Qt.

Every failure of zeroconf itself (name conflict, no usable network interface, socket
errors) is raised as :class:`DiscoveryError`. The server must keep working without
discovery: catch it, log one line, carry on.
"""

from __future__ import annotations

import ipaddress
import logging
import queue
import re
import socket
import threading
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover - typing only, keeps the import lazy at runtime
    from zeroconf import ServiceInfo, Zeroconf

__all__ = [
    "DEFAULT_MQTT_PORT",
    "PROTOCOL_VERSION",
    "SERVICE_TYPE",
    "Advertiser",
    "DiscoveryError",
    "ServerInfo",
    "browse",
    "resolve_server",
]

log = logging.getLogger(__name__)

SERVICE_TYPE = "_mpp-queue._tcp.local."
PROTOCOL_VERSION = "1"
DEFAULT_MQTT_PORT = 1883

# How long start() asks (by multicast) whether a candidate name is already answered for.
# A responder that multicast the same records within the last second must delay its answer
# by about a second (RFC 6762 section 14), so this is a little over one second.
_NAME_CHECK_MS = 1500

# A DNS label (one instance name, one host name) is at most 63 bytes.
_MAX_LABEL = 63
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


# --------------------------------------------------------------------------- helpers


def _new_zeroconf(interfaces: Any) -> Zeroconf:
    """Open a Zeroconf instance that runs its own loop thread (blocking API usable anywhere).

    ``use_asyncio=False`` keeps the blocking API working even when the caller happens to
    run inside an asyncio event loop (otherwise zeroconf attaches to that loop and its
    blocking calls refuse to run there).
    """
    from zeroconf import InterfaceChoice, Zeroconf

    chosen = InterfaceChoice.All if interfaces is None else interfaces
    if isinstance(chosen, list):
        _check_interface_list(chosen)
    try:
        return Zeroconf(interfaces=chosen, use_asyncio=False)
    except TypeError:  # zeroconf without the use_asyncio switch
        return Zeroconf(interfaces=chosen)


def _local_addresses() -> set[str] | None:
    """Every IPv4/IPv6 address configured on this host, or None if they cannot be listed."""
    try:
        import ifaddr  # installed with zeroconf

        found: set[str] = set()
        for adapter in ifaddr.get_adapters():
            for ip in adapter.ips:
                raw = ip.ip if isinstance(ip.ip, str) else ip.ip[0]  # IPv6 entries are tuples
                found.add(str(ipaddress.ip_address(raw.split("%", 1)[0])))
        return found
    except Exception as exc:  # interface enumeration is best effort
        log.debug("could not list network interfaces: %s", _describe(exc))
        return None


def _check_interface_list(interfaces: list[Any]) -> None:
    """Refuse an interface list zeroconf cannot use, before it opens (and leaks) a socket."""
    if not interfaces:
        raise DiscoveryError("no network interface selected for mDNS")
    local = _local_addresses()
    for entry in interfaces:
        if isinstance(entry, int) and not isinstance(entry, bool):
            continue  # IPv6 interface index, checked by zeroconf
        try:
            addr = str(ipaddress.ip_address(str(entry).split("%", 1)[0]))
        except ValueError:
            raise DiscoveryError(f"not an interface address: {entry!r}") from None
        if local is not None and addr not in local:
            raise DiscoveryError(f"no network interface has address {addr}")


def _describe(exc: BaseException) -> str:
    text = str(exc).strip()
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


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


def _host_ipv4_addresses() -> list[str]:
    """Non-loopback IPv4 addresses of this host, falling back to 127.0.0.1."""
    found: list[str] = []
    try:
        import ifaddr  # installed with zeroconf

        for adapter in ifaddr.get_adapters():
            for ip in adapter.ips:
                if not isinstance(ip.ip, str):  # IPv6 entries are tuples
                    continue
                addr = ipaddress.IPv4Address(ip.ip)
                if addr.is_loopback or addr.is_unspecified or str(addr) in found:
                    continue
                found.append(str(addr))
    except Exception as exc:  # interface enumeration is best effort
        log.debug("could not list network interfaces: %s", _describe(exc))
    return found or ["127.0.0.1"]


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


def _server_info_from(info: ServiceInfo, local: set[str] | None) -> ServerInfo | None:
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
    )


# --------------------------------------------------------------------------- advertiser


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
    ``addresses`` are the A records (default: this host's non-loopback IPv4 addresses,
    else 127.0.0.1). ``interfaces`` is a zeroconf interface choice (default: all).
    """

    def __init__(
        self,
        site: str,
        mqtt_host: str,
        mqtt_port: int,
        http_port: int | None,
        addresses: list[str] | None = None,
        interfaces: Any = None,
    ) -> None:
        if not isinstance(site, str) or not site.strip():
            raise ValueError("site must be a non-empty slug")
        self.site = site.strip()
        self.mqtt_host = (mqtt_host or "").strip()
        self.mqtt_port = _check_port(mqtt_port, "mqtt_port")
        self.http_port = None if http_port is None else _check_port(http_port, "http_port")
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
            addresses = self.addresses if self.addresses is not None else _host_ipv4_addresses()
            server = f"{_dns_label(f'{self.site}-{_short_hostname()}')}.local."
            try:
                zc = _new_zeroconf(self.interfaces)
            except (OSError, ZeroconfError, ValueError) as exc:
                raise DiscoveryError(f"cannot open mDNS sockets: {_describe(exc)}") from exc
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
                    f"cannot advertise site {self.site!r}: {_describe(exc)}"
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
                log.warning("mDNS unregister failed: %s", _describe(exc))
            finally:
                try:
                    zc.close()
                except Exception as exc:
                    log.warning("mDNS close failed: %s", _describe(exc))
            log.info("stopped advertising %s", self.name)


# --------------------------------------------------------------------------- browsing


class _Collector:
    """ServiceBrowser listener: hands events to the browsing thread through a queue.

    Events are ``("add", name, None)``, ``("remove", name, None)`` and, once a lookup
    started by :func:`browse` finishes, ``("resolved", name, ServiceInfo | None)``.
    """

    def __init__(self) -> None:
        self.events: queue.Queue[tuple[str, str, Any]] = queue.Queue()

    def add_service(self, zc: Zeroconf, type_: str, name: str) -> None:
        self.events.put(("add", name, None))

    def update_service(self, zc: Zeroconf, type_: str, name: str) -> None:
        self.events.put(("add", name, None))

    def remove_service(self, zc: Zeroconf, type_: str, name: str) -> None:
        self.events.put(("remove", name, None))


def browse(
    timeout: float = 3.0, site: str | None = None, interfaces: Any = None
) -> list[ServerInfo]:
    """Queue servers seen on the LAN within ``timeout`` seconds, sorted by site and name.

    With ``site`` only servers of that site are returned, and the call returns as soon
    as the first one is resolved. Raises :class:`DiscoveryError` if mDNS cannot run here.
    """
    import asyncio
    import concurrent.futures

    from zeroconf import DNSQuestionType, ServiceBrowser, ServiceInfo
    from zeroconf import Error as ZeroconfError

    # Multicast (QM) questions only: a unicast answer to a QU question is delivered to just
    # one of the sockets bound to port 5353 on this host (avahi, other apps), maybe not ours.
    qm = DNSQuestionType.QM
    deadline = time.monotonic() + max(0.0, timeout)
    found: dict[str, ServerInfo] = {}
    present: set[str] = set()  # instances announced and not withdrawn
    lookups: dict[str, concurrent.futures.Future[bool]] = {}
    local = _local_addresses()
    try:
        zc = _new_zeroconf(interfaces)
    except (OSError, ZeroconfError, ValueError) as exc:
        raise DiscoveryError(f"cannot open mDNS sockets: {_describe(exc)}") from exc
    collector = _Collector()
    browser = None

    def lookup(name: str) -> None:
        """Resolve SRV/TXT/A on zeroconf's loop, concurrently with other lookups, so one
        instance that never answers cannot hold up the others until the deadline."""
        running = lookups.get(name)
        if running is not None and not running.done():
            return
        info = ServiceInfo(SERVICE_TYPE, name)
        ms = max(1, int((deadline - time.monotonic()) * 1000))
        assert zc.loop is not None
        future = asyncio.run_coroutine_threadsafe(
            info.async_request(zc, ms, question_type=qm), zc.loop
        )

        def done(f: concurrent.futures.Future[bool]) -> None:
            ok = not f.cancelled() and f.exception() is None and f.result()
            collector.events.put(("resolved", name, info if ok else None))

        future.add_done_callback(done)
        lookups[name] = future

    try:
        browser = ServiceBrowser(zc, SERVICE_TYPE, collector, question_type=qm)
        while (remaining := deadline - time.monotonic()) > 0:
            try:
                kind, name, info = collector.events.get(timeout=remaining)
            except queue.Empty:
                break
            if kind == "add":
                present.add(name)
                lookup(name)
            elif kind == "remove":
                present.discard(name)
                found.pop(name, None)
            elif name in present and info is not None:
                server = _server_info_from(info, local)
                if server is None or (site is not None and server.site != site):
                    continue
                found[name] = server
                if site is not None:
                    break
    except (OSError, ZeroconfError, RuntimeError) as exc:
        raise DiscoveryError(f"mDNS browse failed: {_describe(exc)}") from exc
    finally:
        try:
            for future in lookups.values():
                future.cancel()
            # Let cancelled lookups unwind on the loop before it is shut down (bounded).
            concurrent.futures.wait(list(lookups.values()), timeout=1.0)
            if browser is not None:
                browser.cancel()
        finally:
            zc.close()
    return sorted(found.values(), key=lambda s: (s.site, s.name))


def _compatible(server: ServerInfo) -> bool:
    """Same major protocol version as ours (``1`` and ``1.x`` both speak ``mpp/v1``)."""
    return server.protocol.split(".", 1)[0] == PROTOCOL_VERSION.split(".", 1)[0]


def resolve_server(
    static_host: str | None,
    static_port: int | None,
    site: str | None,
    timeout: float = 3.0,
    *,
    interfaces: Any = None,
) -> ServerInfo | None:
    """Find the queue server: zeroconf first, static configuration as the fallback.

    Order (DESIGN.md: "devices find it with no typed address, static config as
    fallback"): a live advertisement wins over static configuration, so a server that
    moved to a new address is still found without reconfiguring every device; the static
    host is used only when browsing finds no compatible server (or mDNS fails).

    - ``site`` given: browse for that site (returns as soon as it is seen).
    - ``site`` None: accept the server only if exactly one compatible server is seen;
      several sites on one LAN is ambiguous, so static config (or None) is used.
    - Servers advertising another major protocol version are ignored.
    - Static config: ``static_host`` (port defaults to 1883); the result has
      ``name="static"``, ``site=site or ""``, ``http_port=None`` and assumes our protocol.

    Returns None when neither source yields a server. Never raises DiscoveryError.
    The cost of a miss is ``timeout`` seconds of browsing before the fallback.
    """
    servers: list[ServerInfo] = []
    try:
        servers = [
            s for s in browse(timeout=timeout, site=site, interfaces=interfaces) if _compatible(s)
        ]
    except DiscoveryError as exc:
        log.warning("zeroconf discovery unavailable, trying static config: %s", exc.message)
    if site is not None and servers:
        return servers[0]
    if site is None and len(servers) == 1:
        return servers[0]
    if site is None and len(servers) > 1:
        log.warning(
            "%d queue servers advertised (%s) and no site configured; not guessing",
            len(servers),
            ", ".join(sorted({s.site for s in servers})),
        )
    if static_host and static_host.strip():
        return ServerInfo(
            site=site or "",
            mqtt_host=static_host.strip(),
            mqtt_port=static_port or DEFAULT_MQTT_PORT,
            http_port=None,
            protocol=PROTOCOL_VERSION,
            name="static",
        )
    return None
