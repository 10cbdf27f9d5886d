"""`mpp provision`: from the site file, everything the broker and each box need to speak
to each other with credentials (DESIGN.md: every client authenticates, user name = device
id). Run it again and it keeps every secret (the boxes keep working), unless asked to
rotate one.

    OUT/secrets.toml                    every account's secret (0600): the source of truth
    OUT/broker/passwd, OUT/broker/acl   Mosquitto's password file and ACL
    OUT/broker/passwd.argon2            the same accounts for the embedded amqtt broker
    OUT/broker/mpp.conf                 a Mosquitto drop-in (/etc/mosquitto/conf.d/)
    OUT/devices/ID/credentials.toml     one per box (0600): its broker user and secret
    with --tls:
    OUT/ca/ca.key, OUT/ca/ca.crt        the site CA (the key stays here, 0600)
    OUT/broker/server.key, server.crt   the broker's certificate for the given names
    OUT/devices/ID/ca.crt               what each box checks the broker against
    OUT/devices/server/web.key, web.crt the dashboard's HTTPS key (0600) and certificate,
                                        for the same names, named by the server's
                                        credentials.toml ([https])
"""

from __future__ import annotations

import grp
import os
from dataclasses import dataclass
from pathlib import Path

from mpp.broker.access import BrokerAccess, TlsFiles
from mpp.provision.accounts import (
    FOLLOWER_USER,
    SERVER_USER,
    Account,
    ProvisionError,
    accounts_of,
    settle_secrets,
    write_private,
)
from mpp.provision.mosquitto import acl_file, argon2_password_file, password_file
from mpp.provision.tls import leaf_certificate, server_certificate, site_ca
from queue_server.config import SiteConfig
from queue_server.protocol.credentials import Credentials, load_credentials
from queue_server.protocol.topics import Topics

BROKER_GROUP = "mosquitto"  # Debian's Mosquitto drops to this user: it must read passwd
TLS_PORT = 8883
# the dashboard's HTTPS certificate and key, beside the server's credentials.toml
WEB_CERT, WEB_KEY = "web.crt", "web.key"


@dataclass(frozen=True)
class TlsRequest:
    """The names and addresses clients reach the broker by: each goes into its
    certificate, and a client checks the one it dialled."""

    names: list[str]
    ips: list[str]
    port: int = TLS_PORT


@dataclass(frozen=True)
class SuitePolicy:
    """Relaxations for the test suite's and the benchmarks' brokers only, never a hall's
    (docs/security.md): the tests give every test a random site slug, run several clients
    of one account side by side, and watch the whole broker from raw clients; the
    benchmarks time raw clients on topics of their own."""

    any_site: bool = True  # `+` at the site level of every ACL line
    extra_devices: tuple[str, ...] = ()  # device accounts beyond the site file's
    observer: str | None = "observer"  # an account that reads everything, writes nothing
    bind_client_id: bool = False  # several connections of one account may coexist
    # accounts for the benchmarks' raw floor clients: they may use bench/# and nothing
    # else, so the floor pays TLS, login and the ACL check as every client does
    floor_accounts: tuple[str, ...] = ()


@dataclass(frozen=True)
class Provisioned:
    out: Path
    accounts: list[Account]
    access: BrokerAccess

    def credentials(self, user: str) -> Path:
        return self.out / "devices" / user / "credentials.toml"

    def web_files(self) -> tuple[Path, Path]:
        """The dashboard's certificate and key (made with --tls only)."""
        folder = self.credentials(SERVER_USER).parent
        return folder / WEB_CERT, folder / WEB_KEY

    def load(self) -> dict[str, Credentials]:
        """Every account's credentials, as its box reads them (the demo, the tests)."""
        return {a.user: load_credentials(self.credentials(a.user)) for a in self.accounts}


