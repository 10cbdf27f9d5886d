"""Zeroconf's sockets and this host's addresses: what advertising and browsing share."""

from __future__ import annotations

import ipaddress
import logging
from typing import TYPE_CHECKING, Any

from queue_server.protocol.discovery.service import DiscoveryError

if TYPE_CHECKING:  # pragma: no cover - typing only, keeps the import lazy at runtime
    from zeroconf import Zeroconf

log = logging.getLogger(__name__)


def open_zeroconf(interfaces: Any) -> Zeroconf:
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


def local_addresses() -> set[str] | None:
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
        log.debug("could not list network interfaces: %s", describe(exc))
        return None


def _check_interface_list(interfaces: list[Any]) -> None:
    """Refuse an interface list zeroconf cannot use, before it opens (and leaks) a socket."""
    if not interfaces:
        raise DiscoveryError("no network interface selected for mDNS")
    local = local_addresses()
    for entry in interfaces:
        if isinstance(entry, int) and not isinstance(entry, bool):
            continue  # IPv6 interface index, checked by zeroconf
        try:
            addr = str(ipaddress.ip_address(str(entry).split("%", 1)[0]))
        except ValueError:
            raise DiscoveryError(f"not an interface address: {entry!r}") from None
        if local is not None and addr not in local:
            raise DiscoveryError(f"no network interface has address {addr}")


def describe(exc: BaseException) -> str:
    text = str(exc).strip()
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__



def host_ipv4_addresses() -> list[str]:
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
        log.debug("could not list network interfaces: %s", describe(exc))
    return found or ["127.0.0.1"]

