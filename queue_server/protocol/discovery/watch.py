"""Keep looking for the queue server (a box's side of discovery, for as long as it runs).

``browse`` answers "who is there now"; a box also needs "tell me when that changes": a
server that boots after the box, a second site switched on in the same hall, a server
that moved to another box or port. :class:`Watcher` keeps one browser open and reports
every change of the set of servers seen; :func:`choose` says which one this box takes.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, cast

from queue_server.protocol.discovery.network import describe, local_addresses, open_zeroconf
from queue_server.protocol.discovery.service import (
    PROTOCOL_VERSION,
    SERVICE_TYPE,
    DiscoveryError,
    ServerInfo,
    server_info_from,
)

if TYPE_CHECKING:  # pragma: no cover - typing only, keeps the import lazy at runtime
    from zeroconf import ServiceBrowser, ServiceListener, Zeroconf

log = logging.getLogger(__name__)

RESOLVE_MS = 3000  # one lookup of an announced instance (SRV, TXT, A)

LOOKING = "looking"  # no server of ours seen (yet)
AMBIGUOUS = "ambiguous"  # several servers and nothing says which one is ours
FOUND = "found"


@dataclass(frozen=True)
class Choice:
    """What the box makes of the servers it sees: `server` when `outcome` is FOUND;
    `seen` the compatible servers, sorted (the setup screen names their sites)."""

    outcome: str
    server: ServerInfo | None
    seen: tuple[ServerInfo, ...]

    @property
    def sites(self) -> list[str]:
        return sorted({s.site for s in self.seen})


def compatible(server: ServerInfo) -> bool:
    """Same major protocol version as ours (``1`` and ``1.x`` both speak ``mpp/v1``)."""
    return server.protocol.split(".", 1)[0] == PROTOCOL_VERSION.split(".", 1)[0]


def choose(servers: list[ServerInfo], site: str | None) -> Choice:
    """The box's server among `servers`: the one of `site` when the box knows its site;
    otherwise the only one. Two servers that could both be ours is AMBIGUOUS: a box never
    guesses which hall it belongs to."""
    seen = tuple(sorted((s for s in servers if compatible(s) and s.site),
                        key=lambda s: (s.site, s.name)))
    ours = [s for s in seen if site is None or s.site == site]
    if len(ours) == 1:
        return Choice(FOUND, ours[0], seen)
    return Choice(AMBIGUOUS if len(ours) > 1 else LOOKING, None, seen)


class Watcher:
    """Browse for queue servers until stopped; `on_change(servers)` (on zeroconf's
    thread) after every change of the set, with every server currently resolved.

    ``start()`` raises :class:`DiscoveryError` when mDNS cannot run here; ``stop()`` is
    idempotent and never raises."""

    def __init__(self, on_change: Callable[[list[ServerInfo]], None], *,
                 interfaces: Any = None) -> None:
        self._on_change = on_change
        self._interfaces = interfaces
        self._lock = threading.Lock()
        self._servers: dict[str, ServerInfo] = {}
        self._zc: Zeroconf | None = None
        self._browser: ServiceBrowser | None = None
        self._local: set[str] | None = None

    def start(self) -> None:
        from zeroconf import DNSQuestionType, ServiceBrowser
        from zeroconf import Error as ZeroconfError

        self._local = local_addresses()
        try:
            zc = open_zeroconf(self._interfaces)
        except (OSError, ZeroconfError, ValueError) as exc:
            raise DiscoveryError(f"cannot open mDNS sockets: {describe(exc)}") from exc
        self._zc = zc
        # a listener by its methods: subclassing ServiceListener would import zeroconf early
        listener = cast("ServiceListener", self)
        try:  # multicast questions only, as in browse(): see there why
            self._browser = ServiceBrowser(zc, SERVICE_TYPE, listener,
                                           question_type=DNSQuestionType.QM)
        except (OSError, ZeroconfError, RuntimeError) as exc:
            self.stop()
            raise DiscoveryError(f"mDNS browse failed: {describe(exc)}") from exc

    def stop(self) -> None:
        browser, zc = self._browser, self._zc
        self._browser = self._zc = None
        try:
            if browser is not None:
                browser.cancel()
        except Exception as exc:  # closing anyway
            log.warning("mDNS browser cancel failed: %s", describe(exc))
        finally:
            if zc is not None:
                zc.close()

    def servers(self) -> list[ServerInfo]:
        with self._lock:
            return sorted(self._servers.values(), key=lambda s: (s.site, s.name))

    # -- ServiceListener (the browser's thread) ----------------------------------------

    def add_service(self, zc: Zeroconf, type_: str, name: str) -> None:
        self._resolve(zc, name)

    def update_service(self, zc: Zeroconf, type_: str, name: str) -> None:
        self._resolve(zc, name)  # a new port or address: the server moved

    def remove_service(self, zc: Zeroconf, type_: str, name: str) -> None:
        with self._lock:
            gone = self._servers.pop(name, None)
        if gone is not None:
            self._changed()

    def _resolve(self, zc: Zeroconf, name: str) -> None:
        from zeroconf import DNSQuestionType

        try:
            info = zc.get_service_info(SERVICE_TYPE, name, timeout=RESOLVE_MS,
                                       question_type=DNSQuestionType.QM)
        except Exception as exc:  # zeroconf closing under us, a malformed record
            log.debug("cannot resolve %s: %s", name, describe(exc))
            return
        server = server_info_from(info, self._local) if info is not None else None
        if server is None:
            return
        with self._lock:
            if self._servers.get(name) == server:
                return
            self._servers[name] = server
        self._changed()

    def _changed(self) -> None:
        try:
            self._on_change(self.servers())
        except Exception:  # a bug in the receiver must not stop the browser
            log.exception("discovery listener failed")