def provision(cfg: SiteConfig, out: Path, *, port: int = 1883,
              tls: TlsRequest | None = None, rotate: frozenset[str] = frozenset(),
              testing: SuitePolicy | None = None) -> Provisioned:
    out = out.resolve()
    accounts = _accounts(cfg, testing)
    unknown = sorted(rotate - {a.user for a in accounts})
    if unknown:
        raise ProvisionError(f"no broker account {unknown[0]!r} at site {cfg.site.id}")
    secrets = settle_secrets(accounts, out / "secrets.toml", rotate=rotate)
    broker = out / "broker"
    files = _tls_files(cfg, out, tls) if tls is not None else None
    access = BrokerAccess(broker / "passwd", broker / "acl", tls=files,
                          argon2_password_file=broker / "passwd.argon2",
                          bind_client_id=testing.bind_client_id if testing else True)
    topics = Topics("+" if testing and testing.any_site else cfg.site.id)
    _write_broker_file(access.password_file, password_file(secrets))
    if access.argon2_password_file is not None:
        write_private(access.argon2_password_file, argon2_password_file(secrets))
    _write_broker_file(access.acl_file, acl_file(topics, accounts))
    (broker / "mpp.conf").write_text(drop_in(cfg, access, port, tls), encoding="utf-8")
    done = Provisioned(out, accounts, access)
    if tls is not None:  # the dashboard's HTTPS: the same CA, the same names
        leaf_certificate(*done.web_files(), site_ca(out / "ca", cfg.site.id), tls.names,
                         tls.ips, f"MPP {cfg.site.id} dashboard")
    for account in accounts:
        write_private(done.credentials(account.user),
                      credentials_text(cfg, account, secrets, tls=files is not None))
        if files is not None:
            (done.credentials(account.user).parent / "ca.crt").write_bytes(
                files.ca_cert.read_bytes())
    return done


def _accounts(cfg: SiteConfig, testing: SuitePolicy | None) -> list[Account]:
    accounts = accounts_of(cfg)
    if testing is None:
        return accounts
    known = {a.user for a in accounts}
    extra = [Account(d, "device") for d in dict.fromkeys(testing.extra_devices)
             if d not in known]
    observer = [Account(testing.observer, "observer")] if testing.observer else []
    floor = [Account(user, "floor") for user in testing.floor_accounts]
    return [*accounts, *extra, *observer, *floor]


def _tls_files(cfg: SiteConfig, out: Path, tls: TlsRequest) -> TlsFiles:
    ca = site_ca(out / "ca", cfg.site.id)
    files = server_certificate(out / "broker", ca, tls.names, tls.ips, cfg.site.id)
    _write_broker_file(files.server_key, files.server_key.read_text(encoding="utf-8"))
    return files


def credentials_text(cfg: SiteConfig, account: Account, secrets: dict[str, str], *,
                     tls: bool = False) -> str:
    lines = [f"# mpp provision: broker account of {account.user} at site {cfg.site.id}",
             "[mqtt]", f'user = "{account.user}"', f'password = "{secrets[account.user]}"',
             *(['ca = "ca.crt"  # the site CA: the broker must show a certificate it signed']
               if tls else [])]
    if account.user == SERVER_USER:  # the server also runs the dashboard's follower
        lines += ["", "[follower]", f'user = "{FOLLOWER_USER}"',
                  f'password = "{secrets[FOLLOWER_USER]}"']
        if tls:  # and serves the dashboard over HTTPS, with a certificate of the site CA
            lines += ["", "[https]  # the dashboard's certificate and key, beside this file",
                      f'cert = "{WEB_CERT}"', f'key = "{WEB_KEY}"']
    return "\n".join([*lines, ""])


def _write_broker_file(path: Path, text: str) -> None:
    """Readable by its owner and by the broker's group only (the hashes are not secrets
    on their own, but nobody else has a reason to read them)."""
    write_private(path, text)
    try:
        gid = grp.getgrnam(BROKER_GROUP).gr_gid
    except KeyError:
        return  # no Mosquitto installed here: the files travel to the broker's box
    if os.geteuid() == 0:
        os.chown(path, -1, gid)
        path.chmod(0o640)


def drop_in(cfg: SiteConfig, access: BrokerAccess, port: int,
             tls: TlsRequest | None) -> str:
    # with TLS the plain listener serves this box only; the LAN gets the TLS one
    listeners = ([f"listener {port} 127.0.0.1", f"listener {tls.port}",
                  *access.tls_lines()] if tls else [f"listener {port}"])
    return "\n".join([f"# generated by mpp provision for site {cfg.site.id}; do not edit",
                      "per_listener_settings false", *listeners,
                      "set_tcp_nodelay true", "max_queued_messages 10000",
                      *access.conf_lines(), ""])
