"""Find the queue server on the LAN (the devices' side of discovery)."""

from __future__ import annotations

import logging
import queue
import time
from typing import TYPE_CHECKING, Any, cast

from queue_server.protocol.discovery.network import describe, local_addresses, open_zeroconf
from queue_server.protocol.discovery.service import (
    DEFAULT_MQTT_PORT,
    PROTOCOL_VERSION,
    SERVICE_TYPE,
    DiscoveryError,
    ServerInfo,
    server_info_from,
)
from queue_server.protocol.discovery.watch import compatible

if TYPE_CHECKING:  # pragma: no cover - typing only, keeps the import lazy at runtime
    from zeroconf import ServiceListener, Zeroconf

log = logging.getLogger(__name__)


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
    local = local_addresses()
    try:
        zc = open_zeroconf(interfaces)
    except (OSError, ZeroconfError, ValueError) as exc:
        raise DiscoveryError(f"cannot open mDNS sockets: {describe(exc)}") from exc
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
        # a listener by its methods: subclassing ServiceListener would import zeroconf early
        listener = cast("ServiceListener", collector)
        browser = ServiceBrowser(zc, SERVICE_TYPE, listener, question_type=qm)
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
                server = server_info_from(info, local)
                if server is None or (site is not None and server.site != site):
                    continue
                found[name] = server
                if site is not None:
                    break
    except (OSError, ZeroconfError, RuntimeError) as exc:
        raise DiscoveryError(f"mDNS browse failed: {describe(exc)}") from exc
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


def resolve_server(
    static_host: str | None,
    static_port: int | None,
    site: str | None,
    timeout: float = 3.0,
    *,
    interfaces: Any = None,
    static_tls: bool = False,
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
    - Static config: ``static_host`` (port defaults to 1883; ``static_tls``: mqtts); the
      result has
      ``name="static"``, ``site=site or ""``, ``http_port=None`` and assumes our protocol.

    Returns None when neither source yields a server. Never raises DiscoveryError.
    The cost of a miss is ``timeout`` seconds of browsing before the fallback.
    """
    servers: list[ServerInfo] = []
    try:
        servers = [
            s for s in browse(timeout=timeout, site=site, interfaces=interfaces) if compatible(s)
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
            mqtt_tls=static_tls,
        )
    return None
