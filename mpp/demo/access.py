"""The demo's broker and the accounts its clients log in with. Secured by default, as a
hall is: the demo provisions the site into `{data}/provision` (`mpp provision`: one
account per device plus `server` and `dashboard`, the ACL, a site CA; the secrets are kept
between runs) and starts its broker with them, on a TLS listener whose certificate names
localhost and 127.0.0.1. `--insecure` is the development switch: an anonymous broker.

On an external broker (`--mqtt`) the demo plays every device of the site, so it needs
every account: `--credentials DIR`, the `mpp provision --out` folder of that broker's
site (DIR/devices/ID/credentials.toml), or `--insecure` for a broker that takes anonymous
clients."""

from __future__ import annotations

import argparse
import contextlib
import logging
import os
from pathlib import Path

from mpp.broker import BrokerError, BrokerHandle, start_embedded
from mpp.common import UsageError, mqtt_option
from mpp.provision import FOLLOWER_USER, SERVER_USER, ProvisionError, provision
from mpp.provision.run import TlsRequest
from queue_server.config import SiteConfig
from queue_server.protocol.credentials import Credentials, CredentialsError, load_credentials

log = logging.getLogger("mpp.demo")

PROVISION_DIR = "provision"
DEMO_TLS = TlsRequest(names=["localhost"], ips=["127.0.0.1"])
INSECURE = ("anonymous MQTT (--insecure): anyone who reaches the broker may command the "
            "hall; for development only")


def open_broker(stack: contextlib.ExitStack, cfg: SiteConfig, args: argparse.Namespace,
                data_dir: Path) -> tuple[BrokerHandle, str]:
    """The broker the demo uses, with the accounts its clients log in with, and how to
    name it. Raises UsageError (a wrong option) or BrokerError (no broker started)."""
    insecure = bool(getattr(args, "insecure", False))
    given = getattr(args, "credentials", None)
    if insecure:
        log.warning(INSECURE)
    if args.mqtt:
        return _external(cfg, args.mqtt, given, insecure)
    if given:
        raise UsageError("--credentials is for an external broker (--mqtt): the demo "
                         "provisions its own")
    if insecure:
        handle = start_embedded(data_dir / "broker")
        stack.callback(handle.stop)
        return handle, f"{_own(handle)}, anonymous (--insecure)"
    try:
        done = provision(cfg, data_dir / PROVISION_DIR, tls=DEMO_TLS)
    except (ProvisionError, OSError) as err:
        raise BrokerError(f"cannot provision the demo's broker: {err}") from err
    handle = start_embedded(data_dir / "broker", access=done.access)
    stack.callback(handle.stop)
    handle.accounts = done.load()
    return handle, (f"{_own(handle)}, TLS and one account per device "
                    f"({done.out}, CA {done.out / 'ca' / 'ca.crt'})")


def _own(handle: BrokerHandle) -> str:
    if handle.kind == "mosquitto":
        return f"Mosquitto {handle.host}:{handle.port}"
    why = ("MPP_BROKER=amqtt" if os.environ.get("MPP_BROKER") == "amqtt"
           else "Mosquitto not installed")
    return f"embedded amqtt broker {handle.host}:{handle.port} ({why})"


def _external(cfg: SiteConfig, text: str, given: str | None,
              insecure: bool) -> tuple[BrokerHandle, str]:
    url = mqtt_option(text)
    if given is None and not insecure:
        raise UsageError("--mqtt: the demo plays every device of the site, so it needs "
                         "their accounts: --credentials DIR (the `mpp provision --out` "
                         "folder of that broker's site), or --insecure for a broker that "
                         "takes anonymous clients")
    accounts = folder_accounts(Path(given), cfg) if given else {}
    handle = BrokerHandle(host=url.host, port=url.port, kind="external", tls=url.tls,
                          accounts=accounts)
    how = "TLS" if url.tls else "plain MQTT"
    who = f"accounts from {given}" if given else "anonymous (--insecure)"
    return handle, f"external {url.host}:{url.port} ({how}, {who})"


def folder_accounts(folder: Path, cfg: SiteConfig) -> dict[str, Credentials]:
    """The accounts of the server, its follower and every device, from a provisioning
    folder (FOLDER/devices/ID/credentials.toml)."""
    users = [SERVER_USER, FOLLOWER_USER, *(d.id for d in cfg.devices)]
    try:
        return {user: load_credentials(folder / "devices" / user / "credentials.toml")
                for user in users}
    except CredentialsError as err:
        raise UsageError(f"--credentials: {err}") from None
